"""Every case's summary at once: one PDF per case, and one combined PDF with a contents page
and a PDF outline (bookmarks), each case starting on a new page.

A task generator (yields Progress, returns AllSummaries): the command line runs it to the end,
the app runs it as a cancellable job. Files are written under a temporary name and renamed,
so a cancelled run leaves whole files only.
"""

import contextlib
import hashlib
import queue
import re
import threading
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pypdfium2 as pdfium
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer

from casereader.domain.progress import Progress
from casereader.domain.wording import plural
from casereader.errors import CaseReaderError
from casereader.reports.document import Furniture, Laid, PageRef, Section, layout_pdf, write_file
from casereader.reports.styles import styles, text
from casereader.reports.summary import KIND, summary_flowables
from casereader.reports.summary_data import CaseSummary, today
from casereader.reports.tables import plain_table

COMBINED_NAME = "all-summaries.pdf"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class AllSummaries:
    files: list[Path]
    combined: Path | None
    pages: int  # pages of the combined file


def file_name(case_ref: str) -> str:
    """summary-SA-001.pdf (a case ref's odd characters become _)."""
    return f"summary-{_UNSAFE.sub('_', case_ref).strip('._') or 'case'}.pdf"


def _contents(summaries: list[CaseSummary]) -> list[Flowable]:
    st = styles()
    rows = []
    for s in summaries:
        readers = "; ".join(f"{r.reader_id}: {r.status}" for r in s.readers) or "—"
        missing = sum(len(r.missing) for r in s.readers)
        rows.append(
            [
                s.case_ref,
                "Core" if s.sample_group == "core" else "Reserve",
                "Yes" if s.follow_up else "No",
                readers,
                str(sum(1 for f in s.flags if f.is_open)),
                str(missing) if missing else "—",
                PageRef(s.case_ref),
            ]
        )
    header = ["Case", "Group", "Follow-up", "Readers", "Open reviews", "Missing", "Page"]
    return [
        Section("contents", "Contents", "Contents"),
        Paragraph(text(f"Case summaries — {summaries[0].inspection}"), st["title"]),
        Paragraph(
            text(
                f"{plural(len(summaries), 'case')} in case-ref order, each starting on a new page. "
                "Page is the page of this file; each page's header names its case, and its "
                "footer counts the case's own pages."
            ),
            st["muted"],
        ),
        Spacer(1, 6),
        plain_table(header, rows, [0.12, 0.1, 0.1, 0.36, 0.11, 0.1, 0.11]),
    ]


class _Stopped(Exception):
    """Raised inside the layout when the task is closed (cancelled)."""


def _layout_in_steps(
    flowables: list[Flowable], furniture: Furniture, title: str, total: int
) -> Generator[Progress, None, Laid]:
    """Lay a long file out on a helper thread, yielding Progress as each case starts; closing
    the generator stops the layout at the next case."""
    events: queue.Queue = queue.Queue(maxsize=4)
    stop = threading.Event()
    outcome: dict = {}

    def checkpoint(label: str) -> None:
        if stop.is_set():
            raise _Stopped
        events.put(("case", label))

    def run() -> None:
        try:
            outcome["laid"] = layout_pdf(flowables, furniture, title, checkpoint=checkpoint)
        except BaseException as e:  # noqa: BLE001 - handed over to the generator's thread
            outcome["error"] = e
        finally:
            events.put(("done", ""))

    worker = threading.Thread(target=run, name="pdf-layout", daemon=True)
    worker.start()
    done = 0
    try:
        while True:
            kind, label = events.get()
            if kind == "done":
                break
            if label != "Contents":
                yield Progress(done, total, label)
                done += 1
    finally:
        stop.set()
        while worker.is_alive():  # let a blocked put() through, then wait for the end
            with contextlib.suppress(queue.Empty):
                events.get(timeout=0.05)
        worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["laid"]


_TRAILER_ID = re.compile(rb"/ID\[<([0-9A-Fa-f]{32})><([0-9A-Fa-f]{32})>\]")


_CREATED = re.compile(rb"/CreationDate\(D:\d{14}([^)]{0,8})\)")


def _fixed_id(data: bytes) -> bytes:
    """pdfium stamps each saved file with the time and a random /ID; a fixed date and an id
    made from the content keep the files reproducible, as reportlab's invariant mode does
    (same lengths, so the cross-reference offsets stay right)."""
    data = _CREATED.sub(lambda m: b"/CreationDate(D:20000101000000" + m[1] + b")", data, count=1)
    tail_at = data.rfind(b"trailer")
    if tail_at < 0:
        return data
    body = data[:tail_at]
    digest = hashlib.sha256(body).hexdigest()[:32].upper().encode()
    tail = _TRAILER_ID.sub(b"/ID[<" + digest + b"><" + digest + b">]", data[tail_at:], count=1)
    return body + tail


def _split(laid: Laid, refs: list[str]) -> list[bytes]:
    """Each case's pages as a PDF of its own, cut from the combined file (pdfium, quick)."""
    source = pdfium.PdfDocument(laid.data)
    try:
        starts = [laid.starts[ref] for ref in refs]
        ends = [*(s - 1 for s in starts[1:]), laid.pages]
        out = []
        for first, last in zip(starts, ends, strict=True):
            part = pdfium.PdfDocument.new()
            try:
                part.import_pages(source, list(range(first - 1, last)))
                buffer = BytesIO()
                part.save(buffer)
                out.append(_fixed_id(buffer.getvalue()))
            finally:
                part.close()
        return out
    finally:
        source.close()


@dataclass(frozen=True)
class SummaryPdfs:
    """Every case's summary laid out, still in memory: the combined file and each case's."""

    combined: bytes
    pages: int
    parts: dict[str, bytes]  # file name (summary-<case>.pdf) -> that case's PDF


def lay_out_all(
    summaries: Iterable[CaseSummary], printed_on: str | None = None
) -> Generator[Progress, None, SummaryPdfs]:
    """Lay out the combined file (contents, bookmarks, every case) once; each case's own file
    is its pages cut from it, so both say the same, page for page."""
    printed_on = printed_on or today()
    summaries = list(summaries)
    if not summaries:
        raise CaseReaderError("There are no cases to summarise; import the sample first.")
    total = len(summaries) + 1
    inspection = summaries[0].inspection
    furniture = Furniture(KIND, inspection, printed_on)
    flowables = _contents(summaries)
    for s in summaries:
        flowables += [PageBreak(), *summary_flowables(s, printed_on)]
    title = f"Case summaries — {inspection}"
    laid = yield from _layout_in_steps(flowables, furniture, title, total)
    yield Progress(total - 1, total, "Cutting each case's file")
    refs = [s.case_ref for s in summaries]
    parts = {file_name(ref): data for ref, data in zip(refs, _split(laid, refs), strict=True)}
    return SummaryPdfs(laid.data, laid.pages, parts)


def write_summary_files(pdfs: SummaryPdfs, out_dir: Path) -> AllSummaries:
    """Write each case's file and the combined file into out_dir (whole files only)."""
    out_dir = Path(out_dir)
    files = []
    for name, data in pdfs.parts.items():
        write_file(out_dir / name, data)
        files.append(out_dir / name)
    combined = out_dir / COMBINED_NAME
    write_file(combined, pdfs.combined)
    return AllSummaries(files, combined, pdfs.pages)


def write_all_summaries(
    summaries: Iterable[CaseSummary],
    out_dir: Path,
    printed_on: str | None = None,
) -> Generator[Progress, None, AllSummaries]:
    """Write all-summaries.pdf and summary-<case>.pdf for every case into out_dir."""
    pdfs = yield from lay_out_all(summaries, printed_on)
    result = write_summary_files(pdfs, out_dir)
    yield Progress(len(pdfs.parts) + 1, len(pdfs.parts) + 1, "Done")
    return result
