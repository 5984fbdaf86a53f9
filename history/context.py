"""The request being served, for code that records history without holding it.

``AuditContextMiddleware`` puts the request in a context variable so that a line of the
audit log can name its address (and, for lines about access, its user); commands and
workers have no request, so their lines carry no address.
"""

import contextvars

_request = contextvars.ContextVar("audit_request", default=None)


class AuditContextMiddleware:
    """Must come after AuthenticationMiddleware (it reads ``request.user`` lazily)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def current_request():
    return _request.get()


def client_ip(request=None):
    request = request if request is not None else _request.get()
    return (request.META.get("REMOTE_ADDR") or None) if request is not None else None
