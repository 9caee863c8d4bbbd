"""Every case's summary laid out on all the machine's cores.

The cases are cut into a fixed number of runs of consecutive cases ("parts", chosen from the
cases alone, never from the machine, so that the files are the same bytes everywhere). Each part
is laid out as a PDF of its own, and each of its cases' files cut from it, by whichever worker
is free: a thread of this process (which starts at once, with its fonts already loaded) and
helper processes, one per further core. Helpers are spawned, not forked, because the app calls
this from a job thread beside Qt's; spawning works the same when frozen (freeze_support) and on
Windows.

Each worker has a pipe of its own: it says which case it has started, then hands back its part.
Stopping ends the helper processes (nothing is shared with them that a kill could leave locked)
and stops the thread at its next case.
"""

import multiprocessing
import os
import signal
import threading
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from io import BytesIO
from multiprocessing.connection import Connection, wait

import pypdfium2 as pdfium
from reportlab.platypus import Flowable, PageBreak

from casereader.errors import CaseReaderError
from casereader.reports.document import Furniture, Laid, layout_pdf
from casereader.reports.pdf_ids import fixed_id
from casereader.reports.summary import KIND, summary_flowables
from casereader.reports.summary_records import CaseSummary

MAX_PARTS = 6  # more parts share the work out better; each carries its own copy of the fonts
CASES_PER_PART = 8  # fewer cases than this in a part are not worth a part of their own


@dataclass(frozen=True)
class Part:
    """One run of consecutive cases laid out together."""

    index: int
    summaries: tuple[CaseSummary, ...]
    printed_on: str


@dataclass(frozen=True)
class LaidPart:
    """A part's PDF, with each of its cases' own files (in case order)."""

    index: int
    laid: Laid
    files: tuple[bytes, ...]


def weight(s: CaseSummary) -> int:
    """Roughly how long a case takes to lay out: its table rows, notes, gaps and reviews."""
    readings = sum(len(line.readings) for line in s.items)
    notes = sum(
        1 + len(r.citations) for line in s.items for r in line.readings if r.note or r.citations
    )
    missing = sum(len(r.missing) for r in s.readers)
    reviews = sum(3 + len(f.history) for f in s.flags)
    return 10 + readings + 2 * notes + missing + reviews


def plan_parts(summaries: Sequence[CaseSummary], printed_on: str) -> list[Part]:
    """Cut the cases (in order) into parts of about equal weight."""
    count = max(1, min(MAX_PARTS, len(summaries) // CASES_PER_PART))
    weights = [weight(s) for s in summaries]
    total = sum(weights)
    parts: list[Part] = []
    start, running = 0, 0
    for i, w in enumerate(weights):
        running += w
        still_to_cut = count - 1 - len(parts)
        left = len(summaries) - i - 1  # cases after this one
        if still_to_cut and left >= still_to_cut:
            due = total * (len(parts) + 1) / count
            if running >= due or left == still_to_cut:
                parts.append(Part(len(parts), tuple(summaries[start : i + 1]), printed_on))
                start = i + 1
    parts.append(Part(len(parts), tuple(summaries[start:]), printed_on))
    return parts


class Stopped(Exception):
    """Raised inside a layout when the work is cancelled."""


def lay_out_part(part: Part, started=None) -> LaidPart:
    """A part's PDF (the same page furniture as the combined file) and each case's file."""
    first = part.summaries[0]
    furniture = Furniture(KIND, first.inspection, part.printed_on)
    flowables: list[Flowable] = []
    for s in part.summaries:
        if flowables:
            flowables.append(PageBreak())
        flowables += summary_flowables(s, part.printed_on)
    laid = layout_pdf(flowables, furniture, f"Case summaries — {first.inspection}", None, started)
    refs = [s.case_ref for s in part.summaries]
    return LaidPart(part.index, laid, tuple(cut_cases(laid, refs)))


def cut_cases(laid: Laid, refs: list[str]) -> list[bytes]:
    """Each case's pages as a PDF of its own, cut from the part (pdfium, quick)."""
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
                out.append(fixed_id(buffer.getvalue()))
            finally:
                part.close()
        return out
    finally:
        source.close()


def serve(conn: Connection, stop: threading.Event | None = None) -> None:
    """A worker's loop: lay out each part it is sent until it is sent None."""

    def started(label: str) -> None:
        if stop is not None and stop.is_set():
            raise Stopped
        conn.send(("case", label))

    try:
        while (part := conn.recv()) is not None:
            conn.send(("part", lay_out_part(part, started)))
    except Stopped:
        return
    except (EOFError, BrokenPipeError):
        return  # the parent has gone or given up
    except Exception as e:  # noqa: BLE001 - reported to the parent, which raises it
        conn.send(("error", f"{type(e).__name__}: {e}"))


def helper_main(conn: Connection) -> None:
    """A helper process's entry point (importable, so spawn and frozen builds can start it)."""
    # Ctrl+C at a terminal reaches the whole process group: the parent stops the helpers itself
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        serve(conn)
    finally:
        conn.close()


def default_processes() -> int:
    return os.cpu_count() or 1


def lay_out_parts(
    parts: list[Part], processes: int | None = None
) -> Generator[str, None, list[LaidPart]]:
    """Lay every part out, yielding each case's ref as it starts; returns the parts in order.

    ``processes`` counts this process: 1 lays everything out on a thread here.
    """
    processes = max(1, min(processes or default_processes(), len(parts)))
    pending = list(reversed(parts))
    done: dict[int, LaidPart] = {}
    stop = threading.Event()
    mine, theirs = multiprocessing.Pipe()
    thread = threading.Thread(target=serve, args=(theirs, stop), name="pdf-layout", daemon=True)
    workers: dict[Connection, multiprocessing.process.BaseProcess | None] = {mine: None}
    context = multiprocessing.get_context("spawn")
    try:
        thread.start()
        mine.send(pending.pop())
        for _ in range(processes - 1):
            if not pending:
                break
            parent, child = context.Pipe()
            process = context.Process(target=helper_main, args=(child,), daemon=True)
            try:
                process.start()
            except OSError:  # no process to be had (limits, memory): the thread does it all
                parent.close()
                break
            finally:
                child.close()
            workers[parent] = process
            parent.send(pending.pop())
        busy = set(workers)
        while busy:
            for conn in wait(list(busy)):
                try:
                    kind, value = conn.recv()
                except (EOFError, OSError):
                    raise CaseReaderError(
                        "A printing worker stopped unexpectedly; try again, or free some memory."
                    ) from None
                if kind == "case":
                    yield value
                    continue
                if kind == "error":
                    raise CaseReaderError(f"Laying out the summaries failed: {value}")
                done[value.index] = value
                if pending:
                    conn.send(pending.pop())
                else:
                    conn.send(None)
                    busy.discard(conn)
        if len(done) < len(parts):
            raise CaseReaderError("Laying out the summaries lost a part; try again.")
    finally:
        stop.set()
        for conn, process in workers.items():
            conn.close()  # the thread, if waiting on its pipe, sees the end and returns
            if process is not None:
                process.terminate()
                process.join()
        thread.join()
        theirs.close()
    return [done[i] for i in range(len(parts))]
