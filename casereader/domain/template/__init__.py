"""The record-reading template (SPEC §2): pydantic models loaded from the TOML files in forms/.

A template file is data a coordinator may edit by hand, so every problem is reported with the
file, the TOML line (syntax errors) or the key path (``stages[3].items[1].kind``) and what to do.
The loader sets ``sha256`` (of the exact file bytes) and ``source_text``; a file may not set them.
"""

from casereader.domain.template.items import (
    GRADE_VALUES,
    ITEM_KINDS,
    YES_NO_VALUES,
    Item,
    Option,
)
from casereader.domain.template.loader import (
    available_templates,
    find_template,
    load_template,
    parse_template,
)
from casereader.domain.template.model import Stage, Template
from casereader.domain.template.scale import QuantifierBand, Scale, ScalePoint
from casereader.domain.template.structure import template_structure

__all__ = [
    "GRADE_VALUES",
    "ITEM_KINDS",
    "YES_NO_VALUES",
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
