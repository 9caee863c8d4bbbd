"""Moderation of double reads: the queue, the side-by-side comparison, decisions and their audit,
and a superseding bundle arriving mid-moderation."""

import pytest
from coordination_fixtures import SA004_REVIEW, store_bytes

from casereader.bundle.merge import merge_bundles
from casereader.errors import AnswerRejected, StoreError, TemplateError
from casereader.store import answers, audit, flags
from casereader.store.coordination import analysis, moderation
from casereader.store.coordination.overview import merged_overview


def _item(case, key):
    return next(i for i in case.items if i.item_key == key)


def test_the_queue_holds_the_double_reads_largest_gap_first(coordinator):
    queue = moderation.moderation_queue(coordinator)
    assert [c.case_ref for c in queue] == ["SA-001", "SA-002"]
    assert [(c.max_gap, c.differences) for c in queue] == [(2, 2), (2, 1)]
    assert queue[1].readers == ["R1", "R2", "R3"]
    assert queue[1].reader_labels == {"R1": "Reader A", "R2": "Reader B", "R3": "Reader C"}


def test_open_reviews_come_first(coordinator):
    flags.raise_flag(coordinator, "SA-002", "other", "Sibling's records filed in this case.")
    assert [c.case_ref for c in moderation.moderation_queue(coordinator)] == ["SA-002", "SA-001"]


def test_readings_side_by_side_with_notes_links_and_states(coordinator):
    case = moderation.case_comparison(coordinator, "SA-001")
    assessment = _item(case, "assessment.grade")
    assert [(r.label, r.value) for r in assessment.readings] == [
        ("Reader A", "4"),
        ("Reader B", "2"),
    ]
    assert assessment.state == "differs" and assessment.gap == 2
    assert assessment.readings[0].note.startswith("Assessment:")
    assert _item(case, "planning.grade").state == "agreed"
    assert _item(case, "overall.key_strengths").compared is False
    # SA-002: R3's grade agreed with the paired inspector is R3's value; gaps use own grades
    sa2 = moderation.case_comparison(coordinator, "SA-002")
    planning = _item(sa2, "planning.grade")
    assert planning.effective_values == {"R1": "5", "R2": "5", "R3": "5"}
    assert (planning.state, planning.gap) == ("agreed", 1)
    impact = _item(sa2, "impact.grade")
    assert impact.effective_values == {"R1": "5", "R2": "3", "R3": "3"}
    assert impact.state == "differs"


def test_moderating_keeps_the_readers_grades_and_is_audited(coordinator):
    item = moderation.moderate(
        coordinator, "SA-001", "assessment.grade", " 3 ", "Assessment sound, plan weak.", "Lead"
    )
    assert (item.moderated_value, item.state, item.moderator) == ("3", "moderated", "Lead")
    assert [r.value for r in item.readings] == ["4", "2"]
    assert answers.answers_for(coordinator, "SA-001", "R2")["assessment.grade"].value == "2"
    [entry] = audit.entries(coordinator, action="moderation.recorded")
    assert (entry.case_ref, entry.target, entry.old_value, entry.new_value, entry.actor) == (
        "SA-001",
        "assessment.grade",
        None,
        "3",
        "Lead",
    )
    assert "Assessment sound" in entry.detail
    again = moderation.moderate(coordinator, "SA-001", "assessment.grade", "4", "On reflection.")
    assert again.moderated_value == "4"
    assert audit.entries(coordinator, action="moderation.recorded")[-1].old_value == "3"


def test_accepting_equal_answers_then_the_last_difference_moderates_the_case(coordinator):
    accepted = moderation.accept_equal(coordinator, "SA-001")
    case = moderation.case_comparison(coordinator, "SA-001")
    compared = [i for i in case.items if i.compared]
    assert accepted == len(compared) - 2
    assert {i.state for i in compared} == {"moderated", "differs"}
    assert _item(case, "planning.grade").rationale == moderation.ACCEPT_EQUAL_RATIONALE
    assert case.moderated_at is None
    moderation.moderate(coordinator, "SA-001", "assessment.grade", "3", "Assessment sound.")
    moderation.moderate(coordinator, "SA-001", "involvement.grade", "4", "Reader A's evidence.")
    case = moderation.case_comparison(coordinator, "SA-001")
    assert case.differences == 0 and case.moderated_at
    sa1 = next(c for c in merged_overview(coordinator).cases if c.case_ref == "SA-001")
    assert sa1.overall_status == "moderated"
    assert audit.entries(coordinator, action="case.moderated")[0].case_ref == "SA-001"
    # the settled case sinks below the one still to moderate
    assert [c.case_ref for c in moderation.moderation_queue(coordinator)] == ["SA-002", "SA-001"]


@pytest.mark.parametrize(
    ("case_ref", "item", "value", "rationale", "error", "says"),
    [
        ("SA-001", "assessment.grade", "3", "  ", StoreError, "rationale"),
        ("SA-001", "assessment.grade", "0", "x", AnswerRejected, "not an answer"),
        ("SA-001", "assessment.nonsense", "3", "x", TemplateError, "no item"),
        ("SA-001", "overall.key_strengths", "Good", "x", StoreError, "free-text"),
        ("SA-003", "assessment.grade", "3", "x", StoreError, "double-read"),
        ("SA-999", "assessment.grade", "3", "x", StoreError, "No case"),
    ],
)
def test_bad_moderation_is_refused_and_changes_nothing(
    coordinator, case_ref, item, value, rationale, error, says
):
    before = store_bytes(coordinator.path)
    with pytest.raises(error, match=says):
        moderation.moderate(coordinator, case_ref, item, value, rationale)
    assert store_bytes(coordinator.path) == before


def test_a_superseding_bundle_mid_moderation_marks_what_changed(coordinated, coordinator):
    moderation.accept_equal(coordinator, "SA-001")
    moderation.moderate(coordinator, "SA-001", "assessment.grade", "3", "Assessment sound.")
    moderation.moderate(coordinator, "SA-001", "involvement.grade", "4", "Reader A's evidence.")
    assert moderation.case_comparison(coordinator, "SA-001").moderated_at
    # R2 changes the assessment grade 2 -> 3 on her laptop and sends a new bundle
    [outcome] = merge_bundles(coordinator, [coordinated.bundles["R2-2"]], coordinated.identity())
    assert (outcome.outcome, outcome.replaced_sequence) == ("imported", 1)
    case = moderation.case_comparison(coordinator, "SA-001")
    assessment = _item(case, "assessment.grade")
    assert assessment.state == "changed_since_moderation"
    assert assessment.moderated_value == "3"  # the moderated value stays
    assert [r.value for r in assessment.readings] == ["4", "3"]
    assert _item(case, "involvement.grade").state == "moderated"
    assert case.differences == 1
    sa1 = next(c for c in merged_overview(coordinator).cases if c.case_ref == "SA-001")
    assert sa1.overall_status == "complete"  # no longer moderated: something to look at
    counted = analysis.analyse(coordinator).to_json()
    assert not [u for u in counted["unresolved"] if u["case_ref"] == "SA-001"]
    # a fresh look clears the mark
    moderation.moderate(coordinator, "SA-001", "assessment.grade", "3", "Both now say 3 or 4.")
    assert moderation.case_comparison(coordinator, "SA-001").differences == 0


def test_a_single_reader_case_is_compared_too(coordinator):
    case = moderation.case_comparison(coordinator, "SA-004")
    assert case.readers == ["R2"] and case.differences == 0
    assert flags.list_flags(coordinator, "SA-004")[0].description == SA004_REVIEW
