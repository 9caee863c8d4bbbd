"""One-off passphrases for reading packs: random common words, easy to read aloud.

The coordinator reads the passphrase to a reader over the phone or writes it on paper, so it is
made of short everyday words (resources/wordlist.txt) joined by hyphens. Strength comes only from
the number of words drawn with `secrets`: each word adds log2(len(list)) bits.
"""

import math
import re
import secrets
from functools import cache

from casereader.errors import CaseReaderError
from casereader.paths import resource

MIN_WORDS_IN_LIST = 2048
SEPARATOR = "-"
_WORD = re.compile(r"^[a-z]{3,7}$")


@cache
def word_list() -> tuple[str, ...]:
    """The shipped word list, checked once: distinct lowercase words of 3 to 7 letters."""
    path = resource("wordlist.txt")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CaseReaderError(
            f"the passphrase word list {path} cannot be read ({exc}); reinstall casereader"
        ) from exc
    words = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    bad = [w for w in words if not _WORD.match(w)]
    if bad or len(set(words)) != len(words) or len(words) < MIN_WORDS_IN_LIST:
        raise CaseReaderError(
            f"the passphrase word list {path} is damaged (needs at least {MIN_WORDS_IN_LIST} "
            "distinct words of 3 to 7 lowercase letters); reinstall casereader"
        )
    return tuple(words)


def entropy_bits(passphrase_word_count: int) -> float:
    """Bits of strength of a passphrase of this many words drawn at random from the list."""
    if passphrase_word_count < 0:
        raise ValueError("a passphrase cannot have a negative number of words")
    return passphrase_word_count * math.log2(len(word_list()))


def words_needed(bits: int) -> int:
    """The fewest words whose random choice gives at least `bits` bits of strength."""
    if bits < 1:
        raise ValueError("a passphrase needs at least 1 bit of strength")
    count = math.ceil(bits / math.log2(len(word_list())))
    # Guard the float rounding at exact multiples.
    while entropy_bits(count) < bits:
        count += 1
    return count


def one_off_passphrase(bits: int = 100) -> str:
    """A fresh random passphrase of at least `bits` bits, e.g. "acorn-tulip-…" (9 words for 100)."""
    words = word_list()
    return SEPARATOR.join(secrets.choice(words) for _ in range(words_needed(bits)))


def normalise_passphrase(typed: str) -> str:
    """The passphrase as generated, from what a reader typed (any case, spaces or hyphens)."""
    return SEPARATOR.join(re.findall(r"[a-z]+", typed.lower()))
