"""The passphrase strength rule for stores and the lead inspector's key."""

import pytest

from casereader.bundle import words
from casereader.domain.passphrase_strength import MIN_LENGTH, passphrase_problem


@pytest.mark.parametrize(
    "weak", ["password", "x", "Password123!", "qwertyuiop", "aaaaaaaaaaaa", "12345678901"]
)
def test_weak_passphrases_are_refused_with_a_reason(weak):
    problem = passphrase_problem(weak, "store passphrase")
    assert problem and "random words" in problem and "\n" not in problem


def test_a_short_one_is_refused_for_its_length():
    assert f"at least {MIN_LENGTH} characters" in passphrase_problem("Zq8#kL2!")


@pytest.mark.parametrize("bits", [44, 72, 100])
def test_four_or_more_random_words_always_pass(bits):
    for _ in range(20):
        assert passphrase_problem(words.one_off_passphrase(bits)) == ""
