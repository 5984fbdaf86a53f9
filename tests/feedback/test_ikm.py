"""The IKM arithmetic of PermenPANRB 14/2017, checked by hand."""

from decimal import Decimal
from fractions import Fraction

import pytest

from feedback import ikm

# Four respondents, U1..U9. Hand-checked below.
WORKED_EXAMPLE = [
    (4, 4, 3, 4, 3, 4, 4, 3, 3),
    (3, 3, 3, 4, 3, 3, 4, 2, 3),
    (4, 3, 2, 4, 3, 4, 4, 3, 4),
    (3, 3, 3, 4, 2, 3, 3, 3, 3),
]


def test_worked_example_by_hand():
    result = ikm.compute_from_answers(WORKED_EXAMPLE)

    # Element sums 14, 13, 11, 16, 11, 14, 15, 11, 13 over 4 respondents.
    assert result.respondents == 4
    assert result.nrr == tuple(Fraction(s, 4) for s in (14, 13, 11, 16, 11, 14, 15, 11, 13))
    assert result.nrr_shown == tuple(
        Decimal(v) for v in ("3.50", "3.25", "2.75", "4.00", "2.75", "3.50", "3.75", "2.75", "3.25")
    )
    # Sum of NRR = 118/4 = 29.5; mean = 29.5/9; × 25 = 2950/36 = 81.9444…
    assert result.ikm == Fraction(2950, 36)
    assert result.ikm_shown == Decimal("81.94")
    assert result.grade == "B"
    # U3, U5 and U8 (2.75) are the improvement priorities.
    assert result.lowest_elements() == [2, 4, 7]


def test_unrounded_weights_differ_from_the_printed_0_111():
    result = ikm.compute_from_answers(WORKED_EXAMPLE)
    # With the printed weight 0.111 the figure would be 81.86, not the exact 81.94.
    printed = sum(result.nrr) * Fraction(111, 1000) * 25
    assert ikm.to_two_places(printed) == Decimal("81.86")
    assert sum(result.weighted_nrr) * 25 == result.ikm


def test_everyone_answering_four_is_one_hundred_and_one_is_twenty_five():
    assert ikm.compute_from_answers([(4,) * 9] * 3).ikm_shown == Decimal("100.00")
    lowest = ikm.compute_from_answers([(1,) * 9])
    assert (lowest.ikm_shown, lowest.grade) == (Decimal("25.00"), "D")


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        ("25.00", "D"),
        ("64.99", "D"),
        ("65.00", "C"),
        ("76.60", "C"),
        ("76.61", "B"),
        ("88.30", "B"),
        ("88.31", "A"),
        ("100.00", "A"),
    ],
)
def test_grade_boundaries(value, grade):
    assert ikm.grade_for(Decimal(value)) == grade


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        (Fraction(64994, 1000), "D"),  # shown 64.99
        (Fraction(64995, 1000), "C"),  # shown 65.00 (half up)
        (Fraction(76604, 1000), "C"),
        (Fraction(76605, 1000), "B"),
        (Fraction(88304, 1000), "B"),
        (Fraction(88305, 1000), "A"),
    ],
)
def test_grade_is_read_at_two_decimals(value, grade):
    assert ikm.grade_for(value) == grade


def test_computed_ikm_exactly_at_sixty_five_is_grade_c():
    # 5 respondents, element sums adding up to 117: 117 / 45 × 25 = 65 exactly.
    result = ikm.compute([13] * 9, 5)
    assert result.ikm == 65
    assert (result.ikm_shown, result.grade) == (Decimal("65.00"), "C")


def test_no_respondents_is_no_data():
    assert ikm.compute([0] * 9, 0) is None
    assert ikm.compute_from_answers([]) is None


def test_impossible_sums_are_refused():
    with pytest.raises(ValueError):
        ikm.compute([13] * 8, 5)
    with pytest.raises(ValueError):
        ikm.compute([21] * 9, 5)  # more than 4 × 5


@pytest.mark.parametrize(
    ("served", "sample"),
    [
        (0, 0),
        (5, 5),
        (10, 10),
        (30, 28),
        (50, 44),
        (100, 80),
        (200, 132),
        (300, 169),
        (500, 217),
        (1000, 278),
        (2000, 322),
        (5000, 357),
        (10000, 370),
        (1_000_000, 384),
        (50_000_000, 384),
    ],
)
def test_krejcie_morgan_sample_size(served, sample):
    assert ikm.sample_size(served) == sample
