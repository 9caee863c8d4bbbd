"""A JSON-able outline of a template, for the CLI, bundles and tests."""

from typing import Any

from casereader.domain.template.items import Item
from casereader.domain.template.model import Template


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
