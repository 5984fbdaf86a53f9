"""The officers' complaint register: list, registration, handling, attachments, export."""

import csv
import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from accounts.choices import Role
from core import hooks
from core.permissions import office_required
from offices.workdays import WorkingCalendar
from privacy import audit
from privacy.choices import AuditAction

from .. import services
from ..choices import CLOCK_RUNNING, FINISHED, Status
from ..forms import (
    AssignForm,
    ClassifyForm,
    ConfirmForm,
    MessageForm,
    OfficerComplaintForm,
    PolicyForm,
    ReasonForm,
    RegisterFilterForm,
)
from ..models import Complaint, ComplaintEvent, ComplaintMessage, ComplaintPolicy

PER_PAGE = 25
SOON_WORKING_DAYS = 2


def _register(request, office):
    """The filtered register queryset, the filter form, today and the office calendar."""
    calendar = WorkingCalendar(office)
    today = office.local_now().date()
    form = RegisterFilterForm(request.GET or None)
    complaints = Complaint.objects.filter(office=office).select_related("assignee")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            term = data["q"].strip()
            complaints = complaints.filter(
                Q(tracking_code__iexact=term) | Q(lapor_number__iexact=term)
            )
        if data["channel"]:
            complaints = complaints.filter(channel=data["channel"])
        if data["status"] == "open":
            complaints = complaints.exclude(status__in=FINISHED)
        elif data["status"]:
            complaints = complaints.filter(status=data["status"])
        if data["category"]:
            complaints = complaints.filter(category=data["category"])
        if data["due"] == "overdue":
            complaints = complaints.overdue(today).order_by("due_date", "id")
        elif data["due"] == "soon":
            complaints = complaints.due_by(
                calendar.add_working_days(today, SOON_WORKING_DAYS)
            ).order_by("due_date", "id")
        if data["due_by"]:
            complaints = complaints.due_by(data["due_by"]).order_by("due_date", "id")
        if data["mine"]:
            complaints = complaints.filter(assignee=request.user)
    return complaints, form, today, calendar


@office_required(Role.OFFICER)
def complaint_list(request, office):
    complaints, form, today, calendar = _register(request, office)
    page = Paginator(complaints, PER_PAGE).get_page(request.GET.get("page"))
    soon = calendar.add_working_days(today, SOON_WORKING_DAYS)
    running = Complaint.objects.filter(office=office).clock_running()
    summary = running.aggregate(
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        due_soon=Count("pk", filter=Q(due_date__gte=today, due_date__lte=soon)),
    )
    rows = [
        {
            "complaint": c,
            "overdue": c.is_overdue(today),
            "due_soon": c.status in CLOCK_RUNNING and c.due_date and today <= c.due_date <= soon,
        }
        for c in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "complaints/office/complaint_list.html",
        {
            "office": office,
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "today": today,
            "summary": summary,
        },
    )


@office_required(Role.OFFICER)
def complaint_create(request, office):
    # The date typed is the office's local time.
    with timezone.override(office.tzinfo):
        return _complaint_create(request, office)


def _complaint_create(request, office):
    if request.method == "POST":
        form = OfficerComplaintForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                complaint = services.submit_complaint(
                    office=office,
                    by=request.user,
                    **{
                        name: data[name]
                        for name in (
                            "channel",
                            "description",
                            "received_at",
                            "service",
                            "incident_date",
                            "contact_name",
                            "contact_email",
                            "contact_whatsapp",
                            "language",
                            "lapor_number",
                            "lapor_classification",
                            "severity",
                            "attachments",
                        )
                    },
                )
            except services.ComplaintError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("Complaint registered with tracking code %(code)s.")
                    % {"code": complaint.tracking_code},
                )
                return redirect(complaint)
    else:
        form = OfficerComplaintForm(
            initial={"received_at": timezone.localtime().replace(second=0, microsecond=0)}
        )
    return render(
        request, "complaints/office/complaint_create.html", {"office": office, "form": form}
    )


def _get_complaint(office, tracking_code):
    return get_object_or_404(
        Complaint.objects.select_related("office", "assignee", "complainant", "created_by"),
        office=office,
        tracking_code=tracking_code,
    )


@office_required(Role.OFFICER)
def complaint_detail(request, office, tracking_code):
    return _render_detail(request, office, _get_complaint(office, tracking_code), revealed=False)


def _render_detail(request, office, complaint, *, revealed):
    events = ComplaintEvent.objects.filter(complaint=complaint).select_related("actor")
    thread = ComplaintMessage.objects.filter(complaint=complaint).select_related("author")
    today = office.local_now().date()
    return render(
        request,
        "complaints/office/complaint_detail.html",
        {
            "office": office,
            "complaint": complaint,
            "events": events,
            "thread": thread,
            "attachments": complaint.attachments.all(),
            "today": today,
            "overdue": complaint.is_overdue(today),
            "remaining": complaint.remaining_working_days(today),
            "classify_form": ClassifyForm(
                initial={
                    "severity": complaint.severity,
                    "category": complaint.category,
                    "ikm_element": complaint.ikm_element,
                }
            ),
            "assign_form": AssignForm(office=office, initial={"assignee": complaint.assignee_id}),
            "reason_form": ReasonForm(),
            "message_form": MessageForm(),
            "Status": Status,
            "is_open": complaint.status not in FINISHED,
            "revealed": revealed,
            # Fragments of higher apps (the channels: messages on e-mail, WhatsApp, Instagram).
            "panels": hooks.call("complaints.detail_panels", complaint=complaint, request=request),
        },
    )


@office_required(Role.OFFICER)
@require_POST
def complaint_reveal(request, office, tracking_code):
    """Show the complainant's identity unmasked; every reveal is written to the audit log."""
    complaint = _get_complaint(office, tracking_code)
    audit.record(
        request,
        AuditAction.REVEAL,
        f"complaint {complaint.tracking_code}",
        office=office,
        detail="complainant identity",
    )
    return _render_detail(request, office, complaint, revealed=True)


def _reason(complaint, by, form, function):
    return function(complaint, by=by, reason=form.cleaned_data["reason"])


ACTIONS = {
    # action: (form, call(complaint, user, form), success message)
    "verify": (
        ClassifyForm,
        lambda c, u, f: services.verify(c, by=u, **f.cleaned_data),
        _("The complaint is verified."),
    ),
    "classify": (
        ClassifyForm,
        lambda c, u, f: services.classify(c, by=u, **f.cleaned_data),
        _("The classification is saved."),
    ),
    "hold": (
        ReasonForm,
        lambda c, u, f: _reason(c, u, f, services.put_on_hold),
        _("The complaint is on hold; its clock is paused."),
    ),
    "resume": (
        ConfirmForm,
        lambda c, u, f: services.resume(c, by=u),
        _("The complaint is back in handling; its clock runs again."),
    ),
    "not-ours": (
        ReasonForm,
        lambda c, u, f: _reason(c, u, f, services.mark_not_ours),
        _("The complaint is recorded as outside our competence."),
    ),
    "assign": (
        AssignForm,
        lambda c, u, f: services.assign(c, by=u, assignee=f.cleaned_data["assignee"]),
        _("The complaint is assigned."),
    ),
    "answer": (
        MessageForm,
        lambda c, u, f: services.answer(c, by=u, body=f.cleaned_data["body"]),
        _("The answer is sent to the complainant."),
    ),
    "note": (
        MessageForm,
        lambda c, u, f: services.add_note(c, by=u, body=f.cleaned_data["body"]),
        _("The internal note is saved."),
    ),
    "close": (ConfirmForm, lambda c, u, f: services.close(c, by=u), _("The complaint is closed.")),
}


@office_required(Role.OFFICER)
@require_POST
def complaint_action(request, office, tracking_code, action):
    if action not in ACTIONS:
        raise Http404
    complaint = _get_complaint(office, tracking_code)
    form_class, call, success = ACTIONS[action]
    kwargs = {"office": office} if form_class is AssignForm else {}
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(complaint)
    try:
        call(complaint, request.user, form)
    except services.ComplaintError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, str(success))
    return redirect(complaint)


@office_required(Role.OFFICER)
def attachment_download(request, office, tracking_code, pk):
    complaint = _get_complaint(office, tracking_code)
    attachment = get_object_or_404(complaint.attachments, pk=pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


EXPORT_COLUMNS = [
    ("tracking_code", _("Tracking code")),
    ("channel", _("Channel")),
    ("lapor_number", _("LAPOR! number")),
    ("lapor_classification", _("LAPOR! classification")),
    ("service", _("Service")),
    ("category", _("Category")),
    ("ikm_element", _("IKM element")),
    ("severity", _("Severity")),
    ("status", _("Status")),
    ("received", _("Received")),
    ("due_date", _("Due date")),
    ("overdue", _("Overdue")),
    ("verified", _("Verified")),
    ("answered", _("Answered")),
    ("answered_late", _("Answered late")),
    ("closed", _("Closed on")),
    ("assignee", _("Assigned to")),
]


def _safe(value):
    """Cells a spreadsheet would run as a formula are written as text."""
    value = "" if value is None else str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _export_rows(complaints, today):
    def when(moment):
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""

    for c in complaints:
        yield [
            _safe(value)
            for value in (
                c.tracking_code,
                c.get_channel_display(),
                c.lapor_number,
                c.get_lapor_classification_display(),
                c.get_service_display(),
                c.get_category_display(),
                c.ikm_element,
                c.get_severity_display(),
                c.get_status_display(),
                when(c.received_at),
                c.due_date.isoformat() if c.due_date else "",
                _("yes") if c.is_overdue(today) else "",
                when(c.verified_at),
                when(c.answered_at),
                _("yes") if c.answered_late else "",
                when(c.closed_at),
                c.assignee.full_name if c.assignee else "",
            )
        ]


@office_required(Role.OFFICER)
def complaint_export(request, office, fmt):
    """The filtered register as CSV or XLSX, without the complainants' identities or texts."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    complaints, _form, today, _calendar = _register(request, office)
    audit.record(
        request,
        AuditAction.EXPORT,
        f"complaint register ({fmt})",
        office=office,
        detail=request.GET.urlencode()[:500],
    )
    header = [str(label) for _name, label in EXPORT_COLUMNS]
    rows = _export_rows(complaints.iterator(chunk_size=500), today)
    filename = f"pengaduan-{office.code}-{today:%Y%m%d}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Complaints")[:31])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


@office_required(Role.SUPERVISOR)
def policy_edit(request, office):
    policy = ComplaintPolicy.for_office(office)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit.record(
            request,
            AuditAction.SETTINGS,
            audit.label(policy, office.code),
            office=office,
            detail=audit.changes(form),
        )
        messages.success(
            request, _("Saved. New targets apply to complaints classified from now on.")
        )
        return redirect("complaints:policy-edit", office.code)
    return render(request, "complaints/office/policy_edit.html", {"office": office, "form": form})
