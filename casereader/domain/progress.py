"""Progress reports yielded by long operations (import, export, packs)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    """`done` of `total` steps; `message` says what is happening now."""

    done: int
    total: int
    message: str = ""

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0
