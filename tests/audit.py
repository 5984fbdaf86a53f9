"""Helpers for tests of the central audit log: the lines written after a mark."""

from history.models import AuditEvent


def mark():
    """The id of the newest audit line so far (0 when there is none)."""
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def lines_since(start):
    return list(AuditEvent.objects.filter(pk__gt=start).order_by("pk"))


def summary(line):
    return (
        line.actor,
        line.office,
        line.action,
        line.target,
        line.detail,
        line.ip_address,
    )
