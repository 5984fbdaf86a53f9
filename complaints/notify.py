"""Messages to complainants (e-mail and WhatsApp) and to officers (e-mail), sent after commit.

The complainant is written to in the language they used; officers in their preferred
language. Messages to officers name the complaint by its tracking code only, never
the complainant.

WhatsApp goes through a pluggable sender: ``COMPLAINT_WHATSAPP_SENDER`` is the dotted
path of a callable ``sender(*, to, body)``. The default, ``log_whatsapp_message``,
only logs (with the number masked), so nothing is sent until an office connects its
WhatsApp Business gateway.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.tasks import enqueue_email

from .tasks import send_whatsapp

logger = logging.getLogger(__name__)

# What the complainant is told, per event.
COMPLAINANT_EVENTS = ("received", "verified", "on_hold", "not_ours", "answered", "closed")
OFFICER_EVENTS = ("assigned", "reminder", "escalation")


def mask_number(number):
    digits = "".join(ch for ch in number if ch.isdigit())
    return "*" * max(len(digits) - 4, 0) + digits[-4:]


def log_whatsapp_message(*, to, body):
    """The default WhatsApp sender: nothing leaves the server, the message is logged."""
    logger.info("WhatsApp message not sent (no sender configured) to %s: %s", mask_number(to), body)


def _render(template, context, language):
    with translation.override(language):
        subject = render_to_string(f"complaints/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"complaints/email/{template}.txt", context)
    return " ".join(subject.split()), body


def notify_complainant(complaint, event, *, text=""):
    """Tell the complainant (if they left a contact) what happened; ``text`` is a public message."""
    assert event in COMPLAINANT_EVENTS, event
    if not complaint.has_contact:
        return
    context = {"complaint": complaint, "event": event, "text": text, "office": complaint.office}
    subject, body = _render("complainant", context, complaint.language)
    if complaint.contact_email:
        enqueue_email(EmailMessage(subject=subject, body=body, to=[complaint.contact_email]))
    if complaint.contact_whatsapp:
        to, message = complaint.contact_whatsapp, f"{subject}\n\n{body}"
        transaction.on_commit(lambda: send_whatsapp.enqueue(to=to, body=message))


def notify_officers(complaint, event, users, *, today=None):
    """E-mail officers (the assignee, or the supervisors on escalation) in their language."""
    assert event in OFFICER_EVENTS, event
    url = settings.SITE_URL + reverse(
        "complaints:complaint-detail", args=[complaint.office.code, complaint.tracking_code]
    )
    for user in users:
        if not user.email or not user.is_active:
            continue
        context = {
            "complaint": complaint,
            "event": event,
            "url": url,
            "user": user,
            "today": today,
            "office": complaint.office,
        }
        subject, body = _render("officer", context, user.preferred_language or "id")
        enqueue_email(EmailMessage(subject=subject, body=body, to=[user.email]))
