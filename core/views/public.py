import logging

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.api import error_body
from offices.choices import Weekday
from offices.models import Office
from ops.health import run_checks
from visits.services import queue_summary

logger = logging.getLogger(__name__)


def _optional_url(name):
    """The URL of a page another app provides, or None while that app is not installed."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def home(request):
    office = get_object_or_404(
        Office.objects.prefetch_related("opening_hours"),
        code=settings.DEFAULT_OFFICE_CODE,
    )
    hours = [(label, office.hours_on(day)) for day, label in Weekday.choices]
    standards = office.standards.current().in_service_order()
    return render(
        request,
        "core/public/home.html",
        {
            "office": office,
            "hours": hours,
            "is_open": office.is_open_at(),
            "standards": standards,
            "search_url": _optional_url("catalog:publication-list"),
            "queue": queue_summary(office),
        },
    )


def contact(request):
    office = get_object_or_404(Office, code=settings.DEFAULT_OFFICE_CODE)
    return render(request, "core/public/contact.html", {"office": office})


@never_cache
@require_GET
def healthz(request):
    """For load balancers: database, cache, file storage and background workers.

    200 with status ``ok`` or ``degraded`` (Redis down: pages are still served, the cache
    misses and rate limits fail open); 503 when the database or the file storage fails or
    a job has waited longer than WORKER_STALE_SECONDS (a stalled queue is what users
    would notice). See ops.health.
    """
    status, checks = run_checks()
    return JsonResponse(
        {"status": status, "checks": checks}, status=503 if status == "error" else 200
    )


def _api_error(request, status, detail):
    """Under /api/ an error page is the API's JSON error body (core.api.ErrorOut)."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(status, detail), status=status)
    return None


def error_400(request, exception):
    return _api_error(request, 400, _("The request is not valid.")) or defaults.bad_request(
        request, exception
    )


def error_404(request, exception):
    return _api_error(request, 404, _("Not found.")) or render(request, "404.html", status=404)


def error_403(request, exception):
    return _api_error(request, 403, _("You do not have permission to do this.")) or render(
        request, "403.html", status=403
    )


def error_500(request):
    return _api_error(
        request, 500, _("Something went wrong on our side. Please try again later.")
    ) or render(request, "500.html", status=500)
