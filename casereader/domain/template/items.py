"""A template item (one question of a stage) and its options; the item kinds and their answers."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import field_validator, model_validator

from casereader.domain.template.base import SNAKE, Frozen, no_duplicates, nonblank

ITEM_KINDS = ("grade", "yes_no", "choice", "multi_choice", "date", "number", "text")
GRADE_VALUES = ("1", "2", "3", "4", "5", "6", "na", "unable")
YES_NO_VALUES = ("yes", "no", "na", "unable")

_OPTION_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")


class Option(Frozen):
    id: str
    label: str

    _label = field_validator("label")(nonblank)

    @field_validator("id")
    @classmethod
    def _option_id(cls, value: str) -> str:
        if not _OPTION_ID.match(value):
            raise ValueError(
                f"option id {value!r} should be lower case letters, digits and _ (e.g. social_work)"
            )
        return value


class Item(Frozen):
    id: str
    key: str = ""  # "stage_id.item_id", set by the loader
    kind: str
    label: str
    help: str = ""
    options: list[Option] = []
    required: bool
    note_required_for: list[str] = []
    min: int | float | None = None
    max: int | float | None = None
    integer: bool = False  # number items: whole numbers only
    precision: Literal["month", "day"] | None = None  # date items; "day" when not given

    _label = field_validator("label")(nonblank)

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            kind = data.get("kind")
            if "required" not in data:
                data["required"] = kind in ("grade", "yes_no")
            if kind == "date" and data.get("precision") is None:
                data["precision"] = "day"
            if not data.get("key") and isinstance(data.get("id"), str):
                data["key"] = data["id"]
        return data

    @field_validator("id")
    @classmethod
    def _item_id(cls, value: str) -> str:
        if not SNAKE.match(value):
            raise ValueError(f"item id {value!r} should be snake_case, e.g. child_seen")
        return value

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in ITEM_KINDS:
            raise ValueError(
                f"unknown item kind {value!r} (expected one of {', '.join(ITEM_KINDS)})"
            )
        return value

    @model_validator(mode="after")
    def _fits_kind(self) -> Item:
        kind = self.kind
        if kind in ("choice", "multi_choice"):
            if not self.options:
                raise ValueError(f"a {kind} item needs options = [{{id = ..., label = ...}}, ...]")
            no_duplicates([o.id for o in self.options], "option id")
            no_duplicates([o.label.casefold() for o in self.options], "option label")
        elif self.options:
            raise ValueError(f"options are only for choice and multi_choice items, not {kind}")
        if kind != "number" and (self.min is not None or self.max is not None or self.integer):
            raise ValueError(f"min, max and integer are only for number items, not {kind}")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        if kind != "date" and self.precision is not None:
            raise ValueError(f"precision is only for date items, not {kind}")
        valid = self.answer_values()
        for value in self.note_required_for:
            if value not in valid:
                allowed = ", ".join(valid) if valid else "none: leave note_required_for out"
                raise ValueError(
                    f"note_required_for: {value!r} is not an answer of a {kind} item "
                    f"(allowed: {allowed})"
                )
        no_duplicates(self.note_required_for, "note_required_for value")
        return self

    def answer_values(self) -> tuple[str, ...]:
        """The stored answer values this item can have, when they are a fixed list."""
        if self.kind == "grade":
            return GRADE_VALUES
        if self.kind == "yes_no":
            return YES_NO_VALUES
        if self.kind in ("choice", "multi_choice"):
            return tuple(o.id for o in self.options)
        return ()

    def option(self, option_id: str) -> Option | None:
        """The option with this id, or None."""
        return next((o for o in self.options if o.id == option_id), None)
