"""Visits: walk-in visits (one guest-book entry each) and online visits.

An *online visit* is one signed-in user reading or downloading on one day (the
user-day, in office time): the online counterpart of a walk-in visit.
"""

import datetime

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from delivery.choices import Channel as DeliveryChannel
from delivery.models import DeliveryRecord
from offices.choices import Service, Weekday
from visits.models import Visit

from ..period import Period
from .base import BAR, COUNT, LINE, Figure, SectionResult, Table, share
from .sql import LocalDate, LocalHour

KEY = "visits"
TITLE = _("Visits")
ONLINE_CHANNELS = (DeliveryChannel.READ, DeliveryChannel.DOWNLOAD)
WALK_IN = pgettext_lazy("visit channel", "Walk-in")
ONLINE = pgettext_lazy("visit channel", "Online")
# Longer periods are charted per month rather than per day.
DAILY_UP_TO_DAYS = 62


def walk_in_visits(office, period):
    return Visit.objects.filter(office=office, day__gte=period.start, day__lte=period.end)


def online_deliveries(office, period):
    return DeliveryRecord.objects.filter(
        office=office,
        created_at__gte=period.since,
        created_at__lt=period.until,
        channel__in=ONLINE_CHANNELS,
    )


def online_visits_per_day(office, period):
    """``{date: number of users who read or downloaded that day}``."""
    rows = (
        online_deliveries(office, period)
        .annotate(local_day=LocalDate("created_at", tzinfo=period.tzinfo, year=period.start.year))
        .values("local_day")
        .annotate(n=Count("user_id", distinct=True))
        .order_by()
    )
    return {row["local_day"]: row["n"] for row in rows}


def section(office, period):
    visits = walk_in_visits(office, period)
    per_day = dict(visits.values_list("day").annotate(n=Count("id")).order_by())
    online_per_day = online_visits_per_day(office, period)
    by_service = dict(visits.values_list("service").annotate(n=Count("id")).order_by())
    by_hour = dict(
        visits.annotate(
            hour=LocalHour("guest_book_at", tzinfo=period.tzinfo, year=period.start.year)
        )
        .values_list("hour")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_weekday = {}
    for day, n in per_day.items():
        by_weekday[day.weekday()] = by_weekday.get(day.weekday(), 0) + n
    walk_in = sum(per_day.values())
    online = sum(online_per_day.values())
    total = walk_in + online

    return SectionResult(
        key=KEY,
        title=TITLE,
        figures=[
            Figure("total", _("All visits"), total),
            Figure("walk_in", _("Walk-in visits"), walk_in),
            Figure("online", _("Online visits"), online),
            Figure("walk_in_share", _("Walk-in share"), share(walk_in, total), "%"),
        ],
        tables=[
            _timeline(period, per_day, online_per_day),
            Table(
                "by_service",
                _("Walk-in visits by service"),
                [_("Service"), COUNT],
                [[label, by_service.get(code, 0)] for code, label in Service.choices]
                if walk_in
                else [],
                chart=BAR,
            ),
            Table(
                "by_channel",
                _("Walk-in and online visits"),
                [_("Channel"), COUNT],
                [[WALK_IN, walk_in], [ONLINE, online]] if total else [],
                chart="doughnut",
            ),
            Table(
                "by_hour",
                _("Walk-in visits by hour of arrival"),
                [_("Hour"), COUNT],
                [[f"{hour:02d}.00", by_hour[hour]] for hour in _hour_span(by_hour)],
                chart=BAR,
            ),
            Table(
                "by_weekday",
                _("Walk-in visits by day of the week"),
                [pgettext_lazy("day of the week", "Day"), COUNT],
                [[label, by_weekday.get(value, 0)] for value, label in Weekday.choices]
                if walk_in
                else [],
                chart=BAR,
            ),
        ],
        note=_("An online visit is one user reading or downloading on one day."),
    )


def _hour_span(by_hour):
    """Every hour from the first to the last with a visit (gaps shown as zero)."""
    if not by_hour:
        return []
    by_hour.update({h: 0 for h in range(min(by_hour), max(by_hour) + 1) if h not in by_hour})
    return sorted(by_hour)


def _timeline(period, per_day, online_per_day):
    columns = [WALK_IN, ONLINE]
    if period.days <= DAILY_UP_TO_DAYS:
        if not (per_day or online_per_day):
            return Table("per_day", _("Visits per day"), [_("Date"), *columns], [], chart=LINE)
        rows = []
        day = period.start
        while day <= period.end:
            rows.append([day.isoformat(), per_day.get(day, 0), online_per_day.get(day, 0)])
            day += datetime.timedelta(days=1)
        return Table("per_day", _("Visits per day"), [_("Date"), *columns], rows, chart=LINE)
    else:
        months = {}
        for counts, index in ((per_day, 1), (online_per_day, 2)):
            for day, n in counts.items():
                months.setdefault(day.strftime("%Y-%m"), [day.strftime("%Y-%m"), 0, 0])[index] += n
        rows = [months[key] for key in sorted(months)]
    return Table("per_month", _("Visits per month"), [_("Month"), *columns], rows, chart=LINE)


def public_series(office, months):
    """Walk-in and online visits per month, for the public statistics page."""
    first, last = months[0], months[-1]
    period = Period(first, _month_end(last), office.tzinfo)
    walk_in = {}
    for day, n in (
        walk_in_visits(office, period).values_list("day").annotate(n=Count("id")).order_by()
    ):
        walk_in[day.strftime("%Y-%m")] = walk_in.get(day.strftime("%Y-%m"), 0) + n
    online = {}
    for day, n in online_visits_per_day(office, period).items():
        online[day.strftime("%Y-%m")] = online.get(day.strftime("%Y-%m"), 0) + n
    keys = [month.strftime("%Y-%m") for month in months]
    return [
        (_("Walk-in visits"), {key: walk_in.get(key, 0) for key in keys}),
        (_("Online visits"), {key: online.get(key, 0) for key in keys}),
    ]


def _month_end(first_day):
    following = (first_day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)
