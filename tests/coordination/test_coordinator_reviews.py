"""The management-review tracker across readers: the coordinator moves reviews along, and steps
taken on a reader's laptop and in the coordinator store reconcile through merge."""

import json

import pytest
from coordination_fixtures import run_cli

from casereader.bundle.merge import merge_bundles
from casereader.errors import StoreError
from casereader.store import flags


def _steps(flag):
    return [(e.status, e.actor) for e in flag.history]


def test_closed_on_the_laptop_after_the_coordinator_referred_it(coordinated, coordinator):
    flag_id = coordinated.flag_ids["SA-004"]
    flags.advance_flag(coordinator, flag_id, "referred", "To the named senior manager.", "Lead")
    merge_bundles(coordinator, [coordinated.bundles["R2-2"]], coordinated.identity())
    flag = flags.get_flag(coordinator, flag_id)
    assert flag.status == "closed"
    # no step lost, whichever side took it; the history is in time order
    assert sorted(_steps(flag)) == sorted(
        [("raised", "R2"), ("referred", "Lead"), ("closed", "R2")]
    )
    assert [e.at for e in flag.history] == sorted(e.at for e in flag.history)
    notes = {e.status: e.note for e in flag.history}
    assert notes["referred"] == "To the named senior manager."
    assert notes["closed"] == "Discussed with the lead: safe."


def test_closed_by_the_coordinator_stays_closed_when_the_reader_sends_again(
    coordinated, coordinator
):
    flag_id = coordinated.flag_ids["SA-003"]
    for status, note in (
        ("referred", "Referred for management review."),
        ("response_received", "The partnership replied: visits are recorded elsewhere."),
        ("closed", "Response accepted."),
    ):
        flags.advance_flag(coordinator, flag_id, status, note, "Lead")
    merge_bundles(coordinator, [coordinated.bundles["R1-2"]], coordinated.identity())
    flag = flags.get_flag(coordinator, flag_id)
    assert flag.status == "closed"
    assert _steps(flag) == [
        ("raised", "R1"),
        ("referred", "Lead"),
        ("response_received", "Lead"),
        ("closed", "Lead"),
    ]


def test_a_review_moves_only_forward(coordinated, coordinator):
    merge_bundles(coordinator, [coordinated.bundles["R2-2"]], coordinated.identity())
    with pytest.raises(StoreError, match="only move forward"):
        flags.advance_flag(coordinator, coordinated.flag_ids["SA-004"], "referred", "Late.")


def test_the_coordinator_finds_the_id_and_advances_it_from_the_command_line(
    coordinated, coordinator
):
    path = coordinator.path
    coordinator.close()
    code, out, err = run_cli("flags", path, "--json")
    assert code == 0, err
    listed = {f["case_ref"]: f for f in json.loads(out)["flags"]}
    flag_id = listed["SA-004"]["flag_id"]
    assert flag_id == coordinated.flag_ids["SA-004"]
    assert listed["SA-004"]["category"] == "immediate_risk"
    code, out, err = run_cli(
        "flag-status",
        path,
        flag_id,
        "referred",
        "--note",
        "Sent to the partnership.",
        "--by",
        "Lead inspector",
    )
    assert code == 0, err
    code, out, _ = run_cli("status", path, "--json")
    reviews = {f["flag_id"]: f for f in json.loads(out)["flags"]}
    assert reviews[flag_id]["status"] == "referred"
    assert [e["actor"] for e in reviews[flag_id]["history"]] == ["R2", "Lead inspector"]
    code, out, _ = run_cli("flags", path)
    assert flag_id in out and "Referred to the partnership" in out
    code, _, err = run_cli("flag-status", path, "no-such-id", "closed", "--note", "x")
    assert code == 1 and "No management review" in err


def test_closed_reviews_stay_listed_with_their_history(coordinated, coordinator):
    merge_bundles(coordinator, [coordinated.bundles["R2-2"]], coordinated.identity())
    listed = {f.flag_id: f for f in flags.list_flags(coordinator)}
    closed = listed[coordinated.flag_ids["SA-004"]]
    assert not closed.is_open and len(closed.history) == 2
