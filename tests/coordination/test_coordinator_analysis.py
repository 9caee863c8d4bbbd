"""The record-reading analysis of the merged inspection: numbers, shape, and its outputs."""

import csv
import json

import pytest
from coordination_fixtures import PASSPHRASE, copy_store, run_cli, store_bytes

from casereader.store import Store, flags
from casereader.store.coordination import moderation
from casereader.store.coordination.analysis import analyse

P_KEYS = {"k", "n", "percent", "phrase"}
A_KEYS = {
    "pairs",
    "exact_percent",
    "within_one_percent",
    "kappa_quadratic",
    "excluded_pairs",
    "kappa_note",
}


def _item(data, key):
    stage, item = key.split(".")
    return next(i for i in data["items"] if (i["stage"], i["item"]) == (stage, item))


def test_the_shape_is_the_contracts_and_never_nan(coordinator):
    data = analyse(coordinator).to_json()
    json.dumps(data, allow_nan=False)
    assert list(data) == [
        "inspection",
        "template",
        "sample",
        "items",
        "yes_no",
        "agreement",
        "unresolved",
        "flags",
        "breakdowns",
        "follow_up_cases",
        "good_practice",
    ]
    assert data["inspection"] == "Fictional partnership 2026"
    assert set(data["template"]) == {"id", "version", "sha256"}
    item = data["items"][0]
    assert set(item) == {
        "stage",
        "stage_title",
        "item",
        "label",
        "n",
        "counts",
        "good_or_better",
        "adequate_or_better",
        "weak_or_unsatisfactory",
    }
    assert list(item["counts"]) == ["6", "5", "4", "3", "2", "1", "na", "unable"]
    assert set(item["good_or_better"]) == P_KEYS
    assert set(data["yes_no"][0]) == {"stage", "stage_title", "item", "label", "n", "yes"}
    assert set(data["agreement"]["overall"]) == A_KEYS
    assert list(data["breakdowns"]) == ["group", "follow_up", "legal_status", "age_band", "reader"]
    assert len(data["items"]) == len(coordinator.template.graded_keys())


def test_the_sample_counts_the_reserve_in_place_of_the_core_case(coordinator):
    sample = analyse(coordinator).to_json()["sample"]
    assert sample == {
        "cases": 6,
        "core": 5,
        "reserve_counted": ["SA-007"],
        "include_reserve": False,
    }
    wider = analyse(coordinator, include_reserve=True).to_json()["sample"]
    assert wider["reserve_counted"] == ["SA-007", "SA-008"] and wider["cases"] == 7


def test_each_case_counts_once_per_item(coordinator):
    data = analyse(coordinator).to_json()
    planning = _item(data, "planning.grade")
    # SA-001 4 (both readers), SA-002 5 (three readers, R3's agreed grade), SA-003 3, SA-004 4,
    # SA-007 6; SA-005 has no grade yet; SA-006 was replaced
    assert planning["counts"] == {
        "6": 1,
        "5": 1,
        "4": 2,
        "3": 1,
        "2": 0,
        "1": 0,
        "na": 0,
        "unable": 0,
    }
    assert planning["n"] == 5
    assert planning["good_or_better"] == {"k": 4, "n": 5, "percent": 80.0, "phrase": "most"}
    assert planning["adequate_or_better"] == {"k": 5, "n": 5, "percent": 100.0, "phrase": "all"}
    assert planning["weak_or_unsatisfactory"] == {"k": 0, "n": 5, "percent": 0.0, "phrase": "none"}


def test_disagreements_are_unresolved_and_left_out(coordinator):
    data = analyse(coordinator).to_json()
    assert data["unresolved"] == [
        {
            "case_ref": "SA-001",
            "stage": "assessment",
            "item": "grade",
            "values": {"R1": "4", "R2": "2"},
        },
        {
            "case_ref": "SA-001",
            "stage": "involvement",
            "item": "grade",
            "values": {"R1": "4", "R2": "5"},
        },
        {
            "case_ref": "SA-002",
            "stage": "impact",
            "item": "grade",
            "values": {"R1": "5", "R2": "3", "R3": "3"},
        },
    ]
    assert _item(data, "assessment.grade")["n"] == 4
    moderation.moderate(coordinator, "SA-001", "assessment.grade", "3", "Assessment sound.")
    data = analyse(coordinator).to_json()
    assessment = _item(data, "assessment.grade")
    assert assessment["n"] == 5 and assessment["counts"]["3"] == 2
    assert len(data["unresolved"]) == 2


def test_agreement_compares_own_grades_over_every_pair(coordinator):
    metrics = pytest.importorskip("sklearn.metrics")
    agreement = analyse(coordinator).to_json()["agreement"]
    overall = agreement["overall"]
    # SA-001: 10 stages, one pair; SA-002: 10 stages, three readers -> three pairs each
    assert overall["pairs"] == 40 and overall["excluded_pairs"] == 0
    assert (overall["exact_percent"], overall["within_one_percent"]) == (42.5, 95.0)
    a, b = [], []
    stages = [k.split(".")[0] for k in coordinator.template.graded_keys()]
    for stage in stages:
        a.append(4), b.append({"assessment": 2, "involvement": 5}.get(stage, 4))
        r2 = 3 if stage == "impact" else 5
        for x, y in ((5, r2), (5, 4), (r2, 4)):
            a.append(x), b.append(y)
    expected = metrics.cohen_kappa_score(a, b, weights="quadratic", labels=[1, 2, 3, 4, 5, 6])
    assert abs(overall["kappa_quadratic"] - expected) <= 0.0005
    assessment = agreement["by_stage"]["assessment"]
    assert (assessment["pairs"], assessment["exact_percent"]) == (4, 25.0)
    assert assessment["within_one_percent"] == 75.0


def test_breakdowns_lists_and_yes_no(coordinator):
    data = analyse(coordinator).to_json()
    b = data["breakdowns"]
    assert {k: v["cases"] for k, v in b["group"].items()} == {"core": 5, "reserve": 1}
    assert {k: v["cases"] for k, v in b["follow_up"].items()} == {"no": 4, "yes": 2}
    assert {k: v["cases"] for k, v in b["reader"].items()} == {"R1": 4, "R2": 3, "R3": 2}
    r1_planning = next(i for i in b["reader"]["R1"]["items"] if i["stage"] == "planning")
    assert r1_planning["good_or_better"] == {"k": 3, "n": 4, "percent": 75.0, "phrase": "most"}
    assert sum(v["cases"] for v in b["age_band"].values()) == 6
    assert data["follow_up_cases"] == [
        {"case_ref": "SA-001", "readers": ["R1", "R2"], "overall_status": "complete"},
        {"case_ref": "SA-004", "readers": ["R2"], "overall_status": "complete"},
    ]
    [example] = data["good_practice"]
    assert (example["case_ref"], example["reader_id"], example["item"]) == (
        "SA-003",
        "R1",
        "overall.good_practice",
    )
    assert example["note"].startswith("Chronology kept up to date")
    good = next(i for i in data["yes_no"] if i["item"] == "good_practice")
    assert good["yes"] == {"k": 1, "n": 5, "percent": 20.0, "phrase": "less than half"}
    assert [f["case_ref"] for f in data["flags"]] == ["SA-003", "SA-004"]
    assert data["flags"][0]["history"][0]["status"] == "raised"


def test_analysis_json_from_the_command_line_is_the_same(coordinator):
    expected = analyse(coordinator, include_reserve=True).to_json()
    code, out, err = run_cli("analysis", coordinator.path, "--json", "--include-reserve")
    assert code == 0, err
    assert json.loads(out) == expected


def test_csv_one_file_per_table(coordinator, tmp_path):
    flags.raise_flag(coordinator, "SA-001", "other", '=HYPERLINK("http://example.invalid")')
    code, out, err = run_cli("analysis", coordinator.path, "--csv", tmp_path / "tables")
    assert code == 0, err
    names = sorted(p.name for p in (tmp_path / "tables").iterdir())
    assert names == sorted(
        f"{n}.csv"
        for n in (
            "items",
            "yes_no",
            "agreement",
            "unresolved",
            "management_reviews",
            "breakdowns",
            "follow_up_cases",
            "good_practice",
        )
    )
    with (tmp_path / "tables" / "items.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    planning = next(r for r in rows if r["stage"] == "planning")
    assert (planning["n"], planning["good_or_better_percent"]) == ("5", "80.0")
    with (tmp_path / "tables" / "management_reviews.csv").open(encoding="utf-8-sig") as f:
        reviews = list(csv.DictReader(f))
    assert reviews[-1]["description"].startswith("'=HYPERLINK")


def test_xlsx_one_sheet_per_table_checked_with_openpyxl(coordinator, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    flags.raise_flag(coordinator, "SA-001", "other", "=1+1 is not a formula here")
    out = tmp_path / "analysis.xlsx"
    code, _, err = run_cli("analysis", coordinator.path, "--xlsx", out)
    assert code == 0, err
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "items",
        "yes_no",
        "agreement",
        "unresolved",
        "management_reviews",
        "breakdowns",
        "follow_up_cases",
        "good_practice",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(sheet.column_dimensions[c].width >= 6 for c in ("A", "B"))
    items = book["items"]
    header = [c.value for c in items[1]]
    row = next(r for r in items.iter_rows(min_row=2) if r[0].value == "planning")
    cell = row[header.index("good_or_better_percent")]
    assert cell.value == pytest.approx(0.8) and cell.number_format == "0.0%"
    assert row[header.index("n")].value == 5
    reviews = book["management_reviews"]
    cell = reviews.cell(row=reviews.max_row, column=6)
    assert cell.value == "=1+1 is not a formula here" and cell.data_type == "s"


def test_bad_output_paths_are_refused_with_one_line(coordinator, tmp_path):
    (tmp_path / "file").write_text("x")
    for args in (
        ["--xlsx", tmp_path / "missing" / "a.xlsx"],
        ["--xlsx", tmp_path],
        ["--csv", tmp_path / "file"],
    ):
        code, _, err = run_cli("analysis", coordinator.path, *args)
        assert code == 2 and len(err.strip().splitlines()) == 1, err
    code, _, err = run_cli("analysis", coordinator.path, "--json", "--csv", tmp_path)
    assert code == 2


def test_a_reader_store_analyses_its_own_reading(coordinated, tmp_path):
    path = copy_store(coordinated.readers["R3"], tmp_path / "R3.casereader")
    with Store.open(path, PASSPHRASE) as store:
        before = store_bytes(path)
        data = analyse(store).to_json()
        assert store_bytes(path) == before
    assert data["agreement"]["overall"]["pairs"] == 0
    assert data["agreement"]["overall"]["kappa_note"]
