"""E-mail to the requester on the changes that matter to them, kept until sent.

Each message is a ``Notification`` row written in the same transaction as the status
change; after commit the worker sends it (``send_notification``). A send that fails
stays in the table and ``manage.py send_pending_notifications`` tries again, so a
failure never loses the message nor undoes the change. The message is rendered in
the user's language and links into the app; the file itself is never attached.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from accounts.hooks import offer_notice

from .choices import NotificationState
from .models import Notification

logger = logging.getLogger(__name__)

# Events the user is told about.
USER_EVENTS = ("received", "delivered", "rejected")
MAX_ATTEMPTS = 8


def notify_user(softcopy_request, event):
    assert event in USER_EVENTS, event
    user = softcopy_request.user
    if not user.email:
        return None
    context = {
        "request_obj": softcopy_request,
        "event": event,
        "user": user,
        "office": softcopy_request.office,
        "url": settings.SITE_URL + softcopy_request.get_absolute_url(),
    }
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = render_to_string("softcopies/email/user_subject.txt", context)
        body = render_to_string("softcopies/email/user.txt", context)
    # A user who opted in to WhatsApp notices gets the delivery there (channels app), with
    # this e-mail as the fallback when WhatsApp cannot deliver it.
    if event == "delivered" and any(
        offer_notice(
            user=user,
            office=softcopy_request.office,
            kind="softcopy_delivered",
            subject=" ".join(subject.split()),
            body=body,
            url=context["url"],
            reference=softcopy_request.number,
        )
    ):
        return None
    notification = Notification.objects.create(
        request=softcopy_request, to=user.email, subject=" ".join(subject.split()), body=body
    )
    transaction.on_commit(lambda: send_notification.enqueue(notification_id=notification.pk))
    return notification


@task()
def send_notification(*, notification_id):
    """Send one softcopy notification; a failure stays recorded for the retry command."""
    return deliver(notification_id)


def deliver(notification_id):
    """Try to send one notification once; True when it is (or already was) sent."""
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None or notification.state == NotificationState.SENT:
        return True
    if notification.attempts >= MAX_ATTEMPTS:
        return False
    # Claim this attempt (two senders never both send the same attempt).
    claimed = Notification.objects.filter(
        pk=notification.pk, attempts=notification.attempts
    ).update(attempts=F("attempts") + 1)
    if not claimed:
        return False
    try:
        EmailMessage(
            subject=notification.subject, body=notification.body, to=[notification.to]
        ).send()
    except Exception as exc:  # any transport failure: keep the row for the retry
        logger.warning(
            "softcopies: e-mail %s to %s failed: %s", notification.pk, notification.to, exc
        )
        Notification.objects.filter(pk=notification.pk).update(
            state=NotificationState.FAILED, last_error=str(exc)[:300]
        )
        return False
    Notification.objects.filter(pk=notification.pk).update(
        state=NotificationState.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def retry_pending(*, older_than_seconds=60):
    """Send what is still unsent (failed, or pending longer than a worker needs)."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    unsent = Notification.objects.exclude(state=NotificationState.SENT).filter(
        attempts__lt=MAX_ATTEMPTS
    )
    pending = unsent.filter(state=NotificationState.FAILED) | unsent.filter(
        state=NotificationState.PENDING, created_at__lte=cutoff
    )
    sent = failed = 0
    for pk in pending.order_by("created_at").values_list("pk", flat=True)[:500]:
        if deliver(pk):
            sent += 1
        else:
            failed += 1
    return sent, failed
