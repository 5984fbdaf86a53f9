from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.choices import Role
from history.choices import AuditAction
from history.log import label, record

from ..choices import Service
from ..forms import LeaveDayForm, ServiceStandardForm
from ..models import LeaveDay, Office, ServiceStandard, StandardConflict
from ..permissions import office_required, staff_required
from ..time import local_day
from ..workdays import national_holidays


@staff_required
def office_home(request):
    """The back office's start page: the user's offices and what each role may open."""
    user = request.user
    if user.is_superuser:
        offices = [(office, Role.SUPERVISOR.label) for office in Office.objects.all()]
    else:
        memberships = user.memberships.select_related("office").order_by("office__code")
        offices = [(m.office, m.get_role_display()) for m in memberships]
    return render(request, "offices/office/home.html", {"offices": offices})


def _current_standard(office, service):
    if service not in Service.values:
        raise Http404
    standard = ServiceStandard.objects.current_for(office, service)
    if standard is None:
        raise Http404
    return standard


@office_required(Role.SUPERVISOR)
def standard_edit(request, office, service):
    standard = _current_standard(office, service)
    if request.method == "POST":
        form = ServiceStandardForm(
            request.POST, instance=ServiceStandard(office=office, service=service)
        )
        if form.is_valid():
            data = form.cleaned_data
            base = ServiceStandard.objects.filter(
                office=office, service=service, version=data["base_version"]
            ).first()
            changes = {name: data[name] for name in ServiceStandard.CONTENT_FIELDS}
            try:
                if base is None:
                    raise StandardConflict(standard.version)
                new = base.revise(by=request.user, change_note=data["change_note"], **changes)
            except StandardConflict as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("Saved as version %(version)d.") % {"version": new.version}
                )
                return redirect("offices:standard-detail", office.code, service)
    else:
        form = ServiceStandardForm(
            instance=standard, initial={"base_version": standard.version, "change_note": ""}
        )
    return render(
        request,
        "offices/office/standard_edit.html",
        {"office": office, "standard": standard, "form": form},
    )


@office_required(Role.SUPERVISOR)
def standard_history(request, office, service):
    current = _current_standard(office, service)
    versions = (
        ServiceStandard.objects.filter(office=office, service=service)
        .select_related("created_by")
        .order_by("-version")
    )
    selected = current
    if "version" in request.GET:
        selected = next((v for v in versions if str(v.version) == request.GET["version"]), None)
        if selected is None:
            raise Http404
    return render(
        request,
        "offices/office/standard_history.html",
        {"office": office, "standard": current, "versions": versions, "selected": selected},
    )


@office_required(Role.SUPERVISOR)
def leave_day_list(request, office):
    """The office's leave days (cuti bersama) beside the national holidays of the year."""
    year = local_day(office).year
    if request.method == "POST":
        form = LeaveDayForm(request.POST, office=office)
        if form.is_valid():
            leave_day = form.save()
            record(
                label(leave_day, leave_day.date.isoformat()),
                AuditAction.SETTINGS,
                actor=request.user,
                office=office,
                detail=f"leave day added: {leave_day.name}",
            )
            messages.success(
                request,
                _("%(date)s is now a leave day.") % {"date": date_format(leave_day.date)},
            )
            return redirect("offices:leave-day-list", office.code)
    else:
        form = LeaveDayForm(office=office)
    leave_days = LeaveDay.objects.filter(office=office, date__year__gte=year - 1)
    holidays = sorted(national_holidays(year).items()) + sorted(national_holidays(year + 1).items())
    return render(
        request,
        "offices/office/leaveday_list.html",
        {"office": office, "form": form, "leave_days": leave_days, "holidays": holidays},
    )


@office_required(Role.SUPERVISOR)
@require_POST
def leave_day_delete(request, office, pk):
    leave_day = get_object_or_404(LeaveDay, office=office, pk=pk)
    leave_day.delete()
    record(
        label(leave_day, leave_day.date.isoformat()),
        AuditAction.SETTINGS,
        actor=request.user,
        office=office,
        detail="leave day removed",
    )
    messages.success(
        request, _("%(date)s is a working day again.") % {"date": date_format(leave_day.date)}
    )
    return redirect("offices:leave-day-list", office.code)
