"""The bundle benchmark's set-up: the standard coordinator store, the readers' answered stores
(their signing keys enrolled in the coordinator's store) and the 10 bundles merged.

Kept under benchmarks/work/bundles/ and reused while its `.complete` marker matches the store
and bundle code (and SETUP_VERSION).
"""

import shutil
from collections import defaultdict
from pathlib import Path

from pyrage import x25519

from benchmarks.common import PASSPHRASE, WORK, standard_files
from casereader.bundle import signing
from casereader.bundle.export import export_bundle
from casereader.ingest.sample import import_sample
from casereader.store import Store, answers, cases, completion, flags
from casereader.store import bundles as store_bundles
from casereader.store import documents as store_documents

HERE = WORK / "bundles"
SOURCE = HERE / "source.casereader"  # the standard coordinator store, R9 assigned every case
READERS = HERE / "readers"
MERGE_BUNDLES = HERE / "merge"
LEAD_KEY = HERE / "lead-inspector.key"
FULL_READER = "R9"  # a reader holding every case of the inspection (the full pack and export)
SAMPLE_READERS = ["R1", "R2", "R3", "R4", "R5", "R6"]  # the sample's readers (8 double reads)
READ_AGAIN = SAMPLE_READERS[:4]  # they change answers and export a second bundle
RUNS = {"export": 10, "merge": 3, "pack": 5}
PACK_TIME_LIMIT_S = 300
GRADES = "4352443564345"
SETUP_VERSION = "+enrolled"  # the readers' keys enrolled in the coordinator's store


# set-up ----------------------------------------------------------------------------------------


def copy_store(source: Path, target: Path) -> Path:
    for old in target.parent.glob(target.name + "*"):
        old.unlink()
    shutil.copy2(source, target)
    return target


def lead_identity() -> x25519.Identity:
    return x25519.Identity.from_str(LEAD_KEY.read_text().strip())


def answer_value(item, n: int) -> str:
    """A valid answer for any item kind, varied by n."""
    grade = GRADES[n % len(GRADES)]
    if item.kind == "grade":
        return grade
    if item.kind == "yes_no":
        return "yes" if int(grade) >= 4 else "no"
    if item.kind == "choice":
        return item.options[n % len(item.options)].id
    if item.kind == "multi_choice":
        return ";".join(o.id for o in item.options[: 1 + n % len(item.options)])
    if item.kind == "date":
        return "2024-05" if item.precision == "month" else f"2024-05-{1 + n % 28:02d}"
    if item.kind == "number":
        return str(int(item.min or 0) + n % 10)
    return "Consistent lead professional; the child's views are recorded in their own words."


def answer_everything(store: Store, refs: list[str], round_: int = 0) -> int:
    """Answer every item of these cases (value, note, agreed grade), cite, complete them.

    round_ > 0 changes every other case's answers, as a reader does before exporting again.
    """
    saved = 0
    for c, ref in enumerate(refs):
        if round_ and c % 2:
            continue
        docs = store_documents.list_documents(store, ref)
        for i, (stage, item) in enumerate(store.template.items()):
            n = i + c + round_
            note = (
                f"{stage.title}: the chronology and the child's plan agree; the lead "
                f"professional recorded the risks clearly (reading {round_ + 1}, item {i + 1})."
            )
            agreed = answer_value(item, n + 1) if item.kind == "grade" else None
            answers.save_answer(
                store, ref, item.key, value=answer_value(item, n), agreed_value=agreed, note=note
            )
            saved += 1
            if item.kind == "grade" and docs and not round_:
                doc = docs[i % len(docs)]
                answers.add_evidence_link(
                    store, ref, item.key, doc.sha256, 1 if doc.page_count else None, doc.title
                )
        if c == 1 and not round_:
            flags.raise_flag(
                store,
                ref,
                "immediate-risk",
                "A police concern report describes an incident at home that is not in the "
                "social work chronology, and no IRD is recorded.",
            )
        completion.complete_case(store, ref)
    return saved


def _all_page_text(source: Store) -> dict[int, list[str]]:
    # One pass over the FTS table: looking a document's pages up one by one scans it each time.
    pages: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for doc_id, page, text in source.db.execute(
        "SELECT document_id, page, text FROM document_text"
    ).fetchall():
        pages[int(doc_id)].append((int(page), text))
    return {doc_id: [t for _, t in sorted(found)] for doc_id, found in pages.items()}


def _reader_store(source: Store, reader: str, refs: list[str], text: dict) -> Path:
    """A reader store holding the standard sample and these cases' documents, all answered."""
    path = READERS / f"{reader}.casereader"
    inspection = source.inspection
    with Store.create(
        path, PASSPHRASE, source.template, inspection.name, "reader", reader,
        inspection.inspection_id,
    ) as store:  # fmt: skip
        import_sample(store, standard_files() / "sample.csv")
        completion.set_identifier_names(store, completion.identifier_names(source))
        wanted = set(refs)
        for doc in store_documents.list_documents(source):
            if doc.case_ref in wanted:
                store_documents.add_document(
                    store,
                    store_documents.DocumentIn(
                        doc.case_ref, doc.sha256, doc.agency, doc.doc_date, doc.date_source,
                        doc.title, doc.doc_type, doc.page_count, doc.source_path,
                        store_documents.content(source, doc.id), text.get(doc.id, []),
                    ),
                )  # fmt: skip
        answer_everything(store, refs)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        # As making the reader's pack does: the coordinator enrols the reader's signing key
        # (a merge refuses bundles signed by any other key).
        public = signing.public_key_of(store.signing_private_key()).hex()
        store_bundles.enrol_reader(source, reader, public, refs, pack_file=f"{reader}.crpack")
    return path


def setup_version() -> str:
    """The store and bundle code (and this set-up's own) it was made with: rebuilt whenever
    that changes."""
    from benchmarks.gui_bench import code_version

    return code_version("store", "bundle") + SETUP_VERSION


def prepare() -> None:
    """Build the coordinator source, the readers' answered stores and the 10 merge bundles."""
    if HERE.exists():
        shutil.rmtree(HERE)
    for folder in (HERE, READERS, MERGE_BUNDLES):
        folder.mkdir(parents=True)
    imported = WORK / "standard-imported.casereader"
    if not imported.exists():
        from benchmarks.store_bench import import_store

        import_store(standard_files(), WORK / "standard.casereader")
        shutil.copy2(WORK / "standard.casereader", imported)
    shutil.copy2(imported, SOURCE)
    lead = x25519.Identity.generate()
    LEAD_KEY.write_text(f"{lead}\n")
    recipient = str(lead.to_public())
    with Store.open(SOURCE, PASSPHRASE) as source:
        every = [c.case_ref for c in cases.list_cases(source)]
        for ref in every:
            cases.assign(source, ref, FULL_READER)
        text = _all_page_text(source)
        _reader_store(source, FULL_READER, every, text)
        for reader in SAMPLE_READERS:
            refs = [c.case_ref for c in cases.list_cases(source) if reader in c.readers]
            _reader_store(source, reader, refs, text)
        source.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    work = HERE / "exporting.casereader"
    for reader in SAMPLE_READERS:
        with Store.open(copy_store(READERS / f"{reader}.casereader", work), PASSPHRASE) as store:
            export_bundle(store, [recipient], MERGE_BUNDLES / f"{reader}-1.crbundle")
            if reader in READ_AGAIN:
                refs = [c.case_ref for c in cases.list_cases(store) if reader in c.readers]
                answer_everything(store, refs, round_=1)
                export_bundle(store, [recipient], MERGE_BUNDLES / f"{reader}-2.crbundle")
    for old in HERE.glob("exporting.casereader*"):
        old.unlink()
    (HERE / ".complete").write_text(setup_version())
