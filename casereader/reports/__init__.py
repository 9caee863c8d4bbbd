"""Printed documents (reportlab, no Qt): the per-case summary, every case's summary at once
with a combined file, the record-reading analysis report and the concern form.

Each has a gather step that reads a store into plain records and a build step that lays them
out on A4 PDF pages, so the app can read the store on its own thread and build elsewhere.

The names below are imported when first used, so that a process laying out summaries loads only
the layout (not the store, the report or the concern form).
"""

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # where the names live, for type checkers and the frozen build's analysis
    from casereader.reports.concern import Concern, build_concern, gather_concern
    from casereader.reports.report import build_report
    from casereader.reports.summaries import (
        AllSummaries,
        SummaryPdfs,
        file_name,
        lay_out_all,
        write_all_summaries,
        write_summary_files,
    )
    from casereader.reports.summary import build_summary
    from casereader.reports.summary_data import gather_summaries, gather_summary
    from casereader.reports.summary_records import CaseSummary

_WHERE = {
    "Concern": "concern",
    "build_concern": "concern",
    "gather_concern": "concern",
    "build_report": "report",
    "AllSummaries": "summaries",
    "SummaryPdfs": "summaries",
    "file_name": "summaries",
    "lay_out_all": "summaries",
    "write_all_summaries": "summaries",
    "write_summary_files": "summaries",
    "build_summary": "summary",
    "CaseSummary": "summary_records",
    "gather_summaries": "summary_data",
    "gather_summary": "summary_data",
}

__all__ = [
    "AllSummaries",
    "CaseSummary",
    "Concern",
    "SummaryPdfs",
    "build_concern",
    "build_report",
    "build_summary",
    "file_name",
    "gather_concern",
    "gather_summaries",
    "gather_summary",
    "lay_out_all",
    "write_all_summaries",
    "write_summary_files",
]


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})
