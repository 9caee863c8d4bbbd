"""Printing measures: all 75 case summaries of the demo inspection vs a bare reportlab build of
the same flowables, one summary on demand, and the analysis report.

    python -m benchmarks.printing_bench [--store PATH --passphrase P] [--runs N]

Without --store the demo inspection (75 cases) is built once under benchmarks/work/. Each
measure is the median of N runs (wall clock), with the process's CPU time beside it (this
machine's cores are shared, so the wall clock varies with the load). Writes
benchmarks/RESULTS-printing.md.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from reportlab.platypus import PageBreak, SimpleDocTemplate

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
from casereader.store import Store
from casereader.store.coordination.analysis import analyse

HERE = Path(__file__).resolve().parent
PRINTED = "2026-03-14"


def demo_store() -> Path:
    from casereader.demo.store import build_demo

    return build_demo(WORK / "printing-demo", 75, 7, PASSPHRASE)


def measure(fn, runs: int) -> tuple[float, float, object]:
    """Median wall seconds, median CPU seconds and the last result of fn()."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


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
    args = parser.parse_args()
    path = Path(args.store) if args.store else demo_store()
    rows: list[Row] = []
    with Store.open(path, args.passphrase) as store, tempfile.TemporaryDirectory() as tmp:
        refs = [s.case_ref for s in gather_summaries(store)]

        def ours_all():
            summaries = list(gather_summaries(store))
            pdfs = drain(lay_out_all(summaries, PRINTED))
            return write_summary_files(pdfs, Path(tmp) / "ours")

        summaries = list(gather_summaries(store))

        def bare_all():
            # the same flowables (contents and every case), one plain reportlab build, no
            # store reading, no page furniture, no per-case files
            flowables = _contents(summaries)
            for s in summaries:
                flowables += [PageBreak(), *summary_flowables(s, PRINTED)]
            doc = SimpleDocTemplate(
                str(Path(tmp) / "bare.pdf"),
                pagesize=PAGE_SIZE,
                leftMargin=MARGIN_X,
                rightMargin=MARGIN_X,
                topMargin=MARGIN_TOP,
                bottomMargin=MARGIN_BOTTOM,
                invariant=1,
            )
            doc.build(flowables)

        bare_all()  # fonts and caches warm for both
        wall, cpu, result = measure(ours_all, args.runs)
        bare_wall, bare_cpu, _ = measure(bare_all, args.runs)
        rows.append(
            Row(
                f"all {len(refs)} summaries ({result.pages} pages; a file per case "
                "+ the combined file)",
                wall,
                bare_wall,
                "bare reportlab build of the same flowables",
                "≤ 1.5× and ≤ 3 s",
                "s",
                f"CPU {cpu:.2f} s vs {bare_cpu:.2f} s ({cpu / bare_cpu:.2f}×)",
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
        f"on {os.cpu_count()} cores.\n\n" + table(rows) + "\n"
    )
    print(text)
    (HERE / "RESULTS-printing.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
