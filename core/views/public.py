import datetime
import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult

from offices.choices import Weekday
from offices.models import Office
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
    """For load balancers: 200 when the database answers and background jobs are being run.

    The worker counts as down when a job has been waiting to run for longer than
    WORKER_STALE_SECONDS: a stalled queue is what users would notice.
    """
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        logger.exception("health check: database unreachable")
        checks["database"] = "error"
    if checks["database"] == "ok" and settings.TASKS_MODE == "database":
        cutoff = timezone.now() - datetime.timedelta(seconds=settings.WORKER_STALE_SECONDS)
        stale = DBTaskResult.objects.ready().filter(enqueued_at__lt=cutoff).exists()
        checks["worker"] = "stalled" if stale else "ok"
    else:
        checks["worker"] = "ok" if settings.TASKS_MODE == "immediate" else "unknown"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


def error_404(request, exception):
    return render(request, "404.html", status=404)


def error_403(request, exception):
    return render(request, "403.html", status=403)


def error_500(request):
    return render(request, "500.html", status=500)
