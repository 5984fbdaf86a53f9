"""``record(request, action, target, ...)``: one line in the append-only audit log."""

from .models import AuditEvent


def client_ip(request):
    return (request.META.get("REMOTE_ADDR") or None) if request is not None else None


def record(request, action, target, *, office=None, detail="", actor=None):
    user = actor if actor is not None else getattr(request, "user", None)
    return AuditEvent.objects.create(
        actor=user if user is not None and user.is_authenticated else None,
        office=office,
        action=action,
        target=str(target)[:200],
        detail=str(detail)[:500],
        ip_address=client_ip(request),
    )
