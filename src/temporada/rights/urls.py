from django.urls import path

from . import views

app_name = "rights"
urlpatterns = [
    path("", views.home, name="home"),
    path("finder/", views.finder, name="finder"),
    path("verify/", views.verify_offer, name="verify"),
    path("help/", views.help_directory, name="help"),
    path("stats/", views.stats, name="stats"),
    path("leaflets/<slug:slug>.pdf", views.leaflet_pdf, name="leaflet"),
    path("<slug:slug>/", views.programme_rights, name="programme"),
]
