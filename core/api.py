"""What every API operation shares: the error body, error codes, rate-limit errors, pages.

Every 4xx and 5xx answer of ``/api/v1/`` is one JSON shape, :class:`ErrorOut`:
``{"detail": "<message in the request's language>", "code": "<stable code>"}`` plus
``"errors"`` (a list of ``{"loc", "msg", "type"}``) when the input did not validate.
Operations name the error statuses they may answer with ``errors(409, 429)``; the ones
that follow from an operation's shape (401/403 for authenticated operations, 404 for a
path parameter, 400/413/422 for a body) are added to the OpenAPI schema by ``config.api``.

List answers are pages: ``{"count", "next", "previous", "results"}`` where ``next`` and
``previous`` are absolute URLs or null (:func:`page_of`).
"""

import json
from datetime import date
from typing import Annotated, Any

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.parser import Parser
from pydantic import BeforeValidator

# The ``code`` of an error answer when the raiser named none.
STATUS_CODES = {
    400: "bad_request",
    401: "authentication_required",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
}

# Descriptions of error answers in the OpenAPI schema (developer documentation: English).
STATUS_DESCRIPTIONS = {
    400: "The request could not be read (malformed JSON or form data, a NUL character in the "
    "address or query string) or names an unknown value",
    401: "No valid credentials: missing, malformed, expired or revoked token, or no session",
    403: "Not allowed: role or office, read-only token, unverified e-mail, or CSRF check",
    404: "Not found",
    409: "The object is not in a state that allows this",
    413: "The request body is too large",
    422: "The input is not valid",
    429: "Too many requests: try again after Retry-After seconds",
}


def _iso_string(value):
    if value is not None and not isinstance(value, str):
        raise ValueError("expected a date as a string, YYYY-MM-DD")
    return value


# Inputs are taken as the schema says: a JSON number is not a date (pydantic would read it as
# a Unix time), a string is not a number (use pydantic's StrictInt/StrictBool in bodies).
IsoDate = Annotated[date, BeforeValidator(_iso_string)]


class ErrorOut(Schema):
    """The body of every error answer."""

    detail: str = Field(..., description="What went wrong, in the request's language")
    code: str = Field(..., description="A stable machine-readable code, e.g. rate_limited")
    errors: list[dict[str, Any]] | None = Field(
        None, description="Validation errors: each with loc, msg and type (422 only)"
    )


class ApiError(HttpError):
    """An error answer with a stable ``code`` (and optional response headers)."""

    def __init__(self, status_code, message, *, code=None, headers=None):
        super().__init__(status_code, str(message))
        self.code = code or STATUS_CODES.get(status_code, "error")
        self.headers = headers or {}


class RateLimited(ApiError):
    """429 with ``Retry-After``: the client may try again after ``retry_after`` seconds."""

    def __init__(self, retry_after, message=None):
        self.retry_after = int(retry_after)
        super().__init__(
            429,
            message or _("Too many requests. Please wait a while and try again."),
            code="rate_limited",
            headers={"Retry-After": str(self.retry_after)},
        )


def errors(*statuses):
    """``response={200: Out, **errors(409, 429)}``: the operation may answer these errors."""
    return dict.fromkeys(statuses, ErrorOut)


def error_body(status, detail, *, code=None, errors=None):
    body = {"detail": str(detail), "code": code or STATUS_CODES.get(status, "error")}
    if errors is not None:
        body["errors"] = errors
    return body


class NulCharacter(ValueError):
    """Text with a NUL character: PostgreSQL cannot store it, no person types it."""


def _reject_nul(value):
    if isinstance(value, str):
        if "\x00" in value:
            raise NulCharacter
    elif isinstance(value, dict):
        for key, item in value.items():
            _reject_nul(key)
            _reject_nul(item)
    elif isinstance(value, list):
        for item in value:
            _reject_nul(item)


def nul_error():
    return ApiError(422, _("Text may not contain NUL characters."), code="invalid")


class Utf8JsonParser(Parser):
    """JSON bodies are UTF-8 (RFC 8259 section 8.1), whatever else a client declares, and
    text anywhere in the input has no NUL character.

    Python's ``json.loads`` would guess UTF-16 or UTF-32 from the bytes and ignore the
    declared charset; a body that is not UTF-8, or that declares another charset, is refused
    (ninja answers 400, see ``config.api``). A NUL character is a 422. Query strings and
    addresses with NUL never get here (``core.middleware.RejectNulMiddleware``).
    """

    def parse_body(self, request):
        charset = request.content_params.get("charset", "utf-8").strip().lower()
        if charset not in ("utf-8", "utf8"):
            raise ValueError(f"JSON must be UTF-8, not {charset}")
        data = json.loads(request.body.decode("utf-8"))
        _reject_nul(data)
        return data

    def parse_querydict(self, data, list_fields, request):
        for key, values in data.lists():
            _reject_nul(key)
            _reject_nul([v for v in values if isinstance(v, str)])
        return super().parse_querydict(data, list_fields, request)


class PageLinks(Schema):
    count: int
    next: str | None = Field(..., description="Absolute URL of the next page, or null")
    previous: str | None = Field(..., description="Absolute URL of the previous page, or null")


def page_links(request, *, page, has_next):
    """``next`` and ``previous`` for ``page`` of the request's own URL (other parameters kept)."""

    def url(number):
        query = request.GET.copy()
        query["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "next": url(page + 1) if has_next else None,
        "previous": url(page - 1) if page > 1 else None,
    }


def page_of(request, items, *, page, per_page):
    """One page of a queryset or list: ``(rows, {"count", "next", "previous"})``.

    A page past the end is empty (``previous`` still points back); ``page`` starts at 1.
    """
    count = items.count() if hasattr(items, "count") and not isinstance(items, list) else len(items)
    start = (page - 1) * per_page
    rows = list(items[start : start + per_page]) if start < count else []
    return rows, {
        "count": count,
        **page_links(request, page=page, has_next=start + per_page < count),
    }
