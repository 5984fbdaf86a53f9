"""Queue tickets: numbers, the wait estimate and the counter calls."""

import math
import statistics

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from offices.choices import Service
from offices.models import Counter, ServiceStandard
from offices.time import local_day

from ..choices import SERVICE_PREFIX, EventAction, Priority
from ..models import QueueTicket, TicketSequence, Visit, VisitError

# Minutes per visitor assumed for the wait estimate before anyone has been served today.
DEFAULT_SERVICE_MINUTES = 5


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
    if service not in office.offered_services():
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
            ticket.log(EventAction.TICKET_ISSUED, actor=officer, device=device)
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
            return candidate.call(counter, by=officer)
        except VisitError:
            continue  # called at another counter in the meantime: take the next one
    raise VisitError(_("The queue is busy; please try again."))
