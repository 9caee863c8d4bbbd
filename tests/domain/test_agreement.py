import random
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casereader.domain.agreement import NO_PAIRS, ONE_GRADE_ONLY, Agreement, agreement
from casereader.errors import AnswerRejected


def kappa_by_matrix(pairs, categories=(1, 2, 3, 4, 5, 6)):
    """The textbook formula with proportions and normalised weights, in floats."""
    k = len(categories)
    index = {grade: i for i, grade in enumerate(categories)}
    n = len(pairs)
    observed = [[0.0] * k for _ in range(k)]
    for a, b in pairs:
        observed[index[a]][index[b]] += 1 / n
    rows = [sum(observed[i][j] for j in range(k)) for i in range(k)]
    columns = [sum(observed[i][j] for i in range(k)) for j in range(k)]
    weights = [[(i - j) ** 2 / (k - 1) ** 2 for j in range(k)] for i in range(k)]
    disagreement = sum(weights[i][j] * observed[i][j] for i in range(k) for j in range(k))
    chance = sum(weights[i][j] * rows[i] * columns[j] for i in range(k) for j in range(k))
    return None if chance == 0 else 1 - disagreement / chance


def kappa_by_moments(pairs):
    """Quadratic kappa equals 2·cov / (var_a + var_b + (mean_a − mean_b)²) on an even scale."""
    n = len(pairs)
    mean_a = Fraction(sum(a for a, _ in pairs), n)
    mean_b = Fraction(sum(b for _, b in pairs), n)
    var_a = sum((a - mean_a) ** 2 for a, _ in pairs) / n
    var_b = sum((b - mean_b) ** 2 for _, b in pairs) / n
    cov = sum((a - mean_a) * (b - mean_b) for a, b in pairs) / n
    denominator = var_a + var_b + (mean_a - mean_b) ** 2
    return None if denominator == 0 else 2 * cov / denominator


def test_no_pairs_gives_no_figures():
    assert agreement([]) == Agreement(0, None, None, None, NO_PAIRS)
    assert agreement(iter(())) == Agreement(0, None, None, None, NO_PAIRS)


def test_hand_computed_three_pairs():
    # Reader A 1,2,3; reader B 2,1,3. Squared distances 1,1,0 → observed 2 over 3 pairs.
    # Both readers used 1, 2 and 3 once each, so chance pairs every grade with every grade:
    # distances² summed over the 3×3 grid = 4·1 + 2·4 = 12, over 3·3 = 9 chance pairs.
    # kappa = 1 − (2/3) / (12/9) = 1 − 1/2 = 0.5.
    result = agreement([(1, 2), (2, 1), (3, 3)])
    assert result == Agreement(
        pairs=3, exact_percent=33.3, within_one_percent=100.0, kappa_quadratic=0.5
    )


def test_hand_computed_five_pairs_on_the_six_point_scale():
    # A = 4,4,3,5,2 (mean 3.6, variance 1.04); B = 4,5,4,5,4 (mean 4.4, variance 0.24).
    # Observed mean squared difference (0+1+1+0+4)/5 = 1.2; by chance 1.04+0.24+0.8² = 1.92.
    # kappa = 1 − 1.2/1.92 = 0.375.
    result = agreement([(4, 4), (4, 5), (3, 4), (5, 5), (2, 4)])
    assert result == Agreement(5, 40.0, 80.0, 0.375)


def test_published_example_cohen_two_categories():
    # The yes/no example in Wikipedia's "Cohen's kappa": 20 both yes, 5 A-yes B-no,
    # 10 A-no B-yes, 15 both no → p_o 0.7, p_e 0.5, kappa 0.4. With two categories the
    # quadratic weights are 0 and 1, so weighted kappa equals Cohen's kappa.
    pairs = [(1, 1)] * 20 + [(1, 2)] * 5 + [(2, 1)] * 10 + [(2, 2)] * 15
    assert agreement(pairs, categories=(1, 2)) == Agreement(50, 70.0, 100.0, 0.4)


@pytest.mark.parametrize(
    "reader_b, kappa",
    [
        # Maple EssayTools QuadraticWeightedKappa documentation: 0.758620689655172 and
        # 0.438095238095238 for these scores against 9,7,8,7,6,8,3,5,10.
        ([8, 8, 6, 6, 7, 6, 1, 4, 8], 0.759),
        ([3, 5, 6, 6, 7, 6, 1, 4, 8], 0.438),
    ],
)
def test_published_example_quadratic_weighted_kappa(reader_b, kappa):
    reader_a = [9, 7, 8, 7, 6, 8, 3, 5, 10]
    pairs = list(zip(reader_a, reader_b, strict=True))
    assert agreement(pairs, categories=range(1, 11)).kappa_quadratic == kappa
    # Grades nobody used do not change the kappa.
    assert agreement(pairs, categories=range(0, 15)).kappa_quadratic == kappa


def test_both_readers_always_giving_the_same_single_grade_leaves_kappa_undefined():
    # Kappa is 0/0 here: null with the reason; the exact agreement says what was observed.
    assert agreement([(4, 4)] * 3) == Agreement(3, 100.0, 100.0, None, ONE_GRADE_ONLY)
    assert agreement([(1, 1)]) == Agreement(1, 100.0, 100.0, None, ONE_GRADE_ONLY)


def test_one_reader_never_varying_gives_kappa_zero():
    # Reader A always said 4: nothing beyond chance can be shown, whatever reader B did.
    assert agreement([(4, 4)] * 3 + [(4, 5)]) == Agreement(4, 75.0, 100.0, 0.0)


def test_perfect_agreement_over_several_grades():
    assert agreement([(1, 1), (6, 6), (3, 3)]) == Agreement(3, 100.0, 100.0, 1.0)


def test_complete_reversal_gives_minus_one():
    assert agreement([(1, 6), (6, 1)]) == Agreement(2, 0.0, 0.0, -1.0)


def test_percentages_round_half_up():
    # 1 of 16 is 6.25%: shown as 6.3, the way a coordinator would round it by hand.
    result = agreement([(1, 1)] + [(1, 3)] * 15)
    assert result.exact_percent == 6.3
    assert result.within_one_percent == 6.3
    assert agreement([(2, 2), (2, 2), (5, 1)]).exact_percent == 66.7


def test_within_one_counts_neighbouring_grades_only():
    result = agreement([(3, 4), (4, 3), (3, 5), (6, 6)])
    assert (result.exact_percent, result.within_one_percent) == (25.0, 75.0)


def test_within_one_means_neighbours_on_the_scale_given():
    assert agreement([(2, 4)], categories=(2, 4, 6)).within_one_percent == 100.0
    assert agreement([(2, 6)], categories=(2, 4, 6)).within_one_percent == 0.0


def test_figures_are_plain_numbers():
    result = agreement([(1, 2), (3, 3)])
    assert type(result.pairs) is int
    assert all(
        type(x) is float
        for x in (result.exact_percent, result.within_one_percent, result.kappa_quadratic)
    )


grades = st.integers(1, 6)
pair_lists = st.lists(st.tuples(grades, grades), min_size=1, max_size=60)


@given(pair_lists)
def test_kappa_matches_the_textbook_matrix_formula(pairs):
    expected = kappa_by_matrix(pairs)
    result = agreement(pairs).kappa_quadratic
    if expected is None:
        assert result is None
    else:
        assert abs(result - expected) <= 0.0005 + 1e-9


@given(pair_lists)
def test_kappa_matches_the_moments_formula(pairs):
    expected = kappa_by_moments(pairs)
    result = agreement(pairs).kappa_quadratic
    if expected is None:
        assert result is None
    else:
        assert abs(result - float(expected)) <= 0.0005 + 1e-9


@given(pair_lists)
def test_percentages_match_a_direct_count(pairs):
    n = len(pairs)
    result = agreement(pairs)
    assert result.pairs == n
    exact = 100 * sum(a == b for a, b in pairs) / n
    within = 100 * sum(abs(a - b) <= 1 for a, b in pairs) / n
    assert abs(result.exact_percent - exact) <= 0.05 + 1e-9
    assert abs(result.within_one_percent - within) <= 0.05 + 1e-9
    assert result.exact_percent <= result.within_one_percent


@given(pair_lists, st.randoms(use_true_random=False))
def test_order_of_pairs_and_of_readers_does_not_matter(pairs, rng: random.Random):
    shuffled = pairs[:]
    rng.shuffle(shuffled)
    swapped = [(b, a) for a, b in pairs]
    assert agreement(shuffled) == agreement(pairs)
    assert agreement(swapped) == agreement(pairs)


@given(pair_lists)
def test_kappa_stays_within_its_bounds(pairs):
    result = agreement(pairs)
    if len({grade for pair in pairs for grade in pair}) == 1:
        assert result.kappa_quadratic is None and result.kappa_note == ONE_GRADE_ONLY
    else:
        assert -1.0 <= result.kappa_quadratic <= 1.0 and result.kappa_note is None


@pytest.mark.parametrize(
    "pair",
    [(7, 3), (3, 0), (0, 0), ("4", 4), (4, None), (4.0, 4), (True, 1), ("na", 3), (3, "unable")],
)
def test_a_grade_off_the_scale_is_refused(pair):
    with pytest.raises(AnswerRejected, match="not on the scale"):
        agreement([(3, 3), pair])


@pytest.mark.parametrize("pair", [(3,), (3, 3, 3), 3, None, "33x"])
def test_something_other_than_a_pair_is_refused(pair):
    with pytest.raises(AnswerRejected, match="pair of grades"):
        agreement([(3, 3), pair])


def test_a_two_character_string_is_refused_as_grades_not_taken_as_a_pair():
    with pytest.raises(AnswerRejected, match="not on the scale"):
        agreement(["33"])


@pytest.mark.parametrize("categories", [(), (1,), (1, 1, 2), ("a", "b"), (1.0, 2.0), (True, 2)])
def test_a_scale_that_is_not_a_scale_is_refused(categories):
    with pytest.raises(ValueError, match="scale"):
        agreement([], categories=categories)
