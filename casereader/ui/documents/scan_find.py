"""Find-in-document on a scan: the query's words matched against the recognised words, each
hit the boxes (fractions of the page) of the words it covers."""

import re

Box = tuple[float, float, float, float]
_WORD = re.compile(r"\w+")


def _norm(word: str) -> str:
    return "".join(_WORD.findall(word.casefold()))


def find_boxes(words: list[tuple], query: str) -> list[list[Box]]:
    """Every run of consecutive recognised words matching the query's words in order (each
    query word contained in its recognised word, ignoring case and punctuation)."""
    tokens = [_norm(t) for t in _WORD.findall(query)]
    tokens = [t for t in tokens if t]
    if not tokens:
        return []
    normed = [_norm(w[0]) for w in words]
    hits = []
    for start in range(len(words) - len(tokens) + 1):
        if all(tok in normed[start + i] for i, tok in enumerate(tokens)):
            hits.append([tuple(w[1:5]) for w in words[start : start + len(tokens)]])
    return hits
