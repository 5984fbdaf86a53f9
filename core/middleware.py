"""Attach the request's user and office to every log line written while it runs."""

import contextvars
import logging

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
