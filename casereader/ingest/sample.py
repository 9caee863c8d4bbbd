"""The sample list (CSV): validated as a whole, then written in one transaction."""

import csv
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from casereader.domain.wording import plural
from casereader.errors import ImportRejected
from casereader.store import Store, cases
from casereader.store.cases import CaseIn

KNOWN_COLUMNS = ("case_ref", "group", "follow_up", "age_band", "legal_status", "reader")
MAX_SAMPLE_BYTES = 5 * 1024 * 1024
_CASE_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
_READER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}


# The stored field each known column sets (reader adds assignments, never removes them).
_FIELDS = {
    "group": "sample_group",
    "follow_up": "follow_up",
    "age_band": "age_band",
    "legal_status": "legal_status",
}


@dataclass
class SampleResult:
    added: int
    updated: int
    cases: int
    # column -> the cases already in the store whose value this import changed
    changes: dict[str, list[str]] = field(default_factory=dict)
    # known columns the file lacks: their stored values were left as they were
    kept: list[str] = field(default_factory=list)


def parse_sample(path: Path) -> list[CaseIn]:
    """Read and validate the whole sample file; ImportRejected names line and column."""
    return _parse(Path(path))[0]


def _parse(path: Path) -> tuple[list[CaseIn], list[str]]:
    """The validated rows and the header's (lower-case) column names."""
    name = path.name
    if not path.is_file():
        raise ImportRejected(f"{path}: no such file.")
    if path.stat().st_size > MAX_SAMPLE_BYTES:
        raise ImportRejected(f"{name}: larger than 5 MB; this is not a sample list.")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise ImportRejected(
            f"{name}: line {line}: not UTF-8 text; save the sample as CSV UTF-8 and try again."
        ) from e
    if not text.strip():
        raise ImportRejected(f"{name}: the file is empty; expected a header row with case_ref.")
    if "\x00" in text:
        raise ImportRejected(f"{name}: contains binary data; expected a CSV text file.")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as e:
        raise ImportRejected(f"{name}: line {reader.line_num}: not valid CSV ({e}).") from e
    header = [h.strip().lower() for h in rows[0]]
    if "case_ref" not in header and len(header) == 1 and ";" in header[0]:
        raise ImportRejected(
            f"{name}: line 1: the columns are separated by semicolons; save the sample as CSV "
            "with commas (in a spreadsheet: CSV UTF-8, comma-delimited) and try again."
        )
    if "case_ref" not in header:
        raise ImportRejected(
            f"{name}: line 1: no case_ref column; the header must include case_ref."
        )
    for col, h in enumerate(header, 1):
        if not h:
            raise ImportRejected(f"{name}: line 1, column {col}: empty column name.")
        if header.count(h) > 1:
            raise ImportRejected(f"{name}: line 1, column {col}: column {h!r} appears twice.")
    result: list[CaseIn] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise ImportRejected(
                f"{name}: line {line}: {len(row)} fields where the header has {len(header)}."
            )
        values = {h: cell.strip() for h, cell in zip(header, row, strict=True)}

        def fail(column: str, problem: str, line=line, header=header) -> ImportRejected:
            col = header.index(column) + 1
            return ImportRejected(f"{name}: line {line}, column {col} ({column}): {problem}")

        ref = values["case_ref"]
        if not ref:
            raise fail("case_ref", "empty case reference.")
        if not _CASE_REF.match(ref):
            raise fail(
                "case_ref",
                f"{ref!r} is not a case reference (letters, digits, - _ . only, at most 40).",
            )
        # Case folders match references case-insensitively, so references must differ in more.
        if ref.lower() in seen:
            raise fail("case_ref", f"{ref} already appears on line {seen[ref.lower()]}.")
        seen[ref.lower()] = line
        group = values.get("group", "core").lower() or "core"
        if group not in ("core", "reserve"):
            raise fail("group", f"{values['group']!r}: expected core or reserve.")
        follow = values.get("follow_up", "").lower()
        if follow not in _YES | _NO:
            raise fail("follow_up", f"{values['follow_up']!r}: expected yes or no.")
        readers = [r.strip() for r in values.get("reader", "").split(";") if r.strip()]
        for r in readers:
            if not _READER.match(r):
                raise fail("reader", f"{r!r} is not a reader id (letters, digits, - _ .).")
        if len(set(readers)) != len(readers):
            raise fail("reader", "the same reader is named twice.")
        result.append(
            CaseIn(
                case_ref=ref,
                sample_group=group,
                follow_up=follow in _YES,
                age_band=values.get("age_band", ""),
                legal_status=values.get("legal_status", ""),
                readers=readers,
                attributes={k: v for k, v in values.items() if k not in KNOWN_COLUMNS},
            )
        )
    if not result:
        raise ImportRejected(f"{name}: no cases below the header row.")
    return result, header


def import_sample(store: Store, path: Path, force: bool = False) -> SampleResult:
    """Validate the whole file, then add or update its cases in one transaction.

    A column the file lacks leaves the stored value of every case as it was. A file that would
    move reserve cases into the core sample is refused unless `force`.
    """
    name = Path(path).name
    rows, header = _parse(Path(path))
    stored = {c.case_ref.lower(): c for c in cases.list_cases(store)}
    for row in rows:
        known = stored.get(row.case_ref.lower())
        if known is not None and known.case_ref != row.case_ref:
            raise ImportRejected(
                f"{name}: case {row.case_ref} differs only in letter case from "
                f"{known.case_ref}, already in the store; use the same reference."
            )
    merged: list[CaseIn] = []
    changes: dict[str, list[str]] = {}
    for row in rows:
        old = stored.get(row.case_ref.lower())
        if old is None:
            merged.append(row)
            continue
        keep = {f: getattr(old, f) for col, f in _FIELDS.items() if col not in header}
        row = replace(row, **keep, attributes={**old.attributes, **row.attributes})
        merged.append(row)
        for col, f in _FIELDS.items():
            if getattr(row, f) != getattr(old, f):
                changes.setdefault(col, []).append(row.case_ref)
        if set(row.readers) - set(old.readers):
            changes.setdefault("reader", []).append(row.case_ref)
        if row.attributes != old.attributes:
            changes.setdefault("other columns", []).append(row.case_ref)
    to_core = [
        r.case_ref
        for r in merged
        if r.case_ref.lower() in stored
        and stored[r.case_ref.lower()].sample_group == "reserve"
        and r.sample_group == "core"
    ]
    if to_core and not force:
        raise ImportRejected(
            f"{name}: would move {_cases(len(to_core))} from reserve into core "
            f"({_list(to_core)}); nothing was imported. Re-run with --force if that is meant."
        )
    with store.db.atomic():
        added, updated = cases.upsert_cases(store, merged)
        store.audit(
            "sample.imported",
            target=name,
            detail={"added": added, "updated": updated, "changed": changes},
        )
    kept = [c for c in KNOWN_COLUMNS if c not in header]
    return SampleResult(added=added, updated=updated, cases=len(rows), changes=changes, kept=kept)


def _cases(n: int) -> str:
    return plural(n, "case")


def _list(refs: list[str], most: int = 8) -> str:
    shown = ", ".join(refs[:most])
    return shown + (f" and {len(refs) - most} more" if len(refs) > most else "")


def describe_changes(result: SampleResult) -> list[str]:
    """One line per changed column (the cases it changes), then the columns left as they were."""
    lines = [
        f"  {col}: {_cases(len(refs))} changed ({_list(refs)})"
        for col, refs in result.changes.items()
    ]
    if result.updated and not result.changes:
        lines.append("  No case already in the store changed.")
    if result.kept and result.updated:
        lines.append("  Not in the file, left as they were: " + ", ".join(result.kept) + ".")
    return lines
