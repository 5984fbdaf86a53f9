from django import forms
from django.utils.translation import gettext_lazy as _

from .models import LeaveDay, ServiceStandard


class ServiceStandardForm(forms.ModelForm):
    """Edits the content of a standard; saving makes a new version (see ``revise``)."""

    base_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ServiceStandard
        fields = [*ServiceStandard.CONTENT_FIELDS, "change_note"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ServiceStandard.CONTENT_FIELDS
            if name not in ("walk_in_target_minutes", "request_target_working_days")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change_note"].required = True
        self.fields["change_note"].help_text = _("Say briefly what changed and why.")


class LeaveDayForm(forms.ModelForm):
    """A collective leave day (cuti bersama) of one office."""

    class Meta:
        model = LeaveDay
        fields = ["date", "name"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.office = office

    def clean_date(self):
        date = self.cleaned_data["date"]
        if LeaveDay.objects.filter(office=self.instance.office, date=date).exists():
            raise forms.ValidationError(_("This date is already a leave day."))
        return date
