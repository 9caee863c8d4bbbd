"""The merged overview's tables: cases with every reader's reading, and per-reader progress."""

from PySide6.QtCore import QSortFilterProxyModel

from casereader.store.models import CASE_STATUS_LABELS
from casereader.ui.coordinator.table import ROW_ROLE, SORT_ROLE, Column, RowsModel
from casereader.ui.review_emphasis import review_emphasis


def status_label(status: str) -> str:
    return CASE_STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


def status_order(status: str) -> int:
    order = list(CASE_STATUS_LABELS)
    return order.index(status) if status in order else len(order)


def reading_text(reading) -> str:
    """One reader's reading in a few words: "R1 complete 53/53, 1 open review"."""
    text = (
        f"{reading.reader_id} {status_label(reading.status).lower()} "
        f"{reading.required_answered}/{reading.required}"
    )
    if reading.open_flags:
        text += f", {reading.open_flags} open review" + ("s" if reading.open_flags > 1 else "")
    return text


def readers_text(case) -> str:
    return "; ".join(reading_text(r) for r in case.readers) or "No reader"


def review_text(count: int) -> str:
    return f"{count} open" if count else ""


CASE_COLUMNS = (
    Column("Case", lambda c: c.case_ref),
    Column(
        "Review",
        lambda c: review_text(c.open_flags),
        sort=lambda c: c.open_flags,
        spoken=lambda c: (
            f"{c.open_flags} open management reviews"
            if c.open_flags
            else "no open management review"
        ),
    ),
    Column(
        "Overall status",
        lambda c: (
            status_label(c.overall_status)
            + (f" (replaced by {c.replaced_by})" if c.replaced_by else "")
        ),
        sort=lambda c: status_order(c.overall_status),
    ),
    Column(
        "Double read",
        lambda c: "Double" if c.double_read else "",
        sort=lambda c: int(c.double_read),
        spoken=lambda c: "double read" if c.double_read else "single read",
    ),
    Column("Group", lambda c: c.sample_group.capitalize()),
    Column(
        "Follow-up",
        lambda c: "Yes" if c.follow_up else "",
        sort=lambda c: int(c.follow_up),
        spoken=lambda c: "follow-up" if c.follow_up else "no follow-up",
    ),
    Column("Documents", lambda c: str(c.documents), sort=lambda c: c.documents, numeric=True),
    Column("Readers", readers_text, sort=lambda c: len(c.readers)),
)
REVIEW_COLUMN = 1


class MergedCaseModel(RowsModel):
    """One row per case of the merged overview (MergedCase rows)."""

    columns = CASE_COLUMNS

    def extra_data(self, row, col: int, role: int):
        if col == REVIEW_COLUMN and row.open_flags:
            return review_emphasis(role)
        return None

    def row_of(self, case_ref: str) -> int | None:
        return next((n for n, r in enumerate(self._rows) if r.case_ref == case_ref), None)


class CaseReadingsModel(RowsModel):
    """The readers of one case: status, answers and open reviews (ReaderReading rows)."""

    columns = (
        Column("Reader", lambda r: r.reader_id),
        Column("Status", lambda r: status_label(r.status), sort=lambda r: status_order(r.status)),
        Column("Answered", lambda r: str(r.answered), sort=lambda r: r.answered, numeric=True),
        Column(
            "Required answered",
            lambda r: f"{r.required_answered}/{r.required}",
            sort=lambda r: r.required_answered,
            numeric=True,
        ),
        Column(
            "Open reviews", lambda r: str(r.open_flags), sort=lambda r: r.open_flags, numeric=True
        ),
    )


def _bundle_text(progress) -> str:
    last = progress.last_bundle
    return f"#{last.sequence}" if last else "none yet"


def _date(stamp: str | None) -> str:
    return stamp[:16].replace("T", " ") if stamp else ""


class ReaderProgressModel(RowsModel):
    """One row per reader: assigned, complete, in progress, flagged, last bundle."""

    columns = (
        Column("Reader", lambda p: p.reader_id),
        Column("Assigned", lambda p: str(p.assigned), sort=lambda p: p.assigned, numeric=True),
        Column("Complete", lambda p: str(p.complete), sort=lambda p: p.complete, numeric=True),
        Column(
            "In progress", lambda p: str(p.in_progress), sort=lambda p: p.in_progress, numeric=True
        ),
        Column(
            "Not started", lambda p: str(p.not_started), sort=lambda p: p.not_started, numeric=True
        ),
        Column(
            "Flagged",
            lambda p: str(p.flagged),
            sort=lambda p: p.flagged,
            numeric=True,
            tip="Cases with an open management review this reader raised",
        ),
        Column(
            "Last bundle",
            _bundle_text,
            sort=lambda p: p.last_bundle.sequence if p.last_bundle else -1,
            spoken=lambda p: (
                f"sequence {p.last_bundle.sequence}" if p.last_bundle else "no bundle yet"
            ),
        ),
        Column("Made (UTC)", lambda p: _date(p.last_bundle.created_at if p.last_bundle else "")),
        Column(
            "Imported (UTC)", lambda p: _date(p.last_bundle.imported_at if p.last_bundle else "")
        ),
        Column("Key fingerprint", lambda p: p.last_bundle.fingerprint if p.last_bundle else ""),
    )


class MergedCaseFilter(QSortFilterProxyModel):
    """Filters the merged case list by overall status, double reads, reviews, reader and text."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._status: str | None = None
        self._double_only = False
        self._flagged_only = False
        self._reader: str | None = None
        self._text = ""

    def set_filter(
        self, status=None, double_only=False, flagged_only=False, reader=None, text=""
    ) -> None:
        self.beginFilterChange()
        self._status, self._double_only, self._flagged_only = status, double_only, flagged_only
        self._reader, self._text = reader, text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:  # noqa: N802
        case = self.sourceModel().index(source_row, 0, source_parent).data(ROW_ROLE)
        if case is None:
            return False
        if self._status and case.overall_status != self._status:
            return False
        if self._double_only and not case.double_read:
            return False
        if self._flagged_only and not case.open_flags:
            return False
        if self._reader and self._reader not in [r.reader_id for r in case.readers]:
            return False
        if self._text:
            haystack = " ".join(
                [case.case_ref, case.age_band, case.legal_status, readers_text(case)]
            ).casefold()
            return self._text in haystack
        return True
