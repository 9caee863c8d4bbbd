"""The analysis report, from the analysis JSON: sentences from the numbers, tables, charts."""

import copy

import pytest
from reports_fixtures import PRINTED, one_line, page_texts, pdf_text, qpdf_check

from casereader.domain.template import find_template
from casereader.reports import build_report
from casereader.reports.report import finding_sentences, lower_first
from casereader.store.coordination.analysis import analyse


def p(k, n, phrase):
    return {"k": k, "n": n, "percent": round(100 * k / n, 1) if n else None, "phrase": phrase}


ANALYSIS = {
    "inspection": "Fictional partnership 2026",
    "template": {"id": "cso-at-home-2025", "version": "2025.1", "sha256": "ab" * 32},
    "sample": {"cases": 60, "core": 60, "reserve_counted": ["SA-061"], "include_reserve": False},
    "items": [
        {
            "stage": "assessment",
            "stage_title": "Assessment",
            "item": "grade",
            "label": "Quality of assessment",
            "n": 60,
            "counts": {"6": 10, "5": 17, "4": 20, "3": 8, "2": 4, "1": 1, "na": 2, "unable": 1},
            "good_or_better": p(47, 60, "most"),
            "adequate_or_better": p(55, 60, "almost all"),
            "weak_or_unsatisfactory": p(5, 60, "a few"),
        },
        {
            "stage": "planning",
            "stage_title": "Planning",
            "item": "grade",
            "label": "Quality of the child's plan",
            "n": 0,
            "counts": {"6": 0, "5": 0, "4": 0, "3": 0, "2": 0, "1": 0, "na": 3, "unable": 0},
            "good_or_better": p(0, 0, "no applicable records"),
            "adequate_or_better": p(0, 0, "no applicable records"),
            "weak_or_unsatisfactory": p(0, 0, "no applicable records"),
        },
    ],
    "yes_no": [
        {
            "stage": "planning",
            "stage_title": "Planning",
            "item": "present",
            "label": "Child's plan present",
            "n": 58,
            "yes": p(50, 58, "most"),
        }
    ],
    "agreement": {
        "overall": {
            "pairs": 12,
            "exact_percent": 58.3,
            "within_one_percent": 91.7,
            "kappa_quadratic": 0.71,
            "excluded_pairs": 1,
            "kappa_note": None,
        },
        "by_stage": {
            "assessment": {
                "pairs": 12,
                "exact_percent": 58.3,
                "within_one_percent": 91.7,
                "kappa_quadratic": 0.71,
                "excluded_pairs": 1,
                "kappa_note": None,
            },
            "planning": {
                "pairs": 0,
                "exact_percent": None,
                "within_one_percent": None,
                "kappa_quadratic": None,
                "excluded_pairs": 0,
                "kappa_note": "no double-read pairs of grades",
            },
        },
    },
    "unresolved": [
        {
            "case_ref": "SA-009",
            "stage": "assessment",
            "item": "grade",
            "values": {"R1": "4", "R2": "2"},
        }
    ],
    "flags": [
        {
            "flag_id": "f-1",
            "case_ref": "SA-004",
            "reader_id": "R2",
            "category": "immediate_risk",
            "status": "referred",
            "description": "Police report of an incident is not in the chronology.",
            "raised_by": "R2",
            "raised_at": "2026-02-01T10:00:00.000+00:00",
            "updated_at": "2026-02-02T09:00:00.000+00:00",
            "history": [
                {
                    "status": "raised",
                    "actor": "R2",
                    "at": "2026-02-01T10:00:00.000+00:00",
                    "note": "x",
                },
                {
                    "status": "referred",
                    "actor": "Lead",
                    "at": "2026-02-02T09:00:00.000+00:00",
                    "note": "Sent.",
                },
            ],
        }
    ],
    "breakdowns": {
        "follow_up": {
            "no": {
                "cases": 45,
                "items": [
                    {
                        "stage": "assessment",
                        "item": "grade",
                        "n": 45,
                        "good_or_better": p(36, 45, "most"),
                        "adequate_or_better": p(40, 45, "almost all"),
                        "weak_or_unsatisfactory": p(5, 45, "a few"),
                    }
                ],
            },
            "yes": {
                "cases": 15,
                "items": [
                    {
                        "stage": "assessment",
                        "item": "grade",
                        "n": 15,
                        "good_or_better": p(11, 15, "the majority"),
                        "adequate_or_better": p(15, 15, "all"),
                        "weak_or_unsatisfactory": p(0, 15, "none"),
                    }
                ],
            },
        }
    },
    "follow_up_cases": [{"case_ref": "SA-004", "readers": ["R2"], "overall_status": "complete"}],
    "good_practice": [
        {
            "case_ref": "SA-003",
            "reader_id": "R1",
            "item": "overall.good_practice",
            "note": "Chronology kept up to date every week by Mòrag.",
        }
    ],
}


@pytest.fixture(scope="module")
def template():
    return find_template("cso-at-home-2025")


def test_the_sentences_come_from_the_numbers():
    sentences = finding_sentences(ANALYSIS["items"])
    assert sentences[0] == (
        "In most records (47 of 60, 78%) the quality of assessment was good or better."
    )
    assert sentences[1] == (
        "In a few records (5 of 60, 8%) the quality of assessment was weak or unsatisfactory."
    )
    assert "no applicable records (0 of 0)" in sentences[2]
    assert lower_first("IRD held") == "IRD held"


def test_the_report_prints_tables_statistics_lists_and_sentences(template, tmp_path):
    data = build_report(ANALYSIS, template, tmp_path / "r.pdf", printed_on=PRINTED)
    text = one_line(pdf_text(data))
    for expected in [
        "Record-reading analysis — Fictional partnership 2026",
        "In most records (47 of 60, 78%) the quality of assessment was good or better.",
        "47 of 60 (78%, most)",
        "55 of 60 (92%, almost all)",
        "5 of 60 (8%, a few)",
        "no applicable records",
        "50 of 58 (86%, most)",
        "58.3%",
        "91.7%",
        "0.71",
        "no double-read pairs of grades",
        "SA-061",
        "SA-009",
        "R1: 4; R2: 2",
        "Police report of an incident is not in the chronology.",
        "Referred to the partnership",
        "Chronology kept up to date every week by Mòrag.",
        "By follow-up",
        "36 of 45 (80%, most)",
        "11 of 15 (73%, the majority)",
        "Follow-up cases",
        "SA-004",
        "n = 60; N/A 2; unable 1",
    ]:
        assert one_line(expected) in text, expected
    for label in ("Excellent", "Very good", "Good", "Adequate", "Weak", "Unsatisfactory"):
        assert label in text
    for page in page_texts(data):
        assert page.count("OFFICIAL-SENSITIVE") == 2
    qpdf_check(tmp_path / "r.pdf", tmp_path)
    assert build_report(ANALYSIS, template, printed_on=PRINTED) == data


def test_odd_and_empty_analyses_still_print(template):
    empty = {"inspection": "Empty", "template": {}, "items": [], "yes_no": []}
    text = one_line(pdf_text(build_report(empty, None, printed_on=PRINTED)))
    assert "No management review has been raised." in text
    odd = copy.deepcopy(ANALYSIS)
    odd["inspection"] = "<b>Not bold</b> & Co"
    odd["items"][0]["label"] = "A label with <tags> & “quotes”"
    text = one_line(pdf_text(build_report(odd, template, printed_on=PRINTED)))
    assert "<b>Not bold</b> & Co" in text
    assert "a label with <tags> & “quotes” was good or better" in text


def test_a_long_table_splits_across_pages_with_its_header_repeated(template):
    many = copy.deepcopy(ANALYSIS)
    row = many["yes_no"][0]
    many["yes_no"] = [{**row, "label": f"Question {n:03d}"} for n in range(150)]
    pages = page_texts(build_report(many, template, printed_on=PRINTED))
    with_rows = [pg for pg in pages if "Question" in pg]
    assert len(with_rows) >= 3
    for page in with_rows:
        assert "Stage" in page and "Item" in page and "Yes" in page
    assert "Question 149" in one_line(" ".join(pages))


def test_the_report_of_a_store(reader_store):
    analysis = analyse(reader_store).to_json()
    text = one_line(pdf_text(build_report(analysis, reader_store.template, printed_on=PRINTED)))
    assert "Record-reading analysis" in text
    assert "Key findings" in text and "Grades by stage" in text
