"""The analysis arithmetic: which value counts, proportions at every quantifier band edge,
agreement over every pair of readers (checked against scikit-learn and by hand)."""

import json
import math
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casereader.domain.agreement import NO_PAIRS, ONE_GRADE_ONLY
from casereader.domain.analysis import (
    counted_value,
    grade_summary,
    pair_agreement,
    proportion_json,
    reader_pairs,
    yes_summary,
)
from casereader.domain.quantifiers import NO_RECORDS, proportion
from casereader.domain.template import find_template

BANDS = find_template("cso-at-home-2025").quantifiers


# which value counts ---------------------------------------------------------------------------


def test_a_moderated_value_overrides_the_readers():
    assert counted_value({"R1": "4", "R2": "2"}, "3").value == "3"
    assert counted_value({"R1": "4", "R2": "4"}, "5").value == "5"


def test_equal_values_count_without_a_moderator():
    result = counted_value({"R1": "4", "R2": "4", "R3": "4"}, None)
    assert (result.value, result.unresolved) == ("4", False)


def test_differing_values_without_moderation_are_unresolved():
    result = counted_value({"R1": "4", "R2": "2"}, None)
    assert (result.value, result.unresolved) == (None, True)


def test_a_reader_who_has_not_answered_yet_does_not_block_the_others():
    assert counted_value({"R1": "4", "R2": None}, None).value == "4"
    assert counted_value({"R1": None}, None) == counted_value({}, None)
    assert counted_value({}, None).value is None and not counted_value({}, None).unresolved


# proportions and quantifier band edges -----------------------------------------------------


@pytest.mark.parametrize(
    ("k", "n", "percent", "word"),
    [
        (0, 20, 0.0, "none"),  # k = 0
        (1, 20, 5.0, "a few"),
        (149, 1000, 14.9, "a few"),  # just under 15 %
        (3, 20, 15.0, "less than half"),  # at 15 %
        (499, 1000, 49.9, "less than half"),  # just under 50 %
        (1, 2, 50.0, "the majority"),  # at 50 %
        (749, 1000, 74.9, "the majority"),  # just under 75 %
        (3, 4, 75.0, "most"),  # at 75 %
        (9, 10, 90.0, "most"),  # at 90 %: most, not almost all
        (901, 1000, 90.1, "almost all"),  # just over 90 %
        (999, 1000, 99.9, "almost all"),
        (7, 7, 100.0, "all"),  # k = n
    ],
)
def test_every_band_edge(k, n, percent, word):
    p = proportion(k, n, BANDS)
    assert (p.percent, p.phrase) == (percent, word)
    assert proportion_json(p) == {"k": k, "n": n, "percent": percent, "phrase": word}


def test_no_applicable_records_has_no_word_and_a_null_percent():
    p = proportion(0, 0, BANDS)
    assert proportion_json(p) == {"k": 0, "n": 0, "percent": None, "phrase": NO_RECORDS}


def test_a_percentage_just_under_a_band_edge_keeps_its_band_even_when_it_rounds_up():
    # 1499 of 10000 = 14.99 % prints as 15.0 % but is still "a few"
    p = proportion(1499, 10000, BANDS)
    assert (p.percent, p.phrase) == (15.0, "a few")


def test_grade_summary_counts_and_thresholds():
    values = ["6", "5", "4", "4", "3", "2", "1", "na", "unable", "unable"]
    s = grade_summary(values, BANDS)
    assert s.counts == {"6": 1, "5": 1, "4": 2, "3": 1, "2": 1, "1": 1, "na": 1, "unable": 2}
    assert s.n == 7  # N/A and unable are left out of the denominator
    assert (s.good_or_better.k, s.good_or_better.percent) == (4, 57.1)
    assert (s.adequate_or_better.k, s.adequate_or_better.phrase) == (5, "the majority")
    assert (s.weak_or_unsatisfactory.k, s.weak_or_unsatisfactory.phrase) == (2, "less than half")


def test_grade_summary_of_nothing():
    s = grade_summary(["na"], BANDS)
    assert s.n == 0 and s.good_or_better.percent is None and s.counts["na"] == 1


def test_yes_summary_leaves_na_and_unable_out():
    s = yes_summary(["yes", "yes", "no", "na", "unable"], BANDS)
    assert (s.n, s.yes.k, s.yes.percent, s.yes.phrase) == (3, 2, 66.7, "the majority")


# agreement ------------------------------------------------------------------------------------


def test_three_readers_give_every_pair():
    assert reader_pairs({"R3": "4", "R1": "5", "R2": "3"}) == [("5", "3"), ("5", "4"), ("3", "4")]
    assert reader_pairs({"R1": "5", "R2": None}) == []


def test_pairs_with_na_or_unable_are_counted_apart():
    result = pair_agreement([("4", "4"), ("na", "4"), ("3", "unable"), ("2", "3")])
    assert (result.pairs, result.excluded_pairs) == (2, 2)
    assert (result.exact_percent, result.within_one_percent) == (50.0, 100.0)


def test_hand_worked_kappa():
    # A = 1,2,3; B = 2,1,3. Observed squared distances 1,1,0 (sum 2); expected, over the 9
    # combinations of the margins (each grade once), sum of squared distances 12, /3 = 4.
    # kappa = 1 - 2/4 = 0.5
    result = pair_agreement([("1", "2"), ("2", "1"), ("3", "3")])
    assert (result.pairs, result.exact_percent, result.within_one_percent) == (3, 33.3, 100.0)
    assert result.kappa_quadratic == 0.5 and result.kappa_note is None


def test_every_pair_identical_over_several_grades_is_kappa_one():
    result = pair_agreement([("2", "2"), ("5", "5"), ("4", "4")])
    assert (result.exact_percent, result.kappa_quadratic, result.kappa_note) == (100.0, 1.0, None)


def test_one_category_only_gives_null_kappa_with_the_reason():
    result = pair_agreement([("4", "4")] * 5)
    assert result.kappa_quadratic is None and result.kappa_note == ONE_GRADE_ONLY
    assert result.exact_percent == 100.0


def test_no_pairs_gives_nulls_with_the_reason_and_no_nan_in_json():
    for pairs in ([], [("na", "na"), ("unable", "4")]):
        result = pair_agreement(pairs)
        assert result.pairs == 0 and result.kappa_note == NO_PAIRS
        assert result.exact_percent is None and result.kappa_quadratic is None
        json.dumps(result.to_json(), allow_nan=False)


def test_kappa_matches_scikit_learn_on_a_fixed_example():
    metrics = pytest.importorskip("sklearn.metrics")
    a = [4, 4, 3, 5, 2, 6, 1, 3, 4, 5]
    b = [4, 5, 4, 5, 4, 5, 2, 3, 3, 5]
    expected = metrics.cohen_kappa_score(a, b, weights="quadratic", labels=[1, 2, 3, 4, 5, 6])
    result = pair_agreement([(str(x), str(y)) for x, y in zip(a, b, strict=True)])
    assert abs(result.kappa_quadratic - expected) <= 0.0005


grade = st.sampled_from(["1", "2", "3", "4", "5", "6"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(grade, grade), min_size=1, max_size=40))
def test_kappa_matches_scikit_learn(pairs):
    metrics = pytest.importorskip("sklearn.metrics")
    a = [int(x) for x, _ in pairs]
    b = [int(y) for _, y in pairs]
    result = pair_agreement(pairs)
    if len(set(a) | set(b)) == 1:
        assert result.kappa_quadratic is None and result.kappa_note == ONE_GRADE_ONLY
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn's own warnings are not ours to judge
        expected = metrics.cohen_kappa_score(a, b, weights="quadratic", labels=[1, 2, 3, 4, 5, 6])
    assert not math.isnan(expected)
    assert abs(result.kappa_quadratic - expected) <= 0.0005 + 1e-9
