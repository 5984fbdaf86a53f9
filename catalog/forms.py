from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Availability, SortOrder
from .models import Publication, Subject
from .pdf import PdfRejected, inspect_pdf


class SearchForm(forms.Form):
    """The public catalogue search (GET). Bad values are dropped, never an error page."""

    q = forms.CharField(label=_("Search publications"), required=False, max_length=200)
    subject = forms.IntegerField(required=False, min_value=1)
    year = forms.IntegerField(required=False, min_value=1900, max_value=2100)
    office = forms.RegexField(regex=r"^\d{4}$", required=False)
    availability = forms.ChoiceField(choices=Availability.choices, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SortOrder.choices, required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=500)

    def params(self):
        """The valid parameters; an invalid one is ignored rather than refused."""
        self.is_valid()
        data = {}
        for name in self.fields:
            if name in self.cleaned_data and self.cleaned_data[name] not in (None, ""):
                data[name] = self.cleaned_data[name]
        raw_q = self.data.get("q", "")
        data["q"] = raw_q[:200] if isinstance(raw_q, str) else ""
        return data


class PublicationForm(forms.ModelForm):
    pdf = forms.FileField(
        label=_("PDF file"),
        required=False,
        help_text=_("The original softcopy. It is stored privately and never shown by URL."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    class Meta:
        model = Publication
        fields = [
            "title",
            "abstract",
            "year",
            "catalog_number",
            "publication_number",
            "issn",
            "isbn",
            "subjects",
            "scheduled_date",
            "release_date",
            "revision_date",
            "language",
            "frequency",
            "related",
            "visibility",
            "access_level",
            "hardcopy_call_number",
            "hardcopy_copies",
            "reading_room_only",
        ]
        widgets = {
            "abstract": forms.Textarea(attrs={"rows": 6}),
            "scheduled_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "release_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "revision_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "subjects": forms.SelectMultiple(attrs={"size": 8}),
            "related": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office
        self.instance.office = office
        self.fields["subjects"].queryset = Subject.objects.select_related("category")
        related = (
            Publication.objects.filter(office=office).only("pk", "title").order_by("-year", "title")
        )
        if self.instance.pk:
            related = related.exclude(pk=self.instance.pk)
        self.fields["related"].queryset = related
        self.pdf_info = None

    def clean_pdf(self):
        upload = self.cleaned_data.get("pdf")
        if not upload:
            return None
        try:
            self.pdf_info = inspect_pdf(upload)
        except PdfRejected as exc:
            raise forms.ValidationError(exc.message, code="pdf") from exc
        return upload

    def clean_catalog_number(self):
        return self.cleaned_data["catalog_number"].strip()

    def clean(self):
        data = super().clean()
        number, year = data.get("catalog_number"), data.get("year")
        if number and year:
            clash = Publication.objects.filter(office=self.office, catalog_number=number, year=year)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "catalog_number",
                    _("Another publication of this year already has this catalogue number."),
                )
        return data
