"""Softcopy and scan requests: volume, time to deliver against the due date, overdue.

Requests received in the period. "On time" compares the delivery date (office time)
with the request's due date (working days of the service standard, computed by the
softcopies app). "Overdue" is judged today: still open and past the due date.
"""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from offices.time import local_day
from softcopies.choices import Kind, Status
from softcopies.models import SoftcopyRequest

from .base import BAR, COUNT, DOUGHNUT, Figure, SectionResult, Table, median, percentile, share
from .sql import SecondsBetween

KEY = "softcopies"
TITLE = _("Softcopy and scan requests")
OVERDUE_LISTED = 20


def section(office, period):
    today = local_day(office)
    requests = SoftcopyRequest.objects.filter(
        office=office, created_at__gte=period.since, created_at__lt=period.until
    )
    by_status = dict(requests.values_list("status").annotate(n=Count("id")).order_by())
    by_kind = dict(requests.values_list("kind").annotate(n=Count("id")).order_by())
    delivered = list(
        requests.filter(delivered_at__isnull=False)
        .annotate(seconds=SecondsBetween("delivered_at", "created_at"))
        .values_list("seconds", "delivered_at", "due_date")
        .order_by()
    )
    hours = sorted(round(seconds / 3600, 1) for seconds, _at, _due in delivered)
    on_time = sum(1 for _s, at, due in delivered if local_day(office, at) <= due)
    overdue = requests.overdue(today)
    overdue_rows = list(overdue.order_by("due_date", "pk")[:OVERDUE_LISTED])
    received = sum(by_status.values())
    return SectionResult(
        key=KEY,
        title=TITLE,
        figures=[
            Figure("received", _("Requests received"), received),
            Figure("delivered", _("Delivered"), len(delivered)),
            Figure("on_time", _("Delivered by the due date"), on_time),
            Figure(
                "on_time_share", _("Share delivered on time"), share(on_time, len(delivered)), "%"
            ),
            Figure("median_hours", _("Median time to deliver"), median(hours), "h"),
            Figure("p90_hours", _("90th percentile time to deliver"), percentile(hours, 0.9), "h"),
            Figure("overdue", _("Overdue today"), overdue.count()),
        ],
        tables=[
            Table(
                "by_kind",
                _("Requests by kind"),
                [_("Kind"), COUNT],
                [[label, by_kind.get(code, 0)] for code, label in Kind.choices] if received else [],
                chart=DOUGHNUT,
            ),
            Table(
                "by_status",
                _("Requests by status"),
                [_("Status"), COUNT],
                [[label, by_status.get(code, 0)] for code, label in Status.choices]
                if received
                else [],
                chart=BAR,
            ),
            Table(
                "overdue",
                _("Overdue requests"),
                [_("Request number"), _("Received"), _("Status"), _("Due date")],
                [
                    [
                        r.number,
                        local_day(office, r.created_at).isoformat(),
                        r.get_status_display(),
                        r.due_date.isoformat(),
                    ]
                    for r in overdue_rows
                ],
            ),
        ],
    )
