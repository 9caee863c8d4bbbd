"""The demo's answers agree with the documents it generated for each case."""

import pytest

from casereader.demo.files import DemoDocument, generate_inspection_files
from casereader.demo.record_facts import (
    IRD_TITLES,
    CaseRecords,
    facts_from_records,
    review_description,
)
from casereader.demo.store import build_demo
from casereader.demo.text import chronology_titles
from casereader.domain.template import find_template
from casereader.store import Store, answers, cases, flags

KEYS = set(find_template("cso-at-home-2025").item_keys())
SECRET = "demo-facts-passphrase"


def doc(title: str, agency: str = "Social work") -> DemoDocument:
    return DemoDocument(f"SA-001/{agency}/{title}.pdf", "SA-001", agency, title, None, "pdf", 2)


def test_two_chronologies_are_present_and_multi_agency():
    records = CaseRecords([doc("Chronology"), doc("Health chronology", "Health")])
    facts = facts_from_records(records, KEYS)
    assert facts["chronology.present"] == "yes"
    assert facts["chronology.multi_agency"] == "yes"
    assert "chronology.grade" not in facts  # graded as the demo grades any stage


def test_no_chronology_no_assessment_no_ird():
    records = CaseRecords([doc("Case notes"), doc("Child's plan")])
    facts = facts_from_records(records, KEYS)
    assert facts["chronology.present"] == "no" and facts["chronology.up_to_date"] == "na"
    assert facts["chronology.grade"] in {"1", "2"}
    assert facts["assessment.present"] == "no" and facts["planning.plan_present"] == "yes"
    assert facts["initial_response.ird_held"] == "na"
    text = review_description(records)
    assert "no IRD is recorded" in text and "no chronology" in text


def test_a_review_on_a_case_with_an_ird_minute_does_not_say_there_is_none():
    records = CaseRecords([doc("IRD minute"), doc("Chronology"), doc(
        "Concern report (VPD)", "Police")])  # fmt: skip
    text = review_description(records)
    assert "no IRD" not in text and "IRD minute" in text
    assert text.startswith("The police concern report") and "not in the chronology" in text
    assert facts_from_records(records, KEYS)["initial_response.ird_held"] == "yes"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A demo of 5 cases (four answered) and what it generated. With seed 11 the demo once
    answered "Chronology present: No" for a case holding a chronology."""
    folder = tmp_path_factory.mktemp("demo-facts")
    path = build_demo(folder, 5, 11, SECRET)
    manifest = generate_inspection_files(folder / "again", cases=5, seed=11).manifest
    return path, manifest


def test_the_generated_demo_answers_agree_with_its_documents(built):
    path, manifest = built
    chronologies, irds = chronology_titles(), IRD_TITLES
    checked = 0
    with Store.open(path, SECRET) as store:
        for case in cases.list_cases(store):
            saved = answers.answers_for(store, case.case_ref)
            titles = {d.title for d in manifest if d.case_ref == case.case_ref}
            present = saved.get("chronology.present")
            if present is not None:
                checked += 1
                assert (present.value == "yes") == bool(titles & chronologies), case.case_ref
            ird = saved.get("initial_response.ird_held")
            if ird is not None and titles & irds:
                assert ird.value == "yes", case.case_ref
            for answer in saved.values():
                if "chronology" in (answer.note or "").lower():
                    assert titles & chronologies, (case.case_ref, answer.note)
            for flag in flags.list_flags(store, case.case_ref):
                if "no IRD is recorded" in flag.description:
                    assert not titles & irds, case.case_ref
                if "not in the chronology" in flag.description:
                    assert titles & chronologies, case.case_ref
    assert checked >= 2
