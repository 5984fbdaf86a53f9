"""Produce an office's monthly PST report as XLSX or PDF, for scripts and schedulers.

python manage.py monthly_report --office 3324 --month 2026-11 --format xlsx --output nov.xlsx
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from offices.models import Office
from reports.choices import ReportFormat
from reports.monthly import build_monthly, month_period
from reports.period import PeriodError


class Command(BaseCommand):
    help = "Write the monthly PST report (Laporan Bulanan PST) of one office as XLSX or PDF."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="BPS office code, e.g. 3324")
        parser.add_argument("--month", required=True, help="YYYY-MM, e.g. 2026-11")
        parser.add_argument("--format", choices=ReportFormat.values, default=ReportFormat.XLSX)
        parser.add_argument("--output", required=True, help="file to write ('-' not allowed)")

    def handle(self, *args, **options):
        office = Office.objects.filter(code=options["office"]).first()
        if office is None:
            raise CommandError(f"No office with code {options['office']}.")
        try:
            period = month_period(office, options["month"])
        except PeriodError as error:
            raise CommandError(str(error)) from error
        content = build_monthly(office, period, options["format"])
        output = Path(options["output"])
        output.write_bytes(content)
        self.stdout.write(
            f"Wrote {output} ({len(content)} bytes): {office.code} {options['month']}"
        )
