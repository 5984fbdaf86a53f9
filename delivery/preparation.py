"""Preparing a PDF once, so that every reader's copy is a cheap byte patch of it.

``prepare(original, prepared, *, keep_permissions=False, transforms=())`` returns the *plan*
(see watermark.py for how a copy is made from it). The pipeline, one function per step:

1. ``open_original`` — qpdf opens the file: a file with only an owner password (restrictions
   on printing or copying) opens with the empty user password; one that needs a password to
   open, or that qpdf cannot repair, is refused (WatermarkError). What qpdf repaired (e.g. a
   broken cross-reference table) becomes a note for the officer.
2. ``transforms`` — optional steps on the opened document before it is stamped, each
   ``transform(pdf, notes) -> pikepdf.Pdf | None`` (return a new Pdf to replace it). This is
   the hook for a text layer on scanned pages (OCR) so readers can search their copy.
3. ``normalise`` — the page as every viewer will show it: /Rotate normalised (an invalid 45
   becomes 0, as PDF.js and poppler show it), the CropBox clipped to the MediaBox (an empty
   one dropped), stale thumbnails (pictures of the unstamped page) removed.
4. ``add_placeholders`` — each page's content becomes one Flate stream built by hand::

       zlib header | stored block A | compressed original content | stored block B | adler32

   Block A draws the stamp before the page (so a copy cut in the middle of a page still
   carries it), block B draws it again on top (opaque scans cannot hide it). Each block is
   ``q <placement> cm <stamp text> Q``: the placement (geometry.py) differs per page, the
   stamp text is the same bytes on every page and the only part a copy changes. Each page
   also gets ``/PSTTrace``, a name (names are never encrypted) holding the trace code.
5. ``save`` — linearized when qpdf confirms the result is valid (the library and, when
   installed, the qpdf command), else not linearized (never marked linearized with wrong hint
   tables); without encryption, or with the original's
   permissions restored when the office keeps them (RC4-128: a stream cipher, so a copy is
   still a patch — see watermark.py).
6. ``locate`` — where every placeholder landed in the saved file.
"""

import contextlib
import io
import mmap
import re
import secrets
import shutil
import subprocess
import zlib

import pikepdf
from django.utils.translation import gettext as _
from pikepdf import Dictionary, Name, Pdf

from catalog.pdf import (
    PdfRejected,
    damaged_content_note,
    open_with_qpdf,
    page_box,
    page_content,
    page_list,
    page_rotation,
    repair_note,
    visible_box,
)

from . import geometry
from .stamp import (
    ADLER_MOD,
    FONT_NAME,
    PLACEHOLDER_FIELDS,
    TRACE_PREFIX,
    WatermarkError,
    stamp_texts,
)

PLAN_VERSION = 2
TRACE_KEY_PLACEHOLDER = TRACE_PREFIX + "@" * 16
PAGE_MARK = "/PSTPage"
# Kinds of patch: the stamp text in block A; the stamp text in block B with the rest of the
# stream (BLOCK_END, then the adler32 checksum); the page's trace key.
KIND_A, KIND_B, KIND_KEY = range(3)
BLOCK_END = b" Q\n"
_STREAM_START = re.compile(rb"/PSTPage (\d+)[^<>]*>>\s*stream(?:\r\n|\n)")


def prepare(original, prepared, *, keep_permissions=False, transforms=()):
    """Rewrite ``original`` (a path) into ``prepared`` with stamp placeholders; the plan."""
    notes = []
    with contextlib.ExitStack() as stack:
        pdf = stack.enter_context(open_original(original, notes))
        repaired = bool(notes)
        restrictions = _restrictions(pdf)
        for transform in transforms:
            replaced = transform(pdf, notes)
            if replaced is not None and replaced is not pdf:
                pdf = stack.enter_context(replaced)
        if len(pdf.pages) == 0:
            raise WatermarkError(_("The PDF has no pages."))
        try:
            normalise(pdf, notes)
            layout = add_placeholders(pdf, notes)
        except (pikepdf.PdfError, ValueError, TypeError, KeyError, IndexError) as exc:
            raise WatermarkError(_("The PDF is damaged and cannot be read.")) from exc
        encrypt = keep_permissions and restrictions is not None
        if restrictions is not None:
            notes.append(
                _("The original's restrictions on printing or copying are kept on readers' copies.")
                if encrypt
                else _(
                    "The original's restrictions on printing or copying are not kept on readers' copies."
                )
            )
        linearized = save(pdf, prepared, restrictions=restrictions if encrypt else None)
        late = pdf.get_warnings()  # damage met only while writing (qpdf reads lazily)
        if late and not repaired:
            notes.append(str(repair_note(late)))
    plan = locate(prepared, layout, encrypted=encrypt)
    plan.update(
        linearized=linearized,
        notes=notes,
        restrictions=restrictions,
        keep_permissions=bool(encrypt),
    )
    return plan


@contextlib.contextmanager
def open_original(path, notes):
    """The original opened by qpdf (repaired if it must be); refusals as WatermarkError."""
    try:
        pdf, opening_notes = open_with_qpdf(path)
    except PdfRejected as exc:
        raise WatermarkError(exc.message) from exc
    notes.extend(str(note) for note in opening_notes)
    with pdf:
        yield pdf


def _restrictions(pdf):
    """The original's permissions when it has an owner password, else None."""
    if not pdf.is_encrypted:
        return None
    allow = pdf.allow
    return {name: bool(getattr(allow, name)) for name in _PERMISSION_NAMES}


_PERMISSION_NAMES = (
    "accessibility",
    "extract",
    "modify_annotation",
    "modify_assembly",
    "modify_form",
    "modify_other",
    "print_lowres",
    "print_highres",
)


def normalise(pdf, notes):
    """Make every page say what viewers show: rotation, boxes, no stale thumbnails."""
    bad_rotation, bad_crop = [], []
    for number, page in enumerate(pdf.pages, start=1):
        obj = page.obj
        rotation, valid = page_rotation(obj)
        if not valid:
            bad_rotation.append(number)
        if "/Rotate" in obj and (not valid or obj.Rotate != rotation):
            obj.Rotate = rotation
        if page_box(obj, "/MediaBox") is None:
            raise WatermarkError(
                _("Page %(page)d has no size (its MediaBox is missing or empty).")
                % {"page": number}
            )
        if "/CropBox" in obj:
            shown = visible_box(obj)
            crop = page_box(obj, "/CropBox")
            if crop is None or _outside(crop, shown):
                del obj["/CropBox"]
                bad_crop.append(number)
            elif crop != shown:
                obj.CropBox = pikepdf.Array(shown)
        if "/Thumb" in obj:
            del obj["/Thumb"]
    if bad_rotation:
        notes.append(
            _("Pages %(pages)s have an invalid rotation; readers' copies show them unrotated.")
            % {"pages": page_list(bad_rotation)}
        )
    if bad_crop:
        notes.append(
            _("Pages %(pages)s had an empty or misplaced CropBox; the whole page is shown.")
            % {"pages": page_list(bad_crop)}
        )


def _outside(crop, shown):
    """True when the CropBox does not overlap the page (visible_box fell back to MediaBox)."""
    x0, y0 = max(crop[0], shown[0]), max(crop[1], shown[1])
    x1, y1 = min(crop[2], shown[2]), min(crop[3], shown[3])
    return x1 - x0 <= 0 or y1 - y0 <= 0


def _stored_block(data, *, final):
    if len(data) > 0xFFFF:
        raise WatermarkError("stamp too long for one stored block")
    length = len(data)
    return (
        bytes([1 if final else 0])
        + length.to_bytes(2, "little")
        + ((~length) & 0xFFFF).to_bytes(2, "little")
        + data
    )


def _content(page, number, damaged):
    try:
        content, broken = page_content(page.obj, number)
    except PdfRejected as exc:
        raise WatermarkError(exc.message) from exc
    if broken:
        damaged.append(number)
    return content


def _own_resources(page):
    """The page's own /Resources dictionary (an empty one if it has none)."""
    resources = page.obj.get("/Resources")
    if not isinstance(resources, Dictionary):
        page.obj.Resources = Dictionary()
    return page.obj.Resources


def add_placeholders(pdf, notes):
    """Give every page its stamp blocks and trace key; return the in-stream layout."""
    font = pdf.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.Type1,
            BaseFont=Name.Helvetica,
            Encoding=Name.WinAnsiEncoding,
        )
    )
    under, over = stamp_texts(PLACEHOLDER_FIELDS)
    pages, damaged = [], []
    for index, page in enumerate(pdf.pages):
        where = geometry.placement(page.obj)
        if where is None:
            raise WatermarkError(
                _("Page %(page)d has no size (its MediaBox is missing or empty).")
                % {"page": index + 1}
            )
        prefix = b"q " + geometry.matrix_operands(where.matrix).encode() + b" cm "
        block_a = prefix + under + BLOCK_END
        block_b = b"\n" + prefix + over + BLOCK_END
        middle = b"q\n" + _content(page, index + 1, damaged) + b"\nQ\n"
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        compressed = compressor.compress(middle) + compressor.flush(zlib.Z_SYNC_FLUSH)
        checksum = zlib.adler32(block_b, zlib.adler32(middle, zlib.adler32(block_a)))
        head_a = 2 + 5  # zlib header, stored-block header
        head_b = head_a + len(block_a) + len(compressed) + 5
        data = (
            b"\x78\x01"
            + _stored_block(block_a, final=False)
            + compressed
            + _stored_block(block_b, final=True)
            + checksum.to_bytes(4, "big")
        )
        stream = pikepdf.Stream(pdf, b"")
        stream.write(data, filter=Name.FlateDecode)
        stream[PAGE_MARK] = index
        page.obj.Contents = pdf.make_indirect(stream)
        resources = _own_resources(page)
        if not isinstance(resources.get("/Font"), Dictionary):
            resources.Font = Dictionary()
        resources.Font[FONT_NAME] = font
        page.obj["/PSTTrace"] = Name("/" + TRACE_KEY_PLACEHOLDER)
        # adler32's second sum weighs a byte by its distance from the end of the data.
        total = len(block_a) + len(middle) + len(block_b)
        pages.append(
            {
                "a": head_a + len(prefix),
                "b": head_b + 1 + len(prefix),
                "adler": checksum,
                "ka": (total - len(prefix)) % ADLER_MOD,
                "kb": (total - (len(block_a) + len(middle) + 1 + len(prefix))) % ADLER_MOD,
            }
        )
    if damaged:
        notes.append(str(damaged_content_note(damaged)))
    return {"pages": pages}


def save(pdf, prepared, *, restrictions=None):
    """Write the prepared file; linearized only if qpdf confirms it. True when linearized."""
    options = {"object_stream_mode": pikepdf.ObjectStreamMode.disable}
    if restrictions is not None:
        options["encryption"] = pikepdf.Encryption(
            owner=secrets.token_urlsafe(24),
            user="",
            R=3,
            aes=False,
            metadata=False,
            allow=pikepdf.Permissions(**restrictions),
        )
    else:
        options["encryption"] = False
        options["deterministic_id"] = True
    try:
        pdf.save(prepared, linearize=True, **options)
        if linearization_valid(prepared):
            return True
        pdf.save(prepared, linearize=False, **options)
    except pikepdf.PdfError as exc:
        raise WatermarkError(_("The PDF is damaged and cannot be read.")) from exc
    return False


def linearization_valid(path):
    """Both qpdfs agree the hint tables are right: the library that wrote them and, when
    installed, the command-line qpdf (Debian's may be an older version, and versions have
    disagreed, e.g. on pages with thumbnails or objects shared between pages)."""
    with Pdf.open(path) as written:
        if not written.check_linearization(stream=io.StringIO()):
            return False
    command = shutil.which("qpdf")
    if command is None:
        return True
    try:
        result = subprocess.run(  # noqa: S603 - a fixed command on our own file
            [command, "--check-linearization", str(path)], capture_output=True, timeout=300
        )
    except subprocess.TimeoutExpired:
        return False
    return result.returncode == 0


def locate(prepared, layout, *, encrypted):
    """Find where each placeholder landed in the saved file; the plan."""
    with (
        open(prepared, "rb") as handle,
        mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data,
    ):
        return _plan(data, layout, encrypted=encrypted)


def _plan(data, layout, *, encrypted):
    pages = layout["pages"]
    starts = {}
    for match in _STREAM_START.finditer(data):
        index = int(match.group(1))
        if index in starts or index >= len(pages):
            raise WatermarkError("stamp placeholders were not written as expected")
        starts[index] = match.end()
    if len(starts) != len(pages):
        raise WatermarkError("stamp placeholders were not written as expected")
    key = ("/" + TRACE_KEY_PLACEHOLDER).encode()
    key_offsets = [
        match.start() + 1 + len(TRACE_PREFIX) for match in re.finditer(re.escape(key), data)
    ]
    if len(key_offsets) != len(pages):
        raise WatermarkError("trace keys were not written as expected")
    under, over = stamp_texts(PLACEHOLDER_FIELDS)
    patches = []
    for index, page in enumerate(pages):
        start = starts[index]
        if not encrypted and (
            data[start + page["a"] : start + page["a"] + len(under)] != under
            or data[start + page["b"] : start + page["b"] + len(over)] != over
        ):
            raise WatermarkError("stamp placeholders were not written as expected")
        patches.append((start + page["a"], index * 4 + KIND_A))
        patches.append((start + page["b"], index * 4 + KIND_B))
    patches.extend((offset, page * 4 + KIND_KEY) for page, offset in enumerate(key_offsets))
    patches.sort()
    return {
        "version": PLAN_VERSION,
        "size": len(data),
        "pages": len(pages),
        "xor": encrypted,
        "offsets": [offset for offset, _ref in patches],
        "refs": [ref for _offset, ref in patches],
        "adler": [page["adler"] for page in pages],
        "ka": [page["ka"] for page in pages],
        "kb": [page["kb"] for page in pages],
    }
