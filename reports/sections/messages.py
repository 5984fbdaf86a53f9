"""Report section: messages by channel (e-mail, WhatsApp, Instagram) in the period.

Received messages split into those that became complaints or replies on complaints and
those of the message inbox; sent messages with the ones not delivered. A constant
number of queries whatever the number of messages.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from channels.choices import PROBLEM_STATES, Direction, Medium
from channels.models import Conversation, Message

from .base import BAR, Figure, SectionResult, Table

KEY = "messages"
TITLE = _("Messages by channel")


def section(office, period):
    messages = Message.objects.filter(
        office=office, created_at__gte=period.since, created_at__lt=period.until
    )
    rows = {
        medium: counts
        for medium, *counts in messages.values_list("contact__medium")
        .annotate(
            complaint_in=Count(
                "id",
                filter=Q(direction=Direction.IN, conversation__complaint__isnull=False),
            ),
            inbox_in=Count(
                "id", filter=Q(direction=Direction.IN, conversation__complaint__isnull=True)
            ),
            sent=Count("id", filter=Q(direction=Direction.OUT)),
            undelivered=Count("id", filter=Q(direction=Direction.OUT, state__in=PROBLEM_STATES)),
        )
        .order_by()
    }
    inbox = Conversation.objects.inbox().filter(
        office=office, created_at__gte=period.since, created_at__lt=period.until
    )
    started = dict(inbox.values_list("medium").annotate(n=Count("id")).order_by())
    totals = [sum(r[i] for r in rows.values()) for i in range(4)]
    has_any = any(totals) or bool(started)
    return SectionResult(
        key=KEY,
        title=TITLE,
        figures=[
            Figure("received", _("Messages received"), totals[0] + totals[1]),
            Figure("inbox", _("Inbox conversations started"), sum(started.values())),
            Figure("sent", _("Messages sent"), totals[2]),
            Figure("undelivered", _("Messages not delivered"), totals[3]),
        ],
        tables=[
            Table(
                "by_channel",
                _("Messages by channel"),
                [
                    _("Channel"),
                    _("Received on complaints"),
                    _("Received in the inbox"),
                    _("Inbox conversations"),
                    _("Sent"),
                    _("Not delivered"),
                ],
                [
                    [
                        label,
                        *rows.get(code, [0, 0])[:2],
                        started.get(code, 0),
                        *rows.get(code, [0, 0, 0, 0])[2:],
                    ]
                    for code, label in Medium.choices
                ]
                if has_any
                else [],
                chart=BAR,
                chart_columns=(1, 2, 4),
            ),
        ],
    )
