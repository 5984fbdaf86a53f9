"""Channels, directions and states of the messages that travel (e-mail, WhatsApp, Instagram)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Medium(models.TextChoices):
    """Where a message travels. Instagram lands in the register as "social media"."""

    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", _("WhatsApp")
    INSTAGRAM = "instagram", _("Instagram")


class Route(models.TextChoices):
    """Where a new conversation (one that is not a reply) goes."""

    COMPLAINT = "complaint", _("The complaint register")
    INBOX = "inbox", _("The message inbox")


class MailSecurity(models.TextChoices):
    SSL = "ssl", _("TLS (IMAPS, usually port 993)")
    STARTTLS = "starttls", _("STARTTLS (usually port 143)")
    NONE = "none", _("None (only on the same machine or a private network)")


class SmtpSecurity(models.TextChoices):
    SSL = "ssl", _("TLS (SMTPS, usually port 465)")
    STARTTLS = "starttls", _("STARTTLS (usually port 587)")
    NONE = "none", _("None (only on the same machine or a private network)")


class Direction(models.TextChoices):
    IN = "in", _("Received")
    OUT = "out", _("Sent")


class MessageState(models.TextChoices):
    # Inbound
    RECEIVED = "received", pgettext_lazy("message state", "Received")
    # Outbound, in order; a later state never goes back to an earlier one.
    QUEUED = "queued", pgettext_lazy("message state", "Waiting to be sent")
    RETRYING = "retrying", pgettext_lazy("message state", "Sending failed, will retry")
    SENT = "sent", pgettext_lazy("message state", "Sent")
    DELIVERED = "delivered", pgettext_lazy("message state", "Delivered")
    READ = "read", pgettext_lazy("message state", "Read")
    FAILED = "failed", pgettext_lazy("message state", "Not delivered")
    # The development sender: nothing left the server.
    NOT_SENT = "not_sent", pgettext_lazy("message state", "Not sent (development)")


# The order of delivery states: a status webhook never moves a message backwards
# (``delivered`` arriving after ``read`` changes nothing).
STATE_RANK = {
    MessageState.QUEUED: 0,
    MessageState.RETRYING: 0,
    MessageState.SENT: 1,
    MessageState.DELIVERED: 2,
    MessageState.READ: 3,
}
PENDING_STATES = (MessageState.QUEUED, MessageState.RETRYING)
PROBLEM_STATES = (MessageState.FAILED, MessageState.NOT_SENT)


class ConversationStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("conversation status", "Open")
    CLOSED = "closed", pgettext_lazy("conversation status", "Closed")


class InboundState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("inbound state", "Waiting to be processed")
    PROCESSED = "processed", pgettext_lazy("inbound state", "Processed")
    IGNORED = "ignored", pgettext_lazy("inbound state", "Recognised and set aside")
    REJECTED = "rejected", pgettext_lazy("inbound state", "Refused")
    FAILED = "failed", pgettext_lazy("inbound state", "Processing failed")


class InboundKind(models.TextChoices):
    """What an inbound message turned out to be."""

    COMPLAINT = "complaint", _("New complaint")
    REPLY = "reply", _("Reply on a complaint")
    INBOX = "inbox", _("Message in the inbox")
    BOUNCE = "bounce", _("Delivery failure report (bounce)")
    AUTO_REPLY = "auto_reply", _("Automatic reply")
    LIST = "list", _("Mailing-list or bulk mail")
    ECHO = "echo", _("Our own message (echo)")
    STATUS = "status", _("Delivery status")
    UNKNOWN_NUMBER = "unknown_number", _("For a number or account no office uses")
    TOO_LARGE = "too_large", _("Too large")
    MALFORMED = "malformed", _("Unreadable")
    EMPTY = "empty", _("Without text or attachments")


class NoticeKind(models.TextChoices):
    """Notices sent to people who opted in to WhatsApp (each with an e-mail fallback)."""

    TICKET_NEAR = "ticket_near", _("Queue ticket near the front")
    SOFTCOPY_DELIVERED = "softcopy_delivered", _("Softcopy delivered")
    COMPLAINT_UPDATE = "complaint_update", _("Complaint update")
    SURVEY_INVITATION = "survey_invitation", _("Survey invitation")
    MESSAGE_REPLY = "message_reply", _("Reply to a message")


# How many tickets ahead when the "near the front" notice goes ("3 nomor lagi").
TICKET_NEAR_AHEAD = 3
