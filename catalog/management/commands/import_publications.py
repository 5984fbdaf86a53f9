import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from history.choices import AuditAction
from history.log import record
from offices.models import Office

from ...choices import Visibility
from ...errors import CatalogError
from ...importer import Importer


class Command(BaseCommand):
    help = (
        "Import publications from a UTF-8 CSV manifest (columns file,title,year,catalog_number,"
        "publication_number,issn,isbn,subject,abstract,release_date,language,"
        "hardcopy_call_number,hardcopy_copies; only title and year required; file relative to "
        "the manifest, empty for hardcopy-only; subjects separated by ;) or from a saved BPS Web "
        "API response (.json, list or view of model publication). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("manifest")
        parser.add_argument(
            "--office", default=settings.DEFAULT_OFFICE_CODE, help="BPS office code"
        )
        parser.add_argument(
            "--draft", action="store_true", help="import as drafts instead of published"
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="no progress bar, even on a terminal"
        )

    def handle(self, manifest, office, draft, no_progress, **options):
        try:
            office = Office.objects.get(code=office)
        except Office.DoesNotExist as exc:
            raise CommandError(f"No office with code {office}.") from exc
        show = not no_progress and sys.stderr.isatty()
        importer = Importer(
            office,
            visibility=Visibility.DRAFT if draft else Visibility.PUBLISHED,
            progress=self._progress if show else None,
        )
        try:
            report = importer.run(manifest)
        except (CatalogError, OSError, UnicodeDecodeError) as exc:
            raise CommandError(str(exc)) from exc
        if show:
            self.stderr.write("")
        record(
            "catalog.Publication import",
            AuditAction.STATE,
            office=office,
            detail=(
                f"{Path(manifest).name}: created {report.created}, updated {report.updated}, "
                f"skipped {report.skipped}, failed {report.failed}"
            ),
        )
        self.stdout.write(
            f"created {report.created}, updated {report.updated}, "
            f"skipped {report.skipped}, failed {report.failed}"
        )
        for line, reason in report.failures:
            self.stdout.write(self.style.ERROR(f"line {line}: {reason}"))

    def _progress(self, done, total):
        width = 40
        filled = int(width * done / total) if total else width
        self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        self.stderr.flush()
