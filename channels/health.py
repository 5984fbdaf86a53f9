"""Whether WhatsApp answers can leave: for /healthz and the office's channel settings page."""

from django.conf import settings
from django.utils.translation import gettext as _

from . import meta
from .models import ChannelSettings


def whatsapp_problems(office=None):
    """What keeps WhatsApp messages from leaving (for ``office``, or the installation)."""
    problems = []
    if settings.WHATSAPP_SENDER == "log":
        problems.append(
            _(
                "WHATSAPP_SENDER is 'log': WhatsApp messages are only written to the log "
                "(development). Nobody receives them."
            )
        )
        return problems
    if not meta.app_secrets():
        problems.append(
            _(
                "META_APP_SECRET is not set: incoming WhatsApp and Instagram "
                "messages cannot be checked and are refused."
            )
        )
    rows = ChannelSettings.objects.select_related("office")
    if office is not None:
        rows = rows.filter(office=office)
    configured = [row for row in rows if row.whatsapp_configured]
    if not configured:
        problems.append(
            _(
                "No WhatsApp number is connected: answers to WhatsApp numbers go "
                "nowhere (an e-mail goes instead where there is an address)."
            )
        )
    for row in configured:
        if not meta.whatsapp_token(row.office):
            problems.append(
                _("No access token for the WhatsApp number of %(office)s (WHATSAPP_ACCESS_TOKEN).")
                % {"office": row.office.code}
            )
    return problems


def checks():
    """``/healthz``: "degraded" when WhatsApp answers are configured to go nowhere."""
    if settings.DEBUG and settings.WHATSAPP_SENDER == "log":
        return {"whatsapp": "ok"}
    return {"whatsapp": "degraded" if whatsapp_problems() else "ok"}
