"""Readers' keys are enrolled when their pack is made: attacks on merge that must fail.

Each attack leaves the coordinator store byte for byte as it was and is refused in one line
that says what is wrong.
"""

import json

import pytest
from test_export_fixtures import (
    COORDINATOR_PASSPHRASE,
    answer_case,
    copy_store,
    export_to_bytes,
    members_of,
    rebuild,
    shared_inspection,
    store_bytes,
)

from casereader.bundle import pack, signing
from casereader.bundle.merge import merge_bundle, open_bundle
from casereader.errors import BundleRejected
from casereader.store import Store, audit, cases
from casereader.store import bundles as store_bundles

STORE_PASSPHRASE = "Reader-store: lantern orbit meadow 42"


@pytest.fixture(scope="module")
def inspection(tmp_path_factory):
    return shared_inspection(tmp_path_factory.getbasetemp())


@pytest.fixture
def coordinator(inspection, tmp_path):
    path = copy_store(inspection.coordinator, tmp_path / "coordinator.casereader")
    with Store.open(path, COORDINATOR_PASSPHRASE) as store:
        yield store


def _pack_and_open(store, inspection, reader, folder, name=None):
    """Make `reader`'s pack from the coordinator store and open it into a new reader store."""
    name = name or reader
    result = pack.write_pack(store, reader, folder / f"{name}.crpack", inspection.recipient)
    opened = pack.open_pack(
        result.path, result.passphrase, folder / f"{name}.casereader", STORE_PASSPHRASE
    )
    return result, opened.store_path


def _merge(store, inspection, data: bytes):
    return merge_bundle(store, open_bundle(data, inspection.identity(), "b.crbundle"))


def _refused(store, inspection, data: bytes) -> str:
    before = store_bytes(store.path)
    with pytest.raises(BundleRejected) as caught:
        _merge(store, inspection, data)
    assert store_bytes(store.path) == before
    message = str(caught.value)
    assert "\n" not in message
    return message


def _export(path, inspection, reader_id=None, work=True) -> bytes:
    with Store.open(path, STORE_PASSPHRASE) as store:
        if reader_id is not None:  # the attacker relabels their own store
            store.set_setting("reader_id", reader_id)
            store = Store.open(path, STORE_PASSPHRASE)
        if work:
            ref = cases.list_cases(store)[0].case_ref
            answer_case(store, ref, "3")
        data = export_to_bytes(store, [inspection.recipient])
        store.close()
    return data


def test_a_reader_cannot_forge_another_readers_first_bundle(inspection, coordinator, tmp_path):
    # R1 opens its own pack a second time, calls that store R2 and exports.
    result, r1_path = _pack_and_open(coordinator, inspection, "R1", tmp_path)
    forged_path = tmp_path / "forged.casereader"
    pack.open_pack(result.path, result.passphrase, forged_path, STORE_PASSPHRASE)
    _, r2_path = _pack_and_open(coordinator, inspection, "R2", tmp_path)
    forged = _export(forged_path, inspection, reader_id="R2")
    message = _refused(coordinator, inspection, forged)
    assert message.startswith("signed by a different key than the one enrolled for R2")
    # R2's genuine bundle is still welcome afterwards.
    outcome = _merge(coordinator, inspection, _export(r2_path, inspection))
    assert outcome.outcome == "imported"
    assert outcome.fingerprint == signing.fingerprint(
        bytes.fromhex(store_bundles.pinned_key(coordinator, "R2"))
    )


def test_a_reader_id_never_issued_a_pack_is_refused(inspection, coordinator, tmp_path):
    result, r1_path = _pack_and_open(coordinator, inspection, "R1", tmp_path)
    r7 = _export(r1_path, inspection, reader_id="R7", work=False)
    message = _refused(coordinator, inspection, r7)
    assert message.startswith("reader R7 was never issued a reading pack from this store")


def _r1_bundle_with(inspection, coordinator, tmp_path, edit, edit_manifest=None):
    _, r1_path = _pack_and_open(coordinator, inspection, "R1", tmp_path)
    with Store.open(r1_path, STORE_PASSPHRASE) as store:
        key = store.signing_private_key()
    members = members_of(_export(r1_path, inspection), inspection.identity())
    data = json.loads(members["cases.json"])
    edit(data)
    members["cases.json"] = json.dumps(data).encode()
    return rebuild(members, inspection.recipient, key, edit_manifest=edit_manifest)


def _r2_case(coordinator) -> str:
    return next(c.case_ref for c in cases.list_cases(coordinator) if c.readers == ["R2"])


def test_a_status_on_another_readers_case_is_refused(inspection, coordinator, tmp_path):
    other = _r2_case(coordinator)

    def status_elsewhere(data):
        data["statuses"][0]["case_ref"] = other

    crafted = _r1_bundle_with(inspection, coordinator, tmp_path, status_elsewhere)
    message = _refused(coordinator, inspection, crafted)
    assert f"work on case {other}, which is not one of R1's assigned cases" in message


def test_a_substitution_outside_the_readers_cases_is_refused(inspection, coordinator, tmp_path):
    other = _r2_case(coordinator)
    own = next(c.case_ref for c in cases.list_cases(coordinator) if "R1" in c.readers)

    def substitution(data):
        data["substitutions"].append(
            {
                "core_ref": other,
                "reserve_ref": own,
                "reason": "not_available",
                "note": "",
                "decided_by": "R1",
                "decided_at": "2026-01-01T00:00:00.000+00:00",
            }
        )

    def count(manifest):
        manifest["counts"]["substitutions"] += 1

    crafted = _r1_bundle_with(inspection, coordinator, tmp_path, substitution, count)
    message = _refused(coordinator, inspection, crafted)
    assert "which is not one of R1's assigned cases" in message


def test_reissuing_a_pack_revokes_the_old_key(inspection, coordinator, tmp_path):
    first, old_path = _pack_and_open(coordinator, inspection, "R1", tmp_path, "R1-old")
    assert _merge(coordinator, inspection, _export(old_path, inspection)).outcome == "imported"
    stolen = _export(old_path, inspection)  # made on the lost laptop, sent later
    second, new_path = _pack_and_open(coordinator, inspection, "R1", tmp_path, "R1-new")
    assert first.fingerprint != second.fingerprint
    message = _refused(coordinator, inspection, stolen)
    assert message.startswith(f"signed by a revoked key: R1's key {first.fingerprint}")
    # the new store numbers its bundles after the ones already merged
    outcome = _merge(coordinator, inspection, _export(new_path, inspection))
    assert (outcome.outcome, outcome.sequence, outcome.replaced_sequence) == ("imported", 2, 1)
    assert outcome.fingerprint == second.fingerprint
    [old, new] = store_bundles.enrolments(coordinator, "R1")[-2:]
    assert (old.active, new.active) == (False, True)
    assert [e.target for e in audit.entries(coordinator, action="reader.key_revoked")][-1] == "R1"


def test_a_pack_carries_the_enrolled_key(inspection, coordinator, tmp_path):
    result, r1_path = _pack_and_open(coordinator, inspection, "R1", tmp_path)
    with Store.open(r1_path, STORE_PASSPHRASE) as reader:
        public = reader.inspection.signing_public_key
    assert store_bundles.pinned_key(coordinator, "R1") == public
    assert result.fingerprint == signing.fingerprint(bytes.fromhex(public))
    enrolment = store_bundles.active_enrolment(coordinator, "R1")
    assert enrolment.pack_file == "R1.crpack"
    assert set(enrolment.case_refs) == {
        c.case_ref for c in cases.list_cases(coordinator) if "R1" in c.readers
    }


def test_keys_pinned_before_enrolment_are_carried_over_as_enrolled(inspection, tmp_path):
    from casereader.store.migrations import migrations

    path = tmp_path / "older-coordinator.casereader"
    with Store.open(inspection.coordinator, COORDINATOR_PASSPHRASE) as source:
        template, name = source.template, source.inspection.name
        refs = [c.case_ref for c in cases.list_cases(source) if "R1" in c.readers]
    everything = migrations._migrations
    migrations._migrations = [m for m in everything if m.name != "m004_enrolment"]
    try:
        store = Store.create(path, COORDINATOR_PASSPHRASE, template, name, "coordinator")
        with store, store.db.atomic():
            cases.upsert_cases(
                store, [cases.CaseIn(r, "core", False, readers=["R1"]) for r in refs]
            )
            bundle_id = store.db.execute(
                "INSERT INTO imported_bundles (reader_id, sequence, format_version,"
                " manifest_sha256, file_sha256, file_name, created_at, app_version,"
                " imported_at, content) VALUES ('R1', 1, 1, 'm', 'f', 'R1.crbundle', 'c',"
                " '0', 'i', x'00')"
            ).lastrowid
            store.db.execute(
                "INSERT INTO reader_keys VALUES ('R1', ?, '2026-01-01', ?)",
                ["ab" * 32, bundle_id],
            )
    finally:
        migrations._migrations = everything
    with Store.open(path, COORDINATOR_PASSPHRASE) as store:
        [enrolment] = store_bundles.enrolments(store)
        assert store_bundles.pinned_key(store, "R1") == "ab" * 32
        assert (enrolment.source, enrolment.active) == ("pinned", True)
        assert sorted(enrolment.case_refs) == sorted(refs)
