"""Checking, reading and rendering PDFs (pypdf for structure, PDFium for text and images)."""

import io
import os
from dataclasses import dataclass

import pypdfium2 as pdfium
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from .errors import CatalogError

COVER_WIDTH = 360


class PdfRejected(CatalogError):
    """The file is not a PDF the library can keep."""


@dataclass
class PdfInfo:
    page_count: int
    size: int


def max_upload_bytes():
    return settings.CATALOG_MAX_UPLOAD_MB * 1024 * 1024


def _disk_path(fileobj):
    """The path of a file that is already on disk (large uploads, import files), if any."""
    if hasattr(fileobj, "temporary_file_path"):
        return fileobj.temporary_file_path()
    name = getattr(getattr(fileobj, "file", None), "name", None)
    return name if isinstance(name, str) and os.path.isfile(name) else None


def inspect_pdf(fileobj):
    """Check a file by its content: a real, openable, unencrypted PDF with pages, within the limit.

    Raises PdfRejected with a message for the user; returns its page count and size.
    """
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(0)
    if size > max_upload_bytes():
        raise PdfRejected(
            _("The file is larger than %(limit)d MB.") % {"limit": settings.CATALOG_MAX_UPLOAD_MB}
        )
    if size == 0:
        raise PdfRejected(_("The file is empty."))
    head = fileobj.read(1024)
    fileobj.seek(0)
    if b"%PDF-" not in head:
        raise PdfRejected(_("The file is not a PDF document."))
    try:
        reader = PdfReader(fileobj, strict=False)
        if reader.is_encrypted:
            raise PdfRejected(
                _("The PDF is encrypted or password-protected. Upload an unprotected copy.")
            )
        page_count = len(reader.pages)
    except PdfRejected:
        raise
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
    ) as exc:
        raise PdfRejected(_("The PDF is damaged and cannot be opened.")) from exc
    finally:
        fileobj.seek(0)
    if page_count == 0:
        raise PdfRejected(_("The PDF has no pages."))
    # A second opinion from the engine that will render and read it.
    try:
        source = _disk_path(fileobj) or fileobj.read()
        document = pdfium.PdfDocument(source)
        engine_pages = len(document)
        document.close()
    except pdfium.PdfiumError as exc:
        raise PdfRejected(_("The PDF is damaged and cannot be opened.")) from exc
    finally:
        fileobj.seek(0)
    if engine_pages == 0:
        raise PdfRejected(_("The PDF has no pages."))
    return PdfInfo(page_count=engine_pages, size=size)


def clean_text(text):
    """Page text as stored: no NUL bytes (PostgreSQL refuses them), plain newlines."""
    return text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").strip()


def page_texts(document):
    """Yield (number, text) for every page of an open PdfDocument, 1-based."""
    for index in range(len(document)):
        page = document[index]
        textpage = page.get_textpage()
        try:
            yield index + 1, clean_text(textpage.get_text_bounded())
        finally:
            textpage.close()
            page.close()


def render_cover(document):
    """The first page as a WebP image (bytes), COVER_WIDTH pixels wide."""
    page = document[0]
    try:
        scale = COVER_WIDTH / max(page.get_width(), 1)
        bitmap = page.render(scale=scale)
        image = bitmap.to_pil()
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="WEBP", quality=80)
        return buffer.getvalue()
    finally:
        page.close()
