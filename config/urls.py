from django.contrib import admin
from django.urls import include, path

from config.api import api
from ops.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("", include("offices.urls")),
    path("", include("catalog.urls")),
    path("", include("delivery.urls")),
    path("", include("complaints.urls")),
    path("", include("visits.urls")),
    path("", include("privacy.urls")),
    path("", include("feedback.urls")),
    path("", include("softcopies.urls")),
    path("", include("channels.urls")),
    path("", include("ops.urls")),
    path("", include("reports.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "core.views.error_400"
handler404 = "core.views.error_404"
handler403 = "core.views.error_403"
handler500 = "core.views.error_500"
