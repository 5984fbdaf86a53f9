from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class TraceForm(forms.Form):
    file = forms.FileField(
        label=_("Leaked PDF"),
        help_text=_("A whole copy or a single page; it is read once and not kept."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = getattr(settings, "CATALOG_MAX_UPLOAD_MB", 200) * 1024 * 1024
        if upload.size > limit:
            raise forms.ValidationError(_("The file is larger than the upload limit."))
        return upload
