"""The service-time watch, the day close and the figures; what the board and dashboards show."""

import math
import statistics

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from core.tasks import enqueue_email
from offices.choices import Service
from offices.models import Counter, Locker
from offices.time import local_day, percentile

from ..choices import CALLED_TICKET_STATES, OPEN_TICKET_STATES, EventAction
from ..models import LockerAssignment, QueueTicket, Visit

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
            visit.log(EventAction.OVERDUE_ALERTED)
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
            expired.append(ticket.expire(by=actor, at=now))
    open_visits = list(
        Visit.objects.filter(office=office, day__lte=day, checked_out_at__isnull=True)
        .select_related("guest_book")
        .prefetch_related("locker_assignments__locker")
    )
    return expired, open_visits


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
        "office": office,
    }


def home_panel(office):
    """The home page's queue panel (``offices.hooks.home_panels``)."""
    return "visits/public/_queue_status.html", queue_summary(office)


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
