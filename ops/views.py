import hmac

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import metrics
from .health import run_checks


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


@never_cache
@require_GET
def metrics_view(request):
    """Prometheus metrics for a scraper holding ``Authorization: Bearer $METRICS_TOKEN``.

    Without METRICS_TOKEN the endpoint does not exist (404); a wrong token gets 401.
    """
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    supplied = request.headers.get("Authorization", "")
    if not hmac.compare_digest(supplied.encode(), f"Bearer {token}".encode()):
        response = HttpResponse("unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(
        metrics.exposition(), content_type="text/plain; version=0.0.4; charset=utf-8"
    )
