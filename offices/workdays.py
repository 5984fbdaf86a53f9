"""Working days of an office: Monday to Friday, less Indonesian public holidays and the
office's own leave days (cuti bersama, ``LeaveDay``).

Service-level targets (complaints, softcopy requests) are counted in working days
(hari kerja). ``add_working_days(office, start, n)`` is the date ``n`` working days
after ``start`` (``start`` itself never counts); ``working_days_between(office, a, b)``
counts the working days after ``a`` up to and including ``b``.

A view or command that computes many dates for one office builds one
``WorkingCalendar`` and reuses it: the office's leave days are read once.
"""

import datetime
from functools import lru_cache

import holidays

from .models import LeaveDay

# Public holidays of the national calendar (libur nasional), as the holidays package knows them.
COUNTRY = "ID"


@lru_cache(maxsize=64)
def national_holidays(year):
    """``{date: name}`` of Indonesia's public holidays in ``year`` (names in Indonesian)."""
    return dict(holidays.country_holidays(COUNTRY, years=year, language="id"))


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


class WorkingCalendar:
    """The working days of one office; leave days are loaded on first use."""

    def __init__(self, office):
        self.office = office
        self._leave_days = None

    @property
    def leave_days(self):
        if self._leave_days is None:
            self._leave_days = set(
                LeaveDay.objects.filter(office=self.office).values_list("date", flat=True)
            )
        return self._leave_days

    def is_working_day(self, day):
        day = _as_date(day)
        return (
            day.weekday() < 5
            and day not in national_holidays(day.year)
            and day not in self.leave_days
        )

    def add_working_days(self, start, days):
        if days < 0:
            raise ValueError("days must not be negative")
        day = _as_date(start)
        remaining = days
        while remaining:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start, end):
        start, end = _as_date(start), _as_date(end)
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def is_working_day(office, day):
    return WorkingCalendar(office).is_working_day(day)


def add_working_days(office, start, days):
    """The date ``days`` working days after ``start`` (a date or an aware datetime's date)."""
    return WorkingCalendar(office).add_working_days(start, days)


def working_days_between(office, start, end):
    """Working days after ``start`` up to and including ``end`` (negative if ``end`` is earlier)."""
    return WorkingCalendar(office).working_days_between(start, end)
