"""Exporting a reader's bundle: members, manifest, signature, sequence, and no documents ever."""

import csv
import hashlib
import io
import json
import shutil
import subprocess
import tarfile

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from test_export_fixtures import (
    READER_PASSPHRASE,
    copy_store,
    members_of,
    shared_inspection,
)

from casereader.bundle import keys
from casereader.bundle.contents import CSV_COLUMNS, _cell, answers_csv
from casereader.bundle.export import export_bundle
from casereader.bundle.manifest import MEMBER_ORDER
from casereader.domain.template import find_template
from casereader.domain.values import display_value
from casereader.errors import StoreError, UsageError
from casereader.store import Store, answers, audit, documents
from casereader.store import bundles as store_bundles


@pytest.fixture(scope="module")
def inspection(tmp_path_factory):
    return shared_inspection(tmp_path_factory.getbasetemp())


@pytest.fixture
def reader(inspection, tmp_path):
    with Store.open(
        copy_store(inspection.readers["R1"], tmp_path / "R1.casereader"), READER_PASSPHRASE
    ) as store:
        yield store


def test_bundle_holds_the_signed_manifest_then_the_members_in_order(inspection, reader, tmp_path):
    result = export_bundle(reader, [inspection.recipient], tmp_path / "R1.crbundle")
    members = members_of(result.path.read_bytes(), inspection.identity())
    assert tuple(members) == MEMBER_ORDER
    manifest = json.loads(members["manifest.json"])
    assert manifest["format"] == "casereader-bundle"
    assert manifest["format_version"] == 1
    assert manifest["inspection_id"] == reader.inspection.inspection_id
    assert manifest["reader_id"] == "R1"
    assert manifest["reader_public_key"] == reader.inspection.signing_public_key
    assert manifest["template"] == {
        "id": reader.template.id,
        "version": reader.template.version,
        "sha256": reader.template.sha256,
    }
    assert manifest["sequence"] == 1 == result.sequence
    assert manifest["app_version"]
    assert manifest["created_at"]
    for name, digest in manifest["members"].items():
        assert hashlib.sha256(members[name]).hexdigest() == digest
    assert set(manifest["members"]) == set(MEMBER_ORDER) - {"manifest.json", "manifest.sig"}
    public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(manifest["reader_public_key"]))
    public.verify(members["manifest.sig"], members["manifest.json"])  # raises if it does not


def test_answers_links_flags_and_statuses_travel_as_json(inspection, reader, tmp_path):
    result = export_bundle(reader, [inspection.recipient], tmp_path / "R1.crbundle")
    members = members_of(result.path.read_bytes(), inspection.identity())
    ref = reader.db.execute("SELECT case_ref FROM answers LIMIT 1").fetchone()[0]
    stored = answers.answers_for(reader, ref)
    sent = {a["item_key"]: a for a in json.loads(members["answers.json"])["answers"]}
    assert {k: (a.value, a.note, a.template_sha256) for k, a in stored.items()} == {
        k: (a["value"], a["note"], a["template_sha256"]) for k, a in sent.items()
    }
    links = json.loads(members["evidence_links.json"])["evidence_links"]
    assert len(links) == 1 and links[0]["page"] == 1
    flag = json.loads(members["flags.json"])["flags"][0]
    assert flag["category"] == "investigate"
    assert [e["status"] for e in flag["history"]] == ["raised"]
    statuses = json.loads(members["cases.json"])["statuses"]
    assert {s["case_ref"]: s["status"] for s in statuses}[ref] == "in_progress"
    entries = json.loads(members["audit.json"])["entries"]
    assert [e["id"] for e in entries] == [e.id for e in audit.entries(reader)][: len(entries)]
    assert result.counts["answers"] == len(sent)


@pytest.mark.skipif(shutil.which("age") is None, reason="the Debian `age` command is not here")
def test_age_command_opens_it_and_the_standard_library_reads_it(inspection, reader, tmp_path):
    result = export_bundle(reader, [inspection.recipient], tmp_path / "R1.crbundle")
    plain = subprocess.run(
        ["age", "-d", "-i", str(inspection.key_file), str(result.path)],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        names = tar.getnames()
        read = {name: tar.extractfile(name).read() for name in names}
    assert tuple(names) == MEMBER_ORDER
    sent = json.loads(read["answers.json"])["answers"]
    rows = list(csv.DictReader(io.StringIO(read["answers.csv"].decode("utf-8-sig"))))
    assert len(rows) == len(sent) > 0
    grade_rows = [r for r in rows if r["item"] == "grade"]
    assert {r["value"] for r in grade_rows} == {"4"}
    assert grade_rows[0]["value_label"].startswith("4 – ")
    assert all(r["reader_id"] == "R1" for r in rows)
    assert any(r["evidence"] for r in rows)


def test_no_document_bytes_or_text_ever_go_in(inspection, reader, tmp_path):
    result = export_bundle(reader, [inspection.recipient], tmp_path / "R1.crbundle")
    everything = b"".join(members_of(result.path.read_bytes(), inspection.identity()).values())
    docs = documents.list_documents(reader)
    assert docs
    for doc in docs:
        assert documents.content(reader, doc.id)[:4096] not in everything
        for _, text in documents.page_text(reader, doc.id):
            sample = " ".join(text.split())[:80]
            if len(sample) >= 40:
                assert sample.encode("utf-8") not in everything


def test_each_export_takes_the_next_sequence_and_is_audited(inspection, reader, tmp_path):
    first = export_bundle(reader, [inspection.recipient], tmp_path / "1.crbundle")
    second = export_bundle(reader, [inspection.recipient], tmp_path / "2.crbundle")
    assert (first.sequence, second.sequence) == (1, 2)
    assert store_bundles.last_export_sequence(reader) == 2
    exported = audit.entries(reader, action="bundle.exported")
    assert [(e.target, e.new_value) for e in exported] == [("1.crbundle", "1"), ("2.crbundle", "2")]
    assert reader.setting("last_export_at")


def test_every_recipient_can_open_it(inspection, reader, tmp_path):
    backup = tmp_path / "backup.key"
    backup_recipient = keys.generate_identity(backup)
    result = export_bundle(
        reader, [inspection.recipient, backup_recipient], tmp_path / "R1.crbundle"
    )
    data = result.path.read_bytes()
    assert members_of(data, inspection.identity()) == members_of(data, keys.load_identity(backup))


def test_the_lead_recipient_from_the_pack_is_the_default(inspection, reader, tmp_path):
    from casereader.bundle.export import default_recipients

    assert default_recipients(reader) == [inspection.recipient]


def test_a_note_that_looks_like_a_formula_is_kept_as_text_in_the_csv(inspection, reader, tmp_path):
    ref = reader.db.execute("SELECT case_ref FROM answers LIMIT 1").fetchone()[0]
    key = reader.template.graded_keys()[0]
    answers.save_answer(reader, ref, key, note='=HYPERLINK("http://example.invalid","x")')
    result = export_bundle(reader, [inspection.recipient], tmp_path / "R1.crbundle")
    members = members_of(result.path.read_bytes(), inspection.identity())
    rows = list(csv.DictReader(io.StringIO(members["answers.csv"].decode("utf-8-sig"))))
    note = next(r["note"] for r in rows if r["case_ref"] == ref and f"{r['stage']}.grade" == key)
    assert note == '\'=HYPERLINK("http://example.invalid","x")'
    sent = json.loads(members["answers.json"])["answers"]
    assert any(a["note"].startswith("=HYPERLINK") for a in sent)  # the JSON keeps it exactly


@pytest.mark.parametrize(
    "recipients, message",
    [
        ([], "no recipient"),
        (["age1notarecipient"], "not a valid age recipient"),
        (["AGE-SECRET-KEY-1QQQQ"], "SECRET key"),
    ],
)
def test_a_missing_or_bad_recipient_writes_nothing(inspection, tmp_path, recipients, message):
    path = copy_store(inspection.readers["R1"], tmp_path / "R1.casereader")
    with Store.open(path, READER_PASSPHRASE) as store:
        store.set_setting("lead_recipient", "")
        with pytest.raises(UsageError, match=message):
            export_bundle(store, recipients, tmp_path / "R1.crbundle")
        assert store_bundles.last_export_sequence(store) == 0
    assert not (tmp_path / "R1.crbundle").exists()


def test_an_existing_file_is_not_overwritten_unless_asked(inspection, reader, tmp_path):
    out = tmp_path / "R1.crbundle"
    out.write_bytes(b"an earlier bundle")
    with pytest.raises(UsageError, match="exists"):
        export_bundle(reader, [inspection.recipient], out)
    assert out.read_bytes() == b"an earlier bundle"
    export_bundle(reader, [inspection.recipient], out, overwrite=True)
    assert members_of(out.read_bytes(), inspection.identity())
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_a_missing_folder_is_a_usage_error(inspection, reader, tmp_path):
    with pytest.raises(UsageError, match="does not exist"):
        export_bundle(reader, [inspection.recipient], tmp_path / "nowhere" / "R1.crbundle")


def test_the_coordinator_store_does_not_export(inspection, tmp_path):
    from test_export_fixtures import COORDINATOR_PASSPHRASE

    path = copy_store(inspection.coordinator, tmp_path / "c.casereader")
    with (
        Store.open(path, COORDINATOR_PASSPHRASE) as store,
        pytest.raises(StoreError, match="coordinator store"),
    ):
        export_bundle(store, [inspection.recipient], tmp_path / "c.crbundle")


def _csv_module_oracle(answer_rows, links, reader_id, templates) -> bytes:
    """answers.csv as the csv module writes it (the former implementation, kept as the oracle)."""
    cited: dict = {}
    for case_ref, item_key, sha, page, label in links:
        cited.setdefault((case_ref, item_key), []).append(
            f"{label or sha[:12]}{f' p{page}' if page else ''}"
        )
    evidence = {key: _cell("; ".join(found)) for key, found in cited.items()}
    items = {sha: {i.key: i for _, i in t.items()} for sha, t in templates.items()}

    def shown(sha, key, value):
        item = items.get(sha, {}).get(key)
        text = display_value(item, value, templates[sha].scale) if item else ""
        return _cell(value), _cell(text)

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for ref, key, value, agreed, note, t_id, t_version, sha, updated in answer_rows:
        item = items.get(sha, {}).get(key)
        writer.writerow(
            (ref, *key.partition(".")[::2], item.label if item else "", reader_id,
             *shown(sha, key, value), *shown(sha, key, agreed), _cell(note),
             evidence.get((ref, key), ""), t_id, t_version, sha, updated)
        )  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def test_the_csv_is_byte_for_byte_what_the_csv_module_writes():
    template = find_template("cso-at-home-2025")
    by_kind = {}
    for _, item in template.items():
        by_kind.setdefault(item.kind, item)
    sha, other = template.sha256, "f" * 64
    awkward = [
        None, "", "plain", "a, b", 'say "no"', "two\nlines", "cr\ronly", "crlf\r\nend",
        "=SUM(A1)", "+1", "-5", "-5.25", "-5\n", "-x", "@here", "\tTab", "\rCR", "   spaced",
        "Morag's café, Dùn Èideann", "-",
    ]  # fmt: skip
    rows = []
    for n, text in enumerate(awkward):
        grade, choice = by_kind["grade"], by_kind["choice"]
        rows += [
            (f"SA-{n:03d}", grade.key, "4", None if n % 2 else "3", text or "", template.id,
             template.version, sha, "2024-05-01T10:00:00.000+00:00"),
            (f"SA-{n:03d}", choice.key, choice.options[0].id, text, "", template.id, "v, 2",
             sha, "2024-05-01T10:00:00.000+00:00"),
            (f"SA-{n:03d}", by_kind["text"].key, text, None, "note", template.id,
             template.version, sha, "2024-05-01"),
            (f"SA-{n:03d}", "nodot", text, text, text or "", "other", "1", other, "x,y"),
        ]  # fmt: skip
    links = [
        ("SA-001", by_kind["grade"].key, "a" * 64, 3, "Chronology, p"),
        ("SA-001", by_kind["grade"].key, "b" * 64, None, ""),
        ("SA-002", by_kind["grade"].key, "c" * 64, 0, "=cmd|' /C calc'!A0"),
        ("SA-003", "nodot", "d" * 64, 12, 'Quote "this"'),
    ]
    templates = {sha: template}
    written = answers_csv(rows, links, "R1", templates)
    assert written == _csv_module_oracle(rows, links, "R1", templates)
    parsed = list(csv.reader(io.StringIO(written.decode("utf-8-sig"))))
    assert len(parsed) == len(rows) + 1 and all(len(r) == len(CSV_COLUMNS) for r in parsed)
