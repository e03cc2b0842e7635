from django.urls import path

from . import views

app_name = "demand"
urlpatterns = [
    path("job-orders/", views.job_order_list, name="joborders"),
    path("job-orders/<int:pk>/", views.job_order_detail, name="joborder_detail"),
    path("imports/", views.import_list, name="imports"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:pk>/rejected.csv", views.import_report, name="import_report"),
]

# The dashboards (demand:dashboard…) belong to views_dashboard.py, maintained with the aggregates.
try:
    from .views_dashboard import urlpatterns as dashboard_urlpatterns
except ImportError:
    dashboard_urlpatterns = []
urlpatterns += dashboard_urlpatterns
