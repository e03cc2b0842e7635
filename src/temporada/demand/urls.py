app_name = "demand"
urlpatterns: list = []

# The dashboards (demand:dashboard…) belong to views_dashboard.py, maintained with the aggregates.
try:
    from .views_dashboard import urlpatterns as dashboard_urlpatterns
except ImportError:
    dashboard_urlpatterns = []
urlpatterns += dashboard_urlpatterns
