"""The JSON API under /api/v1/: one NinjaAPI, one router per app.

Browsers authenticate with their session (CSRF checked on unsafe methods);
devices and integrations with ``Authorization: Bearer <token>`` from
``POST /api/v1/auth/token`` or the account's "Token API" page. Every error answer
is ``{"detail", "code"[, "errors"]}`` (``core.api.ErrorOut``) in the request's
language, never an HTML page: malformed bodies and content types are 400, bodies
over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` 413, and an unexpected failure is logged and
answered as a JSON 500. A refused domain step (``core.errors.DomainError``) answers
its own status and ``code``. docs/api.md is the client guide.

Operation ids are the operations' ``url_name`` with ``_`` for ``-``
(``ticket_create``): stable across refactors, since the URL names are used in code.
"""

import logging

from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from accounts.api import router as accounts_router
from catalog.api import router as catalog_router
from complaints.api import router as complaints_router
from core.api import (
    STATUS_DESCRIPTIONS,
    ApiError,
    ErrorOut,
    NulCharacter,
    Utf8JsonParser,
    error_body,
    nul_error,
)
from core.errors import DomainError
from delivery.api import router as delivery_router
from feedback.api import router as feedback_router
from offices.api import router as offices_router
from softcopies.api import router as softcopies_router
from visits.api import router as visits_router

logger = logging.getLogger("config.api")

TAGS = [
    {"name": "auth", "description": "API tokens and the authenticated user"},
    {"name": "offices", "description": "BPS offices, opening hours and service standards"},
    {"name": "publications", "description": "Catalogue search, details and watermarked copies"},
    {"name": "complaints", "description": "File a complaint and follow it by tracking code"},
    {"name": "softcopy-requests", "description": "Ask for a softcopy; officers' work queue"},
    {"name": "visits", "description": "Queue tickets and the display board"},
    {"name": "feedback", "description": "The satisfaction index (IKM)"},
]


class PstApi(NinjaAPI):
    def get_openapi_operation_id(self, operation):
        return operation.url_name.replace("-", "_")

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Ninja's schema, plus the error answers every operation may give by its shape."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        if "ErrorOut" not in components:
            components["ErrorOut"] = ErrorOut.model_json_schema(
                ref_template="#/components/schemas/{model}"
            )
        for operations in schema["paths"].values():
            for operation in operations.values():
                _document_errors(operation)
        return schema


def _document_errors(operation):
    parameters = operation.get("parameters", [])
    # Any request may be unreadable: a NUL character in its address or query string.
    statuses = {400}
    if operation.get("security"):
        statuses |= {401, 403}
    if any(p["in"] == "path" for p in parameters):
        statuses.add(404)
    if parameters or "requestBody" in operation:
        statuses.add(422)
    if "requestBody" in operation:
        statuses.add(413)
    responses = operation["responses"]
    for status in sorted(statuses | {s for s in responses if s >= 400}):
        entry = responses.setdefault(status, {})
        entry["description"] = STATUS_DESCRIPTIONS.get(status, entry.get("description", ""))
        entry["content"] = {
            "application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}
        }
        if status == 429:
            entry["headers"] = {
                "Retry-After": {
                    "description": "Seconds to wait before trying again",
                    "schema": {"type": "integer"},
                }
            }


api = PstApi(
    title="PST Library Service API",
    version="1",
    description=(
        "Public statistical service (PST) of BPS offices: catalogue, copies, queue, "
        "softcopy requests, complaints. Authenticate with `Authorization: Bearer <token>` "
        "(POST /auth/token or the account's Token API page) or a browser session with CSRF. "
        "Every error answer is an ErrorOut: {detail, code, errors?}."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    openapi_extra={"tags": TAGS},
    parser=Utf8JsonParser(),
)


def _error(request, status, detail, *, code=None, errors=None, headers=None):
    response = api.create_response(
        request, error_body(status, detail, code=code, errors=errors), status=status
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(
        request,
        401,
        _("Authentication is required."),
        headers={"WWW-Authenticate": 'Bearer realm="api"'},
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, _("You do not have permission to do this."))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, _("Not found."))


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return _error(request, 422, _("The request is not valid."), errors=exc.errors)


@api.exception_handler(DomainError)
def _refused(request, exc):
    """Every refused domain step (STYLE.md 6): its message and a code for machines."""
    return _error(request, exc.status, exc.message, code=exc.code)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    cause = exc.__cause__
    if isinstance(cause, RequestDataTooBig):
        return _too_large(request, cause)
    if isinstance(cause, NulCharacter):
        return _nul(request, cause)
    if exc.message.startswith("Cannot parse request body"):
        # Ninja could not parse the body (invalid JSON, wrong encoding, unreadable stream).
        return _error(
            request, 400, _("The request body is not valid JSON in UTF-8."), code="malformed_body"
        )
    if isinstance(exc, ApiError):
        return _error(request, exc.status_code, exc.message, code=exc.code, headers=exc.headers)
    return _error(request, exc.status_code, exc.message)


@api.exception_handler(NulCharacter)
def _nul(request, exc):
    error = nul_error()
    return _error(request, error.status_code, error.message, code=error.code)


@api.exception_handler(RequestDataTooBig)
def _too_large(request, exc):
    return _error(request, 413, _("The request body is too large."))


@api.exception_handler(MultiPartParserError)
@api.exception_handler(UnreadablePostError)
@api.exception_handler(BadRequest)
def _malformed(request, exc):
    return _error(
        request, 400, _("The request body could not be read as form data."), code="malformed_body"
    )


@api.exception_handler(TooManyFieldsSent)
@api.exception_handler(TooManyFilesSent)
@api.exception_handler(SuspiciousOperation)
def _suspicious(request, exc):
    return _error(request, 400, _("The request is not valid."), code="bad_request")


@api.exception_handler(Exception)
def _server_error(request, exc):
    # Logged with the traceback (user and office are added by the log filter); the client
    # gets JSON like every other answer, never the HTML error page.
    logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
    return _error(request, 500, _("Something went wrong on our side. Please try again later."))


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
