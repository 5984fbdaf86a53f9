from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from .choices import MINOR_AGE_GROUPS, PROFILE_FIELDS, ConsentPurpose
from .models import Consent, User

# What the sign-up and profile forms ask: name, phone and the profile categories.
ACCOUNT_FIELDS = ["full_name", "phone", *PROFILE_FIELDS]
REQUIRED_PROFILE_FIELDS = {
    "full_name",
    "sex",
    "age_group",
    "education",
    "occupation",
    "institution_category",
    "purpose",
}


class ProfileFieldsMixin:
    """Makes the SKD profile fields required (they are optional on the model for officers)."""

    def _require_profile_fields(self):
        for name in REQUIRED_PROFILE_FIELDS:
            self.fields[name].required = True
        self.fields["phone"].help_text = _(
            "Optional. Used only to contact you about your requests."
        )
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = phone.replace(" ", "").replace("-", "")
        if digits.startswith("+"):
            digits = digits[1:]
        if phone and (not digits.isdigit() or not 8 <= len(digits) <= 15):
            raise forms.ValidationError(
                _("Enter a phone number of 8 to 15 digits, e.g. 0812 3456 7890.")
            )
        return phone

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("Enter your full name."))
        return name


class SignupProfileForm(ProfileFieldsMixin, forms.Form):
    """Extra sign-up fields; allauth's sign-up form builds on this class (a plain form,
    as allauth expects) and adds e-mail and password in front of these."""

    field_order = [
        "email",
        "password1",
        "password2",
        *ACCOUNT_FIELDS,
        "guardian_consent",
        "consent",
        "survey_email",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(User, fields=ACCOUNT_FIELDS))
        self._require_profile_fields()
        self.fields["guardian_consent"] = forms.BooleanField(
            label=_("I am under 18 and my parent or guardian agrees to this registration."),
            required=False,
        )
        self.fields["consent"] = forms.BooleanField(
            label=_(
                "I agree that BPS processes my data as described in the privacy notice (/privacy/)."
            ),
            error_messages={
                "required": _("Registration needs your consent to the privacy notice.")
            },
        )
        self.fields["survey_email"] = forms.BooleanField(
            label=_(
                "Optional: e-mail me a short satisfaction survey after I use a service "
                "(you can stop this at any time)."
            ),
            required=False,
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("age_group") in MINOR_AGE_GROUPS and not cleaned.get("guardian_consent"):
            self.add_error(
                "guardian_consent",
                _("Visitors under 18 need the consent of a parent or guardian."),
            )
        return cleaned

    def signup(self, request, user):
        for name in ACCOUNT_FIELDS:
            setattr(user, name, self.cleaned_data[name])
        user.save(update_fields=ACCOUNT_FIELDS)
        guardian = bool(self.cleaned_data.get("guardian_consent"))
        Consent.objects.create(user=user, purpose=ConsentPurpose.ACCOUNT, guardian_consent=guardian)
        if self.cleaned_data.get("survey_email"):
            Consent.objects.create(
                user=user, purpose=ConsentPurpose.SURVEY_EMAIL, guardian_consent=guardian
            )


class ProfileForm(ProfileFieldsMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = [*ACCOUNT_FIELDS, "preferred_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._require_profile_fields()
