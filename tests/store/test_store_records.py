"""Answers, grades, completion, management-review flags and reserve substitutions in the store.

One store serves the whole module; each test works on its own cases so the order does not matter.
"""

import shutil

import pytest
from helpers_store import PASSPHRASE

from casereader.errors import AnswerRejected, StoreError, TemplateError
from casereader.store import Store, answers, audit, cases, completion, flags


@pytest.fixture(scope="module")
def store(cases_store_file, tmp_path_factory):
    path = tmp_path_factory.mktemp("records") / "inspection.casereader"
    shutil.copy2(cases_store_file, path)
    opened = Store.open(path, PASSPHRASE)
    yield opened
    opened.close()


def row_count(store: Store, table: str) -> int:
    return store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def overview_of(store: Store, case_ref: str):
    return next(c for c in cases.overview(store) if c.case_ref == case_ref)


# answers --------------------------------------------------------------------------------------


def test_an_answer_carries_the_template_id_version_and_hash(store):
    saved = answers.save_answer(store, "SA-001", "initial_response.grade", value="4")
    t = store.template
    assert (saved.template_id, saved.template_version, saved.template_sha256) == (
        t.id,
        t.version,
        t.sha256,
    )
    assert (saved.case_ref, saved.reader_id, saved.value) == ("SA-001", "R1", "4")
    assert saved.updated_at
    row = store.db.execute(
        "SELECT template_id, template_version, template_sha256 FROM answers"
        " WHERE case_ref = 'SA-001' AND item_key = 'initial_response.grade'"
    ).fetchone()
    assert row == (t.id, t.version, t.sha256)


def test_the_readers_grade_and_the_agreed_grade_are_kept_apart(store):
    answers.save_answer(store, "SA-001", "chronology.grade", value="3", note="Patchy.")
    answers.save_answer(store, "SA-001", "chronology.grade", agreed_value="4")
    saved = answers.answers_for(store, "SA-001")["chronology.grade"]
    assert (saved.value, saved.agreed_value, saved.note) == ("3", "4", "Patchy.")
    changes = [
        (e.action, e.old_value, e.new_value)
        for e in audit.entries(store, case_ref="SA-001")
        if e.target == "chronology.grade"
    ]
    assert changes == [
        ("answer.value", None, "3"),
        ("answer.note", "", "Patchy."),
        ("answer.agreed_value", None, "4"),
    ]


@pytest.mark.parametrize(
    ("raw", "stored"),
    [(" 5 ", "5"), ("N/A", "na"), ("not applicable", "na"), ("Unable to evaluate", "unable")],
)
def test_grade_words_are_stored_in_their_one_form(store, raw, stored):
    saved = answers.save_answer(store, "SA-001", "assessment.grade", value=raw)
    assert saved.value == stored


def test_saving_the_same_value_again_writes_no_audit_entry(store):
    answers.save_answer(store, "SA-001", "planning.smart", value="yes")
    before = len(audit.entries(store))
    again = answers.save_answer(store, "SA-001", "planning.smart", value="Y")
    assert again.value == "yes"
    assert len(audit.entries(store)) == before


def test_an_empty_value_clears_the_answer_and_is_audited(store):
    answers.save_answer(store, "SA-001", "planning.contingency", value="no")
    cleared = answers.save_answer(store, "SA-001", "planning.contingency", value="")
    assert cleared.value is None
    last = audit.entries(store, action="answer.value")[-1]
    assert (last.target, last.old_value, last.new_value) == ("planning.contingency", "no", None)


@pytest.mark.parametrize(
    ("item", "field", "raw"),
    [
        ("initial_response.grade", "value", "0"),
        ("initial_response.grade", "value", "7"),
        ("initial_response.grade", "value", "good"),
        ("initial_response.grade", "value", "4.5"),
        ("initial_response.grade", "agreed_value", "0"),
        ("initial_response.grade", "agreed_value", "excellent"),
        ("initial_response.child_seen", "value", "maybe"),
        ("initial_response.child_seen", "value", "2"),
        ("case_details.legal_status", "value", "not an option"),
        ("impact.wellbeing_improved", "value", "safe;flying"),
        ("case_details.cso_start", "value", "2024-13"),
        ("case_details.months_on_cso", "value", "-1"),
        ("case_details.months_on_cso", "value", "twelve"),
        ("overall.key_strengths", "value", "   "),
    ],
)
def test_a_value_that_does_not_fit_the_item_is_refused_and_nothing_changes(store, item, field, raw):
    answers.save_answer(store, "SA-002", item, value=None)  # a known starting point
    before = answers.answers_for(store, "SA-002").get(item)
    entries = len(audit.entries(store))
    with pytest.raises(AnswerRejected, match=item):
        answers.save_answer(store, "SA-002", item, **{field: raw})
    assert answers.answers_for(store, "SA-002").get(item) == before
    assert len(audit.entries(store)) == entries


def test_an_unknown_item_or_case_is_refused_and_nothing_changes(store):
    count = row_count(store, "answers")
    with pytest.raises(TemplateError, match="no item 'chronology.colour'"):
        answers.save_answer(store, "SA-002", "chronology.colour", value="4")
    with pytest.raises(StoreError, match="No case 'SA-404'"):
        answers.save_answer(store, "SA-404", "chronology.grade", value="4")
    assert row_count(store, "answers") == count


def test_an_answer_made_under_another_template_is_hidden_and_cannot_be_edited(store):
    other_sha = "f" * 64
    store.db.execute(
        "INSERT INTO answers (case_ref, item_key, reader_id, value, note, template_id,"
        " template_version, template_sha256, updated_at)"
        " VALUES ('SA-003', 'chronology.grade', 'R1', '2', 'old form', 'cso-at-home-2025',"
        " '2024.9', ?, '2024-12-01T10:00:00+00:00')",
        [other_sha],
    )
    assert "chronology.grade" not in answers.answers_for(store, "SA-003")
    assert "chronology.grade" not in answers.answer_map(store, "SA-003")
    assert overview_of(store, "SA-003").answered == 0
    with pytest.raises(AnswerRejected, match="another template"):
        answers.save_answer(store, "SA-003", "chronology.grade", value="5")
    row = store.db.execute(
        "SELECT value, note, template_sha256 FROM answers WHERE case_ref = 'SA-003'"
    ).fetchall()
    assert row == [("2", "old form", other_sha)]


# status and completion -----------------------------------------------------------------------


def full_value(item) -> str:
    """A value for every item kind that needs no evidence note."""
    if item.kind in ("choice", "multi_choice"):
        return next(o.id for o in item.options if o.id not in item.note_required_for)
    return {
        "grade": "4",
        "yes_no": "no",
        "date": "2024-03" if item.precision == "month" else "2024-03-15",
        "number": "12",
        "text": "Clear and current.",
    }[item.kind]


def test_a_case_completes_only_when_nothing_required_is_missing_and_reopens_on_edit(store):
    assert cases.reader_status(store, "SA-004") == "not_started"
    answers.save_answer(store, "SA-004", "overall.grade", value="2")
    assert cases.reader_status(store, "SA-004") == "in_progress"
    assert overview_of(store, "SA-004").status == "in_progress"

    first = completion.complete_case(store, "SA-004")
    assert not first.completed
    missing = {(m.item_key, m.what) for m in first.missing}
    assert ("overall.grade", "evidence note") in missing
    assert ("initial_response.grade", "answer") in missing
    assert len(missing) == len(store.template.item_keys())
    assert cases.reader_status(store, "SA-004") == "in_progress"

    for _, item in store.template.items():
        if item.key != "overall.grade":
            answers.save_answer(store, "SA-004", item.key, value=full_value(item))
    second = completion.complete_case(store, "SA-004")
    assert [(m.item_key, m.what) for m in second.missing] == [("overall.grade", "evidence note")]

    answers.save_answer(store, "SA-004", "overall.grade", note="No plan for the child's return.")
    assert completion.complete_case(store, "SA-004").completed
    assert cases.reader_status(store, "SA-004") == "complete"
    required = sum(item.required for _, item in store.template.items())
    row = overview_of(store, "SA-004")
    assert (row.status, row.required_answered, row.required) == ("complete", required, required)

    answers.save_answer(store, "SA-004", "overall.grade", value="3")
    assert cases.reader_status(store, "SA-004") == "in_progress"
    statuses = [(e.old_value, e.new_value) for e in audit.entries(store, "SA-004", "case.status")]
    assert statuses == [
        ("not_started", "in_progress"),
        ("in_progress", "complete"),
        ("complete", "in_progress"),
    ]


def test_completing_an_unknown_case_is_refused(store):
    with pytest.raises(StoreError, match="No case 'SA-404'"):
        completion.complete_case(store, "SA-404")


# management-review flags ---------------------------------------------------------------------


def test_a_flag_moves_forward_through_its_lifecycle_with_history(store):
    flag = flags.raise_flag(store, "SA-005", "immediate-risk", "  Bruising not followed up.  ")
    assert (flag.category, flag.status, flag.description) == (
        "immediate_risk",
        "raised",
        "Bruising not followed up.",
    )
    assert overview_of(store, "SA-005").open_flags == 1
    flags.advance_flag(store, flag.flag_id, "referred", "Sent to the partnership.", who="lead")
    flags.advance_flag(store, flag.flag_id, "response_received", "Reply on file.")
    closed = flags.advance_flag(store, flag.flag_id, "closed", "Child seen; plan updated.")
    assert not closed.is_open
    assert [(h.status, h.actor) for h in closed.history] == [
        ("raised", "R1"),
        ("referred", "lead"),
        ("response_received", "R1"),
        ("closed", "R1"),
    ]
    assert [h.note for h in closed.history][1:] == [
        "Sent to the partnership.",
        "Reply on file.",
        "Child seen; plan updated.",
    ]
    assert overview_of(store, "SA-005").open_flags == 0
    steps = [(e.old_value, e.new_value) for e in audit.entries(store, "SA-005", "flag.status")]
    assert steps == [
        ("raised", "referred"),
        ("referred", "response_received"),
        ("response_received", "closed"),
    ]


def test_a_flag_never_moves_back_nor_stays_put(store):
    flag = flags.raise_flag(store, "SA-006", "investigate", "Missed health appointments.")
    flags.advance_flag(store, flag.flag_id, "response_received", "Skipped a step: allowed.")
    for status in ("raised", "referred", "response_received"):
        with pytest.raises(StoreError, match="only move forward"):
            flags.advance_flag(store, flag.flag_id, status, "back")
    with pytest.raises(StoreError, match="Unknown flag status"):
        flags.advance_flag(store, flag.flag_id, "reopened")
    with pytest.raises(StoreError, match="Say why"):
        flags.advance_flag(store, flag.flag_id, "closed", "   ")
    now = flags.get_flag(store, flag.flag_id)
    assert now.status == "response_received"
    assert [h.status for h in now.history] == ["raised", "response_received"]


@pytest.mark.parametrize(
    ("case_ref", "category", "description", "message"),
    [
        ("SA-006", "urgent", "Something.", "Unknown category"),
        ("SA-006", "immediate-risk", "   ", "Describe the concern"),
        ("SA-404", "other", "Something.", "No case"),
    ],
)
def test_a_flag_without_a_known_case_category_or_description_is_refused(
    store, case_ref, category, description, message
):
    count = row_count(store, "flags")
    with pytest.raises(StoreError, match=message):
        flags.raise_flag(store, case_ref, category, description)
    assert row_count(store, "flags") == count


def test_an_unknown_flag_cannot_be_advanced(store):
    with pytest.raises(StoreError, match="No management review"):
        flags.advance_flag(store, "no-such-flag", "closed", "x")


# reserve substitutions -----------------------------------------------------------------------


def test_a_reserve_case_replaces_a_core_case_with_reason_who_and_when(store):
    sub = cases.replace_case(store, "SA-007", "SA-011", "reader_knows_family", who="lead")
    assert (sub.core_ref, sub.reserve_ref, sub.reason, sub.decided_by) == (
        "SA-007",
        "SA-011",
        "reader_knows_family",
        "lead",
    )
    assert sub.decided_at
    assert sub in cases.substitutions(store)
    assert overview_of(store, "SA-007").replaced_by == "SA-011"
    assert overview_of(store, "SA-011").replaces == "SA-007"
    [entry] = audit.entries(store, "SA-007", "case.replaced")
    assert (entry.target, entry.new_value) == ("SA-011", "reader_knows_family")


def test_the_reason_other_needs_a_note(store):
    with pytest.raises(StoreError, match="note"):
        cases.replace_case(store, "SA-008", "SA-012", "other", note="  ")
    sub = cases.replace_case(store, "SA-008", "SA-012", "other", note="Moved out of the area.")
    assert (sub.note, sub.decided_by) == ("Moved out of the area.", "R1")


@pytest.fixture(scope="module")
def sa_009_replaced(store):
    return cases.replace_case(store, "SA-009", "SA-013", "records_unavailable")


@pytest.mark.parametrize(
    ("core", "reserve", "reason", "message"),
    [
        ("SA-010", "SA-014", "bored", "Unknown reason"),
        ("SA-014", "SA-013", "out_of_scope", "only a core case is replaced"),
        ("SA-010", "SA-001", "out_of_scope", "not a reserve case"),
        ("SA-009", "SA-014", "out_of_scope", "already been replaced"),
        ("SA-010", "SA-013", "out_of_scope", "already replaces another case"),
        ("SA-404", "SA-014", "out_of_scope", "No case"),
        ("SA-010", "SA-404", "out_of_scope", "No case"),
    ],
)
def test_substitution_rules_refuse_wrong_pairs_and_double_use(
    store, sa_009_replaced, core, reserve, reason, message
):
    before = cases.substitutions(store)
    with pytest.raises(StoreError, match=message):
        cases.replace_case(store, core, reserve, reason)
    assert cases.substitutions(store) == before
