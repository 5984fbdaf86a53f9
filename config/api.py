"""The JSON API under /api/v1/: one NinjaAPI, one router per app.

Browsers authenticate with their session (CSRF checked on unsafe methods);
devices and integrations with ``Authorization: Bearer <token>`` from
``POST /api/v1/auth/token``. Error bodies are ``{"detail": ...}`` in the
request's language; a refused domain step (``core.errors.DomainError``) also carries
its ``code``.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from accounts.api import router as accounts_router
from catalog.api import router as catalog_router
from complaints.api import router as complaints_router
from core.errors import DomainError
from delivery.api import router as delivery_router
from feedback.api import router as feedback_router
from offices.api import router as offices_router
from softcopies.api import router as softcopies_router
from visits.api import router as visits_router

api = NinjaAPI(
    title="PST Library Service API",
    version="1",
    description="Public statistical service (PST) of BPS offices: catalogue, queue, complaints.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(request, {"detail": _("Authentication is required.")}, status=401)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(
        request, {"detail": _("You do not have permission to do this.")}, status=403
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return api.create_response(
        request,
        {"detail": _("The request is not valid."), "errors": exc.errors},
        status=422,
    )


@api.exception_handler(DomainError)
def _refused(request, exc):
    """Every refused domain step (STYLE.md 6): its message and a code for machines."""
    return api.create_response(
        request, {"detail": str(exc.message), "code": exc.code}, status=exc.status
    )


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)


api.add_router("/", accounts_router)
api.add_router("/offices", offices_router)
api.add_router("/publications", catalog_router)
api.add_router("/publications", delivery_router)
api.add_router("/complaints", complaints_router)
api.add_router("/softcopy-requests", softcopies_router)
# Tickets and boards: /offices/{code}/tickets, /offices/{code}/board, /tickets/{id}.
api.add_router("/", visits_router)
# The satisfaction index: /offices/{code}/ikm.
api.add_router("/", feedback_router)
