"""The report sections, in report order: one provider module per section.

A provider is a module with

* ``KEY`` — a short identifier (``"visits"``), used for HTML ids and XLSX sheet names;
* ``TITLE`` — the section heading (lazy translation);
* ``section(office, period) -> SectionResult`` — the figures and tables for one office
  and one :class:`reports.period.Period`; a constant number of queries, whatever the
  number of rows; an empty period gives zeros and empty tables, never an error;
* optionally ``public_series(office, months) -> list[(label, {"YYYY-MM": number})]`` —
  monthly figures an office may publish on its public statistics page.

To add a section, write its module in ``reports/sections/`` and add it to
``PROVIDERS``. Nothing else changes: the dashboard, the XLSX and PDF monthly
reports and the public page all read this list. A provider builds its result from
``reports.sections.base``::

    from django.db.models import Count
    from django.utils.translation import gettext_lazy as _

    from reports.sections.base import BAR, COUNT, Figure, SectionResult, Table

    KEY = "softcopies"
    TITLE = _("Softcopy requests")

    def section(office, period):
        requests = SoftcopyRequest.objects.filter(
            office=office, created_at__gte=period.since, created_at__lt=period.until
        )
        by_status = dict(requests.values_list("status").annotate(n=Count("id")).order_by())
        return SectionResult(
            key=KEY,
            title=TITLE,
            figures=[Figure("received", _("Requests received"), sum(by_status.values()))],
            tables=[Table("by_status", _("Requests by status"), [_("Status"), COUNT],
                          [[label, by_status.get(code, 0)] for code, label in Status.choices],
                          chart=BAR)],
        )

Figures are ``Figure(key, label, value, unit="" | "%" | "min", reference=False)``;
tables ``Table(key, title, columns, rows, chart="" | "bar" | "hbar" | "line" |
"doughnut", chart_columns=())`` with rows ``[label, number, ...]``. Keys become
HTML ids (``chart-<section>-<table>``) and the figure hooks tests use
(``data-figure="<section>.<figure>"``). Raw-log exports have their own registry,
``reports.exports.EXPORTS``.
"""

from . import complaints, ikm, messages, reads, searches, softcopies, visitors, visits, waiting

PROVIDERS = (visits, waiting, visitors, reads, softcopies, ikm, searches, complaints, messages)


def providers():
    return list(PROVIDERS)


def build(office, period):
    """Every section's result for one office and period, in report order."""
    return [provider.section(office, period) for provider in providers()]


def public_series(office, months):
    series = []
    for provider in providers():
        if hasattr(provider, "public_series"):
            series.extend(provider.public_series(office, months))
    return series
