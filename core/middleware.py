"""Attach the request's user and office to every log line written while it runs."""

import contextvars
import logging

from django.conf import settings
from django.utils import translation

_user = contextvars.ContextVar("log_user", default="-")
_office = contextvars.ContextVar("log_office", default="-")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        user_token = _user.set(str(user.pk) if user is not None and user.is_authenticated else "-")
        office_token = _office.set("-")
        try:
            return self.get_response(request)
        finally:
            _user.reset(user_token)
            _office.reset(office_token)


def set_log_office(code):
    """Called by views that resolve an office, so later log lines name it."""
    _office.set(code or "-")


class RequestContextFilter(logging.Filter):
    def filter(self, record):
        record.user = _user.get()
        record.office = _office.get()
        return True


class LanguageMiddleware:
    """Indonesian first: the language is the visitor's explicit choice, else Indonesian.

    Replaces Django's LocaleMiddleware, which would follow the browser's
    Accept-Language and show English to most visitors whose browser is set to
    English. Order of choice: the language cookie (set by the switch), the
    signed-in user's preferred language, then LANGUAGE_CODE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supported = {code for code, _name in settings.LANGUAGES}
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in supported:
            user = getattr(request, "user", None)
            preferred = getattr(user, "preferred_language", None) if user else None
            language = preferred if preferred in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
