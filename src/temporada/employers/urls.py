from django.urls import path

from . import views

app_name = "employers"
urlpatterns = [
    path("", views.employer_list, name="list"),
    path("<int:pk>/", views.employer_detail, name="detail"),
    path("<int:pk>/merge/", views.employer_merge, name="merge"),
    path("<int:pk>/split/", views.employer_split, name="split"),
    path("<int:pk>/rename/", views.employer_rename, name="rename"),
]
