from django.urls import path

from . import views

app_name = "occupations"
urlpatterns = [
    path("", views.explorer, name="explorer"),
    path("crosswalk/", views.crosswalk, name="crosswalk"),
    path("isco/<str:code>/", views.isco_detail, name="isco"),
    path("esco/<str:uuid>/", views.esco_detail, name="esco"),
    path("soc/<str:code>/", views.soc_detail, name="soc"),
    path("soc2010/<str:code>/", views.soc2010_detail, name="soc2010"),
    path("noc/<str:version>/<str:code>/", views.noc_detail, name="noc"),
]
