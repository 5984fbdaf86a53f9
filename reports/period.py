"""A reporting period: whole local days of one office (``offices.time.Period``), within
the limits of what the dashboard reports on."""

import datetime

from django.utils.translation import gettext_lazy as _

from offices import time
from offices.time import PeriodError

__all__ = ["Period", "PeriodError"]

# A period longer than this is refused ("absurd"): the dashboard is for up to a few years.
MAX_DAYS = 3 * 366
EARLIEST = datetime.date(2000, 1, 1)


class Period(time.Period):
    def __post_init__(self):
        super().__post_init__()
        if self.start < EARLIEST:
            raise PeriodError(_("Reports start in the year 2000 at the earliest."))
        if self.days > MAX_DAYS:
            raise PeriodError(_("A report covers at most three years."))
