"""The officers' complaint register: list, registration, handling, attachments, export."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.choices import Role
from core import exports
from core.errors import DomainError
from core.exports import CONTENT_TYPES
from core.views import Step, perform
from history.choices import AuditAction
from history.log import changes, label, record
from offices.permissions import office_required
from offices.time import local_day, local_now, local_time
from offices.workdays import WorkingCalendar

from .. import hooks, services
from ..choices import FINISHED
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
from ..models import Complaint, ComplaintEvent, ComplaintMessage, ComplaintPolicy, overdue_q

PER_PAGE = 25
SOON_WORKING_DAYS = 2


def _register(request, office):
    """The filtered register queryset, the filter form, today and the office calendar."""
    calendar = WorkingCalendar(office)
    today = local_day(office)
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
        overdue=Count("pk", filter=overdue_q(today)),
        due_soon=Count("pk", filter=Q(due_date__gte=today, due_date__lte=soon)),
    )
    rows = [
        {
            "complaint": c,
            "overdue": c.is_overdue(today),
            "due_soon": c.is_due_between(today, soon),
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
    # The date typed is the office's local time (office_required activates its zone).
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
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Complaint registered with tracking code %(code)s.")
                    % {"code": complaint.tracking_code},
                )
                return redirect(complaint)
    else:
        form = OfficerComplaintForm(
            initial={"received_at": local_now(office).replace(second=0, microsecond=0)}
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
    today = local_day(office)
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
            "actions": complaint.allowed_actions(request.user),
            "revealed": revealed,
            # Fragments of higher apps (the channels: messages on e-mail, WhatsApp, Instagram).
            "panels": hooks.detail_panels(complaint=complaint, request=request),
        },
    )


@office_required(Role.OFFICER)
@require_POST
def complaint_reveal(request, office, tracking_code):
    """Show the complainant's identity unmasked; every reveal is written to the audit log."""
    complaint = _get_complaint(office, tracking_code)
    record(
        f"complaint {complaint.tracking_code}",
        AuditAction.REVEAL,
        actor=request.user,
        office=office,
        detail="complainant identity",
    )
    return _render_detail(request, office, complaint, revealed=True)


# The register's steps on a complaint (URL ``…/complaints/<code>/<action>/``).
COMPLAINT_STEPS = {
    "verify": Step(
        lambda c, user, data: c.verify(by=user, **data),
        gettext_lazy("The complaint is verified."),
        form=ClassifyForm,
    ),
    "classify": Step(
        lambda c, user, data: c.classify(by=user, **data),
        gettext_lazy("The classification is saved."),
        form=ClassifyForm,
    ),
    "hold": Step(
        lambda c, user, data: c.put_on_hold(by=user, reason=data["reason"]),
        gettext_lazy("The complaint is on hold; its clock is paused."),
        form=ReasonForm,
    ),
    "resume": Step(
        lambda c, user, data: c.resume(by=user),
        gettext_lazy("The complaint is back in handling; its clock runs again."),
        form=ConfirmForm,
    ),
    "not-ours": Step(
        lambda c, user, data: c.mark_not_ours(by=user, reason=data["reason"]),
        gettext_lazy("The complaint is recorded as outside our competence."),
        form=ReasonForm,
    ),
    "assign": Step(
        lambda c, user, data: c.assign(by=user, assignee=data["assignee"]),
        gettext_lazy("The complaint is assigned."),
        form=AssignForm,
    ),
    "answer": Step(
        lambda c, user, data: c.answer(by=user, body=data["body"]),
        gettext_lazy("The answer is sent to the complainant."),
        form=MessageForm,
    ),
    "note": Step(
        lambda c, user, data: c.add_note(by=user, body=data["body"]),
        gettext_lazy("The internal note is saved."),
        form=MessageForm,
    ),
    "close": Step(
        lambda c, user, data: c.close(by=user),
        gettext_lazy("The complaint is closed."),
        form=ConfirmForm,
    ),
}


@office_required(Role.OFFICER)
@require_POST
def complaint_action(request, office, tracking_code, action):
    complaint = _get_complaint(office, tracking_code)
    form_kwargs = {"office": office} if action == "assign" else {}
    perform(request, COMPLAINT_STEPS, action, complaint, form_kwargs=form_kwargs)
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


def _export_rows(complaints, office, today):
    def when(moment):
        return local_time(office, moment).strftime("%Y-%m-%d %H:%M") if moment else ""

    yield [str(label) for _name, label in EXPORT_COLUMNS]
    for c in complaints:
        yield [
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
        ]


@office_required(Role.OFFICER)
def complaint_export(request, office, fmt):
    """The filtered register as CSV or XLSX, without the complainants' identities or texts."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    complaints, _form, today, _calendar = _register(request, office)
    record(
        f"complaint register ({fmt})",
        AuditAction.EXPORT,
        actor=request.user,
        office=office,
        detail=request.GET.urlencode()[:500],
    )
    rows = _export_rows(complaints.iterator(chunk_size=500), office, today)
    content, _count = exports.write(rows, fmt, title=_("Complaints"))
    return exports.download(content, fmt, f"pengaduan-{office.code}-{today:%Y%m%d}")


@office_required(Role.SUPERVISOR)
def policy_edit(request, office):
    policy = ComplaintPolicy.for_office(office)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        form.save()
        record(
            label(policy, office.code),
            AuditAction.SETTINGS,
            actor=request.user,
            office=office,
            detail=changes(form),
        )
        messages.success(
            request, _("Saved. New targets apply to complaints classified from now on.")
        )
        return redirect("complaints:policy-edit", office.code)
    return render(request, "complaints/office/policy_edit.html", {"office": office, "form": form})
