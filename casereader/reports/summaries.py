"""Every case's summary at once: one PDF per case, and one combined PDF with a contents page
and a PDF outline (bookmarks), each case starting on a new page.

A task generator (yields Progress, returns AllSummaries): the command line runs it to the end,
the app runs it as a cancellable job. Files are written under a temporary name and renamed,
so a cancelled run leaves whole files only.
"""

import re
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from pathlib import Path

from reportlab.platypus import Flowable, Paragraph, Spacer

from casereader.domain.progress import Progress
from casereader.errors import CaseReaderError
from casereader.reports.combine import combine
from casereader.reports.document import Furniture, PageRef, Section, layout_pdf, write_file
from casereader.reports.styles import styles, text
from casereader.reports.summary import KIND
from casereader.reports.summary_data import CaseSummary, today
from casereader.reports.summary_workers import LaidPart, lay_out_parts, plan_parts
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
                f"{len(summaries)} cases in case-ref order, each starting on a new page. "
                "Page is the page of this file; each page's header names its case, and its "
                "footer counts the case's own pages."
            ),
            st["muted"],
        ),
        Spacer(1, 6),
        plain_table(header, rows, [0.12, 0.1, 0.1, 0.36, 0.11, 0.1, 0.11]),
    ]


@dataclass(frozen=True)
class SummaryPdfs:
    """Every case's summary laid out, still in memory: the combined file and each case's."""

    combined: bytes
    pages: int
    parts: dict[str, bytes]  # file name (summary-<case>.pdf) -> that case's PDF


def lay_out_all(
    summaries: Iterable[CaseSummary],
    printed_on: str | None = None,
    processes: int | None = None,
) -> Generator[Progress, None, SummaryPdfs]:
    """Lay every case out once, in parts spread over the cores (``processes``, by default one
    per core); each case's own file is cut from its part, and the combined file is the contents
    pages followed by the parts' pages, so both say the same, page for page."""
    printed_on = printed_on or today()
    summaries = list(summaries)
    if not summaries:
        raise CaseReaderError("There are no cases to summarise; import the sample first.")
    total = len(summaries) + 1
    inspection = summaries[0].inspection
    laying = lay_out_parts(plan_parts(summaries, printed_on), processes)
    done = 0
    try:
        while True:
            label = next(laying)
            yield Progress(done, total, label)
            done += 1
    except StopIteration as stop:
        parts: list[LaidPart] = stop.value
    finally:
        laying.close()
    yield Progress(total - 1, total, "Putting the combined file together")
    after, offset = {}, 0
    for part in parts:
        for ref, page in part.laid.starts.items():
            after[ref] = offset + page
        offset += part.laid.pages
    contents = layout_pdf(
        _contents(summaries),
        Furniture(KIND, inspection, printed_on),
        f"Case summaries — {inspection}",
        after=after,
    )
    combined = combine(contents, [part.laid for part in parts])
    files = {
        file_name(s.case_ref): data
        for s, data in zip(summaries, (f for part in parts for f in part.files), strict=True)
    }
    return SummaryPdfs(combined, contents.pages + offset, files)


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
