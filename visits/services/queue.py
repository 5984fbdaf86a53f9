"""Queue tickets: numbers, the wait estimate and the counter calls."""

import math
import statistics

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import hooks
from offices.choices import Service
from offices.models import Counter, ServiceStandard

from ..choices import (
    OPEN_TICKET_STATES,
    SERVICE_PREFIX,
    EventAction,
    Priority,
    TicketStatus,
)
from ..models import (
    QueueTicket,
    TicketSequence,
    Visit,
    VisitError,
    VisitEvent,
)

# Minutes per visitor assumed for the wait estimate before anyone has been served today.
DEFAULT_SERVICE_MINUTES = 5


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
        # Higher apps may tell the people now near the front (channels: "3 nomor lagi").
        hooks.call("visits.ticket_called", ticket=ticket)
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
