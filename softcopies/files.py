"""The PDF an officer sends: pages cut from a catalogue PDF, or scans joined into one PDF.

Uploads are checked by their content, not their name: a PDF must open with pikepdf,
an image must be a JPEG or PNG that Pillow can decode in full. Images become one page
each (at their own resolution, or 200 dpi when they carry none); files are joined in
the order given.
"""

import io
import re
import warnings

import pikepdf
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from catalog.services import open_softcopy

_RANGE_PART = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")
IMAGE_FORMATS = {"JPEG", "PNG"}
DEFAULT_DPI = 200


class FileProblem(Exception):
    """An upload or a page range that cannot be used; the message is for the officer."""


def parse_page_range(text, page_count):
    """``"1-3, 7"`` → ``[0, 1, 2, 6]`` (0-based, in the order written, no repeats)."""
    if not text or not text.strip():
        raise FileProblem(_("Enter the pages to send, for example 1-3, 7."))
    pages = []
    for part in text.split(","):
        match = _RANGE_PART.match(part)
        if match is None:
            raise FileProblem(
                _("“%(part)s” is not a page or a range of pages (for example 1-3, 7).")
                % {"part": part.strip()}
            )
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if first < 1 or last < first:
            raise FileProblem(
                _("“%(part)s” is not a valid range of pages.") % {"part": part.strip()}
            )
        if last > page_count:
            raise FileProblem(
                _("Page %(page)d is outside the document, which has %(count)d pages.")
                % {"page": last, "count": page_count}
            )
        for number in range(first - 1, last):
            if number not in pages:
                pages.append(number)
    return pages


def publication_pdf(publication, destination, *, page_range=""):
    """Write the publication's PDF (or the pages of ``page_range``) to ``destination``.

    The PDF readers get: with the recognised text of its scanned pages (catalog.ocr).
    """
    with open_softcopy(publication) as source:
        data = io.BytesIO(source.read())
    with pikepdf.open(data) as original:
        if not page_range:
            original.save(destination)
            return len(original.pages)
        wanted = parse_page_range(page_range, len(original.pages))
        with pikepdf.new() as extract:
            for index in wanted:
                extract.pages.append(original.pages[index])
            extract.save(destination)
        return len(wanted)


def _max_upload_bytes():
    return settings.SOFTCOPY_MAX_UPLOAD_MB * 1024 * 1024


def check_sizes(uploads):
    total = sum(upload.size for upload in uploads)
    if total > _max_upload_bytes():
        raise FileProblem(
            _("The files are too large together (at most %(mb)d MB).")
            % {"mb": settings.SOFTCOPY_MAX_UPLOAD_MB}
        )


def _read(upload):
    upload.seek(0)
    data = upload.read()
    if len(data) > _max_upload_bytes():
        raise FileProblem(_("“%(name)s” is too large.") % {"name": upload.name})
    return data


def _image_page(data, name):
    """One PDF page (bytes) from a JPEG or PNG, or FileProblem."""
    problem = FileProblem(
        _("“%(name)s” is not a PDF, JPEG or PNG file, or it is damaged.") % {"name": name}
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in IMAGE_FORMATS:
                    raise problem
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                dpi = image.info.get("dpi", (DEFAULT_DPI, DEFAULT_DPI))[0] or DEFAULT_DPI
                if image.mode not in ("RGB", "L", "1"):
                    image = image.convert("RGB")
                out = io.BytesIO()
                image.save(out, "PDF", resolution=float(dpi))
    except FileProblem:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise problem from None
    except Image.DecompressionBombWarning:
        raise FileProblem(_("“%(name)s” has too many pixels.") % {"name": name}) from None
    return out.getvalue()


def in_name_order(uploads):
    """Uploads sorted by name as people read it: scan-2 before scan-10."""

    def key(upload):
        return [
            int(part) if part.isdigit() else part.lower()
            for part in re.split(r"(\d+)", upload.name)
        ]

    return sorted(uploads, key=key)


def scans_pdf(uploads, destination):
    """Join uploaded PDFs and JPEG/PNG pages, in the order given, into ``destination``.

    Returns the page count; raises FileProblem naming the first file that cannot be used.
    """
    if not uploads:
        raise FileProblem(_("Choose the scanned files to send."))
    check_sizes(uploads)
    with pikepdf.new() as joined:
        sources = []
        for upload in uploads:
            data = _read(upload)
            if data.startswith(b"%PDF-"):
                try:
                    part = pikepdf.open(io.BytesIO(data))
                except pikepdf.PasswordError:
                    raise FileProblem(
                        _("“%(name)s” is protected by a password.") % {"name": upload.name}
                    ) from None
                except pikepdf.PdfError:
                    raise FileProblem(
                        _("“%(name)s” is a damaged PDF.") % {"name": upload.name}
                    ) from None
            else:
                part = pikepdf.open(io.BytesIO(_image_page(data, upload.name)))
            sources.append(part)
            joined.pages.extend(part.pages)
        if len(joined.pages) == 0:
            raise FileProblem(_("The files contain no pages."))
        joined.save(destination)
        count = len(joined.pages)
        for part in sources:
            part.close()
    return count
