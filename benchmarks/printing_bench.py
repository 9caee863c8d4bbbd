"""Printing measures: all 75 case summaries of the demo inspection vs a bare reportlab build of
the same flowables, one summary on demand, and the analysis report.

    python -m benchmarks.printing_bench [--store PATH --passphrase P] [--runs N] [--processes N]

All the summaries are laid out on every core (--processes, by default one per core), so they
are measured against two floors: the bare build in one process, and the bare build of the same
flowables shared out in the same way over the same number of processes (this process and
spawned helpers; the fair floor for a parallel build, and the one the target is held to).

Without --store the demo inspection (75 cases) is built once under benchmarks/work/. Each
measure is the median of N runs (wall clock), with the CPU time of the process and its helpers
beside it (this machine's cores are shared, so the wall clock varies with the load). Writes
benchmarks/RESULTS-printing.md.
"""

import argparse
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from io import BytesIO
from pathlib import Path

from reportlab.platypus import Flowable, PageBreak, SimpleDocTemplate

from benchmarks.common import PASSPHRASE, WORK, Row, table
from casereader.reports import (
    build_report,
    build_summary,
    gather_summaries,
    gather_summary,
    lay_out_all,
    write_summary_files,
)
from casereader.reports.styles import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, PAGE_SIZE
from casereader.reports.summaries import _contents
from casereader.reports.summary import summary_flowables
from casereader.reports.summary_data import CaseSummary
from casereader.reports.summary_workers import plan_parts
from casereader.store import Store
from casereader.store.coordination.analysis import analyse

HERE = Path(__file__).resolve().parent
PRINTED = "2026-03-14"


def demo_store() -> Path:
    from casereader.demo.store import build_demo

    return build_demo(WORK / "printing-demo", 75, 7, PASSPHRASE)


def cpu_time() -> float:
    """CPU seconds of this process and of its helper processes that have ended."""
    own, helpers = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + helpers.ru_utime + helpers.ru_stime


def measure(fn, runs: int) -> tuple[float, float, object]:
    """Median wall seconds, median CPU seconds and the last result of fn()."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), cpu_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(cpu_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def bare_build(flowables: list[Flowable], out) -> None:
    """A plain reportlab build: no page furniture, no outline, no per-case files."""
    doc = SimpleDocTemplate(
        out,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        invariant=1,
    )
    doc.build(flowables)


def bare_part(summaries: list[CaseSummary]) -> None:
    """The bare build of some cases' flowables (run in a helper process)."""
    flowables: list[Flowable] = []
    for s in summaries:
        flowables += [PageBreak(), *summary_flowables(s, PRINTED)]
    bare_build(flowables, BytesIO())


def bare_shared(summaries: list[CaseSummary], processes: int) -> None:
    """The bare build shared out as the summaries are: the same parts, taken in turn by a thread
    here (after the contents) and by spawned helpers (their start-up included, as in ours)."""
    parts = [list(p.summaries) for p in plan_parts(summaries, PRINTED)]
    queue = iter(parts)
    lock = threading.Lock()

    def take() -> list[CaseSummary] | None:
        with lock:
            return next(queue, None)

    def here() -> None:
        bare_build(_contents(summaries), BytesIO())
        while (part := take()) is not None:
            bare_part(part)

    thread = threading.Thread(target=here)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes - 1, mp_context=context) as pool:
        thread.start()
        running = {pool.submit(bare_part, part) for _ in range(processes - 1) if (part := take())}
        while running:
            finished, running = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                future.result()
                if (part := take()) is not None:
                    running.add(pool.submit(bare_part, part))
    thread.join()


def drain(task):
    try:
        while True:
            next(task)
    except StopIteration as stop:
        return stop.value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store")
    parser.add_argument("--passphrase", default=PASSPHRASE)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    processes = max(1, args.processes)
    path = Path(args.store) if args.store else demo_store()
    rows: list[Row] = []
    with Store.open(path, args.passphrase) as store, tempfile.TemporaryDirectory() as tmp:
        refs = [s.case_ref for s in gather_summaries(store)]

        def ours_all():
            summaries = list(gather_summaries(store))
            pdfs = drain(lay_out_all(summaries, PRINTED, processes))
            return write_summary_files(pdfs, Path(tmp) / "ours")

        summaries = list(gather_summaries(store))

        def bare_all():
            # the same flowables (contents and every case), one plain reportlab build in this
            # process, no store reading, no page furniture, no per-case files
            flowables = _contents(summaries)
            for s in summaries:
                flowables += [PageBreak(), *summary_flowables(s, PRINTED)]
            bare_build(flowables, str(Path(tmp) / "bare.pdf"))

        bare_all()  # fonts and caches warm for both
        wall, cpu, result = measure(ours_all, args.runs)
        bare_wall, bare_cpu, _ = measure(bare_all, args.runs)
        shared_wall, shared_cpu, _ = (
            measure(lambda: bare_shared(summaries, processes), args.runs)
            if processes > 1
            else (bare_wall, bare_cpu, None)
        )
        what = (
            f"all {len(refs)} summaries ({result.pages} pages; a file per case "
            f"+ the combined file; {processes} process{'es' if processes > 1 else ''})"
        )
        rows.append(
            Row(
                what,
                wall,
                shared_wall,
                f"bare reportlab build of the same flowables on {processes} process"
                + ("es (the target's floor)" if processes > 1 else " (the target's floor)"),
                "≤ 1.5× and ≤ 3 s",
                "s",
                f"CPU {cpu:.2f} s vs {shared_cpu:.2f} s",
            )
        )
        if processes > 1:
            rows.append(
                Row(
                    what,
                    wall,
                    bare_wall,
                    "bare reportlab build of the same flowables in 1 process",
                    "(for comparison)",
                    "s",
                    f"CPU {cpu:.2f} s vs {bare_cpu:.2f} s",
                )
            )

        answered = refs[0]
        one = lambda: build_summary(gather_summary(store, answered), printed_on=PRINTED)  # noqa: E731
        one()
        wall, cpu, data = measure(one, max(args.runs * 3, 9))
        rows.append(
            Row(
                f"one summary on demand ({answered}, read from the store)",
                wall,
                0.25,
                "target",
                "≤ 250 ms",
                "ms",
                f"CPU {cpu * 1000:.0f} ms",
            )
        )

        def report():
            return build_report(analyse(store).to_json(), store.template, printed_on=PRINTED)

        report()
        wall, cpu, _ = measure(report, args.runs)
        rows.append(
            Row(
                "analysis report (analyse + lay out)",
                wall,
                2.0,
                "target",
                "≤ 2 s",
                "s",
                f"CPU {cpu:.2f} s",
            )
        )
    load = os.getloadavg()
    text = (
        "# Printing benchmark\n\n"
        f"`python -m benchmarks.printing_bench` on {path.name}; medians of {args.runs} runs "
        f"(one summary: of {max(args.runs * 3, 9)}); load average {load[0]:.1f} "
        f"{load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores. The target for all the "
        "summaries is held to the bare build on the same number of processes.\n\n"
        + table(rows)
        + "\n"
    )
    print(text)
    (HERE / "RESULTS-printing.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
