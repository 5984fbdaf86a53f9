"""Local dates and hours of stored UTC timestamps, fast on SQLite too.

Django's ``TruncDate``/``ExtractHour`` with a time zone call a Python function per
row on SQLite, which is what a year of 500,000 downloads cannot afford. For a zone
without daylight saving time (all of Indonesia's: WIB, WITA, WIT), the local date is
the UTC timestamp shifted by a fixed offset, which SQLite's own ``date()`` and
``strftime()`` compute natively. Zones with DST, and other databases (PostgreSQL
converts time zones natively), keep Django's implementation.
"""

import datetime

from django.db.models import FloatField, Func
from django.db.models.functions import ExtractHour, TruncDate


def fixed_offset_minutes(tzinfo, year):
    """The zone's UTC offset in minutes if it is the same all year round, else None."""
    offsets = {tzinfo.utcoffset(datetime.datetime(year, month, 1, 12)) for month in (1, 4, 7, 10)}
    if len(offsets) != 1:
        return None
    return int(offsets.pop().total_seconds() // 60)


class LocalDate(TruncDate):
    def __init__(self, expression, *, tzinfo, year, **extra):
        self.offset = fixed_offset_minutes(tzinfo, year)
        super().__init__(expression, tzinfo=tzinfo, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        if self.offset is None:
            return self.as_sql(compiler, connection, **extra_context)
        sql, params = compiler.compile(self.lhs)
        return f"date({sql}, %s)", (*params, f"{self.offset:+d} minutes")


class LocalHour(ExtractHour):
    def __init__(self, expression, *, tzinfo, year, **extra):
        self.offset = fixed_offset_minutes(tzinfo, year)
        super().__init__(expression, tzinfo=tzinfo, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        if self.offset is None:
            return self.as_sql(compiler, connection, **extra_context)
        sql, params = compiler.compile(self.lhs)
        return f"CAST(strftime('%%H', {sql}, %s) AS INTEGER)", (
            *params,
            f"{self.offset:+d} minutes",
        )


class SecondsBetween(Func):
    """``end − start`` in seconds as a float, computed by the database itself.

    Django's duration arithmetic on SQLite calls a Python function per row and
    returns text to parse; ``julianday`` is native. PostgreSQL uses ``EXTRACT(EPOCH)``.
    """

    output_field = FloatField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra_context,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="EXTRACT(EPOCH FROM (%(expressions)s))::float",
            arg_joiner=" - ",
            **extra_context,
        )

    def as_sql(self, compiler, connection, **extra_context):
        extra_context.setdefault("template", "(%(expressions)s)")
        extra_context.setdefault("arg_joiner", " - ")
        return super().as_sql(compiler, connection, **extra_context)
