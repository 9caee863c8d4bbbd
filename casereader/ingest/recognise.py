"""Recognising the scans of a store imported before text recognition (``casereader ocr``).

Pages are recognised in bounded child processes (both cores; the import's time and memory
budget, per page) while this process writes; each document is written in its own
transaction, so stopping mid-way keeps what is done.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from casereader.domain.progress import Progress
from casereader.domain.wording import plural
from casereader.errors import CaseReaderError
from casereader.ingest import ocr
from casereader.ingest.budget import Budget, run_bounded
from casereader.store import Store
from casereader.store import documents as store_documents
from casereader.store import recognised as store_recognised


@dataclass
class RecognitionReport:
    documents: int = 0
    recognised_pages: int = 0
    empty_pages: int = 0
    failed_pages: int = 0
    cancelled: bool = False

    def summary(self) -> str:
        line = (
            f"Recognised text on {plural(self.recognised_pages, 'page')} of "
            f"{plural(self.documents, 'scanned document')}; "
            f"{plural(self.empty_pages, 'page')} with no text found; {self.failed_pages} failed."
        )
        if self.cancelled:
            line += " Stopped before the end; what was recognised is kept."
        return line


def _recognise(content: bytes, doc_type: str, pages: list[int]) -> dict[int, ocr.Recognised]:
    return ocr.recognise_document(content, doc_type, pages)


def recognise_store(
    store: Store,
    case_ref: str | None = None,
    report: RecognitionReport | None = None,
    workers: int | None = None,
    budget: Budget | None = None,
) -> Iterator[Progress]:
    """Recognise every scanned page of the store (or one case) that has no text yet."""
    report = report if report is not None else RecognitionReport()
    if (
        case_ref is not None
        and not store.db.execute("SELECT 1 FROM cases WHERE case_ref = ?", [case_ref]).fetchone()
    ):
        raise CaseReaderError(f"No case {case_ref} in this store.")
    if not ocr.available():
        raise CaseReaderError(
            "Text recognition is not available: install tesseract-ocr and tesseract-ocr-eng"
            " (scripts/setup.sh does), then run this again."
        )
    todo = store_recognised.pending(store, case_ref)
    total = len(todo)
    yield Progress(0, total, f"{plural(total, 'scanned document')} to recognise")
    completed = False
    try:
        for done, (doc_id, results) in enumerate(
            _results(store, todo, workers, budget or Budget()), 1
        ):
            with store.db.atomic():
                store_recognised.write(store, doc_id, results)
            report.documents += 1
            for page in results.values():
                if page.status == "text":
                    report.recognised_pages += 1
                elif page.status == "empty":
                    report.empty_pages += 1
                else:
                    report.failed_pages += 1
            yield Progress(done, total, f"document {doc_id}")
        completed = True
    finally:
        report.cancelled = not completed
        store.audit(
            "documents.recognised",
            target=case_ref,
            detail={"documents": report.documents, "pages": report.recognised_pages},
        )


def _results(
    store: Store,
    todo: list[tuple[int, str, list[int]]],
    workers: int | None,
    budget: Budget,
) -> Iterator[tuple[int, dict[int, ocr.Recognised]]]:
    """Each page recognised in a child process under `budget` (as at import); a document's
    pages are gathered and handed back together, in the order given."""
    import os

    workers = 1 if workers == 0 else workers or min(os.cpu_count() or 1, 4)
    for doc_id, doc_type, pages in todo:
        content = store_documents.content(store, doc_id)
        tasks = [(content, doc_type, [page]) for page in pages]
        results = run_bounded(_recognise, tasks, budget, workers=workers)
        gathered: dict[int, ocr.Recognised] = {}
        try:
            for page, result in zip(pages, results, strict=True):
                if isinstance(result, str):  # over the memory or time budget
                    gathered[page] = ocr.Recognised("failed", reason=result)
                else:
                    gathered.update(result)
        finally:
            results.close()
        yield doc_id, gathered
