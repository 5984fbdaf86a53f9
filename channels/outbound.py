"""Messages that leave: answers on the channel a conversation came by, and notices.

``queue_message`` writes the rendered message (in the transaction of the change that
caused it) and sends it after commit by a job that carries its id only. ``deliver`` sends
one message once: e-mail by SMTP from the office mailbox, threaded with ``In-Reply-To`` and
``References``; WhatsApp as free text inside the 24-hour customer-service window and as an
approved template outside it (also when Meta answers 131047); Instagram as text. A
failure worth retrying is tried again with backoff (1, 5, 30 minutes, 2 and 6 hours);
a final failure is shown to the officers and, where the message has one, the e-mail
fallback goes instead.
"""

import contextvars
import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import default_task_backend, task

from complaints.notify import mask_number

from . import mail, meta
from .choices import (
    PENDING_STATES,
    STATE_RANK,
    Direction,
    Medium,
    MessageState,
    SmtpSecurity,
)
from .models import ChannelSettings, Message

logger = logging.getLogger(__name__)

BACKOFF_MINUTES = (1, 5, 30, 120, 360)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
# Approved WhatsApp templates (docs/deploy.md lists their text in Indonesian and English).
TEMPLATES = {
    "complaint_update": "pst_complaint_update",
    "message_reply": "pst_message_reply",
    "ticket_near": "pst_ticket_near",
    "softcopy_delivered": "pst_softcopy_ready",
    "survey_invitation": "pst_survey_invitation",
}
TEMPLATE_PARAM_MAX = 900
INSTAGRAM_TEXT_MAX = 1000

# The conversation a message is being taken in for, while intake registers a complaint:
# the acknowledgement then goes on that conversation (see notices.on_complaint_event).
current_conversation = contextvars.ContextVar("channels_current_conversation", default=None)


def flatten(text, limit=TEMPLATE_PARAM_MAX):
    """A template parameter: one line (Meta refuses new lines and tabs), at most ``limit``."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def queue_message(
    *,
    contact,
    body,
    conversation=None,
    subject="",
    author=None,
    template="",
    template_params=(),
    notice_kind="",
    fallback_email="",
    fallback_subject="",
    fallback_body="",
    link="",
):
    """Write an outbound message and send it after commit; returns the message.

    E-mail gets a Message-ID of ours and the thread headers of the conversation;
    Instagram text longer than Instagram allows is cut and ends with ``link``.
    """
    office = contact.office
    message = Message(
        office=office,
        contact=contact,
        conversation=conversation,
        direction=Direction.OUT,
        state=MessageState.QUEUED,
        subject=subject[:200],
        body=body,
        author=author,
        template=TEMPLATES.get(template, template),
        template_params=[flatten(p) for p in template_params],
        notice_kind=notice_kind,
        fallback_email=fallback_email,
        fallback_subject=fallback_subject[:200],
        fallback_body=fallback_body,
    )
    if contact.medium == Medium.EMAIL:
        channel_settings = ChannelSettings.for_office(office)
        domain = (channel_settings.mail_address or settings.DEFAULT_FROM_EMAIL).rpartition("@")[2]
        message.external_id = mail.new_message_id(domain.strip("> ") or "localhost")
        if conversation is not None:
            thread = list(
                conversation.messages.exclude(external_id="")
                .order_by("created_at", "id")
                .values_list("direction", "external_id")
            )
            inbound = [ext for direction, ext in thread if direction == Direction.IN]
            message.in_reply_to = inbound[-1] if inbound else (thread[-1][1] if thread else "")
            message.references = " ".join(ext for _d, ext in thread[-10:])
    elif contact.medium == Medium.INSTAGRAM and len(body) > INSTAGRAM_TEXT_MAX:
        tail = f"… {link}" if link else "…"
        message.body = body[: INSTAGRAM_TEXT_MAX - len(tail)] + tail
    message.save()
    if conversation is not None:
        type(conversation).objects.filter(pk=conversation.pk).update(
            last_message_at=message.created_at
        )
    schedule(message)
    return message


@task()
def send_message(*, message_id):
    """Send one outbound message once; failures are retried with backoff."""
    return deliver(message_id)


def schedule(message, *, at=None):
    """Send ``message`` after commit (at ``at`` when the job backend can wait)."""
    message_id = message.pk

    def enqueue():
        task = send_message
        if at is not None and default_task_backend.supports_defer:
            task = send_message.using(run_after=at)
        elif at is not None:
            return  # send_channel_messages picks it up when it is due
        task.enqueue(message_id=message_id)

    transaction.on_commit(enqueue)


class SendError(Exception):
    def __init__(self, message, *, code="", retryable=False, retry_after=None):
        super().__init__(message)
        self.message = str(message)[:300]
        self.code = code
        self.retryable = retryable
        self.retry_after = retry_after


def deliver(message_id):
    """Try to send one message once; returns its state afterwards (or None if not ours)."""
    message = (
        Message.objects.select_related("contact", "office", "conversation")
        .filter(pk=message_id, direction=Direction.OUT)
        .first()
    )
    if message is None or message.state not in PENDING_STATES:
        return message.state if message else None
    # Claim this attempt: two workers never send the same attempt.
    claimed = Message.objects.filter(
        pk=message.pk, attempts=message.attempts, state__in=PENDING_STATES
    ).update(attempts=F("attempts") + 1)
    if not claimed:
        return None
    message.attempts += 1
    try:
        external_id, state = _send(message)
    except SendError as exc:
        return _failed(message, exc)
    now = timezone.now()
    Message.objects.filter(pk=message.pk).update(
        state=state,
        external_id=external_id or message.external_id,
        sent_at=now if state == MessageState.SENT else None,
        error="",
        error_code="",
        next_attempt_at=None,
    )
    if state == MessageState.NOT_SENT:
        _fallback(message)
    logger.info("channels: message %s %s (%s)", message.pk, state, message.contact.medium)
    return state


def _send(message):
    medium = message.contact.medium
    if medium == Medium.EMAIL:
        return _send_email(message), MessageState.SENT
    if medium == Medium.WHATSAPP:
        return _send_whatsapp(message)
    return _send_instagram(message), MessageState.SENT


def _smtp_connection(channel_settings):
    if not channel_settings.smtp_host:
        return get_connection()
    return get_connection(
        "django.core.mail.backends.smtp.EmailBackend",
        host=channel_settings.smtp_host,
        port=channel_settings.smtp_port,
        username=channel_settings.smtp_user or None,
        password=channel_settings.smtp_password() or None,
        use_tls=channel_settings.smtp_security == SmtpSecurity.STARTTLS,
        use_ssl=channel_settings.smtp_security == SmtpSecurity.SSL,
        timeout=settings.CHANNELS_MAILBOX_TIMEOUT,
        fail_silently=False,
    )


def _send_email(message):
    channel_settings = ChannelSettings.for_office(message.office)
    office = message.office
    sender = channel_settings.mail_address or settings.DEFAULT_FROM_EMAIL
    headers = {"Message-ID": message.external_id, "Auto-Submitted": "no"}
    if message.in_reply_to:
        headers["In-Reply-To"] = message.in_reply_to
    if message.references:
        headers["References"] = message.references
    email_message = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=f"{office.name} <{sender}>" if channel_settings.mail_address else sender,
        to=[message.contact.address],
        headers=headers,
        connection=_smtp_connection(channel_settings),
    )
    try:
        email_message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        raise SendError(
            f"SMTP refused the recipient: {_smtp_codes(exc)}", code="smtp_rcpt"
        ) from exc
    except smtplib.SMTPResponseException as exc:
        raise SendError(
            f"SMTP {exc.smtp_code}", code=f"smtp_{exc.smtp_code}", retryable=exc.smtp_code < 500
        ) from exc
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise SendError(f"SMTP: {type(exc).__name__}", code="smtp", retryable=True) from exc
    return message.external_id


def _smtp_codes(exc):
    return ", ".join(str(code) for code, _text in exc.recipients.values())


def _send_whatsapp(message):
    channel_settings = ChannelSettings.for_office(message.office)
    to = message.contact.address
    if settings.WHATSAPP_SENDER == "log":
        logger.info(
            "channels: WhatsApp message %s not sent (WHATSAPP_SENDER=log) to %s",
            message.pk,
            mask_number(to),
        )
        return "", MessageState.NOT_SENT
    if not channel_settings.whatsapp_phone_number_id:
        raise SendError("this office has no WhatsApp number connected", code="not_configured")
    phone_id = channel_settings.whatsapp_phone_number_id
    use_template = message.use_template or not message.contact.window_open() or not message.body
    try:
        if not use_template:
            try:
                return meta.whatsapp_send_text(
                    message.office, phone_id, to=to, body=message.body
                ), MessageState.SENT
            except meta.MetaError as exc:
                if exc.code != meta.WINDOW_CLOSED_CODE:
                    raise
                use_template = True  # the window closed meanwhile: the template goes
        if not message.template:
            raise SendError(
                "outside the 24-hour window and no approved template for this message",
                code=meta.WINDOW_CLOSED_CODE,
            )
        language = message.contact.language or "id"
        return meta.whatsapp_send_template(
            message.office,
            phone_id,
            to=to,
            name=message.template,
            language=language,
            params=message.template_params,
        ), MessageState.SENT
    except meta.MetaError as exc:
        raise SendError(
            exc.message, code=exc.code, retryable=exc.retryable, retry_after=exc.retry_after
        ) from exc


def _send_instagram(message):
    channel_settings = ChannelSettings.for_office(message.office)
    if not channel_settings.instagram_account_id:
        raise SendError("this office has no Instagram account connected", code="not_configured")
    if not message.contact.window_open():
        raise SendError(
            "Instagram allows answers only within 24 hours of the person's last message",
            code="window",
        )
    try:
        return meta.instagram_send_text(
            message.office,
            channel_settings.instagram_account_id,
            to=message.contact.address,
            body=message.body,
        )
    except meta.MetaError as exc:
        code = "window" if exc.code in meta.INSTAGRAM_WINDOW_CODES else exc.code
        raise SendError(
            exc.message, code=code, retryable=exc.retryable, retry_after=exc.retry_after
        ) from exc


def _failed(message, exc):
    now = timezone.now()
    if exc.retryable and message.attempts < MAX_ATTEMPTS:
        delay = datetime.timedelta(minutes=BACKOFF_MINUTES[message.attempts - 1])
        if exc.retry_after:
            delay = max(delay, datetime.timedelta(seconds=exc.retry_after))
        at = now + delay
        Message.objects.filter(pk=message.pk).update(
            state=MessageState.RETRYING, next_attempt_at=at, error=exc.message, error_code=exc.code
        )
        logger.warning(
            "channels: message %s failed (%s), retry %s at %s",
            message.pk,
            exc.code,
            message.attempts,
            at.isoformat(timespec="seconds"),
        )
        with transaction.atomic():
            schedule(message, at=at)
        return MessageState.RETRYING
    Message.objects.filter(pk=message.pk).update(
        state=MessageState.FAILED, next_attempt_at=None, error=exc.message, error_code=exc.code
    )
    logger.warning("channels: message %s not delivered (%s)", message.pk, exc.code)
    _fallback(message)
    return MessageState.FAILED


def _fallback(message):
    """Send the e-mail fallback of a message that could not go by WhatsApp (once)."""
    message.refresh_from_db(fields=["fallback_sent_at", "fallback_email"])
    if not message.fallback_email or message.fallback_sent_at:
        return False
    claimed = Message.objects.filter(pk=message.pk, fallback_sent_at__isnull=True).update(
        fallback_sent_at=timezone.now()
    )
    if not claimed:
        return False
    try:
        EmailMessage(
            subject=message.fallback_subject,
            body=message.fallback_body,
            to=[message.fallback_email],
        ).send()
    except (smtplib.SMTPException, OSError) as exc:
        Message.objects.filter(pk=message.pk).update(fallback_sent_at=None)
        logger.warning("channels: e-mail fallback of %s failed: %s", message.pk, type(exc).__name__)
        return False
    return True


def retry(message, *, by=None):
    """An officer sends a failed message again (a fresh series of attempts)."""
    Message.objects.filter(pk=message.pk, direction=Direction.OUT).update(
        state=MessageState.QUEUED, attempts=0, next_attempt_at=None, error="", error_code=""
    )
    message.refresh_from_db()
    schedule(message)
    return message


def send_due(*, limit=200):
    """Send what is due: retries whose time has come, and queued messages no job took
    (a worker that died, a job backend that cannot wait). Returns counts per state."""
    cutoff = timezone.now() - datetime.timedelta(minutes=2)
    results = {}
    for message in Message.objects.due().order_by("created_at")[:limit]:
        if message.next_attempt_at is None and message.created_at > cutoff:
            continue  # just queued: its own job sends it
        state = deliver(message.pk)
        results[state] = results.get(state, 0) + 1
    return results


# Delivery statuses (WhatsApp status webhooks) -----------------------------------------------


def record_status(wamid, status, *, at=None, error_code="", error_text=""):
    """Apply a delivery status; statuses are at-least-once and unordered (never backwards)."""
    message = Message.objects.filter(external_id=wamid, direction=Direction.OUT).first()
    if message is None:
        return False
    at = at or timezone.now()
    if status == "failed":
        if message.state != MessageState.FAILED:
            _async_failure(message, str(error_code), error_text)
        return True
    new_state = {
        "sent": MessageState.SENT,
        "delivered": MessageState.DELIVERED,
        "read": MessageState.READ,
    }.get(status)
    if new_state is None:
        return False
    fields = {"delivered": "delivered_at", "read": "read_at", "sent": "sent_at"}
    updates = {}
    if getattr(message, fields[status]) is None:
        updates[fields[status]] = at
    if status == "read" and message.delivered_at is None:
        updates["delivered_at"] = at  # read implies delivered (Meta may send only "read")
    if (
        message.state != MessageState.FAILED
        and STATE_RANK.get(message.state, -1) < STATE_RANK[new_state]
    ):
        updates["state"] = new_state
    if updates:
        Message.objects.filter(pk=message.pk).update(**updates)
    return True


def _async_failure(message, code, text):
    """A message Meta accepted and later could not deliver (a ``failed`` status)."""
    if code == meta.WINDOW_CLOSED_CODE and message.template and not message.use_template:
        # Free text arrived after the window closed: send the approved template instead.
        Message.objects.filter(pk=message.pk).update(
            state=MessageState.QUEUED, use_template=True, attempts=0, error="", error_code=""
        )
        with transaction.atomic():
            schedule(message)
        return
    Message.objects.filter(pk=message.pk).update(
        state=MessageState.FAILED, error=f"{code}: {text}"[:300], error_code=code[:20]
    )
    logger.warning("channels: message %s failed after sending (%s)", message.pk, code)
    _fallback(message)
