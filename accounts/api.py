from datetime import datetime

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from .models import ApiToken


class BearerTokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


class VerifiedSessionAuth(SessionAuth):
    """The browser's login session (ninja checks CSRF on unsafe methods)."""


# Operations that need a user accept either a session or a token.
session_or_token = [VerifiedSessionAuth(), BearerTokenAuth()]

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
