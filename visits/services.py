"""Workflows of a walk-in visit that span several models (STYLE.md 6).

Each function checks the current state, locks what it changes, records who and
when in a ``VisitEvent`` and raises ``VisitError`` with a message for the user.
E-mails leave after commit through ``core.tasks.enqueue_email``.
"""

import datetime
import math
import statistics

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, models, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from core.tasks import enqueue_email
from offices.choices import Service
from offices.models import Counter, Locker, ServiceStandard

from .choices import (
    CALLED_TICKET_STATES,
    OPEN_TICKET_STATES,
    SERVICE_PREFIX,
    EventAction,
    Priority,
    TicketStatus,
)
from .models import (
    GuestBookEntry,
    LockerAssignment,
    QueueTicket,
    ServiceRecord,
    TicketSequence,
    Visit,
    VisitError,
    VisitEvent,
)

# Minutes per visitor assumed for the wait estimate before anyone has been served today.
DEFAULT_SERVICE_MINUTES = 5
RATING_SALT = "visits.rating"


def local_day(office, moment=None):
    return timezone.localtime(moment or timezone.now(), timezone=office.tzinfo).date()


def office_services(office):
    """The services the office's active counters handle, in the contract's order."""
    handled = {
        code for counter in office.counters.all() if counter.is_active for code in counter.services
    }
    return [code for code in Service.values if code in handled]


def target_minutes(office, service):
    standard = ServiceStandard.objects.current_for(office, service)
    if standard is None:
        # Without a published standard the library standard of the office applies.
        standard = ServiceStandard.objects.current_for(office, Service.LIBRARY)
    if standard is None:
        raise VisitError(_("This office has no service standard with a service-time target yet."))
    return standard.walk_in_target_minutes


# Tickets ---------------------------------------------------------------------------------


def issue_ticket(office, service, *, priority="", device=None, officer=None, request_key=""):
    """Give the next number of today's queue for ``service``; gap-free and unique.

    The per-(office, service, day) sequence row is locked for the rest of the
    transaction, so concurrent kiosks queue up behind each other. A repeated
    ``request_key`` (a kiosk double tap) returns the ticket already given.
    """
    if service not in office_services(office):
        raise VisitError(_("This office does not offer that service."))
    if priority not in Priority.values:
        raise VisitError(_("Unknown priority lane."))
    request_key = (request_key or "")[:64]
    if request_key:
        existing = QueueTicket.objects.filter(office=office, request_key=request_key).first()
        if existing is not None:
            return existing
    now = timezone.now()
    day = local_day(office, now)
    try:
        with transaction.atomic():
            sequence, _created = TicketSequence.objects.get_or_create(
                office=office, service=service, day=day
            )
            sequence = TicketSequence.objects.select_for_update().get(pk=sequence.pk)
            sequence.last_number += 1
            sequence.save(update_fields=["last_number"])
            ticket = QueueTicket.objects.create(
                office=office,
                service=service,
                day=day,
                sequence=sequence.last_number,
                number=f"{SERVICE_PREFIX[service]}-{sequence.last_number:03d}",
                priority=priority,
                issued_at=now,
                device=device,
                issued_by=officer,
                request_key=request_key,
            )
            VisitEvent.record(
                office, EventAction.TICKET_ISSUED, actor=officer, device=device, ticket=ticket
            )
    except IntegrityError:
        # The same tap arrived twice at once: the other request has given the ticket.
        existing = QueueTicket.objects.filter(office=office, request_key=request_key).first()
        if request_key and existing is not None:
            return existing
        raise
    return ticket


def average_service_minutes(office, service, day):
    durations = [
        (finished - started).total_seconds() / 60
        for started, finished in Visit.objects.filter(
            office=office, day=day, service=service, finished_at__isnull=False
        ).values_list("service_started_at", "finished_at")
        if started
    ]
    return statistics.fmean(durations) if durations else DEFAULT_SERVICE_MINUTES


def estimated_wait_minutes(ticket, position=None):
    """Position × today's average service time ÷ counters handling the service."""
    position = ticket.position() if position is None else position
    if position == 0:
        return 0
    counters = sum(
        1
        for c in Counter.objects.filter(office_id=ticket.office_id, is_active=True)
        if c.handles(ticket.service)
    )
    average = average_service_minutes(ticket.office, ticket.service, ticket.day)
    return math.ceil(position * average / max(counters, 1))


def _lock_ticket(ticket):
    return (
        QueueTicket.objects.select_for_update(of=("self",))
        .select_related("office")
        .get(pk=ticket.pk)
    )


def call_ticket(ticket, counter, *, officer):
    """Call one waiting ticket to ``counter``."""
    with transaction.atomic():
        ticket = _lock_ticket(ticket)
        if ticket.status != TicketStatus.WAITING:
            raise VisitError(
                _("Ticket %(number)s has already been called or closed.")
                % {"number": ticket.number}
            )
        if counter.office_id != ticket.office_id or not counter.is_active:
            raise VisitError(_("That counter does not belong to this office."))
        ticket.status = TicketStatus.CALLED
        ticket.counter = counter
        ticket.called_at = timezone.now()
        ticket.called_by = officer
        ticket.call_count = 1
        ticket.target_counter = None
        ticket.save(
            update_fields=[
                "status",
                "counter",
                "called_at",
                "called_by",
                "call_count",
                "target_counter",
            ]
        )
        VisitEvent.record(
            ticket.office,
            EventAction.TICKET_CALLED,
            actor=officer,
            ticket=ticket,
            counter=counter.number,
        )
    return ticket


def next_ticket_for(counter):
    """Priority lane first, then ticket order, among the services the counter handles."""
    day = local_day(counter.office)
    return (
        QueueTicket.objects.for_day(counter.office, day)
        .waiting()
        .filter(service__in=counter.services)
        .filter(models.Q(target_counter__isnull=True) | models.Q(target_counter=counter))
        .queue_order()
    )


def call_next(counter, *, officer):
    """Call the next ticket for ``counter``; skips tickets another officer just took."""
    for _attempt in range(5):
        candidate = next_ticket_for(counter).first()
        if candidate is None:
            raise VisitError(_("Nobody is waiting for this counter."))
        try:
            return call_ticket(candidate, counter, officer=officer)
        except VisitError:
            continue  # called at another counter in the meantime: take the next one
    raise VisitError(_("The queue is busy; please try again."))


def recall(ticket, *, officer):
    with transaction.atomic():
        ticket = _lock_ticket(ticket)
        if ticket.status != TicketStatus.CALLED:
            raise VisitError(_("Only a called ticket can be called again."))
        ticket.call_count += 1
        ticket.called_at = timezone.now()
        ticket.save(update_fields=["call_count", "called_at"])
        VisitEvent.record(ticket.office, EventAction.TICKET_RECALLED, actor=officer, ticket=ticket)
    return ticket


def mark_no_show(ticket, *, officer):
    with transaction.atomic():
        ticket = _lock_ticket(ticket)
        if ticket.status != TicketStatus.CALLED:
            raise VisitError(_("Only a called ticket can be marked as no-show."))
        ticket.status = TicketStatus.NO_SHOW
        ticket.closed_at = timezone.now()
        ticket.save(update_fields=["status", "closed_at"])
        VisitEvent.record(ticket.office, EventAction.TICKET_NO_SHOW, actor=officer, ticket=ticket)
    return ticket


def transfer(ticket, *, officer, service=None, counter=None):
    """Send a called ticket back to the queue of another service and/or counter.

    The ticket keeps its number and its place (its issue time) in the new queue.
    """
    if not service and counter is None:
        raise VisitError(_("Choose a service or a counter to transfer to."))
    with transaction.atomic():
        ticket = _lock_ticket(ticket)
        if ticket.status not in OPEN_TICKET_STATES:
            raise VisitError(_("Only a ticket in the queue can be transferred."))
        new_service = service or ticket.service
        if new_service not in office_services(ticket.office):
            raise VisitError(_("This office does not offer that service."))
        if counter is not None and (
            counter.office_id != ticket.office_id or not counter.handles(new_service)
        ):
            raise VisitError(_("That counter does not handle this service."))
        old = {
            "service": ticket.service,
            "counter": ticket.counter.number if ticket.counter else None,
        }
        ticket.service = new_service
        ticket.target_counter = counter
        ticket.status = TicketStatus.WAITING
        ticket.counter = None
        ticket.called_at = None
        ticket.call_count = 0
        ticket.save(
            update_fields=[
                "service",
                "target_counter",
                "status",
                "counter",
                "called_at",
                "call_count",
            ]
        )
        VisitEvent.record(
            ticket.office,
            EventAction.TICKET_TRANSFERRED,
            actor=officer,
            ticket=ticket,
            old=old,
            service=new_service,
            counter=counter.number if counter else None,
        )
    return ticket


# Guest book and account ---------------------------------------------------------------------

PROFILE_FIELDS = [
    "sex",
    "age_group",
    "education",
    "occupation",
    "institution_category",
    "institution_name",
    "purpose",
]


def fill_guest_book(office, *, officer, data, ticket=None):
    """Open a visit from the guest book; its service clock starts now.

    The e-mail links the visit to the visitor's account, or creates one and
    sends an invitation to set a password. ``data`` is the cleaned guest-book form.
    """
    email = data["email"].strip().lower()
    now = timezone.now()
    services = list(data["services"])
    main_service = ticket.service if ticket is not None else services[0]
    minutes = target_minutes(office, main_service)
    with transaction.atomic():
        if ticket is not None:
            ticket = _lock_ticket(ticket)
            if ticket.office_id != office.pk:
                raise VisitError(_("That ticket belongs to another office."))
            if Visit.objects.filter(ticket=ticket).exists():
                raise VisitError(_("The guest book of this ticket has already been filled."))
            if ticket.status != TicketStatus.CALLED:
                raise VisitError(_("Call the ticket before filling in the guest book."))
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if created:
            user = User.objects.create_user(
                email=email,
                full_name=data["full_name"],
                phone=data.get("phone", ""),
                preferred_language=translation.get_language() or "id",
            )
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
        changed = []
        for name in ["full_name", "phone", *PROFILE_FIELDS]:
            value = data.get(name)
            if value and getattr(user, name) != value:
                setattr(user, name, value)
                changed.append(name)
        if changed:
            user.save(update_fields=changed)
        visit = Visit.objects.create(
            office=office,
            ticket=ticket,
            visitor=user,
            day=local_day(office, now),
            service=main_service,
            target_minutes=minutes,
            guest_book_at=now,
            counter=ticket.counter if ticket is not None else None,
        )
        GuestBookEntry.objects.create(
            visit=visit,
            full_name=data["full_name"],
            email=email,
            phone=data.get("phone", ""),
            card_type=data["card_type"],
            services=services,
            purpose=data["purpose_text"],
            created_at=now,
            created_by=officer,
        )
        VisitEvent.record(
            office, EventAction.GUEST_BOOK_FILLED, actor=officer, visit=visit, ticket=ticket
        )
        if created:
            _send_invitation(user, office)
            VisitEvent.record(office, EventAction.ACCOUNT_INVITED, actor=officer, visit=visit)
    return visit


def _send_invitation(user, office):
    """A password-setting link (allauth's reset key) for an account opened at the desk."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    with translation.override(user.preferred_language or "id"):
        context = {"user": user, "office": office, "url": settings.SITE_URL + path}
        message = EmailMessage(
            subject=_("[PST BPS] Your account for the statistics library"),
            body=render_to_string("visits/email/invitation.txt", context),
            to=[user.email],
        )
    enqueue_email(message)


# Lockers and identity cards ---------------------------------------------------------------


def assign_locker(visit, *, officer, card_type, holder_name, locker=None):
    """Give a free locker (the one asked for, or the first free one) against the card.

    The office's lockers are locked for the check, so two officers clicking at
    once never give the same locker; a partial unique constraint backs this up.
    """
    with transaction.atomic():
        lockers = list(
            Locker.objects.select_for_update()
            .filter(office_id=visit.office_id, is_active=True)
            .order_by("label")
        )
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
        if visit.checked_out_at is not None:
            raise VisitError(_("This visit has already been checked out."))
        if visit.locker_assignments.filter(returned_at__isnull=True).exists():
            raise VisitError(_("This visitor already has a locker."))
        busy = set(
            LockerAssignment.objects.filter(
                locker__office_id=visit.office_id, returned_at__isnull=True
            ).values_list("locker_id", flat=True)
        )
        if locker is not None:
            if locker.pk not in {item.pk for item in lockers}:
                raise VisitError(_("That locker does not belong to this office."))
            if locker.pk in busy:
                raise VisitError(_("Locker %(label)s is in use.") % {"label": locker.label})
        else:
            free = [item for item in lockers if item.pk not in busy]
            if not free:
                raise VisitError(_("No free locker."))
            locker = free[0]
        assignment = LockerAssignment.objects.create(
            visit=visit,
            locker=locker,
            card_type=card_type,
            holder_name=holder_name,
            assigned_by=officer,
        )
        VisitEvent.record(
            visit.office,
            EventAction.LOCKER_ASSIGNED,
            actor=officer,
            visit=visit,
            locker=locker.label,
            card_type=card_type,
        )
    return assignment


def return_locker(assignment, *, officer):
    with transaction.atomic():
        assignment = (
            LockerAssignment.objects.select_for_update(of=("self",))
            .select_related("visit__office", "locker")
            .get(pk=assignment.pk)
        )
        if assignment.returned_at is not None:
            raise VisitError(
                _("Locker %(label)s and the card have already been returned.")
                % {"label": assignment.locker.label}
            )
        assignment.returned_at = timezone.now()
        assignment.returned_by = officer
        assignment.save(update_fields=["returned_at", "returned_by"])
        VisitEvent.record(
            assignment.visit.office,
            EventAction.LOCKER_RETURNED,
            actor=officer,
            visit=assignment.visit,
            locker=assignment.locker.label,
        )
    return assignment


# Service ------------------------------------------------------------------------------------


def _lock_visit(visit):
    return (
        Visit.objects.select_for_update(of=("self",))
        .select_related("office", "ticket")
        .get(pk=visit.pk)
    )


def visit_of_ticket(ticket):
    visit = Visit.objects.filter(ticket=ticket).first()
    if visit is None:
        raise VisitError(_("Fill in the guest book before starting the service."))
    return visit


def start_service(visit, *, officer, counter=None):
    """Stop the service clock: waiting time = now − guest-book time."""
    with transaction.atomic():
        visit = _lock_visit(visit)
        if visit.service_started_at is not None:
            raise VisitError(_("The service of this visit has already started."))
        if visit.checked_out_at is not None:
            raise VisitError(_("This visit has already been checked out."))
        visit.service_started_at = timezone.now()
        visit.served_by = officer
        fields = ["service_started_at", "served_by"]
        if counter is not None:
            visit.counter = counter
            fields.append("counter")
        visit.save(update_fields=fields)
        if visit.ticket is not None and visit.ticket.status in OPEN_TICKET_STATES:
            QueueTicket.objects.filter(pk=visit.ticket_id).update(status=TicketStatus.SERVING)
        VisitEvent.record(
            visit.office,
            EventAction.SERVICE_STARTED,
            actor=officer,
            visit=visit,
            wait_seconds=round(visit.wait_seconds()),
        )
    return visit


def record_service(visit, *, officer, kind, quantity=1, item=""):
    with transaction.atomic():
        visit = _lock_visit(visit)
        if visit.service_started_at is None:
            raise VisitError(_("Start the service before recording what was given."))
        if visit.checked_out_at is not None:
            raise VisitError(_("This visit has already been checked out."))
        record = ServiceRecord.objects.create(
            visit=visit, kind=kind, quantity=quantity, item=item, officer=officer
        )
        VisitEvent.record(
            visit.office,
            EventAction.SERVICE_RECORDED,
            actor=officer,
            visit=visit,
            kind=kind,
            quantity=quantity,
        )
    return record


def finish_service(visit, *, officer):
    with transaction.atomic():
        visit = _lock_visit(visit)
        if visit.service_started_at is None:
            raise VisitError(_("The service cannot finish before it has started."))
        if visit.finished_at is not None:
            raise VisitError(_("The service of this visit has already finished."))
        visit.finished_at = timezone.now()
        visit.save(update_fields=["finished_at"])
        if visit.ticket is not None:
            QueueTicket.objects.filter(pk=visit.ticket_id).update(
                status=TicketStatus.DONE, closed_at=visit.finished_at
            )
        VisitEvent.record(visit.office, EventAction.SERVICE_FINISHED, actor=officer, visit=visit)
    return visit


def check_out(visit, *, officer):
    """End the visit: the locker is emptied and the identity card handed back."""
    with transaction.atomic():
        visit = _lock_visit(visit)
        if visit.checked_out_at is not None:
            raise VisitError(_("This visit has already been checked out."))
        if visit.finished_at is None:
            raise VisitError(_("Finish the service before checking the visitor out."))
        for assignment in visit.locker_assignments.filter(returned_at__isnull=True):
            return_locker(assignment, officer=officer)
        visit.checked_out_at = timezone.now()
        visit.save(update_fields=["checked_out_at"])
        VisitEvent.record(visit.office, EventAction.CHECKED_OUT, actor=officer, visit=visit)
    return visit


def rating_token(visit):
    return signing.dumps(visit.pk, salt=RATING_SALT)


def visit_from_rating_token(token):
    """The visit a rating link names; links stay valid for two days."""
    try:
        pk = signing.loads(token, salt=RATING_SALT, max_age=datetime.timedelta(days=2))
    except signing.BadSignature as exc:
        raise VisitError(_("This rating link is not valid or has expired.")) from exc
    visit = Visit.objects.select_related("office").filter(pk=pk).first()
    if visit is None:
        raise VisitError(_("This rating link is not valid or has expired."))
    return visit


def rate_visit(visit, *, rating, comment=""):
    """The visitor's 1–5 rating; once per visit (the link is then used up)."""
    with transaction.atomic():
        visit = _lock_visit(visit)
        if visit.finished_at is None:
            raise VisitError(_("The visit can be rated once the service has finished."))
        if visit.rated_at is not None:
            raise VisitError(_("This visit has already been rated. Thank you!"))
        if not 1 <= rating <= 5:
            raise VisitError(_("Choose a rating from 1 to 5."))
        visit.rating = rating
        visit.rating_comment = comment
        visit.rated_at = timezone.now()
        visit.save(update_fields=["rating", "rating_comment", "rated_at"])
        VisitEvent.record(visit.office, EventAction.RATED, visit=visit, rating=rating)
    return visit


# Watch, day close, figures ------------------------------------------------------------------


def alert_overdue_visits(now=None):
    """E-mail the office's officers and supervisors once per visit past its target."""
    now = now or timezone.now()
    alerted = []
    candidates = Visit.objects.filter(
        service_started_at__isnull=True,
        checked_out_at__isnull=True,
        overdue_alerted_at__isnull=True,
    ).select_related("office", "guest_book", "ticket")
    for visit in candidates:
        if not visit.is_overdue(now):
            continue
        with transaction.atomic():
            # Compare-and-set: a second watcher process does not send the alert again.
            if not Visit.objects.filter(pk=visit.pk, overdue_alerted_at__isnull=True).update(
                overdue_alerted_at=now
            ):
                continue
            recipients = sorted(
                User.objects.filter(memberships__office=visit.office, is_active=True).values_list(
                    "email", flat=True
                )
            )
            if recipients:
                context = {
                    "visit": visit,
                    "minutes": math.floor(visit.wait_seconds(now) / 60),
                    "url": settings.SITE_URL
                    + reverse("visits:visit-detail", args=[visit.office.code, visit.pk]),
                }
                with translation.override("id"):
                    enqueue_email(
                        EmailMessage(
                            subject=_(
                                "[PST BPS] A visitor has waited past the service-time target"
                            ),
                            body=render_to_string("visits/email/overdue.txt", context),
                            to=recipients,
                        )
                    )
            VisitEvent.record(visit.office, EventAction.OVERDUE_ALERTED, visit=visit)
        alerted.append(visit)
    return alerted


def close_day(office, day=None, *, actor=None):
    """Expire the unserved tickets of ``day`` and before; return the visits still open."""
    day = day or local_day(office)
    now = timezone.now()
    expired = []
    with transaction.atomic():
        tickets = list(
            QueueTicket.objects.select_for_update(of=("self",)).filter(
                office=office, day__lte=day, status__in=OPEN_TICKET_STATES, visit__isnull=True
            )
        )
        for ticket in tickets:
            ticket.status = TicketStatus.EXPIRED
            ticket.closed_at = now
            ticket.save(update_fields=["status", "closed_at"])
            VisitEvent.record(office, EventAction.TICKET_EXPIRED, actor=actor, ticket=ticket)
            expired.append(ticket)
    open_visits = list(
        Visit.objects.filter(office=office, day__lte=day, checked_out_at__isnull=True)
        .select_related("guest_book")
        .prefetch_related("locker_assignments__locker")
    )
    return expired, open_visits


def percentile(values, share):
    """Nearest-rank percentile of a list of numbers (None for an empty list)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def _wait_figures(visits):
    waits = [v.wait_seconds() / 60 for v in visits if v.service_started_at]
    within = sum(1 for v in visits if v.within_target())
    return {
        "visits": len(visits),
        "served": len(waits),
        "median": statistics.median(waits) if waits else None,
        "p90": percentile(waits, 0.9),
        "within_share": within / len(waits) if waits else None,
    }


def day_figures(office, day):
    """Visits, median and 90th-percentile wait and share within target, by service and counter."""
    visits = list(Visit.objects.filter(office=office, day=day).select_related("counter"))
    labels = dict(Service.choices)
    by_service = []
    for code in sorted({v.service for v in visits}, key=Service.values.index):
        by_service.append(
            {"label": labels[code], **_wait_figures([v for v in visits if v.service == code])}
        )
    by_counter = []
    counters = sorted({v.counter for v in visits if v.counter}, key=lambda c: c.number)
    for counter in counters:
        by_counter.append(
            {
                "label": counter.name,
                **_wait_figures([v for v in visits if v.counter_id == counter.pk]),
            }
        )
    return {"total": _wait_figures(visits), "by_service": by_service, "by_counter": by_counter}


def board_state(office):
    """What the display board shows: calls per counter, the last calls, waiting counts."""
    day = local_day(office)
    counters = list(Counter.objects.filter(office=office, is_active=True).order_by("number"))
    called = list(
        QueueTicket.objects.for_day(office, day)
        .filter(called_at__isnull=False, status__in=CALLED_TICKET_STATES)
        .select_related("counter")
        .order_by("-called_at", "-pk")[:50]
    )
    current = {}
    for ticket in called:
        current.setdefault(ticket.counter_id, ticket)
    waiting = dict(
        QueueTicket.objects.for_day(office, day)
        .waiting()
        .values_list("service")
        .annotate(n=Count("pk"))
        .values_list("service", "n")
    )
    labels = dict(Service.choices)
    services = office_services_from(counters)
    latest = called[0] if called else None
    return {
        "office": office,
        "counters": [{"counter": c, "ticket": current.get(c.pk)} for c in counters],
        "last_calls": called[:6],
        "waiting": [
            {"service": code, "label": labels[code], "count": waiting.get(code, 0)}
            for code in services
        ],
        "latest": latest,
        # Changes with every call and recall: the board speaks when it changes.
        "call_key": f"{latest.pk}-{latest.call_count}-{latest.called_at.timestamp():.0f}"
        if latest
        else "",
    }


def office_services_from(counters):
    handled = {code for counter in counters for code in counter.services}
    return [code for code in Service.values if code in handled]


def queue_summary(office):
    """Today's queue for the home page: waiting per service and the numbers being served."""
    state = board_state(office)
    return {
        "waiting": state["waiting"],
        "now_serving": [row for row in state["counters"] if row["ticket"]],
        "total_waiting": sum(row["count"] for row in state["waiting"]),
    }


def visits_in_progress(office):
    return (
        Visit.objects.filter(office=office, checked_out_at__isnull=True)
        .select_related("guest_book", "ticket", "counter", "served_by")
        .prefetch_related(
            models.Prefetch(
                "locker_assignments",
                queryset=LockerAssignment.objects.filter(returned_at__isnull=True).select_related(
                    "locker"
                ),
                to_attr="open_lockers",
            )
        )
        .order_by("guest_book_at")
    )


def locker_board(office, now=None):
    """Every active locker as ``(locker, open assignment or None, overdue)``.

    A locker is overdue when it is still in use after closing time, or since an earlier day.
    """
    now = now or timezone.now()
    closed = not office.is_open_at(now)
    today = local_day(office, now)
    lockers = list(Locker.objects.filter(office=office, is_active=True).order_by("label"))
    open_assignments = {
        a.locker_id: a
        for a in LockerAssignment.objects.filter(
            locker__office=office, returned_at__isnull=True
        ).select_related("visit")
    }
    board = []
    for locker in lockers:
        assignment = open_assignments.get(locker.pk)
        overdue = assignment is not None and (
            closed or local_day(office, assignment.assigned_at) < today
        )
        board.append((locker, assignment, overdue))
    return board
