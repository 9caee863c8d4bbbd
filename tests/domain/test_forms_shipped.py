"""The two shipped templates load and hold every stage of DOMAIN.md §2 in order."""

import hashlib
from pathlib import Path

import pytest

from casereader import paths
from casereader.domain.template import (
    available_templates,
    find_template,
    load_template,
    parse_template,
)

CSO_STAGES = [
    "Case details",
    "Initial response",
    "Chronology",
    "Assessment",
    "Planning",
    "Review",
    "Intervention and support",
    "Involvement",
    "Management oversight",
    "Impact",
    "Overall",
]
RISK_STAGES = [
    "Case details",
    "Recognition and initial response",
    "Inter-agency referral discussion",
    "Investigation",
    "Initial multi-agency meeting",
    "Chronology",
    "Assessment",
    "Planning",
    "Review",
    "Involvement",
    "Management oversight",
    "Impact",
    "Overall",
]
WELLBEING = [
    "safe",
    "healthy",
    "achieving",
    "nurtured",
    "active",
    "respected",
    "responsible",
    "included",
]

FORMS = Path(__file__).resolve().parents[2] / "forms"


@pytest.fixture(params=["cso-at-home-2025", "risk-of-harm-2021"])
def shipped(request):
    return load_template(FORMS / f"{request.param}.toml")


def test_forms_dir_holds_both_templates():
    ids = [(t.id, t.version) for t in available_templates(paths.forms_dir())]
    assert ids == [("cso-at-home-2025", "2025.1"), ("risk-of-harm-2021", "2021.1")]


@pytest.mark.parametrize(
    ("template_id", "titles"),
    [("cso-at-home-2025", CSO_STAGES), ("risk-of-harm-2021", RISK_STAGES)],
)
def test_every_domain_stage_in_order(template_id, titles):
    t = find_template(template_id, FORMS)
    assert [s.title for s in t.stages] == titles


def test_one_grade_item_per_stage_except_case_details(shipped):
    for stage in shipped.stages:
        grades = [i for i in stage.items if i.kind == "grade"]
        if stage.id == "case_details":
            assert grades == [] and stage.grade_item is None
        else:
            assert len(grades) == 1 and stage.grade_item is grades[0]
            assert stage.grade_item.note_required_for == ["1", "2", "3"]
            assert stage.grade_item.required


def test_header_says_provisional_reconstruction(shipped):
    assert shipped.source_text.startswith("# PROVISIONAL RECONSTRUCTION")
    assert shipped.provisional is True


def test_sha256_is_of_the_file_bytes(shipped):
    raw = (FORMS / f"{shipped.id}.toml").read_bytes()
    assert shipped.sha256 == hashlib.sha256(raw).hexdigest()
    assert parse_template(shipped.source_text).sha256 == shipped.sha256


def test_quantifier_words_as_domain(shipped):
    words = [b.word for b in shipped.quantifiers]
    assert words == ["all", "almost all", "most", "the majority", "less than half", "a few", "none"]


def test_scale_labels_and_non_graded_answers(shipped):
    labels = [shipped.scale.point(g).label for g in range(6, 0, -1)]
    assert labels == ["Excellent", "Very good", "Good", "Adequate", "Weak", "Unsatisfactory"]
    assert shipped.scale.not_applicable == "Not applicable"
    assert shipped.scale.unable == "Unable to evaluate"


def test_management_oversight_evidence_is_a_choice(shipped):
    item = shipped.item("management_oversight.evidence")
    assert item.kind == "choice"
    assert [o.label for o in item.options] == ["Yes", "No", "Unclear", "Record too recent"]


def test_impact_offers_the_eight_wellbeing_indicators(shipped):
    item = shipped.item("impact.wellbeing_improved")
    assert item.kind == "multi_choice"
    assert [o.id for o in item.options][:8] == WELLBEING


def test_good_practice_needs_a_note_when_yes(shipped):
    item = shipped.item("overall.good_practice")
    assert item.kind == "yes_no" and item.note_required_for == ["yes"]


def test_every_stage_has_guidance(shipped):
    for stage in shipped.stages:
        assert len(stage.guidance.split()) >= 20, stage.id


def test_cso_case_details_and_indicators():
    t = find_template("cso-at-home-2025", FORMS)
    assert [i.id for i in t.stages[0].items] == [
        "age_band",
        "legal_status",
        "cso_start",
        "months_on_cso",
        "agencies_read",
        "review_from",
        "review_to",
    ]
    assert t.item("case_details.cso_start").precision == "month"
    months = t.item("case_details.months_on_cso")
    assert (months.kind, months.min, months.integer) == ("number", 0, True)
    indicators = {s.id: s.indicators for s in t.stages}
    assert indicators["involvement"] == ["5.4"]
    assert indicators["management_oversight"] == ["9.2"]
    assert indicators["impact"] == ["2.1"]
    assert indicators["assessment"] == ["5.3"]


def test_risk_of_harm_registration_status():
    t = find_template("risk-of-harm-2021", FORMS)
    item = t.item("case_details.registration_status")
    assert [o.id for o in item.options] == ["registered", "not_registered", "vyp"]
    assert t.item("initial_response.recognised_by").kind == "multi_choice"
