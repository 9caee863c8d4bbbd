"""Quantifier bands at their exact boundaries (DOMAIN.md §3), from the shipped template."""

import random
from fractions import Fraction
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


# --- the printed percentage never contradicts the word ----------------------------------------

MAX_N = 200


def _reads_inside(k: int, n: int, bands) -> tuple[bool, str, str]:
    p = proportion(k, n, bands)
    text = percent_text(p)
    shown = Fraction(text.removesuffix("%"))
    band = next(b for b in bands if b.word == p.phrase)
    return band.contains(shown), p.phrase, text


def every_pair(max_n: int = MAX_N):
    return [(k, n) for n in range(1, max_n + 1) for k in range(0, n + 1)]


def test_every_printed_percentage_reads_inside_its_words_band():
    """Every (k, n) with 0 <= k <= n, 1 <= n <= 200: 20,300 pairs, with the shipped bands in
    their own order and lowest first; a decimal only where a whole number would cross a band
    edge, and then the fewest places that read inside the band."""
    pairs = every_pair()
    assert len(pairs) == 20_300
    decimals, wrong = {}, []
    band_of = {b.word: b for b in BANDS}
    for k, n in pairs:
        p = proportion(k, n, BANDS)
        text, band = percent_text(p), band_of[p.phrase]
        lowest_first = proportion(k, n, BAND_ORDERS["reversed"])
        same = (lowest_first.phrase, percent_text(lowest_first)) == (p.phrase, text)
        if not (band.contains(Fraction(text.removesuffix("%"))) and same):
            wrong.append((k, n, p.phrase, text))
            continue
        exact = Fraction(100 * k, n)
        if band.contains(Fraction(round_half_up(exact))):
            assert text == f"{round_half_up(exact)}%", (k, n, text)  # whole whenever it reads right
            continue
        decimals[(k, n)] = text
        places = len(text.removesuffix("%").split(".")[1])
        assert text == f"{round_places(exact, places)}%", (k, n, text)  # rounded half up
        assert not band.contains(Fraction(round_places(exact, places - 1))), (k, n, text)
    assert wrong == []
    # the three sentences that used to contradict their number
    assert decimals[(9, 62)] == "14.5%"
    assert decimals[(38, 51)] == "74.5%"
    assert decimals[(57, 63)] == "90.5%"
    assert decimals[(16, 107)] == "14.95%"  # "15%" and "15.0%" both read as "less than half"
    # 54 pairs for n <= 100 would have printed a whole number outside the word's band
    assert len([pair for pair in decimals if pair[1] <= 100]) == 54
    assert max(len(text) for text in decimals.values()) <= len("14.95%")


def round_half_up(value: Fraction) -> int:
    return int(value + Fraction(1, 2))  # value >= 0 here


def round_places(value: Fraction, places: int) -> str:
    """value rounded half up to `places` decimals, as text ("14.95"), by integer arithmetic."""
    scaled = round_half_up(value * 10**places)
    if places == 0:
        return str(scaled)
    whole, frac = divmod(scaled, 10**places)
    return f"{whole}.{frac:0{places}d}"


def test_sentences_from_the_reports_now_agree_with_their_word():
    assert sentence(proportion(9, 62, BANDS), "records", "the plan was SMART") == (
        "In a few records (9 of 62, 14.5%) the plan was SMART"
    )
    assert sentence(proportion(57, 63, BANDS), "records", "the child was seen") == (
        "In almost all records (57 of 63, 90.5%) the child was seen"
    )


def test_bands_with_decimal_edges_get_as_many_places_as_they_need():
    """The rule is the template's bands, not the shipped edges: thirds, say, at 33.3 and 66.7."""

    def band(word, lower, upper, lower_inclusive, upper_inclusive):
        return QuantifierBand(word=word, lower=lower, upper=upper,
                              lower_inclusive=lower_inclusive,
                              upper_inclusive=upper_inclusive)  # fmt: skip

    thirds = [
        band("none", 0, 0, True, True),
        band("some", 0, 33.3, False, False),
        band("many", 33.3, 66.7, True, False),
        band("most", 66.7, 100, True, True),
    ]
    assert proportion(1, 3, thirds).phrase == "many"  # 33.33…% is not below 33.3%
    assert percent_text(proportion(1, 3, thirds)) == "33.3%"  # "33%" would read as "some"
    assert proportion(2, 3, thirds).phrase == "many"  # 66.66…% is below 66.7%
    assert percent_text(proportion(2, 3, thirds)) == "66.67%"  # "67%", "66.7%" read as "most"
    checked = 0
    for k, n in every_pair(60):
        inside, word, text = _reads_inside(k, n, thirds)
        assert inside, (k, n, word, text)
        checked += 1
    assert checked == 1_890


def test_a_proportion_built_without_its_band_still_never_claims_0_or_100():
    from casereader.domain.quantifiers import Proportion

    assert percent_text(Proportion(1, 300, 0.3, "a few")) == "0.3%"
    assert percent_text(Proportion(199, 200, 99.5, "almost all")) == "99.5%"
    assert percent_text(Proportion(47, 60, 78.3, "most")) == "78%"
