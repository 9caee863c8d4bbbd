"""Counts in words: one helper, so every message says "1 document" and "2 documents"."""


def plural(count: int, one: str, many: str = "") -> str:
    """`1 case`, `2 cases`, `0 cases`; `many` when the plural is not `one` + s."""
    return f"{count} {one if count == 1 else many or one + 's'}"


def noun(count: int, one: str, many: str = "") -> str:
    """The noun alone, singular or plural by COUNT (for "3 of 5 documents" forms)."""
    return one if count == 1 else many or one + "s"
