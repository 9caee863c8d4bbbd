"""Completeness: required answers and required evidence notes, per stage and per case."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casereader.domain.completeness import (
    Missing,
    case_progress,
    describe_missing,
    missing_for_completion,
    stage_progress,
)
from casereader.domain.template import load_template, parse_template

FORMS = Path(__file__).resolve().parents[2] / "forms"


@pytest.fixture(scope="module")
def cso():
    return load_template(FORMS / "cso-at-home-2025.toml")


ANSWERS_FOR_KIND = {
    "grade": "4",
    "yes_no": "no",
    "date": "2024-03",
    "number": "12",
    "text": "Clear plan.",
}


def full_answers(t):
    """Every item answered with a value needing no note."""
    answers = {}
    for _, item in t.items():
        if item.kind in ("choice", "multi_choice"):
            option = next(o.id for o in item.options if o.id not in item.note_required_for)
            answers[item.key] = (option, "")
        else:
            answers[item.key] = (ANSWERS_FOR_KIND[item.kind], "")
    return answers


def test_fully_answered_case_is_complete(cso):
    answers = full_answers(cso)
    assert missing_for_completion(cso, answers) == []
    done, total = case_progress(cso, answers)
    assert done == total > 0
    assert all(d == t for d, t in stage_progress(cso, answers).values())


def test_empty_case_lists_every_required_item(cso):
    missing = missing_for_completion(cso, {})
    required = [i.key for _, i in cso.items() if i.required]
    assert [m.item_key for m in missing] == required
    assert {m.what for m in missing} == {"answer"}
    assert case_progress(cso, {}) == (0, len(required))


def test_optional_item_is_not_missing():
    t = load_template(FORMS / "cso-at-home-2025.toml")
    optional = [i.key for _, i in t.items() if not i.required]
    answers = {k: v for k, v in full_answers(t).items() if k not in optional}
    assert missing_for_completion(t, answers) == []


def test_low_grade_needs_a_note(cso):
    answers = full_answers(cso) | {"assessment.grade": ("2", "")}
    assert missing_for_completion(cso, answers) == [
        Missing(
            "assessment.grade",
            "Assessment",
            "Quality of assessment of risks and needs",
            "evidence note",
            "grade",
        )
    ]
    assert stage_progress(cso, answers)["assessment"] == (5, 6)
    answers["assessment.grade"] = ("2", "   ")
    assert len(missing_for_completion(cso, answers)) == 1
    answers["assessment.grade"] = ("2", "No analysis of cumulative harm (SW assessment p4).")
    assert missing_for_completion(cso, answers) == []


def test_good_grade_and_na_need_no_note(cso):
    for value in ("4", "6", "na", "unable"):
        answers = full_answers(cso) | {"assessment.grade": (value, "")}
        assert missing_for_completion(cso, answers) == [], value


def test_good_practice_yes_needs_a_note(cso):
    answers = full_answers(cso) | {"overall.good_practice": ("yes", "")}
    missing = missing_for_completion(cso, answers)
    assert [(m.item_key, m.what) for m in missing] == [("overall.good_practice", "evidence note")]


def test_empty_string_counts_as_unanswered(cso):
    answers = full_answers(cso) | {"chronology.grade": ("", "a note")}
    missing = missing_for_completion(cso, answers)
    assert [(m.item_key, m.what) for m in missing] == [("chronology.grade", "answer")]


def test_required_item_needing_a_note_loses_its_tick_until_the_note_is_written(cso):
    key = "case_details.legal_status"
    assert cso.item(key).required and cso.item(key).note_required_for == ["other"]
    base = full_answers(cso)
    before = stage_progress(cso, base)["case_details"]
    answers = base | {key: ("other", "")}
    assert stage_progress(cso, answers)["case_details"] == (before[0] - 1, before[1])
    assert [m.what for m in missing_for_completion(cso, answers)] == ["evidence note"]


def _with_optional_noted_item() -> object:
    """The CSO template with its legal status made optional (it still wants a note for 'other')."""
    text = (FORMS / "cso-at-home-2025.toml").read_text(encoding="utf-8")
    at = text.index('id = "legal_status"')
    required = text.index("required = true\n", at)
    text = text[:required] + "required = false\n" + text[required + len("required = true\n") :]
    return parse_template(text, "optional-noted.toml")


OPTIONAL_NOTED = _with_optional_noted_item()


def test_optional_item_needing_a_note_counts_once_answered():
    t = OPTIONAL_NOTED
    key = "case_details.legal_status"
    assert not t.item(key).required and t.item(key).note_required_for == ["other"]
    base = {k: v for k, v in full_answers(t).items() if k != key}
    done, total = stage_progress(t, base)["case_details"]
    assert done == total  # unanswered and optional: neither missing nor counted
    assert missing_for_completion(t, base) == []
    answers = base | {key: ("other", "")}
    assert stage_progress(t, answers)["case_details"] == (done, total + 1)
    assert [(m.item_key, m.what) for m in missing_for_completion(t, answers)] == [
        (key, "evidence note")
    ]
    answers[key] = ("other", "Permanence order with authority to adopt (SCRA letter p2).")
    assert stage_progress(t, answers)["case_details"] == (done + 1, total + 1)
    assert missing_for_completion(t, answers) == []
    answers[key] = ("cso_home", "")  # an answer needing no note: counted no more
    assert stage_progress(t, answers)["case_details"] == (done, total)


def _values(item) -> list[str]:
    if item.kind == "grade":
        return ["1", "2", "3", "4", "5", "6", "na", "unable"]
    if item.kind == "yes_no":
        return ["yes", "no", "na", "unable"]
    if item.kind == "choice":
        return [o.id for o in item.options]
    if item.kind == "multi_choice":
        ids = [o.id for o in item.options]
        return ids + [";".join(ids[:2]), ";".join(ids[-2:])]
    return [ANSWERS_FOR_KIND[item.kind]]


@st.composite
def answer_sets(draw, t):
    answers = {}
    for _, item in t.items():
        if draw(st.booleans()):
            value = draw(st.sampled_from(["", *_values(item)]))
            note = draw(st.sampled_from(["", "  ", "Seen in the SW chronology, p3."]))
            answers[item.key] = (value, note)
    return answers


@pytest.mark.parametrize("t", [OPTIONAL_NOTED, "shipped"], ids=["optional-noted", "shipped"])
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_a_stage_is_done_exactly_when_nothing_in_it_is_missing(t, data, cso):
    t = cso if t == "shipped" else t
    answers = data.draw(answer_sets(t))
    missing = missing_for_completion(t, answers)
    progress = stage_progress(t, answers)
    for stage in t.stages:
        done, total = progress[stage.id]
        gaps = [m for m in missing if m.stage_title == stage.title]
        assert (done == total) == (not gaps), (stage.id, done, total, gaps)
        assert total - done == len(gaps)
    assert case_progress(t, answers) == (
        sum(d for d, _ in progress.values()),
        sum(n for _, n in progress.values()),
    )


def test_keys_not_in_the_template_are_ignored(cso):
    answers = full_answers(cso) | {"nowhere.grade": ("1", "")}
    assert missing_for_completion(cso, answers) == []


def test_stage_progress_is_in_template_order(cso):
    assert list(stage_progress(cso, {})) == [s.id for s in cso.stages]


def test_describe_missing(cso):
    answers = full_answers(cso)
    del answers["assessment.grade"]
    answers["overall.good_practice"] = ("yes", "")
    text = describe_missing(missing_for_completion(cso, answers))
    assert text.splitlines() == [
        "Assessment: “Quality of assessment of risks and needs” — grade not given",
        "Overall: “Good-practice example” — evidence note not written",
    ]
    assert describe_missing([]) == "Nothing is missing."
