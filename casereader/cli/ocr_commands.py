"""`casereader ocr`: recognise the text of scans imported before recognition existed."""

import argparse

from casereader.cli.common import open_store, progress_printer
from casereader.ingest.recognise import RecognitionReport, recognise_store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ocr", help="recognise text on scans imported before")
    p.add_argument("store")
    p.add_argument("--case", help="only this case")
    p.set_defaults(func=cmd_ocr)


def cmd_ocr(args) -> int:
    report = RecognitionReport()
    with open_store(args.store) as store:
        show = progress_printer("Recognising")
        for p in recognise_store(store, args.case, report):
            show(p)
    print(report.summary())
    return 0
