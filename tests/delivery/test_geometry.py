"""Where the stamp strip lands on a page as displayed (delivery/geometry.py)."""

import pikepdf
import pytest
from pikepdf import Array, Dictionary

from delivery import geometry

W, H = geometry.STAMP_WIDTH, geometry.STAMP_HEIGHT


def _page(media, *, crop=None, rotate=None, user_unit=None):
    page = Dictionary(MediaBox=Array(media))
    if crop is not None:
        page.CropBox = Array(crop)
    if rotate is not None:
        page.Rotate = rotate
    if user_unit is not None:
        page.UserUnit = user_unit
    return page


def _apply(matrix, x, y):
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def _displayed(point, box, rotation):
    """User space → display space (origin at the displayed bottom-left, y up)."""
    x, y = point[0] - box[0], point[1] - box[1]
    width, height = box[2] - box[0], box[3] - box[1]
    return {
        0: (x, y),
        90: (y, width - x),
        180: (width - x, height - y),
        270: (height - y, x),
    }[rotation]


@pytest.mark.parametrize("rotate", [0, 90, 180, 270, -90, 450, 45])
@pytest.mark.parametrize(
    ("media", "crop"),
    [
        ([0, 0, 595, 842], None),
        ([-100, -200, 695, 1042], [20, 40, 520, 760]),
        ([0, 0, 3.84, 3.84], None),
        ([0, 0, 14400, 14400], None),
        ([612, 792, 0, 0], None),  # corners in the other order
    ],
)
def test_strip_is_inside_the_visible_box_upright_at_the_displayed_bottom(media, crop, rotate):
    page = _page(media, crop=crop, rotate=rotate)
    where = geometry.placement(page)
    rotation = {0: 0, 90: 90, 180: 180, 270: 270, -90: 270, 450: 90, 45: 0}[rotate]

    assert where.rotation == rotation
    box = where.box
    corners = [_apply(where.matrix, x, y) for x, y in [(0, 0), (W, 0), (0, H), (W, H)]]
    for x, y in corners:
        assert box[0] - 1e-6 <= x <= box[2] + 1e-6 and box[1] - 1e-6 <= y <= box[3] + 1e-6
    shown = [_displayed(corner, box, rotation) for corner in corners]
    (x0, y0), (x1, y1), (x2, y2) = shown[0], shown[1], shown[2]
    assert x1 > x0 and abs(y1 - y0) < 1e-6  # the baseline runs left to right, level
    assert y2 > y0 and abs(x2 - x0) < 1e-6  # "up" in the strip is up on the screen
    assert y0 == pytest.approx(0, abs=1e-6) and x0 == pytest.approx(0, abs=1e-6)


def test_scale_is_one_on_a4_and_follows_the_page():
    assert geometry.stamp_scale(595, 842) == pytest.approx(1.0)
    assert geometry.stamp_scale(842, 595) == pytest.approx(1.0)  # landscape: the shorter side
    assert geometry.stamp_scale(2384, 3370) == pytest.approx(2384 / 595)  # A0
    assert geometry.stamp_scale(2480, 3508) == pytest.approx(2480 / 595)  # 300 dpi scan at 72


def test_scale_has_a_readable_floor_and_a_ceiling_but_always_fits():
    # A6: the floor would be 0.7, but the strip must fit the width.
    assert geometry.stamp_scale(298, 420) == pytest.approx(298 / 595)
    assert geometry.stamp_scale(3.84, 3.84) == pytest.approx(3.84 / 595)
    assert geometry.stamp_scale(14400, 14400) == geometry.MAX_SCALE
    # A long, low banner: the strip's height decides.
    assert geometry.stamp_scale(5000, 20) == pytest.approx(20 / H)


def test_user_unit_counts_for_the_physical_bounds_only():
    # An A4-sized page in units of 10/72 inch is 5,950 pt wide: as large as it looks.
    assert geometry.stamp_scale(595, 842, user_unit=10) == pytest.approx(1.0)
    # 1,440 units of 10/72 inch: the ceiling is physical, so the scale in units is smaller.
    assert geometry.stamp_scale(1440, 1440, user_unit=10) == pytest.approx(geometry.MAX_SCALE / 10)
    page = _page([0, 0, 595, 842], user_unit=10)
    assert geometry.placement(page).scale == pytest.approx(1.0)


def test_page_without_a_usable_media_box_has_no_placement():
    assert geometry.placement(_page([0, 0, 0, 0])) is None
    assert geometry.placement(Dictionary()) is None
    assert geometry.placement(_page([0, 0, "a", 5])) is None


def test_empty_or_outside_crop_box_falls_back_to_the_media_box():
    empty = geometry.placement(_page([0, 0, 595, 842], crop=[100, 100, 100, 100]))
    outside = geometry.placement(_page([0, 0, 595, 842], crop=[700, 900, 800, 1000]))
    wider = geometry.placement(_page([0, 0, 595, 842], crop=[-50, -50, 700, 900]))

    assert empty.box == outside.box == (0, 0, 595, 842)
    assert wider.box == (0, 0, 595, 842)  # clipped to the MediaBox


def test_numbers_are_written_without_exponents():
    assert geometry.pdf_number(0.00000645) == "0.00000645"
    assert geometry.pdf_number(-0.0) == "0"
    assert geometry.pdf_number(841.8898) == "841.8898"
    assert geometry.matrix_operands((1, 0, 0, 1, 0, 0)) == "1 0 0 1 0 0"


def test_rotation_that_is_not_a_number_counts_as_unrotated():
    page = _page([0, 0, 595, 842], rotate=pikepdf.Name.Ninety)

    assert geometry.placement(page).rotation == 0
