"""The office clock: every "today", day boundary, period and percentile (STYLE.md 12c).

An office runs on its own zone (``Office.timezone``: WIB Asia/Jakarta, WITA
Asia/Makassar, WIT Asia/Jayapura), so its days start at its own midnight::

    local_now(office)             # the office's wall clock, aware
    local_day(office)             # today at the office; local_day(office, moment) for a moment
    Period(start, end, office.tzinfo).since / .until    # half-open [since, until)
    with activate(office): ...    # templates show the office's times

Never ``timezone.localdate()`` without an office: the server's zone is Kendal's, not
every office's. Back-office views (``offices.permissions.office_required``) and public
office pages activate the office's zone, so templates show its wall clock.
"""

import calendar
import dataclasses
import datetime
import math
import re

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


class PeriodError(DomainError):
    """A period that cannot be used; the message is shown to the user."""

    status = 422
    code = "invalid_period"


def local_now(office):
    """The office's wall clock now (aware, in its zone)."""
    return timezone.localtime(timezone=office.tzinfo)


def local_day(office, moment=None):
    """The office's date of ``moment`` (default: now)."""
    return timezone.localtime(moment or timezone.now(), timezone=office.tzinfo).date()


def local_time(office, moment):
    """``moment`` on the office's clock, or None."""
    return timezone.localtime(moment, timezone=office.tzinfo) if moment else None


def activate(office):
    """A context manager: the office's zone is the current zone (templates, forms)."""
    return timezone.override(office.tzinfo)


@dataclasses.dataclass(frozen=True)
class Period:
    """Whole local days of one office, ``start`` to ``end`` inclusive.

    ``since`` and ``until`` are the half-open bounds in the office's zone: a moment
    belongs to the period when ``since <= moment < until``; a day when
    ``start <= day <= end`` (or ``day < after``).
    """

    start: datetime.date
    end: datetime.date
    tzinfo: datetime.tzinfo

    def __post_init__(self):
        if self.end < self.start:
            raise PeriodError(_("The start date is after the end date."))

    @classmethod
    def for_office(cls, office, start, end):
        return cls(start, end, office.tzinfo)

    @classmethod
    def month(cls, text, tzinfo):
        """The period of a month written ``YYYY-MM``."""
        match = MONTH_RE.match(text or "")
        if not match or not 1 <= int(match[2]) <= 12:
            raise PeriodError(_("Write the month as YYYY-MM, e.g. 2026-11."))
        return cls.of_month(int(match[1]), int(match[2]), tzinfo)

    @classmethod
    def of_month(cls, year, month, tzinfo):
        last = calendar.monthrange(year, month)[1]
        return cls(datetime.date(year, month, 1), datetime.date(year, month, last), tzinfo)

    @property
    def days(self):
        return (self.end - self.start).days + 1

    @property
    def after(self):
        """The first day after the period (exclusive bound of days)."""
        return self.end + datetime.timedelta(days=1)

    @property
    def since(self):
        """The first moment of the period (aware, office time)."""
        return datetime.datetime.combine(self.start, datetime.time.min, tzinfo=self.tzinfo)

    @property
    def until(self):
        """The first moment after the period (exclusive bound)."""
        return datetime.datetime.combine(self.after, datetime.time.min, tzinfo=self.tzinfo)

    def label(self):
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    def as_query(self):
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def percentile(values, share):
    """Nearest-rank percentile (the value at rank ceil(share × n)); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]
