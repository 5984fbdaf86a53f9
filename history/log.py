"""The history spine: one way to record what happened (STYLE.md 12b).

``record(obj, action, *, actor=None, office=None, **detail)`` writes, in one transaction:

- the domain's own history row, when ``obj`` keeps one: a model with ``LogMixin``
  (``QueueTicket``/``Visit``/``Device`` → ``VisitEvent``, ``Complaint`` →
  ``ComplaintEvent``, ``Publication`` → ``PublicationEvent``, ``SoftcopyRequest`` →
  ``RequestEvent``, ``SurveySettings`` → ``SurveySettingsChange``; ``ServiceStandard``
  keeps its versions instead), and
- the central audit line (``history.AuditEvent``): who, office, kind, target, detail and
  the address of the request being served (``history.context``), never personal data.

Models call it through the mixin, inside the transaction of their change::

    ticket.log(EventAction.TICKET_CALLED, actor=officer, counter=counter.number)

A change of a record reaches the central log only when its actor is an officer of the
office: what visitors, kiosks and background jobs do stays in the domain's history.

Anything else is a line of its own, about access or settings without a history table of
their own: ``obj`` is then the line's target (text), ``action`` its ``AuditAction`` and
``detail`` its text; such a line is always written::

    record(f"visit {visit.pk}", AuditAction.REVEAL, actor=request.user, office=office,
           detail="guest-book contact")
"""

import dataclasses

from django.db import transaction

from .choices import AuditAction
from .context import client_ip, current_request
from .models import AuditEvent


@dataclasses.dataclass
class Entry:
    """What one recorded change leaves: the domain's row (or None) and the audit line's words."""

    row: object
    target: str
    text: str
    kind: str = AuditAction.STATE


class LogMixin:
    """For models whose changes are recorded: ``obj.log(action, actor=..., **detail)``.

    A model overrides ``history_entry`` to write its own history row (and to word the
    audit line); the default keeps no row and writes ``action`` on ``app.Model pk``.
    """

    audit_kind = AuditAction.STATE

    def log(self, action, *, actor=None, **detail):
        return record(self, action, actor=actor, **detail)

    def history_entry(self, action, *, actor, **detail):
        return Entry(None, label(self), str(action), self.audit_kind)


def record(obj, action, *, actor=None, office=None, **detail):
    """Record ``action`` on ``obj``; return the domain's history row (or the audit line)."""
    if isinstance(obj, LogMixin):
        office = office if office is not None else getattr(obj, "office_id", None)
        with transaction.atomic():
            entry = obj.history_entry(action, actor=actor, **detail)
            if is_officer(actor, office):
                _write_line(actor, office, entry.kind, entry.target, entry.text)
        return entry.row
    return _write_line(actor, office, action, obj, detail.pop("detail", ""))


def _write_line(actor, office, kind, target, text):
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        office_id=getattr(office, "pk", office),
        action=kind,
        target=str(target)[:200],
        detail=str(text)[:500],
        ip_address=client_ip(),
    )


def is_officer(actor, office):
    """Whether ``actor`` is an officer or supervisor of ``office`` (an office or its id)."""
    office_id = getattr(office, "pk", office)
    if actor is None or office_id is None or not actor.is_authenticated:
        return False
    request = current_request()
    checked = getattr(request, "office", None)
    if checked is not None and checked.pk == office_id and request.user == actor:
        return True  # office_required has checked the role for this request
    return actor.is_superuser or actor.memberships.filter(office_id=office_id).exists()


def label(obj, identifier=None):
    """``"<app.Model> <identifier>"``: the target of a line, without personal data."""
    return f"{obj._meta.label} {identifier if identifier is not None else obj.pk}"


def change_text(old, new):
    """``"old → new"`` for an audit line (just ``new`` when nothing changed)."""
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
    if isinstance(value, list | tuple | set) or hasattr(value, "all"):
        items = value.all() if hasattr(value, "all") else value
        return ", ".join(sorted(str(getattr(v, "pk", v)) for v in items)) or "—"
    return str(getattr(value, "pk", value))
