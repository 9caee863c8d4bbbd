"""The bundle commands: keygen, export, verify, merge, pack and open-pack, as a user runs them."""

import json
import os
import stat

import pytest
from test_export_fixtures import (
    COORDINATOR_PASSPHRASE,
    READER_PASSPHRASE,
    copy_store,
    shared_inspection,
)

from casereader.bundle import keys, signing, words
from casereader.cli import main
from casereader.cli.common import plain
from casereader.store import Store, answers, completion
from casereader.store import bundles as store_bundles


@pytest.fixture(scope="module")
def inspection(tmp_path_factory):
    return shared_inspection(tmp_path_factory.getbasetemp())


def run(capsys, *argv) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_keygen_prints_the_recipient_last_and_never_overwrites(capsys, tmp_path):
    key = tmp_path / "lead.key"
    code, out, err = run(capsys, "keygen", "--out", key, "--no-protect")
    assert code == 0, err
    recipient = out.strip().splitlines()[-1]
    assert recipient == keys.recipient_of(keys.load_identity(key))
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    before = key.read_bytes()
    code, out, err = run(capsys, "keygen", "--out", key, "--no-protect")
    assert code == 2
    assert "exists" in err and "never overwritten" in err
    assert err.count("\n") == 1
    assert key.read_bytes() == before


def test_a_protected_key_asks_for_its_passphrase(capsys, tmp_path, monkeypatch):
    key = tmp_path / "lead.key"
    monkeypatch.setenv("CASEREADER_KEY_PASSPHRASE", "lead inspector's words")
    code, out, _ = run(capsys, "keygen", "--out", key)  # protected by default
    assert code == 0 and "protected" in out
    assert keys.is_protected(key)
    assert keys.load_identity(key, "lead inspector's words")
    monkeypatch.delenv("CASEREADER_KEY_PASSPHRASE")
    (tmp_path / "some.crbundle").write_bytes(b"not read before the key opens")
    code, _, err = run(capsys, "verify", tmp_path / "some.crbundle", "--identity", key)
    assert code == 2 and "CASEREADER_KEY_PASSPHRASE" in err


@pytest.fixture
def reader_path(inspection, tmp_path):
    return copy_store(inspection.readers["R1"], tmp_path / "R1.casereader")


def test_export_then_verify(capsys, inspection, reader_path, tmp_path, monkeypatch):
    with Store.open(reader_path, READER_PASSPHRASE) as store:
        completion.set_identifier_names(store, ["Morag Balfour"])
        ref = store.db.execute("SELECT case_ref FROM answers LIMIT 1").fetchone()[0]
        key = store.template.graded_keys()[0]
        answers.save_answer(store, ref, key, note="Spoke with Morag Balfour at home.")
    monkeypatch.setenv("CASEREADER_PASSPHRASE", READER_PASSPHRASE)
    bundle = tmp_path / "R1.crbundle"
    code, out, err = run(capsys, "export", reader_path, "--out", bundle)
    assert code == 0, err
    assert out.startswith("Bundle 1 written to")
    assert "fingerprint" in out
    assert "Morag Balfour" in err and "warning" in err  # the notes check runs first
    code, out, err = run(capsys, "verify", bundle, "--identity", inspection.key_file)
    assert code == 0, err
    assert "Reader: R1" in out and "Sequence: 1" in out
    code, out, _ = run(capsys, "verify", bundle, "--identity", inspection.key_file, "--json")
    shown = json.loads(out)
    assert (shown["reader_id"], shown["sequence"], shown["valid"]) == ("R1", 1, True)
    assert shown["counts"]["answers"] > 0


def test_verify_with_another_key_fails_in_one_line(capsys, inspection, reader_path, tmp_path):
    with Store.open(reader_path, READER_PASSPHRASE) as store:
        from casereader.bundle.export import export_bundle

        export_bundle(store, [inspection.recipient], tmp_path / "R1.crbundle")
    other = tmp_path / "other.key"
    keys.generate_identity(other)
    code, out, err = run(capsys, "verify", tmp_path / "R1.crbundle", "--identity", other)
    assert code == 1
    assert out == ""
    assert err.startswith("casereader: not encrypted to this key") and err.count("\n") == 1


def test_export_needs_out(capsys, reader_path):
    code, _, err = run(capsys, "export", reader_path)
    assert code == 2 and "--out" in err


def test_export_with_a_bad_recipient_is_a_usage_error(capsys, reader_path, tmp_path, monkeypatch):
    monkeypatch.setenv("CASEREADER_PASSPHRASE", READER_PASSPHRASE)
    code, _, err = run(
        capsys, "export", reader_path, "--recipient", "age1oops", "--out", tmp_path / "x.crbundle"
    )
    assert code == 2 and "not a valid age recipient" in err
    assert not (tmp_path / "x.crbundle").exists()


@pytest.fixture
def bundles(inspection, tmp_path):
    """R1's and R2's genuine bundles, and a damaged copy of R1's."""
    made = {}
    for reader in ("R1", "R2"):
        path = copy_store(inspection.readers[reader], tmp_path / f"{reader}.casereader")
        with Store.open(path, READER_PASSPHRASE) as store:
            from casereader.bundle.export import export_bundle

            made[reader] = export_bundle(
                store, [inspection.recipient], tmp_path / f"{reader}.crbundle"
            ).path
    damaged = tmp_path / "damaged.crbundle"
    data = made["R1"].read_bytes()
    damaged.write_bytes(data[:200] + bytes([data[200] ^ 0xFF]) + data[201:])
    made["damaged"] = damaged
    return made


def test_merge_reports_each_bundle_and_fails_if_any_was_refused(
    capsys, inspection, bundles, tmp_path, monkeypatch
):
    coordinator = copy_store(inspection.coordinator, tmp_path / "coordinator.casereader")
    monkeypatch.setenv("CASEREADER_PASSPHRASE", COORDINATOR_PASSPHRASE)
    argv = ["merge", coordinator, bundles["R1"], bundles["damaged"], bundles["R2"]]
    code, out, err = run(capsys, *argv, "--identity", inspection.key_file, "--json")
    assert code == 1
    report = json.loads(out)
    assert [b["outcome"] for b in report["bundles"]] == ["imported", "refused", "imported"]
    assert (report["imported"], report["unchanged"], report["refused"]) == (2, 0, 1)
    assert "truncated or damaged" in report["bundles"][1]["message"]
    assert err.startswith("casereader: damaged.crbundle: refused: truncated or damaged")
    assert err.count("\n") == 1
    code, out, err = run(capsys, "merge", coordinator, bundles["R1"], "--identity",
                         inspection.key_file)  # fmt: skip
    assert code == 0 and err == ""
    assert out.startswith("UNCHANGED") and "0 imported, 1 unchanged, 0 refused." in out
    with Store.open(coordinator, COORDINATOR_PASSPHRASE) as store:
        assert [b.reader_id for b in store_bundles.imported_bundles(store)] == ["R1", "R2"]


def test_merge_into_a_reader_store_is_refused(
    capsys, inspection, bundles, reader_path, monkeypatch
):
    monkeypatch.setenv("CASEREADER_PASSPHRASE", READER_PASSPHRASE)
    code, _, err = run(
        capsys, "merge", reader_path, bundles["R2"], "--identity", inspection.key_file
    )
    assert code == 1 and "coordinator store" in err


def test_pack_prints_the_passphrase_last_and_open_pack_uses_it(
    capsys, inspection, tmp_path, monkeypatch
):
    coordinator = copy_store(inspection.coordinator, tmp_path / "coordinator.casereader")
    monkeypatch.setenv("CASEREADER_PASSPHRASE", COORDINATOR_PASSPHRASE)
    os.umask(0o022)  # as a user's shell would leave it
    pack_file = tmp_path / "R1.crpack"
    code, out, err = run(
        capsys, "pack", coordinator, "--reader", "R1", "--out", pack_file,
        "--recipient", inspection.recipient,
    )  # fmt: skip
    assert code == 0, err
    secret = out.splitlines()[-1]
    assert all(word in words.word_list() for word in secret.split("-"))
    assert "Reading pack for R1" in out
    monkeypatch.setenv("CASEREADER_PACK_PASSPHRASE", secret)
    monkeypatch.setenv("CASEREADER_PASSPHRASE", "R1's own passphrase")
    store = tmp_path / "mine.casereader"
    code, out, err = run(capsys, "open-pack", pack_file, store)
    assert code == 0, err
    assert "Created R1's store" in out
    with Store.open(store, "R1's own passphrase") as opened:
        assert opened.reader_id == "R1"
        assert opened.setting("lead_recipient") == inspection.recipient
    # the reader's export now goes to the lead inspector without naming the recipient
    code, out, err = run(capsys, "export", store, "--out", tmp_path / "mine.crbundle")
    assert code == 0, err
    # pack, reader store and bundle are readable by their owner only, whatever the umask was
    for made in (pack_file, store, tmp_path / "mine.crbundle"):
        assert stat.S_IMODE(made.stat().st_mode) == 0o600, made


def test_pack_for_a_reader_without_cases_is_a_usage_error(
    capsys, inspection, tmp_path, monkeypatch
):
    coordinator = copy_store(inspection.coordinator, tmp_path / "coordinator.casereader")
    monkeypatch.setenv("CASEREADER_PASSPHRASE", COORDINATOR_PASSPHRASE)
    code, out, err = run(
        capsys, "pack", coordinator, "--reader", "R9", "--out", tmp_path / "R9.crpack",
        "--recipient", inspection.recipient,
    )  # fmt: skip
    assert code == 2 and "R9 has no cases" in err and out == ""
    assert not (tmp_path / "R9.crpack").exists()


def test_open_pack_without_a_pack_passphrase_and_no_terminal(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    (tmp_path / "R1.crpack").write_bytes(b"not read before the passphrase is given")
    code, _, err = run(capsys, "open-pack", tmp_path / "R1.crpack", tmp_path / "s.casereader")
    assert code == 2 and "CASEREADER_PACK_PASSPHRASE" in err
    assert sorted(os.listdir(tmp_path)) == ["R1.crpack", "home"]


def test_merge_shows_each_readers_fingerprint(capsys, inspection, bundles, tmp_path, monkeypatch):
    coordinator = copy_store(inspection.coordinator, tmp_path / "coordinator.casereader")
    monkeypatch.setenv("CASEREADER_PASSPHRASE", COORDINATOR_PASSPHRASE)
    code, out, _ = run(capsys, "merge", coordinator, bundles["R1"], "--identity",
                       inspection.key_file, "--json")  # fmt: skip
    assert code == 0
    [bundle] = json.loads(out)["bundles"]
    with Store.open(coordinator, COORDINATOR_PASSPHRASE) as store:
        expected = signing.fingerprint(bytes.fromhex(store_bundles.pinned_key(store, "R1")))
    assert bundle["fingerprint"] == expected
    code, out, _ = run(capsys, "merge", coordinator, bundles["R1"], "--identity",
                       inspection.key_file)  # fmt: skip
    assert f"(key {expected})" in out


def test_terminal_control_characters_never_reach_the_terminal(
    capsys, inspection, bundles, tmp_path, monkeypatch
):
    # A file name that would erase the line and write a fake "IMPORTED" over a refusal.
    sly = tmp_path / "x\x1b[2K\rIMPORTED R2.crbundle\x9b2J\u202e"
    sly.write_bytes(bundles["damaged"].read_bytes())
    coordinator = copy_store(inspection.coordinator, tmp_path / "coordinator.casereader")
    monkeypatch.setenv("CASEREADER_PASSPHRASE", COORDINATOR_PASSPHRASE)
    for extra in ([], ["--json"]):
        code, out, err = run(capsys, "merge", coordinator, str(sly), "--identity",
                             inspection.key_file, *extra)  # fmt: skip
        assert code == 1
        for text in (out, err):
            assert not any(ch in text for ch in "\x1b\r\x9b\u202e"), repr(text)
        assert err.count("\n") == 1
        if not extra:
            assert "REFUSED    x[2KIMPORTED R2.crbundle2J:" in out


def test_plain_strips_controls_but_keeps_tabs_and_asked_for_lines():
    assert plain("a\x1b[2K\rb\tc\nd\x7f\x85e") == "a[2Kb\tcde"
    assert plain("one\ntwo\x07", lines=True) == "one\ntwo"


@pytest.mark.parametrize("weak", ["x", "password", "Password123!", "qwertyuiop", "aaaaaaaaaaaa"])
def test_keygen_refuses_a_weak_key_passphrase_and_writes_nothing(
    capsys, tmp_path, monkeypatch, weak
):
    key = tmp_path / "lead.key"
    monkeypatch.setenv("CASEREADER_KEY_PASSPHRASE", weak)
    code, out, err = run(capsys, "keygen", "--out", key)
    assert code == 2 and not key.exists()
    assert "random words" in err and err.count("\n") == 1


def test_keygen_without_a_passphrase_and_no_terminal_says_how(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("CASEREADER_KEY_PASSPHRASE", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)
    code, _, err = run(capsys, "keygen", "--out", tmp_path / "lead.key")
    assert code == 2 and "CASEREADER_KEY_PASSPHRASE" in err
