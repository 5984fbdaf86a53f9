"""Per-reader watermarks that cost about as much as copying the file.

Every copy of a publication that leaves the server is stamped on every page with
who downloaded it, when, and a trace code. Stamping happens in two steps:

1. ``prepare(original, prepared)`` — once per publication, at upload. The PDF is
   rewritten (pikepdf/qpdf, so no byte prefix of it is the clean original) and each
   page's content becomes one Flate stream built by hand::

       zlib header | stored block A | compressed original page | stored block B | adler32

   Stored (uncompressed) deflate blocks keep the stamp's text as plain bytes at fixed
   offsets: block A draws the stamp before the page (so a copy cut in the middle of a
   page still carries it), block B draws it again on top (so opaque page content cannot
   hide it). Each page dictionary also gets a ``/PSTTrace`` string. The offsets of all
   these placeholders are recorded in a *plan*.

2. ``stamped_chunks(prepared, plan, fields)`` — per copy. The prepared file is streamed
   in chunks and the placeholder bytes are overwritten in place with the reader's text
   (same length, so every offset and the xref stay valid), along with each stream's
   adler32 checksum (computed from the patched blocks and the precomputed checksum of the
   page's original content). Memory does not grow with the file; any byte range can be
   produced on its own, for HTTP range requests.

The trace code is in three places per page — the visible line, an invisible text line
(render mode 3) and the page dictionary — so it survives removal of the visible text,
re-saving by other tools and extraction of single pages. ``find_trace_codes`` reads
them back.
"""

import dataclasses
import json
import mmap
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

import pikepdf
from pikepdf import Dictionary, Name, Pdf, String

TRACE_PREFIX = "PST-TRACE:"
TRACE_LENGTH = 16
LINE1_LENGTH = 170
LINE2_LENGTH = 240
FONT_NAME = "/PSTWm"
_TRACE_PLACEHOLDER = TRACE_PREFIX + "@" * TRACE_LENGTH
_MARKER = re.compile(rb"%PST([AB])(\d{7})\n")
_ADLER_MOD = 65521
_TRACE_IN_TEXT = re.compile(TRACE_PREFIX + rf"([A-Z0-9]{{{TRACE_LENGTH}}})")


class WatermarkError(Exception):
    """The original cannot be prepared (damaged, encrypted, not a PDF)."""


@dataclasses.dataclass(frozen=True)
class StampFields:
    """What one copy says. Lines longer than their slot are cut; shorter ones padded."""

    line1: str
    line2: str
    trace_code: str

    def __post_init__(self):
        if not re.fullmatch(rf"[A-Z0-9]{{{TRACE_LENGTH}}}", self.trace_code):
            raise ValueError(f"trace code must be {TRACE_LENGTH} characters A-Z 0-9")


_PLACEHOLDER_FIELDS = StampFields(line1="", line2="", trace_code="0" * TRACE_LENGTH)


def _hex_text(text, length):
    encoded = text.encode("cp1252", errors="replace")[:length].ljust(length, b" ")
    return encoded.hex().upper().encode()


def _stamp(kind, index, x, y, fields):
    """The content-stream bytes of one stamp: always the same length for a page."""
    return b"".join(
        [
            b"%%PST%s%07d\n" % (kind.encode(), index),
            b"q BT %s 5.8 Tf 0.45 g 1 0 0 1 %.2f %.2f Tm <" % (FONT_NAME.encode(), x, y + 7.5),
            _hex_text(fields.line1, LINE1_LENGTH),
            b"> Tj /PSTWm 4.6 Tf 1 0 0 1 %.2f %.2f Tm <" % (x, y),
            _hex_text(fields.line2, LINE2_LENGTH),
            b"> Tj ET BT 3 Tr %s 2 Tf 1 0 0 1 %.2f %.2f Tm <" % (FONT_NAME.encode(), x, y + 15),
            _hex_text(TRACE_PREFIX + fields.trace_code, len(TRACE_PREFIX) + TRACE_LENGTH),
            b"> Tj ET Q\n",
        ]
    )


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


def _adler32_combine(adler1, adler2, length2):
    """The adler32 of A+B from adler32(A), adler32(B) and len(B) (zlib's adler32_combine)."""
    a1, b1 = adler1 & 0xFFFF, adler1 >> 16
    a2, b2 = adler2 & 0xFFFF, adler2 >> 16
    a = (a1 + a2 - 1) % _ADLER_MOD
    b = (b1 + b2 + length2 * a1 - length2) % _ADLER_MOD
    return (b << 16) | a


def _page_origin(page):
    box = page.obj.get("/CropBox") or page.mediabox
    llx, lly = float(box[0]), float(box[1])
    return llx + 14.0, lly + 7.0


def _page_content(page):
    contents = page.obj.get("/Contents")
    if contents is None:
        return b""
    if isinstance(contents, pikepdf.Array):
        return b"\n".join(part.read_bytes() for part in contents)
    return contents.read_bytes()


def _own_resources(page):
    """The page's own /Resources (copying inherited ones down), so a font can be added."""
    if "/Resources" in page.obj:
        return page.obj.Resources
    node = page.obj
    while "/Parent" in node:
        node = node.Parent
        if "/Resources" in node:
            page.obj.Resources = node.Resources.copy()
            return page.obj.Resources
    page.obj.Resources = Dictionary()
    return page.obj.Resources


def prepare(original, prepared):
    """Rewrite ``original`` into ``prepared`` with stamp placeholders; return the plan."""
    try:
        pdf = Pdf.open(original)
    except pikepdf.PasswordError as exc:
        raise WatermarkError("the PDF is encrypted") from exc
    except pikepdf.PdfError as exc:
        raise WatermarkError("the PDF is damaged and cannot be read") from exc
    with pdf:
        if len(pdf.pages) == 0:
            raise WatermarkError("the PDF has no pages")
        font = pdf.make_indirect(
            Dictionary(
                Type=Name.Font,
                Subtype=Name.Type1,
                BaseFont=Name.Helvetica,
                Encoding=Name.WinAnsiEncoding,
            )
        )
        pages = []
        for index, page in enumerate(pdf.pages):
            x, y = _page_origin(page)
            middle = b"q\n" + _page_content(page) + b"\nQ\n"
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            compressed = compressor.compress(middle) + compressor.flush(zlib.Z_SYNC_FLUSH)
            block_a = _stamp("A", index, x, y, _PLACEHOLDER_FIELDS)
            block_b = _stamp("B", index, x, y, _PLACEHOLDER_FIELDS)
            checksum = zlib.adler32(block_b, zlib.adler32(middle, zlib.adler32(block_a)))
            data = (
                b"\x78\x01"
                + _stored_block(block_a, final=False)
                + compressed
                + _stored_block(block_b, final=True)
                + checksum.to_bytes(4, "big")
            )
            stream = pikepdf.Stream(pdf, b"")
            stream.write(data, filter=Name.FlateDecode)
            page.obj.Contents = stream
            resources = _own_resources(page)
            if "/Font" not in resources:
                resources.Font = Dictionary()
            resources.Font[FONT_NAME] = font
            page.obj["/PSTTrace"] = String(_TRACE_PLACEHOLDER)
            pages.append(
                {"x": x, "y": y, "mid_adler": zlib.adler32(middle), "mid_length": len(middle)}
            )
        pdf.save(
            prepared,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            linearize=True,
            deterministic_id=True,
        )
    return _locate(prepared, pages)


def _locate(prepared, pages):
    """Find where every placeholder landed in the saved file."""
    with (
        open(prepared, "rb") as handle,
        mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data,
    ):
        for match in _MARKER.finditer(data):
            kind, index = match.group(1).decode(), int(match.group(2))
            pages[index][f"offset_{kind.lower()}"] = match.start()
        key_offsets = []
        needle = _TRACE_PLACEHOLDER.encode()
        position = data.find(needle)
        while position != -1:
            key_offsets.append(position + len(TRACE_PREFIX))
            position = data.find(needle, position + 1)
        size = len(data)
    if any("offset_a" not in page or "offset_b" not in page for page in pages):
        raise WatermarkError("stamp placeholders were not written as expected")
    if len(key_offsets) != len(pages):
        raise WatermarkError("trace keys were not written as expected")
    return {"version": 1, "size": size, "pages": pages, "key_offsets": key_offsets}


def save_plan(plan, path):
    Path(path).write_text(json.dumps(plan, separators=(",", ":")))


def load_plan(path):
    return json.loads(Path(path).read_text())


def patches(plan, fields):
    """The (offset, bytes) pairs that turn the prepared file into this reader's copy."""
    result = []
    trace = fields.trace_code.encode()
    for index, page in enumerate(plan["pages"]):
        block_a = _stamp("A", index, page["x"], page["y"], fields)
        block_b = _stamp("B", index, page["x"], page["y"], fields)
        head = _adler32_combine(zlib.adler32(block_a), page["mid_adler"], page["mid_length"])
        checksum = zlib.adler32(block_b, head)
        result.append((page["offset_a"], block_a))
        result.append((page["offset_b"], block_b + checksum.to_bytes(4, "big")))
    result.extend((offset, trace) for offset in plan["key_offsets"])
    result.sort()
    return result


def stamped_chunks(
    prepared, plan, fields, *, start=0, end=None, chunk_size=256 * 1024
) -> Iterator[bytes]:
    """Yield bytes ``start`` to ``end`` (exclusive) of this reader's copy, in chunks.

    ``prepared`` is a path or an open, seekable binary file (which is left open).
    """
    if isinstance(prepared, (str, Path)):
        with open(prepared, "rb") as handle:
            yield from stamped_chunks(
                handle, plan, fields, start=start, end=end, chunk_size=chunk_size
            )
        return
    size = plan["size"]
    end = size if end is None else min(end, size)
    todo = patches(plan, fields)
    first = 0
    prepared.seek(start)
    position = start
    while position < end:
        buffer = bytearray(prepared.read(min(chunk_size, end - position)))
        if not buffer:
            raise WatermarkError("the prepared file is shorter than its plan")
        chunk_end = position + len(buffer)
        while first < len(todo) and todo[first][0] + len(todo[first][1]) <= position:
            first += 1
        index = first
        while index < len(todo) and todo[index][0] < chunk_end:
            offset, data = todo[index]
            lo, hi = max(offset, position), min(offset + len(data), chunk_end)
            buffer[lo - position : hi - position] = data[lo - offset : hi - offset]
            index += 1
        yield bytes(buffer)
        position = chunk_end


def write_stamped(prepared, plan, fields, destination):
    with open(destination, "wb") as out:
        for chunk in stamped_chunks(prepared, plan, fields):
            out.write(chunk)


def find_trace_codes(path):
    """Every trace code found in a PDF (empty for a PDF without one or a non-PDF)."""
    codes = set()
    try:
        pdf = Pdf.open(path)
    except (pikepdf.PdfError, OSError, ValueError):
        return codes
    with pdf:
        for page in pdf.pages:
            value = page.obj.get("/PSTTrace")
            if value is not None:
                codes.update(_TRACE_IN_TEXT.findall(str(value)))
            try:
                content = _page_content(page)
            except pikepdf.PdfError:
                continue
            for hex_text in re.findall(rb"<([0-9A-Fa-f\s]+)>", content):
                try:
                    text = bytes.fromhex(hex_text.decode().replace(" ", "")).decode(
                        "cp1252", "replace"
                    )
                except ValueError:
                    continue
                codes.update(_TRACE_IN_TEXT.findall(text))
            codes.update(_TRACE_IN_TEXT.findall(content.decode("latin-1")))
    return codes
