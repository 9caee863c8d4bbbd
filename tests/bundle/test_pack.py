"""Reading packs: writing one for a reader, opening it into the reader's store, refusing others."""

import io
import itertools
import json
import math
import multiprocessing
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from test_export_fixtures import (
    COORDINATOR_PASSPHRASE,
    NAMES,
    copy_store,
    shared_inspection,
)

from casereader.bundle import age, archive, pack, words
from casereader.bundle.manifest import dump_json
from casereader.bundle.pack import tar_stream
from casereader.errors import BundleRejected, StoreError, UsageError
from casereader.store import Store, audit, cases, completion, documents
from casereader.store import bundles as store_bundles
from casereader.store.bundles import pack_text

STORE_PASSPHRASE = "my own reader passphrase"


@pytest.fixture(scope="module")
def inspection(tmp_path_factory):
    return shared_inspection(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def r2_pack(inspection, tmp_path_factory):
    """R2's pack, written once from a copy of the coordinator store."""
    folder = tmp_path_factory.mktemp("r2-pack")
    path = copy_store(inspection.coordinator, folder / "coordinator.casereader")
    with Store.open(path, COORDINATOR_PASSPHRASE) as store:
        result = pack.write_pack(store, "R2", folder / "R2.crpack", recipient=inspection.recipient)
        expected = {
            ref: {
                d.sha256: documents.page_text(store, d.id)
                for d in documents.list_documents(store, ref)
            }
            for ref in [c.case_ref for c in cases.list_cases(store) if "R2" in c.readers]
        }
        created = audit.entries(store, action="pack.created")
        remembered = store.setting("lead_recipient")
        inspection_id = store.inspection.inspection_id
    return {
        "result": result,
        "expected": expected,
        "created": created,
        "remembered": remembered,
        "inspection_id": inspection_id,
    }


@pytest.fixture(scope="module")
def r2_store(r2_pack, tmp_path_factory):
    """R2's store opened from the pack, the passphrase typed with spaces and capitals."""
    folder = tmp_path_factory.mktemp("r2-store")
    result = r2_pack["result"]
    typed = result.passphrase.replace("-", "  ").upper()
    return pack.open_pack(result.path, typed, folder / "R2.casereader", STORE_PASSPHRASE)


def _files(folder: Path) -> set[str]:
    """What a test left in its folder, beside the preferences folder conftest makes."""
    return {p.name for p in folder.iterdir()} - {"home"}


def test_the_pack_passphrase_is_words_of_at_least_100_bits(r2_pack):
    secret = r2_pack["result"].passphrase
    parts = secret.split("-")
    assert all(p in words.word_list() for p in parts)
    assert len(parts) * math.log2(len(words.word_list())) >= 100


def test_the_pack_is_encrypted_and_the_coordinator_remembers_it(inspection, r2_pack):
    data = r2_pack["result"].path.read_bytes()
    assert data.startswith(b"casereader-passphrase-envelope/v1\n")
    assert b"pack.json" not in data and b"template.toml" not in data
    assert r2_pack["remembered"] == inspection.recipient
    [entry] = r2_pack["created"]
    assert entry.target == "R2"
    assert json.loads(entry.detail)["documents"] == r2_pack["result"].documents


def test_opening_makes_the_readers_store_of_the_same_inspection(inspection, r2_pack, r2_store):
    assert r2_store.reader_id == "R2"
    with Store.open(r2_store.store_path, STORE_PASSPHRASE) as store:
        assert store.inspection.inspection_id == r2_pack["inspection_id"]
        assert (store.role, store.reader_id) == ("reader", "R2")
        with Store.open(inspection.coordinator, COORDINATOR_PASSPHRASE) as coordinator:
            assert store.template.sha256 == coordinator.template.sha256
            assert store.inspection.name == coordinator.inspection.name
        assert store.setting("lead_recipient") == inspection.recipient
        assert completion.identifier_names(store) == sorted(NAMES)
        refs = {c.case_ref: c.readers for c in cases.list_cases(store)}
        assert refs == {ref: ["R2"] for ref in r2_pack["expected"]}
        for ref, docs in r2_pack["expected"].items():
            got = {
                d.sha256: documents.page_text(store, d.id)
                for d in documents.list_documents(store, ref)
            }
            assert got == docs
        assert audit.entries(store, action="pack.opened")
        assert store_bundles.last_export_sequence(store) == 0


def test_a_wrong_passphrase_leaves_no_store(r2_pack, tmp_path):
    with pytest.raises(BundleRejected, match="wrong passphrase"):
        pack.open_pack(
            r2_pack["result"].path,
            "acorn-tulip-wrong",
            tmp_path / "R2.casereader",
            STORE_PASSPHRASE,
        )
    assert _files(tmp_path) == set()


def test_a_truncated_pack_leaves_no_store(r2_pack, tmp_path):
    data = r2_pack["result"].path.read_bytes()
    cut = tmp_path / "cut.crpack"
    cut.write_bytes(data[: len(data) - 3000])
    with pytest.raises(BundleRejected, match="truncated or damaged"):
        pack.open_pack(
            cut, r2_pack["result"].passphrase, tmp_path / "R2.casereader", STORE_PASSPHRASE
        )
    assert _files(tmp_path) == {"cut.crpack"}


def test_a_bundle_is_not_a_pack(inspection, tmp_path):
    fake = tmp_path / "R1.crbundle"
    fake.write_bytes(age.encrypt_to_recipients(b"x", [inspection.recipient]))
    with pytest.raises(BundleRejected, match="not a casereader reading pack"):
        pack.open_pack(fake, "some-words", tmp_path / "R1.casereader", STORE_PASSPHRASE)
    assert _files(tmp_path) == {"R1.crbundle"}


# crafted packs: decryption is bypassed so each archive problem is met by the reader itself


@pytest.fixture
def plain_packs(monkeypatch):
    def passthrough(src, dst, passphrase):
        shutil.copyfileobj(src, dst)

    monkeypatch.setattr(age, "decrypt_stream_passphrase", passthrough)


@pytest.fixture(scope="module")
def r2_members(inspection, tmp_path_factory):
    """The members of R2's pack, written with encryption bypassed (no scrypt to wait for)."""
    folder = tmp_path_factory.mktemp("r2-plain")
    path = copy_store(inspection.coordinator, folder / "coordinator.casereader")
    with pytest.MonkeyPatch.context() as patch, Store.open(path, COORDINATOR_PASSPHRASE) as store:
        patch.setattr(
            age, "encrypt_stream_passphrase", lambda src, dst, p: shutil.copyfileobj(src, dst)
        )
        plain = pack.write_pack(store, "R2", folder / "R2.crpack", recipient=inspection.recipient)
    limits = archive.Limits(max_members=1000, max_member_bytes=1 << 28, max_total_bytes=1 << 30)
    with plain.path.open("rb") as src:
        return [(name, m.read()) for name, m in archive.iter_archive(src, limits)]


def _tar(members) -> bytes:
    buffer = io.BytesIO()
    archive.write_archive(buffer, members)
    return buffer.getvalue()


def _with_manifest(members, change):
    data = json.loads(members[0][1])
    change(data)
    return [("pack.json", dump_json(data)), *members[1:]]


def _flip_last_byte(members, index):
    name, data = members[index]
    changed = list(members)
    changed[index] = (name, data[:-1] + bytes([data[-1] ^ 1]))
    return changed


def _alter_text(members):
    """One letter added inside a page's text: still valid JSON, but not what was hashed."""
    index = next(
        i for i, (name, data) in enumerate(members) if name.startswith("text/") and b"[[" in data
    )
    name, data = members[index]
    end = data.rindex(b'"')
    changed = list(members)
    changed[index] = (name, data[:end] + b"x" + data[end:])
    return changed


CRAFTED = {
    "version 1 with a key": (
        lambda m: _with_manifest(m, lambda d: d.update(format_version=1)),
        "a version 1 pack holds no signing key",
    ),
    "no signing key": (
        lambda m: _with_manifest(m, lambda d: d.pop("reader_signing_key")),
        "no enrolled signing key",
    ),
    "a bad signing key": (
        lambda m: _with_manifest(m, lambda d: d.update(reader_signing_key="zz" * 32)),
        "reader_signing_key",
    ),
    "swapped": (lambda m: [m[0], m[1], m[3], m[2], *m[4:]], "should be"),
    "extra member": (lambda m: [*m, ("notes.txt", b"hello")], "does not list"),
    "ends early": (lambda m: m[:-1], "ends before"),
    "document altered": (lambda m: _flip_last_byte(m, 2), "does not match its SHA-256"),
    "text altered": (_alter_text, "does not match its SHA-256 in checksums.json"),
    "text damaged": (lambda m: _flip_last_byte(m, 3), "is damaged"),
    "checksums damaged": (lambda m: _flip_last_byte(m, len(m) - 1), "checksums.json is damaged"),
    "template altered": (lambda m: _flip_last_byte(m, 1), "does not match its SHA-256"),
    "no template": (lambda m: [m[0], *m[2:]], "should be"),
    "not a pack": (lambda m: _with_manifest(m, lambda d: d.update(format="x")), "not a casereader"),
    "newer format": (
        lambda m: _with_manifest(m, lambda d: d.update(format_version=3)),
        "unknown reading pack format version 3",
    ),
    "manifest damaged": (
        lambda m: _with_manifest(m, lambda d: d.pop("documents")),
        "pack.json is damaged",
    ),
    "bad recipient": (
        lambda m: _with_manifest(m, lambda d: d.update(lead_recipient="age1nope")),
        "recipient is not valid",
    ),
    "case ref path": (
        lambda m: _with_manifest(m, lambda d: d["cases"][0].update(case_ref="../x")),
        "pack.json is damaged",
    ),
}


@pytest.mark.parametrize("kind", sorted(CRAFTED))
def test_each_crafted_pack_is_refused_and_leaves_no_store(kind, plain_packs, r2_members, tmp_path):
    change, message = CRAFTED[kind]
    crafted = tmp_path / "crafted.crpack"
    crafted.write_bytes(_tar(change(list(r2_members))))
    with pytest.raises(BundleRejected, match=message):
        pack.open_pack(crafted, "any-words", tmp_path / "R2.casereader", STORE_PASSPHRASE)
    assert _files(tmp_path) == {"crafted.crpack"}


def _raw_tar_with(name: str, kind: bytes) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        info = tarfile.TarInfo(name)
        info.type = kind
        if kind == tarfile.SYMTYPE:
            info.linkname = "/etc/passwd"
        tar.addfile(info, io.BytesIO(b"") if kind == tarfile.REGTYPE else None)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, kind, message",
    [
        ("../pack.json", tarfile.REGTYPE, "path traversal"),
        ("/pack.json", tarfile.REGTYPE, "absolute path"),
        ("pack.json", tarfile.SYMTYPE, "links"),
        ("pack.json", tarfile.CHRTYPE, "devices"),
    ],
)
def test_unsafe_members_are_refused_before_anything_is_written(
    plain_packs, tmp_path, name, kind, message
):
    crafted = tmp_path / "crafted.crpack"
    crafted.write_bytes(_raw_tar_with(name, kind))
    with pytest.raises(BundleRejected, match=message):
        pack.open_pack(crafted, "any-words", tmp_path / "R2.casereader", STORE_PASSPHRASE)
    assert _files(tmp_path) == {"crafted.crpack"}


# writing: the tar as it streams, text layouts, staging, failures


def _streamed(members, size=8192) -> bytes:
    stream = tar_stream.TarStream(iter(members))
    return b"".join(iter(lambda: stream.read(size), b""))


@pytest.mark.parametrize("size", [1, 511, 8192, 1 << 20, -1])
def test_the_streamed_tar_is_byte_for_byte_what_the_archive_module_writes(size):
    members = [
        ("pack.json", b"{}"),
        ("template.toml", b"t" * 700),
        ("documents/000001.pdf", os.urandom(70_000)),  # past the small-member size
        ("text/000001.json", b""),
        ("documents/000002.png", b"x" * (64 * 1024)),  # exactly the small-member size
        ("text/000002.json", b"q" * 512),
        ("checksums.json", b'{"text_sha256":{}}'),
    ]
    expected = io.BytesIO()
    archive.write_archive(expected, members)
    assert _streamed(members, size) == expected.getvalue()


@pytest.mark.parametrize(
    "name",
    ["../pack.json", "/pack.json", "documents/1.pdf", "documents/000001.pdf/x", "text/00000é.json",
     "notes.txt", "documents/000001." + "p" * 100],
)  # fmt: skip
def test_only_pack_member_names_get_a_tar_header(name):
    with pytest.raises(ValueError, match="not a reading pack member"):
        pack.tar_header(name, 1)


def test_a_failing_member_source_stops_the_stream_with_its_own_error():
    def members():
        yield "pack.json", b"{}"
        raise StoreError("the store went away")

    stream = tar_stream.TarStream(members())
    stream.read(8192)
    with pytest.raises(StoreError, match="went away"):
        stream.read(8192)
    assert isinstance(stream.error, StoreError)


def _plain_pack_members(store, reader, out, recipient, progress=None) -> list[tuple[str, bytes]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            age, "encrypt_stream_passphrase", lambda src, dst, p: shutil.copyfileobj(src, dst)
        )
        pack.write_pack(store, reader, out, recipient=recipient, progress=progress)
    limits = archive.Limits(max_members=1000, max_member_bytes=1 << 28, max_total_bytes=1 << 30)
    with out.open("rb") as src:
        return [(name, m.read()) for name, m in archive.iter_archive(src, limits)]


def _without_created_at(members):
    manifest = json.loads(members[0][1])
    manifest.pop("created_at")
    manifest.pop("reader_signing_key")  # a fresh key for every pack made
    return [("pack.json", manifest), *members[1:]]


def _to_legacy_text_rowids(store) -> None:
    """Page text as stores written before rowids were derived from the document id keep it."""
    db = store.db
    with db.atomic():
        rows = db.execute(
            "SELECT text, document_id, page FROM document_text ORDER BY rowid"
        ).fetchall()
        db.execute("DELETE FROM document_text")
        db.conn.executemany(
            "INSERT INTO document_text (text, document_id, page) VALUES (?, ?, ?)", rows
        )
    assert db.execute("SELECT max(rowid) FROM document_text").fetchone()[0] == len(rows)


@pytest.mark.parametrize("budget", ["all", "half", "none"])
@pytest.mark.parametrize("layout", ["rowid", "legacy"])
def test_every_layout_and_staging_budget_gives_the_same_pack(
    inspection, r2_members, coordinator, tmp_path, monkeypatch, layout, budget
):
    if layout == "legacy":
        _to_legacy_text_rowids(coordinator)
    pages = [json.loads(data)["pages"] for name, data in r2_members if name.startswith("text/")]
    sizes = [sum(len(text.encode()) for _, text in doc) for doc in pages]
    assert len(sizes) >= 4 and sum(1 for size in sizes if size) >= 2
    limit = {"all": sum(sizes), "half": sum(sizes[: len(sizes) // 2]), "none": 0}[budget]
    monkeypatch.setattr(pack_text, "STAGING_BUDGET_BYTES", limit)
    staged = []
    drop = pack_text.PackText.drop

    def counted_drop(self):
        staged.append(coordinator.db.execute(f"SELECT count(*) FROM {self._table}").fetchone()[0])
        drop(self)

    monkeypatch.setattr(pack_text.PackText, "drop", counted_drop)
    seen = []
    members = _plain_pack_members(
        coordinator, "R2", tmp_path / "R2.crpack", inspection.recipient, seen.append
    )
    assert _without_created_at(members) == _without_created_at(r2_members)
    # Documents without text after the budget's last one fit in it too (they add nothing).
    half = len(sizes) // 2
    half += len(list(itertools.takewhile(lambda size: size == 0, sizes[half:])))
    assert staged == [{"all": len(sizes), "half": half, "none": 0}[budget]]
    assert [(p.done, p.total) for p in seen] == [(n, len(sizes)) for n in range(1, len(sizes) + 1)]
    texts = {name: data for name, data in members if name.startswith("text/")}
    assert any(b'"pages":[[' in data for data in texts.values())
    listed = json.loads(members[-1][1])["text_sha256"]
    assert listed == {name: archive.sha256_hex(data) for name, data in texts.items()}
    # The staged rows are gone from memory afterwards.
    assert not coordinator.db.execute(
        "SELECT name FROM sqlite_temp_master WHERE name LIKE 'pack_%'"
    ).fetchall()


def _recipient_stream(recipient):
    """The passphrase envelope replaced by a plain stream to a key: pyrage, without scrypt."""
    return lambda src, dst, passphrase: age.encrypt_stream_recipients(src, dst, [recipient])


def test_a_store_failure_while_streaming_is_reported_and_leaves_no_file(
    inspection, coordinator, tmp_path, monkeypatch
):
    monkeypatch.setattr(age, "encrypt_stream_passphrase", _recipient_stream(inspection.recipient))
    read = documents.content
    calls = []

    def failing(store, document_id):
        calls.append(document_id)
        if len(calls) == 3:
            raise StoreError(f"No document {document_id} in this store.")
        return read(store, document_id)

    monkeypatch.setattr(documents, "content", failing)
    with pytest.raises(StoreError, match="No document \\d+ in this store"):
        pack.write_pack(coordinator, "R2", tmp_path / "R2.crpack", recipient=inspection.recipient)
    assert not [p for p in tmp_path.iterdir() if "crpack" in p.name]
    assert not audit.entries(coordinator, action="pack.created")


def test_a_staging_failure_is_reported_and_leaves_no_file(
    inspection, coordinator, tmp_path, monkeypatch
):
    monkeypatch.setattr(age, "encrypt_stream_passphrase", _recipient_stream(inspection.recipient))

    def failing(self, about_to_run=None):
        raise StoreError("the page text could not be read")

    monkeypatch.setattr(pack_text.PackText, "stage", failing)
    with pytest.raises(StoreError, match="page text could not be read"):
        pack.write_pack(coordinator, "R2", tmp_path / "R2.crpack", recipient=inspection.recipient)
    assert not [p for p in tmp_path.iterdir() if "crpack" in p.name]


def test_a_failing_encryption_is_reported_and_leaves_no_file(
    inspection, coordinator, tmp_path, monkeypatch
):
    def full_disk(src, dst, passphrase):
        src.read(8192)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(age, "encrypt_stream_passphrase", full_disk)
    with pytest.raises(OSError, match="No space left"):
        pack.write_pack(coordinator, "R2", tmp_path / "R2.crpack", recipient=inspection.recipient)
    assert not [p for p in tmp_path.iterdir() if "crpack" in p.name]


# refusals before any work


def test_only_the_coordinator_store_makes_packs(inspection, tmp_path):
    path = copy_store(inspection.readers["R1"], tmp_path / "R1.casereader")
    with (
        Store.open(path, "reader-passphrase") as store,
        pytest.raises(StoreError, match="reader store"),
    ):
        pack.write_pack(store, "R1", tmp_path / "R1.crpack", recipient=inspection.recipient)


@pytest.fixture
def coordinator(inspection, tmp_path):
    path = copy_store(inspection.coordinator, tmp_path / "coordinator.casereader")
    with Store.open(path, COORDINATOR_PASSPHRASE) as store:
        yield store


def test_a_reader_without_cases_gets_no_pack(inspection, coordinator, tmp_path):
    with pytest.raises(UsageError, match="R9 has no cases assigned.*R1"):
        pack.write_pack(coordinator, "R9", tmp_path / "R9.crpack", recipient=inspection.recipient)
    assert not (tmp_path / "R9.crpack").exists()


def test_a_pack_needs_the_lead_recipient(coordinator, tmp_path):
    with pytest.raises(UsageError, match="--recipient"):
        pack.write_pack(coordinator, "R1", tmp_path / "R1.crpack")
    with pytest.raises(UsageError, match="not an age recipient"):
        pack.write_pack(coordinator, "R1", tmp_path / "R1.crpack", recipient="R1")
    assert _files(tmp_path) <= {"coordinator.casereader", "coordinator.casereader-wal",
                                 "coordinator.casereader-shm"}  # fmt: skip


def test_an_existing_pack_file_is_kept(inspection, coordinator, tmp_path):
    out = tmp_path / "R1.crpack"
    out.write_bytes(b"keep me")
    with pytest.raises(UsageError, match="exists"):
        pack.write_pack(coordinator, "R1", out, recipient=inspection.recipient)
    assert out.read_bytes() == b"keep me"


def test_a_pack_never_replaces_an_existing_store(r2_pack, tmp_path):
    existing = tmp_path / "R2.casereader"
    existing.write_bytes(b"someone's store")
    with pytest.raises(UsageError, match="exists"):
        pack.open_pack(
            r2_pack["result"].path, r2_pack["result"].passphrase, existing, STORE_PASSPHRASE
        )
    assert existing.read_bytes() == b"someone's store"


def test_a_short_store_passphrase_is_refused_first(r2_pack, tmp_path):
    with pytest.raises(UsageError, match="at least 10"):
        pack.open_pack(
            r2_pack["result"].path, r2_pack["result"].passphrase, tmp_path / "s.casereader", "short"
        )
    assert _files(tmp_path) == set()


def test_the_app_opens_a_pack_in_a_separate_process(r2_pack, tmp_path):
    result = r2_pack["result"]
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(
        target=pack.open_pack_in_child,
        args=(
            child,
            str(result.path),
            result.passphrase,
            str(tmp_path / "R2.casereader"),
            STORE_PASSPHRASE,
        ),
    )
    process.start()
    child.close()
    messages = []
    while True:
        try:
            messages.append(parent.recv())
        except EOFError:
            break
    process.join()
    assert process.exitcode == 0
    assert messages[-1][0] == "done"
    assert messages[-1][3] == result.documents
    progress = [m for m in messages if m[0] == "progress"]
    assert progress[-1][1:3] == (result.documents, result.documents)
    assert (tmp_path / "R2.casereader").is_file()


def test_the_separate_process_reports_a_refusal(tmp_path):
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(
        target=pack.open_pack_in_child,
        args=(child, str(tmp_path / "gone.crpack"), "some-words", str(tmp_path / "s.casereader"),
              STORE_PASSPHRASE),
    )  # fmt: skip
    process.start()
    child.close()
    message = parent.recv()
    process.join()
    assert message[0] == "error" and "no such reading pack" in message[1]
    assert _files(tmp_path) == set()


_MEMORY_SCRIPT = r"""
import json, sys
from pathlib import Path
from casereader.bundle import age, pack
from casereader.store import Store

def status(key):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(key)) // 1024

class Probe:
    # Resets the peak-RSS mark once the stream starts, i.e. after scrypt, whose fixed 256 MiB
    # work area would otherwise hide everything the stream does.
    def __init__(self, wrapped):
        self.wrapped, self.base = wrapped, None
    def __call__(self, *args):
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        self.base = status("VmRSS")
        return self.wrapped(*args)
    def growth(self):
        return status("VmHWM") - self.base

folder, secret = Path(sys.argv[1]), "alpha-beta-gamma"
with Store.open(folder / "big.casereader", "coordinator-passphrase") as store:
    writing = age.encrypt_stream_recipients = Probe(age.encrypt_stream_recipients)
    before = status("VmRSS")
    pack.write_pack(store, "R1", folder / "big.crpack", recipient=sys.argv[2], passphrase=secret)
    # From before the pack, not from the stream's start: what was staged during the seal counts.
    written = status("VmHWM") - before
opening = age.decrypt_stream_identity = Probe(age.decrypt_stream_identity)
pack.open_pack(folder / "big.crpack", secret, folder / "opened.casereader", "reader-passphrase")
opened = opening.growth()
control = Probe(lambda: (folder / "big.crpack").read_bytes())
whole = control()
print(json.dumps({"written": written, "opened": opened, "control": control.growth()}))
"""

_BUILD_SCRIPT = r"""
import hashlib, os, sys
from pathlib import Path
from casereader.domain.template import find_template
from casereader.store import Store, cases, documents
folder = Path(sys.argv[1])
with Store.create(folder / "big.casereader", "coordinator-passphrase",
                  find_template("cso-at-home-2025"), "Big", "coordinator") as store:
    with store.db.atomic():
        cases.upsert_cases(store, [cases.CaseIn("SA-001", "core", False, readers=["R1"])])
    for n in range(16):
        content = os.urandom(4 * 1024 * 1024)
        documents.add_document(store, documents.DocumentIn(
            "SA-001", hashlib.sha256(content).hexdigest(), "Health", None, None, f"Scan {n}",
            "txt", 1, f"SA-001/Health/scan{n}.txt", content, ["page text"]))
"""


@pytest.mark.slow
@pytest.mark.skipif(
    not os.access("/proc/self/clear_refs", os.W_OK), reason="needs Linux /proc peak-RSS reset"
)
def test_packs_stream_without_holding_every_document_in_memory(inspection, tmp_path):
    """64 MB of documents (16 of 4 MB) go through write and open one document at a time."""
    subprocess.run([sys.executable, "-c", _BUILD_SCRIPT, str(tmp_path)], check=True)
    out = subprocess.run(
        [sys.executable, "-c", _MEMORY_SCRIPT, str(tmp_path), inspection.recipient],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    growth = json.loads(out)
    print("reading pack streaming, peak RSS growth in MB:", growth)
    assert growth["control"] >= 60  # the probe does see a pack held whole in memory
    assert growth["written"] < 32
    assert growth["opened"] < 32
    assert (tmp_path / "opened.casereader").is_file()
