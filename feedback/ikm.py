"""The public satisfaction index (IKM) of PermenPANRB No. 14/2017, as pure arithmetic.

No database here: the functions take answer sums and counts and return exact figures,
so the rules can be tested on their own (tests/feedback/test_ikm.py).

- NRR per element (nilai rata-rata unsur) = sum of the 1–4 scores ÷ number of respondents.
- Every element weighs 1/9, so IKM = mean of the nine NRR × 25, on the 25–100 scale.
- Arithmetic is exact (``Fraction``); only the final IKM is rounded, half up, to two
  decimals, and the grade is read from that two-decimal value:
  A Sangat Baik 88.31–100.00, B Baik 76.61–88.30, C Kurang Baik 65.00–76.60,
  D Tidak Baik 25.00–64.99.
- Sample size: Krejcie and Morgan (1970), which the regulation cites, for the number of
  people served in the period (χ² = 3.841, P = 0.5, d = 0.05; 100 → 80, 1,000 → 278,
  never more than 384).
"""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

ELEMENT_COUNT = 9
SCALE_FACTOR = 25
TWO_PLACES = Decimal("0.01")

# (lowest two-decimal IKM, grade) from the best grade down.
GRADE_FLOORS = (
    (Decimal("88.31"), "A"),
    (Decimal("76.61"), "B"),
    (Decimal("65.00"), "C"),
    (Decimal("25.00"), "D"),
)

KM_CHI_SQUARE = Fraction(3841, 1000)
KM_P = Fraction(1, 2)
KM_D = Fraction(5, 100)
KM_MAX = 384


def to_two_places(value):
    """A Fraction or number rounded half up to two decimals, as a Decimal."""
    value = Fraction(value)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        TWO_PLACES, rounding=ROUND_HALF_UP
    )


def grade_for(ikm):
    """The grade letter of an IKM value (read at two decimals)."""
    shown = ikm if isinstance(ikm, Decimal) else to_two_places(ikm)
    shown = shown.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    for floor, grade in GRADE_FLOORS:
        if shown >= floor:
            return grade
    raise ValueError(f"An IKM below 25 is not possible: {ikm}")


@dataclass(frozen=True)
class IkmResult:
    respondents: int
    nrr: tuple  # nine Fractions, U1..U9
    ikm: Fraction  # unrounded, 25..100

    @property
    def ikm_shown(self):
        return to_two_places(self.ikm)

    @property
    def grade(self):
        return grade_for(self.ikm_shown)

    @property
    def nrr_shown(self):
        """NRR per element to two decimals (for tables)."""
        return tuple(to_two_places(value) for value in self.nrr)

    @property
    def weighted_nrr(self):
        """NRR × 1/9 per element (the regulation's "NRR tertimbang"), unrounded."""
        return tuple(value / ELEMENT_COUNT for value in self.nrr)

    def lowest_elements(self, count=3):
        """Element indexes (0-based) with the lowest NRR first: improvement priorities."""
        order = sorted(range(ELEMENT_COUNT), key=lambda i: (self.nrr[i], i))
        return order[:count]


def compute(element_sums, respondents):
    """The IKM of ``respondents`` complete answers whose scores add up to ``element_sums``.

    ``element_sums`` are the nine sums of the 1–4 scores, U1 to U9. Returns None when
    nobody answered ("no data", never a division by zero).
    """
    sums = tuple(element_sums)
    if len(sums) != ELEMENT_COUNT:
        raise ValueError(f"Expected {ELEMENT_COUNT} element sums, got {len(sums)}")
    if not respondents:
        return None
    if any(not respondents <= total <= 4 * respondents for total in sums):
        raise ValueError("Each element sum must lie between 1 and 4 times the respondents")
    nrr = tuple(Fraction(total, respondents) for total in sums)
    ikm = sum(nrr, Fraction(0)) / ELEMENT_COUNT * SCALE_FACTOR
    return IkmResult(respondents=respondents, nrr=nrr, ikm=ikm)


def compute_from_answers(answers):
    """The IKM of a list of answers, each nine scores from 1 to 4."""
    answers = [tuple(answer) for answer in answers]
    sums = [sum(answer[i] for answer in answers) for i in range(ELEMENT_COUNT)]
    return compute(sums, len(answers))


def sample_size(population):
    """Krejcie–Morgan sample size for ``population`` people served (at most 384)."""
    if population <= 0:
        return 0
    n = Fraction(population)
    spread = KM_CHI_SQUARE * KM_P * (1 - KM_P)
    size = spread * n / (KM_D**2 * (n - 1) + spread)
    rounded = math.floor(size + Fraction(1, 2))  # to the nearest whole, as the table does
    return min(rounded, KM_MAX, population)
