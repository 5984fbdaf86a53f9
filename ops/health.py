"""What /healthz checks: database, cache, file storage and background workers.

Each check returns ``ok``, ``degraded`` (the app serves, but something needs attention:
a load balancer keeps the server) or ``error`` (take the server out of rotation).
"""

import datetime
import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from channels.health import checks as channel_checks

logger = logging.getLogger(__name__)

PROBE_FOLDER = "healthz"


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        logger.exception("health check: database unreachable")
        return "error"
    return "ok"


def check_cache():
    """Redis down is ``degraded``: pages are served, rate limits fail open."""
    ping = getattr(cache, "ping", None)
    if ping is not None:
        if ping():
            return "ok"
        logger.warning("health check: cache (Redis) unreachable")
        return "degraded"
    key = f"healthz-{uuid.uuid4().hex}"
    try:
        cache.set(key, 1, 5)
        ok = cache.get(key) == 1
        cache.delete(key)
    except Exception:  # noqa: BLE001
        logger.exception("health check: cache failed")
        ok = False
    return "ok" if ok else "degraded"


def check_storage():
    """Write, read back and delete a small probe file in the private storage."""
    name = f"{PROBE_FOLDER}/{uuid.uuid4().hex}.txt"
    try:
        stored = default_storage.save(name, ContentFile(b"ok"))
        try:
            with default_storage.open(stored, "rb") as handle:
                ok = handle.read() == b"ok"
        finally:
            default_storage.delete(stored)
    except Exception:  # noqa: BLE001 - an unreachable store means uploads and downloads fail
        logger.exception("health check: file storage failed")
        return "error"
    return "ok" if ok else "error"


def check_workers():
    """A job waiting longer than WORKER_STALE_SECONDS means no worker is taking jobs."""
    if settings.TASKS_MODE == "immediate":
        return "ok"
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.WORKER_STALE_SECONDS)
    stale = DBTaskResult.objects.ready().filter(enqueued_at__lt=cutoff).exists()
    return "stalled" if stale else "ok"


def run_checks():
    checks = {"database": check_database()}
    checks["cache"] = check_cache()
    checks["storage"] = check_storage()
    checks["worker"] = check_workers() if checks["database"] == "ok" else "unknown"
    if checks["database"] == "ok":
        # Checks of higher apps ("degraded" at worst), e.g. channels: WhatsApp answers.
        checks.update(channel_checks())
    if any(value in ("error", "stalled", "unknown") for value in checks.values()):
        status = "error"
    elif any(value == "degraded" for value in checks.values()):
        status = "degraded"
    else:
        status = "ok"
    return status, checks
