"""Per-reader watermarks that cost about as much as copying the file.

Every copy of a publication that leaves the server is stamped on every page with who
downloaded it, when, and a trace code. Stamping happens in two steps:

1. ``prepare(original, prepared)`` — once per publication (preparation.py): the PDF is
   rewritten by qpdf (so no byte prefix of it is the clean original) with, on every page,
   the stamp drawn twice around the page's content, upright at the bottom of the page as
   displayed (geometry.py), in placeholder text of a fixed length (stamp.py). The *plan*
   records where every placeholder landed.

2. ``stamped_chunks(prepared, plan, fields)`` — per copy. The prepared file is streamed
   in chunks and the placeholders are overwritten in place: the stamp text (the same bytes
   on every page, built once per copy), each page stream's adler32 checksum (derived from
   the precomputed one with two multiplications: adler32 is linear in the bytes), and the
   page's trace key. Lengths never change, so every offset, the xref and the linearization
   hints stay valid. Memory does not grow with the file; any byte range can be produced on
   its own, for HTTP range requests. When the prepared file is encrypted (an office keeping
   an original's print/copy restrictions) the cipher is RC4, a stream cipher: the ciphertext
   of new text is the old ciphertext XOR (old text XOR new text), so a copy is still a patch.

The trace code is in three places per page — the visible line, an invisible text line
(render mode 3) and the page dictionary — so it survives removal of the visible text,
re-saving by other tools and extraction of single pages. ``find_trace_codes`` reads
them back.
"""

import bisect
import json
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

import pikepdf
from pikepdf import Pdf

from . import preparation
from .preparation import BLOCK_END, KIND_A, KIND_B, KIND_KEY, PLAN_VERSION
from .stamp import (
    ADLER_MOD,
    FONT_NAME,
    LINE1_LENGTH,
    LINE2_LENGTH,
    PLACEHOLDER_FIELDS,
    TRACE_LENGTH,
    TRACE_PREFIX,
    StampFields,
    WatermarkError,
    stamp_texts,
    text_deltas,
)

__all__ = [
    "FONT_NAME",
    "LINE1_LENGTH",
    "LINE2_LENGTH",
    "PLAN_VERSION",
    "TRACE_LENGTH",
    "TRACE_PREFIX",
    "StampFields",
    "WatermarkError",
    "copy_patches",
    "find_trace_codes",
    "load_plan",
    "prepare",
    "save_plan",
    "stamped_chunks",
    "write_stamped",
]

# 256 KB: 1 MB was not measurably faster (bench-delivery) and takes 4x the memory per download.
CHUNK_SIZE = 256 * 1024
_TRACE_IN_TEXT = re.compile(TRACE_PREFIX + rf"([A-Z0-9]{{{TRACE_LENGTH}}})")


def prepare(original, prepared, **options):
    """Rewrite ``original`` into ``prepared`` with stamp placeholders; return the plan.

    Options: ``keep_permissions`` and ``transforms`` (see preparation.prepare).
    """
    return preparation.prepare(original, prepared, **options)


def save_plan(plan, path):
    Path(path).write_text(json.dumps(plan, separators=(",", ":")))


def load_plan(path):
    return json.loads(Path(path).read_text())


def copy_patches(plan, fields):
    """``(offsets, data, xor)``: what turns the prepared file into this reader's copy.

    ``offsets`` is sorted; ``data[i]`` goes at ``offsets[i]``; ``xor`` is None for a plain
    file, else a list saying which patches are XORed into (encrypted) bytes.
    """
    if plan.get("version", 1) == 1:
        return _patches_v1(plan, fields)
    under, over = stamp_texts(fields)
    (total_a, weighted_a), (total_b, weighted_b) = text_deltas(fields)
    xor = plan["xor"]
    if xor:
        under, over = (
            _xor(new, old)
            for new, old in zip((under, over), stamp_texts(PLACEHOLDER_FIELDS), strict=True)
        )
    total, weighted = total_a + total_b, weighted_a + weighted_b
    # Block B is patched to the end of its stream: text, BLOCK_END, the new checksum.
    tail = bytes(len(BLOCK_END)) if xor else BLOCK_END
    over_tail = over + tail
    ends = []
    for old, ka, kb in zip(plan["adler"], plan["ka"], plan["kb"], strict=True):
        a = ((old & 0xFFFF) + total) % ADLER_MOD
        b = ((old >> 16) + ka * total_a + kb * total_b - weighted) % ADLER_MOD
        new = (b << 16) | a
        ends.append(over_tail + (new ^ old if xor else new).to_bytes(4, "big"))
    trace = fields.trace_code.encode()
    data = [
        under if ref & 3 == KIND_A else ends[ref >> 2] if ref & 3 == KIND_B else trace
        for ref in plan["refs"]
    ]
    flags = [ref & 3 != KIND_KEY for ref in plan["refs"]] if xor else None
    return plan["offsets"], data, flags


def _xor(first, second):
    return (int.from_bytes(first, "big") ^ int.from_bytes(second, "big")).to_bytes(
        len(first), "big"
    )


def _read_into(handle, view):
    """Fill ``view`` from ``handle`` (raw streams may return less per call)."""
    filled = 0
    while filled < len(view):
        count = handle.readinto(view[filled:])
        if not count:
            break
        filled += count
    return filled


def stamped_chunks(
    prepared, plan, fields, *, start=0, end=None, chunk_size=CHUNK_SIZE
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
    offsets, data, xor = copy_patches(plan, fields)
    stops = [offset + len(patch) for offset, patch in zip(offsets, data, strict=True)]
    buffer = bytearray(min(chunk_size, max(end - start, 1)))
    view = memoryview(buffer)
    prepared.seek(start)
    position = start
    while position < end:
        got = _read_into(prepared, view[: min(len(buffer), end - position)])
        if not got:
            raise WatermarkError("the prepared file is shorter than its plan")
        chunk_end = position + got
        first = bisect.bisect_right(stops, position)  # the first patch ending in the chunk
        last = bisect.bisect_left(offsets, chunk_end)  # past the last one starting in it
        inner_first = first if first < last and offsets[first] >= position else first + 1
        inner_last = last if last > first and stops[last - 1] <= chunk_end else last - 1
        if xor is None and inner_first < inner_last:
            # The common case, kept tight: whole patches inside the chunk, plain bytes.
            for offset, patch in zip(
                offsets[inner_first:inner_last], data[inner_first:inner_last], strict=True
            ):
                at = offset - position
                buffer[at : at + len(patch)] = patch
            edges = {i for i in (first, last - 1) if not inner_first <= i < inner_last}
        else:
            edges = range(first, last)
        for index in sorted(edges):
            if not first <= index < last:
                continue
            offset, patch = offsets[index], data[index]
            lo, hi = max(offset, position), min(stops[index], chunk_end)
            part = patch[lo - offset : hi - offset]
            if xor is not None and xor[index]:
                current = int.from_bytes(buffer[lo - position : hi - position], "big")
                part = (current ^ int.from_bytes(part, "big")).to_bytes(hi - lo, "big")
            buffer[lo - position : hi - position] = part
        yield bytes(view[:got])
        position = chunk_end


def write_stamped(prepared, plan, fields, destination):
    with open(destination, "wb") as out:
        for chunk in stamped_chunks(prepared, plan, fields):
            out.write(chunk)


def _page_content(page):
    contents = page.obj.get("/Contents")
    if contents is None:
        return b""
    if isinstance(contents, pikepdf.Array):
        return b"\n".join(part.read_bytes() for part in contents)
    return contents.read_bytes()


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
                    text = bytes.fromhex(re.sub(r"\s", "", hex_text.decode())).decode(
                        "cp1252", "replace"
                    )
                except ValueError:
                    continue
                codes.update(_TRACE_IN_TEXT.findall(text))
            codes.update(_TRACE_IN_TEXT.findall(content.decode("latin-1")))
    codes.discard("0" * TRACE_LENGTH)  # the placeholder of a prepared (never served) file
    return codes


# Plans of version 1 (files prepared before the stamp followed the page geometry): the stamp
# text was positioned per page inside the patched bytes, and each page's checksum combined.


_MARKER_V1 = re.compile(rb"%PST([AB])(\d{7})\n")


def _hex_v1(text, length):
    encoded = text.encode("cp1252", errors="replace")[:length].ljust(length, b" ")
    return encoded.hex().upper().encode()


def _stamp_v1(kind, index, x, y, fields):
    return b"".join(
        [
            b"%%PST%s%07d\n" % (kind.encode(), index),
            b"q BT %s 5.8 Tf 0.45 g 1 0 0 1 %.2f %.2f Tm <" % (FONT_NAME.encode(), x, y + 7.5),
            _hex_v1(fields.line1, LINE1_LENGTH),
            b"> Tj /PSTWm 4.6 Tf 1 0 0 1 %.2f %.2f Tm <" % (x, y),
            _hex_v1(fields.line2, LINE2_LENGTH),
            b"> Tj ET BT 3 Tr %s 2 Tf 1 0 0 1 %.2f %.2f Tm <" % (FONT_NAME.encode(), x, y + 15),
            _hex_v1(TRACE_PREFIX + fields.trace_code, len(TRACE_PREFIX) + TRACE_LENGTH),
            b"> Tj ET Q\n",
        ]
    )


def _adler32_combine(adler1, adler2, length2):
    a1, b1 = adler1 & 0xFFFF, adler1 >> 16
    a2, b2 = adler2 & 0xFFFF, adler2 >> 16
    a = (a1 + a2 - 1) % ADLER_MOD
    b = (b1 + b2 + length2 * a1 - length2) % ADLER_MOD
    return (b << 16) | a


def _patches_v1(plan, fields):
    result = []
    trace = fields.trace_code.encode()
    for index, page in enumerate(plan["pages"]):
        block_a = _stamp_v1("A", index, page["x"], page["y"], fields)
        block_b = _stamp_v1("B", index, page["x"], page["y"], fields)
        head = _adler32_combine(zlib.adler32(block_a), page["mid_adler"], page["mid_length"])
        checksum = zlib.adler32(block_b, head)
        result.append((page["offset_a"], block_a))
        result.append((page["offset_b"], block_b + checksum.to_bytes(4, "big")))
    result.extend((offset, trace) for offset in plan["key_offsets"])
    result.sort()
    return [offset for offset, _data in result], [data for _offset, data in result], None
