"""The front office: counter console, guest book, lockers, service, watch, day close."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.choices import PROFILE_FIELDS, Role
from accounts.models import User
from core.views import Step, perform, run
from history.choices import AuditAction
from history.log import record
from offices.models import Counter
from offices.permissions import office_required
from offices.time import local_day

from .. import services
from ..choices import CALLED_TICKET_STATES, DeviceKind
from ..forms import (
    DayForm,
    DeviceForm,
    GuestBookForm,
    LockerForm,
    ServiceRecordForm,
    TransferForm,
)
from ..models import Device, LockerAssignment, QueueTicket, Visit
from .public import qr_svg


def _counter(office, number):
    counter = get_object_or_404(Counter, office=office, number=number, is_active=True)
    counter.office = office
    return counter


def _ticket(office, pk):
    return get_object_or_404(
        QueueTicket.objects.select_related("office", "counter"), office=office, pk=pk
    )


def _visit(office, pk):
    return get_object_or_404(
        Visit.objects.select_related("office", "ticket", "guest_book", "counter", "served_by"),
        office=office,
        pk=pk,
    )


def _render(request, template, office, context):
    """Office pages share the visits menu, which lists the counters."""
    counters = Counter.objects.filter(office=office, is_active=True).order_by("number")
    return render(request, template, {"office": office, "counters": counters, **context})


@office_required(Role.OFFICER)
def dashboard(request, office):
    """Visits in progress with their running clocks, overdue alerts and the locker board."""
    now = timezone.now()
    visits = list(services.visits_in_progress(office))
    rows = [
        {
            "visit": v,
            "colour": v.clock_colour(now),
            "minutes": int(v.wait_seconds(now) // 60),
            "overdue": v.is_overdue(now),
        }
        for v in visits
    ]
    template = "visits/office/visit_dashboard.html"
    if request.headers.get("HX-Request"):
        template += "#progress"
    return _render(
        request,
        template,
        office,
        {
            "rows": rows,
            "overdue": [r for r in rows if r["overdue"]],
            "lockers": services.locker_board(office),
            "now": now,
        },
    )


@office_required(Role.OFFICER)
def console(request, office, number):
    """One counter: the tickets called here and the waiting list of its services."""
    counter = _counter(office, number)
    day = local_day(office)
    now = timezone.now()
    waiting = list(services.next_ticket_for(counter).select_related("target_counter"))
    for ticket in waiting:
        ticket.minutes = ticket.waiting_minutes(now)
    template = "visits/office/counter_console.html"
    active = []
    if request.headers.get("HX-Request"):
        template += "#waiting"  # the waiting list refreshes itself every few seconds
    else:
        active = list(
            QueueTicket.objects.for_day(office, day)
            .filter(counter=counter, status__in=CALLED_TICKET_STATES)
            .select_related("visit")
            .order_by("called_at")
        )
        for ticket in active:
            ticket.actions = ticket.allowed_actions(request.user)
    return _render(
        request,
        template,
        office,
        {
            "counter": counter,
            "waiting": waiting,
            "active": active,
            "transfer_form": TransferForm(office=office),
        },
    )


@require_POST
@office_required(Role.OFFICER)
def call_next(request, office, number):
    counter = _counter(office, number)
    run(
        request,
        lambda: services.call_next(counter, officer=request.user),
        lambda t: (
            _("Ticket %(number)s called to %(counter)s.")
            % {"number": t.number, "counter": counter.name}
        ),
    )
    return redirect("visits:console", office.code, counter.number)


# The counter console's steps on a ticket (URL ``…/tickets/<pk>/<action>/``).
TICKET_STEPS = {
    "recall": Step(
        lambda ticket, user, data: ticket.recall(by=user),
        lambda ticket, result: _("Ticket %(number)s called again.") % {"number": ticket.number},
    ),
    "no-show": Step(
        lambda ticket, user, data: ticket.no_show(by=user),
        lambda ticket, result: (
            _("Ticket %(number)s marked as no-show.") % {"number": ticket.number}
        ),
    ),
    "start": Step(
        lambda ticket, user, data: services.visit_of_ticket(ticket).start(
            by=user, counter=ticket.counter
        ),
        lambda ticket, result: (
            _("Service started for ticket %(number)s.") % {"number": ticket.number}
        ),
    ),
    "finish": Step(
        lambda ticket, user, data: services.visit_of_ticket(ticket).finish(by=user),
        lambda ticket, result: (
            _("Service finished for ticket %(number)s.") % {"number": ticket.number}
        ),
    ),
    "transfer": Step(
        lambda ticket, user, data: ticket.transfer(
            by=user, service=data["service"] or None, counter=data["counter"]
        ),
        lambda ticket, result: _("Ticket %(number)s transferred.") % {"number": ticket.number},
        form=TransferForm,
    ),
}


@require_POST
@office_required(Role.OFFICER)
def ticket_action(request, office, pk, action):
    """recall, no-show, start, finish or transfer of a ticket, from the counter console."""
    ticket = _ticket(office, pk)
    back = int(request.POST.get("counter") or (ticket.counter.number if ticket.counter else 0))
    outcome = perform(request, TICKET_STEPS, action, ticket, form_kwargs={"office": office})
    if isinstance(outcome.result, Visit):
        return redirect("visits:visit-detail", office.code, outcome.result.pk)
    if back:
        return redirect("visits:console", office.code, back)
    return redirect("visits:dashboard", office.code)


@office_required(Role.OFFICER)
def guest_book(request, office):
    """The guest book, filled by the officer with the visitor; saving starts the clock."""
    ticket = None
    ticket_pk = request.GET.get("ticket") or request.POST.get("ticket")
    if ticket_pk and str(ticket_pk).isdigit():
        ticket = _ticket(office, int(ticket_pk))
    offered = office.offered_services()
    initial = {"services": [ticket.service] if ticket else []}
    email = request.GET.get("email", "").strip().lower()
    if email:
        # A returning visitor: prefill the profile from the account.
        returning = User.objects.filter(email__iexact=email).first()
        if returning is not None:
            initial.update(
                {
                    name: getattr(returning, name)
                    for name in ["email", "full_name", "phone", *PROFILE_FIELDS]
                }
            )
        else:
            initial["email"] = email
    form = GuestBookForm(request.POST or None, initial=initial, services=offered)
    if request.method == "POST" and form.is_valid():
        visit = run(
            request,
            lambda: services.fill_guest_book(
                office, officer=request.user, data=form.cleaned_data, ticket=ticket
            ),
            _("Guest book saved. The service clock is running."),
        )
        if visit is not None:
            return redirect("visits:visit-detail", office.code, visit.pk)
    return _render(
        request,
        "visits/office/guest_book_fill.html",
        office,
        {
            "form": form,
            "ticket": ticket,
            "email": email,
        },
    )


@office_required(Role.OFFICER)
def visit_detail(request, office, pk):
    """Everything about one visit, and its next steps."""
    return _visit_page(request, office, _visit(office, pk), revealed=False)


@office_required(Role.OFFICER)
@require_POST
def visit_reveal(request, office, pk):
    """The visitor's contact details unmasked; every reveal is written to the audit log."""
    visit = _visit(office, pk)
    record(
        f"visit {visit.pk}",
        AuditAction.REVEAL,
        actor=request.user,
        office=office,
        detail="guest-book contact",
    )
    return _visit_page(request, office, visit, revealed=True)


def _visit_page(request, office, visit, *, revealed):
    # The end-of-visit prompt opens the visit's IKM survey, made when the service finished.
    survey = visit.survey_path() if visit.finished_at else ""
    rating_url = request.build_absolute_uri(survey) if survey else ""
    assignments = list(
        visit.locker_assignments.select_related("locker", "assigned_by", "returned_by")
    )
    guest = getattr(visit, "guest_book", None)
    return _render(
        request,
        "visits/office/visit_detail.html",
        office,
        {
            "visit": visit,
            "guest": guest,
            "revealed": revealed,
            "now": timezone.now(),
            "assignments": assignments,
            "open_assignment": next((a for a in assignments if a.is_open), None),
            "records": visit.service_records.select_related("officer", "publication"),
            "events": visit.events.select_related("actor"),
            "locker_form": LockerForm(
                office=office,
                initial={
                    "holder_name": guest.full_name if guest else "",
                    "card_type": guest.card_type if guest else None,
                },
            ),
            "record_form": ServiceRecordForm(),
            "rating_url": rating_url,
            "rating_qr": qr_svg(rating_url, _("QR code to rate this visit")) if rating_url else "",
            "actions": visit.allowed_actions(request.user),
        },
    )


# The visit page's steps (URL ``…/visits/<pk>/<action>/``).
VISIT_STEPS = {
    "start": Step(lambda visit, user, data: visit.start(by=user), gettext_lazy("Service started.")),
    "finish": Step(
        lambda visit, user, data: visit.finish(by=user),
        gettext_lazy("Service finished. Ask the visitor to rate the visit."),
    ),
    "check-out": Step(
        lambda visit, user, data: visit.check_out(by=user),
        gettext_lazy("Visit closed: locker emptied and identity card returned."),
    ),
    "locker": Step(
        lambda visit, user, data: services.assign_locker(visit, officer=user, **data),
        lambda visit, assignment: (
            _("Locker %(label)s given; identity card taken.") % {"label": assignment.locker.label}
        ),
        form=LockerForm,
        invalid=gettext_lazy("Check the locker form: card type and holder's name are required."),
    ),
    "record": Step(
        lambda visit, user, data: visit.record_service(by=user, **data),
        gettext_lazy("Service recorded."),
        form=ServiceRecordForm,
        invalid=gettext_lazy("Check the service form: the quantity must be 1 or more."),
    ),
}


@require_POST
@office_required(Role.OFFICER)
def visit_action(request, office, pk, action):
    """start, finish, check-out, locker and record steps of a visit."""
    visit = _visit(office, pk)
    form_kwargs = {"office": office} if action == "locker" else {}
    perform(request, VISIT_STEPS, action, visit, form_kwargs=form_kwargs)
    return redirect("visits:visit-detail", office.code, visit.pk)


@require_POST
@office_required(Role.OFFICER)
def locker_return(request, office, pk):
    assignment = get_object_or_404(
        LockerAssignment.objects.select_related("locker", "visit"), pk=pk, visit__office=office
    )
    run(
        request,
        lambda: assignment.mark_returned(by=request.user),
        _("Locker %(label)s emptied and identity card returned.")
        % {"label": assignment.locker.label},
    )
    return redirect(
        request.POST.get("next") == "dashboard"
        and reverse("visits:dashboard", args=[office.code])
        or reverse("visits:visit-detail", args=[office.code, assignment.visit_id])
    )


@office_required(Role.OFFICER)
def visit_list(request, office):
    """The visits of one day (default today), newest first."""
    form = DayForm(request.GET or None)
    day = (form.is_valid() and form.cleaned_data["day"]) or local_day(office)
    visits = (
        Visit.objects.filter(office=office, day=day)
        .select_related("guest_book", "ticket", "counter", "served_by")
        .order_by("-guest_book_at")
    )
    page = Paginator(visits, 50).get_page(request.GET.get("page"))
    return _render(
        request,
        "visits/office/visit_list.html",
        office,
        {
            "page": page,
            "day": day,
            "form": form,
        },
    )


@office_required(Role.OFFICER)
def figures(request, office):
    """Per day: visits, median and 90th-percentile wait, share within target."""
    form = DayForm(request.GET or None)
    day = (form.is_valid() and form.cleaned_data["day"]) or local_day(office)
    return _render(
        request,
        "visits/office/figures_day.html",
        office,
        {
            "day": day,
            "form": form,
            "figures": services.day_figures(office, day),
            "target": services.target_minutes(office, "library"),
        },
    )


@office_required(Role.OFFICER)
def close_day(request, office):
    """GET: what closing the day will do. POST: expire the unserved tickets."""
    day = local_day(office)
    if request.method == "POST":
        expired, open_visits = services.close_day(office, day, actor=request.user)
        messages.success(
            request, _("Day closed: %(count)s unserved tickets expired.") % {"count": len(expired)}
        )
        return _render(
            request,
            "visits/office/day_close.html",
            office,
            {
                "day": day,
                "closed": True,
                "open_visits": open_visits,
                "waiting_count": 0,
            },
        )
    open_visits = list(
        Visit.objects.filter(office=office, day__lte=day, checked_out_at__isnull=True)
        .select_related("guest_book")
        .prefetch_related("locker_assignments__locker")
    )
    return _render(
        request,
        "visits/office/day_close.html",
        office,
        {
            "day": day,
            "closed": False,
            "open_visits": open_visits,
            "waiting_count": QueueTicket.objects.filter(office=office, day__lte=day).open().count(),
        },
    )


@office_required(Role.SUPERVISOR)
def device_list(request, office):
    """Kiosks and boards of the office; registering shows the new key once."""
    form = DeviceForm(request.POST or None)
    new_key = kiosk_url = None
    if request.method == "POST" and form.is_valid():
        device, new_key = Device.register(
            office,
            kind=form.cleaned_data["kind"],
            name=form.cleaned_data["name"],
            by=request.user,
            offers_priority_lane=form.cleaned_data["offers_priority_lane"],
        )
        if device.kind in (DeviceKind.KIOSK, DeviceKind.GUEST_BOOK):
            name = "visits:kiosk" if device.kind == DeviceKind.KIOSK else "visits:guest-book-tablet"
            kiosk_url = (
                request.build_absolute_uri(reverse(name, args=[office.code, device.pk]))
                + f"#key={new_key}"
            )
        else:
            kiosk_url = request.build_absolute_uri(reverse("visits:board", args=[office.code]))
        messages.success(request, _("Device registered. Copy its key now: it is shown only once."))
        form = DeviceForm()
    devices = Device.objects.filter(office=office).order_by("revoked_at", "kind", "name")
    return _render(
        request,
        "visits/office/device_list.html",
        office,
        {
            "form": form,
            "devices": devices,
            "new_key": new_key,
            "device_url": kiosk_url,
        },
    )


@require_POST
@office_required(Role.SUPERVISOR)
def device_revoke(request, office, pk):
    device = get_object_or_404(Device, office=office, pk=pk)
    device.revoke(by=request.user)
    messages.success(request, _("Device %(name)s revoked.") % {"name": device.name})
    return redirect("visits:device-list", office.code)
