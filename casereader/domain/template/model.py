"""A template's stages and the template itself, with look-ups of items by key."""

from __future__ import annotations

import re
from typing import Any

from pydantic import field_validator, model_validator

from casereader.domain.template.base import SNAKE, Frozen, no_duplicates, nonblank
from casereader.domain.template.items import Item
from casereader.domain.template.scale import QuantifierBand, Scale, check_partition
from casereader.errors import TemplateError

_TEMPLATE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-]*$")
_INDICATOR = re.compile(r"^[0-9]+\.[0-9]+$")


class Stage(Frozen):
    id: str
    title: str
    guidance: str
    indicators: list[str] = []
    items: list[Item]

    _title = field_validator("title")(nonblank)

    @model_validator(mode="before")
    @classmethod
    def _item_keys(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("items"), list):
            stage_id = data.get("id")
            items = []
            for raw in data["items"]:
                if isinstance(raw, dict):
                    if "key" in raw:
                        raise ValueError("items may not set 'key'; the loader builds it")
                    raw = {**raw, "key": f"{stage_id}.{raw.get('id')}"}
                items.append(raw)
            data = {**data, "items": items}
        return data

    @field_validator("id")
    @classmethod
    def _stage_id(cls, value: str) -> str:
        if not SNAKE.match(value):
            raise ValueError(f"stage id {value!r} should be snake_case, e.g. initial_response")
        return value

    @field_validator("indicators")
    @classmethod
    def _indicator_numbers(cls, value: list[str]) -> list[str]:
        for number in value:
            if not _INDICATOR.match(number):
                raise ValueError(f'quality indicator {number!r} should look like "5.3"')
        return value

    @model_validator(mode="after")
    def _one_grade(self) -> Stage:
        if not self.items:
            raise ValueError(f"stage '{self.id}' has no items")
        no_duplicates([i.id for i in self.items], f"item id in stage '{self.id}':")
        grades = [i.id for i in self.items if i.kind == "grade"]
        if len(grades) > 1:
            raise ValueError(
                f"stage '{self.id}' has {len(grades)} grade items ({', '.join(grades)}); "
                "a stage has at most one"
            )
        return self

    @property
    def grade_item(self) -> Item | None:
        """The stage's six-point grade item, or None for an ungraded stage."""
        return next((i for i in self.items if i.kind == "grade"), None)


class Template(Frozen):
    id: str
    version: str
    title: str
    programme: str
    provisional: bool = False
    scale: Scale
    quantifiers: list[QuantifierBand]
    stages: list[Stage]
    sha256: str
    source_text: str

    _title = field_validator("title", "programme")(nonblank)

    @field_validator("id")
    @classmethod
    def _template_id(cls, value: str) -> str:
        if not _TEMPLATE_ID.match(value):
            raise ValueError(f"template id {value!r} should be like cso-at-home-2025")
        return value

    @field_validator("version")
    @classmethod
    def _version(cls, value: str) -> str:
        if not _VERSION.match(value):
            raise ValueError(f'version {value!r} should be like "2025.1"')
        return value

    @field_validator("quantifiers")
    @classmethod
    def _bands_cover_once(cls, bands: list[QuantifierBand]) -> list[QuantifierBand]:
        check_partition(bands)
        return bands

    @model_validator(mode="after")
    def _unique_stages(self) -> Template:
        if not self.stages:
            raise ValueError("a template needs at least one [[stages]]")
        no_duplicates([s.id for s in self.stages], "stage id")
        return self

    def item(self, key: str) -> Item:
        """The item for a key 'stage_id.item_id'."""
        for stage in self.stages:
            for item in stage.items:
                if item.key == key:
                    return item
        raise TemplateError(
            f"template {self.id} {self.version} has no item {key!r} "
            "(keys are stage_id.item_id, e.g. assessment.grade)"
        )

    def stage_of(self, key: str) -> Stage:
        """The stage holding the item with this key."""
        stage_id = key.split(".", 1)[0]
        for stage in self.stages:
            if stage.id == stage_id:
                self.item(key)
                return stage
        raise TemplateError(f"template {self.id} {self.version} has no stage {stage_id!r}")

    def items(self) -> list[tuple[Stage, Item]]:
        """Every (stage, item) pair in template order."""
        return [(stage, item) for stage in self.stages for item in stage.items]

    def item_keys(self) -> list[str]:
        """Every item key in template order."""
        return [item.key for _, item in self.items()]

    def graded_keys(self) -> list[str]:
        """The keys of the grade items, one per graded stage, in template order."""
        return [item.key for _, item in self.items() if item.kind == "grade"]
