"""One office's monthly report as a file: ``build_monthly(office, "2026-11", "xlsx")``."""

from . import sections
from .choices import ReportFormat
from .period import Period
from .render import render_pdf, render_xlsx

CONTENT_TYPES = {
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportFormat.PDF: "application/pdf",
}


def filename(office, period, file_format):
    return f"laporan-bulanan-pst-{office.code}-{period.start:%Y-%m}.{file_format}"


def build_monthly(office, period, file_format):
    """The report file's bytes for an office and a month (a ``Period``)."""
    results = sections.build(office, period)
    if file_format == ReportFormat.PDF:
        return render_pdf(office, period, results)
    return render_xlsx(office, period, results)


def month_period(office, text):
    return Period.month(text, office.tzinfo)
