"""The six-point grading scale and the quantifier bands (words for proportions of records)."""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache

from pydantic import field_validator, model_validator

from casereader.domain.template.base import Frozen, nonblank
from casereader.errors import TemplateError

_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


class ScalePoint(Frozen):
    grade: int
    label: str
    descriptor: str
    colour: str

    _label = field_validator("label", "descriptor")(nonblank)

    @field_validator("colour")
    @classmethod
    def _hex_colour(cls, value: str) -> str:
        if not _COLOUR.match(value):
            raise ValueError(f'colour {value!r} should be a hex colour like "#4a9a3f"')
        return value


class Scale(Frozen):
    points: list[ScalePoint]
    not_applicable: str
    unable: str

    _labels = field_validator("not_applicable", "unable")(nonblank)

    @model_validator(mode="after")
    def _grades_one_to_six(self) -> Scale:
        grades = sorted(p.grade for p in self.points)
        if grades != [1, 2, 3, 4, 5, 6]:
            raise ValueError(
                f"the scale must have exactly one point for each grade 1 to 6, found {grades}"
            )
        return self

    def point(self, grade: int) -> ScalePoint:
        """The scale point for a grade 1–6."""
        for p in self.points:
            if p.grade == grade:
                return p
        raise TemplateError(f"there is no grade {grade!r} on the scale (grades are 1 to 6)")


class QuantifierBand(Frozen):
    """A word used for a proportion of records whose percentage lies between lower and upper."""

    word: str
    lower: int | float
    upper: int | float
    lower_inclusive: bool
    upper_inclusive: bool

    _word = field_validator("word")(nonblank)

    @model_validator(mode="after")
    def _sensible_bounds(self) -> QuantifierBand:
        if not (0 <= self.lower <= 100 and 0 <= self.upper <= 100):
            raise ValueError(f"'{self.word}': lower and upper are percentages from 0 to 100")
        empty = self.lower > self.upper or (
            self.lower == self.upper and not (self.lower_inclusive and self.upper_inclusive)
        )
        if empty:
            raise ValueError(f"'{self.word}': no percentage lies between its lower and upper")
        return self

    def contains(self, percent: Fraction) -> bool:
        """Whether an exact percentage (0–100) falls in this band."""
        low, high = _exact(self.lower), _exact(self.upper)
        above = percent > low or (self.lower_inclusive and percent == low)
        below = percent < high or (self.upper_inclusive and percent == high)
        return above and below

    def describe(self) -> str:
        """The band in words, e.g. '75% ≤ p ≤ 90%'."""
        low = "≤" if self.lower_inclusive else "<"
        high = "≤" if self.upper_inclusive else "<"
        return f"{_num(self.lower)}% {low} p {high} {_num(self.upper)}%"


@lru_cache(maxsize=1024)
def _exact(number: int | float) -> Fraction:
    # via str so that a bound of 33.3 means 33.3, not its binary approximation (cached: an
    # analysis asks each band about thousands of proportions, and parsing is the slow part)
    return Fraction(str(number))


def _num(number: int | float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def check_partition(bands: list[QuantifierBand]) -> None:
    """Bands must cover every percentage 0–100 exactly once, so k=0 and k=n have a word too."""
    if not bands:
        raise ValueError("at least one [[quantifiers]] band is needed")
    ordered = sorted(bands, key=lambda b: (_exact(b.lower), not b.lower_inclusive))
    first = ordered[0]
    if not (first.lower == 0 and first.lower_inclusive):
        raise ValueError(
            f"no band covers 0% (k = 0); the lowest is '{first.word}' {first.describe()}"
        )
    for before, after in zip(ordered, ordered[1:], strict=False):
        end, start = _exact(before.upper), _exact(after.lower)
        touching = end == start and before.upper_inclusive != after.lower_inclusive
        if touching:
            continue
        if end > start or (end == start and before.upper_inclusive):
            raise ValueError(
                f"bands '{before.word}' ({before.describe()}) and '{after.word}' "
                f"({after.describe()}) overlap"
            )
        raise ValueError(
            f"gap between bands '{before.word}' ({before.describe()}) and '{after.word}' "
            f"({after.describe()}): some percentages have no word"
        )
    last = ordered[-1]
    if not (last.upper == 100 and last.upper_inclusive):
        raise ValueError(
            f"no band covers 100% (k = n); the highest is '{last.word}' {last.describe()}"
        )
