"""Back office: the IKM results, the printable report, officers' own ratings, settings."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Avg, Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from offices.choices import Service
from offices.permissions import office_required
from offices.time import local_day
from visits.models import Visit

from .. import report, services
from ..choices import PeriodKind
from ..forms import PROFILE_CHOICES, PeriodForm, SurveySettingsForm
from ..models import SurveySettings

TREND_LENGTH = {PeriodKind.MONTH: 12, PeriodKind.SEMESTER: 6, PeriodKind.YEAR: 5}


def _period(request, office):
    """(form, kind, year, index, service) from the query string, defaulting to this month."""
    form = PeriodForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    kind = data.get("period") or PeriodKind.MONTH
    year, index = services.current_period(kind, local_day(office))
    year = data.get("year") or year
    if kind != PeriodKind.YEAR and data.get("index"):
        index = data["index"]
    if kind == PeriodKind.SEMESTER and index not in (1, 2):
        index = 1
    return form, kind, year, index, data.get("service") or None


def _context(request, office):
    form, kind, year, index, service = _period(request, office)
    start, end = services.period_bounds(kind, year, index)
    summary = services.summarize(office, start, end, service=service)
    return {
        "office": office,
        "form": form,
        "kind": kind,
        "period_label": services.period_label(kind, year, index),
        "summary": summary,
        "result": summary["result"],
        "rows": services.element_rows(summary["result"]),
        "service": service,
        "service_label": dict(Service.choices).get(service, _("All services")),
        "query": request.GET.urlencode(),
        "kind_year_index": (kind, year, index),
    }


@office_required(Role.SUPERVISOR)
def results(request, office):
    """Per-element bars, the trend, per service and per officer, and the comments."""
    context = _context(request, office)
    kind, year, index = context.pop("kind_year_index")
    responses = context["summary"]["responses"]
    by_service = services.ikm_by(responses, "service")
    by_officer = services.ikm_by(responses, "served_by")
    officers = User.objects.in_bulk([pk for pk in by_officer if pk])
    comments = Paginator(
        responses.exclude(comment="").only("day", "service", "overall", "comment"), 20
    ).get_page(request.GET.get("page"))
    context.update(
        {
            "trend": services.trend(
                office, kind, year, index, count=TREND_LENGTH[kind], service=context["service"]
            ),
            "by_service": [(label, by_service.get(code)) for code, label in Service.choices],
            "by_officer": sorted(
                (
                    (officers[pk].full_name if pk in officers else _("Not recorded"), result)
                    for pk, result in by_officer.items()
                ),
                key=lambda row: row[0],
            ),
            "comments": comments,
            "overall": responses.aggregate(avg=Avg("overall"))["avg"],
        }
    )
    return render(request, "feedback/office/results.html", context)


@office_required(Role.SUPERVISOR)
def results_report(request, office):
    """The survey report to print: profile, NRR per element, IKM and grade, priorities."""
    context = _context(request, office)
    context.pop("kind_year_index")
    responses = context["summary"]["responses"]
    context["profile"] = [
        (PROFILE_CHOICES[field][0], rows)
        for field, rows in services.profile_breakdown(responses).items()
    ]
    result = context["result"]
    context["priorities"] = (
        [context["rows"][i] for i in result.lowest_elements()] if result is not None else []
    )
    if request.GET.get("format") == "pdf":
        pdf = report.render_pdf(context)
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"ikm-{office.code}-{context['period_label'].replace('/', '-').replace(' ', '-')}"
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    return render(request, "feedback/office/results_report.html", context)


@office_required(Role.OFFICER)
def my_ratings(request, office):
    """The visits the signed-in officer served and the rating each was given."""
    visits = (
        Visit.objects.filter(office=office, served_by=request.user, finished_at__isnull=False)
        .select_related("guest_book")
        .order_by("-finished_at")
    )
    totals = visits.filter(rated_at__isnull=False).aggregate(n=Count("pk"), avg=Avg("rating"))
    page = Paginator(visits, 25).get_page(request.GET.get("page"))
    today = local_day(office)
    start, end = services.period_bounds(PeriodKind.MONTH, today.year, today.month)
    mine = services.compute_ikm(
        office.survey_responses.between(start, end).filter(served_by=request.user)
    )
    return render(
        request,
        "feedback/office/rating_list.html",
        {"office": office, "page_obj": page, "totals": totals, "month_result": mine},
    )


@office_required(Role.SUPERVISOR)
def settings_edit(request, office):
    current = SurveySettings.for_office(office)
    form = SurveySettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.update_settings(
            office,
            by=request.user,
            anonymous=form.cleaned_data["anonymous"],
            link_days=form.cleaned_data["link_days"],
            publish_summary=form.cleaned_data["publish_summary"],
        )
        messages.success(request, _("Survey settings saved."))
        return redirect("feedback:settings", office.code)
    changes = office.survey_settings_changes.select_related("changed_by")[:10]
    return render(
        request,
        "feedback/office/settings_edit.html",
        {"office": office, "form": form, "changes": changes},
    )
