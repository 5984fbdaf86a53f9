"""One line in the append-only audit log: who did what, when and from where.

``record(request, action, target, ...)`` is for views that hold the request.
``record_change(actor, office, target, detail)`` is for model methods and services:
it writes a line only when the actor is an officer of the office (visitors, kiosks
and background jobs without an officer are not audited centrally; each domain's own
history keeps them), and takes the address from the request being served, if any.

``AuditContextMiddleware`` puts the request being served in a context variable so
code without the request can name its actor and address; commands and workers have
none, so their lines carry no address.
"""

import contextvars

from .choices import AuditAction
from .models import AuditEvent

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


def client_ip(request):
    return (request.META.get("REMOTE_ADDR") or None) if request is not None else None


def label(obj, identifier=None):
    """``"<app.Model> <identifier>"``: the target of a line, without personal data."""
    return f"{obj._meta.label} {identifier if identifier is not None else obj.pk}"


def record(request, action, target, *, office=None, detail="", actor=None):
    if request is None:
        request = _request.get()
    user = actor if actor is not None else getattr(request, "user", None)
    return AuditEvent.objects.create(
        actor=user if user is not None and user.is_authenticated else None,
        office_id=getattr(office, "pk", office),
        action=action,
        target=str(target)[:200],
        detail=str(detail)[:500],
        ip_address=client_ip(request),
    )


def is_officer(actor, office):
    """Whether ``actor`` is an officer or supervisor of ``office`` (an office or its id)."""
    office_id = getattr(office, "pk", office)
    if actor is None or office_id is None or not actor.is_authenticated:
        return False
    request = _request.get()
    checked = getattr(request, "office", None)
    if checked is not None and checked.pk == office_id and request.user == actor:
        return True  # office_required has checked the role for this request
    return actor.is_superuser or actor.memberships.filter(office_id=office_id).exists()


def record_change(actor, office, target, detail, *, action=AuditAction.STATE):
    """A line for an officer's change of state or settings; None for anyone else.

    ``office`` may be an office or its id (so callers need not load it).
    """
    if not is_officer(actor, office):
        return None
    return record(None, action, target, office=office, detail=detail, actor=actor)


def transition(old, new):
    return f"{old} → {new}" if old != new else str(new)


def changes(form, *, hidden=()):
    """Which fields a settings form changed: ``name: old → new`` (only the name for ``hidden``)."""
    parts = []
    for name in form.changed_data:
        if name in hidden:
            parts.append(name)
        else:
            old = form.initial.get(name, form.fields[name].initial)
            parts.append(f"{name}: {_plain(old)} → {_plain(form.cleaned_data.get(name))}")
    return "; ".join(parts)


def _plain(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, (list, tuple, set)) or hasattr(value, "all"):
        items = value.all() if hasattr(value, "all") else value
        return ", ".join(sorted(str(getattr(v, "pk", v)) for v in items)) or "—"
    return str(getattr(value, "pk", value))
