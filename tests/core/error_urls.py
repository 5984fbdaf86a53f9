"""URLs used only by tests: a view that fails, and a guarded view that logs."""

import logging

from django.http import HttpResponse
from django.urls import include, path

from offices.permissions import office_required


def boom(request):
    raise RuntimeError("boom")


@office_required()
def log_probe(request, office):
    logging.getLogger("tests.log_probe").info("probe for %s", office.code)
    return HttpResponse("ok")


urlpatterns = [
    path("boom/", boom),
    path("office/<str:code>/log/", log_probe),
    path("", include("config.urls")),
]

handler500 = "core.views.error_500"
