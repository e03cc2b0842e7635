from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.home, name="home"),
    path("overview.csv", views.overview_csv, name="overview_csv"),
    path("countries/<str:iso3>/", views.profile, name="profile"),
    path("countries/<str:iso3>/profile.pdf", views.profile_pdf, name="profile_pdf"),
    path("countries/<str:iso3>/charts/<slug:chart_id>.csv", views.profile_chart_csv, name="profile_chart_csv"),
    path("corridors/", views.corridors, name="corridors"),
    path("explorer/", views.explorer_view, name="explorer"),
    path("data/", views.catalog, name="catalog"),
    path("data/<slug:key>/", views.dataset, name="dataset"),
    path("data/<slug:key>/edit/", views.dataset_edit, name="dataset_edit"),
]
