"""Template loading: malformed files are refused with the file, key path and problem named."""

import json
from pathlib import Path

import pytest

from casereader.domain.template import (
    ITEM_KINDS,
    Item,
    available_templates,
    find_template,
    load_template,
    parse_template,
    template_structure,
)
from casereader.errors import TemplateError

FORMS = Path(__file__).resolve().parents[2] / "forms"
SCALE = "\n".join(
    f'[[scale.points]]\ngrade = {g}\nlabel = "L{g}"\ndescriptor = "D{g}"\ncolour = "#00000{g}"\n'
    for g in range(1, 7)
)
BANDS = [
    ("all", 100, 100, True, True),
    ("almost all", 90, 100, False, False),
    ("most", 75, 90, True, True),
    ("the majority", 50, 75, True, False),
    ("less than half", 15, 50, True, False),
    ("a few", 0, 15, False, False),
    ("none", 0, 0, True, True),
]


def bands_toml(bands=BANDS) -> str:
    return "\n".join(
        f'[[quantifiers]]\nword = "{w}"\nlower = {lo}\nupper = {hi}\n'
        f"lower_inclusive = {str(li).lower()}\nupper_inclusive = {str(hi_inc).lower()}\n"
        for w, lo, hi, li, hi_inc in bands
    )


STAGES = """
[[stages]]
id = "case_details"
title = "Case details"
guidance = "Record the facts."

[[stages.items]]
id = "age_band"
kind = "choice"
label = "Age band"
options = [{ id = "age_0_4", label = "0–4" }, { id = "age_5_11", label = "5–11" }]

[[stages.items]]
id = "months"
kind = "number"
label = "Months"
min = 0
max = 216

[[stages]]
id = "assessment"
title = "Assessment"
guidance = "Look for a current assessment."
indicators = ["5.3"]

[[stages.items]]
id = "present"
kind = "yes_no"
label = "Assessment present"

[[stages.items]]
id = "grade"
kind = "grade"
label = "Quality of assessment"
note_required_for = ["1", "2", "3"]
"""


def minimal(stages: str = STAGES, bands: str | None = None, scale: str = SCALE) -> str:
    return (
        'id = "test-form"\nversion = "2025.1"\ntitle = "Test form"\nprogramme = "Test"\n'
        'provisional = true\n\n[scale]\nnot_applicable = "Not applicable"\n'
        f'unable = "Unable to evaluate"\n\n{scale}\n{bands if bands is not None else bands_toml()}'
        f"\n{stages}"
    )


def rejected(text: str) -> str:
    with pytest.raises(TemplateError) as caught:
        parse_template(text, source="forms/x.toml")
    message = str(caught.value)
    assert message.startswith("forms/x.toml: ")
    return message


def test_minimal_template_loads():
    t = parse_template(minimal())
    assert t.item_keys() == [
        "case_details.age_band",
        "case_details.months",
        "assessment.present",
        "assessment.grade",
    ]
    assert t.graded_keys() == ["assessment.grade"]
    assert t.item("assessment.present").required is True  # yes_no defaults to required
    assert t.item("case_details.months").required is False
    assert [(s.id, i.id) for s, i in t.items()][0] == ("case_details", "age_band")
    assert t.stages[1].grade_item.key == "assessment.grade"
    assert t.stages[0].grade_item is None


def test_unknown_item_key_is_a_template_error():
    t = parse_template(minimal())
    with pytest.raises(TemplateError, match="no item 'assessment.nope'"):
        t.item("assessment.nope")


def test_template_is_frozen():
    t = parse_template(minimal())
    with pytest.raises(Exception, match="frozen"):
        t.id = "other"


def swap(old: str, new: str, text: str | None = None) -> str:
    text = minimal() if text is None else text
    assert old in text, old
    return text.replace(old, new, 1)


MALFORMED = [
    # (what is wrong, broken text, text expected in the message)
    (
        "unknown kind",
        swap('kind = "grade"', 'kind = "grades"'),
        "stages[1].items[1].kind: unknown item kind 'grades' (expected one of grade, yes_no",
    ),
    ("missing title", swap('title = "Test form"\n', ""), "title: missing key"),
    ("missing stage guidance", swap('guidance = "Record the facts."\n', ""), "stages[0].guidance"),
    (
        "misspelt item key",
        swap('label = "Assessment present"', 'label = "Assessment present"\nrequird = true'),
        "stages[1].items[0].requird: unknown key",
    ),
    (
        "unknown top-level key",
        swap("provisional = true", 'provisional = true\nauthor = "x"'),
        "author: unknown key",
    ),
    (
        "duplicate stage ids",
        swap('id = "assessment"', 'id = "case_details"'),
        "duplicate stage id 'case_details'",
    ),
    ("duplicate item ids", swap('id = "present"', 'id = "grade"'), "stages[1]: duplicate item id"),
    (
        "choice without options",
        swap(
            'options = [{ id = "age_0_4", label = "0–4" }, { id = "age_5_11", label = "5–11" }]', ""
        ),
        "stages[0].items[0]: a choice item needs options",
    ),
    (
        "duplicate option ids",
        swap('{ id = "age_5_11", label = "5–11" }', '{ id = "age_0_4", label = "5–11" }'),
        "stages[0].items[0]: duplicate option id 'age_0_4'",
    ),
    (
        "options on a yes_no item",
        swap(
            'label = "Assessment present"',
            'label = "Assessment present"\noptions = [{ id = "a", label = "A" }]',
        ),
        "options are only for choice and multi_choice",
    ),
    ("scale without grade 6", swap("grade = 6", "grade = 7"), "scale: the scale must have exactly"),
    ("scale with grade 0", swap("grade = 1", "grade = 0"), "found [0, 2, 3, 4, 5, 6]"),
    ("scale with grade 5 twice", swap("grade = 6", "grade = 5"), "found [1, 2, 3, 4, 5, 5]"),
    (
        "scale missing a point",
        minimal(scale=SCALE.split("[[scale.points]]\ngrade = 6")[0]),
        "scale: the scale must have exactly one point for each grade",
    ),
    ("bad colour", swap('colour = "#000001"', 'colour = "green"'), "scale.points[0].colour"),
    (
        "bands overlap",
        minimal(bands=bands_toml([*BANDS[:2], ("most", 75, 91, True, True), *BANDS[3:]])),
        "quantifiers: bands 'most' (75% ≤ p ≤ 91%) and 'almost all'",
    ),
    (
        "bands leave a gap",
        minimal(bands=bands_toml([*BANDS[:3], ("the majority", 51, 75, True, False), *BANDS[4:]])),
        "quantifiers: gap between bands 'less than half'",
    ),
    (
        "90% in two bands",
        minimal(bands=bands_toml([BANDS[0], ("almost all", 90, 100, True, False), *BANDS[2:]])),
        "overlap",
    ),
    ("no band for k = 0", minimal(bands=bands_toml(BANDS[:-1])), "no band covers 0% (k = 0)"),
    ("no band for k = n", minimal(bands=bands_toml(BANDS[1:])), "no band covers 100% (k = n)"),
    ("no bands at all", minimal(bands=""), "quantifiers: missing key"),
    (
        "band beyond 100%",
        minimal(bands=bands_toml([("all", 100, 110, True, True), *BANDS[1:]])),
        "percentages from 0 to 100",
    ),
    (
        "grade note value not a grade",
        swap('note_required_for = ["1", "2", "3"]', 'note_required_for = ["1", "2", "0"]'),
        "stages[1].items[1]: note_required_for: '0' is not an answer of a grade item",
    ),
    (
        "note value on a number item",
        swap("max = 216", 'max = 216\nnote_required_for = ["0"]'),
        "not an answer of a number item",
    ),
    (
        "note value not an option",
        swap('label = "Age band"', 'label = "Age band"\nnote_required_for = ["age_16_17"]'),
        "'age_16_17' is not an answer of a choice item (allowed: age_0_4, age_5_11)",
    ),
    (
        "two grade items in a stage",
        swap('id = "present"\nkind = "yes_no"', 'id = "present"\nkind = "grade"'),
        "stages[1]: stage 'assessment' has 2 grade items",
    ),
    (
        "required as text",
        swap('label = "Months"', 'label = "Months"\nrequired = "yes"'),
        "stages[0].items[1].required: should be true or false",
    ),
    ("min as text", swap("min = 0", 'min = "0"'), "stages[0].items[1].min: should be a number"),
    ("min above max", swap("min = 0", "min = 300"), "min (300) is greater than max (216)"),
    (
        "precision on a number",
        swap("max = 216", 'max = 216\nprecision = "month"'),
        "precision is only for date items",
    ),
    (
        "bad precision",
        swap(
            'kind = "number"\nlabel = "Months"\nmin = 0\nmax = 216',
            'kind = "date"\nlabel = "Start"\nprecision = "year"',
        ),
        "stages[0].items[1].precision",
    ),
    (
        "stage id not snake_case",
        swap('id = "assessment"', 'id = "Assessment"'),
        "stages[1].id: stage id 'Assessment' should be snake_case",
    ),
    (
        "indicator not a number",
        swap('indicators = ["5.3"]', 'indicators = ["QI 5.3"]'),
        "stages[1].indicators",
    ),
    (
        "stage without items",
        minimal(stages='[[stages]]\nid = "a"\ntitle = "A"\nguidance = "G"\n'),
        "stages[0].items: missing key",
    ),
    ("no stages", minimal(stages=""), "stages: missing key"),
    (
        "loader key in file",
        swap("provisional = true", 'provisional = true\nsha256 = "ab"'),
        "sha256: set by casereader when loading",
    ),
    (
        "item sets its key",
        swap('label = "Months"', 'label = "Months"\nkey = "x.y"'),
        "items may not set 'key'",
    ),
    ("empty label", swap('label = "Months"', 'label = "  "'), "stages[0].items[1].label: must not"),
    ("version not text", swap('version = "2025.1"', "version = 2025.1"), "version: should be text"),
]


@pytest.mark.parametrize(
    ("text", "expected"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_malformed_template_rejected(text, expected):
    assert expected in rejected(text)


def test_toml_syntax_error_names_the_line():
    text = swap('title = "Test form"', 'title = "Test form')
    message = rejected(text)
    assert "TOML syntax error" in message and "line 3" in message


def test_message_names_the_stage_and_item_ids():
    message = rejected(swap('kind = "grade"', 'kind = "grades"'))
    assert "[in assessment / grade]" in message


def test_unknown_key_lists_allowed_keys():
    message = rejected(swap('label = "Months"', 'label = "Months"\nmaximum = 3'))
    assert "allowed here: id, kind, label, help, options, required" in message


def test_item_kinds_are_the_published_list():
    assert ITEM_KINDS == ("grade", "yes_no", "choice", "multi_choice", "date", "number", "text")


def test_item_defaults():
    item = Item(id="start", kind="date", label="Start")
    assert (item.required, item.precision, item.key) == (False, "day", "start")
    assert Item(id="g", kind="grade", label="G").required is True


def test_load_template_names_the_file(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text(swap('kind = "grade"', 'kind = "grades"'), encoding="utf-8")
    with pytest.raises(TemplateError, match=r"broken\.toml: stages\[1\]\.items\[1\]\.kind"):
        load_template(path)


def test_load_template_refuses_non_utf8(tmp_path):
    path = tmp_path / "latin.toml"
    path.write_bytes(minimal().replace("–", "-").encode("utf-8") + b"# caf\xe9\n")
    with pytest.raises(TemplateError, match="not UTF-8"):
        load_template(path)


def test_load_template_missing_file(tmp_path):
    with pytest.raises(TemplateError, match="cannot read"):
        load_template(tmp_path / "nope.toml")


def test_bom_is_tolerated_and_hashed_as_is(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + minimal().encode("utf-8"))
    t = load_template(path)
    assert t.source_text.startswith("\ufeff")
    assert t.sha256 == parse_template(t.source_text).sha256


def test_available_and_find_pick_newest_version(tmp_path):
    (tmp_path / "a1.toml").write_text(minimal(), encoding="utf-8")
    (tmp_path / "a2.toml").write_text(swap('"2025.1"', '"2025.10"'), encoding="utf-8")
    (tmp_path / "a3.toml").write_text(swap('"2025.1"', '"2025.2"'), encoding="utf-8")
    versions = [t.version for t in available_templates(tmp_path)]
    assert versions == ["2025.1", "2025.2", "2025.10"]
    assert find_template("test-form", tmp_path).version == "2025.10"
    assert find_template("test-form", tmp_path, version="2025.2").version == "2025.2"


def test_find_template_lists_the_ids_it_has(tmp_path):
    (tmp_path / "a.toml").write_text(minimal(), encoding="utf-8")
    with pytest.raises(TemplateError, match=r"no template nope .*available: test-form 2025\.1"):
        find_template("nope", tmp_path)


def test_default_folder_is_forms_dir(tmp_path, monkeypatch):
    (tmp_path / "a.toml").write_text(minimal(), encoding="utf-8")
    monkeypatch.setenv("CASEREADER_FORMS", str(tmp_path))
    assert [t.id for t in available_templates()] == ["test-form"]


def test_same_id_and_version_twice_is_refused(tmp_path):
    (tmp_path / "a.toml").write_text(minimal(), encoding="utf-8")
    (tmp_path / "b.toml").write_text(minimal() + "\n# copy\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="two files hold template test-form version 2025.1"):
        available_templates(tmp_path)


def test_a_malformed_file_in_the_folder_is_reported(tmp_path):
    (tmp_path / "good.toml").write_text(minimal(), encoding="utf-8")
    (tmp_path / "bad.toml").write_text("id = ", encoding="utf-8")
    with pytest.raises(TemplateError, match="bad.toml: TOML syntax error"):
        available_templates(tmp_path)


def test_missing_folder(tmp_path):
    with pytest.raises(TemplateError, match="does not exist"):
        available_templates(tmp_path / "none")


def test_template_structure_is_json():
    t = load_template(FORMS / "cso-at-home-2025.toml")
    structure = json.loads(json.dumps(template_structure(t)))
    assert structure["id"] == "cso-at-home-2025"
    assert structure["sha256"] == t.sha256
    assert [p["grade"] for p in structure["scale"]["points"]] == [1, 2, 3, 4, 5, 6]
    item = structure["stages"][1]["items"][0]
    assert set(item) >= {"id", "key", "kind", "label", "options", "required", "note_required_for"}
    assert item["key"] == "initial_response.concerns_shared"
    assert "source_text" not in structure
