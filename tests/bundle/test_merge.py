"""Merging readers' bundles into the coordinator store: checks, refusals, supersession, trust."""

import json

import pytest
from pyrage import x25519
from test_export_fixtures import (
    COORDINATOR_PASSPHRASE,
    READER_PASSPHRASE,
    answer_case,
    copy_store,
    enrol,
    export_to_bytes,
    members_of,
    rebuild,
    shared_inspection,
    store_bytes,
)

from casereader.bundle import age, keys, signing
from casereader.bundle.merge import merge_bundle, merge_bundles, open_bundle
from casereader.errors import BundleRejected, StoreError
from casereader.store import Store, answers, audit, cases, flags
from casereader.store import bundles as store_bundles


@pytest.fixture(scope="module")
def inspection(tmp_path_factory):
    return shared_inspection(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def genuine(inspection, tmp_path_factory):
    """Two successive bundles from R1 and one from R2, with R1's signing key, made once."""
    folder = tmp_path_factory.mktemp("genuine")
    made = {}
    for reader in ("R1", "R2"):
        path = copy_store(inspection.readers[reader], folder / f"{reader}.casereader")
        with Store.open(path, READER_PASSPHRASE) as store:
            made[f"{reader}-1"] = export_to_bytes(store, [inspection.recipient])
            if reader == "R1":
                made["R1-key"] = store.signing_private_key()
                ref = store.db.execute("SELECT case_ref FROM answers LIMIT 1").fetchone()[0]
                key = store.template.graded_keys()[0]
                answers.save_answer(store, ref, key, value="2", note="Weak: no plan.")
                for link in answers.evidence_links(store, ref):
                    answers.remove_evidence_link(store, link.id)
                flag = flags.list_flags(store)[0]
                flags.advance_flag(store, flag.flag_id, "referred", "Sent to the partnership.")
                made["R1-2"] = export_to_bytes(store, [inspection.recipient])
                made["R1-flag"] = flag.flag_id
                made["R1-case"] = ref
    for name in ("R1-1", "R1-2", "R2-1"):
        (folder / f"{name}.crbundle").write_bytes(made[name])
    made["folder"] = folder
    return made


@pytest.fixture
def coordinator(inspection, tmp_path):
    path = copy_store(inspection.coordinator, tmp_path / "coordinator.casereader")
    with Store.open(path, COORDINATOR_PASSPHRASE) as store:
        yield store


def _merge(store, inspection, data: bytes, name: str = "bundle.crbundle"):
    return merge_bundle(store, open_bundle(data, inspection.identity(), name))


def _refusal(store, inspection, data: bytes) -> str:
    before = store_bytes(store.path)
    with pytest.raises(BundleRejected) as caught:
        _merge(store, inspection, data)
    assert store_bytes(store.path) == before
    return str(caught.value)


def test_a_bundle_brings_the_readers_work_in(inspection, genuine, coordinator):
    outcome = _merge(coordinator, inspection, genuine["R1-1"], "R1-1.crbundle")
    assert outcome.outcome == "imported"
    assert outcome.reader_id == "R1" and outcome.sequence == 1
    ref = genuine["R1-case"]
    got = answers.answers_for(coordinator, ref, "R1")
    assert len(got) == len(coordinator.template.graded_keys())
    assert {a.value for a in got.values()} == {"4"}
    assert len(answers.evidence_links(coordinator, ref, reader_id="R1")) == 1
    flag = flags.get_flag(coordinator, genuine["R1-flag"])
    assert (flag.reader_id, flag.status) == ("R1", "raised")
    assert cases.reader_status(coordinator, ref, "R1") == "in_progress"
    [bundle] = store_bundles.imported_bundles(coordinator)
    assert store_bundles.bundle_bytes(coordinator, bundle.id) == genuine["R1-1"]
    assert bundle.file_name == "R1-1.crbundle"
    assert store_bundles.reader_audit(coordinator, "R1")
    imported = audit.entries(coordinator, action="bundle.imported")
    assert [(e.target, e.new_value) for e in imported] == [("R1", "1")]
    # the reader's own audit log stays out of the coordinator's
    assert not audit.entries(coordinator, action="answer.value")


def test_the_same_bundle_twice_changes_nothing(inspection, genuine, coordinator):
    _merge(coordinator, inspection, genuine["R1-1"])
    before = store_bytes(coordinator.path)
    outcome = _merge(coordinator, inspection, genuine["R1-1"])
    assert outcome.outcome == "unchanged"
    assert store_bytes(coordinator.path) == before


def test_a_higher_sequence_supersedes_and_keeps_the_coordinators_own_steps(
    inspection, genuine, coordinator
):
    _merge(coordinator, inspection, genuine["R1-1"])
    flag_id = genuine["R1-flag"]
    flags.advance_flag(coordinator, flag_id, "response_received", "Reply from the partnership.")
    outcome = _merge(coordinator, inspection, genuine["R1-2"])
    assert (outcome.outcome, outcome.replaced_sequence) == ("imported", 1)
    ref = genuine["R1-case"]
    got = answers.answers_for(coordinator, ref, "R1")
    first_key = coordinator.template.graded_keys()[0]
    assert (got[first_key].value, got[first_key].note) == ("2", "Weak: no plan.")
    assert answers.evidence_links(coordinator, ref, reader_id="R1") == []
    flag = flags.get_flag(coordinator, flag_id)
    history = [(e.status, e.note) for e in flag.history]
    assert ("response_received", "Reply from the partnership.") in history
    assert ("referred", "Sent to the partnership.") in history
    assert [s for s, _ in history].count("raised") == 1
    assert flag.status == "response_received"
    assert [b.sequence for b in store_bundles.imported_bundles(coordinator)] == [1, 2]
    # merged again: the coordinator's step is still there, once
    _merge(coordinator, inspection, genuine["R1-2"])
    again = flags.get_flag(coordinator, flag_id).history
    assert [e.status for e in again].count("response_received") == 1


def test_an_older_bundle_arriving_later_is_refused_as_stale(inspection, genuine, coordinator):
    _merge(coordinator, inspection, genuine["R1-2"])
    message = _refusal(coordinator, inspection, genuine["R1-1"])
    assert message.startswith("stale:")


def test_bundles_given_together_merge_oldest_first_and_report_in_order(
    inspection, genuine, coordinator
):
    folder = genuine["folder"]
    paths = [folder / "R1-2.crbundle", folder / "R2-1.crbundle", folder / "R1-1.crbundle"]
    outcomes = merge_bundles(coordinator, paths, inspection.identity())
    assert [(o.file, o.outcome, o.sequence) for o in outcomes] == [
        ("R1-2.crbundle", "imported", 2),
        ("R2-1.crbundle", "imported", 1),
        ("R1-1.crbundle", "imported", 1),
    ]
    assert store_bundles.latest_import(coordinator, "R1").sequence == 2


def test_one_bad_bundle_does_not_stop_the_good_ones(inspection, genuine, coordinator, tmp_path):
    bad = tmp_path / "cut.crbundle"
    bad.write_bytes(genuine["R1-1"][:-40])
    good = genuine["folder"] / "R2-1.crbundle"
    outcomes = merge_bundles(coordinator, [bad, good], inspection.identity())
    assert [o.outcome for o in outcomes] == ["refused", "imported"]
    assert "truncated or damaged" in outcomes[0].message
    assert [b.reader_id for b in store_bundles.imported_bundles(coordinator)] == ["R2"]


def _other_key() -> bytes:
    return signing.new_signing_key()


def _edit(member: str, change):
    def edit(members: dict) -> None:
        data = json.loads(members[member])
        change(data)
        members[member] = json.dumps(data).encode()

    return edit


def _set_grade(value):
    def change(data):
        data["answers"][0]["value"] = value

    return _edit("answers.json", change)


REFUSALS = {
    "wrong key": "not encrypted to this key",
    "truncated": "truncated or damaged",
    "flipped": "truncated or damaged",
    "altered": "does not match its SHA-256",
    "forged": "signature does not match",
    "missing signature": "missing signature",
    "unknown format": "unknown bundle format version 2",
    "not a bundle": "not a casereader bundle",
    "other inspection": "other inspection",
    "other template": "other template",
    "unknown case": "which this store does not have",
    "bad value": "not a value the template allows",
    "counts": "counts do not match",
}


def _crafted(kind: str, genuine: dict, inspection) -> bytes:
    data = genuine["R1-1"]
    members = members_of(data, inspection.identity())
    key = genuine["R1-key"]
    r = inspection.recipient
    if kind == "wrong key":
        return rebuild(members, keys.recipient_of(x25519.Identity.generate()), None)
    if kind == "truncated":
        return data[: len(data) // 2]
    if kind == "flipped":
        return data[:-100] + bytes([data[-100] ^ 1]) + data[-99:]
    if kind == "altered":
        return rebuild(members, r, None, edit_members=_set_grade("5"), rehash=False)
    if kind == "forged":
        return rebuild(members, r, None, edit_members=_set_grade("5"))
    if kind == "missing signature":
        return rebuild(members, r, None, edit_members=lambda m: m.pop("manifest.sig"))
    if kind == "unknown format":
        return rebuild(members, r, key, edit_manifest=lambda m: m.update(format_version=2))
    if kind == "not a bundle":
        return rebuild(members, r, key, edit_manifest=lambda m: m.update(format="other"))
    if kind == "other inspection":
        return rebuild(members, r, key, edit_manifest=lambda m: m.update(inspection_id="x-1"))
    if kind == "other template":
        sha = "ab" * 32

        def answers_elsewhere(data):
            for a in data["answers"]:
                a["template_sha256"] = sha

        return rebuild(
            members,
            r,
            key,
            edit_members=_edit("answers.json", answers_elsewhere),
            edit_manifest=lambda m: m["template"].update(sha256=sha),
        )
    if kind == "unknown case":

        def elsewhere(data):
            data["statuses"][0]["case_ref"] = "ZZ-999"

        return rebuild(members, r, key, edit_members=_edit("cases.json", elsewhere))
    if kind == "bad value":
        return rebuild(members, r, key, edit_members=_set_grade("0"))
    if kind == "counts":
        return rebuild(members, r, key, edit_manifest=lambda m: m["counts"].update(answers=99))
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", sorted(REFUSALS))
def test_each_kind_of_bad_bundle_is_refused_with_its_own_message(
    kind, inspection, genuine, coordinator
):
    message = _refusal(coordinator, inspection, _crafted(kind, genuine, inspection))
    assert REFUSALS[kind] in message
    assert "\n" not in message


def test_the_messages_differ_between_kinds(inspection, genuine):
    assert len(set(REFUSALS.values())) == len(REFUSALS) - 1  # truncated and flipped: one age error


def test_a_refused_bundle_leaves_the_store_file_byte_identical(
    inspection, genuine, coordinator, tmp_path
):
    _merge(coordinator, inspection, genuine["R1-1"])
    coordinator.close()
    before = store_bytes(coordinator.path)
    bad = tmp_path / "forged.crbundle"
    bad.write_bytes(_crafted("forged", genuine, inspection))
    with Store.open(coordinator.path, COORDINATOR_PASSPHRASE) as store:
        [outcome] = merge_bundles(store, [bad], inspection.identity())
        assert outcome.outcome == "refused"
    assert store_bytes(coordinator.path) == before


def test_only_the_enrolled_key_is_accepted_even_for_a_first_bundle(
    inspection, genuine, coordinator
):
    members = members_of(genuine["R1-1"], inspection.identity())
    impostor = rebuild(members, inspection.recipient, _other_key())
    message = _refusal(coordinator, inspection, impostor)
    assert "signed by a different key than the one enrolled for R1" in message
    _merge(coordinator, inspection, genuine["R1-1"])
    assert (
        store_bundles.pinned_key(coordinator, "R1")
        == signing.public_key_of(genuine["R1-key"]).hex()
    )


def test_the_same_sequence_with_other_contents_is_refused(inspection, genuine, coordinator):
    _merge(coordinator, inspection, genuine["R1-1"])
    members = members_of(genuine["R1-1"], inspection.identity())
    changed = rebuild(
        members, inspection.recipient, genuine["R1-key"], edit_members=_set_grade("5")
    )
    assert "already imported with different contents" in _refusal(coordinator, inspection, changed)


def test_a_bundle_signed_as_the_coordinator_is_refused(inspection, genuine, coordinator):
    members = members_of(genuine["R1-1"], inspection.identity())

    def as_coordinator(members):
        for name, key in (("answers.json", "answers"), ("evidence_links.json", "evidence_links")):
            data = json.loads(members[name])
            for record in data[key]:
                record["reader_id"] = "coordinator"
            members[name] = json.dumps(data).encode()
        data = json.loads(members["flags.json"])
        for flag in data["flags"]:
            flag["reader_id"] = "coordinator"
        members["flags.json"] = json.dumps(data).encode()

    crafted = rebuild(
        members,
        inspection.recipient,
        genuine["R1-key"],
        edit_members=as_coordinator,
        edit_manifest=lambda m: m.update(reader_id="coordinator"),
    )
    assert "id of this coordinator store" in _refusal(coordinator, inspection, crafted)


def test_work_of_another_reader_inside_a_bundle_is_refused(inspection, genuine, coordinator):
    members = members_of(genuine["R1-1"], inspection.identity())

    def someone_else(data):
        data["answers"][0]["reader_id"] = "R2"

    crafted = rebuild(
        members,
        inspection.recipient,
        genuine["R1-key"],
        edit_members=_edit("answers.json", someone_else),
    )
    assert "holds work of reader 'R2'" in _refusal(coordinator, inspection, crafted)


def test_a_reader_store_does_not_take_bundles(inspection, genuine, tmp_path):
    path = copy_store(inspection.readers["R2"], tmp_path / "R2.casereader")
    with (
        Store.open(path, READER_PASSPHRASE) as store,
        pytest.raises(StoreError, match="coordinator store"),
    ):
        merge_bundles(store, [genuine["folder"] / "R1-1.crbundle"], inspection.identity())


def test_a_missing_file_and_a_non_age_file_are_each_named(inspection, coordinator, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a bundle")
    outcomes = merge_bundles(coordinator, [tmp_path / "gone.crbundle", junk], inspection.identity())
    assert "no such bundle file" in outcomes[0].message
    assert "not an age file" in outcomes[1].message


def test_substitutions_come_in_unless_the_coordinator_decided_otherwise(
    inspection, coordinator, tmp_path
):
    path = copy_store(inspection.readers["R2"], tmp_path / "R2.casereader")
    refs = [c.case_ref for c in cases.list_cases(coordinator)]
    core = [c.case_ref for c in cases.list_cases(coordinator) if c.sample_group == "core"]
    reserve = [r for r in refs if r not in core]
    with Store.open(path, READER_PASSPHRASE) as store:
        with store.db.atomic():
            cases.upsert_cases(
                store,
                [
                    cases.CaseIn(core[0], "core", False),
                    cases.CaseIn(reserve[0], "reserve", False),
                ],
            )
        cases.replace_case(store, core[0], reserve[0], "records_unavailable")
        data = export_to_bytes(store, [inspection.recipient])
    enrol(coordinator, path)  # R2's pack re-made with the two cases
    outcome = _merge(coordinator, inspection, data)
    assert outcome.outcome == "imported"
    [sub] = cases.substitutions(coordinator)
    assert (sub.core_ref, sub.reserve_ref, sub.decided_by) == (core[0], reserve[0], "R2")


def test_a_new_reader_work_arrives_after_more_answers(inspection, genuine, coordinator, tmp_path):
    """A later export with a second case answered brings both cases' answers."""
    path = copy_store(inspection.readers["R2"], tmp_path / "R2.casereader")
    with Store.open(path, READER_PASSPHRASE) as store:
        first = export_to_bytes(store, [inspection.recipient])
        refs = [c.case_ref for c in cases.list_cases(store)]
        if len(refs) > 1:
            answer_case(store, refs[1], "5")
        second = export_to_bytes(store, [inspection.recipient])
    _merge(coordinator, inspection, first)
    _merge(coordinator, inspection, second)
    answered = coordinator.db.execute(
        "SELECT count(DISTINCT case_ref) FROM answers WHERE reader_id = 'R2'"
    ).fetchone()[0]
    assert answered == min(2, len(refs))
    assert len(flags.list_flags(coordinator)) == min(2, len(refs))
    assert age.looks_like_age(second)


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda m: m.update({"notes.txt": b"hello"}), "'notes.txt' is not listed in the manifest"),
        (lambda m: m.pop("answers.csv"), "'answers.csv' is listed in the manifest but missing"),
        (lambda m: m.update({"audit.json": m["audit.json"] + b" "}), "'audit.json' does not match"),
    ],
)
def test_members_are_checked_against_the_manifest_as_they_are_read(
    inspection, genuine, coordinator, edit, message
):
    members = members_of(genuine["R1-1"], inspection.identity())
    # The original manifest and signature: only the members around them change.
    crafted = rebuild(members, inspection.recipient, None, edit_members=edit, rehash=False)
    assert message in _refusal(coordinator, inspection, crafted)


def test_the_readers_audit_log_accumulates_each_entry_once(inspection, genuine, coordinator):
    first = _merge(coordinator, inspection, genuine["R1-1"])
    _merge(coordinator, inspection, genuine["R1-2"])
    sent = {
        name: [e["id"] for e in json.loads(members_of(genuine[name], inspection.identity())[
            "audit.json"])["entries"]]
        for name in ("R1-1", "R1-2")
    }  # fmt: skip
    assert set(sent["R1-1"]) < set(sent["R1-2"])
    kept = store_bundles.reader_audit(coordinator, "R1")
    assert [e.entry_id for e in kept] == sorted(sent["R1-2"])
    [bundle_1, bundle_2] = store_bundles.imported_bundles(coordinator, "R1")
    assert (first.sequence, bundle_1.sequence) == (1, 1)
    # an entry keeps the bundle it first came in
    assert {e.entry_id for e in kept if e.bundle_id == bundle_1.id} == set(sent["R1-1"])
    assert {e.entry_id for e in kept if e.bundle_id == bundle_2.id} == set(sent["R1-2"]) - set(
        sent["R1-1"]
    )


def test_a_bundle_with_a_superscript_pax_size_does_not_stop_a_good_one(
    inspection, genuine, coordinator, tmp_path
):
    from test_archive import archive as tar_of
    from test_archive import member, pax_header

    odd = tmp_path / "odd.crbundle"
    odd.write_bytes(
        age.encrypt_to_recipients(
            tar_of(pax_header({"size": "²"}) + member("manifest.json", b"{}")),
            [inspection.recipient],
        )
    )
    good = genuine["folder"] / "R2-1.crbundle"
    outcomes = merge_bundles(coordinator, [odd, good], inspection.identity())
    assert [o.outcome for o in outcomes] == ["refused", "imported"]
    assert "damaged size in its pax header" in outcomes[0].message
