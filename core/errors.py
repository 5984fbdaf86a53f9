"""One domain error (STYLE.md 6): every refused step raises ``DomainError``.

``message`` is for the person who tried (translated), ``code`` for machines (the API
answers ``{"detail": message, "code": code}``). ``status`` is the HTTP status the API
answers with: 409 (the record's state does not allow it) unless the raiser says
otherwise (400/422 for bad input, 403/404 for access). Views turn it into a message
with ``core.views.run``; ``config.api`` has the one API handler.
"""


class DomainError(Exception):
    status = 409
    code = "not_allowed"

    def __init__(self, message, code=None, *, status=None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status

    def __str__(self):
        return str(self.message)
