"""Printed documents (reportlab, no Qt): the per-case summary, every case's summary at once
with a combined file, the record-reading analysis report and the concern form.

Each has a gather step that reads a store into plain records and a build step that lays them
out on A4 PDF pages, so the app can read the store on its own thread and build elsewhere.
"""

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
from casereader.reports.summary_data import CaseSummary, gather_summaries, gather_summary

__all__ = [
    "AllSummaries",
    "CaseSummary",
    "SummaryPdfs",
    "Concern",
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
