import re
import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from core.errors import DomainError
from core.fields import EncryptedCharField, EncryptedEmailField
from core.transitions import TransitionMixin, transition
from history.log import Entry, LogMixin, change_text, label
from offices.choices import Service
from offices.models import Office
from offices.time import local_day
from offices.workdays import WorkingCalendar

from . import notify
from .choices import (
    CLOCK_RUNNING,
    COMPLAINT_TRANSITIONS,
    Category,
    Channel,
    EventKind,
    IkmElement,
    LaporClassification,
    MessageKind,
    Severity,
    Status,
)


class ComplaintError(DomainError):
    """A change that the complaint's current state does not allow."""


# Tracking codes: 10 symbols from 31 that cannot be confused when read aloud or copied
# (no 0/O, 1/I/L): 31**10 ≈ 2**49.5 possible codes, shown as "K7QX-94MT-PR".
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def new_tracking_code():
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_tracking_code(value):
    """The stored form of a typed code (any case, spaces or dashes), or None if it cannot be one."""
    cleaned = re.sub(r"[\s\-]", "", value or "").upper()
    if len(cleaned) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in cleaned):
        return None
    return f"{cleaned[:4]}-{cleaned[4:8]}-{cleaned[8:]}"


def _days_field(label, default):
    return models.PositiveSmallIntegerField(
        label, default=default, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )


class ComplaintPolicy(models.Model):
    """An office's settlement targets in working days, per severity tier, and its reminders.

    The defaults are the common tiers of Indonesian service standards: light 2,
    normal 5, needing investigation 14 and needing an audit 60 working days
    (Perpres 76/2013: at most 60 days after a complete file).
    """

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="complaint_policy")
    light_days = _days_field(_("light (working days)"), 2)
    normal_days = _days_field(_("normal (working days)"), 5)
    investigation_days = _days_field(_("needs investigation (working days)"), 14)
    audit_days = _days_field(_("needs audit (working days)"), 60)
    reminder_days = models.PositiveSmallIntegerField(
        _("remind the assignee this many working days before the due date"),
        default=1,
        validators=[MaxValueValidator(10)],
    )
    auto_close_days = _days_field(
        _("close an answered complaint after this many working days without a reply"), 10
    )

    class Meta:
        verbose_name = _("complaint policy")
        verbose_name_plural = _("complaint policies")

    def __str__(self):
        return str(self.office)

    @classmethod
    def for_office(cls, office):
        policy, _created = cls.objects.get_or_create(office=office)
        return policy

    def target_days(self, severity):
        return getattr(self, f"{severity}_days")


def overdue_q(today):
    """The overdue rule as a filter: the settlement clock runs and the due date has passed
    (``Complaint.is_overdue`` for one complaint; both say the same)."""
    return models.Q(status__in=CLOCK_RUNNING, due_date__isnull=False, due_date__lt=today)


class ComplaintQuerySet(models.QuerySet):
    def clock_running(self):
        return self.filter(status__in=CLOCK_RUNNING, due_date__isnull=False)

    def overdue(self, today):
        return self.filter(overdue_q(today))

    def due_by(self, day):
        return self.clock_running().filter(due_date__lte=day)


def _attachment_path(instance, filename):
    extension = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}.get(
        instance.content_type, "pdf"
    )
    return f"complaints/{instance.complaint.office.code}/{uuid.uuid4().hex}.{extension}"


class Complaint(TransitionMixin, LogMixin, models.Model):
    """One complaint, whatever channel it came through, from receipt to closure.

    ``received_at`` (the date the office actually received it) starts the clock;
    the due date is ``target_working_days`` working days later, pushed back by the
    working days the complaint spent on hold (derived from its status history).
    ``due_date`` keeps the result so the register can filter and sort on it; the
    transitions in ``services`` rewrite it whenever an input changes.

    The complainant's identity (the ``contact_*`` fields and ``complainant``) is
    confidential: only officers of the office see it; public pages, the API and
    exports never show it.
    """

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="complaints")
    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    service = models.CharField(_("service"), max_length=20, choices=Service.choices, blank=True)
    description = models.TextField(_("what happened"))
    incident_date = models.DateField(_("when it happened"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    language = models.CharField(
        _("complainant's language"), max_length=5, choices=settings.LANGUAGES, default="id"
    )

    # Confidential: the complainant's identity and contact (complaint officers only).
    complainant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("complainant's account"),
    )
    # Encrypted at rest (core.fields); shown masked to officers until revealed (audited).
    contact_name = EncryptedCharField(_("complainant's name"), max_length=150, blank=True)
    contact_email = EncryptedEmailField(_("complainant's e-mail"), blank=True)
    contact_whatsapp = EncryptedCharField(
        _("complainant's WhatsApp number"), max_length=20, blank=True
    )

    lapor_number = models.CharField(_("LAPOR! tracking number"), max_length=40, blank=True)
    lapor_classification = models.CharField(
        _("LAPOR! classification"),
        max_length=20,
        choices=LaporClassification.choices,
        blank=True,
    )

    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    ikm_element = models.CharField(
        _("IKM element"), max_length=2, choices=IkmElement.choices, blank=True
    )
    severity = models.CharField(
        _("severity"), max_length=20, choices=Severity.choices, default=Severity.NORMAL
    )
    target_working_days = models.PositiveSmallIntegerField(_("target (working days)"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_complaints",
        verbose_name=_("assigned to"),
    )

    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    confirmed_by_complainant = models.BooleanField(_("confirmed by the complainant"), default=False)
    # The due date a reminder / an escalation was last sent for (complaint_reminders).
    reminder_sent_for = models.DateField(null=True, blank=True, editable=False)
    escalated_for = models.DateField(null=True, blank=True, editable=False)

    objects = ComplaintQuerySet.as_manager()

    transitions = COMPLAINT_TRANSITIONS
    error_class = ComplaintError

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "lapor_number"],
                condition=~models.Q(lapor_number=""),
                name="unique_lapor_number_per_office",
            )
        ]
        indexes = [
            # The officers' register (filters by status and due date) and complaint_reminders.
            models.Index(fields=["office", "status", "due_date"], name="complaint_register_idx"),
            # The register's default order (newest received first) within one office.
            models.Index(fields=["office", "-received_at"], name="complaint_received_idx"),
        ]

    def __str__(self):
        return self.tracking_code

    def get_absolute_url(self):
        return reverse("complaints:complaint-detail", args=[self.office.code, self.tracking_code])

    @property
    def tracking_url(self):
        return settings.SITE_URL + reverse("complaints:complaint-track", args=[self.tracking_code])

    @property
    def has_contact(self):
        return bool(self.contact_email or self.contact_whatsapp)

    def local_date(self, moment):
        return local_day(self.office, moment)

    def hold_periods(self):
        """``[(start, end or None), ...]`` from the status history (events in time order)."""
        periods, start = [], None
        for event in self.events.all():
            if event.kind != EventKind.STATUS:
                continue
            if event.to_status == Status.ON_HOLD:
                start = event.at
            elif event.from_status == Status.ON_HOLD and start is not None:
                periods.append((start, event.at))
                start = None
        if start is not None:
            periods.append((start, None))
        return periods

    def compute_due_date(self, calendar=None):
        """The settlement due date from the stored timestamps; None while on hold."""
        if self.status == Status.ON_HOLD:
            return None
        calendar = calendar or WorkingCalendar(self.office)
        due = calendar.add_working_days(self.local_date(self.received_at), self.target_working_days)
        for start, end in self.hold_periods():
            paused = calendar.working_days_between(self.local_date(start), self.local_date(end))
            due = calendar.add_working_days(due, max(paused, 0))
        return due

    def is_overdue(self, today):
        return self.status in CLOCK_RUNNING and self.due_date is not None and today > self.due_date

    def is_due_between(self, today, last):
        """The clock runs and the due date falls from ``today`` to ``last`` (due soon)."""
        return (
            self.status in CLOCK_RUNNING
            and self.due_date is not None
            and today <= self.due_date <= last
        )

    @property
    def is_on_hold(self):
        return self.status == Status.ON_HOLD

    @property
    def is_finished(self):
        return not self.can("classify")

    def remaining_working_days(self, today, calendar=None):
        """Working days left until the due date (negative when late); None when no clock runs."""
        if self.status not in CLOCK_RUNNING or self.due_date is None:
            return None
        calendar = calendar or WorkingCalendar(self.office)
        return calendar.working_days_between(today, self.due_date)

    @property
    def answered_late(self):
        return bool(
            self.answered_at and self.due_date and self.local_date(self.answered_at) > self.due_date
        )

    def allowed_actions(self, user=None):
        """What may be done now: officers of the office handle it (the register's forms);
        anyone holding the tracking code may confirm an answered complaint (``confirm``)."""
        allowed = set()
        if self.can("close"):
            allowed.add("confirm")
        if user is not None and user.is_authenticated and user.has_office_role(self.office):
            handling = super().allowed_actions(user)
            if "verify" in handling or self.status == Status.ANSWERED:
                # Verifying classifies; an answered complaint waits for its closing.
                handling.discard("classify")
            allowed |= handling
        return allowed

    # History ---------------------------------------------------------------------------------

    def history_entry(self, action, *, actor, from_status="", to_status="", note="", at=None):
        fields = {"from_status": from_status, "to_status": to_status, "note": note}
        if at is not None:
            fields["at"] = at
        event = ComplaintEvent.objects.create(complaint=self, kind=action, actor=actor, **fields)
        text = change_text(from_status or "—", to_status) if to_status else str(action)
        return Entry(event, label(self, self.tracking_code), text)

    def _set_status(self, to_status, *, by, note="", fields=()):
        event = self.log(
            EventKind.STATUS, actor=by, from_status=self.status, to_status=to_status, note=note
        )
        self.status = to_status
        self.save(update_fields=["status", *fields])
        return event

    def _refresh_due_date(self):
        self.due_date = self.compute_due_date()
        self.save(update_fields=["due_date"])

    # Transitions ---------------------------------------------------------------------------

    @transition("classify", refuse=_("A finished complaint cannot be reclassified."))
    def classify(self, *, by, severity, category="", ikm_element=""):
        """Set the severity tier and the classification; a new tier moves the due date."""
        self._classify(by=by, severity=severity, category=category, ikm_element=ikm_element)
        return self

    def _classify(self, *, by, severity, category, ikm_element):
        policy = ComplaintPolicy.for_office(self.office)
        self.severity = severity
        self.target_working_days = policy.target_days(severity)
        self.category = category
        self.ikm_element = ikm_element
        self.save(update_fields=["severity", "target_working_days", "category", "ikm_element"])
        self.log(
            EventKind.CLASSIFIED,
            actor=by,
            note=" · ".join(
                str(text)
                for text in (
                    self.get_severity_display(),
                    self.get_category_display() if category else "",
                    self.get_ikm_element_display() if ikm_element else "",
                )
                if text
            ),
        )
        self._refresh_due_date()

    @transition("verify", refuse=_("Only a received complaint can be verified."))
    def verify(self, *, by, severity, category="", ikm_element=""):
        """Diterima → Diverifikasi: the complaint is complete and ours; classify it."""
        self.verified_at = timezone.now()
        self._set_status(Status.VERIFIED, by=by, fields=["verified_at"])
        self._classify(by=by, severity=severity, category=category, ikm_element=ikm_element)
        notify.notify_complainant(self, "verified")
        return self

    @transition("hold", refuse=_("Only an open complaint can be put on hold."))
    def put_on_hold(self, *, by, reason):
        """Tunda: information is missing. The clock stops; ``reason`` is shown to the complainant."""
        self._set_status(Status.ON_HOLD, by=by, note=reason)
        ComplaintMessage.objects.create(
            complaint=self, kind=MessageKind.ANSWER, body=reason, author=by
        )
        self.due_date = None
        self.save(update_fields=["due_date"])
        notify.notify_complainant(self, "on_hold", text=reason)
        return self

    @transition("resume", refuse=_("This complaint is not on hold."))
    def resume(self, *, by):
        """Back from hold to where it was; the due date moves by the working days on hold."""
        held = self.events.filter(kind=EventKind.STATUS, to_status=Status.ON_HOLD).last()
        self._set_status(held.from_status, by=by)
        self._refresh_due_date()
        return self

    @transition(
        "not_ours", refuse=_("Only an open complaint can be declared outside our competence.")
    )
    def mark_not_ours(self, *, by, reason):
        """Bukan wewenang: the complaint belongs elsewhere; ``reason`` is shown to the complainant."""
        self.closed_at = timezone.now()
        self._set_status(Status.NOT_OURS, by=by, note=reason, fields=["closed_at"])
        ComplaintMessage.objects.create(
            complaint=self, kind=MessageKind.ANSWER, body=reason, author=by
        )
        notify.notify_complainant(self, "not_ours", text=reason)
        return self

    @transition("assign", refuse=_("Verify the complaint before assigning it."))
    def assign(self, *, by, assignee):
        """Ditindaklanjuti: an officer of the office takes the complaint on."""
        if not assignee.has_office_role(self.office, Role.OFFICER):
            raise ComplaintError(_("The assignee must be an officer of this office."))
        self.assignee = assignee
        self.save(update_fields=["assignee"])
        self.log(EventKind.ASSIGNED, actor=by, note=assignee.full_name)
        if self.status != Status.IN_PROGRESS:
            self._set_status(Status.IN_PROGRESS, by=by)
        if assignee != by:
            notify.notify_officers(self, "assigned", [assignee])
        return self

    @transition("answer", refuse=_("Verify the complaint before answering it."))
    def answer(self, *, by, body):
        """Dijawab: a public answer to the complainant."""
        ComplaintMessage.objects.create(
            complaint=self, kind=MessageKind.ANSWER, body=body, author=by
        )
        self.log(EventKind.ANSWER, actor=by)
        if self.status != Status.ANSWERED:
            self.answered_at = self.answered_at or timezone.now()
            self._set_status(Status.ANSWERED, by=by, fields=["answered_at"])
        notify.notify_complainant(self, "answered", text=body)
        return self

    @transition("note", refuse=_("This complaint takes no more notes."))
    def add_note(self, *, by, body):
        """An internal note: officers only, never shown to the complainant."""
        ComplaintMessage.objects.create(complaint=self, kind=MessageKind.NOTE, body=body, author=by)
        self.log(EventKind.NOTE, actor=by)
        return self

    @transition("reply", refuse=_("This complaint takes no more replies."))
    def receive_reply(self, *, body, attachments=(), received_at=None):
        """The complainant wrote again (e-mail, WhatsApp, Instagram): the reply joins the thread.

        An answered complaint goes back to handling (the complainant is not satisfied, and
        the silence period that would close it is over); any other status stays, and a
        finished complaint keeps the reply for the officers to see. ``attachments`` are
        ``(file, content_type)`` pairs already checked by ``files.check_attachment``.
        """
        at = received_at or timezone.now()
        ComplaintMessage.objects.create(
            complaint=self, kind=MessageKind.REPLY, body=body, created_at=at
        )
        self.log(EventKind.REPLY, actor=None, at=at)
        for upload, content_type in attachments:
            ComplaintAttachment.objects.create(
                complaint=self,
                file=upload,
                original_name=upload.name[-200:],
                content_type=content_type,
                size=upload.size,
            )
        if self.status == Status.ANSWERED:
            self._set_status(Status.IN_PROGRESS, by=None, note=str(_("The complainant replied.")))
        return self

    @transition("close", refuse=_("Only an answered complaint can be closed."))
    def close(self, *, by=None, confirmed=False, note=""):
        """Selesai: after the complainant's confirmation, an officer's decision or a silence."""
        self.closed_at = timezone.now()
        self.confirmed_by_complainant = confirmed
        self._set_status(
            Status.CLOSED, by=by, note=note, fields=["closed_at", "confirmed_by_complainant"]
        )
        notify.notify_complainant(self, "closed")
        return self


class ComplaintEvent(models.Model):
    """The history of a complaint: who did what, when (the audit trail)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    kind = models.CharField(_("what"), max_length=20, choices=EventKind.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.complaint} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class ComplaintMessage(models.Model):
    """An answer to the complainant (public) or an internal note (officers only)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("kind"), max_length=10, choices=MessageKind.choices)
    body = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("complaint message")
        verbose_name_plural = _("complaint messages")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.complaint} {self.kind}"

    @property
    def is_public(self):
        return self.kind == MessageKind.ANSWER


class ComplaintAttachment(models.Model):
    """An image or PDF sent with a complaint; private, served to officers through a view."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name
