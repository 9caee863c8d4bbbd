"""Printing from the command line: case summaries, the analysis report and the concern form."""

import argparse
import sys
from pathlib import Path

from casereader.cli.common import open_store, out, progress_printer
from casereader.domain.wording import plural
from casereader.errors import UsageError

# reportlab and the analysis are imported by the commands that use them, not at start-up
# (every command, and the app itself, starts through this parser).


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("summary", help="print a case summary (PDF), or every case's with --all")
    p.add_argument("store")
    p.add_argument("case", nargs="?", help="the case ref (or --all)")
    p.add_argument(
        "--all",
        action="store_true",
        help="every case: one PDF each and all-summaries.pdf in the --out folder",
    )
    p.add_argument("--out", required=True, help="FILE.pdf (one case) or a folder (--all)")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("report", help="print the record-reading analysis report (PDF)")
    p.add_argument("store")
    p.add_argument("--out", required=True, help="FILE.pdf")
    p.add_argument(
        "--include-reserve", action="store_true", help="count reserve cases read on request too"
    )
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("concern", help="print the concern form of a management review (PDF)")
    p.add_argument("store")
    p.add_argument("case")
    p.add_argument("--flag", help="the review's id (needed when the case has several)")
    p.add_argument("--out", required=True, help="FILE.pdf")
    p.set_defaults(func=cmd_concern)


def _pdf_path(out: str, default_name: str) -> Path:
    """--out as a PDF file; an existing folder gets the default name inside it."""
    path = Path(out)
    if path.is_dir():
        return path / default_name
    if path.suffix.lower() != ".pdf":
        raise UsageError(f"--out {out!r} should be a file ending in .pdf (or a folder).")
    return path


def cmd_summary(args) -> int:
    from casereader.reports import (
        build_summary,
        file_name,
        gather_summaries,
        gather_summary,
        write_all_summaries,
    )

    if args.all == bool(args.case):
        raise UsageError("Give either a case ref or --all (not both, not neither).")
    if args.all:
        out_dir = Path(args.out)
        if out_dir.exists() and not out_dir.is_dir():
            raise UsageError(f"--out {args.out!r} is a file; with --all give a folder.")
        with open_store(args.store) as store:
            summaries = list(gather_summaries(store))
        if not summaries:
            raise UsageError("The store has no cases yet; import the sample first.")
        steps = write_all_summaries(summaries, out_dir)
        show = progress_printer("Summaries")
        try:
            while True:
                show(next(steps))
        except StopIteration as stop:
            result = stop.value
        out(f"{plural(len(result.files), 'case summary', 'case summaries')} in {out_dir}")
        pages = plural(result.pages, "page")
        out(f"Combined ({pages}, with contents and bookmarks): {result.combined}")
        return 0
    path = _pdf_path(args.out, file_name(args.case))
    with open_store(args.store) as store:
        summary = gather_summary(store, args.case)
    build_summary(summary, path)
    out(path)
    return 0


def cmd_report(args) -> int:
    from casereader.reports import build_report
    from casereader.store.coordination.analysis import analyse

    path = _pdf_path(args.out, "analysis-report.pdf")
    with open_store(args.store) as store:
        analysis = analyse(store, include_reserve=args.include_reserve).to_json()
        template = store.template
    build_report(analysis, template, path)
    out(path)
    return 0


def cmd_concern(args) -> int:
    from casereader.reports import build_concern, file_name, gather_concern

    path = _pdf_path(args.out, f"concern-{Path(file_name(args.case)).stem[8:]}.pdf")
    with open_store(args.store) as store:
        concern = gather_concern(store, args.case, args.flag)
    build_concern(concern, path)
    out(path)
    sys.stdout.flush()
    return 0
