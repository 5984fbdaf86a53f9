"""The officer's work queue: filter, assign, start, reject, note, send the file."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.choices import Role
from core.permissions import office_required
from offices.workdays import WorkingCalendar
from visits.models import Visit

from .. import services
from ..choices import OPEN_STATES, Status
from ..files import in_name_order
from ..forms import (
    AssignForm,
    DeliverForm,
    NoteForm,
    OnSiteRequestForm,
    QueueFilterForm,
    RejectForm,
    office_officers,
)
from ..models import InternalNote, RequestEvent, SoftcopyRequest


def _request(office, number):
    return get_object_or_404(
        SoftcopyRequest.objects.for_queue()
        .select_related("visit", "created_by", "fulfilment__delivered_by")
        .prefetch_related(
            Prefetch("events", queryset=RequestEvent.objects.select_related("actor")),
            Prefetch("internal_notes", queryset=InternalNote.objects.select_related("author")),
        ),
        office=office,
        number=number,
    )


def _today(office):
    return timezone.localdate(timezone=office.tzinfo)


def filter_queue(office, data, *, user):
    """The queue's requests for the filter ``data`` (a bound, valid QueueFilterForm's data)."""
    requests = SoftcopyRequest.objects.filter(office=office).for_queue()
    status = data.get("status") or ""
    if status == "":
        requests = requests.filter(status__in=OPEN_STATES)
    elif status != "all":
        requests = requests.filter(status=status)
    today = _today(office)
    due = data.get("due") or ""
    if due == "overdue":
        requests = requests.overdue(today)
    elif due == "today":
        requests = requests.open().filter(due_date=today)
    elif due == "week":
        limit = WorkingCalendar(office).add_working_days(today, 5)
        requests = requests.open().filter(due_date__lte=limit)
    assignee = data.get("assignee") or ""
    if assignee == "me":
        requests = requests.filter(assignee=user)
    elif assignee == "none":
        requests = requests.filter(assignee__isnull=True)
    elif assignee.isdigit():
        requests = requests.filter(assignee_id=int(assignee))
    return requests.order_by("due_date", "created_at")


@office_required(Role.OFFICER)
def queue(request, office):
    officers = list(office_officers(office))
    form = QueueFilterForm(request.GET or None, officers=officers)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = Paginator(filter_queue(office, data, user=request.user), 25).get_page(
        request.GET.get("page")
    )
    today = _today(office)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "softcopies/office/request_list.html",
        {
            "office": office,
            "form": form,
            "page_obj": page,
            "today": today,
            "overdue_count": SoftcopyRequest.objects.filter(office=office).overdue(today).count(),
            "extra_query": f"&{query.urlencode()}" if query else "",
        },
    )


@office_required(Role.SUPERVISOR)
def summary(request, office):
    """The supervisor's view: requests per status, overdue ones listed."""
    today = _today(office)
    counts = SoftcopyRequest.objects.filter(office=office).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in Status.values}
    )
    overdue = SoftcopyRequest.objects.filter(office=office).overdue(today).for_queue()
    page = Paginator(overdue.order_by("due_date"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "softcopies/office/request_summary.html",
        {
            "office": office,
            "counts": [(label, counts[value]) for value, label in Status.choices],
            "page_obj": page,
            "today": today,
        },
    )


def _open_visits(office):
    return (
        Visit.objects.filter(office=office, day=_today(office), checked_out_at__isnull=True)
        .select_related("guest_book", "visitor")
        .order_by("guest_book_at")
    )


@office_required(Role.OFFICER)
def request_create(request, office):
    """On site: the officer opens a request or logs a scan job for a visitor."""
    visits = _open_visits(office)
    initial = {}
    if request.GET.get("visit", "").isdigit():
        initial["visit"] = visits.filter(pk=request.GET["visit"]).first()
    if request.method == "POST":
        form = OnSiteRequestForm(request.POST, office=office, visits=visits)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.create_request(
                    office=office,
                    user=data["user"],
                    publication=data["publication"],
                    description=data["description"],
                    pages=data["pages"],
                    purpose=data["purpose"],
                    kind=data["kind"],
                    visit=data["visit"],
                    by=request.user,
                )
            except services.SoftcopyError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("Request %(number)s opened.") % {"number": created.number}
                )
                return redirect(created.get_office_url())
    else:
        form = OnSiteRequestForm(initial=initial, office=office, visits=visits)
    return render(
        request, "softcopies/office/request_create.html", {"office": office, "form": form}
    )


@office_required(Role.OFFICER)
def request_detail(request, office, number):
    softcopy_request = _request(office, number)
    return _detail(request, office, softcopy_request)


def _detail(request, office, softcopy_request, *, status=200, **forms):
    context = {
        "office": office,
        "request_obj": softcopy_request,
        "overdue": softcopy_request.is_overdue(_today(office)),
        "assign_form": forms.get("assign_form")
        or AssignForm(office=office, initial={"officer": softcopy_request.assignee_id}),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "note_form": forms.get("note_form") or NoteForm(),
        "deliver_form": forms.get("deliver_form") or DeliverForm(softcopy_request=softcopy_request),
    }
    return render(request, "softcopies/office/request_detail.html", context, status=status)


@office_required(Role.OFFICER)
@require_POST
def request_assign(request, office, number):
    softcopy_request = _request(office, number)
    form = AssignForm(request.POST, office=office)
    if not form.is_valid():
        return _detail(request, office, softcopy_request, status=400, assign_form=form)
    try:
        services.assign(softcopy_request, to=form.cleaned_data["officer"], by=request.user)
    except services.SoftcopyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The request has been assigned."))
    return redirect(softcopy_request.get_office_url())


@office_required(Role.OFFICER)
@require_POST
def request_start(request, office, number):
    softcopy_request = _request(office, number)
    try:
        services.start(softcopy_request, by=request.user)
    except services.SoftcopyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The request is now in progress."))
    return redirect(softcopy_request.get_office_url())


@office_required(Role.OFFICER)
@require_POST
def request_reject(request, office, number):
    softcopy_request = _request(office, number)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _detail(request, office, softcopy_request, status=400, reject_form=form)
    try:
        services.reject(softcopy_request, reason=form.cleaned_data["reason"], by=request.user)
    except services.SoftcopyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The request has been rejected; the user has been told."))
    return redirect(softcopy_request.get_office_url())


@office_required(Role.OFFICER)
@require_POST
def request_note(request, office, number):
    softcopy_request = _request(office, number)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _detail(request, office, softcopy_request, status=400, note_form=form)
    services.add_note(softcopy_request, text=form.cleaned_data["text"], by=request.user)
    messages.success(request, _("Note saved."))
    return redirect(softcopy_request.get_office_url())


@office_required(Role.OFFICER)
@require_POST
def request_deliver(request, office, number):
    softcopy_request = _request(office, number)
    form = DeliverForm(request.POST, request.FILES, softcopy_request=softcopy_request)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.deliver(
                softcopy_request,
                by=request.user,
                source=data["source"],
                page_range=data.get("page_range", ""),
                uploads=in_name_order(data.get("scans") or []),
            )
        except services.SoftcopyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The file has been sent; the user has been told by e-mail.")
            )
            return redirect(softcopy_request.get_office_url())
    return _detail(request, office, softcopy_request, status=400, deliver_form=form)
