"""Waiting time of walk-in visitors against the service standard.

The wait is service start − guest-book time (the standard: served at most N minutes
after filling in the guest book). Each visit is judged against the target in force
when its guest book was filled (``Visit.target_minutes``). Percentiles are
nearest-rank; waits are shown in minutes with one decimal.
"""

from django.utils.translation import gettext_lazy as _

from offices.choices import Service
from offices.models import ServiceStandard
from offices.time import local_time

from .base import BAR, COUNT, Figure, SectionResult, Table, median, percentile, share
from .sql import SecondsBetween
from .visits import walk_in_visits

KEY = "waiting"
TITLE = _("Waiting time against the service standard")
WORST_CASES = 10
# Upper bounds (minutes) of the distribution buckets; the last bucket is open.
BUCKETS = (5, 10, 15, 30, 60)

WAIT = SecondsBetween("service_started_at", "guest_book_at")


def section(office, period):
    visits = walk_in_visits(office, period)
    served = visits.filter(service_started_at__isnull=False).annotate(wait=WAIT)
    # Rounded to the millisecond: julianday arithmetic is exact to about 0.05 ms.
    rows = [
        (round(wait, 3), target, service)
        for wait, target, service in served.values_list("wait", "target_minutes", "service")
        .order_by()
        .iterator(chunk_size=5000)
    ]
    unserved = visits.filter(service_started_at__isnull=True).count()
    standard = ServiceStandard.objects.current_for(office, Service.LIBRARY)
    target = standard.walk_in_target_minutes if standard else None

    minutes = sorted(wait / 60 for wait, _target, _service in rows)
    within = sum(1 for wait, limit, _service in rows if wait <= limit * 60)
    worst = list(served.select_related("ticket", "counter").order_by("-wait", "pk")[:WORST_CASES])

    return SectionResult(
        key=KEY,
        title=TITLE,
        figures=[
            Figure(
                "target", _("Target (minutes after the guest book)"), target, "min", reference=True
            ),
            Figure("served", _("Visitors served"), len(rows)),
            Figure("within_target", _("Served within the target"), within),
            Figure("within_share", _("Share within the target"), share(within, len(rows)), "%"),
            Figure("median", _("Median wait"), _round(median(minutes)), "min"),
            Figure("p90", _("90th percentile wait"), _round(percentile(minutes, 0.9)), "min"),
            Figure("max", _("Longest wait"), _round(minutes[-1] if minutes else None), "min"),
            Figure("unserved", _("Guest-book entries without a service start"), unserved),
        ],
        tables=[
            Table(
                "distribution",
                _("Waits by length"),
                [_("Wait"), COUNT],
                _distribution(minutes) if minutes else [],
                chart=BAR,
            ),
            _by_service(rows),
            Table(
                "worst",
                _("Longest waits"),
                [
                    _("Ticket"),
                    _("Guest book"),
                    _("Service"),
                    _("Counter"),
                    _("Wait (min)"),
                    _("Target (min)"),
                ],
                [
                    [
                        visit.ticket.number if visit.ticket else "–",
                        local_time(office, visit.guest_book_at).strftime("%Y-%m-%d %H:%M"),
                        visit.get_service_display(),
                        str(visit.counter) if visit.counter else "–",
                        _round(visit.wait / 60),
                        visit.target_minutes,
                    ]
                    for visit in worst
                ],
            ),
        ],
    )


def _round(value):
    return None if value is None else round(value, 1)


def _distribution(minutes):
    rows, lower = [], 0
    for upper in BUCKETS:
        count = sum(1 for m in minutes if lower <= m < upper)
        rows.append([_("%(low)s–%(high)s min") % {"low": lower, "high": upper}, count])
        lower = upper
    rows.append([_("%(low)s min or more") % {"low": lower}, sum(1 for m in minutes if m >= lower)])
    return rows


def _by_service(rows):
    grouped = {}
    for wait, limit, service in rows:
        grouped.setdefault(service, []).append((wait / 60, limit))
    table_rows = []
    for code, label in Service.choices:
        waits = grouped.get(code)
        if not waits:
            continue
        within = sum(1 for m, limit in waits if m <= limit)
        table_rows.append(
            [
                label,
                len(waits),
                within,
                share(within, len(waits)),
                _round(median([m for m, _limit in waits])),
            ]
        )
    return Table(
        "by_service",
        _("Waiting time by service"),
        [
            _("Service"),
            _("Served"),
            _("Within the target"),
            _("Share within (%)"),
            _("Median wait (min)"),
        ],
        table_rows,
        chart=BAR,
        chart_columns=(3,),
    )
