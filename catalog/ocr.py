"""Text recognition (OCR) of scanned pages: OCRmyPDF with Tesseract, Indonesian + English.

A page without a text layer (a scan) gives search nothing. When the text extraction
(``services.process_file``) finds pages that show an image but carry no text, it queues
a job (``tasks.recognise_publication_text``) that runs OCRmyPDF on a copy of the
original:

- only on those pages (``--pages``), in ``--mode skip``: a page that has text is
  never touched, and a PDF whose pages all have text is never queued;
- ``--output-type pdf --optimize 0``: the images stay as they are (no PDF/A
  conversion, no recompression, no deskewing), OCRmyPDF only adds an invisible text
  layer;
- languages ``CATALOG_OCR_LANGUAGES`` (``ind+eng``; Debian's ``tesseract-ocr-ind``).

The result is the publication's *readable copy* (``TextRecognition.file``). The
original stays as uploaded; ``softcopy_name`` tells the delivery app to prepare the
readers' stamped copy from the readable copy, so readers can select and search the
recognised text in the reader and in their downloads. The recognised text replaces the
empty page texts and is indexed like extracted text: page search and page hits work.

OCRmyPDF runs in a child process (``python -m ocrmypdf``): its API is not thread-safe,
takes a per-process lock and starts workers of its own, and a child can be timed out
and killed without harming the job worker. Its progress comes back through a small
plugin (``ocr_progress.py``) that prints a line per finished page on stderr.

``recognise_file`` is the same step for any PDF on disk: the softcopy service runs it
on delivered scans.
"""

import logging
import os
import subprocess
import sys
import tempfile
import threading
from collections import deque

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from core.storage import open_stream

from .choices import EventAction, ProcessingState, RecognitionState
from .errors import CatalogError
from .models import Publication, PublicationPage, TextRecognition
from .pdf import clean_text
from .search import index_pages, index_publication

logger = logging.getLogger(__name__)

BUSY = (RecognitionState.PENDING, RecognitionState.RUNNING)
# The progress lines of ocr_progress.py (not imported here: it imports OCRmyPDF, which
# only the child process needs).
MARKER = "pst-ocr-progress"
# OCRmyPDF's exit codes (ocrmypdf.exceptions.ExitCode) that mean something to an officer.
EXIT_MESSAGES = {
    2: gettext_noop("The PDF cannot be read by the text recognition."),
    3: gettext_noop("The text recognition is not installed on the server (tesseract, languages)."),
    8: gettext_noop("The PDF is encrypted."),
}


class RecognitionFailed(CatalogError):
    """OCRmyPDF could not recognise the text; the message is for the officer."""


# --- which pages ---------------------------------------------------------------------------
def shows_image(page):
    """Whether a PdfPage draws an image (a scan), looking into form XObjects too."""
    return (
        next(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3), None) is not None
    )


def scanned_pages(document, numbers=None):
    """The 1-based numbers of the pages (among ``numbers``, default all) of an open
    PdfDocument that show an image and have no text: those OCR can read."""
    found = []
    for number in numbers if numbers is not None else range(1, len(document) + 1):
        page = document[number - 1]
        textpage = page.get_textpage()
        try:
            if not clean_text(textpage.get_text_bounded()) and shows_image(page):
                found.append(number)
        finally:
            textpage.close()
            page.close()
    return found


def page_ranges(numbers):
    """[1, 2, 3, 7] → "1-3,7" (OCRmyPDF's ``--pages``)."""
    parts = []
    numbers = sorted(set(numbers))
    start = previous = None
    for number in [*numbers, None]:
        if start is not None and number == previous + 1:
            previous = number
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = number
    return ",".join(parts)


def parse_ranges(text):
    """ "1-3,7" → [1, 2, 3, 7]."""
    numbers = []
    for part in filter(None, (text or "").split(",")):
        first, _dash, last = part.partition("-")
        numbers.extend(range(int(first), int(last or first) + 1))
    return numbers


# --- running OCRmyPDF ----------------------------------------------------------------------
def recognise(source, output, pages, *, progress=None):
    """Write ``source`` with a text layer on ``pages`` (1-based) to ``output``.

    ``progress(fraction)`` is called as pages are done. Raises RecognitionFailed.
    """
    command = [
        sys.executable,
        "-m",
        "ocrmypdf",
        "--plugin",
        "catalog.ocr_progress",
        "--language",
        settings.CATALOG_OCR_LANGUAGES,
        "--mode",
        "skip",
        "--pages",
        page_ranges(pages),
        "--output-type",
        "pdf",
        "--optimize",
        "0",
        "--jobs",
        str(settings.CATALOG_OCR_JOBS),
        "--tesseract-timeout",
        str(TextRecognition.TIMEOUT_PER_PAGE - 30),
        str(source),
        str(output),
    ]
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(settings.BASE_DIR), os.environ.get("PYTHONPATH")])
        ),
    }
    timed_out = threading.Event()
    messages = deque(maxlen=20)
    with subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        env=environment,
        start_new_session=True,
    ) as process:

        def kill():
            timed_out.set()
            process.kill()

        timer = threading.Timer(TextRecognition.time_limit(len(pages)).total_seconds(), kill)
        timer.start()
        try:
            for line in process.stderr:
                if line.startswith(MARKER):
                    done, total = (float(value) for value in line.split()[1:3])
                    if progress is not None and total:
                        progress(min(1.0, done / total))
                elif line.strip():
                    messages.append(line.strip())
            code = process.wait()
        finally:
            timer.cancel()
            if process.poll() is None:
                process.kill()
    if timed_out.is_set():
        raise RecognitionFailed(_("The text recognition took too long and was stopped."))
    if code != 0:
        logger.warning("ocrmypdf exited with %s: %s", code, " | ".join(messages))
        reason = EXIT_MESSAGES.get(code)
        detail = _(reason) if reason else (messages[-1] if messages else "")
        raise RecognitionFailed(
            _("Text recognition failed (code %(code)s): %(detail)s")
            % {"code": code, "detail": detail}
        )


def page_text(path, numbers):
    """{number: text} of some pages of a PDF on disk."""
    document = pdfium.PdfDocument(str(path))
    texts = {}
    try:
        for number in numbers:
            page = document[number - 1]
            textpage = page.get_textpage()
            try:
                texts[number] = clean_text(textpage.get_text_bounded())
            finally:
                textpage.close()
                page.close()
    finally:
        document.close()
    return texts


def recognise_file(source, output, *, progress=None):
    """OCR of any PDF on disk: the scanned pages of ``source`` get a text layer in ``output``.

    Returns the numbers of the pages recognised; none (and no ``output``) when every
    page has text or shows no image.
    """
    document = pdfium.PdfDocument(str(source))
    try:
        pages = scanned_pages(document)
    finally:
        document.close()
    if pages:
        recognise(source, output, pages, progress=progress)
    return pages


# --- publications ---------------------------------------------------------------------------
def softcopy_name(publication):
    """The stored file readers get (the delivery app stamps it): the readable copy when the
    current original has one, otherwise the original."""
    readable = (
        TextRecognition.objects.filter(
            publication_id=publication.pk,
            state=RecognitionState.DONE,
            source_name=publication.original_pdf.name,
        )
        .exclude(file="")
        .values_list("file", flat=True)
        .first()
    )
    return readable or publication.original_pdf.name


def current_recognition(publication):
    """The publication's text recognition for its current original, or None."""
    if not publication.original_pdf:
        return None
    return TextRecognition.objects.filter(
        publication_id=publication.pk, source_name=publication.original_pdf.name
    ).first()


def _forget(recognition):
    """Delete a recognition row and, after commit, its file."""
    name = recognition.file.name
    recognition.delete()
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def queue_recognition(publication, pages, *, by=None, enqueue=True):
    """Ask for the OCR of ``pages`` (1-based) of the publication's current original.

    Called inside the transaction that finishes the text extraction; the job starts after
    commit (``enqueue=False``: the caller runs ``recognise_publication`` itself). No
    pages: nothing to recognise, an older recognition is dropped.
    """
    existing = TextRecognition.objects.select_for_update().filter(publication=publication).first()
    if existing is not None:
        _forget(existing)
    if not pages:
        return None
    recognition = TextRecognition.objects.create(
        publication=publication,
        source_name=publication.original_pdf.name,
        pages=page_ranges(pages),
        page_count=len(pages),
    )
    publication.log(
        EventAction.OCR_STARTED,
        actor=by,
        note=_("%(count)d pages without text: %(pages)s")
        % {"count": len(pages), "pages": recognition.pages},
    )
    if enqueue:
        pk = publication.pk
        transaction.on_commit(lambda: recognise_publication_text.enqueue(pk))
    return recognition


def retry_recognition(publication, *, by):
    """Run a failed text recognition again (an officer's action)."""
    with transaction.atomic():
        Publication.objects.select_for_update().filter(pk=publication.pk).get()
        recognition = current_recognition(publication)
        if recognition is None or recognition.state != RecognitionState.FAILED:
            raise CatalogError(_("There is no failed text recognition to run again."))
        return queue_recognition(publication, parse_ranges(recognition.pages), by=by)


@task()
def recognise_publication_text(publication_id):
    """The job (run by ``manage.py db_worker``): see ``recognise_publication``."""
    return str(recognise_publication(publication_id))


def _progress(recognition, on_page):
    def report(fraction):
        done = min(recognition.page_count, int(fraction * recognition.page_count))
        if done != recognition.pages_done:
            recognition.pages_done = done
            TextRecognition.objects.filter(pk=recognition.pk).update(pages_done=done)
            if on_page is not None:
                on_page(done, recognition.page_count)

    return report


def recognise_publication(publication_id, *, on_page=None):
    """The job: recognise the text of a publication's scanned pages, store and index it.

    Returns the final state. A failure is recorded on the recognition (visible on the
    publication's office page) and in the publication's history. ``on_page(done, total)``
    follows the progress (the management command's bar).
    """
    with transaction.atomic():
        recognition = (
            TextRecognition.objects.select_for_update()
            .select_related("publication__office")
            .filter(publication_id=publication_id)
            .first()
        )
        if recognition is None or recognition.state not in BUSY:
            return recognition.state if recognition else "gone"
        if recognition.state == RecognitionState.RUNNING and not recognition.is_abandoned:
            return "running"  # a requeued job while the first one still runs
        publication = recognition.publication
        if recognition.source_name != publication.original_pdf.name:
            return "stale"
        recognition.state = RecognitionState.RUNNING
        recognition.started_at = timezone.now()
        recognition.pages_done = 0
        recognition.save(update_fields=["state", "started_at", "pages_done"])
    pages = parse_ranges(recognition.pages)
    try:
        with tempfile.TemporaryDirectory(prefix="pst-ocr-") as folder:
            source = f"{folder}/original.pdf"
            output = f"{folder}/readable.pdf"
            with open_stream(recognition.source_name) as stream, open(source, "wb") as target:
                for chunk in iter(lambda: stream.read(1024 * 1024), b""):
                    target.write(chunk)
            recognise(source, output, pages, progress=_progress(recognition, on_page))
            texts = page_text(output, pages)
            with open(output, "rb") as handle:
                _store(publication, recognition, texts, File(handle, name="readable.pdf"))
    except Exception as exc:  # noqa: BLE001 - any failure must end in a visible state
        logger.exception("text recognition of publication %s failed", publication_id)
        reason = str(getattr(exc, "message", "") or exc)[:500] or exc.__class__.__name__
        with transaction.atomic():
            TextRecognition.objects.filter(pk=recognition.pk).update(
                state=RecognitionState.FAILED, error=reason, finished_at=timezone.now()
            )
            publication.log(EventAction.OCR_FAILED, note=reason)
        return RecognitionState.FAILED
    return RecognitionState.DONE


def _store(publication, recognition, texts, readable):
    with transaction.atomic():
        current = TextRecognition.objects.select_for_update().filter(pk=recognition.pk).first()
        publication = Publication.objects.select_related("office").get(pk=publication.pk)
        if current is None or current.source_name != publication.original_pdf.name:
            return  # a new PDF was uploaded meanwhile: its own recognition follows
        current.file.save("readable.pdf", readable, save=False)
        current.state = RecognitionState.DONE
        current.pages_done = current.page_count
        current.error = ""
        current.finished_at = timezone.now()
        current.save()
        pages = list(
            PublicationPage.objects.filter(publication=publication, number__in=list(texts))
        )
        for page in pages:
            page.text = texts.get(page.number, "")
        PublicationPage.objects.bulk_update(pages, ["text"])
        index_pages(publication.pk, pages)
        if publication.processing_state == ProcessingState.READY:
            index_publication(publication)
        # Touch the publication: caches keyed on updated_at (search facets) reload.
        Publication.objects.filter(pk=publication.pk).update(updated_at=timezone.now())
        found = sum(1 for text in texts.values() if text)
        publication.log(
            EventAction.OCR_DONE,
            note=_("%(found)d of %(count)d pages with recognised text")
            % {"found": found, "count": len(texts)},
        )
