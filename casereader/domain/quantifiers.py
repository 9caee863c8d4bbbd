"""Proportions of records in inspection words ("most records (47 of 60, 78%)"), DOMAIN.md §3.

The bands come from the template file, never from code; exact fractions decide which band a
proportion falls in, so 9 of 10 is exactly 90% and lands in "most", not in "almost all".
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from casereader.domain.template import QuantifierBand

NO_RECORDS = "no applicable records"

# words that go straight before the noun ("most records"); others take "of the"
# ("the majority of the records", "none of the records")
_BEFORE_NOUN = frozenset({"all", "almost all", "most", "a few", "many", "some", "few"})


@dataclass(frozen=True)
class Proportion:
    k: int
    n: int
    percent: float | None
    phrase: str
    # the template band the word came from, so the printed percentage can be kept inside it
    band: QuantifierBand | None = field(default=None, repr=False, compare=False)


def proportion(k: int, n: int, bands: list[QuantifierBand]) -> Proportion:
    """k of n records with its percentage (1 dp) and quantifier word; n = 0 has no word."""
    if isinstance(k, bool) or isinstance(n, bool) or not (0 <= k <= n):
        raise ValueError(f"a proportion needs 0 <= k <= n, got k={k!r}, n={n!r}")
    if n == 0:
        return Proportion(k, n, None, NO_RECORDS)
    exact = Fraction(100 * k, n)
    band = next((b for b in bands if b.contains(exact)), None)
    if band is None:
        # the loader rejects bands with gaps, so only hand-built bands get here
        raise ValueError(f"no quantifier band covers {float(exact):.1f}% ({k} of {n})")
    return Proportion(k, n, float(_round(exact, "0.1")), band.word, band)


def _round(value: Fraction, places: str) -> Decimal:
    # half up, as people round; Python's round() would make 12.5% into "12%"
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(places), rounding=ROUND_HALF_UP)


# A proportion strictly inside its band has a rounding inside it at some number of places, and
# one exactly on a closed edge (a decimal from the template) at that edge's own places; a few
# places are enough for any count of records, this many for any band a template can state.
_MAX_PLACES = 12


def percent_text(p: Proportion) -> str:
    """The percentage as printed: a whole number unless that would read outside the word's band.

    Rounding 14.6% to "15%" beside "a few" (below 15%), or 90.5% to "90%" beside "almost all"
    (above 90%), would contradict the word; so the fewest decimal places whose rounding still
    lies in the word's band are printed ("14.6%", "90.5%"). Without a band (a proportion built
    by hand), a rounded 0% or 100% that is not exactly so gets one decimal.
    """
    if p.n == 0:
        return ""
    exact = Fraction(100 * p.k, p.n)
    if p.band is None:
        whole = _round(exact, "1")
        if (whole == 0 and p.k > 0) or (whole == 100 and p.k < p.n):
            return f"{_round(exact, '0.1')}%"
        return f"{whole}%"
    for places in range(_MAX_PLACES + 1):
        shown = _round(exact, _PLACES[places])
        if p.band.contains(Fraction(shown)):
            return f"{shown}%"
    return f"{_round(exact, _PLACES[-1]).normalize()}%"  # not reached for a well-formed band


_PLACES = ["1", *("0." + "0" * (d - 1) + "1" for d in range(1, _MAX_PLACES + 1))]


def quantity(p: Proportion, subject: str) -> str:
    """The quantifier with its noun, e.g. "most records" or "the majority of the records"."""
    if p.n == 0:
        return f"no applicable {subject}"
    if p.phrase.casefold() in _BEFORE_NOUN:
        return f"{p.phrase} {subject}"
    return f"{p.phrase} of the {subject}"


def sentence(p: Proportion, subject: str, predicate: str) -> str:
    """E.g. "In most records (47 of 60, 78%) the quality of assessment was good or better"."""
    if p.n == 0:
        return f"There were no applicable {subject} (0 of 0) to show whether {predicate}"
    return f"In {quantity(p, subject)} ({p.k} of {p.n}, {percent_text(p)}) {predicate}"
