"""Complaints received in the period: by channel, by status, and the overdue ones.

"Overdue" is the complaints app's rule, judged today (office time): ``overdue_q``, the
filter of ``Complaint.is_overdue``. "Answered late" is ``Complaint.answered_late``.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints.choices import Channel, Status
from complaints.models import Complaint, overdue_q
from offices.time import local_day

from .base import BAR, COUNT, DOUGHNUT, Figure, SectionResult, Table

KEY = "complaints"
TITLE = _("Complaints")
OVERDUE_LISTED = 20


def section(office, period):
    today = local_day(office)
    complaints = Complaint.objects.filter(
        office=office, received_at__gte=period.since, received_at__lt=period.until
    )
    overdue = overdue_q(today)
    totals = complaints.aggregate(
        received=Count("id"),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        closed=Count("id", filter=Q(status=Status.CLOSED)),
        overdue=Count("id", filter=overdue),
    )
    # Answered after the due date: the complaint's own rule, on the answered ones.
    answered = complaints.filter(answered_at__isnull=False, due_date__isnull=False).only(
        "answered_at", "due_date", "office"
    )
    late = 0
    for complaint in answered:
        complaint.office = office  # the rule reads the office's clock: no query per row
        late += complaint.answered_late
    by_channel = dict(complaints.values_list("channel").annotate(n=Count("id")).order_by())
    by_status = dict(complaints.values_list("status").annotate(n=Count("id")).order_by())
    overdue_rows = complaints.filter(overdue).order_by("due_date", "pk")[:OVERDUE_LISTED]
    has_any = bool(totals["received"])
    return SectionResult(
        key=KEY,
        title=TITLE,
        figures=[
            Figure("received", _("Complaints received"), totals["received"]),
            Figure("answered", _("Answered"), totals["answered"]),
            Figure("answered_late", _("Answered after the due date"), late),
            Figure("closed", pgettext_lazy("complaints", "Closed"), totals["closed"]),
            Figure("overdue", _("Overdue today"), totals["overdue"]),
        ],
        tables=[
            Table(
                "by_channel",
                _("Complaints by channel"),
                [_("Channel"), COUNT],
                [[label, by_channel.get(code, 0)] for code, label in Channel.choices]
                if has_any
                else [],
                chart=BAR,
            ),
            Table(
                "by_status",
                _("Complaints by status"),
                [_("Status"), COUNT],
                [[label, by_status.get(code, 0)] for code, label in Status.choices]
                if has_any
                else [],
                chart=DOUGHNUT,
            ),
            Table(
                "overdue",
                _("Overdue complaints"),
                [_("Tracking code"), _("Received"), _("Channel"), _("Status"), _("Due date")],
                [
                    [
                        c.tracking_code,
                        local_day(office, c.received_at).isoformat(),
                        c.get_channel_display(),
                        c.get_status_display(),
                        c.due_date.isoformat(),
                    ]
                    for c in overdue_rows
                ],
            ),
        ],
    )
