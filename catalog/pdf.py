"""Checking, reading and rendering PDFs (qpdf/pikepdf for structure, PDFium for text and images).

An upload is judged by the two engines that will work on it: qpdf (through pikepdf), which
prepares the readers' stamped copies (delivery.preparation), and PDFium, which renders the
cover and reads the page text. What both can open is kept; what qpdf must repair, or pages
whose geometry is invalid but can be normalised, are accepted with a note for the officer.
The page-geometry helpers here (``page_box``, ``visible_box``, ``page_rotation``) are the one
reading of a page's boxes and rotation that the upload check and the stamping share.
"""

import io
import math
import os
import zlib
from dataclasses import dataclass, field

import pikepdf
import pypdfium2 as pdfium
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .errors import CatalogError

COVER_WIDTH = 360


class PdfRejected(CatalogError):
    """The file is not a PDF the library can keep."""


@dataclass
class PdfInfo:
    page_count: int
    size: int
    # What the officer should know about an accepted file (repaired, permissions, rotation).
    notes: list = field(default_factory=list)


def _number(value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def page_box(page_obj, key):
    """A page's box ``key`` (e.g. "/MediaBox") as (x0, y0, x1, y1) with x0 < x1 and y0 < y1.

    None when the box is missing, not four numbers, or has no area. Boxes may be inherited
    from the page tree (pikepdf pushes them down when it opens a file).
    """
    value = page_obj.get(key)
    if not isinstance(value, pikepdf.Array) or len(value) != 4:
        return None
    numbers = [_number(item) for item in value]
    if any(number is None for number in numbers):
        return None
    x0, x1 = sorted(numbers[0::2])
    y0, y1 = sorted(numbers[1::2])
    if x1 - x0 <= 0 or y1 - y0 <= 0:
        return None
    return (x0, y0, x1, y1)


def visible_box(page_obj):
    """The part of the page a viewer shows: the CropBox clipped to the MediaBox.

    Falls back to the MediaBox when the CropBox is missing, empty or outside the page;
    None when the MediaBox itself has no area (the page cannot be shown).
    """
    media = page_box(page_obj, "/MediaBox")
    if media is None:
        return None
    crop = page_box(page_obj, "/CropBox")
    if crop is None:
        return media
    x0, y0 = max(crop[0], media[0]), max(crop[1], media[1])
    x1, y1 = min(crop[2], media[2]), min(crop[3], media[3])
    if x1 - x0 <= 0 or y1 - y0 <= 0:
        return media
    return (x0, y0, x1, y1)


def page_rotation(page_obj):
    """``(degrees, valid)``: the page's /Rotate as shown (0, 90, 180 or 270).

    Negative values and multiples of 360 are normalised (-90 is 270). A value that is not
    a multiple of 90 (e.g. 45) is invalid: viewers such as PDF.js and poppler show the page
    unrotated, so it counts as 0.
    """
    value = page_obj.get("/Rotate")
    if value is None:
        return 0, True
    number = _number(value)
    if number is None or number != int(number) or int(number) % 90:
        return 0, False
    return int(number) % 360, True


def _salvage_flate(raw):
    """What a damaged Flate stream yields before the damage (viewers show the same)."""
    inflater = zlib.decompressobj()
    parts = []
    for start in range(0, len(raw), 512):
        try:
            parts.append(inflater.decompress(raw[start : start + 512]))
        except zlib.error:
            break
    return b"".join(parts)


def page_content(page_obj, number):
    """``(content, damaged)``: the page's content (the parts of a content array joined),
    decoded. A damaged Flate stream gives what can be read before the damage (``damaged``
    is then True); content no filter can read is refused (PdfRejected)."""
    contents = page_obj.get("/Contents")
    if contents is None:
        return b"", False
    parts = contents if isinstance(contents, pikepdf.Array) else [contents]
    decoded, damaged = [], False
    for part in parts:
        if not isinstance(part, pikepdf.Stream):
            continue  # a null or a broken reference draws nothing
        try:
            decoded.append(part.read_bytes())
        except pikepdf.PdfError:
            filters = part.get("/Filter")
            names = list(filters) if isinstance(filters, pikepdf.Array) else [filters]
            if names != [pikepdf.Name.FlateDecode]:
                raise PdfRejected(
                    _("The content of page %(page)d is damaged and cannot be read.")
                    % {"page": number}
                ) from None
            decoded.append(_salvage_flate(part.read_raw_bytes()))
            damaged = True
    return b"\n".join(decoded), damaged


def _page_problems(pdf):
    """Notes about pages a viewer shows differently from what the file says; refuses pages
    that cannot be shown at all."""
    notes = []
    bad_rotation, damaged = [], []
    for number, page in enumerate(pdf.pages, start=1):
        if page_box(page.obj, "/MediaBox") is None:
            raise PdfRejected(
                _("Page %(page)d has no size (its MediaBox is missing or empty).")
                % {"page": number}
            )
        if not page_rotation(page.obj)[1]:
            bad_rotation.append(number)
        if page_content(page.obj, number)[1]:
            damaged.append(number)
    if bad_rotation:
        notes.append(
            _("Pages %(pages)s have an invalid rotation; readers' copies show them unrotated.")
            % {"pages": page_list(bad_rotation)}
        )
    if damaged:
        notes.append(damaged_content_note(damaged))
    return notes


def damaged_content_note(numbers):
    return _(
        "The content of pages %(pages)s is partly damaged; what can be read is kept "
        "(viewers show the same)."
    ) % {"pages": page_list(numbers)}


def page_list(numbers, limit=10):
    shown = ", ".join(str(number) for number in numbers[:limit])
    return shown + (" …" if len(numbers) > limit else "")


def open_with_qpdf(source):
    """Open a PDF (path or binary stream) with qpdf as the stamping will: ``(pdf, notes)``.

    A file that opens with the empty user password (restrictions on printing or copying,
    common in government publications) is accepted; one that needs a password to open is
    refused, as is one qpdf cannot read even after repairing it. The caller closes ``pdf``.
    """
    try:
        pdf = pikepdf.open(source)
    except pikepdf.PasswordError as exc:
        raise PdfRejected(
            _(
                "The PDF needs a password to open. Upload a copy that opens without a password "
                "(restrictions on printing or copying are fine)."
            )
        ) from exc
    except (pikepdf.PdfError, OSError, ValueError, RuntimeError) as exc:
        raise PdfRejected(_("The PDF is damaged and cannot be opened.")) from exc
    warnings = pdf.get_warnings()  # qpdf's repairs while opening (the call empties the list)
    return pdf, [repair_note(warnings)] if warnings else []


def repair_note(warnings):
    """The officer's note about a file qpdf repaired, in qpdf's own words (without the
    file name it starts each warning with)."""
    parts = []
    for warning in warnings[:3]:
        text = str(warning)
        parts.append(text.split(": ", 1)[1] if ": " in text else text)
    return _("The PDF was damaged and has been repaired (%(detail)s). Check the readers' copy.") % {
        "detail": "; ".join(parts)[:300]
    }


def max_upload_bytes():
    return settings.CATALOG_MAX_UPLOAD_MB * 1024 * 1024


def _disk_path(fileobj):
    """The path of a file that is already on disk (large uploads, import files), if any."""
    if hasattr(fileobj, "temporary_file_path"):
        return fileobj.temporary_file_path()
    name = getattr(getattr(fileobj, "file", None), "name", None)
    return name if isinstance(name, str) and os.path.isfile(name) else None


def inspect_pdf(fileobj):
    """Check a file by its content: a real PDF with pages that opens without a password.

    Raises PdfRejected with a message for the user; returns its page count, size and the
    notes the officer should read (repaired, restricted, rotation normalised).
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
        pdf, notes = open_with_qpdf(_disk_path(fileobj) or fileobj)
        with pdf:
            if len(pdf.pages) == 0:
                raise PdfRejected(_("The PDF has no pages."))
            notes += _page_problems(pdf)
            if pdf.is_encrypted:
                notes.append(
                    _(
                        "The PDF restricts printing or copying (an owner password). Readers' "
                        "copies are made without these restrictions unless the office keeps "
                        "them (download policy)."
                    )
                )
    except PdfRejected:
        raise
    except (pikepdf.PdfError, ValueError, TypeError, KeyError, IndexError, RuntimeError) as exc:
        raise PdfRejected(_("The PDF is damaged and cannot be opened.")) from exc
    finally:
        fileobj.seek(0)
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
    return PdfInfo(page_count=engine_pages, size=size, notes=[str(note) for note in notes])


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
