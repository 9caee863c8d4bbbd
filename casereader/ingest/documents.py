"""Importing a documents folder into the store, as a generator yielding Progress.

Text is extracted in child processes (both cores) while this process writes, each file under
a memory and time budget (`budget`). Documents are committed a batch at a time (`_Batch`), each
whole, so closing the generator mid-way never leaves half a document. Files that cannot be
used, or that go over the budget, are skipped and listed, never fatal.
"""

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import sqlcipher3

from casereader.domain.progress import Progress
from casereader.domain.wording import plural
from casereader.errors import ImportRejected
from casereader.ingest.budget import Budget, run_bounded
from casereader.ingest.extract import Extracted, Unreadable, extract
from casereader.ingest.folder import Candidate, scan, title_and_date
from casereader.ingest.report import FileOutcome, ImportReport
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
# Documents are committed together, a batch at a time: a commit for each document was most of
# an import's time (each wrote a segment of both full-text indexes and synced the disk). A batch
# is committed at this many documents or bytes, at this age, when the import would wait for a
# file being read, and at the end or a cancel. A second's batches leave a handful of segments
# in each index, which searches read (a quarter second's left a search a fifth slower).
BATCH_DOCUMENTS = 256
BATCH_BYTES = 64 * 1024 * 1024
BATCH_SECONDS = 1.0
# While one child recognises a scan (a second a page), the other reads the files after it, up
# to this many files or bytes ahead (with 8 files, it sat idle for most of each scan).
READ_AHEAD = 512
READ_AHEAD_BYTES = 256 * 1024 * 1024

__all__ = ["FileOutcome", "ImportReport", "import_documents"]


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
    batch = _Batch(store, report)
    completed = False
    try:
        extracted = _extracted(
            found.candidates, max_bytes, workers, budget or Budget(), recognise, batch.idle
        )
        for done, (cand, result) in enumerate(extracted, 1):
            batch.write(cand, result)
            yield Progress(done, total, cand.relative)
        batch.commit()
        completed = True
    except GeneratorExit:  # cancelled: the documents written so far are whole; keep them
        batch.commit()
        raise
    except BaseException:
        batch.abandon()
        raise
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


class _Batch:
    """The import's open transaction: the documents written since the last commit.

    A file's outcome reaches the report when its batch is committed: what the report calls
    imported is in the store. An error rolls the batch back (no half document is kept); on a
    full disk the documents before the one that did not fit are written again and kept if they
    fit. A kill loses only the open batch (a second's work at most: it is committed a second
    after it began, also while the import waits for a slow file), whole documents that
    importing the folder again writes.
    """

    def __init__(self, store: Store, report: ImportReport):
        self.store, self.report = store, report
        self.written: list[tuple[Candidate, Extracted | str, FileOutcome]] = []
        self.opened: float | None = None
        self.size = 0
        self.last: Candidate | None = None

    def write(self, cand: Candidate, result: Extracted | str) -> None:
        if self.opened is None:
            self._begin()
        self.last = cand
        try:
            self.written.append((cand, result, _write(self.store, cand, result)))
        except BaseException as e:
            self._failed(e)
        self.size += 0 if isinstance(result, str) else len(result.content)
        if (
            len(self.written) >= BATCH_DOCUMENTS
            or self.size >= BATCH_BYTES
            or time.monotonic() - self.opened >= BATCH_SECONDS
        ):
            self.commit()

    def idle(self) -> float | None:
        """The import is about to wait for a file being read: commit what is written now
        (at once when the batch is old enough, else when it will be)."""
        if self.opened is None:
            return None
        age = time.monotonic() - self.opened
        if age < BATCH_SECONDS and self.written:
            return BATCH_SECONDS - age
        self.commit()
        return None

    def commit(self) -> None:
        if self.opened is None:
            return
        try:
            self.store.db.execute("COMMIT")
        except BaseException as e:
            self._failed(e, last_failed=True)
        self._reported()

    def abandon(self) -> None:
        """Forget the open batch, rolled back (after an error, or once committed)."""
        if self.store.db.conn.in_transaction:
            self.store.db.execute("ROLLBACK")
        self.written.clear()
        self.opened, self.size = None, 0

    def _begin(self) -> None:
        # IMMEDIATE: the write lock is taken now, waiting (busy_timeout) if another connection
        # of this store is saving. A deferred BEGIN would read first and then fail at once,
        # without waiting, when its first write found the lock taken.
        self.store.db.execute("BEGIN IMMEDIATE")
        self.opened = time.monotonic()

    def _reported(self) -> None:
        for _cand, result, outcome in self.written:
            self.report.files.append(outcome)
            _count_recognition(self.report, result)
        self.abandon()

    def _failed(self, error: BaseException, last_failed: bool = False) -> NoReturn:
        """Roll the batch back and raise: a full disk as a plain ImportRejected, after writing
        the batch's documents before the one that did not fit again (kept if they fit). When
        the commit failed, the last document written is taken as the one that did not fit."""
        earlier = list(self.written[:-1] if last_failed else self.written)
        self.abandon()
        if not (isinstance(error, (OSError, sqlcipher3.OperationalError)) and disk_full(error)):
            raise error
        if earlier:
            try:
                self._begin()
                for cand, result, _outcome in earlier:
                    self.written.append((cand, result, _write(self.store, cand, result)))
                self.store.db.execute("COMMIT")
                self._reported()
            except (OSError, sqlcipher3.OperationalError):
                self.abandon()  # they did not fit either
        where = self.last.relative if self.last else "the first file"
        raise ImportRejected(
            f"The disk is full: the import stopped at {where}. The {self.report.imported} "
            "documents imported before it are kept, whole. Free some space and import the "
            "folder again: it carries on where it stopped."
        ) from error


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
    idle: Callable[[], float | None] | None = None,
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
    results = run_bounded(
        _read_and_extract,
        tasks,
        budget,
        workers=workers,
        window=READ_AHEAD,
        idle=idle,
        weigh=_weight,
        max_held=READ_AHEAD_BYTES,
    )
    try:
        yield from zip(candidates, results, strict=True)
    finally:
        results.close()


def _weight(result: Extracted | str) -> int:
    """The bytes a read file holds in memory while it waits to be written."""
    if isinstance(result, str):
        return 0
    return len(result.content) + sum(len(text) for text in result.pages)


def _write(store: Store, cand: Candidate, result: Extracted | str) -> FileOutcome:
    if isinstance(result, str):
        return FileOutcome(cand.relative, cand.case_ref, "skipped", result)
    title, date = title_and_date(cand.path.name)
    source = "name" if date else None
    if date is None and result.metadata_date:
        date, source = result.metadata_date, "metadata"
    doc_id = store_documents.write_document(
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
