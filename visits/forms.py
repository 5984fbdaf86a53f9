from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from accounts.choices import MINOR_AGE_GROUPS, PROFILE_FIELDS
from accounts.forms import ProfileFieldsMixin
from accounts.models import User
from offices.choices import Service
from offices.models import Counter, Locker

from .choices import CardType, DeviceKind, ServiceItemKind


class GuestBookForm(ProfileFieldsMixin, forms.Form):
    """The guest book: who, how to reach them, which card they hand over, what they want.

    The e-mail address is required: it links the visit to the visitor's account.
    Only the TYPE of identity card is asked for, never its number.
    """

    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("Required: softcopies are sent to the account with this address."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(label=_("Phone number"), max_length=20, required=False)
    card_type = forms.ChoiceField(label=_("Identity card type"), choices=CardType.choices)
    services = forms.MultipleChoiceField(
        label=_("Services wanted"), choices=Service.choices, widget=forms.CheckboxSelectMultiple
    )
    purpose_text = forms.CharField(
        label=_("Purpose of the visit"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(User, fields=PROFILE_FIELDS))
        self._require_profile_fields_for_guest_book()
        # UU 27/2022: consent to the privacy notice, and a guardian's for visitors under 18.
        self.fields["guardian_consent"] = forms.BooleanField(
            label=_("The visitor is under 18 and a parent or guardian agrees."), required=False
        )
        self.fields["consent"] = forms.BooleanField(
            label=_(
                "The visitor agrees that BPS processes these data as described in the privacy "
                "notice (/privacy/)."
            ),
            error_messages={"required": _("The guest book needs the visitor's consent.")},
        )
        if services:
            self.fields["services"].choices = [
                (code, label) for code, label in Service.choices if code in services
            ]
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def _require_profile_fields_for_guest_book(self):
        for name in [
            "sex",
            "age_group",
            "education",
            "occupation",
            "institution_category",
            "purpose",
        ]:
            self.fields[name].required = True
        self.fields["purpose"].label = _("Main purpose of data use")

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("age_group") in MINOR_AGE_GROUPS and not cleaned.get("guardian_consent"):
            self.add_error(
                "guardian_consent", _("Visitors under 18 need the consent of a parent or guardian.")
            )
        return cleaned


class CallForm(forms.Form):
    counter = forms.ModelChoiceField(queryset=Counter.objects.none(), label=_("Counter"))

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counter"].queryset = Counter.objects.filter(office=office, is_active=True)


class TransferForm(forms.Form):
    service = forms.ChoiceField(
        label=_("To service"), choices=[("", "—"), *Service.choices], required=False
    )
    counter = forms.ModelChoiceField(
        queryset=Counter.objects.none(), label=_("To counter"), required=False
    )

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counter"].queryset = Counter.objects.filter(office=office, is_active=True)

    def clean(self):
        data = super().clean()
        if not data.get("service") and not data.get("counter"):
            raise forms.ValidationError(_("Choose a service or a counter to transfer to."))
        return data


class LockerForm(forms.Form):
    locker = forms.ModelChoiceField(
        queryset=Locker.objects.none(),
        label=_("Locker"),
        required=False,
        empty_label=_("First free locker"),
    )
    card_type = forms.ChoiceField(label=_("Identity card type"), choices=CardType.choices)
    holder_name = forms.CharField(label=_("Card holder's name"), max_length=150)

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locker"].queryset = Locker.objects.filter(office=office, is_active=True)


class ServiceRecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("What was given"), choices=ServiceItemKind.choices)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10000, initial=1)
    item = forms.CharField(
        label=_("Publication or subject"),
        max_length=250,
        required=False,
        help_text=_("Catalogue title or number, or the subject of the consultation."),
    )


class DeviceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DeviceKind.choices)
    name = forms.CharField(label=_("Name"), max_length=60)
    offers_priority_lane = forms.BooleanField(
        label=_("Offer the priority lane (disability, elderly, pregnant)"),
        required=False,
        initial=True,
    )


class DayForm(forms.Form):
    day = forms.DateField(
        label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class TabletGuestBookForm(GuestBookForm):
    """The guest book on a tablet, filled by the visitor: their ticket number comes first."""

    ticket_number = forms.CharField(
        label=_("Your queue number"),
        max_length=10,
        help_text=_("As printed on your ticket, e.g. A-007."),
    )
    device_key = forms.CharField(widget=forms.HiddenInput, required=False)

    field_order = ["ticket_number", "email", "full_name", "phone", "card_type", "services"]
    # (consent and guardian consent come last, after the profile fields)

    def clean_ticket_number(self):
        return self.cleaned_data["ticket_number"].strip().upper()
