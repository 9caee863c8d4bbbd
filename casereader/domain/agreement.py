"""Agreement between two readers who graded the same items (SPEC §7).

Everything is computed on whole counts with exact fractions and rounded once at the end, so the
same pairs always give the same figures whatever order they come in.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from casereader.errors import AnswerRejected

SIX_POINT_SCALE = (1, 2, 3, 4, 5, 6)


@dataclass(frozen=True)
class Agreement:
    """Agreement over double-read graded items; the figures are None when there are no pairs.

    Kappa is None, with the reason in ``kappa_note``, where it is undefined: no pairs, or every
    grade of both readers the same single grade (chance agreement is then total: 0/0).
    """

    pairs: int
    exact_percent: float | None
    within_one_percent: float | None
    kappa_quadratic: float | None
    kappa_note: str | None = None


NO_PAIRS = "no double-read pairs of grades"
ONE_GRADE_ONLY = (
    "undefined: both readers gave one and the same grade in every pair, so agreement by "
    "chance is total"
)


def _round_half_up(value: Fraction, places: int) -> float:
    """Round as people do by hand (0.05 → 0.1, −0.05 → −0.1), not to the even neighbour."""
    scaled = abs(value) * 10**places
    rounded = math.floor(scaled + Fraction(1, 2))
    return math.copysign(float(Fraction(rounded, 10**places)), value) if rounded else 0.0


def _is_grade(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_categories(categories: Sequence[int]) -> tuple[int, ...]:
    scale = tuple(categories)
    if len(scale) < 2 or len(set(scale)) != len(scale):
        raise ValueError(
            f"Agreement needs at least two different grades on the scale, got {scale!r}."
        )
    if not all(_is_grade(grade) for grade in scale):
        raise ValueError(f"The grades on the scale must be whole numbers, got {scale!r}.")
    return scale


def _quadratic_kappa(table: Counter[tuple[int, int]], scale: tuple[int, ...]) -> Fraction | None:
    """Cohen's kappa with disagreement weighted by the squared distance between grades."""
    position = {grade: index for index, grade in enumerate(scale)}
    reader_a = Counter({grade: 0 for grade in scale})
    reader_b = Counter({grade: 0 for grade in scale})
    for (a, b), count in table.items():
        reader_a[a] += count
        reader_b[b] += count
    pairs = sum(table.values())

    def weight(a: int, b: int) -> int:
        return (position[a] - position[b]) ** 2

    # Whole counts instead of proportions: both sums are multiplied by pairs², and the usual
    # (k−1)² weight divisor is left out of both, so their ratio is unchanged.
    observed = pairs * sum(weight(a, b) * count for (a, b), count in table.items())
    expected = sum(weight(a, b) * reader_a[a] * reader_b[b] for a in scale for b in scale)
    if expected == 0:
        # Only when both readers gave one and the same grade every time: kappa is 0/0 then.
        # The exact agreement (100%) says what was observed; kappa itself is left undefined.
        return None
    return 1 - Fraction(observed, expected)


def agreement(
    pairs: Iterable[tuple[int, int]], categories: Sequence[int] = SIX_POINT_SCALE
) -> Agreement:
    """Exact and within-one agreement (percent, 1 dp) and quadratic-weighted kappa (3 dp)."""
    scale = _check_categories(categories)
    position = {grade: index for index, grade in enumerate(scale)}
    table: Counter[tuple[int, int]] = Counter()
    for pair in pairs:
        try:
            a, b = pair
        except (TypeError, ValueError):
            raise AnswerRejected(
                f"Each double read must be a pair of grades (reader A, reader B), got {pair!r}."
            ) from None
        for grade in (a, b):
            if not _is_grade(grade) or grade not in position:
                raise AnswerRejected(
                    f"Grade {grade!r} in the double read {pair!r} is not on the scale "
                    f"{scale!r}; leave out not-applicable and unable-to-evaluate answers "
                    "before measuring agreement."
                )
        table[(a, b)] += 1

    total = sum(table.values())
    if total == 0:
        return Agreement(0, None, None, None, NO_PAIRS)
    exact = sum(count for (a, b), count in table.items() if a == b)
    # "Within one" means neighbouring grades on the scale, the same steps the kappa weighs.
    within_one = sum(
        count for (a, b), count in table.items() if abs(position[a] - position[b]) <= 1
    )
    kappa = _quadratic_kappa(table, scale)
    return Agreement(
        pairs=total,
        exact_percent=_round_half_up(Fraction(100 * exact, total), 1),
        within_one_percent=_round_half_up(Fraction(100 * within_one, total), 1),
        kappa_quadratic=None if kappa is None else _round_half_up(kappa, 3),
        kappa_note=ONE_GRADE_ONLY if kappa is None else None,
    )
