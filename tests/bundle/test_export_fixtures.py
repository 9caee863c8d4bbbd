"""Shared builders for the bundle and pack tests (imported by the other test modules; no tests).

One small fictional inspection is built once per test session: a coordinator store over the
demo generator's files (4 cases, 16 documents), the lead inspector's key, and two reader stores
of the same inspection holding answers, an evidence link and a management review. Tests that
write copy the store files first.
"""

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

from casereader.bundle import age, archive, keys, signing
from casereader.bundle.export import bundle_plaintext, prepare_export
from casereader.bundle.manifest import MANIFEST, SIGNATURE, dump_json, load_json
from casereader.demo.files import generate_inspection_files
from casereader.domain.template import find_template
from casereader.ingest.documents import import_documents
from casereader.ingest.sample import import_sample
from casereader.store import Store, answers, cases, completion, documents, flags
from casereader.store import bundles as store_bundles
from casereader.store.cases import CaseIn
from casereader.store.documents import DocumentIn

TEMPLATE_ID = "cso-at-home-2025"
COORDINATOR_PASSPHRASE = "coordinator-passphrase"
READER_PASSPHRASE = "reader-passphrase"
NAMES = ["Morag Balfour", "Callum Drummond"]


@dataclass(frozen=True)
class Inspection:
    """Paths of the session's fictional inspection (never written to: copy first)."""

    folder: Path
    coordinator: Path
    readers: dict[str, Path]
    key_file: Path
    recipient: str

    def identity(self):
        return keys.load_identity(self.key_file)


_BUILT: dict[Path, Inspection] = {}


def copy_store(source: Path, target: Path) -> Path:
    """A copy of a closed store file (and its WAL, if one was left)."""
    shutil.copyfile(source, target)
    wal = Path(f"{source}-wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{target}-wal"))
    return target


def store_bytes(path: Path) -> tuple[bytes, bytes]:
    """The bytes of a store file and its WAL (empty if none), to prove nothing was written."""
    wal = Path(f"{path}-wal")
    return Path(path).read_bytes(), wal.read_bytes() if wal.exists() else b""


def shared_inspection(base: Path) -> Inspection:
    """Build the session's inspection once under `base` (tmp_path_factory.getbasetemp())."""
    if base in _BUILT:
        return _BUILT[base]
    folder = base / "bundle-inspection"
    folder.mkdir()
    files = generate_inspection_files(folder / "files", cases=4, documents=16)
    template = find_template(TEMPLATE_ID)
    coordinator = folder / "coordinator.casereader"
    with Store.create(
        coordinator, COORDINATOR_PASSPHRASE, template, "Fictional partnership", "coordinator"
    ) as store:
        import_sample(store, files.sample_csv)
        list(import_documents(store, files.documents_dir))
        completion.set_identifier_names(store, NAMES)
        inspection_id = store.inspection.inspection_id
        assigned = {
            reader: [c.case_ref for c in cases.list_cases(store) if reader in c.readers]
            for reader in ("R1", "R2")
        }
        docs = {
            ref: [
                (d, documents.content(store, d.id), documents.page_text(store, d.id))
                for d in documents.list_documents(store, ref)
            ]
            for refs in assigned.values()
            for ref in refs
        }
    key_file = folder / "lead.key"
    recipient = keys.generate_identity(key_file)
    readers = {}
    for reader, refs in assigned.items():
        path = folder / f"{reader}.casereader"
        with Store.create(
            path,
            READER_PASSPHRASE,
            template,
            "Fictional partnership",
            "reader",
            reader,
            inspection_id=inspection_id,
        ) as store:
            with store.db.atomic():
                cases.upsert_cases(
                    store, [CaseIn(ref, "core", False, readers=[reader]) for ref in refs]
                )
            for ref in refs:
                for doc, content, pages in docs[ref]:
                    documents.add_document(store, _document_in(doc, content, pages))
            store.set_setting("lead_recipient", recipient)
            answer_case(store, refs[0], "4")
        readers[reader] = path
    with Store.open(coordinator, COORDINATOR_PASSPHRASE) as store:
        for reader, path in readers.items():
            enrol(store, path, assigned[reader])
    built = Inspection(folder, coordinator, readers, key_file, recipient)
    _BUILT[base] = built
    return built


def enrol(coordinator: Store, reader_path: Path, case_refs: list[str] | None = None) -> None:
    """Enrol a reader store's signing key in the coordinator store, as making its pack does.

    For tests whose reader stores are made directly rather than opened from a pack: the same
    store function `write_pack` calls, so merge's rule is the same as for a real reader.
    """
    with Store.open(reader_path, READER_PASSPHRASE) as reader:
        reader_id = reader.reader_id
        public_key = reader.inspection.signing_public_key
        refs = case_refs or [c.case_ref for c in cases.list_cases(reader)]
    store_bundles.enrol_reader(coordinator, reader_id, public_key, refs)


def _document_in(doc, content: bytes, pages: list[tuple[int, str]]) -> DocumentIn:
    texts = [""] * max([p for p, _ in pages] or [0])
    for page, text in pages:
        texts[page - 1] = text
    return DocumentIn(
        case_ref=doc.case_ref,
        sha256=doc.sha256,
        agency=doc.agency,
        doc_date=doc.doc_date,
        date_source=doc.date_source,
        title=doc.title,
        doc_type=doc.doc_type,
        page_count=doc.page_count,
        source_path=doc.source_path,
        content=content,
        pages=texts,
    )


def answer_case(store: Store, case_ref: str, grade: str, note: str = "") -> None:
    """Grade every graded item of a case, cite a document once and raise a management review."""
    template = store.template
    for key in template.graded_keys():
        answers.save_answer(
            store, case_ref, key, value=grade, note=note or f"Evidence for {key} in the plan."
        )
    first = documents.list_documents(store, case_ref)
    if first:
        answers.add_evidence_link(
            store, case_ref, template.graded_keys()[0], first[0].sha256, 1, first[0].title
        )
    flags.raise_flag(store, case_ref, "investigate", "No record of who visits at weekends.")


def export_to_bytes(store: Store, recipients: list[str]) -> bytes:
    """A genuine bundle's encrypted bytes, without writing a file."""
    prepared = prepare_export(store, recipients)
    return age.encrypt_to_recipients(bundle_plaintext(prepared), recipients)


def members_of(bundle: bytes, identity) -> dict[str, bytes]:
    """The members of an encrypted bundle, in archive order."""
    plain = age.decrypt_with_identity(bundle, identity)
    return {name: m.read() for name, m in archive.iter_archive(io.BytesIO(plain), _LIMITS)}


_LIMITS = archive.Limits(max_members=64, max_member_bytes=1 << 26, max_total_bytes=1 << 27)


def rebuild(
    members: dict[str, bytes],
    recipient: str,
    private_key: bytes | None,
    edit_manifest=None,
    edit_members=None,
    rehash: bool = True,
) -> bytes:
    """A re-made bundle: members edited, hashes recomputed, manifest re-signed, re-encrypted.

    `private_key=None` keeps the original signature (so an edited manifest no longer matches).
    """
    members = dict(members)
    if edit_members:
        edit_members(members)
    manifest = load_json(members[MANIFEST], MANIFEST)
    if rehash:
        manifest["members"] = {
            name: archive.sha256_hex(data)
            for name, data in members.items()
            if name not in (MANIFEST, SIGNATURE)
        }
    if private_key is not None:
        manifest["reader_public_key"] = signing.public_key_of(private_key).hex()
    if edit_manifest:
        edit_manifest(manifest)
    members[MANIFEST] = dump_json(manifest)
    if private_key is not None:
        members[SIGNATURE] = signing.sign(private_key, members[MANIFEST])
    buffer = io.BytesIO()
    archive.write_archive(buffer, list(members.items()))
    return age.encrypt_to_recipients(buffer.getvalue(), [recipient])
