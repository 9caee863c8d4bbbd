"""The record-reading template (SPEC §2): pydantic models loaded from the TOML files in forms/.

A template file is data a coordinator may edit by hand, so every problem is reported with the
file, the TOML line (syntax errors) or the key path (``stages[3].items[1].kind``) and what to do.
The loader sets ``sha256`` (of the exact file bytes) and ``source_text``; a file may not set them.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from casereader import paths
from casereader.errors import TemplateError

ITEM_KINDS = ("grade", "yes_no", "choice", "multi_choice", "date", "number", "text")
GRADE_VALUES = ("1", "2", "3", "4", "5", "6", "na", "unable")
YES_NO_VALUES = ("yes", "no", "na", "unable")

_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
_OPTION_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_TEMPLATE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-]*$")
_INDICATOR = re.compile(r"^[0-9]+\.[0-9]+$")
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_LOADER_KEYS = ("sha256", "source_text")


class _Frozen(BaseModel):
    # strict: a hand-edited `required = "yes"` or `grade = "4"` is a mistake to report, not coerce
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


def _nonblank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


class ScalePoint(_Frozen):
    grade: int
    label: str
    descriptor: str
    colour: str

    _label = field_validator("label", "descriptor")(_nonblank)

    @field_validator("colour")
    @classmethod
    def _hex_colour(cls, value: str) -> str:
        if not _COLOUR.match(value):
            raise ValueError(f'colour {value!r} should be a hex colour like "#4a9a3f"')
        return value


class Scale(_Frozen):
    points: list[ScalePoint]
    not_applicable: str
    unable: str

    _labels = field_validator("not_applicable", "unable")(_nonblank)

    @model_validator(mode="after")
    def _grades_one_to_six(self) -> Scale:
        grades = sorted(p.grade for p in self.points)
        if grades != [1, 2, 3, 4, 5, 6]:
            raise ValueError(
                f"the scale must have exactly one point for each grade 1 to 6, found {grades}"
            )
        return self

    def point(self, grade: int) -> ScalePoint:
        """The scale point for a grade 1–6."""
        for p in self.points:
            if p.grade == grade:
                return p
        raise TemplateError(f"there is no grade {grade!r} on the scale (grades are 1 to 6)")


class QuantifierBand(_Frozen):
    """A word used for a proportion of records whose percentage lies between lower and upper."""

    word: str
    lower: int | float
    upper: int | float
    lower_inclusive: bool
    upper_inclusive: bool

    _word = field_validator("word")(_nonblank)

    @model_validator(mode="after")
    def _sensible_bounds(self) -> QuantifierBand:
        if not (0 <= self.lower <= 100 and 0 <= self.upper <= 100):
            raise ValueError(f"'{self.word}': lower and upper are percentages from 0 to 100")
        empty = self.lower > self.upper or (
            self.lower == self.upper and not (self.lower_inclusive and self.upper_inclusive)
        )
        if empty:
            raise ValueError(f"'{self.word}': no percentage lies between its lower and upper")
        return self

    def contains(self, percent: Fraction) -> bool:
        """Whether an exact percentage (0–100) falls in this band."""
        low, high = _exact(self.lower), _exact(self.upper)
        above = percent > low or (self.lower_inclusive and percent == low)
        below = percent < high or (self.upper_inclusive and percent == high)
        return above and below

    def describe(self) -> str:
        """The band in words, e.g. '75% ≤ p ≤ 90%'."""
        low = "≤" if self.lower_inclusive else "<"
        high = "≤" if self.upper_inclusive else "<"
        return f"{_num(self.lower)}% {low} p {high} {_num(self.upper)}%"


def _exact(number: int | float) -> Fraction:
    # via str so that a bound of 33.3 means 33.3, not its binary approximation
    return Fraction(str(number))


def _num(number: int | float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


class Option(_Frozen):
    id: str
    label: str

    _label = field_validator("label")(_nonblank)

    @field_validator("id")
    @classmethod
    def _option_id(cls, value: str) -> str:
        if not _OPTION_ID.match(value):
            raise ValueError(
                f"option id {value!r} should be lower case letters, digits and _ (e.g. social_work)"
            )
        return value


class Item(_Frozen):
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

    _label = field_validator("label")(_nonblank)

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
        if not _SNAKE.match(value):
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
            _no_duplicates([o.id for o in self.options], "option id")
            _no_duplicates([o.label.casefold() for o in self.options], "option label")
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
        _no_duplicates(self.note_required_for, "note_required_for value")
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


def _no_duplicates(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what} {value!r}")
        seen.add(value)


class Stage(_Frozen):
    id: str
    title: str
    guidance: str
    indicators: list[str] = []
    items: list[Item]

    _title = field_validator("title")(_nonblank)

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
        if not _SNAKE.match(value):
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
        _no_duplicates([i.id for i in self.items], f"item id in stage '{self.id}':")
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


class Template(_Frozen):
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

    _title = field_validator("title", "programme")(_nonblank)

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
        _check_partition(bands)
        return bands

    @model_validator(mode="after")
    def _unique_stages(self) -> Template:
        if not self.stages:
            raise ValueError("a template needs at least one [[stages]]")
        _no_duplicates([s.id for s in self.stages], "stage id")
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


def _check_partition(bands: list[QuantifierBand]) -> None:
    """Bands must cover every percentage 0–100 exactly once, so k=0 and k=n have a word too."""
    if not bands:
        raise ValueError("at least one [[quantifiers]] band is needed")
    ordered = sorted(bands, key=lambda b: (_exact(b.lower), not b.lower_inclusive))
    first = ordered[0]
    if not (first.lower == 0 and first.lower_inclusive):
        raise ValueError(
            f"no band covers 0% (k = 0); the lowest is '{first.word}' {first.describe()}"
        )
    for before, after in zip(ordered, ordered[1:], strict=False):
        end, start = _exact(before.upper), _exact(after.lower)
        touching = end == start and before.upper_inclusive != after.lower_inclusive
        if touching:
            continue
        if end > start or (end == start and before.upper_inclusive):
            raise ValueError(
                f"bands '{before.word}' ({before.describe()}) and '{after.word}' "
                f"({after.describe()}) overlap"
            )
        raise ValueError(
            f"gap between bands '{before.word}' ({before.describe()}) and '{after.word}' "
            f"({after.describe()}): some percentages have no word"
        )
    last = ordered[-1]
    if not (last.upper == 100 and last.upper_inclusive):
        raise ValueError(
            f"no band covers 100% (k = n); the highest is '{last.word}' {last.describe()}"
        )


# --- loading -------------------------------------------------------------------------------

_NESTED: dict[tuple[type[BaseModel], str], type[BaseModel]] = {
    (Template, "scale"): Scale,
    (Template, "quantifiers"): QuantifierBand,
    (Template, "stages"): Stage,
    (Scale, "points"): ScalePoint,
    (Stage, "items"): Item,
    (Item, "options"): Option,
}

_TYPE_WORDS = {
    "string_type": "should be text in quotes",
    "bool_type": "should be true or false",
    "int_type": "should be a whole number",
    "float_type": "should be a number",
    "list_type": "should be a list [ ... ]",
    "model_type": "should be a table",
    "dict_type": "should be a table",
    "literal_error": None,
}


def _key_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in ("int", "float") or str(part).startswith(("function-", "literal[")):
            continue  # pydantic's name for a union member, not a key
        else:
            path += f".{part}" if path else str(part)
    return path


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel]:
    model: type[BaseModel] = Template
    for part in loc:
        if isinstance(part, str):
            model = _NESTED.get((model, part), model)
    return model


def _allowed_keys(model: type[BaseModel]) -> list[str]:
    hidden = {"key", *_LOADER_KEYS}
    return [name for name in model.model_fields if name not in hidden]


def _describe_error(error: Any) -> str:
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "missing":
        problem = "missing key (add it)"
    elif kind == "extra_forbidden":
        allowed = ", ".join(_allowed_keys(_model_at(loc[:-1])))
        problem = f"unknown key (check the spelling; allowed here: {allowed})"
    elif kind in ("int_type", "float_type") and {"int", "float"} & set(loc):
        problem = f"should be a number, not {error.get('input')!r}"
    elif _TYPE_WORDS.get(kind):
        problem = f"{_TYPE_WORDS[kind]}, not {error.get('input')!r}"
    else:
        problem = str(error["msg"]).removeprefix("Value error, ")
    path = _key_path(loc)
    return f"{path}: {problem}" if path else problem


def _where(data: Any, loc: tuple[Any, ...]) -> str:
    """Stage and item ids for a key path, so a coordinator finds the place without counting."""
    names = []
    node = data
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(part, int) and isinstance(node, dict) and isinstance(node.get("id"), str):
            names.append(node["id"])
    return f" [in {' / '.join(names)}]" if names else ""


def parse_template(text: str, source: str = "<text>") -> Template:
    """A template from TOML text; source names the file in error messages."""
    try:
        data = tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"{source}: TOML syntax error: {exc}") from None
    for key in _LOADER_KEYS:
        if key in data:
            raise TemplateError(f"{source}: {key}: set by casereader when loading; remove it")
    try:
        return Template.model_validate(
            {
                **data,
                "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                "source_text": text,
            }
        )
    except ValidationError as exc:
        errors = exc.errors()
        # dict.fromkeys: a union field reports once per member; say it once
        lines = list(
            dict.fromkeys(_describe_error(e) + _where(data, tuple(e["loc"])) for e in errors)
        )
        more = f" (and {len(lines) - 5} more)" if len(lines) > 5 else ""
        lines = lines[:5]
        raise TemplateError(f"{source}: " + "; ".join(lines) + more) from None


def load_template(path: Path) -> Template:
    """A template from a TOML file; sha256 is of the exact file bytes."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TemplateError(f"{path}: cannot read the template file ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TemplateError(
            f"{path}: not UTF-8 text (byte {exc.start}); save the file as UTF-8"
        ) from None
    return parse_template(text, source=str(path))


def available_templates(folder: Path | None = None) -> list[Template]:
    """Every template in the forms folder, by id then version; a malformed file is an error."""
    folder = Path(folder) if folder is not None else paths.forms_dir()
    if not folder.is_dir():
        raise TemplateError(f"{folder}: the templates folder does not exist")
    templates = [load_template(p) for p in sorted(folder.glob("*.toml"))]
    seen: dict[tuple[str, str], Template] = {}
    for t in templates:
        if (t.id, t.version) in seen:
            raise TemplateError(
                f"{folder}: two files hold template {t.id} version {t.version}; "
                "give one a new version or remove it"
            )
        seen[(t.id, t.version)] = t
    return sorted(templates, key=lambda t: (t.id, _version_key(t.version)))


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"[.\-]", version))


def find_template(
    template_id: str, folder: Path | None = None, version: str | None = None
) -> Template:
    """The template with this id (the newest version unless one is asked for)."""
    templates = available_templates(folder)
    matches = [t for t in templates if t.id == template_id]
    if version is not None:
        matches = [t for t in matches if t.version == version]
    if not matches:
        known = ", ".join(f"{t.id} {t.version}" for t in templates) or "none"
        wanted = template_id + (f" version {version}" if version else "")
        raise TemplateError(f"no template {wanted} in the forms folder (available: {known})")
    return matches[-1]


def template_structure(t: Template) -> dict:
    """A JSON-able outline of the template (for the CLI, bundles and tests)."""
    return {
        "id": t.id,
        "version": t.version,
        "title": t.title,
        "programme": t.programme,
        "provisional": t.provisional,
        "sha256": t.sha256,
        "scale": {
            "points": [p.model_dump() for p in sorted(t.scale.points, key=lambda p: p.grade)],
            "not_applicable": t.scale.not_applicable,
            "unable": t.scale.unable,
        },
        "quantifiers": [b.model_dump() for b in t.quantifiers],
        "stages": [
            {
                "id": s.id,
                "title": s.title,
                "indicators": list(s.indicators),
                "items": [_item_structure(i) for i in s.items],
            }
            for s in t.stages
        ],
    }


def _item_structure(item: Item) -> dict:
    out: dict[str, Any] = {
        "id": item.id,
        "key": item.key,
        "kind": item.kind,
        "label": item.label,
        "options": [o.model_dump() for o in item.options],
        "required": item.required,
        "note_required_for": list(item.note_required_for),
    }
    if item.kind == "number":
        out.update(min=item.min, max=item.max, integer=item.integer)
    if item.kind == "date":
        out["precision"] = item.precision
    return out


__all__ = [
    "ITEM_KINDS",
    "Item",
    "Option",
    "QuantifierBand",
    "Scale",
    "ScalePoint",
    "Stage",
    "Template",
    "available_templates",
    "find_template",
    "load_template",
    "parse_template",
    "template_structure",
]
