"""The merged overview of a coordinator store (every reader's work) and `status`/`flags`."""

from casereader.store.coordination.overview import merged_overview


def _case(overview, ref):
    return next(c for c in overview.cases if c.case_ref == ref)


def test_every_readers_work_shows_per_case(coordinator):
    overview = merged_overview(coordinator)
    sa1 = _case(overview, "SA-001")
    assert [(r.reader_id, r.status) for r in sa1.readers] == [
        ("R1", "complete"),
        ("R2", "complete"),
    ]
    assert all(r.answered == r.required_answered == r.required for r in sa1.readers)
    assert sa1.double_read and sa1.overall_status == "complete"
    sa2 = _case(overview, "SA-002")
    assert [r.reader_id for r in sa2.readers] == ["R1", "R2", "R3"]
    sa5 = _case(overview, "SA-005")
    assert sa5.overall_status == "in_progress" and sa5.readers[0].answered == 5
    sa6 = _case(overview, "SA-006")
    assert (sa6.overall_status, sa6.replaced_by) == ("not_started", "SA-007")
    assert _case(overview, "SA-007").replaces == "SA-006"
    sa4 = _case(overview, "SA-004")
    assert sa4.open_flags == 1 and sa4.readers[0].open_flags == 1


def test_every_reader_shows_progress_and_last_bundle(coordinator):
    overview = merged_overview(coordinator)
    by = {r.reader_id: r for r in overview.readers}
    assert set(by) == {"R1", "R2", "R3"}
    r1, r2, r3 = by["R1"], by["R2"], by["R3"]
    assert (r1.assigned, r1.complete, r1.in_progress, r1.not_started, r1.flagged) == (4, 4, 0, 0, 1)
    assert (r2.assigned, r2.complete, r2.flagged) == (4, 4, 1)
    assert (r3.assigned, r3.complete, r3.in_progress, r3.not_started) == (3, 1, 1, 1)
    assert r1.last_bundle.sequence == 1
    assert len(r1.last_bundle.fingerprint) == 19 and r1.last_bundle.imported_at


def test_every_review_is_listed_with_its_id(coordinated, coordinator):
    overview = merged_overview(coordinator)
    assert {f.flag_id: f.case_ref for f in overview.flags} == {
        v: k for k, v in coordinated.flag_ids.items()
    }
    assert overview.open_flags == 2


def test_a_reader_store_status_is_the_readers_own(coordinated, tmp_path):
    import json

    from coordination_fixtures import copy_store, run_cli

    path = copy_store(coordinated.readers["R3"], tmp_path / "R3.casereader")
    code, out, err = run_cli("status", path, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert {"inspection", "template", "signing_key", "cases", "totals"} <= set(data)
    assert not {"readers", "flags"} & set(data)  # the merged overview is the coordinator's
    assert "readings" not in data["cases"][0]
    assert {c["case_ref"]: c["status"] for c in data["cases"]}["SA-005"] == "in_progress"
    code, out, _ = run_cli("status", path)
    assert "reader store of R3" in out and "Readers:" not in out
