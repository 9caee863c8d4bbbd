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


def _edges(raw: list[str]) -> list[int]:
    """Positions (in RAW, the page's lines) of the top and bottom EDGE_LINES non-blank lines.

    Only the edges are looked at, from both ends: most of a page's lines are never touched.
    """
    top: list[int] = []
    for n, line in enumerate(raw):
        if line.strip():
            top.append(n)
            if len(top) == EDGE_LINES:
                break
    bottom: list[int] = []
    for n in range(len(raw) - 1, (top[-1] if top else -1), -1):
        if raw[n].strip():
            bottom.append(n)
            if len(bottom) == EDGE_LINES:
                break
    if len(bottom) < EDGE_LINES:  # a short page: its bottom lines are among its top ones
        bottom += top[::-1][: EDGE_LINES - len(bottom)]
    return top + bottom


def _edge_keys(raw: list[str]) -> dict[int, str]:
    return {n: line_key(raw[n]) for n in _edges(raw)}


def running_keys(pages: list[str]) -> set[str]:
    """Keys of the lines at the top or bottom of more than half of the pages with text (of
    both pages of a two-page document)."""
    return _running_keys([_edge_keys(text.splitlines()) for text in pages if text.strip()])


def _running_keys(edge_keys: list[dict[int, str]]) -> set[str]:
    if len(edge_keys) < MIN_PAGES:
        return set()
    counts: Counter[str] = Counter()
    for keys in edge_keys:
        counts.update(set(keys.values()))
    need = len(edge_keys) // 2 + 1
    return {key for key, n in counts.items() if n >= need and key}


def page_bodies(pages: list[str]) -> list[str | None]:
    """Each page's text without its running header and footer lines; None where it has none."""
    raws = [text.splitlines() for text in pages]
    edges = [_edge_keys(raw) for raw in raws]
    keys = _running_keys([e for e, text in zip(edges, pages, strict=True) if text.strip()])
    if not keys:
        return [None] * len(pages)
    bodies: list[str | None] = []
    for raw, edge in zip(raws, edges, strict=True):
        running = {n for n, key in edge.items() if key in keys}
        if not running:
            bodies.append(None)
            continue
        kept: list[str] = []
        start = 0
        for n in sorted(running):
            kept += raw[start:n]
            start = n + 1
        bodies.append("\n".join(kept + raw[start:]))
    return bodies
