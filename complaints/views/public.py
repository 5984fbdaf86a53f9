"""Public pages: the complaint form, tracking by code, and "my complaints" for signed-in users.

Tracking pages show the status, dates and the office's public messages only: never
internal notes, officer names or the complainant's identity.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.views import run
from offices.models import Office
from offices.time import activate

from .. import services
from ..choices import Channel, EventKind, MessageKind
from ..forms import PublicComplaintForm, TrackForm
from ..models import Complaint, normalise_tracking_code
from ..ratelimit import limit_exceeded


def _public_office(request):
    code = request.GET.get("office") or settings.DEFAULT_OFFICE_CODE
    return get_object_or_404(Office, code=code, is_active=True)


def _rate_limited(request):
    return render(request, "complaints/public/rate_limited.html", status=429)


def lookup_limited(request):
    return limit_exceeded("complaint-lookup", request, settings.COMPLAINT_LOOKUPS_PER_MINUTE, 60)


def submit_limited(request):
    return limit_exceeded(
        "complaint-submit", request, settings.COMPLAINT_SUBMISSIONS_PER_HOUR, 3600
    )


def complaint_create(request):
    office = _public_office(request)
    with activate(office):  # "today" for the incident date is the office's
        return _complaint_create(request, office)


def _complaint_create(request, office):
    if request.method == "POST":
        form = PublicComplaintForm(request.POST, request.FILES)
        if form.is_valid():
            if submit_limited(request):
                return _rate_limited(request)
            data = form.cleaned_data
            complaint = services.submit_complaint(
                office=office,
                channel=Channel.WEB,
                description=data["description"],
                complainant=request.user if request.user.is_authenticated else None,
                service=data["service"],
                incident_date=data["incident_date"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                contact_whatsapp=data["contact_whatsapp"],
                language=request.LANGUAGE_CODE
                if request.LANGUAGE_CODE in dict(settings.LANGUAGES)
                else "id",
                attachments=data["attachments"],
            )
            messages.success(
                request,
                _("Your complaint has been received. Keep its tracking code: %(code)s")
                % {"code": complaint.tracking_code},
            )
            return redirect("complaints:complaint-track", complaint.tracking_code)
    else:
        form = PublicComplaintForm()
    return render(
        request, "complaints/public/complaint_create.html", {"form": form, "office": office}
    )


def complaint_lookup(request):
    """The "track a complaint" form: a code leads to its page."""
    form = TrackForm(request.GET or None)
    if form.is_valid():
        if lookup_limited(request):
            return _rate_limited(request)
        code = normalise_tracking_code(form.cleaned_data["code"])
        if code and Complaint.objects.filter(tracking_code=code).exists():
            return redirect("complaints:complaint-track", code)
        form.add_error("code", _("No complaint has this tracking code. Check it and try again."))
    return render(request, "complaints/public/complaint_lookup.html", {"form": form})


def complaint_track(request, code):
    if lookup_limited(request):
        return _rate_limited(request)
    canonical = normalise_tracking_code(code)
    if canonical is None:
        raise Http404
    if canonical != code:
        return redirect("complaints:complaint-track", canonical)
    complaint = get_object_or_404(
        Complaint.objects.select_related("office"), tracking_code=canonical
    )
    answers = complaint.messages.filter(kind=MessageKind.ANSWER).only("body", "created_at")
    history = complaint.events.filter(kind=EventKind.STATUS).only("at", "to_status")
    with activate(complaint.office):  # dates as the office's clock shows them
        return render(
            request,
            "complaints/public/complaint_track.html",
            {
                "complaint": complaint,
                "answers": answers,
                "history": history,
                "can_confirm": "confirm" in complaint.allowed_actions(),
            },
        )


@require_POST
def complaint_confirm(request, code):
    """The complainant confirms the answer settles the complaint: it is closed."""
    if lookup_limited(request):
        return _rate_limited(request)
    complaint = get_object_or_404(Complaint, tracking_code=code)
    run(
        request,
        lambda: complaint.close(confirmed=True),
        _("Thank you. Your complaint is closed."),
    )
    return redirect("complaints:complaint-track", complaint.tracking_code)


@login_required
def complaint_mine(request):
    complaints = Complaint.objects.filter(complainant=request.user).select_related("office")
    page = Paginator(complaints, 20).get_page(request.GET.get("page"))
    return render(request, "complaints/public/complaint_mine.html", {"page": page})
