import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from offices.time import local_day

from .choices import ExportFormat, ReportFormat
from .exports import EXPORTS
from .period import Period, PeriodError

# The browser's date picker sends and expects ISO dates, whatever the page language.
DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class PeriodForm(forms.Form):
    """A date range in office time; empty fields mean "this month until today"."""

    start = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        today = local_day(self.office)
        start = data.get("start") or (data.get("end") or today).replace(day=1)
        end = data.get("end") or max(today, start)
        try:
            data["period"] = Period(start, end, self.office.tzinfo)
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from error
        return data


class MonthlyReportForm(forms.Form):
    month = forms.CharField(
        label=_("Month"), widget=forms.DateInput({"type": "month"}), help_text=_("YYYY-MM")
    )
    file_format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices)

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office

    def clean_month(self):
        try:
            return Period.month(self.cleaned_data["month"], self.office.tzinfo)
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from error


class ExportForm(PeriodForm):
    kind = forms.ChoiceField(
        label=_("Records"), choices=[(key, export.label) for key, export in EXPORTS.items()]
    )
    file_format = forms.ChoiceField(label=_("Format"), choices=ExportFormat.choices)
    with_personal_data = forms.BooleanField(
        label=_("Include names, e-mail addresses and phone numbers"),
        required=False,
        help_text=_("Only when you need them for a task; the export is recorded with your name."),
    )
    field_order = ["kind", "start", "end", "file_format", "with_personal_data"]


class PublishForm(forms.Form):
    publish_statistics = forms.BooleanField(
        label=_("Publish visitor statistics on a public page"), required=False
    )


def month_start(day):
    return datetime.date(day.year, day.month, 1)
