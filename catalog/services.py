"""Catalogue workflows: saving a publication with its PDF, processing the PDF, the index.

Every change records who and when (PublicationEvent) and keeps the search index
in step within the same transaction. PDF processing runs in the background
(django-tasks) after the upload commits; its progress is on the publication.
"""

import logging
import tempfile
from contextlib import contextmanager

import pypdfium2 as pdfium
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from core.storage import open_stream

from .choices import BUSY_STATES, EventAction, ProcessingState, Visibility
from .errors import CatalogError
from .models import Publication, PublicationPage
from .pdf import PdfRejected, inspect_pdf, page_texts, render_cover
from .search import index_pages, index_publication, remove_pages

logger = logging.getLogger(__name__)

PAGE_BATCH = 25

__all__ = ["CatalogError", "PdfRejected", "open_original", "save_publication"]


def open_original(publication):
    """The stored original PDF, opened for reading (binary). For the delivery app."""
    if not publication.original_pdf:
        raise CatalogError(_("This publication has no softcopy."))
    return open_stream(publication.original_pdf.name)


@contextmanager
def _local_path(name):
    """A local file path for a stored file (the storage may be remote in production)."""
    try:
        yield default_storage.path(name)
    except NotImplementedError:
        with (
            default_storage.open(name, "rb") as source,
            tempfile.NamedTemporaryFile(suffix=".pdf") as target,
        ):
            for chunk in iter(lambda: source.read(1024 * 1024), b""):
                target.write(chunk)
            target.flush()
            yield target.name


def save_publication(
    publication, *, by, subjects=None, related=None, pdf=None, source=None, index=True
):
    """Create or update a publication; with ``pdf`` store it and queue its processing.

    ``source`` is EventAction.IMPORTED for the bulk import, which indexes in batches
    itself (``index=False``). The PDF must have passed
    ``inspect_pdf`` (forms do it in ``clean``); it is checked again here.
    """
    info = inspect_pdf(pdf) if pdf is not None else None
    with transaction.atomic():
        creating = publication.pk is None
        previous = None
        if not creating:
            previous = (
                Publication.objects.select_for_update()
                .filter(pk=publication.pk)
                .values("visibility", "original_pdf")
                .first()
            )
        old_file = previous["original_pdf"] if previous else ""
        if info is not None:
            if publication.pk and PublicationPage.objects.filter(publication=publication).exists():
                PublicationPage.objects.filter(publication=publication).delete()
                remove_pages(publication.pk)
            publication.original_pdf.save("original.pdf", pdf, save=False)
            publication.file_size = info.size
            publication.page_count = info.page_count
            publication.pages_done = 0
            publication.processing_state = ProcessingState.PENDING
            publication.processing_error = ""
        publication.save()
        if subjects is not None:
            publication.subjects.set(subjects)
        if related is not None:
            publication.related.set([p for p in related if p.pk != publication.pk])
        action = source or (EventAction.CREATED if creating else EventAction.UPDATED)
        publication.log(action, actor=by)
        was_published = bool(previous) and previous["visibility"] == Visibility.PUBLISHED
        if publication.is_published and not was_published:
            publication.log(EventAction.PUBLISHED, actor=by)
        elif was_published and not publication.is_published:
            publication.log(EventAction.UNPUBLISHED, actor=by)
        if index:
            index_publication(publication)
        if info is not None:
            publication.log(
                EventAction.FILE_UPLOADED,
                actor=by,
                note=". ".join(
                    [
                        _("%(pages)d pages, %(size)d bytes")
                        % {"pages": info.page_count, "size": info.size},
                        *info.notes,
                    ]
                ),
            )
            if old_file and old_file != publication.original_pdf.name:
                transaction.on_commit(lambda: default_storage.delete(old_file))
            enqueue_processing(publication)
    return publication


@task()
def process_publication_file(publication_id):
    """Extract the cover, pages and text of an uploaded PDF (run by ``manage.py db_worker``)."""
    return str(process_file(publication_id))


def enqueue_processing(publication):
    pk = publication.pk
    transaction.on_commit(lambda: process_publication_file.enqueue(pk))


def retry_processing(publication, *, by):
    """Run the processing again after a failure."""
    with transaction.atomic():
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        if not locked.original_pdf:
            raise CatalogError(_("This publication has no PDF to process."))
        if locked.processing_state in BUSY_STATES:
            raise CatalogError(_("The PDF is already being processed."))
        locked.processing_state = ProcessingState.PENDING
        locked.pages_done = 0
        locked.processing_error = ""
        locked.save(
            update_fields=["processing_state", "pages_done", "processing_error", "updated_at"]
        )
        locked.log(EventAction.PROCESSING_STARTED, actor=by, note=_("Started again by an officer."))
        enqueue_processing(locked)
    return locked


def process_file(publication_id):
    """Extract the cover, page count and the text of every page; index the pages.

    Progress (``pages_done``) is committed every PAGE_BATCH pages so the back office
    can show it. On any error the publication is marked failed with the reason.
    """
    with transaction.atomic():
        publication = Publication.objects.select_for_update().filter(pk=publication_id).first()
        if publication is None or not publication.original_pdf:
            return "gone"
        if publication.processing_state not in BUSY_STATES:
            return publication.processing_state
        publication.processing_state = ProcessingState.PROCESSING
        publication.pages_done = 0
        publication.save(update_fields=["processing_state", "pages_done", "updated_at"])
        publication.log(EventAction.PROCESSING_STARTED)
    try:
        with _local_path(publication.original_pdf.name) as path:
            document = pdfium.PdfDocument(path)
            try:
                _extract(publication, document)
            finally:
                document.close()
    except Exception as exc:  # noqa: BLE001 - any failure must end in a visible state
        logger.exception("processing publication %s failed", publication_id)
        with transaction.atomic():
            Publication.objects.filter(pk=publication_id).update(
                processing_state=ProcessingState.FAILED,
                processing_error=str(exc)[:500] or exc.__class__.__name__,
                updated_at=timezone.now(),
            )
            publication.log(EventAction.PROCESSING_FAILED, note=str(exc))
        return ProcessingState.FAILED
    return ProcessingState.READY


def _extract(publication, document):
    page_count = len(document)
    cover = ContentFile(render_cover(document), name="cover.webp")
    with transaction.atomic():
        old_cover = publication.cover.name
        publication.cover.save("cover.webp", cover, save=False)
        publication.page_count = page_count
        publication.save(update_fields=["cover", "page_count", "updated_at"])
        if old_cover:
            transaction.on_commit(lambda: default_storage.delete(old_cover))
        PublicationPage.objects.filter(publication=publication).delete()
        remove_pages(publication.pk)
    batch = []
    for number, text in page_texts(document):
        batch.append(PublicationPage(publication=publication, number=number, text=text))
        if len(batch) == PAGE_BATCH:
            _store_pages(publication, batch)
            batch = []
    if batch:
        _store_pages(publication, batch)
    with transaction.atomic():
        publication.processing_state = ProcessingState.READY
        publication.processed_at = timezone.now()
        publication.processing_error = ""
        publication.save(
            update_fields=["processing_state", "processed_at", "processing_error", "updated_at"]
        )
        index_publication(publication)
        publication.log(EventAction.PROCESSED, note=_("%(pages)d pages") % {"pages": page_count})


def _store_pages(publication, pages):
    with transaction.atomic():
        created = PublicationPage.objects.bulk_create(pages)
        if any(page.pk is None for page in created):  # backends without RETURNING
            created = list(
                PublicationPage.objects.filter(
                    publication=publication, number__in=[p.number for p in pages]
                )
            )
        index_pages(publication.pk, created)
        publication.pages_done = pages[-1].number
        Publication.objects.filter(pk=publication.pk).update(
            pages_done=publication.pages_done, updated_at=timezone.now()
        )
