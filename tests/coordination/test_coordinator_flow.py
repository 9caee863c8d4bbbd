"""The whole coordinator flow from the command line: merge the readers' bundles into the store
the packs were written from, then `status`, `moderation`, `moderate` and `analysis`."""

import json

import pytest
from coordination_fixtures import copy_store, run_cli, store_bytes


@pytest.fixture
def unmerged(coordinated, tmp_path):
    return copy_store(coordinated.unmerged, tmp_path / "coordinator.casereader")


def _merge(coordinated, store, *names):
    code, out, err = run_cli(
        "merge",
        store,
        *(coordinated.bundles[n] for n in names),
        "--identity",
        coordinated.key_file,
        "--json",
    )
    assert code == 0, err
    return json.loads(out)


def test_before_any_bundle_nothing_is_started(unmerged):
    code, out, err = run_cli("status", unmerged, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert {c["status"] for c in data["cases"]} == {"not_started"}
    assert all(r["last_bundle"] is None for r in data["readers"])
    assert data["flags"] == []


def test_merged_status_moderation_and_analysis(coordinated, unmerged):
    assert _merge(coordinated, unmerged, "R1-1", "R2-1", "R3-1")["imported"] == 3
    code, out, err = run_cli("status", unmerged, "--json")
    assert code == 0, err
    data = json.loads(out)
    by_case = {c["case_ref"]: c for c in data["cases"]}
    assert by_case["SA-001"]["status"] == "complete"
    assert [
        (r["reader_id"], r["status"], r["answered"]) for r in by_case["SA-001"]["readings"]
    ] == [
        ("R1", "complete", 53),
        ("R2", "complete", 53),
    ]
    assert by_case["SA-002"]["readers"] == ["R1", "R2", "R3"]
    readers = {r["reader_id"]: r for r in data["readers"]}
    assert readers["R3"]["last_bundle"]["sequence"] == 1
    assert readers["R3"]["last_bundle"]["fingerprint"]
    assert {f["case_ref"] for f in data["flags"]} == {"SA-003", "SA-004"}
    assert all(f["flag_id"] and f["category"] and f["raised_at"] for f in data["flags"])
    assert data["totals"]["open_flags"] == 2 and data["totals"]["double_read"] == 2

    code, out, err = run_cli("status", unmerged)
    assert code == 0, err
    assert "R3       3 assigned, 1 complete, 1 in progress" in out
    assert coordinated.flag_ids["SA-004"] in out

    code, out, err = run_cli("moderation", unmerged, "--json")
    assert code == 0, err
    queue = json.loads(out)["cases"]
    assert [c["case_ref"] for c in queue] == ["SA-001", "SA-002"]
    assert [i["item"] for i in queue[0]["items"]] == ["assessment.grade", "involvement.grade"]
    assert queue[0]["items"][0]["values"] == {"R1": "4", "R2": "2"}

    before = store_bytes(unmerged)
    code, _, err = run_cli("moderate", unmerged, "SA-001", "assessment.grade", "3")
    assert code == 2 and "rationale" in err and store_bytes(unmerged) == before
    code, _, err = run_cli("moderate", unmerged, "SA-001")
    assert code == 2
    code, out, err = run_cli("moderate", unmerged, "SA-001", "--accept-equal")
    assert code == 0 and "2 item(s) still to look at" in out, err
    for item, value in (("assessment.grade", "3"), ("involvement.grade", "4")):
        code, out, err = run_cli(
            "moderate", unmerged, "SA-001", item, value, "--rationale", "Discussed with both."
        )
        assert code == 0, err
    assert "0 item(s) still to look at" in out

    # R2 sends a newer bundle: the assessment grade under the moderation changed
    assert _merge(coordinated, unmerged, "R2-2")["imported"] == 1
    code, out, _ = run_cli("moderation", unmerged)
    assert "changed_since_moderation" in out and "moderated: 3" in out

    code, out, err = run_cli("analysis", unmerged, "--json")
    assert code == 0, err
    analysis = json.loads(out)
    assert [(u["case_ref"], u["stage"]) for u in analysis["unresolved"]] == [("SA-002", "impact")]
    assessment = next(i for i in analysis["items"] if i["stage"] == "assessment")
    assert assessment["n"] == 5 and assessment["counts"]["3"] == 2
    reviews = {f["case_ref"]: f["status"] for f in analysis["flags"]}
    assert reviews == {"SA-003": "raised", "SA-004": "closed"}

    code, out, err = run_cli("analysis", unmerged)
    assert code == 0 and "6 cases analysed, reserve counted: SA-007" in out, err
