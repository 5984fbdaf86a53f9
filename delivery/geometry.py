"""Where the stamp goes on a page as the reader sees it.

A stamp is drawn in its own *stamp space*: a strip ``STAMP_WIDTH`` × ``STAMP_HEIGHT`` units
(an A4 page's width), text left-aligned 14 units in, 7 units up. ``placement`` maps
that strip onto the bottom edge of the page *as displayed*:

- the visible area is the CropBox clipped to the MediaBox, with its real origin (neither
  has to start at 0,0; see catalog.pdf.visible_box);
- ``/Rotate`` turns the page clockwise when shown, so the strip is turned with it to stay
  upright at the displayed bottom (ISO 32000-1 §7.7.3.3, Table 30: "the number of degrees by
  which the page shall be rotated clockwise when displayed");
- the size follows the page: scale 1 on A4, in proportion to the shorter displayed side
  measured physically (``/UserUnit`` × units), kept between ``MIN_SCALE`` (still readable on
  A5/A6) and ``MAX_SCALE`` (a 2,480 pt scan or an A0 poster shows it as A4 does), and
  never larger than the strip can be inside the visible box — so on a 3.84 pt ImageMagick
  page it is tiny but inside the page, and found by text extraction.
"""

import dataclasses

from catalog.pdf import page_rotation, visible_box

STAMP_WIDTH = 595.0  # an A4 page's width: the strip's size at scale 1
STAMP_HEIGHT = 32.0
MIN_SCALE = 0.7
MAX_SCALE = 12.0


@dataclasses.dataclass(frozen=True)
class Placement:
    matrix: tuple  # the ``cm`` operands from stamp space to the page's user space
    scale: float
    rotation: int
    box: tuple  # the visible box (x0, y0, x1, y1) in user space


def _rotation_matrix(rotation, box):
    """Display space (origin at the displayed bottom-left, y up) → user space."""
    x0, y0, x1, y1 = box
    return {
        0: (1, 0, 0, 1, x0, y0),
        90: (0, 1, -1, 0, x1, y0),
        180: (-1, 0, 0, -1, x1, y1),
        270: (0, -1, 1, 0, x0, y1),
    }[rotation]


def stamp_scale(display_width, display_height, user_unit=1.0):
    """The stamp's scale on a page shown ``display_width`` × ``display_height`` units."""
    shorter = min(display_width, display_height) * user_unit
    physical = min(max(shorter / STAMP_WIDTH, MIN_SCALE), MAX_SCALE)
    return min(physical / user_unit, display_width / STAMP_WIDTH, display_height / STAMP_HEIGHT)


def placement(page_obj):
    """Where the stamp strip goes on this page; None when the page has no visible area."""
    box = visible_box(page_obj)
    if box is None:
        return None
    rotation, _valid = page_rotation(page_obj)
    width, height = box[2] - box[0], box[3] - box[1]
    if rotation in (90, 270):
        width, height = height, width
    try:
        user_unit = float(page_obj.get("/UserUnit", 1))
    except (TypeError, ValueError):
        user_unit = 1.0
    if not user_unit > 0:
        user_unit = 1.0
    scale = stamp_scale(width, height, user_unit)
    a, b, c, d, e, f = _rotation_matrix(rotation, box)
    return Placement(
        matrix=(a * scale, b * scale, c * scale, d * scale, e, f),
        scale=scale,
        rotation=rotation,
        box=box,
    )


def pdf_number(value):
    """A number as PDF content-stream syntax (no exponent), precise enough for tiny pages."""
    text = f"{value:.9f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def matrix_operands(matrix):
    return " ".join(pdf_number(value) for value in matrix)
