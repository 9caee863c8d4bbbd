import math
import re
import secrets

import pytest

from casereader.bundle import words
from casereader.errors import CaseReaderError


def test_word_list_is_large_distinct_and_short():
    listed = words.word_list()
    assert len(listed) >= 2048
    assert len(set(listed)) == len(listed)
    assert all(re.fullmatch(r"[a-z]{3,7}", w) for w in listed)


def test_word_list_leaves_out_words_unfit_to_read_aloud():
    listed = set(words.word_list())
    for unfit in ("abuse", "custody", "foster", "poison", "handgun", "google", "zombie"):
        assert unfit not in listed


def test_default_passphrase_has_at_least_100_bits():
    phrase = words.one_off_passphrase()
    parts = phrase.split("-")
    assert all(p in words.word_list() for p in parts)
    assert words.entropy_bits(len(parts)) >= 100
    # One word fewer would not be enough: the passphrase is no longer than it must be.
    assert words.entropy_bits(len(parts) - 1) < 100


@pytest.mark.parametrize("bits", [1, 12, 64, 100, 128, 256])
def test_passphrase_length_follows_the_bits_asked(bits):
    count = len(words.one_off_passphrase(bits).split("-"))
    assert count == math.ceil(bits / math.log2(len(words.word_list())))
    assert words.entropy_bits(count) >= bits


def test_passphrases_are_drawn_with_secrets(monkeypatch):
    listed = words.word_list()
    picks = iter([listed[0], listed[1]] * 20)
    monkeypatch.setattr(secrets, "choice", lambda seq: next(picks))
    assert words.one_off_passphrase(24) == f"{listed[0]}-{listed[1]}"


def test_passphrases_differ():
    assert len({words.one_off_passphrase() for _ in range(50)}) == 50


def test_entropy_bits_of_words():
    assert words.entropy_bits(0) == 0
    assert words.entropy_bits(9) == pytest.approx(9 * math.log2(len(words.word_list())))
    with pytest.raises(ValueError):
        words.entropy_bits(-1)


def test_bits_below_one_are_refused():
    with pytest.raises(ValueError):
        words.one_off_passphrase(0)


def test_normalise_what_a_reader_typed():
    assert words.normalise_passphrase("  Acorn tulip\tBISCUIT ") == "acorn-tulip-biscuit"
    assert words.normalise_passphrase("acorn--tulip, biscuit") == "acorn-tulip-biscuit"


def test_a_damaged_word_list_is_reported(tmp_path, monkeypatch):
    short = tmp_path / "wordlist.txt"
    short.write_text("# comment\nacorn\ntulip\n", encoding="utf-8")
    monkeypatch.setattr(words, "resource", lambda *parts: short)
    words.word_list.cache_clear()
    try:
        with pytest.raises(CaseReaderError, match="damaged"):
            words.word_list()
        short.unlink()
        with pytest.raises(CaseReaderError, match="cannot be read"):
            words.word_list()
    finally:
        words.word_list.cache_clear()
