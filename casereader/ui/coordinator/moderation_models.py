"""The moderation queue's table, and one case's readings side by side (Reader A / Reader B)."""

from collections.abc import Callable

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont

from casereader.domain.wording import plural
from casereader.ui.coordinator.table import ROW_ROLE, SORT_ROLE, Column, RowsModel
from casereader.ui.style import review_mark, review_text_color

STATE_LABELS = {
    "agreed": "Equal",
    "differs": "Differs",
    "moderated": "Moderated",
    "changed_since_moderation": "Look again: changed since moderation",
    "incomplete": "Not every reader answered",
}
TO_DECIDE = ("differs", "changed_since_moderation")

# Shows a stored value in the template's words: show(item_key, value) -> text.
ValueText = Callable[[str, str | None], str]


def state_label(state: str) -> str:
    return STATE_LABELS.get(state, state.replace("_", " "))


def letters(case) -> str:
    """ "Reader A: R1 · Reader B: R2" for a moderation case's readers."""
    return " · ".join(f"Reader {chr(65 + n)}: {r}" for n, r in enumerate(case.readers))


def queue_state(case) -> str:
    """What is left to do on a case, in a few words."""
    again = sum(1 for i in case.items if i.state == "changed_since_moderation")
    differs = sum(1 for i in case.items if i.state == "differs")
    parts = []
    if differs:
        parts.append(f"{differs} to decide")
    if again:
        parts.append(f"{again} to look at again")
    if parts:
        return ", ".join(parts)
    if any(i.state == "moderated" for i in case.items):
        return "Moderated"
    return "Readers agree"


class ModerationQueueModel(RowsModel):
    """The queue in the core's order: open reviews first, then the largest grade gap."""

    columns = (
        Column("Case", lambda c: c.case_ref),
        Column(
            "Reviews",
            lambda c: str(c.open_flags) if c.open_flags else "",
            sort=lambda c: c.open_flags,
            numeric=True,
            spoken=lambda c: f"{c.open_flags} open management reviews",
        ),
        Column(
            "Gap",
            lambda c: str(c.max_gap),
            sort=lambda c: c.max_gap,
            numeric=True,
            tip="The largest difference between two readers' grades of one item",
        ),
        Column("Differ", lambda c: str(c.differences), sort=lambda c: c.differences, numeric=True),
        Column("To do", queue_state),
        Column("Readers", lambda c: ", ".join(c.readers)),
    )

    def extra_data(self, row, col: int, role: int):
        if col == 1 and row.open_flags:
            if role == Qt.ItemDataRole.DecorationRole:
                return review_mark()
            if role == Qt.ItemDataRole.ForegroundRole:
                return review_text_color()
        return None

    def row_of(self, case_ref: str) -> int | None:
        return next((n for n, r in enumerate(self._rows) if r.case_ref == case_ref), None)

    def replace_case(self, case) -> None:
        """Put a case's fresh comparison in place (after a moderation), keeping the order."""
        n = self.row_of(case.case_ref)
        if n is not None:
            self._rows[n] = case
            self.dataChanged.emit(self.index(n, 0), self.index(n, len(self.columns) - 1))


def short_value(text: str) -> str:
    """ "5" of "5 – Very good" (a grade's number says enough beside the reader's own)."""
    number, dash, _label = text.partition(" – ")
    return number if dash and number.isdigit() else text


def reading_cell(reading, show: ValueText, item_key: str) -> str:
    """A reader's value, and the grade agreed with the paired inspector if there is one."""
    text = show(item_key, reading.value) or "—"
    if reading.agreed_value is not None and reading.agreed_value != reading.value:
        text += f"; agreed {short_value(show(item_key, reading.agreed_value))}"
    if reading.links:
        text += f"  [{plural(len(reading.links), 'link')}]"
    return text


def comparison_columns(case, show: ValueText) -> tuple[Column, ...]:
    """Stage, item, one column per reader (Reader A, B, …), the moderated value and state."""
    columns = [
        Column("Stage", lambda i: i.stage_title),
        Column("Item", lambda i: i.label),
    ]
    for n, reader_id in enumerate(case.readers):
        name = f"Reader {chr(65 + n)}"

        def cell(item, reader_id=reader_id) -> str:
            reading = next((r for r in item.readings if r.reader_id == reader_id), None)
            return reading_cell(reading, show, item.item_key) if reading else "—"

        columns.append(Column(name, cell, tip=f"{name} is {reader_id}"))
    columns += [
        Column("Moderated", lambda i: show(i.item_key, i.moderated_value)),
        Column("State", lambda i: state_label(i.state), sort=lambda i: state_order(i.state)),
    ]
    return tuple(columns)


def state_order(state: str) -> int:
    """Items to look at again first, then differences, then the rest."""
    order = ["changed_since_moderation", "differs", "incomplete", "moderated", "agreed"]
    return order.index(state) if state in order else len(order)


class ComparisonModel(RowsModel):
    """One case's items (ItemComparison rows), the readings side by side."""

    def __init__(self, parent=None):
        super().__init__(parent, columns=())
        self.case = None

    def set_case(self, case, show: ValueText) -> None:
        self.case = case
        if case is None:
            self.set_columns((), [])
        else:
            self.set_columns(comparison_columns(case, show), case.items)

    def row_of(self, item_key: str) -> int | None:
        return next((n for n, r in enumerate(self._rows) if r.item_key == item_key), None)

    def extra_data(self, row, col: int, role: int):
        if row.state in TO_DECIDE and role == Qt.ItemDataRole.FontRole:
            bold = QFont()
            bold.setBold(True)
            return bold
        if (
            row.state == "changed_since_moderation"
            and col == len(self.columns) - 1
            and role == Qt.ItemDataRole.ForegroundRole
        ):
            return review_text_color()
        return None


class DifferencesFilter(QSortFilterProxyModel):
    """Shows every item, or with "Differences only" the items left to decide or look at."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._only = False

    def set_differences_only(self, only: bool) -> None:
        self.beginFilterChange()
        self._only = only
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:  # noqa: N802
        if not self._only:
            return True
        item = self.sourceModel().index(source_row, 0, source_parent).data(ROW_ROLE)
        return item is not None and is_difference(item)


def is_difference(item) -> bool:
    """Left to decide or look at again, or decided by the moderator because the readers'
    counted values differed (equal values and agreed grades are not differences)."""
    if item.state in TO_DECIDE:
        return True
    return item.state == "moderated" and len(set(item.effective_values.values())) > 1
