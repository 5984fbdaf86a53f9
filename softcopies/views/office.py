"""The officer's work queue: filter, assign, start, reject, note, send the file."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.choices import Role
from core.errors import DomainError
from core.views import Step, perform
from offices.permissions import office_required
from offices.time import local_day
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
    return local_day(office)


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
            except DomainError as error:
                form.add_error(None, str(error))
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
        "actions": softcopy_request.allowed_actions(request.user),
    }
    return render(request, "softcopies/office/request_detail.html", context, status=status)


# The officer's steps on a request (one URL each, one view: ``request_action``).
REQUEST_STEPS = {
    "assign": Step(
        lambda r, user, data: r.assign(to=data["officer"], by=user),
        gettext_lazy("The request has been assigned."),
        form=AssignForm,
    ),
    "start": Step(
        lambda r, user, data: r.start(by=user),
        gettext_lazy("The request is now in progress."),
    ),
    "reject": Step(
        lambda r, user, data: services.reject(r, reason=data["reason"], by=user),
        gettext_lazy("The request has been rejected; the user has been told."),
        form=RejectForm,
    ),
    "note": Step(
        lambda r, user, data: services.add_note(r, text=data["text"], by=user),
        gettext_lazy("Note saved."),
        form=NoteForm,
    ),
    "deliver": Step(
        lambda r, user, data: services.deliver(
            r,
            by=user,
            source=data["source"],
            page_range=data.get("page_range", ""),
            uploads=in_name_order(data.get("scans") or []),
        ),
        gettext_lazy("The file has been sent; the user has been told by e-mail."),
        form=DeliverForm,
    ),
}
# Steps whose refusal is shown on their form (the file chosen must not be lost silently).
REFUSED_ON_FORM = {"deliver"}


@office_required(Role.OFFICER)
@require_POST
def request_action(request, office, number, action):
    softcopy_request = _request(office, number)
    form_kwargs = {
        "assign": {"office": office},
        "deliver": {"softcopy_request": softcopy_request},
    }.get(action, {})
    outcome = perform(
        request,
        REQUEST_STEPS,
        action,
        softcopy_request,
        form_kwargs=form_kwargs,
        redisplay=True,
        refusal_on_form=action in REFUSED_ON_FORM,
    )
    if (
        outcome.form is not None
        and not outcome.done
        and (not outcome.refused or action in REFUSED_ON_FORM)
    ):
        # An invalid form (or a refused delivery) is shown again with what was typed.
        return _detail(
            request, office, softcopy_request, status=400, **{f"{action}_form": outcome.form}
        )
    return redirect(softcopy_request.get_office_url())
