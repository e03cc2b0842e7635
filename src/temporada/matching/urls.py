from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("", views.runs, name="runs"),
    path("job-orders/", views.order_picker, name="orders"),
    path("job-orders/<int:job_pk>/shortlist/", views.shortlist_new, name="shortlist_new"),
    path("season/new/", views.season_new, name="season_new"),
    path("summary/", views.summary, name="summary"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("runs/<int:pk>/export/", views.run_export, name="run_export"),
    path("runs/<int:pk>/release/", views.release, name="release"),
    path("runs/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("proposals/<int:pk>/decide/", views.decide, name="decide"),
    path("proposals/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
