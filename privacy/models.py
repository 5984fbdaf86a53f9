import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

from .choices import DataRequestKind, DataRequestStatus

# UU 27/2022: a data-subject request and a breach notification are due within 3 × 24 hours.
LEGAL_CLOCK = datetime.timedelta(hours=72)


class PrivacySettings(models.Model):
    """An office's data-protection officer and retention periods."""

    office = models.OneToOneField(
        "offices.Office", on_delete=models.CASCADE, related_name="privacy_settings"
    )
    dpo_name = models.CharField(_("data-protection officer"), max_length=150, blank=True)
    dpo_email = models.EmailField(_("data-protection officer's e-mail"), blank=True)
    dpo_phone = models.CharField(_("data-protection officer's phone"), max_length=40, blank=True)
    guest_book_days = models.PositiveIntegerField(
        _("keep guest-book personal data (days)"), default=730
    )
    download_log_days = models.PositiveIntegerField(
        _("keep IP address and browser of downloads (days)"), default=365
    )
    complaint_identity_days = models.PositiveIntegerField(
        _("keep complainants' identity after closure (days)"), default=365
    )

    class Meta:
        verbose_name = _("privacy settings")
        verbose_name_plural = _("privacy settings")

    def __str__(self):
        return str(self.office)

    @classmethod
    def for_office(cls, office):
        defaults = {"dpo_email": office.email, "dpo_phone": office.phone}
        return cls.objects.get_or_create(office=office, defaults=defaults)[0]


class DataRequest(models.Model):
    """A data-subject request handled by officers, due within 3 × 24 hours."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requester = models.CharField(
        _("requester"),
        max_length=200,
        help_text=_("Name and how to reach them, for visitors without an account."),
    )
    kind = models.CharField(_("request"), max_length=12, choices=DataRequestKind.choices)
    description = models.TextField(_("details"), blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DataRequestStatus.choices,
        default=DataRequestStatus.RECEIVED,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["status", "received_at"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.requester}"

    @property
    def due_at(self):
        return self.received_at + LEGAL_CLOCK

    @property
    def is_open(self):
        return self.status == DataRequestStatus.RECEIVED

    @property
    def is_overdue(self):
        return self.is_open and timezone.now() > self.due_at

    def close(self, *, by, status, outcome):
        if not self.is_open:
            raise DomainError(_("This request is already closed."), "invalid_state")
        self.status = status
        self.outcome = outcome
        self.closed_at = timezone.now()
        self.closed_by = by
        self.save(update_fields=["status", "outcome", "closed_at", "closed_by"])


class Breach(models.Model):
    """A suspected personal-data breach and the 3 × 24-hour notification clock."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    found_at = models.DateTimeField(_("found at"))
    description = models.TextField(_("what happened"))
    data_concerned = models.CharField(_("which personal data"), max_length=300)
    people_affected = models.PositiveIntegerField(_("number of people affected"))
    actions = models.TextField(_("actions taken"), blank=True)
    subjects_notified_at = models.DateTimeField(
        _("data subjects notified at"), null=True, blank=True
    )
    authority_notified_at = models.DateTimeField(_("authority notified at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("data breach")
        verbose_name_plural = _("data breaches")
        ordering = ["-found_at"]

    def __str__(self):
        return f"{self.found_at:%Y-%m-%d} {self.data_concerned}"

    @property
    def notify_by(self):
        return self.found_at + LEGAL_CLOCK

    @property
    def is_overdue(self):
        pending = self.subjects_notified_at is None or self.authority_notified_at is None
        return pending and timezone.now() > self.notify_by
