from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import AgeGroup, Education, Occupation, Sex
from offices.choices import Service

from .choices import ELEMENTS, OVERALL_CHOICES, RESPONDENT_FIELDS, PeriodKind
from .models import SurveySettings

PROFILE_CHOICES = {
    "sex": (_("Sex"), Sex.choices),
    "age_group": (_("Age group"), AgeGroup.choices),
    "education": (_("Highest education"), Education.choices),
    "occupation": (_("Main occupation"), Occupation.choices),
}


class SurveyForm(forms.Form):
    """The nine elements (1–4), the overall rating (1–5), a comment and missing profile fields."""

    def __init__(self, *args, ask_profile=(), **kwargs):
        super().__init__(*args, **kwargs)
        for element in ELEMENTS:
            self.fields[element.field] = forms.TypedChoiceField(
                label=element.question,
                choices=element.choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose an answer."),
                    "invalid_choice": _("Choose one of the four answers."),
                },
            )
            self.fields[element.field].element = element
        self.fields["overall"] = forms.TypedChoiceField(
            label=_("Overall, how do you rate our service?"),
            choices=OVERALL_CHOICES,
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Choose an overall rating."),
                "invalid_choice": _("Choose a rating from 1 to 5."),
            },
        )
        self.fields["comment"] = forms.CharField(
            label=_("Comment or suggestion (optional)"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        for field in RESPONDENT_FIELDS:
            if field in ask_profile:
                label, choices = PROFILE_CHOICES[field]
                self.fields[field] = forms.ChoiceField(
                    label=label,
                    choices=[("", _("Rather not say")), *choices],
                    required=False,
                )

    def element_fields(self):
        return [self[element.field] for element in ELEMENTS]

    def profile_fields(self):
        return [self[field] for field in RESPONDENT_FIELDS if field in self.fields]

    @property
    def scores(self):
        return {element.field: self.cleaned_data[element.field] for element in ELEMENTS}

    @property
    def profile(self):
        return {field: self.cleaned_data.get(field, "") for field in RESPONDENT_FIELDS}


class PeriodForm(forms.Form):
    """Which period and service the results show (from the query string)."""

    period = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    index = forms.IntegerField(
        label=_("Month or semester"), min_value=1, max_value=12, required=False
    )
    service = forms.ChoiceField(
        label=_("Service"), choices=[("", _("All services")), *Service.choices], required=False
    )

    def clean(self):
        data = super().clean()
        kind = data.get("period") or PeriodKind.MONTH
        if kind == PeriodKind.SEMESTER and data.get("index") not in (None, 1, 2):
            self.add_error("index", _("A semester is numbered 1 or 2."))
        data["period"] = kind
        return data


class SurveySettingsForm(forms.ModelForm):
    class Meta:
        model = SurveySettings
        fields = ["anonymous", "link_days", "publish_summary"]
        widgets = {"link_days": forms.NumberInput(attrs={"min": 1, "max": 365})}

    def clean_link_days(self):
        days = self.cleaned_data.get("link_days")
        if days is not None and not 1 <= days <= 365:
            raise forms.ValidationError(_("Choose between 1 and 365 days."))
        return days
