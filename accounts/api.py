"""Authentication of the JSON API, ``POST /auth/token`` and ``GET /me``.

A request with an ``Authorization`` header is judged by that header alone
(:class:`BearerTokenAuth`); otherwise by the login session, with CSRF on unsafe methods
(:class:`VerifiedSessionAuth`). A token acts as its owner with the owner's current roles;
a read-only token is refused (403 ``read_only_token``) on every unsafe method.
"""

import hashlib
from datetime import datetime

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf
from pydantic import StrictInt

from core.api import ApiError, RateLimited, errors
from core.ratelimit import client_ip, hit

from .choices import TokenScope
from .models import ApiToken

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer pst_…``: a person's API token, judged alone.

    A request that carries an ``Authorization`` header is judged by it and nothing
    else: a valid token authenticates without CSRF (no cookie is involved), anything
    else in the header is a 401, even when a login session cookie comes along.
    Subclasses accept other kinds of bearer keys (a device's ``dev_…``) by
    overriding :meth:`authenticate`.
    """

    openapi_scheme = "bearer"
    openapi_description = (
        "An API token (pst_…) from the account's Token API page or POST /api/v1/auth/token, "
        "or a registered kiosk's key (dev_…). A request with an Authorization header is "
        "judged by the token alone: no cookie, no CSRF token; an invalid, expired or revoked "
        "token is a 401, a read-only token on POST, PUT, PATCH or DELETE a 403."
    )

    def __call__(self, request):
        header = request.headers.get(self.header)
        if header is None:
            return None
        scheme, _space, raw = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise AuthenticationError()
        result = self.authenticate(request, raw.strip())
        if not result:
            raise AuthenticationError()
        return result

    def authenticate(self, request, token):
        api_token = ApiToken.find(token)
        if api_token is None:
            return None
        address = client_ip(request)
        api_token.touch(None if address == "unknown" else address)
        user = api_token.user
        request.user = user
        request.api_token = api_token
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            # A script has no language cookie: answer in its owner's language.
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        if api_token.is_read_only and request.method not in SAFE_METHODS:
            raise ApiError(
                403,
                _("This API token is read-only: use a token with full access to make changes."),
                code="read_only_token",
            )
        return user


class VerifiedSessionAuth(SessionAuth):
    """The browser's login session, with Django's CSRF check on unsafe methods.

    Only consulted when the request has no ``Authorization`` header (see
    :class:`BearerTokenAuth`). An anonymous request gets a 401, not a CSRF 403.
    """

    openapi_description = (
        "The browser's login session cookie; unsafe methods (POST, PUT, PATCH, DELETE) "
        "also need the CSRF token in the X-CSRFToken header. Used only when the request "
        "has no Authorization header."
    )

    def __call__(self, request):
        if BearerTokenAuth.header in request.headers:
            return None
        if not request.user.is_authenticated:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if request.method not in SAFE_METHODS and not exempt and check_csrf(request) is not None:
            raise ApiError(
                403,
                _(
                    "The CSRF check failed: send the X-CSRFToken header with the "
                    "csrftoken cookie, or use an API token."
                ),
                code="csrf_failed",
            )
        return request.user


# Operations that need a user accept a bearer token or a session; the token goes first
# so that a request carrying one never meets the session's CSRF check.
session_or_token = [BearerTokenAuth(), VerifiedSessionAuth()]

router = Router(tags=["auth"])

# Attempts on POST /auth/token are counted in windows of this many seconds.
TOKEN_LIMIT_WINDOW = 15 * 60


class TokenIn(Schema):
    email: str = Field(..., max_length=254)
    password: str = Field(..., max_length=4096)
    name: str = Field("api", max_length=100, description="A label to recognise the token by")
    scope: TokenScope = Field(
        TokenScope.FULL, description="read: GET only; full: everything the account may do"
    )
    days: StrictInt | None = Field(
        None,
        ge=1,
        le=settings.API_TOKEN_MAX_DAYS,
        description="Lifetime in days: API_TOKEN_DAYS (90) unless given, at most "
        "API_TOKEN_MAX_DAYS (365)",
    )


class TokenOut(Schema):
    token: str
    name: str
    scope: TokenScope
    expires_at: datetime


class MeOut(Schema):
    email: str
    full_name: str
    email_verified: bool
    roles: dict[str, str]
    token_scope: TokenScope | None = Field(
        ..., description="The scope of the token used, or null for a browser session"
    )


def _limit_token_attempts(request, email):
    """Per client address and per account (the e-mail is hashed: it is not in the cache)."""
    account = hashlib.sha256(email.encode()).hexdigest()[:32]
    for scope, key, limit in (
        ("api-token-address", client_ip(request), settings.API_TOKEN_ATTEMPTS_PER_ADDRESS),
        ("api-token-account", account, settings.API_TOKEN_ATTEMPTS_PER_ACCOUNT),
    ):
        retry_after = hit(scope, key, limit, TOKEN_LIMIT_WINDOW)
        if retry_after is not None:
            raise RateLimited(retry_after)


@router.post(
    "/auth/token",
    response={200: TokenOut, **errors(401, 403, 422, 429)},
    auth=None,
    url_name="auth-token",
)
def create_token(request, payload: TokenIn):
    """Exchange an e-mail and password for a bearer token (for scripts and integrations).

    Only accounts with a verified e-mail get tokens. Attempts are limited per client
    address and per account (429 with ``Retry-After``); failed attempts also count
    towards the login page's lockout (then 429 too).
    """
    email = payload.email.strip().lower()
    _limit_token_attempts(request, email)
    if payload.days is not None and payload.days > settings.API_TOKEN_MAX_DAYS:
        raise ApiError(
            422,
            _("A token may last at most %(days)d days.") % {"days": settings.API_TOKEN_MAX_DAYS},
        )
    user = authenticate(request, email=email, password=payload.password)
    if user is None and getattr(request, "axes_locked_out", False):
        raise RateLimited(
            int(settings.AXES_COOLOFF_TIME * 3600),
            _("Too many failed attempts: this account is locked for a while."),
        )
    if user is None or not user.is_active:
        raise ApiError(
            401,
            _("The e-mail address or password is wrong, or the account is locked."),
            code="invalid_credentials",
        )
    if not user.has_verified_email:
        raise ApiError(
            403,
            _("Confirm your e-mail address before you create API tokens."),
            code="email_not_verified",
        )
    token, raw = ApiToken.issue(
        user,
        name=payload.name.strip()[:100] or "api",
        days=payload.days,
        scope=payload.scope,
    )
    return {"token": raw, "name": token.name, "scope": token.scope, "expires_at": token.expires_at}


@router.get("/me", response=MeOut, auth=session_or_token, url_name="me")
def me(request):
    """The authenticated user, whether their e-mail is verified, and their roles per office."""
    user = request.auth
    memberships = user.memberships.select_related("office")
    api_token = getattr(request, "api_token", None)
    return {
        "email": user.email,
        "full_name": user.full_name,
        "email_verified": user.has_verified_email,
        "roles": {m.office.code: m.role for m in memberships},
        "token_scope": api_token.scope if api_token else None,
    }
