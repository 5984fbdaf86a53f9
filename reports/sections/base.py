"""The shape every report section returns: figures, tables and the charts drawn from them.

A section is rendered three ways from the same object: the dashboard (HTML tables
plus Chart.js canvases fed by a JSON data island), the XLSX workbook (one sheet)
and the PDF (tables plus reportlab charts). Values are plain numbers (int or
float) or text; None means "no data" and is shown as "–".
"""

import dataclasses
import statistics

from django.utils.translation import gettext_lazy as _

from offices.time import percentile

__all__ = ["percentile"]  # the office clock's, for the sections

# Chart kinds the dashboard and the PDF know how to draw.
BAR, HBAR, LINE, DOUGHNUT = "bar", "hbar", "line", "doughnut"


@dataclasses.dataclass
class Figure:
    """One headline number: ``value`` is an int, a float or None (no data)."""

    key: str
    label: str
    value: object
    unit: str = ""  # "%", "min", "h" or ""
    # A reference value (the target), not a measurement: it does not make a period non-empty.
    reference: bool = False


@dataclasses.dataclass
class Table:
    """Rows of ``[label, number, number, ...]`` under ``columns``; optionally charted.

    ``chart`` names a chart kind; ``chart_columns`` the value columns drawn (default:
    every column after the first).
    """

    key: str
    title: str
    columns: list
    rows: list
    chart: str = ""
    chart_columns: tuple = ()

    @property
    def is_empty(self):
        return not self.rows

    def series_columns(self):
        return list(self.chart_columns or range(1, len(self.columns)))

    def chart_data(self):
        """The data a chart needs, as JSON-ready lists (labels are strings)."""
        return {
            "type": self.chart,
            "title": str(self.title),
            "labels": [str(row[0]) for row in self.rows],
            "datasets": [
                {"label": str(self.columns[i]), "data": [row[i] or 0 for row in self.rows]}
                for i in self.series_columns()
            ],
        }


@dataclasses.dataclass
class SectionResult:
    key: str
    title: str
    figures: list = dataclasses.field(default_factory=list)
    tables: list = dataclasses.field(default_factory=list)
    note: str = ""

    @property
    def is_empty(self):
        return all(not f.value for f in self.figures if not f.reference) and all(
            t.is_empty for t in self.tables
        )


def share(part, whole):
    """``part`` as a percentage of ``whole`` with one decimal; None when ``whole`` is 0."""
    if not whole:
        return None
    return round(100 * part / whole, 1)


def median(values):
    return round(statistics.median(values), 1) if values else None


def choice_rows(counts, choices, *, not_stated=True):
    """Rows ``[label, count, share]`` in the order of ``choices``, plus "Not stated"."""
    total = sum(counts.values())
    rows = [
        [label, counts.get(value, 0), share(counts.get(value, 0), total)]
        for value, label in choices
    ]
    if not_stated:
        known = {value for value, _label in choices}
        missing = sum(n for value, n in counts.items() if value not in known)
        rows.append([_("Not stated"), missing, share(missing, total)])
    return rows


COUNT = _("Count")
SHARE = _("Share (%)")
