"""The shipped templates (two, each in two versions) hold every stage and item of DOMAIN.md §2."""

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
# Second versions (DOMAIN.md §2 "Second versions"): the initial response graded twice in the
# CSO template; an Intervention and support stage after Review in the risk-of-harm template.
CSO_STAGES_2 = [
    "Case details",
    "Initial response: safety",
    "Initial response: wellbeing",
    *CSO_STAGES[2:],
]
RISK_STAGES_2 = [*RISK_STAGES[:9], "Intervention and support", *RISK_STAGES[9:]]
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

# The file of each template version. The first versions are released: answers were made under
# these exact bytes, so the files may never change (a change is a new version in a new file).
FILES = {
    ("cso-at-home-2025", "2025.1"): "cso-at-home-2025.toml",
    ("cso-at-home-2025", "2025.2"): "cso-at-home-2025-2.toml",
    ("risk-of-harm-2021", "2021.1"): "risk-of-harm-2021.toml",
    ("risk-of-harm-2021", "2021.2"): "risk-of-harm-2021-2.toml",
}
RELEASED_SHA256 = {
    "cso-at-home-2025.toml": "fbb48ecf28ef2a0c3ec3a8510731a38d2fc279b79c51e6c46191edbf014eec8e",
    "risk-of-harm-2021.toml": "31d5f74fd2743d7986cce073fad13a01a00ac4a122deb7c55bae97a3b6237921",
}


@pytest.fixture(params=sorted(FILES.values()))
def shipped(request):
    return load_template(FORMS / request.param)


def test_forms_dir_holds_every_version_of_both_templates():
    found = {(t.id, t.version): t for t in available_templates(paths.forms_dir())}
    assert list(found) == list(FILES)
    for (template_id, version), name in FILES.items():
        assert found[template_id, version].sha256 == load_template(FORMS / name).sha256


def test_released_first_versions_are_unchanged():
    for name, sha in RELEASED_SHA256.items():
        assert hashlib.sha256((FORMS / name).read_bytes()).hexdigest() == sha, name


def test_find_template_takes_the_newest_unless_a_version_is_named():
    assert find_template("cso-at-home-2025", FORMS).version == "2025.2"
    assert find_template("risk-of-harm-2021", FORMS).version == "2021.2"
    assert find_template("cso-at-home-2025", FORMS, version="2025.1").version == "2025.1"
    assert find_template("risk-of-harm-2021", FORMS, version="2021.1").version == "2021.1"


@pytest.mark.parametrize(
    ("template_id", "version", "titles"),
    [
        ("cso-at-home-2025", "2025.1", CSO_STAGES),
        ("cso-at-home-2025", "2025.2", CSO_STAGES_2),
        ("risk-of-harm-2021", "2021.1", RISK_STAGES),
        ("risk-of-harm-2021", "2021.2", RISK_STAGES_2),
    ],
)
def test_every_domain_stage_in_order(template_id, version, titles):
    t = find_template(template_id, FORMS, version=version)
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
    raw = (FORMS / FILES[shipped.id, shipped.version]).read_bytes()
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


@pytest.mark.parametrize("version", ["2025.1", "2025.2"])
def test_cso_case_details_and_indicators(version):
    t = find_template("cso-at-home-2025", FORMS, version=version)
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
    t = find_template("risk-of-harm-2021", FORMS, version="2021.1")
    item = t.item("case_details.registration_status")
    assert [o.id for o in item.options] == ["registered", "not_registered", "vyp"]
    assert t.item("initial_response.recognised_by").kind == "multi_choice"
    second = find_template("risk-of-harm-2021", FORMS, version="2021.2")
    item = second.item("case_details.registration_status")
    assert [o.id for o in item.options] == ["registered", "not_registered", "vyp", "carm"]
    assert item.options[-1].label == "Care and risk management"


# --- the second versions: exactly what DOMAIN.md §2 "Second versions" adds ----------------------

# key → (kind, label); every yes/no below is required and needs no note unless said.
BOTH_ADDED = {
    "involvement.child_relationship": (
        "yes_no", "Child had the chance to build a relationship with key staff"),
    "involvement.parents_relationship": (
        "yes_no", "Parents had the chance to build a relationship with key staff"),
    "overall.drift_delay": ("yes_no", "Drift or delay with significant impact on the child"),
}  # fmt: skip
CSO_ADDED = {
    **BOTH_ADDED,
    "wellbeing_response.grade": ("grade", "Quality of the response to wellbeing concerns"),
}
RISK_ADDED = {
    **BOTH_ADDED,
    "case_details.type_of_risk": ("choice", "Type of risk"),
    "initial_response.safety_decisions": (
        "yes_no", "Clear decisions made to keep the child safe"),
    "initial_response.named_person_informed": (
        "yes_no", "Information shared with the named person in universal services"),
    "ird.earliest_stage": ("yes_no", "IRD held at the earliest stage"),
    "ird.record_on_file": ("yes_no", "IRD record on file"),
    "investigation.legal_measures_considered": ("yes_no", "Legal measures considered"),
    "initial_meeting.cp_plan_made": ("yes_no", "Multi-agency child protection plan made"),
    "intervention.right_help_right_time": ("yes_no", "Right help at the right time"),
    "intervention.consistent_lead_professional": ("yes_no", "Consistent lead professional"),
    "intervention.help_for_parents": ("yes_no", "Help for parents"),
    "intervention.grade": ("grade", "Effectiveness of work to reduce risks"),
}  # fmt: skip


@pytest.mark.parametrize(
    ("template_id", "first", "second", "added"),
    [
        ("cso-at-home-2025", "2025.1", "2025.2", CSO_ADDED),
        ("risk-of-harm-2021", "2021.1", "2021.2", RISK_ADDED),
    ],
)
def test_second_version_adds_every_domain_item(template_id, first, second, added):
    old = find_template(template_id, FORMS, version=first)
    new = find_template(template_id, FORMS, version=second)
    assert set(new.item_keys()) - set(old.item_keys()) == set(added)
    assert set(old.item_keys()) <= set(new.item_keys())  # nothing the first version had is lost
    for key, (kind, label) in added.items():
        item = new.item(key)
        assert (item.kind, item.label) == (kind, label), key
        assert item.required, key
        if kind == "grade":
            assert item.note_required_for == ["1", "2", "3"]
        elif key == "overall.drift_delay":
            assert item.note_required_for == ["yes"]
        else:
            assert item.note_required_for == [], key
    # the items kept keep their kind and options, so the same question is asked the same way
    for key in old.item_keys():
        before, after = old.item(key), new.item(key)
        assert before.kind == after.kind, key
        assert {o.id for o in before.options} <= {o.id for o in after.options}, key


def test_cso_second_version_grades_the_two_initial_responses_apart():
    t = find_template("cso-at-home-2025", FORMS, version="2025.2")
    safety, wellbeing = t.stages[1], t.stages[2]
    assert (safety.id, wellbeing.id) == ("initial_response", "wellbeing_response")
    assert safety.grade_item.label == "Quality of the response to immediate safety concerns"
    assert wellbeing.grade_item.label == "Quality of the response to wellbeing concerns"
    assert safety.indicators == wellbeing.indicators == ["5.3"]
    assert [i.id for i in safety.items] == [
        "concerns_shared", "ird_held", "child_seen", "safety_decisions_recorded", "grade",
    ]  # fmt: skip


def test_risk_of_harm_second_version_type_of_risk_and_intervention_stage():
    t = find_template("risk-of-harm-2021", FORMS, version="2021.2")
    risk = t.item("case_details.type_of_risk")
    assert [o.label for o in risk.options] == [
        "Abuse or neglect", "Risk in the community", "Harm to self or others",
    ]  # fmt: skip
    ids = [s.id for s in t.stages]
    assert ids.index("intervention") == ids.index("review") + 1
    stage = t.stages[ids.index("intervention")]
    assert stage.indicators == ["2.1", "5.3"]
    assert [i.id for i in stage.items] == [
        "right_help_right_time", "consistent_lead_professional", "help_for_parents", "grade",
    ]  # fmt: skip
    assert [i.id for i in t.stages[ids.index("investigation")].items] == [
        "jii_considered", "medical_considered", "legal_measures_considered", "safety_measures",
        "grade",
    ]  # fmt: skip


@pytest.mark.parametrize("name", ["cso-at-home-2025-2.toml", "risk-of-harm-2021-2.toml"])
def test_second_version_header_says_what_it_adds(name):
    text = (FORMS / name).read_text(encoding="utf-8")
    assert text.startswith("# PROVISIONAL RECONSTRUCTION")
    assert "Version 20" in text.split("\nid = ")[0]
