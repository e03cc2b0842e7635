from django.urls import path

from . import views

app_name = "supply"
urlpatterns = [
    path("", views.registry_list, name="list"),
    path("new/", views.worker_create, name="create"),
    path("me/", views.me, name="me"),
    path("register/", views.register, name="register"),
    path("queue/", views.queue, name="queue"),
    path("upload/", views.upload, name="upload"),
    path("upload/template.<str:fmt>", views.upload_template, name="upload_template"),
    path("upload/<int:pk>/", views.upload_report, name="upload_report"),
    path("gap/", views.gap, name="gap"),
    path("indicators/", views.indicators, name="indicators"),
    path("<int:pk>/", views.worker_detail, name="detail"),
    path("<int:pk>/edit/", views.worker_edit, name="edit"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path("<int:pk>/verify/", views.worker_verify, name="verify"),
    path("<int:pk>/inactive/", views.worker_inactive, name="inactive"),
    path("<int:pk>/consent/", views.consent_withdraw, name="consent"),
]
