from datetime import datetime

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

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
        "An API token from POST /api/v1/auth/token (or a registered device's key). "
        "A request with an Authorization header is judged by the token alone: no cookie, "
        "no CSRF token; an invalid, expired or revoked token is a 401."
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
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
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
            raise HttpError(
                403,
                _(
                    "The CSRF check failed: send the X-CSRFToken header with the "
                    "csrftoken cookie, or use an API token."
                ),
            )
        return request.user


# Operations that need a user accept a bearer token or a session; the token goes first
# so that a request carrying one never meets the session's CSRF check.
session_or_token = [BearerTokenAuth(), VerifiedSessionAuth()]

router = Router(tags=["auth"])


class TokenIn(Schema):
    email: str
    password: str
    name: str = "api"


class TokenOut(Schema):
    token: str
    expires_at: datetime


class DetailOut(Schema):
    detail: str


class MeOut(Schema):
    email: str
    full_name: str
    email_verified: bool
    roles: dict[str, str]


@router.post(
    "/auth/token", response={200: TokenOut, 401: DetailOut}, auth=None, url_name="auth-token"
)
def create_token(request, payload: TokenIn):
    """Exchange an e-mail and password for a bearer token (for kiosks and integrations).

    Failed attempts count towards the same lockout as the login page.
    """
    user = authenticate(request, email=payload.email.strip().lower(), password=payload.password)
    if user is None or not user.is_active:
        raise HttpError(
            401, _("The e-mail address or password is wrong, or the account is locked.")
        )
    token, raw = ApiToken.issue(user, name=payload.name[:100] or "api")
    return {"token": raw, "expires_at": token.expires_at}


@router.get("/me", response=MeOut, auth=session_or_token, url_name="me")
def me(request):
    """The authenticated user, whether their e-mail is verified, and their roles per office."""
    user = request.auth
    memberships = user.memberships.select_related("office")
    return {
        "email": user.email,
        "full_name": user.full_name,
        "email_verified": user.has_verified_email,
        "roles": {m.office.code: m.role for m in memberships},
    }
