"""Survey settings per office, one-time invitations tied to real service, and the answers.

An invitation belongs to a served visit, a download session (one user, one office, one
day of downloads) or a delivered request; its signed link can be answered once before it
expires. When the office keeps surveys anonymous (the default) the answer keeps only the
office, the service, the channel, the day, the officer who served and the respondent's
profile categories: no link back to the invitation, the visit or the person.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import AgeGroup, Education, Occupation, Sex
from core.errors import DomainError
from history.choices import AuditAction
from history.log import Entry, LogMixin, label
from offices.choices import Service
from offices.time import local_day

from .choices import ELEMENT_FIELDS, ELEMENTS, SurveyChannel

TOKEN_SALT = "feedback.invitation"


class FeedbackError(DomainError):
    """A survey step that cannot be done; the message is shown to the user."""

    status = 422


SETTINGS_FIELDS = ("anonymous", "link_days", "publish_summary")


class SurveySettings(LogMixin, models.Model):
    """How an office runs its satisfaction survey; each change is a ``SurveySettingsChange``."""

    office = models.OneToOneField(
        "offices.Office", on_delete=models.CASCADE, related_name="survey_settings"
    )
    anonymous = models.BooleanField(
        _("anonymous answers"),
        default=True,
        help_text=_(
            "Store answers without the link to the visit or the person: only the service, "
            "the day and the profile categories."
        ),
    )
    link_days = models.PositiveSmallIntegerField(
        _("link valid for (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: the installation's default."),
    )
    publish_summary = models.BooleanField(
        _("publish the summary page"),
        default=True,
        help_text=_("Show the office's IKM on a public page."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("survey settings")
        verbose_name_plural = _("survey settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(link_days__isnull=True) | models.Q(link_days__gte=1),
                name="survey_link_days_positive",
            )
        ]

    def __str__(self):
        return str(self.office)

    @classmethod
    def for_office(cls, office):
        found = cls.objects.filter(office=office).first()
        return found or cls(office=office)

    @property
    def effective_link_days(self):
        return self.link_days or settings.FEEDBACK_LINK_DAYS

    def history_entry(self, action, *, actor, before, after):
        change = SurveySettingsChange.objects.create(
            office_id=self.office_id, changed_by=actor, before=before, after=after
        )
        text = "; ".join(
            f"{field}: {before[field]} → {after[field]}"
            for field in SETTINGS_FIELDS
            if before[field] != after[field]
        )
        return Entry(change, label(self, self.office.code), text or "—", AuditAction.SETTINGS)


class SurveySettingsChange(models.Model):
    """History of an office's survey settings: who changed what, when."""

    office = models.ForeignKey(
        "offices.Office", on_delete=models.CASCADE, related_name="survey_settings_changes"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    before = models.JSONField(_("before"), default=dict)
    after = models.JSONField(_("after"), default=dict)

    class Meta:
        verbose_name = _("survey settings change")
        verbose_name_plural = _("survey settings changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.office_id} {self.changed_at:%Y-%m-%d %H:%M}"


class SurveyInvitationQuerySet(models.QuerySet):
    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(answered_at__isnull=True, expires_at__gt=now)


class SurveyInvitation(models.Model):
    """A one-time invitation to the survey for one real service given."""

    office = models.ForeignKey(
        "offices.Office", on_delete=models.CASCADE, related_name="survey_invitations"
    )
    service = models.CharField(_("service"), max_length=20, choices=Service.choices)
    channel = models.CharField(_("channel"), max_length=12, choices=SurveyChannel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_invitations",
        verbose_name=_("invited user"),
    )
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("served by"),
    )
    # What was served: a visit, a delivery record, a softcopy request… (any model).
    source_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    # The day of service the answer counts under (for download sessions: the day of downloads).
    session_day = models.DateField(_("session day"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    objects = SurveyInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id"],
                condition=models.Q(source_id__isnull=False),
                name="one_invitation_per_source",
            ),
            models.UniqueConstraint(
                fields=["office", "user", "session_day"],
                condition=models.Q(channel="download"),
                name="one_invitation_per_download_day",
            ),
        ]
        indexes = [
            # The "rate your downloads" prompt on the download history page.
            models.Index(fields=["user", "answered_at"], name="invitation_user_answered"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.service} {self.created_at:%Y-%m-%d}"

    @property
    def token(self):
        """The signed id in the survey link (stable; expiry and single use live on the row)."""
        return signing.Signer(salt=TOKEN_SALT).sign(str(self.pk))

    def is_expired(self, now=None):
        return (now or timezone.now()) >= self.expires_at

    @property
    def is_answered(self):
        return self.answered_at is not None

    @property
    def service_day(self):
        if self.session_day:
            return self.session_day
        return local_day(self.office, self.created_at)


class SurveyResponseQuerySet(models.QuerySet):
    def between(self, start, end):
        """Answers about service days from ``start`` up to, not including, ``end``."""
        return self.filter(day__gte=start, day__lt=end)


def _score_constraints():
    return [
        models.CheckConstraint(
            condition=models.Q(**{f"{field}__gte": 1, f"{field}__lte": 4}),
            name=f"survey_response_{field}_1_to_4",
        )
        for field in ELEMENT_FIELDS
    ]


class SurveyResponse(models.Model):
    """One completed survey: nine element scores, an overall rating, a comment, a profile."""

    office = models.ForeignKey(
        "offices.Office", on_delete=models.CASCADE, related_name="survey_responses"
    )
    service = models.CharField(_("service"), max_length=20, choices=Service.choices)
    channel = models.CharField(_("channel"), max_length=12, choices=SurveyChannel.choices)
    day = models.DateField(_("service day"))
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("served by"),
    )
    # Only when the office does not keep answers anonymous.
    invitation = models.OneToOneField(
        SurveyInvitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="response",
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("respondent"),
    )
    u1 = models.PositiveSmallIntegerField(ELEMENTS[0].name)
    u2 = models.PositiveSmallIntegerField(ELEMENTS[1].name)
    u3 = models.PositiveSmallIntegerField(ELEMENTS[2].name)
    u4 = models.PositiveSmallIntegerField(ELEMENTS[3].name)
    u5 = models.PositiveSmallIntegerField(ELEMENTS[4].name)
    u6 = models.PositiveSmallIntegerField(ELEMENTS[5].name)
    u7 = models.PositiveSmallIntegerField(ELEMENTS[6].name)
    u8 = models.PositiveSmallIntegerField(ELEMENTS[7].name)
    u9 = models.PositiveSmallIntegerField(ELEMENTS[8].name)
    overall = models.PositiveSmallIntegerField(_("overall rating"))
    comment = models.TextField(_("comment"), blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    age_group = models.CharField(
        _("age group"), max_length=10, choices=AgeGroup.choices, blank=True
    )
    education = models.CharField(
        _("highest education"), max_length=12, choices=Education.choices, blank=True
    )
    occupation = models.CharField(
        _("main occupation"), max_length=20, choices=Occupation.choices, blank=True
    )
    language = models.CharField(_("language"), max_length=5, blank=True)

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["-day", "-pk"]
        constraints = [
            *_score_constraints(),
            models.CheckConstraint(
                condition=models.Q(overall__gte=1, overall__lte=5),
                name="survey_response_overall_1_to_5",
            ),
        ]
        indexes = [
            # Results, report and public summary read an office's answers by day.
            models.Index(fields=["office", "day"], name="response_office_day"),
        ]

    def __str__(self):
        return f"{self.office_id} {self.service} {self.day}"

    @property
    def scores(self):
        return tuple(getattr(self, field) for field in ELEMENT_FIELDS)


def default_expiry(office, now=None):
    days = SurveySettings.for_office(office).effective_link_days
    return (now or timezone.now()) + datetime.timedelta(days=days)


def get_content_type(obj):
    return ContentType.objects.get_for_model(obj, for_concrete_model=True)
