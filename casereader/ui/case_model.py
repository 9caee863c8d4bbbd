"""The case list's data: a table model of CaseOverview rows and the filters over it."""

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from casereader.store.models import CASE_STATUS_LABELS, CaseOverview
from casereader.ui.plain import plain_tooltip
from casereader.ui.review_emphasis import review_emphasis

# The open management review right after the case: it must stay in sight when the list is
# narrow (the columns that matter least come last).
COLUMNS = ("Case", "Review", "Status", "Progress", "Group", "Follow-up")
REF, REVIEW, STATUS, PROGRESS, GROUP, FOLLOW_UP = range(len(COLUMNS))
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


def progress_text(row: CaseOverview) -> str:
    """Required items answered of required items, e.g. "14/53"."""
    return f"{row.required_answered}/{row.required}"


def status_text(row: CaseOverview) -> str:
    label = CASE_STATUS_LABELS[row.status]
    return f"{label} (replaced by {row.replaced_by})" if row.replaced_by else label


class CaseListModel(QAbstractTableModel):
    """One row per case, in the words of the case list; rows come from cases.overview()."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[CaseOverview] = []
        self._unsent: dict[str, int] = {}  # case_ref -> reviews not yet sent

    def set_rows(self, rows: list[CaseOverview]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def update_row(self, row: CaseOverview) -> bool:
        """Replace the row of the same case in place; False if the case is not listed."""
        for n, old in enumerate(self._rows):
            if old.case_ref == row.case_ref:
                self._rows[n] = row
                self.dataChanged.emit(self.index(n, 0), self.index(n, len(COLUMNS) - 1))
                return True
        return False

    def set_unsent(self, counts: dict[str, int]) -> None:
        """Which cases hold management reviews not yet sent to the lead inspector."""
        changed = set(counts) ^ set(self._unsent) | {
            ref for ref in counts if counts[ref] != self._unsent.get(ref)
        }
        self._unsent = dict(counts)
        for n, row in enumerate(self._rows):
            if row.case_ref in changed:
                self.dataChanged.emit(self.index(n, REVIEW), self.index(n, REVIEW))

    def unsent(self, case_ref: str) -> int:
        return self._unsent.get(case_ref, 0)

    def unsent_counts(self) -> dict[str, int]:
        return dict(self._unsent)

    def row_at(self, n: int) -> CaseOverview:
        return self._rows[n]

    def row_of(self, case_ref: str) -> int | None:
        return next((n for n, r in enumerate(self._rows) if r.case_ref == case_ref), None)

    def rows(self) -> list[CaseOverview]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(row, col, spoken=role == Qt.ItemDataRole.AccessibleTextRole)
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return self._sort_key(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self._tooltip(row, col))
        if col == REVIEW and (row.open_flags or self.unsent(row.case_ref)):
            emphasis = review_emphasis(role)
            if emphasis is not None:
                return emphasis
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (PROGRESS, REVIEW):
            horizontal = (
                Qt.AlignmentFlag.AlignRight if col == PROGRESS else Qt.AlignmentFlag.AlignHCenter
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def text(self, row: CaseOverview, col: int, spoken: bool = False) -> str:
        """What the list shows (or, spoken, what a screen reader says) in this column."""
        if col == REF:
            return row.case_ref
        if col == GROUP:
            return row.sample_group.capitalize()
        if col == FOLLOW_UP:
            if spoken:
                return "follow-up" if row.follow_up else "no follow-up"
            return "Yes" if row.follow_up else ""
        if col == STATUS:
            return status_text(row)
        if col == PROGRESS:
            text = progress_text(row)
            return f"{text} required items answered" if spoken else text
        if col == REVIEW:
            if self.unsent(row.case_ref):
                return "management review not yet sent" if spoken else "Not sent"
            if not row.open_flags and row.closed_flags:
                return "management review closed" if spoken else "Closed"
            if not row.open_flags:
                return "no open management review" if spoken else ""
            return "Open management review" if spoken else "Open"
        return ""

    def _sort_key(self, row: CaseOverview, col: int):
        if col == PROGRESS:
            return row.required_answered / row.required if row.required else 0.0
        if col == STATUS:
            return list(CASE_STATUS_LABELS).index(row.status)
        if col == FOLLOW_UP:
            return int(row.follow_up)
        if col == REVIEW:
            closed = 0.25 if row.closed_flags else 0.0  # after the open ones, before none
            return row.open_flags + (0.5 if self.unsent(row.case_ref) else closed)
        return self.text(row, col, spoken=False)

    def _tooltip(self, row: CaseOverview, col: int) -> str | None:
        if col == REVIEW and self.unsent(row.case_ref):
            return (
                "Management review not yet sent to the lead inspector: File → Send now "
                "exports a bundle (Ctrl+Shift+E)"
            )
        if col == REVIEW and row.open_flags:
            n = row.open_flags
            return f"{n} open management review{'s' if n > 1 else ''}"
        if col == REVIEW and row.closed_flags:
            n = row.closed_flags
            return f"{n} management review{'s' if n > 1 else ''} closed (history in the case)"
        if col == PROGRESS:
            return f"{row.required_answered} of {row.required} required items answered"
        if col == REF:
            parts = [p for p in (row.age_band, row.legal_status) if p]
            parts.append(f"{row.documents} documents")
            if row.readers:
                parts.append("read by " + ", ".join(row.readers))
            if row.replaces:
                parts.append(f"replaces {row.replaces}")
            return "; ".join(parts)
        return None


FILTERS = ("status", "group", "follow_up", "flagged_only", "reader", "text")


class CaseFilter(QSortFilterProxyModel):
    """Filters by status, group, follow-up, open management review, reader and text."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.status: str | None = None
        self.group: str | None = None
        self.follow_up: bool | None = None
        self.flagged_only = False
        self.reader: str | None = None
        self.text = ""
        self.setSortRole(SORT_ROLE)

    def set_filter(self, **changes) -> None:
        """Change any of status, group, follow_up, flagged_only, reader, text."""
        for key in changes:
            if key not in FILTERS:
                raise TypeError(f"unknown case filter {key!r}")
        self.beginFilterChange()
        for key, value in changes.items():
            setattr(self, key, value)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def refilter(self) -> None:
        """Apply the filters again (after a row changed)."""
        self.set_filter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        row: CaseOverview = self.sourceModel().row_at(source_row)
        text = self.text.strip().lower()
        return (
            (self.status is None or row.status == self.status)
            and (self.group is None or row.sample_group == self.group)
            and (self.follow_up is None or row.follow_up == self.follow_up)
            and (not self.flagged_only or row.open_flags > 0)
            and (self.reader is None or self.reader in row.readers)
            and (
                not text
                or text in row.case_ref.lower()
                or text in row.age_band.lower()
                or text in row.legal_status.lower()
            )
        )
