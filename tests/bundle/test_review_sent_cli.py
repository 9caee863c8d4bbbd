"""Management reviews on their way to the lead inspector, as the command line shows them:
`status` lists the reviews not yet sent, `export` says which it carries, `merge` lists the
reviews that arrived first (immediate risk first, in red on a colour terminal)."""

import io
import json

import pytest
from test_export_fixtures import (
    COORDINATOR_PASSPHRASE,
    READER_PASSPHRASE,
    copy_store,
    shared_inspection,
)

from casereader.bundle.export import default_bundle_path, export_bundle
from casereader.cli import main, review_reports
from casereader.store import Store, flags, review_sent


@pytest.fixture(scope="module")
def inspection(tmp_path_factory):
    return shared_inspection(tmp_path_factory.getbasetemp())


def run(capsys, *argv) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def stores(inspection, tmp_path):
    """Private copies: R1's and R2's reader stores and the coordinator store."""
    return {
        "R1": copy_store(inspection.readers["R1"], tmp_path / "R1.casereader"),
        "R2": copy_store(inspection.readers["R2"], tmp_path / "R2.casereader"),
        "coordinator": copy_store(inspection.coordinator, tmp_path / "coordinator.casereader"),
    }


def status(capsys, monkeypatch, path) -> dict:
    monkeypatch.setenv("CASEREADER_PASSPHRASE", READER_PASSPHRASE)
    code, out, err = run(capsys, "status", path, "--json")
    assert code == 0, err
    return json.loads(out)


def test_status_lists_reviews_until_their_latest_step_is_exported(
    capsys, monkeypatch, stores, tmp_path
):
    data = status(capsys, monkeypatch, stores["R1"])
    [unsent] = data["unsent_reviews"]
    assert unsent["category"] == "investigate" and unsent["status"] == "raised"
    assert unsent["last_sent_bundle"] is None
    code, out, _ = run(capsys, "status", stores["R1"])
    assert "1 management review not yet sent to the lead inspector" in out
    assert unsent["case_ref"] in out and "never sent" in out

    code, out, err = run(capsys, "export", stores["R1"], "--out", tmp_path / "b1.crbundle")
    assert code == 0, err
    assert "It carries 1 management review, 1 with a step sent for the first time" in out
    assert "(new in this bundle)" in out
    assert status(capsys, monkeypatch, stores["R1"])["unsent_reviews"] == []
    code, out, _ = run(capsys, "status", stores["R1"])
    assert "Every management review has been sent" in out

    # A later step makes it unsent again, saying which bundle carried the earlier one.
    with Store.open(stores["R1"], READER_PASSPHRASE) as store:
        flags.advance_flag(store, unsent["flag_id"], "referred", "Passed to the lead.")
    [again] = status(capsys, monkeypatch, stores["R1"])["unsent_reviews"]
    assert (again["flag_id"], again["status"], again["last_sent_bundle"]) == (
        unsent["flag_id"],
        "referred",
        1,
    )
    code, out, _ = run(capsys, "export", stores["R1"], "--out", tmp_path / "b2.crbundle", "--json")
    carried = json.loads(out)
    assert carried["sequence"] == 2
    [review] = carried["reviews"]
    assert (review["flag_id"], review["status"], review["first_sent_now"]) == (
        unsent["flag_id"],
        "referred",
        True,
    )
    assert status(capsys, monkeypatch, stores["R1"])["unsent_reviews"] == []


def test_a_failed_export_sends_nothing(capsys, monkeypatch, stores, tmp_path):
    monkeypatch.setenv("CASEREADER_PASSPHRASE", READER_PASSPHRASE)
    code, _, err = run(capsys, "export", stores["R1"], "--out", tmp_path / "nowhere" / "b.crbundle")
    assert code == 2 and "does not exist" in err
    assert len(status(capsys, monkeypatch, stores["R1"])["unsent_reviews"]) == 1


def test_immediate_risk_comes_first_and_closed_reviews_count_until_sent(stores, inspection):
    with Store.open(stores["R1"], READER_PASSPHRASE) as store:
        ref = store.db.execute("SELECT case_ref FROM cases ORDER BY case_ref DESC").fetchone()[0]
        risk = flags.raise_flag(store, ref, "immediate-risk", "Child alone at night.")
        unsent = review_sent.unsent_reviews(store)
        assert [r.flag_id for r in unsent][0] == risk.flag_id
        export_bundle(store, [inspection.recipient], stores["R1"].parent / "x.crbundle")
        flags.advance_flag(store, risk.flag_id, "closed", "Referred and answered.")
        [closed] = review_sent.unsent_reviews(store)
        assert (closed.flag_id, closed.status, closed.sent_sequence) == (risk.flag_id, "closed", 1)
        assert review_sent.unsent_by_case(store) == {ref: 1}


def test_a_coordinator_store_has_nothing_to_send(stores):
    with Store.open(stores["coordinator"], COORDINATOR_PASSPHRASE) as store:
        assert review_sent.unsent_reviews(store) == []


def test_default_bundle_names_never_reuse_a_file(stores, inspection, tmp_path):
    with Store.open(stores["R1"], READER_PASSPHRASE) as store:
        first = default_bundle_path(store, tmp_path)
        assert first.name.startswith("R1-") and first.name.endswith("-bundle1.crbundle")
        first.write_bytes(b"an earlier file")
        second = default_bundle_path(store, tmp_path)
        assert second != first and second.name.endswith("-bundle1-2.crbundle")
        export_bundle(store, [inspection.recipient], second)
        assert default_bundle_path(store, tmp_path).name.endswith("-bundle2.crbundle")
    assert first.read_bytes() == b"an earlier file"


# merge ---------------------------------------------------------------------------------------


def _export(path, inspection, out):
    with Store.open(path, READER_PASSPHRASE) as store:
        return export_bundle(store, [inspection.recipient], out)


def merge(capsys, monkeypatch, coordinator, inspection, *bundles, as_json=True):
    monkeypatch.setenv("CASEREADER_PASSPHRASE", COORDINATOR_PASSPHRASE)
    extra = ["--json"] if as_json else []
    code, out, err = run(
        capsys, "merge", coordinator, *bundles, "--identity", inspection.key_file, *extra
    )
    assert code == 0, err
    return json.loads(out) if as_json else out


def test_merge_lists_arrived_reviews_first_immediate_risk_at_the_top(
    capsys, monkeypatch, stores, inspection, tmp_path
):
    with Store.open(stores["R2"], READER_PASSPHRASE) as store:
        ref = store.db.execute("SELECT case_ref FROM flags").fetchone()[0]
        risk = flags.raise_flag(store, ref, "immediate-risk", "Bruising seen, not followed up.")
    r1 = _export(stores["R1"], inspection, tmp_path / "r1-1.crbundle")
    r2 = _export(stores["R2"], inspection, tmp_path / "r2-1.crbundle")
    shown = merge(capsys, monkeypatch, stores["coordinator"], inspection, r1.path, r2.path)
    assert list(shown)[0] == "arrived_reviews"
    arrived = shown["arrived_reviews"]
    assert len(arrived) == 3
    top = arrived[0]
    assert (top["flag_id"], top["immediate_risk"], top["new_review"]) == (risk.flag_id, True, True)
    assert (top["case_ref"], top["reader_id"], top["category"]) == (ref, "R2", "immediate_risk")
    assert top["raised_at"] == risk.raised_at
    assert top["category_label"] == "Immediate risk to a child"
    assert [a["immediate_risk"] for a in arrived] == [True, False, False]
    assert {a["reader_id"] for a in arrived[1:]} == {"R1", "R2"}
    per_bundle = {b["file"]: b["arrived_reviews"] for b in shown["bundles"]}
    assert len(per_bundle["r2-1.crbundle"]) == 2 and len(per_bundle["r1-1.crbundle"]) == 1

    # The same bundles again: nothing new arrives.
    again = merge(capsys, monkeypatch, stores["coordinator"], inspection, r1.path, r2.path)
    assert again["arrived_reviews"] == []

    # A new step on R1's review arrives as a new step, not a new review.
    with Store.open(stores["R1"], READER_PASSPHRASE) as store:
        [flag] = flags.list_flags(store)
        flags.advance_flag(store, flag.flag_id, "referred", "Lead inspector told by phone.")
    r1b = _export(stores["R1"], inspection, tmp_path / "r1-2.crbundle")
    later = merge(capsys, monkeypatch, stores["coordinator"], inspection, r1b.path)
    [step] = later["arrived_reviews"]
    assert (step["flag_id"], step["new_review"], step["status"]) == (
        flag.flag_id,
        False,
        "referred",
    )
    assert [s["status"] for s in step["new_steps"]] == ["referred"]


def test_merge_text_puts_reviews_before_the_bundles(
    capsys, monkeypatch, stores, inspection, tmp_path
):
    with Store.open(stores["R1"], READER_PASSPHRASE) as store:
        ref = store.db.execute("SELECT case_ref FROM flags").fetchone()[0]
        flags.raise_flag(store, ref, "immediate-risk", "Unsafe sleeping\x1b[2J arrangements.")
    r1 = _export(stores["R1"], inspection, tmp_path / "r1.crbundle")
    monkeypatch.delenv("NO_COLOR", raising=False)
    out = merge(capsys, monkeypatch, stores["coordinator"], inspection, r1.path, as_json=False)
    lines = out.splitlines()
    assert lines[0].startswith("Management reviews arrived: 2, 1 of immediate risk")
    assert lines[1].startswith(f"  IMMEDIATE RISK: {ref}, reader R1, raised ")
    assert "\x1b" not in out  # captured output is not a terminal: no colour
    assert "Unsafe sleeping[2J arrangements." in out  # control characters dropped
    assert out.index("IMMEDIATE RISK") < out.index("IMPORTED")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_without_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert review_reports.colour_wanted(_Terminal())
    assert not review_reports.colour_wanted(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not review_reports.colour_wanted(_Terminal())
    monkeypatch.setenv("NO_COLOR", "")
    assert not review_reports.colour_wanted(_Terminal())


def test_immediate_risk_lines_are_red_on_a_colour_terminal(
    capsys, monkeypatch, stores, inspection, tmp_path
):
    with Store.open(stores["R1"], READER_PASSPHRASE) as store:
        ref = store.db.execute("SELECT case_ref FROM flags").fetchone()[0]
        flags.raise_flag(store, ref, "immediate-risk", "Child alone at night.")
    r1 = _export(stores["R1"], inspection, tmp_path / "r1.crbundle")
    monkeypatch.setenv("CASEREADER_PASSPHRASE", COORDINATOR_PASSPHRASE)
    monkeypatch.setattr(review_reports, "colour_wanted", lambda stream=None: True)
    code, out, _ = run(capsys, "merge", stores["coordinator"], r1.path, "--identity",
                       inspection.key_file)  # fmt: skip
    assert code == 0
    red = [line for line in out.splitlines() if line.startswith(review_reports.RED)]
    assert any("IMMEDIATE RISK" in line for line in red)
    assert not any("Concern needing further investigation" in line for line in red)
    assert all(line.endswith(review_reports.RESET) for line in red)
