from django import forms
from django.utils.translation import gettext_lazy as _

from history.choices import AuditAction

from .models import Breach, DataRequest, PrivacySettings


class PrivacySettingsForm(forms.ModelForm):
    class Meta:
        model = PrivacySettings
        fields = [
            "dpo_name",
            "dpo_email",
            "dpo_phone",
            "guest_book_days",
            "download_log_days",
            "complaint_identity_days",
        ]


class DataRequestForm(forms.ModelForm):
    class Meta:
        model = DataRequest
        fields = ["requester", "kind", "description", "received_at"]
        widgets = {"received_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}


class CloseDataRequestForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"), choices=[("done", _("Done")), ("refused", _("Refused"))]
    )
    outcome = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))


class BreachForm(forms.ModelForm):
    class Meta:
        model = Breach
        fields = [
            "found_at",
            "description",
            "data_concerned",
            "people_affected",
            "actions",
            "subjects_notified_at",
            "authority_notified_at",
        ]
        widgets = {
            "found_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "subjects_notified_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "authority_notified_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Officer's e-mail"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All")), *AuditAction.choices]
