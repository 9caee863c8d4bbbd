"""The analysis as tables: one CSV file per table, or one XLSX workbook with a sheet per table.

The tables hold the same numbers as `analysis --json`. In the workbook percentages are real
percentages (0.0%), the header row is frozen and every column has a width. Text that came from
a reader (notes, descriptions) is written as text, never as a formula: a CSV cell that would
start with = + - @ is prefixed with an apostrophe, as spreadsheet programs expect.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from casereader.errors import CaseReaderError, UsageError
from casereader.store.coordination.analysis import Analysis

Kind = Literal["text", "int", "percent", "float"]
_THRESHOLDS = ("good_or_better", "adequate_or_better", "weak_or_unsatisfactory")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind = "text"
    width: int = 12


@dataclass(frozen=True)
class Table:
    name: str  # the CSV file's stem and the sheet's title (≤ 31 characters)
    columns: list[Column]
    rows: list[list]


def _share_columns(prefix: str) -> list[Column]:
    return [
        Column(f"{prefix}_k", "int", 8),
        Column(f"{prefix}_percent", "percent", 10),
        Column(f"{prefix}_phrase", "text", 16),
    ]


def _share(p: dict) -> list:
    return [p["k"], p["percent"], p["phrase"]]


def _head() -> list[Column]:
    return [Column("stage", width=22), Column("stage_title", width=28), Column("item", width=14)]


def analysis_tables(analysis: Analysis) -> list[Table]:
    """Every table of the analysis, in the order the report shows them."""
    data = analysis.to_json()
    grade_cols = [Column(g, "int", 6) for g in ("6", "5", "4", "3", "2", "1", "na", "unable")]
    items = Table(
        "items",
        [*_head(), Column("label", width=40), Column("n", "int", 6), *grade_cols]
        + [c for t in _THRESHOLDS for c in _share_columns(t)],
        [
            [i["stage"], i["stage_title"], i["item"], i["label"], i["n"]]
            + [i["counts"][c.name] for c in grade_cols]
            + [x for t in _THRESHOLDS for x in _share(i[t])]
            for i in data["items"]
        ],
    )
    yes_no = Table(
        "yes_no",
        [*_head(), Column("label", width=40), Column("n", "int", 6), *_share_columns("yes")],
        [
            [i["stage"], i["stage_title"], i["item"], i["label"], i["n"], *_share(i["yes"])]
            for i in data["yes_no"]
        ],
    )
    agreement_rows = [("overall", data["agreement"]["overall"])] + list(
        data["agreement"]["by_stage"].items()
    )
    agreement = Table(
        "agreement",
        [
            Column("scope", width=22),
            Column("pairs", "int", 8),
            Column("exact_percent", "percent", 14),
            Column("within_one_percent", "percent", 18),
            Column("kappa_quadratic", "float", 16),
            Column("excluded_pairs", "int", 14),
            Column("kappa_note", width=60),
        ],
        [
            [
                scope,
                a["pairs"],
                a["exact_percent"],
                a["within_one_percent"],
                a["kappa_quadratic"],
                a["excluded_pairs"],
                a["kappa_note"] or "",
            ]
            for scope, a in agreement_rows
        ],
    )
    unresolved = Table(
        "unresolved",
        [
            Column("case_ref"),
            Column("stage", width=22),
            Column("item"),
            Column("reader_id"),
            Column("value"),
        ],
        [
            [u["case_ref"], u["stage"], u["item"], reader, value or ""]
            for u in data["unresolved"]
            for reader, value in u["values"].items()
        ],
    )
    flags = Table(
        "management_reviews",
        [
            Column("flag_id", width=38),
            Column("case_ref"),
            Column("reader_id"),
            Column("category", width=16),
            Column("status", width=18),
            Column("description", width=60),
            Column("raised_by"),
            Column("raised_at", width=22),
            Column("updated_at", width=22),
            Column("history", width=80),
        ],
        [
            [
                f["flag_id"],
                f["case_ref"],
                f["reader_id"],
                f["category"],
                f["status"],
                f["description"],
                f["raised_by"],
                f["raised_at"],
                f["updated_at"],
                "; ".join(
                    f"{e['at']} {e['status']} by {e['actor']}"
                    + (f": {e['note']}" if e["note"] else "")
                    for e in f["history"]
                ),
            ]
            for f in data["flags"]
        ],
    )
    breakdowns = Table(
        "breakdowns",
        [
            Column("breakdown", width=14),
            Column("value", width=18),
            Column("cases", "int", 8),
            Column("stage", width=22),
            Column("item"),
            Column("n", "int", 6),
        ]
        + [c for t in _THRESHOLDS for c in _share_columns(t)],
        [
            [name, value, group["cases"], row["stage"], row["item"], row["n"]]
            + [x for t in _THRESHOLDS for x in _share(row[t])]
            for name, values in data["breakdowns"].items()
            for value, group in values.items()
            for row in group["items"]
        ],
    )
    follow_up = Table(
        "follow_up_cases",
        [Column("case_ref"), Column("readers", width=16), Column("overall_status", width=16)],
        [
            [c["case_ref"], ", ".join(c["readers"]), c["overall_status"]]
            for c in data["follow_up_cases"]
        ],
    )
    good_practice = Table(
        "good_practice",
        [
            Column("case_ref"),
            Column("reader_id"),
            Column("item", width=22),
            Column("note", width=80),
        ],
        [[g["case_ref"], g["reader_id"], g["item"], g["note"]] for g in data["good_practice"]],
    )
    return [items, yes_no, agreement, unresolved, flags, breakdowns, follow_up, good_practice]


def _csv_cell(column: Column, value):
    if value is None:
        return ""
    if column.kind == "text" and isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(analysis: Analysis, folder: Path) -> list[Path]:
    """One CSV per table in ``folder`` (made if missing); returns the files written."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file; give a folder for the CSV files.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CaseReaderError(f"cannot make {folder}: {exc.strerror or exc}") from exc
    written = []
    for table in analysis_tables(analysis):
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow([c.name for c in table.columns])
        for row in table.rows:
            writer.writerow([_csv_cell(c, v) for c, v in zip(table.columns, row, strict=True)])
        path = folder / f"{table.name}.csv"
        _write_atomically(path, buffer.getvalue().encode("utf-8-sig"))
        written.append(path)
    return written


def write_xlsx(analysis: Analysis, path: Path) -> Path:
    """One workbook, a sheet per table: frozen header, percentages as percentages, widths set."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    path = Path(path)
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give a file name such as analysis.xlsx")
    if not path.parent.is_dir():
        raise UsageError(f"cannot write {path}: folder {path.parent} does not exist")
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for table in analysis_tables(analysis):
        sheet = book.create_sheet(table.name[:31])
        sheet.append([c.name for c in table.columns])
        for cell in sheet[1]:
            cell.font = bold
        for r, row in enumerate(table.rows, start=2):
            for c, (column, value) in enumerate(zip(table.columns, row, strict=True), start=1):
                cell = sheet.cell(row=r, column=c)
                if value is None:
                    continue
                if column.kind == "percent":
                    cell.value = value / 100
                    cell.number_format = "0.0%"
                elif column.kind == "float":
                    cell.value = value
                    cell.number_format = "0.000"
                elif column.kind == "int":
                    cell.value = value
                else:
                    cell.value = str(value)
                    cell.data_type = "s"  # never a formula, whatever the text starts with
        sheet.freeze_panes = "A2"
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(
                column.width, len(column.name) + 2
            )
    buffer = io.BytesIO()
    book.save(buffer)
    _write_atomically(path, buffer.getvalue())
    return path


def _write_atomically(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.part")
    try:
        temp.write_bytes(data)
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise CaseReaderError(f"cannot write {path}: {exc.strerror or exc}") from exc
