from django.conf import settings
from django.shortcuts import render


def axes_username(request, credentials):
    """The account name django-axes counts failed logins against.

    allauth authenticates with ``email=`` credentials; the login form posts ``login``.
    """
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if not value and request is not None:
        value = request.POST.get("login", "")
    return (value or "").strip().lower()


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out attempt (``AXES_LOCKOUT_CALLABLE``).

    The API has already answered 429 with a JSON body and ``Retry-After``: that answer
    stands. Pages get the lockout page.
    """
    if request.path.startswith("/api/") and original_response is not None:
        return original_response
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=settings.AXES_HTTP_RESPONSE_CODE)
