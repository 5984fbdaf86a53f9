"""Messages to complainants (e-mail and WhatsApp) and to officers (e-mail), sent after commit.

The complainant is written to in the language they used; officers in their preferred
language. Messages to officers name the complaint by its tracking code only, never
the complainant.

A higher app may take over the message to the complainant: the ``channels`` app answers
on the channel the complaint came by (a threaded e-mail from the office mailbox, WhatsApp,
Instagram) and sends WhatsApp messages. It registers a handler for the hook
``complaints.hooks.notify_complainant`` (``core.hooks``) that returns the set of contacts it
took over (``{"email", "whatsapp"}``); what is left goes by e-mail from here. Without
such a handler a WhatsApp number is not written to (logged, number masked).
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.tasks import enqueue_email

from . import hooks

logger = logging.getLogger(__name__)

# What the complainant is told, per event.
COMPLAINANT_EVENTS = ("received", "verified", "on_hold", "not_ours", "answered", "closed")
OFFICER_EVENTS = ("assigned", "reminder", "escalation")


def mask_number(number):
    digits = "".join(ch for ch in number if ch.isdigit())
    return "*" * max(len(digits) - 4, 0) + digits[-4:]


def _render(template, context, language):
    with translation.override(language):
        subject = render_to_string(f"complaints/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"complaints/email/{template}.txt", context)
    return " ".join(subject.split()), body


def notify_complainant(complaint, event, *, text=""):
    """Tell the complainant (if they left a contact) what happened; ``text`` is a public message."""
    assert event in COMPLAINANT_EVENTS, event
    handled = set().union(*hooks.notify_complainant(complaint=complaint, event=event, text=text))
    if not complaint.has_contact:
        return
    if complaint.contact_email and "email" not in handled:
        subject, body = render_for_complainant(complaint, event, text)
        enqueue_email(EmailMessage(subject=subject, body=body, to=[complaint.contact_email]))
    if complaint.contact_whatsapp and "whatsapp" not in handled:
        logger.warning(
            "complaints: no WhatsApp channel installed; %s not told on WhatsApp (%s)",
            complaint.tracking_code,
            mask_number(complaint.contact_whatsapp),
        )


def render_for_complainant(complaint, event, text=""):
    """Subject and text of a message to the complainant, in their language."""
    context = {"complaint": complaint, "event": event, "text": text, "office": complaint.office}
    return _render("complainant", context, complaint.language)


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
