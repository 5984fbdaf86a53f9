from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.models import User
from catalog.models import Publication
from offices.models import Office

from .choices import Kind, Source, Status


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class RequestForm(forms.Form):
    """What the user (or the officer for them) asks for."""

    publication = forms.ModelChoiceField(
        label=_("Publication"),
        queryset=Publication.objects.none(),
        required=False,
        empty_label=_("— Not in the catalogue: describe it below —"),
    )
    description = forms.CharField(
        label=_("Description of the material"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Title, year, table or topic, when the publication is not in the catalogue."),
    )
    pages = forms.CharField(
        label=_("Pages or sections wanted"),
        required=False,
        max_length=200,
        help_text=_("For example: pages 12-20, or the chapter on population. Empty: all of it."),
    )
    file_format = forms.ChoiceField(label=_("Format"), choices=[("pdf", "PDF")], initial="pdf")
    purpose = forms.CharField(
        label=_("Purpose of use"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        publications = Publication.objects.published().order_by("title", "-year")
        if office is not None:
            publications = publications.filter(office=office)
        self.fields["publication"].queryset = publications
        self.fields["publication"].label_from_instance = lambda p: f"{p.title} ({p.year})"

    def clean(self):
        data = super().clean()
        if not data.get("publication") and not (data.get("description") or "").strip():
            raise forms.ValidationError(
                _("Choose a publication or describe the material you need.")
            )
        return data


class OnlineRequestForm(RequestForm):
    office = forms.ModelChoiceField(
        label=_("Office"), queryset=Office.objects.order_by("code"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if Office.objects.count() <= 1:
            del self.fields["office"]


class OnSiteRequestForm(RequestForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.SOFTCOPY)
    visit = forms.ModelChoiceField(
        label=_("Visit"), queryset=None, required=False, empty_label=_("— No visit —")
    )
    email = forms.EmailField(
        label=_("Visitor's e-mail address"),
        required=False,
        help_text=_("Needed when no visit is chosen: the visitor's account."),
    )
    purpose = forms.CharField(
        label=_("Purpose of use"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    field_order = ["visit", "email", "kind", "publication", "description", "pages"]

    def __init__(self, *args, office, visits, **kwargs):
        super().__init__(*args, office=office, **kwargs)
        self.fields["visit"].queryset = visits
        self.fields["visit"].label_from_instance = lambda v: (
            f"{v.guest_book.full_name if hasattr(v, 'guest_book') else v.visitor} — "
            f"{v.guest_book_at:%H:%M}"
        )

    def clean(self):
        data = super().clean()
        visit, email = data.get("visit"), data.get("email")
        if visit is not None:
            data["user"] = visit.visitor
        elif email:
            data["user"] = User.objects.filter(email__iexact=email, is_active=True).first()
            if data["user"] is None:
                self.add_error("email", _("No account has this e-mail address."))
        else:
            raise forms.ValidationError(_("Choose the visit, or give the visitor's e-mail."))
        if not data.get("purpose"):
            data["purpose"] = str(_("Scan on site")) if data.get("kind") == Kind.SCAN else ""
            if not data["purpose"]:
                self.add_error("purpose", _("Give the purpose of use."))
        return data


class QueueFilterForm(forms.Form):
    DUE_CHOICES = [
        ("", _("Any due date")),
        ("overdue", _("Overdue")),
        ("today", _("Due today")),
        ("week", _("Due within 5 working days")),
    ]
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open (received or in progress)")), ("all", _("All"))] + Status.choices,
    )
    due = forms.ChoiceField(label=_("Due date"), required=False, choices=DUE_CHOICES)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("Nobody yet")),
        ] + [(str(user.pk), user.full_name or user.email) for user in officers]


def office_officers(office):
    return (
        User.objects.filter(
            memberships__office=office, memberships__role__in=[Role.OFFICER, Role.SUPERVISOR]
        )
        .distinct()
        .order_by("full_name")
    )


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("Assign to"), queryset=User.objects.none())

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = office_officers(office)
        self.fields["officer"].label_from_instance = lambda u: u.full_name or u.email


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to the user)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note (not shown to the user)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DeliverForm(forms.Form):
    source = forms.ChoiceField(
        label=_("What to send"), choices=Source.choices, widget=forms.RadioSelect
    )
    page_range = forms.CharField(
        label=_("Page range"),
        required=False,
        max_length=200,
        help_text=_("For “Pages of the catalogue PDF”, for example 1-3, 7."),
    )
    scans = MultipleFileField(
        label=_("Scanned files"),
        required=False,
        help_text=_(
            "PDF, or JPEG/PNG pages; they are joined into one PDF in the order of their names."
        ),
    )

    def __init__(self, *args, softcopy_request, **kwargs):
        super().__init__(*args, **kwargs)
        publication = softcopy_request.publication
        if publication is None or not publication.has_softcopy:
            self.fields["source"].choices = [(Source.UPLOAD, Source.UPLOAD.label)]
            self.fields["source"].initial = Source.UPLOAD
            del self.fields["page_range"]
