from django.urls import path

from .views import office, public

app_name = "delivery"

urlpatterns = [
    path("publications/<int:pk>/read/", public.publication_read, name="publication-read"),
    path(
        "publications/<int:pk>/download/", public.publication_download, name="publication-download"
    ),
    path("copies/<str:token>/", public.copy_file, name="copy"),
    path("account/downloads/", public.history, name="history"),
    path("office/<str:code>/delivery/", office.statistics, name="office-statistics"),
    path("office/<str:code>/delivery/trace/", office.trace, name="office-trace"),
]
