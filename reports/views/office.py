"""The supervisor's reports: dashboard, monthly report, raw-log exports, settings.

Supervisors only (and administrators): the figures cover the whole office,
exports can include personal data, and the head of office is who the issue
names. Officers get 403 like visitors; they have their own working lists.
"""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.choices import Role
from core import exports
from history.choices import AuditAction
from history.context import client_ip
from history.log import record
from offices.models import Office
from offices.permissions import office_required
from offices.time import local_day

from .. import sections
from ..choices import ReportFormat
from ..exports import EXPORTS
from ..forms import ExportForm, MonthlyReportForm, PeriodForm, PublishForm
from ..models import ExportLog, ReportSettings
from ..monthly import CONTENT_TYPES, build_monthly, filename
from ..services import record_export

EXPORT_LOG_PAGE = 20


def _shortcuts(office):
    """Quick ranges: today, this month, last month, this year (office time)."""
    today = local_day(office)
    first = today.replace(day=1)
    last_month_end = first - datetime.timedelta(days=1)
    return [
        (_("Today"), today, today),
        (_("This month"), first, today),
        (_("Last month"), last_month_end.replace(day=1), last_month_end),
        (_("This year"), today.replace(month=1, day=1), today),
    ]


@require_GET
@office_required(Role.SUPERVISOR)
def dashboard(request, office):
    if request.GET:
        form = PeriodForm(request.GET, office=office)
    else:
        # No filter yet: this month until today, shown in the fields.
        today = local_day(office)
        form = PeriodForm({"start": today.replace(day=1), "end": today}, office=office)
    results, charts, period = [], [], None
    if form.is_valid():
        period = form.cleaned_data["period"]
        results = sections.build(office, period)
        for section in results:
            for table in section.tables:
                if table.chart and table.rows:
                    charts.append({"id": f"chart-{section.key}-{table.key}", **table.chart_data()})
    last_month = _shortcuts(office)[2][1]
    return render(
        request,
        "reports/office/dashboard_show.html",
        {
            "office": office,
            "form": form,
            "period": period,
            "sections": results,
            "charts": {"charts": charts},
            "shortcuts": _shortcuts(office),
            "offices": Office.objects.with_role(request.user, Role.SUPERVISOR).order_by("code"),
            "monthly_form": MonthlyReportForm(
                initial={"month": f"{last_month:%Y-%m}", "file_format": ReportFormat.XLSX},
                office=office,
            ),
        },
    )


@require_GET
@office_required(Role.SUPERVISOR)
def monthly_report(request, office):
    form = MonthlyReportForm(request.GET, office=office)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect("reports:dashboard-show", office.code)
    period = form.cleaned_data["month"]
    file_format = form.cleaned_data["file_format"]
    response = HttpResponse(
        build_monthly(office, period, file_format), content_type=CONTENT_TYPES[file_format]
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{filename(office, period, file_format)}"'
    )
    return response


@require_http_methods(["GET", "POST"])
@office_required(Role.SUPERVISOR)
def export_create(request, office):
    form = ExportForm(request.POST or None, office=office)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        period, kind, file_format = data["period"], data["kind"], data["file_format"]
        personal = data["with_personal_data"]
        rows = EXPORTS[kind].rows(office, period, personal=personal)
        content, count = exports.write(rows, file_format, title=kind)
        record_export(
            office,
            actor=request.user,
            kind=kind,
            file_format=file_format,
            period=period,
            with_personal_data=personal,
            rows=count,
            ip=client_ip(request),
        )
        # The office-wide append-only audit log the data-protection officer reads.
        record(
            f"reports:{kind} {period.start}–{period.end}",
            AuditAction.EXPORT,
            actor=request.user,
            office=office,
            detail=f"{file_format}, {count} rows, personal data: {'yes' if personal else 'no'}",
        )
        name = f"{kind}-{office.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
        return exports.download(content, file_format, name)
    log = ExportLog.objects.filter(office=office).select_related("actor")
    page = Paginator(log, EXPORT_LOG_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/office/export_create.html",
        {
            "office": office,
            "form": form,
            "page": page,
            "report_settings": ReportSettings.for_office(office),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_POST
@office_required(Role.SUPERVISOR)
def settings_update(request, office):
    form = PublishForm(request.POST)
    form.is_valid()
    publish = form.cleaned_data.get("publish_statistics", False)
    ReportSettings.for_office(office).set_publish(publish, by=request.user)
    record(
        "reports:publish_statistics",
        AuditAction.SETTINGS,
        actor=request.user,
        office=office,
        detail=f"publish_statistics={publish}",
    )
    if publish:
        messages.success(request, _("The visitor statistics are now public."))
    else:
        messages.success(request, _("The visitor statistics are no longer public."))
    return redirect("reports:export-create", office.code)
