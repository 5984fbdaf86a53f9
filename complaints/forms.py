import datetime
import re
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.models import User
from offices.choices import Service

from .choices import (
    OFFICER_CHANNELS,
    Category,
    Channel,
    IkmElement,
    LaporClassification,
    Severity,
    Status,
)
from .files import ACCEPT, MAX_ATTACHMENTS, check_attachment
from .models import ComplaintPolicy

DESCRIPTION_MAX = 5000
FORM_TOKEN_SALT = "complaints.form-started"
FORM_TOKEN_MAX_AGE = 24 * 3600
WHATSAPP_RE = re.compile(r"^\+?[0-9][0-9 \-]{6,18}[0-9]$")


def form_token():
    """A signed timestamp of when the public form was shown (the time trap)."""
    return signing.dumps(time.time(), salt=FORM_TOKEN_SALT)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to ``MAX_ATTACHMENTS`` files, each checked by content; cleans to ``[(file, type)]``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("Attach at most %(count)d files."), params={"count": MAX_ATTACHMENTS}
            )
        cleaned, errors = [], []
        for upload in files:
            super().clean(upload, initial)
            try:
                cleaned.append((upload, check_attachment(upload)))
            except forms.ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


def _description_field():
    return forms.CharField(
        label=_("What happened?"),
        min_length=10,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Describe the problem: what, where and who was involved (at most 5,000 characters)."
        ),
    )


class ContactFieldsMixin:
    def clean_contact_whatsapp(self):
        number = self.cleaned_data["contact_whatsapp"].strip()
        if number and not WHATSAPP_RE.match(number):
            raise forms.ValidationError(_("Enter a phone number such as 0812 3456 7890."))
        return number

    def clean_incident_date(self):
        # The views activate the office's zone (offices.time): today is the office's.
        day = self.cleaned_data["incident_date"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class PublicComplaintForm(ContactFieldsMixin, forms.Form):
    """The public form: ``website`` is a honeypot hidden by CSS, ``started`` a time trap."""

    description = _description_field()
    service = forms.ChoiceField(
        label=_("Which service?"),
        required=False,
        choices=[("", _("— not about one service —")), *Service.choices],
    )
    incident_date = forms.DateField(
        label=_("When did it happen?"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    attachments = AttachmentsField(
        label=_("Attachments"),
        help_text=_("Optional: up to 5 images (PNG, JPEG, WebP) or PDF files."),
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Your e-mail address"), required=False)
    contact_whatsapp = forms.CharField(
        label=_("Your WhatsApp number"), max_length=20, required=False
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started"].initial = form_token()
        self.fields["website"].widget.attrs.update(autocomplete="off", tabindex="-1")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(_("Your complaint could not be sent."), code="spam")
        try:
            started = signing.loads(
                self.data.get("started", ""), salt=FORM_TOKEN_SALT, max_age=FORM_TOKEN_MAX_AGE
            )
        except signing.SignatureExpired:
            self._renew_token()
            raise forms.ValidationError(
                _("The form was open too long. Check your complaint and send it again."),
                code="expired",
            ) from None
        except signing.BadSignature:
            self._renew_token()
            raise forms.ValidationError(
                _("Your complaint could not be sent."), code="spam"
            ) from None
        if time.time() - float(started) < settings.COMPLAINT_FORM_MIN_SECONDS:
            raise forms.ValidationError(
                _("The form was sent too quickly. Check your complaint and send it again."),
                code="too_fast",
            )
        return cleaned

    def _renew_token(self):
        self.data = self.data.copy()
        self.data["started"] = form_token()


class OfficerComplaintForm(ContactFieldsMixin, forms.Form):
    """A complaint received through another channel, entered by an officer."""

    channel = forms.ChoiceField(
        label=_("Channel"), choices=[(c.value, c.label) for c in OFFICER_CHANNELS]
    )
    received_at = forms.DateTimeField(
        label=_("Received on"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("When the office actually received it: this starts the clock."),
    )
    lapor_number = forms.CharField(label=_("LAPOR! tracking number"), max_length=40, required=False)
    lapor_classification = forms.ChoiceField(
        label=_("LAPOR! classification"),
        required=False,
        choices=[("", "—"), *LaporClassification.choices],
    )
    description = _description_field()
    service = forms.ChoiceField(
        label=_("Service"), required=False, choices=[("", "—"), *Service.choices]
    )
    incident_date = forms.DateField(
        label=_("When it happened"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Severity.choices, initial=Severity.NORMAL
    )
    attachments = AttachmentsField(label=_("Attachments (images or PDF)"))
    contact_name = forms.CharField(label=_("Complainant's name"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Complainant's e-mail"), required=False)
    contact_whatsapp = forms.CharField(
        label=_("Complainant's WhatsApp number"), max_length=20, required=False
    )
    language = forms.ChoiceField(
        label=_("Language for messages"), choices=settings.LANGUAGES, initial="id"
    )

    def clean_received_at(self):
        moment = self.cleaned_data["received_at"]
        if moment > timezone.now() + datetime.timedelta(minutes=5):
            raise forms.ValidationError(_("The date cannot be in the future."))
        return moment

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("channel") == Channel.LAPOR:
            if not cleaned.get("lapor_number"):
                self.add_error("lapor_number", _("Enter the LAPOR! tracking number."))
            if not cleaned.get("lapor_classification"):
                self.add_error("lapor_classification", _("Choose the LAPOR! classification."))
        elif cleaned.get("channel"):
            cleaned["lapor_number"] = ""
            cleaned["lapor_classification"] = ""
        return cleaned


class ClassifyForm(forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", "—"), *Category.choices]
    )
    ikm_element = forms.ChoiceField(
        label=_("IKM element concerned"),
        required=False,
        choices=[("", "—"), *IkmElement.choices],
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Message to the complainant"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Text"), max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Officer"), queryset=User.objects.none())

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(
            is_active=True,
            memberships__office=office,
            memberships__role__in=[Role.OFFICER, Role.SUPERVISOR],
        ).order_by("full_name")


class ConfirmForm(forms.Form):
    """An empty form: the page itself is the confirmation."""


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        help_text=_("For example K7QX-94MT-PR."),
    )


class RegisterFilterForm(forms.Form):
    DUE_CHOICES = [
        ("", _("Any due date")),
        ("overdue", _("Overdue")),
        ("soon", _("Due within 2 working days or overdue")),
    ]

    q = forms.CharField(label=_("Tracking or LAPOR! number"), required=False, max_length=40)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All")), *Channel.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("open", _("All open")), *Status.choices],
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *Category.choices]
    )
    due = forms.ChoiceField(label=_("Due date"), required=False, choices=DUE_CHOICES)
    due_by = forms.DateField(
        label=_("Due on or before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)


class PolicyForm(forms.ModelForm):
    class Meta:
        model = ComplaintPolicy
        fields = [
            "light_days",
            "normal_days",
            "investigation_days",
            "audit_days",
            "reminder_days",
            "auto_close_days",
        ]
