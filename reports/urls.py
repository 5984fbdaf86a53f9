from django.urls import path

from .views import office, public

app_name = "reports"

urlpatterns = [
    path("statistics/<str:code>/", public.statistics, name="statistics-show"),
    path("office/<str:code>/reports/", office.dashboard, name="dashboard-show"),
    path("office/<str:code>/reports/monthly/", office.monthly_report, name="monthly-download"),
    path("office/<str:code>/reports/exports/", office.export_create, name="export-create"),
    path("office/<str:code>/reports/settings/", office.settings_update, name="settings-update"),
]
