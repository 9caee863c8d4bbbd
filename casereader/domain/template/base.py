"""What every template model shares: frozen, strict, no unknown keys, and the small checks."""

import re

from pydantic import BaseModel, ConfigDict

SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


class Frozen(BaseModel):
    # strict: a hand-edited `required = "yes"` or `grade = "4"` is a mistake to report, not coerce
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


def nonblank(value: str) -> str:
    """The value, unless it is empty or only spaces (then a ValueError pydantic reports)."""
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def no_duplicates(values: list[str], what: str) -> None:
    """Refuse a list that holds a value twice, naming the value."""
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what} {value!r}")
        seen.add(value)
