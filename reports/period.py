"""A reporting period: whole local days of one office, from ``start`` to ``end`` inclusive."""

import calendar
import dataclasses
import datetime
import re

from django.utils.translation import gettext_lazy as _

# A period longer than this is refused ("absurd"): the dashboard is for up to a few years.
MAX_DAYS = 3 * 366
EARLIEST = datetime.date(2000, 1, 1)
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


class PeriodError(ValueError):
    """A period that cannot be reported on; the message is shown to the user."""


@dataclasses.dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    tzinfo: datetime.tzinfo

    def __post_init__(self):
        if self.end < self.start:
            raise PeriodError(_("The start date is after the end date."))
        if self.start < EARLIEST:
            raise PeriodError(_("Reports start in the year 2000 at the earliest."))
        if (self.end - self.start).days + 1 > MAX_DAYS:
            raise PeriodError(_("A report covers at most three years."))

    @classmethod
    def month(cls, text, tzinfo):
        """The period of a month written ``YYYY-MM``."""
        match = MONTH_RE.match(text or "")
        if not match or not 1 <= int(match[2]) <= 12:
            raise PeriodError(_("Write the month as YYYY-MM, e.g. 2026-11."))
        year, month = int(match[1]), int(match[2])
        last = calendar.monthrange(year, month)[1]
        return cls(datetime.date(year, month, 1), datetime.date(year, month, last), tzinfo)

    @property
    def days(self):
        return (self.end - self.start).days + 1

    @property
    def since(self):
        """The first moment of the period (aware, office time)."""
        return datetime.datetime.combine(self.start, datetime.time.min, tzinfo=self.tzinfo)

    @property
    def until(self):
        """The first moment after the period (exclusive bound)."""
        following = self.end + datetime.timedelta(days=1)
        return datetime.datetime.combine(following, datetime.time.min, tzinfo=self.tzinfo)

    def label(self):
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    def as_query(self):
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}
