"""The unable answer has one label, the template scale's `unable`, wherever it is shown."""

import re
from pathlib import Path

import pytest

from casereader.domain.template import Item, available_templates, find_template
from casereader.domain.values import NA, UNABLE, display_value
from casereader.keymap import KEYS
from casereader.ui.grading.editors import yes_no_editor
from casereader.ui.grading.grade import GradeEditor, keys_hint

PACKAGE = Path(__file__).resolve().parents[2] / "casereader"
YES_NO = Item.model_validate({"id": "seen", "kind": "yes_no", "label": "Child seen"})
GRADE = Item.model_validate({"id": "quality", "kind": "grade", "label": "Quality"})


@pytest.mark.parametrize("template", available_templates(), ids=lambda t: t.sha256[:8])
def test_display_uses_the_scale_words_for_every_kind(template):
    scale = template.scale
    for item in (YES_NO, GRADE):
        assert display_value(item, UNABLE, scale) == scale.unable
        assert display_value(item, NA, scale) == scale.not_applicable


def test_a_scale_with_other_words_is_followed_everywhere(qtbot):
    scale = find_template("cso-at-home-2025").scale.model_copy(
        update={"unable": "Cannot tell from the record"}
    )
    assert display_value(YES_NO, UNABLE, scale) == "Cannot tell from the record"
    row = yes_no_editor(YES_NO, scale)
    qtbot.addWidget(row)
    assert row.buttons[UNABLE].text() == "Cannot tell from the record"
    grade = GradeEditor(GRADE, scale)
    qtbot.addWidget(grade)
    assert grade.grade.buttons[UNABLE].text() == "Cannot tell from the record"
    assert "cannot tell from the record" in keys_hint(scale)
    assert "cannot tell from the record" in grade.descriptor_for(None)


def test_no_other_spelling_of_the_unable_label():
    """The screens, reports and commands show the scale's label, never a second wording."""
    scale = find_template("cso-at-home-2025").scale
    other = re.compile(r"unable to (determine|assess|say|tell|judge)", re.IGNORECASE)
    found = []
    for folder in ("ui", "reports", "cli"):
        for path in (PACKAGE / folder).rglob("*.py"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if other.search(line):
                    found.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    keys = [k.what for k in KEYS if other.search(k.what)]
    assert found == [] and keys == []
    assert any(scale.unable.lower() in k.what for k in KEYS)
