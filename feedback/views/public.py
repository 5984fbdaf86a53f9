"""Pages without back-office login: the survey behind a one-time link, the user's pending
surveys and an office's published summary."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation

from core.errors import DomainError
from offices.models import Office
from offices.time import activate, local_day

from .. import services
from ..choices import GRADE_LABELS, RESPONDENT_FIELDS, PeriodKind
from ..forms import SurveyForm
from ..models import SurveyInvitation, SurveySettings


def _missing_profile(invitation):
    known = services.profile_from_user(invitation.user)
    return [field for field in RESPONDENT_FIELDS if not known[field]]


def survey(request, token):
    """The IKM survey of one served visit, download session or delivered request."""
    try:
        invitation = services.invitation_from_token(token)
    except DomainError as exc:
        return render(
            request, "feedback/public/survey_closed.html", {"message": str(exc)}, status=404
        )
    context = {"invitation": invitation, "office": invitation.office}
    if invitation.is_answered:
        return render(request, "feedback/public/survey_done.html", context)
    if invitation.is_expired():
        return render(
            request,
            "feedback/public/survey_closed.html",
            {
                **context,
                "message": str(services.LINK_EXPIRED),
            },
            status=410,
        )
    form = SurveyForm(request.POST or None, ask_profile=_missing_profile(invitation))
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(
                invitation,
                scores=form.scores,
                overall=form.cleaned_data["overall"],
                comment=form.cleaned_data["comment"],
                profile=form.profile,
                language=translation.get_language() or "",
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("feedback:survey", token=token)
    return render(
        request,
        "feedback/public/survey_answer.html",
        {
            **context,
            "form": form,
            "anonymous": SurveySettings.for_office(invitation.office).anonymous,
        },
    )


@login_required
def my_surveys(request):
    """The signed-in user's surveys still to answer (download days, visits, requests)."""
    services.pending_download_invitations(request.user)
    invitations = list(
        SurveyInvitation.objects.open()
        .filter(user=request.user)
        .select_related("office")
        .order_by("-created_at")[:20]
    )
    return render(request, "feedback/public/survey_list.html", {"invitations": invitations})


def summary(request, code):
    """The office's published satisfaction index: this year so far and the last months."""
    office = get_object_or_404(Office, code=code)
    if not SurveySettings.for_office(office).publish_summary:
        raise Http404
    today = local_day(office)
    year_start, year_end = services.period_bounds(PeriodKind.YEAR, today.year)
    year = services.summarize(office, year_start, year_end)
    trend = services.trend(office, PeriodKind.MONTH, today.year, today.month, count=6)
    with activate(office):
        return render(
            request,
            "feedback/public/summary.html",
            {
                "office": office,
                "year": year,
                "rows": services.element_rows(year["result"]),
                "grade_labels": GRADE_LABELS,
                "trend": trend,
            },
        )
