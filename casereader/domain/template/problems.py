"""Pydantic's validation errors in a coordinator's words: the key path, the stage, what to do."""

from typing import Any

from pydantic import BaseModel

from casereader.domain.template.items import Item, Option
from casereader.domain.template.model import Stage, Template
from casereader.domain.template.scale import QuantifierBand, Scale, ScalePoint

# set by the loader, never by the file
LOADER_KEYS = ("sha256", "source_text")

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
    hidden = {"key", *LOADER_KEYS}
    return [name for name in model.model_fields if name not in hidden]


def describe_error(error: Any) -> str:
    """One pydantic error as "key.path: problem (what to do)"."""
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


def where(data: Any, loc: tuple[Any, ...]) -> str:
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
