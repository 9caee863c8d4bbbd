"""Importing a documents folder into the store, as a generator yielding Progress.

Text is extracted in child processes (both cores) while this process writes, each file under
a memory and time budget (`budget`); each document is written in its own transaction, so
closing the generator mid-way never leaves half a document. Files that cannot be used, or
that go over the budget, are skipped and listed, never fatal.
"""

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlcipher3

from casereader.domain.progress import Progress
from casereader.domain.wording import plural
from casereader.errors import ImportRejected
from casereader.ingest.budget import Budget, run_bounded
from casereader.ingest.extract import Extracted, Unreadable, extract
from casereader.ingest.folder import Candidate, scan, title_and_date
from casereader.store import Store
from casereader.store import documents as store_documents
from casereader.store import recognised as store_recognised
from casereader.store.db import disk_full
from casereader.store.documents import DocumentIn

MAX_FILE_BYTES = 100 * 1024 * 1024
# Below this many files, one child process reads them all (a second one's start-up costs more).
POOL_THRESHOLD = 40
# With text recognition on, a scan takes about a second a page: two scans are worth a pool.
OCR_POOL_THRESHOLD = 2
_SCAN_TYPES = {"pdf", "png", "jpeg", "tiff"}
OCR_ENV = "CASEREADER_OCR"  # "off" switches recognition off for this process (the test suite)


@dataclass
class FileOutcome:
    path: str
    case_ref: str | None
    outcome: str  # imported | duplicate | skipped
    reason: str = ""
    document_id: int | None = None
    repaired: bool = False


@dataclass
class ImportReport:
    files: list[FileOutcome] = field(default_factory=list)
    stray_cases: list[str] = field(default_factory=list)
    cancelled: bool = False
    recognition: bool = True  # whether text recognition was on for this import
    recognised_pages: int = 0  # scanned pages whose text was recognised
    empty_pages: int = 0  # scanned pages where recognition found no text
    failed_pages: int = 0
    unrecognised_pages: int = 0  # scanned pages left without text: the engine is missing
    postponed_pages: int = 0  # scanned pages left for `casereader ocr`: the time ran out

    def _count(self, outcome: str) -> int:
        return sum(1 for f in self.files if f.outcome == outcome)

    @property
    def imported(self) -> int:
        return self._count("imported")

    @property
    def duplicates(self) -> int:
        return self._count("duplicate")

    @property
    def repaired(self) -> list[FileOutcome]:
        return [f for f in self.files if f.repaired and f.outcome == "imported"]

    @property
    def skipped(self) -> list[FileOutcome]:
        return [f for f in self.files if f.outcome == "skipped"]

    def to_json(self) -> dict:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "skipped": [
                {"path": f.path, "case_ref": f.case_ref, "reason": f.reason} for f in self.skipped
            ],
            "repaired": [{"path": f.path, "case_ref": f.case_ref} for f in self.repaired],
            "stray_case_folders": self.stray_cases,
            "cancelled": self.cancelled,
            "recognition": {
                "on": self.recognition,
                "recognised_pages": self.recognised_pages,
                "empty_pages": self.empty_pages,
                "failed_pages": self.failed_pages,
                "not_available_pages": self.unrecognised_pages,
                "postponed_pages": self.postponed_pages,
            },
        }

    def headline(self) -> str:
        """One line: imported (repaired), already in the store, skipped."""
        repaired = f" ({len(self.repaired)} repaired)" if self.repaired else ""
        return (
            f"Imported {plural(self.imported, 'document')}{repaired}; "
            f"{self.duplicates} already in the store; {len(self.skipped)} skipped."
        )

    def summary(self) -> str:
        lines = [self.headline()]
        lines += [
            f"  repaired {f.path}: damaged PDF, imported as a repaired copy" for f in self.repaired
        ]
        lines += [f"  skipped {f.path}: {f.reason}" for f in self.skipped]
        lines += [f"  not in the sample, not imported: {ref}/" for ref in self.stray_cases]
        if self.recognised_pages or self.empty_pages or self.failed_pages:
            lines.append(
                f"  text recognised on {plural(self.recognised_pages, 'scanned page')}"
                f" ({self.empty_pages} with no text found, {self.failed_pages} failed)."
            )
        if self.unrecognised_pages:
            pages = plural(self.unrecognised_pages, "scanned page")
            lines.append(
                f"  text recognition was not available (tesseract is not installed): {pages}"
                " without text; install tesseract-ocr and tesseract-ocr-eng, then run"
                " `casereader ocr`."
            )
        if self.postponed_pages:
            pages = plural(self.postponed_pages, "scanned page")
            lines.append(
                f"  {pages} of long documents not recognised yet: run `casereader ocr` to"
                " recognise them."
            )
        if self.cancelled:
            lines.append("  cancelled before the end; what was imported is kept.")
        return "\n".join(lines)


def _read_and_extract(
    path: str, doc_type: str, max_bytes: int, recognise_for: float = 0.0
) -> Extracted | str:
    """Worker body: returns the extraction or the reason the file is skipped; with
    RECOGNISE_FOR seconds, scanned pages are recognised until that time is up."""
    started = time.monotonic()
    try:
        with open(path, "rb", opener=_no_follow) as f:
            content = f.read(max_bytes + 1)
        if len(content) > max_bytes:
            return "too large"
        deadline = started + recognise_for if recognise_for else None
        return extract(content, doc_type, recognise=bool(recognise_for), deadline=deadline)
    except Unreadable as e:
        return str(e)
    except OSError as e:
        return f"cannot be read ({e.strerror or e})"


def _no_follow(path, flags):
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0))


def import_documents(
    store: Store,
    folder: Path,
    report: ImportReport | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    workers: int | None = None,
    budget: Budget | None = None,
    recognise: bool | None = None,
) -> Iterator[Progress]:
    """Import every usable file under FOLDER/<case_ref>/<agency>/, filling ``report``.

    Scanned pages are run through text recognition unless RECOGNISE is False (None: the
    store's setting, on by default).
    """
    report = report if report is not None else ImportReport()
    if recognise is None:
        recognise = store_recognised.enabled(store) and os.environ.get(OCR_ENV) != "off"
    report.recognition = recognise
    folder = Path(folder)
    if folder.is_file():
        raise ImportRejected(
            f"{folder.name}: is a file; import-documents needs a folder (one folder per case: "
            "FOLDER/<case_ref>/<agency>/<files>)."
        )
    if not folder.is_dir():
        raise ImportRejected(f"{folder}: no such folder.")
    refs = {r[0] for r in store.db.execute("SELECT case_ref FROM cases").fetchall()}
    if not refs:
        raise ImportRejected("The store has no cases yet: import the sample list first.")
    found = scan(folder, refs, max_bytes)
    if not found.case_folders:
        example = sorted(refs)[0]
        raise ImportRejected(
            f"{folder}: no folder here is named after a case in the sample (for example "
            f"{example}/); choose the folder that holds the case folders. Nothing was imported."
        )
    report.stray_cases.extend(found.stray_cases)
    for rel, ref, reason in found.skipped:
        report.files.append(FileOutcome(rel, ref, "skipped", reason))
    total = len(found.candidates)
    yield Progress(0, total, f"Found {plural(total, 'file')} in {plural(len(refs), 'case')}")
    completed = False
    try:
        extracted = _extracted(found.candidates, max_bytes, workers, budget or Budget(), recognise)
        for done, (cand, result) in enumerate(extracted, 1):
            report.files.append(_write_or_stop(store, cand, result, report))
            _count_recognition(report, result)
            yield Progress(done, total, cand.relative)
        completed = True
    finally:
        report.cancelled = not completed
        detail = {
            "imported": report.imported,
            "skipped": len(report.skipped),
            "cancelled": report.cancelled,
        }
        if recognise:
            detail["recognised_pages"] = report.recognised_pages
        try:
            store.audit(
                "documents.imported",
                target=str(folder.name),
                detail=detail,
            )
        except (OSError, sqlcipher3.OperationalError) as e:
            if not disk_full(e):
                raise  # (a full disk was already said; the documents before it are kept)


def _count_recognition(report: ImportReport, result: Extracted | str) -> None:
    if isinstance(result, str):
        return
    report.unrecognised_pages += result.unrecognised
    report.postponed_pages += result.postponed
    for page in result.recognised.values():
        if page.status == "text":
            report.recognised_pages += 1
        elif page.status == "empty":
            report.empty_pages += 1
        else:
            report.failed_pages += 1


def _extracted(
    candidates: list[Candidate],
    max_bytes: int,
    workers: int | None,
    budget: Budget,
    recognise: bool = False,
) -> Iterator[tuple[Candidate, Extracted | str]]:
    """Each file read and extracted in a child process under `budget`, in the order given;
    scanned pages recognised there too, within three quarters of the file's time budget (pages
    left over wait for `casereader ocr` rather than the file being skipped)."""
    scans = sum(1 for c in candidates if c.doc_type in _SCAN_TYPES) if recognise else 0
    if workers == 0 or (len(candidates) < POOL_THRESHOLD and scans < OCR_POOL_THRESHOLD):
        workers = 1
    workers = workers or min(os.cpu_count() or 1, 4)
    recognise_for = budget.timeout_s * 0.75 if recognise else 0.0
    tasks = [(str(c.path), c.doc_type, max_bytes, recognise_for) for c in candidates]
    results = run_bounded(_read_and_extract, tasks, budget, workers=workers)
    try:
        yield from zip(candidates, results, strict=True)
    finally:
        results.close()


def _write_or_stop(
    store: Store, cand: Candidate, result: Extracted | str, report: ImportReport
) -> FileOutcome:
    """Write one document; a full disk stops the import with the documents before it kept."""
    try:
        return _write(store, cand, result)
    except (OSError, sqlcipher3.OperationalError) as e:
        if not disk_full(e):
            raise
        raise ImportRejected(
            f"The disk is full: the import stopped at {cand.relative}. The {report.imported} "
            "documents imported before it are kept, whole. Free some space and import the "
            "folder again: it carries on where it stopped."
        ) from e


def _write(store: Store, cand: Candidate, result: Extracted | str) -> FileOutcome:
    if isinstance(result, str):
        return FileOutcome(cand.relative, cand.case_ref, "skipped", result)
    title, date = title_and_date(cand.path.name)
    source = "name" if date else None
    if date is None and result.metadata_date:
        date, source = result.metadata_date, "metadata"
    doc_id = store_documents.add_document(
        store,
        DocumentIn(
            case_ref=cand.case_ref,
            sha256=result.sha256,
            agency=cand.agency,
            doc_date=date,
            date_source=source,
            title=title,
            doc_type=cand.doc_type,
            page_count=result.page_count,
            source_path=cand.relative,
            content=result.content,
            pages=result.pages,
            recognised=result.recognised,
            original_sha256=result.original_sha256,
        ),
    )
    if doc_id is None:
        return FileOutcome(
            cand.relative, cand.case_ref, "duplicate", "same content already imported"
        )
    return FileOutcome(
        cand.relative, cand.case_ref, "imported", document_id=doc_id, repaired=result.repaired
    )
