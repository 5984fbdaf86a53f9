"""States and kinds of softcopy requests (STYLE.md 7: readable values, state groups)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("softcopy status", "Received")
    IN_PROGRESS = "in_progress", pgettext_lazy("softcopy status", "In progress")
    DELIVERED = "delivered", pgettext_lazy("softcopy status", "Delivered")
    CLOSED = "closed", pgettext_lazy("softcopy status", "Closed")
    REJECTED = "rejected", pgettext_lazy("softcopy status", "Rejected")
    CANCELLED = "cancelled", pgettext_lazy("softcopy status", "Cancelled")


# Requests an officer still has to work on (the queue's default view, due-date flags).
OPEN_STATES = (Status.RECEIVED, Status.IN_PROGRESS)
# Requests whose file the user can download ("Kiriman saya").
DOWNLOADABLE_STATES = (Status.DELIVERED, Status.CLOSED)

# SoftcopyRequest's transitions (and the download) and the states each may start from.
REQUEST_TRANSITIONS = {
    "assign": OPEN_STATES,
    "start": (Status.RECEIVED,),
    "reject": OPEN_STATES,
    "deliver": OPEN_STATES,
    "cancel": (Status.RECEIVED,),
    # Closed by the first download, or after SOFTCOPY_CLOSE_AFTER_DAYS without one.
    "close": (Status.DELIVERED,),
    "download": DOWNLOADABLE_STATES,
}
# What the requester may do; the rest is the officers'.
REQUESTER_ACTIONS = ("cancel", "download")
OFFICER_ACTIONS = ("assign", "start", "reject", "deliver")


class Kind(models.TextChoices):
    SOFTCOPY = "softcopy", _("Softcopy request")
    SCAN = "scan", _("Scan on site")


class Channel(models.TextChoices):
    ONLINE = "online", pgettext_lazy("softcopy channel", "Online")
    ON_SITE = "on_site", _("On site")


class FileFormat(models.TextChoices):
    PDF = "pdf", "PDF"


class Source(models.TextChoices):
    """Where the delivered file came from."""

    WHOLE = "whole", _("The catalogue PDF")
    PAGES = "pages", _("Pages of the catalogue PDF")
    UPLOAD = "upload", _("Uploaded scan")


class Action(models.TextChoices):
    CREATED = "created", _("Request received")
    ASSIGNED = "assigned", _("Assigned")
    STARTED = "started", _("Work started")
    DELIVERED = "delivered", _("File sent")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled by the user")


# History actions the user sees (assignments are internal).
PUBLIC_ACTIONS = (
    Action.CREATED,
    Action.STARTED,
    Action.DELIVERED,
    Action.CLOSED,
    Action.REJECTED,
    Action.CANCELLED,
)


class NotificationState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
