from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints.choices import Severity
from complaints.forms import DESCRIPTION_MAX
from offices.choices import Service

from .choices import ConversationStatus, Medium
from .models import ChannelSettings


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", pgettext_lazy("conversation status", "Open")),
            ("closed", pgettext_lazy("conversation status", "Closed")),
            ("all", _("All")),
        ],
    )
    medium = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All")), *Medium.choices]
    )
    problems = forms.BooleanField(label=_("Only with undelivered answers"), required=False)

    def status_filter(self):
        value = self.cleaned_data.get("status") if self.is_valid() else ""
        if value == "all":
            return None
        return value or ConversationStatus.OPEN


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Answer (sent on the same channel)"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ConvertForm(forms.Form):
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Severity.choices, initial=Severity.NORMAL
    )
    service = forms.ChoiceField(
        label=_("Service"), required=False, choices=[("", "—"), *Service.choices]
    )


class ConfirmForm(forms.Form):
    """An empty form: the button is the confirmation."""


class ChannelSettingsForm(forms.ModelForm):
    class Meta:
        model = ChannelSettings
        fields = [
            "email_route",
            "whatsapp_route",
            "instagram_route",
            "mail_address",
            "imap_host",
            "imap_port",
            "imap_security",
            "imap_user",
            "imap_folder",
            "imap_done_folder",
            "smtp_host",
            "smtp_port",
            "smtp_security",
            "smtp_user",
            "whatsapp_phone_number_id",
            "whatsapp_display_number",
            "instagram_account_id",
        ]

    def clean_whatsapp_phone_number_id(self):
        value = self.cleaned_data["whatsapp_phone_number_id"].strip()
        if value and not value.isdigit():
            raise forms.ValidationError(_("The phone number ID is a number, e.g. 106540352242922."))
        return value

    def clean_instagram_account_id(self):
        value = self.cleaned_data["instagram_account_id"].strip()
        if value and not value.isdigit():
            raise forms.ValidationError(_("The account ID is a number, e.g. 17841400000000000."))
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("imap_host") and not (
            cleaned.get("imap_user") and cleaned.get("mail_address")
        ):
            self.add_error(
                None,
                _("A mailbox needs its address and an IMAP user name as well as the server."),
            )
        if cleaned.get("imap_folder") and cleaned.get("imap_folder") == cleaned.get(
            "imap_done_folder"
        ):
            self.add_error("imap_done_folder", _("Processed messages must go to another folder."))
        return cleaned
