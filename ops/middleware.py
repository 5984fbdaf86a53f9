"""Request metrics, and a clear page when the object store cannot be reached."""

import logging
import time

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.storage import StorageUnavailable

from . import metrics

logger = logging.getLogger(__name__)


class MetricsMiddleware:
    """Counts every request and its time to the response headers, by view name."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or "unnamed") if match else "unmatched"
        metrics.record_request(
            view, request.method, response.status_code, time.perf_counter() - started
        )
        return response


class StorageUnavailableMiddleware:
    """An unreachable object store gives a 503 with a message, never a half-sent file.

    Database work of the request is rolled back by the service's own transaction (uploads
    are saved inside ``transaction.atomic``), so nothing is half-written.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, StorageUnavailable):
            return None
        logger.error("file storage unavailable: %s", exception)
        message = _(
            "The file store cannot be reached right now, so files cannot be uploaded or "
            "downloaded. Nothing was saved or sent; please try again in a few minutes."
        )
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=503)
        response = render(request, "ops/storage_unavailable.html", {"message": message}, status=503)
        response["Retry-After"] = "60"
        return response
