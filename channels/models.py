"""Messages that travel: the office mailbox, the WhatsApp line and Instagram direct messages.

- ``ChannelSettings``: per office, where its mailbox, WhatsApp number and Instagram account
  are and where new conversations go. Passwords and tokens are never stored here: they
  come from the environment (``core.env``: ``NAME`` or ``NAME_FILE``).
- ``Contact``: one address on one medium (an e-mail address, a WhatsApp number, an
  Instagram user), encrypted at rest and found again through a keyed hash.
- ``Conversation``: a thread with a contact, either a complaint's (``complaint`` set) or an
  item of the officers' message inbox.
- ``Message``: one message in either direction, with its delivery state; notices to people
  who opted in are messages without a conversation.
- ``InboundMessage``: the raw message as received (encrypted), kept until processed, and
  the key that makes intake idempotent (Message-ID, wamid, Instagram mid).
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.env import envstr
from core.fields import EncryptedBinaryField, EncryptedCharField, EncryptedEmailField

from .choices import (
    PENDING_STATES,
    PROBLEM_STATES,
    ConversationStatus,
    Direction,
    InboundKind,
    InboundState,
    MailSecurity,
    Medium,
    MessageState,
    NoticeKind,
    Route,
    SmtpSecurity,
)

# WhatsApp's customer-service window (and Instagram's answer window).
WINDOW = datetime.timedelta(hours=24)


def contact_key(medium, address):
    """The keyed hash an address is found by (encrypted columns cannot be searched)."""
    return salted_hmac(
        "channels.contact", f"{medium}:{normalise_address(medium, address)}"
    ).hexdigest()


def normalise_address(medium, address):
    """E-mail lower-cased; a WhatsApp number as digits with the country code (0812… → 62812…)."""
    address = (address or "").strip()
    if medium == Medium.EMAIL:
        return address.lower()
    if medium == Medium.WHATSAPP:
        digits = "".join(ch for ch in address if ch.isdigit())
        if digits.startswith("0"):
            digits = "62" + digits[1:]
        return digits
    return address


class ChannelSettings(models.Model):
    """Where an office's mailbox, WhatsApp number and Instagram account are."""

    office = models.OneToOneField(
        "offices.Office", on_delete=models.CASCADE, related_name="channel_settings"
    )
    # Where new conversations (not replies) go, per medium.
    email_route = models.CharField(
        _("new e-mails go to"), max_length=10, choices=Route.choices, default=Route.COMPLAINT
    )
    whatsapp_route = models.CharField(
        _("new WhatsApp messages go to"),
        max_length=10,
        choices=Route.choices,
        default=Route.COMPLAINT,
    )
    instagram_route = models.CharField(
        _("new Instagram messages go to"),
        max_length=10,
        choices=Route.choices,
        default=Route.COMPLAINT,
    )

    # The office mailbox (IMAP in, SMTP out). The password is MAILBOX_PASSWORD_<code>.
    mail_address = models.EmailField(
        _("office mailbox address"),
        blank=True,
        help_text=_("Answers are sent from this address, e.g. bps3324@bps.go.id."),
    )
    imap_host = models.CharField(_("IMAP server"), max_length=200, blank=True)
    imap_port = models.PositiveIntegerField(_("IMAP port"), default=993)
    imap_security = models.CharField(
        _("IMAP security"), max_length=10, choices=MailSecurity.choices, default=MailSecurity.SSL
    )
    imap_user = models.CharField(_("IMAP user name"), max_length=200, blank=True)
    imap_folder = models.CharField(_("folder to read"), max_length=100, default="INBOX")
    imap_done_folder = models.CharField(
        _("folder for processed messages"),
        max_length=100,
        default="PST-diproses",
        help_text=_("Created when missing. Messages are moved there, never deleted."),
    )
    smtp_host = models.CharField(
        _("SMTP server"),
        max_length=200,
        blank=True,
        help_text=_("Empty: the installation's e-mail server (EMAIL_HOST)."),
    )
    smtp_port = models.PositiveIntegerField(_("SMTP port"), default=587)
    smtp_security = models.CharField(
        _("SMTP security"),
        max_length=10,
        choices=SmtpSecurity.choices,
        default=SmtpSecurity.STARTTLS,
    )
    smtp_user = models.CharField(_("SMTP user name"), max_length=200, blank=True)

    # WhatsApp Business Platform (Cloud API) and Instagram messaging.
    whatsapp_phone_number_id = models.CharField(
        _("WhatsApp phone number ID"),
        max_length=40,
        blank=True,
        help_text=_("From Meta's WhatsApp Manager (not the phone number itself)."),
    )
    whatsapp_display_number = models.CharField(
        _("WhatsApp number shown to the public"), max_length=30, blank=True
    )
    instagram_account_id = models.CharField(
        _("Instagram professional account ID"), max_length=40, blank=True
    )

    # The last mailbox poll, for the officer (a clear state when the mailbox is unreachable).
    last_poll_at = models.DateTimeField(_("last mailbox check"), null=True, blank=True)
    last_poll_ok_at = models.DateTimeField(_("last successful check"), null=True, blank=True)
    last_poll_error = models.CharField(_("last error"), max_length=300, blank=True)
    last_poll_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("channel settings")
        verbose_name_plural = _("channel settings")
        constraints = [
            models.UniqueConstraint(
                fields=["whatsapp_phone_number_id"],
                condition=~models.Q(whatsapp_phone_number_id=""),
                name="unique_whatsapp_phone_number_id",
            ),
            models.UniqueConstraint(
                fields=["instagram_account_id"],
                condition=~models.Q(instagram_account_id=""),
                name="unique_instagram_account_id",
            ),
        ]

    def __str__(self):
        return str(self.office)

    @classmethod
    def for_office(cls, office):
        settings_row, _created = cls.objects.get_or_create(
            office=office, defaults={"mail_address": office.email}
        )
        return settings_row

    def route(self, medium):
        return getattr(self, f"{medium}_route")

    @property
    def password_variable(self):
        return f"MAILBOX_PASSWORD_{self.office.code}"

    @property
    def smtp_password_variable(self):
        return f"MAILBOX_SMTP_PASSWORD_{self.office.code}"

    def imap_password(self):
        return envstr(self.password_variable, "")

    def smtp_password(self):
        return envstr(self.smtp_password_variable, "") or self.imap_password()

    @property
    def mailbox_configured(self):
        return bool(self.imap_host and self.imap_user and self.mail_address)

    @property
    def whatsapp_configured(self):
        return bool(self.whatsapp_phone_number_id)

    @property
    def instagram_configured(self):
        return bool(self.instagram_account_id)


class Contact(models.Model):
    """One address on one medium; the address and name are encrypted at rest."""

    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="+")
    medium = models.CharField(_("medium"), max_length=10, choices=Medium.choices)
    key = models.CharField(max_length=64, editable=False)
    address = EncryptedCharField(_("address"), max_length=254)
    name = EncryptedCharField(_("name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="id"
    )
    # The last message the person sent us: WhatsApp's 24-hour customer-service window.
    last_inbound_at = models.DateTimeField(_("last message from them"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.UniqueConstraint(fields=["office", "medium", "key"], name="unique_contact")
        ]

    def __str__(self):
        return f"{self.get_medium_display()} {self.pk}"

    @classmethod
    def get_or_create_for(cls, office, medium, address, *, name=""):
        address = normalise_address(medium, address)
        contact, created = cls.objects.get_or_create(
            office=office,
            medium=medium,
            key=contact_key(medium, address),
            defaults={"address": address, "name": name[:150]},
        )
        if not created and name and contact.name != name[:150]:
            contact.name = name[:150]
            contact.save(update_fields=["name"])
        return contact

    def window_open(self, now=None):
        """WhatsApp's customer-service window: free text within 24 hours of their last message."""
        if self.last_inbound_at is None:
            return False
        now = now or timezone.now()
        return now - self.last_inbound_at < WINDOW


class ConversationQuerySet(models.QuerySet):
    def inbox(self):
        """Conversations that are not a complaint's thread: the officers' message inbox."""
        return self.filter(complaint__isnull=True)


class Conversation(models.Model):
    """A thread with one contact: a complaint's, or an item of the message inbox."""

    office = models.ForeignKey(
        "offices.Office", on_delete=models.CASCADE, related_name="conversations"
    )
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="conversations")
    medium = models.CharField(
        pgettext_lazy("message", "channel"), max_length=10, choices=Medium.choices
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
        verbose_name=_("complaint"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConversationStatus.choices,
        default=ConversationStatus.OPEN,
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last message"), default=timezone.now)
    closed_at = models.DateTimeField(pgettext_lazy("conversation", "closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ConversationQuerySet.as_manager()

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-id"]
        indexes = [
            # The message inbox: an office's open conversations, newest first.
            models.Index(
                fields=["office", "status", "-last_message_at"], name="conversation_inbox_idx"
            ),
        ]

    def __str__(self):
        return f"{self.get_medium_display()} #{self.pk}"

    def get_absolute_url(self):
        if self.complaint_id:
            return self.complaint.get_absolute_url()
        return reverse("channels:conversation-detail", args=[self.office.code, self.pk])

    @property
    def is_open(self):
        return self.status == ConversationStatus.OPEN

    @property
    def register_channel(self):
        """The complaint register's channel for this medium (Instagram is social media)."""
        return {"email": "email", "whatsapp": "whatsapp", "instagram": "social_media"}[self.medium]


def _attachment_path(instance, filename):
    extension = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}.get(
        instance.content_type, "pdf"
    )
    return f"channels/{instance.message.office.code}/{uuid.uuid4().hex}.{extension}"


class MessageQuerySet(models.QuerySet):
    def problems(self):
        """Outbound messages that did not reach the person (shown to officers)."""
        return self.filter(direction=Direction.OUT, state__in=PROBLEM_STATES)

    def due(self, now=None):
        """Outbound messages waiting for a (re)try whose time has come."""
        now = now or timezone.now()
        return self.filter(direction=Direction.OUT, state__in=PENDING_STATES).filter(
            models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now)
        )


class Message(models.Model):
    """One message in or out, with its delivery state.

    Outbound messages are rendered when they are created (the job that sends them carries
    the id only). A notice (``notice_kind``) has no conversation and may carry an e-mail
    fallback, sent when the WhatsApp message cannot be delivered.
    """

    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="messages")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=MessageState.choices, default=MessageState.QUEUED
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"), blank=True)
    # wamid, Instagram mid, or the e-mail Message-ID (ours for outbound mail).
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    # E-mail threading (RFC 5322 §3.6.4) of an outbound reply.
    in_reply_to = models.CharField(max_length=255, blank=True)
    references = models.TextField(blank=True)
    # WhatsApp: outside the 24-hour window an approved template is sent instead of free text.
    template = models.CharField(max_length=60, blank=True)
    template_params = models.JSONField(default=list, blank=True)
    use_template = models.BooleanField(default=False)
    notice_kind = models.CharField(
        _("notice"), max_length=20, choices=NoticeKind.choices, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(
        pgettext_lazy("message", "delivered"), null=True, blank=True
    )
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error_code = models.CharField(max_length=20, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    # The e-mail sent when this WhatsApp notice cannot be delivered.
    fallback_email = EncryptedEmailField(blank=True)
    fallback_subject = models.CharField(max_length=200, blank=True)
    fallback_body = models.TextField(blank=True)
    fallback_sent_at = models.DateTimeField(_("e-mail fallback sent"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [
            # send_channel_messages: outbound messages waiting for a (re)try.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(state__in=["queued", "retrying"]),
                name="message_due_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_direction_display()} {self.pk}"

    @property
    def medium(self):
        return self.contact.medium

    @property
    def is_problem(self):
        return self.direction == Direction.OUT and self.state in PROBLEM_STATES


class MessageAttachment(models.Model):
    """An image or PDF that came with a message (checked like web attachments)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self):
        return self.original_name


class InboundMessage(models.Model):
    """A message as it arrived, kept (encrypted) until processed; the key of idempotency.

    E-mail is keyed by Message-ID per office (a content hash when it has none), WhatsApp
    by wamid and Instagram by mid: a second copy (a second poller, a replayed webhook)
    hits the unique constraint and is dropped.
    """

    office = models.ForeignKey(
        "offices.Office", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    medium = models.CharField(
        pgettext_lazy("message", "channel"), max_length=10, choices=Medium.choices
    )
    external_id = models.CharField(max_length=255)
    raw = EncryptedBinaryField(editable=False, blank=True, default=b"")
    raw_size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    state = models.CharField(
        _("state"), max_length=10, choices=InboundState.choices, default=InboundState.PENDING
    )
    kind = models.CharField(
        _("what it was"), max_length=20, choices=InboundKind.choices, blank=True
    )
    error = models.CharField(_("error"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Where the e-mail was in the mailbox (RFC 3501: UIDVALIDITY + UID name a message).
    mailbox_uid = models.CharField(max_length=20, blank=True)
    mailbox_uidvalidity = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "external_id"],
                condition=models.Q(medium="email"),
                name="unique_inbound_email",
            ),
            models.UniqueConstraint(
                fields=["medium", "external_id"],
                condition=~models.Q(medium="email"),
                name="unique_inbound_meta",
            ),
        ]
        indexes = [
            # process_pending_inbound: what is still waiting or failed.
            models.Index(
                fields=["received_at"],
                condition=models.Q(state__in=["pending", "failed"]),
                name="inbound_pending_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_medium_display()} {self.external_id[:40]}"


class TicketWatch(models.Model):
    """A signed-in visitor asked to be told on WhatsApp when their ticket is near the front."""

    ticket = models.OneToOneField(
        "visits.QueueTicket", on_delete=models.CASCADE, related_name="watch"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("queue ticket watch")
        verbose_name_plural = _("queue ticket watches")

    def __str__(self):
        return str(self.ticket)
