"""The stamp's text: what one copy says, as content-stream bytes of a fixed length.

The stamp is drawn in stamp space (geometry.py): a strip as wide as an A4 page. The text
is the same bytes on every page of a copy, so a copy changes only these bytes (and each
page's checksum). The length never depends on the reader: each line is a literal string
followed by spaces up to its slot's length (spaces between tokens draw nothing), font
sizes are fixed-width numbers. Each line's font size is chosen for this reader's text, measured with
Helvetica's metrics, so the longest name still fits the strip and never runs off the page.
"""

import dataclasses
import functools
import math
import re

from reportlab.pdfbase.pdfmetrics import stringWidth

from core.errors import DomainError

from .geometry import STAMP_WIDTH

TRACE_PREFIX = "PST-TRACE:"
TRACE_LENGTH = 16
LINE1_LENGTH = 240  # bytes in the file, with the brackets and escapes
LINE2_LENGTH = 250
FONT_NAME = "/PSTWm"
ADLER_MOD = 65521

LEFT = 14.0  # stamp-space units from the strip's left edge
TEXT_WIDTH = STAMP_WIDTH - 2 * LEFT
LINE1_SIZE, LINE1_BASELINE = 5.8, 15.5
LINE2_SIZE, LINE2_BASELINE = 4.6, 9.0
TRACE_SIZE, TRACE_BASELINE = 2.0, 23.0


class WatermarkError(DomainError):
    """The original cannot be prepared (damaged, needs a password, not a PDF)."""

    status = 422
    code = "pdf_unusable"


@dataclasses.dataclass(frozen=True)
class StampFields:
    """What one copy says. Lines longer than their slot are cut."""

    line1: str
    line2: str
    trace_code: str

    def __post_init__(self):
        if not re.fullmatch(rf"[A-Z0-9]{{{TRACE_LENGTH}}}", self.trace_code):
            raise ValueError(f"trace code must be {TRACE_LENGTH} characters A-Z 0-9")


PLACEHOLDER_FIELDS = StampFields(line1="", line2="", trace_code="0" * TRACE_LENGTH)


_ESCAPES = {ord("\\"): b"\\\\", ord("("): b"\\(", ord(")"): b"\\)"}


def _literal(text, length):
    """``(literal, shown)``: the text as a PDF literal string of WinAnsi bytes (what the font
    shows) taking exactly ``length`` bytes — ``(text)`` then spaces, which only separate
    tokens — and the bytes it shows. Text that does not fit is cut; control characters
    become "?"."""
    room = length - 2
    escaped, shown = [], []
    used = 0
    for char in text:
        byte = char.encode("cp1252", errors="replace")
        if len(byte) != 1 or byte[0] < 0x20 or byte[0] == 0x7F:
            byte = b"?"
        written = _ESCAPES.get(byte[0], byte)
        if used + len(written) > room:
            break
        escaped.append(written)
        shown.append(byte)
        used += len(written)
    body = b"".join(escaped).rstrip(b" ")
    return b"(" + body + b")" + b" " * (room - len(body)), b"".join(shown).rstrip(b" ")


def _size(data, largest):
    """The font size at which the line fits the strip (rounded down: it is written with
    three decimals)."""
    width = stringWidth(data.decode("cp1252"), "Helvetica", 1)
    size = min(largest, TEXT_WIDTH / width) if width else largest
    return math.floor(size * 1000) / 1000


def _line(data, size, baseline, *, invisible=False):
    mode = b"3 Tr " if invisible else b""
    return b"BT %s%s %07.3f Tf %.1f %.1f Td %s Tj ET " % (
        mode,
        FONT_NAME.encode(),
        size,
        LEFT,
        baseline,
        data,
    )


@functools.lru_cache(maxsize=256)
def stamp_texts(fields):
    """``(under, over)``: the stamp's operators for ``fields`` in block A (drawn under the
    page: who, when, trace code) and block B (on top: also the copyright notice). Each is
    always the same length whatever the reader; marked as an artifact so tagged PDFs stay
    valid; the trace line is invisible (render mode 3)."""
    line1, shown1 = _literal(fields.line1, LINE1_LENGTH)
    line2, shown2 = _literal(fields.line2, LINE2_LENGTH)
    trace = b"(" + (TRACE_PREFIX + fields.trace_code).encode() + b")"
    first = _line(line1, _size(shown1, LINE1_SIZE), LINE1_BASELINE)
    second = _line(line2, _size(shown2, LINE2_SIZE), LINE2_BASELINE)
    hidden = _line(trace, TRACE_SIZE, TRACE_BASELINE, invisible=True)
    under = b"/Artifact BMC 0.45 g " + first + hidden + b"EMC"
    over = b"/Artifact BMC 0.45 g " + first + second + hidden + b"EMC"
    return under, over


def text_deltas(fields):
    """For block A and B: ``(S, W)``, how this copy's text differs from the placeholder as
    adler32 needs it — the sum of byte differences and the sum weighted by position."""
    result = []
    for new, old in zip(stamp_texts(fields), stamp_texts(PLACEHOLDER_FIELDS), strict=True):
        new_total, new_weighted = _sums(new)
        old_total, old_weighted = _sums(old)
        result.append(
            ((new_total - old_total) % ADLER_MOD, (new_weighted - old_weighted) % ADLER_MOD)
        )
    return result


@functools.lru_cache(maxsize=256)
def _sums(data):
    return sum(data), sum(index * byte for index, byte in enumerate(data))
