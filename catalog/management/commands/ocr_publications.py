"""Recognise the text of scanned pages in publications already in the catalogue (OCR).

Uploads are recognised in the background as they come (catalog.ocr); this command is
for PDFs processed before that existed, or whose recognition failed. It finds, among
publications whose PDF is processed, the pages stored without text, checks in the PDF
which of them show an image, and runs the recognition one publication after another.
"""

import sys

import pypdfium2 as pdfium
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.storage import open_stream
from history.choices import AuditAction
from history.log import record
from offices.models import Office

from ... import ocr
from ...choices import ProcessingState, RecognitionState
from ...models import Publication, PublicationPage, TextRecognition


class Command(BaseCommand):
    help = (
        "Recognise the text (OCR, Indonesian + English) of the scanned pages of processed "
        "publications: pages without a text layer that show an image. Skips publications "
        "whose recognition is done or under way, unless --again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--office", help="only this office (BPS code)")
        parser.add_argument(
            "--publication", type=int, action="append", default=[], help="only this id (repeat)"
        )
        parser.add_argument(
            "--again", action="store_true", help="also publications recognised before"
        )
        parser.add_argument("--limit", type=int, default=0, help="at most this many publications")
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be recognised, change nothing"
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="no progress bar, even on a terminal"
        )

    def handle(self, office, publication, again, limit, dry_run, no_progress, **options):
        candidates = Publication.objects.filter(processing_state=ProcessingState.READY).exclude(
            original_pdf=""
        )
        if office:
            if not Office.objects.filter(code=office).exists():
                raise CommandError(f"No office with code {office}.")
            candidates = candidates.filter(office__code=office)
        if publication:
            candidates = candidates.filter(pk__in=publication)
        empty_pages = PublicationPage.objects.filter(text="").values("publication_id")
        candidates = candidates.filter(pk__in=empty_pages).order_by("pk")
        show = not no_progress and sys.stderr.isatty()
        done = failed = skipped = 0
        for item in candidates.iterator():
            if limit and done + failed >= limit:
                break
            recognition = ocr.current_recognition(item)
            if recognition is not None and (
                recognition.is_busy or (recognition.state == RecognitionState.DONE and not again)
            ):
                skipped += 1
                continue
            numbers = list(
                PublicationPage.objects.filter(publication=item, text="").values_list(
                    "number", flat=True
                )
            )
            if recognition is not None and recognition.state == RecognitionState.DONE:
                numbers = sorted(set(numbers) | set(ocr.parse_ranges(recognition.pages)))
            pages = self._scanned(item, numbers)
            if not pages:
                skipped += 1
                continue
            label = f"{item.pk} {item.title[:60]}: {len(pages)} pages ({ocr.page_ranges(pages)})"
            if dry_run:
                self.stdout.write(f"would recognise {label}")
                done += 1
                continue
            self.stdout.write(f"recognising {label}")
            state = self._run(item, pages, show)
            if state == RecognitionState.DONE:
                done += 1
            else:
                failed += 1
                error = TextRecognition.objects.get(publication=item).error
                self.stdout.write(self.style.ERROR(f"  failed: {error}"))
        verb = "would recognise" if dry_run else "recognised"
        summary = f"{verb} {done}, failed {failed}, skipped {skipped}"
        if not dry_run:
            record("catalog.Publication OCR", AuditAction.STATE, detail=summary)
        self.stdout.write(summary)

    def _scanned(self, publication, numbers):
        try:
            with open_stream(publication.original_pdf.name) as stream:
                document = pdfium.PdfDocument(stream.read())
        except (OSError, pdfium.PdfiumError) as exc:
            self.stdout.write(self.style.ERROR(f"{publication.pk}: cannot read the PDF: {exc}"))
            return []
        try:
            numbers = [n for n in numbers if 1 <= n <= len(document)]
            return ocr.scanned_pages(document, numbers)
        finally:
            document.close()

    def _run(self, publication, pages, show):
        with transaction.atomic():
            Publication.objects.select_for_update().filter(pk=publication.pk).get()
            recognition = ocr.queue_recognition(publication, pages, enqueue=False)
        progress = None
        if show:

            def progress(done, total):
                width = 40
                filled = int(width * done / total) if total else width
                self.stderr.write(
                    f"\r  [{'#' * filled}{'.' * (width - filled)}] {done}/{total} pages", ending=""
                )
                self.stderr.flush()

        state = ocr.recognise_publication(publication.pk, on_page=progress)
        if show:
            self.stderr.write("")
        recognition.refresh_from_db()
        return state
