"""Quantifier bands at their exact boundaries (DOMAIN.md §3), from the shipped template."""

import random
from pathlib import Path

import pytest

from casereader.domain.quantifiers import percent_text, proportion, quantity, sentence
from casereader.domain.template import QuantifierBand, load_template

FORMS = Path(__file__).resolve().parents[2] / "forms"
BANDS = load_template(FORMS / "cso-at-home-2025.toml").quantifiers

# A template may list its bands in any order: the shipped order (highest first, first match
# wins) would hide a band edge treated as inclusive when it is not, so every edge is also
# checked with the bands lowest first and in shuffled orders.
BAND_ORDERS = {
    "shipped": BANDS,
    "reversed": BANDS[::-1],
    **{f"shuffled-{seed}": random.Random(seed).sample(BANDS, len(BANDS)) for seed in range(4)},
}


@pytest.mark.parametrize(
    ("k", "n", "word"),
    [
        (10, 10, "all"),
        (1, 1, "all"),
        (59, 60, "almost all"),
        (91, 100, "almost all"),
        (9, 10, "most"),  # exactly 90% is "most", not "almost all"
        (90, 100, "most"),
        (3, 4, "most"),  # exactly 75%
        (74, 100, "the majority"),
        (1, 2, "the majority"),  # exactly 50%
        (49, 100, "less than half"),
        (3, 20, "less than half"),  # exactly 15%: float 3/20*100 is 15.000000000000002
        (14, 100, "a few"),
        (1, 60, "a few"),
        (0, 60, "none"),
        (0, 1, "none"),
    ],
)
@pytest.mark.parametrize("order", BAND_ORDERS)
def test_band_boundaries(k, n, word, order):
    assert proportion(k, n, BAND_ORDERS[order]).phrase == word


def test_the_band_orders_checked_really_differ():
    orders = {tuple(b.word for b in bands) for bands in BAND_ORDERS.values()}
    assert len(orders) == len(BAND_ORDERS)
    assert BAND_ORDERS["reversed"][0].word == "none"


def test_percent_rounded_to_one_place_half_up():
    assert proportion(47, 60, BANDS).percent == 78.3
    assert proportion(1, 8, BANDS).percent == 12.5
    assert proportion(1, 16, BANDS).percent == 6.3  # 6.25 rounds up
    assert proportion(0, 5, BANDS).percent == 0.0
    assert proportion(5, 5, BANDS).percent == 100.0


def test_no_records():
    p = proportion(0, 0, BANDS)
    assert (p.percent, p.phrase) == (None, "no applicable records")
    assert sentence(p, "records", "the chronology was up to date") == (
        "There were no applicable records (0 of 0) to show whether the chronology was up to date"
    )


@pytest.mark.parametrize(("k", "n"), [(-1, 5), (6, 5), (1, 0), (True, 2)])
def test_impossible_counts(k, n):
    with pytest.raises(ValueError, match="0 <= k <= n"):
        proportion(k, n, BANDS)


def test_bands_with_a_gap_are_reported():
    only_all = [
        QuantifierBand(word="all", lower=100, upper=100, lower_inclusive=True, upper_inclusive=True)
    ]
    with pytest.raises(ValueError, match="no quantifier band covers 50.0%"):
        proportion(1, 2, only_all)


def test_sentence_as_in_reports():
    p = proportion(47, 60, BANDS)
    assert sentence(p, "records", "the quality of assessment was good or better") == (
        "In most records (47 of 60, 78%) the quality of assessment was good or better"
    )


@pytest.mark.parametrize(
    ("k", "n", "words"),
    [
        (60, 60, "all records"),
        (30, 60, "the majority of the records"),
        (20, 60, "less than half of the records"),
        (0, 60, "none of the records"),
        (2, 60, "a few records"),
    ],
)
def test_quantity_reads_as_english(k, n, words):
    assert quantity(proportion(k, n, BANDS), "records") == words


@pytest.mark.parametrize(
    ("k", "n", "text"),
    [
        (47, 60, "78%"),
        (1, 8, "13%"),
        (199, 200, "99.5%"),
        (1, 300, "0.3%"),
        (0, 5, "0%"),
        (5, 5, "100%"),
    ],
)
def test_printed_percent_never_claims_0_or_100_falsely(k, n, text):
    assert percent_text(proportion(k, n, BANDS)) == text
