"""Running headers and footers: lines repeated at the top or bottom of most pages of a document.

A search hit only in such a line ("Health visitor notes Page 3 of 4" on every page) says less
than a hit in the body, so the store indexes each page's body apart and ranks body hits first.
"""

import re
from collections import Counter

EDGE_LINES = 2  # lines looked at, at the top and at the bottom of a page
MIN_PAGES = 2  # a single page cannot be told to repeat anything

_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


def line_key(line: str) -> str:
    """A line as compared across pages: numbers (page, date) and spacing do not count."""
    return _SPACE.sub(" ", _DIGITS.sub("#", line)).strip().lower()


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _edges(lines: list[str]) -> set[int]:
    """Positions of a page's top and bottom lines."""
    count = len(lines)
    return set(range(min(EDGE_LINES, count))) | set(range(max(count - EDGE_LINES, 0), count))


def running_keys(pages: list[str]) -> set[str]:
    """Keys of the lines at the top or bottom of more than half of the pages with text (of
    both pages of a two-page document)."""
    texted = [_lines(text) for text in pages if text.strip()]
    if len(texted) < MIN_PAGES:
        return set()
    counts: Counter[str] = Counter()
    for lines in texted:
        counts.update({line_key(lines[n]) for n in _edges(lines)})
    need = len(texted) // 2 + 1
    return {key for key, n in counts.items() if n >= need and key}


def page_bodies(pages: list[str]) -> list[str | None]:
    """Each page's text without its running header and footer lines; None where it has none."""
    keys = running_keys(pages)
    bodies: list[str | None] = []
    for text in pages:
        lines = _lines(text)
        edges = _edges(lines)
        kept = [
            line for n, line in enumerate(lines) if n not in edges or line_key(line) not in keys
        ]
        bodies.append("\n".join(kept) if keys and len(kept) < len(lines) else None)
    return bodies
