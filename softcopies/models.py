"""Softcopy and scan requests: a user asks, an officer fulfils, the file arrives stamped.

State lives in ``SoftcopyRequest.status`` and changes only through its transition methods
(``core.transitions``; ``services.py`` for the flows that also build a file or write to
the user), each writing a ``RequestEvent`` (who, when) through the history spine
(``obj.log``). The delivered file is a
``delivery.DeliveredFile``: every download of it is a ``delivery.DeliveryRecord`` with
its own trace code, like any other copy that leaves the server.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from core.errors import DomainError
from core.transitions import TransitionMixin, transition
from history.log import Entry, LogMixin, label
from offices.time import local_day, local_now, local_time

from .choices import (
    OFFICER_ACTIONS,
    OPEN_STATES,
    PUBLIC_ACTIONS,
    REQUEST_TRANSITIONS,
    REQUESTER_ACTIONS,
    Action,
    Channel,
    FileFormat,
    Kind,
    NotificationState,
    Source,
    Status,
)


class SoftcopyError(DomainError):
    """A request cannot change this way; the message is for the person who tried."""


# Request numbers: "SC-2611-7KQX" (year, month, four characters without look-alikes).
NUMBER_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def new_number(office, moment=None):
    moment = local_now(office) if moment is None else local_time(office, moment)
    suffix = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(4))
    return f"SC-{moment:%y%m}-{suffix}"


class SoftcopyRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATES)

    def overdue(self, today):
        """Open requests past their due date (``today`` in the office's time zone)."""
        return self.open().filter(due_date__lt=today)

    def for_queue(self):
        return self.select_related("user", "publication", "assignee", "office")


class SoftcopyRequest(TransitionMixin, LogMixin, models.Model):
    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="softcopy_requests"
    )
    number = models.CharField(_("request number"), max_length=12, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SOFTCOPY)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="softcopy_requests",
        verbose_name=_("requested by"),
    )
    publication = models.ForeignKey(
        "catalog.Publication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="softcopy_requests",
        verbose_name=_("publication"),
    )
    description = models.TextField(_("description of the material"), blank=True)
    pages = models.CharField(_("pages or sections wanted"), max_length=200, blank=True)
    file_format = models.CharField(
        _("format"), max_length=5, choices=FileFormat.choices, default=FileFormat.PDF
    )
    purpose = models.TextField(_("purpose of use"))
    # The walk-in visit during which an officer took the request (one visit, one record).
    visit = models.ForeignKey(
        "visits.Visit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="softcopy_requests",
        verbose_name=_("visit"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken by"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    due_date = models.DateField(_("due date"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = SoftcopyRequestQuerySet.as_manager()

    transitions = REQUEST_TRANSITIONS
    error_class = SoftcopyError

    class Meta:
        verbose_name = _("softcopy request")
        verbose_name_plural = _("softcopy requests")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(publication__isnull=False) | ~models.Q(description=""),
                name="softcopy_request_has_subject",
            ),
        ]
        indexes = [
            # The officer's work queue (views.office.queue) and the overdue flags.
            models.Index(fields=["office", "status", "due_date"], name="softcopy_queue_idx"),
            # "Kiriman saya" (views.public.request_list).
            models.Index(fields=["user", "created_at"], name="softcopy_user_idx"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("softcopies:request-detail", args=[self.number])

    def get_office_url(self):
        return reverse("softcopies:office-detail", args=[self.office.code, self.number])

    @property
    def subject(self):
        """What was asked for, in a line."""
        if self.publication_id is not None:
            return self.publication.title
        return self.description.splitlines()[0][:120] if self.description else ""

    @property
    def is_open(self):
        return self.status in OPEN_STATES

    @property
    def can_cancel(self):
        return self.can("cancel")

    @property
    def is_downloadable(self):
        return self.can("download")

    def is_overdue(self, today=None):
        today = today or local_day(self.office)
        return self.is_open and self.due_date < today

    def public_events(self):
        return [event for event in self.events.all() if event.action in PUBLIC_ACTIONS]

    def allowed_actions(self, user=None):
        """The requester's actions (cancel, download) or an officer's (assign, start, …)."""
        allowed = set()
        if user is not None and user.is_authenticated:
            if user.pk == self.user_id:
                allowed.update(REQUESTER_ACTIONS)
            if user.has_office_role(self.office, Role.OFFICER):
                allowed.update(OFFICER_ACTIONS)
        return {name for name in allowed if self.can(name)}

    def history_entry(self, action, *, actor, note=""):
        event = RequestEvent.objects.create(
            request=self,
            action=action,
            status=self.status,
            actor=actor,
            note=note,
            at=timezone.now(),
        )
        return Entry(event, label(self, self.number), f"{action}: {self.status}")

    # Transitions ---------------------------------------------------------------------------

    @transition("assign", refuse=_("Only an open request can be assigned."))
    def assign(self, *, to, by):
        if not to.has_office_role(self.office):
            raise SoftcopyError(_("Only an officer of this office can be assigned."))
        self.assignee = to
        self.save(update_fields=["assignee"])
        self.log(Action.ASSIGNED, actor=by, note=to.full_name or to.email)
        return self

    @transition("start", refuse=_("Only a received request can be started."))
    def start(self, *, by):
        """Diterima → Diproses; the officer takes it if nobody has."""
        self.status = Status.IN_PROGRESS
        fields = ["status"]
        if self.assignee_id is None:
            self.assignee = by
            fields.append("assignee")
        self.save(update_fields=fields)
        self.log(Action.STARTED, actor=by)
        return self

    @transition("reject", refuse=_("Only an open request can be rejected."))
    def reject(self, *, reason, by):
        """Ditolak, with the reason the user reads (``services.reject`` also tells them)."""
        reason = reason.strip()
        if not reason:
            raise SoftcopyError(_("Give the reason for the rejection; the user will read it."))
        self.status = Status.REJECTED
        self.rejection_reason = reason
        self.closed_at = timezone.now()
        self.save(update_fields=["status", "rejection_reason", "closed_at"])
        self.log(Action.REJECTED, actor=by, note=reason)
        return self

    @transition(
        "cancel",
        refuse=_("This request can no longer be cancelled: an officer is already working on it."),
    )
    def cancel(self, *, by):
        """The user withdraws a request nobody has started on."""
        if self.user_id != by.pk:
            raise SoftcopyError(_("Only the requester can cancel a request."))
        self.status = Status.CANCELLED
        self.closed_at = timezone.now()
        self.save(update_fields=["status", "closed_at"])
        self.log(Action.CANCELLED, actor=by)
        return self

    @transition("close", refuse=_("Only a delivered request can be closed."))
    def close(self, *, by=None, note="", at=None):
        """Selesai: downloaded, or closed after the office's days without a download."""
        self.status = Status.CLOSED
        self.closed_at = at or timezone.now()
        self.save(update_fields=["status", "closed_at"])
        self.log(Action.CLOSED, actor=by, note=note)
        return self


class Fulfilment(models.Model):
    """The file an officer sent for a request."""

    request = models.OneToOneField(
        SoftcopyRequest, on_delete=models.CASCADE, related_name="fulfilment"
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    page_range = models.CharField(_("page range"), max_length=200, blank=True)
    delivered_file = models.OneToOneField(
        "delivery.DeliveredFile", on_delete=models.PROTECT, related_name="fulfilment"
    )
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sent by"),
    )
    delivered_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("fulfilment")
        verbose_name_plural = _("fulfilments")

    def __str__(self):
        return f"{self.request} ({self.get_source_display()})"


class RequestEvent(models.Model):
    """The history of a request: every change, who made it and when."""

    request = models.ForeignKey(SoftcopyRequest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("what"), max_length=12, choices=Action.choices)
    status = models.CharField(_("status after"), max_length=12, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.request} {self.action}"


class InternalNote(models.Model):
    """A note between officers; never shown to the user."""

    request = models.ForeignKey(
        SoftcopyRequest, on_delete=models.CASCADE, related_name="internal_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.request}: {self.text[:40]}"


class Notification(models.Model):
    """An e-mail to a user, kept until it is sent: a failed send is retried, never lost.

    ``send_pending_notifications`` retries the ones the worker could not send.
    """

    request = models.ForeignKey(
        SoftcopyRequest, on_delete=models.CASCADE, related_name="notifications"
    )
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("text"))
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=NotificationState.choices,
        default=NotificationState.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at", "pk"]
        indexes = [
            # send_pending_notifications reads the unsent ones.
            models.Index(
                fields=["created_at"],
                condition=~models.Q(state="sent"),
                name="softcopy_unsent_idx",
            ),
        ]

    def __str__(self):
        return f"{self.to}: {self.subject}"
