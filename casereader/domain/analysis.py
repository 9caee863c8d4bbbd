"""The record-reading analysis in numbers (SPEC §7, DOMAIN §3): pure arithmetic, no store.

Which value counts for a case's item (``counted_value``): the moderated value where there is
one; else the value every reader who answered gave, when they agree; else the item is
*unresolved* for that case (left out of the counts, listed apart). A reader's value is the grade
agreed with the paired inspector where there is one, else the reader's own.

Agreement compares the readers' OWN grades (``pair_agreement``): every pair of readers of a case
(three readers give three pairs); pairs holding N/A or unable are left out and counted apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

from casereader.domain.agreement import agreement
from casereader.domain.quantifiers import Proportion
from casereader.domain.quantifiers import proportion as _proportion
from casereader.domain.template import QuantifierBand

GRADES = ("6", "5", "4", "3", "2", "1")
COUNT_KEYS = (*GRADES, "na", "unable")
GOOD_OR_BETTER = frozenset({"4", "5", "6"})
ADEQUATE_OR_BETTER = frozenset({"3", "4", "5", "6"})
WEAK_OR_UNSATISFACTORY = frozenset({"1", "2"})
THRESHOLDS = (
    ("good_or_better", GOOD_OR_BETTER),
    ("adequate_or_better", ADEQUATE_OR_BETTER),
    ("weak_or_unsatisfactory", WEAK_OR_UNSATISFACTORY),
)


_CACHE: dict[int, tuple[list[QuantifierBand], dict[tuple[int, int], Proportion]]] = {}


def proportion(k: int, n: int, bands: list[QuantifierBand]) -> Proportion:
    """``quantifiers.proportion``, remembered per set of bands: an analysis asks for the same
    few k-of-n many times over (every item, every breakdown)."""
    entry = _CACHE.get(id(bands))
    if entry is None or entry[0] is not bands:
        if len(_CACHE) > 16:
            _CACHE.clear()
        entry = _CACHE[id(bands)] = (bands, {})
    known = entry[1]
    found = known.get((k, n))
    if found is None:
        found = known[(k, n)] = _proportion(k, n, bands)
    return found


@dataclass(frozen=True)
class Counted:
    """The value that counts for one case's item, or why none does."""

    value: str | None
    unresolved: bool = False


def counted_value(effective: Mapping[str, str | None], moderated: str | None) -> Counted:
    """The one value of a case's item for the analysis (see the module docstring)."""
    if moderated is not None:
        return Counted(moderated)
    given = {v for v in effective.values() if v is not None}
    if not given:
        return Counted(None)
    if len(given) > 1:
        return Counted(None, unresolved=True)
    return Counted(given.pop())


@dataclass(frozen=True)
class GradeSummary:
    counts: dict[str, int]  # "6" … "1", "na", "unable"
    n: int  # graded answers (N/A and unable left out)
    good_or_better: Proportion
    adequate_or_better: Proportion
    weak_or_unsatisfactory: Proportion


def grade_counts(values: Iterable[str]) -> dict[str, int]:
    counts = dict.fromkeys(COUNT_KEYS, 0)
    for value in values:
        if value in counts:
            counts[value] += 1
    return counts


def grade_summary(values: Iterable[str], bands: list[QuantifierBand]) -> GradeSummary:
    """Counts 6…1, N/A, unable and the three proportions of the graded answers."""
    counts = grade_counts(values)
    n = sum(counts[g] for g in GRADES)
    shares = {
        name: proportion(sum(counts[g] for g in grades), n, bands) for name, grades in THRESHOLDS
    }
    return GradeSummary(counts=counts, n=n, **shares)


@dataclass(frozen=True)
class YesSummary:
    counts: dict[str, int]  # yes, no, na, unable
    n: int  # yes + no
    yes: Proportion


def yes_summary(values: Iterable[str], bands: list[QuantifierBand]) -> YesSummary:
    counts = dict.fromkeys(("yes", "no", "na", "unable"), 0)
    for value in values:
        if value in counts:
            counts[value] += 1
    n = counts["yes"] + counts["no"]
    return YesSummary(counts=counts, n=n, yes=proportion(counts["yes"], n, bands))


def proportion_json(p: Proportion) -> dict:
    """P of the analysis JSON: percent a number (1 dp), or null when n = 0."""
    return {"k": p.k, "n": p.n, "percent": p.percent, "phrase": p.phrase}


@dataclass(frozen=True)
class PairAgreement:
    pairs: int
    exact_percent: float | None
    within_one_percent: float | None
    kappa_quadratic: float | None
    excluded_pairs: int  # pairs where a reader answered N/A or unable
    kappa_note: str | None

    def to_json(self) -> dict:
        return {
            "pairs": self.pairs,
            "exact_percent": self.exact_percent,
            "within_one_percent": self.within_one_percent,
            "kappa_quadratic": self.kappa_quadratic,
            "excluded_pairs": self.excluded_pairs,
            "kappa_note": self.kappa_note,
        }


def reader_pairs(own: Mapping[str, str | None]) -> list[tuple[str, str]]:
    """Every pair of two readers' own values of one case's item (readers in id order)."""
    values = [own[r] for r in sorted(own) if own[r] is not None]
    return list(combinations(values, 2))


def pair_agreement(pairs: Iterable[tuple[str, str]]) -> PairAgreement:
    """Agreement over pairs of own grades ("1"…"6", "na", "unable"); N/A and unable apart."""
    graded: list[tuple[int, int]] = []
    excluded = 0
    for a, b in pairs:
        if a in GRADES and b in GRADES:
            graded.append((int(a), int(b)))
        else:
            excluded += 1
    result = agreement(graded)
    return PairAgreement(
        pairs=result.pairs,
        exact_percent=result.exact_percent,
        within_one_percent=result.within_one_percent,
        kappa_quadratic=result.kappa_quadratic,
        excluded_pairs=excluded,
        kappa_note=result.kappa_note,
    )
