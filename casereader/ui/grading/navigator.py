"""The stage navigator: a list of stages (a drop-down in a narrow panel) with their completeness."""

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from casereader.domain.template import Stage

COUNT_ROLE = Qt.ItemDataRole.UserRole + 1
DONE_ROLE = Qt.ItemDataRole.UserRole + 2
CHANGE_STAGE_KEYS = "Ctrl+Page Down and Ctrl+Page Up change stage"


def is_done(counts: tuple[int, int]) -> bool:
    """Whether (requirements met, requirements) means the stage is complete."""
    done, total = counts
    return done == total


class StageDelegate(QStyledItemDelegate):
    """A navigator row: a tick when the stage is complete, its title, "3/6" at the right."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else QApplication.style()
        title, count = option.text, index.data(COUNT_ROLE) or ""
        option.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setPen(option.palette.color(role))
        rect = option.rect.adjusted(6, 0, -6, 0)
        metrics = option.fontMetrics
        tick_width = metrics.horizontalAdvance("✓ ")
        if index.data(DONE_ROLE):
            painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, "✓")
        count_width = metrics.horizontalAdvance(count) + 8
        title_rect = rect.adjusted(tick_width, 0, -count_width, 0)
        shown = metrics.elidedText(title, Qt.TextElideMode.ElideRight, title_rect.width())
        align = Qt.AlignmentFlag.AlignVCenter
        painter.drawText(title_rect, align | Qt.AlignmentFlag.AlignLeft, shown)
        painter.drawText(rect, align | Qt.AlignmentFlag.AlignRight, count)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index):  # noqa: N802 - Qt override
        size = super().sizeHint(option, index)
        size.setHeight(option.fontMetrics.height() + 10)
        return size


class StageNavigator(QObject):
    """The stage list and the stage drop-down, kept in step; one of them is shown at a time.

    The two widgets sit in different places of the panel's layout, so the owner lays them out.
    """

    chosen = Signal(int)  # the reader picked the stage at this position

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self._narrow = False
        self.list = QListWidget(parent)
        self.list.setAccessibleName("Stages")
        self.list.setAccessibleDescription(CHANGE_STAGE_KEYS)
        self.list.setMinimumWidth(120)
        self.list.setItemDelegate(StageDelegate(self.list))
        self.list.currentRowChanged.connect(self.chosen)
        self.combo = QComboBox(parent)
        self.combo.setAccessibleName("Stage")
        self.combo.setAccessibleDescription(CHANGE_STAGE_KEYS)
        policy = QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        self.combo.setSizeAdjustPolicy(policy)
        self.combo.setMinimumContentsLength(12)
        self.combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.combo.currentIndexChanged.connect(self.chosen)
        self.combo.hide()

    def set_stages(self, stages: list[Stage]) -> None:
        """List these stages (a new template); nothing is chosen by it."""
        for view in (self.list, self.combo):
            view.blockSignals(True)
            view.clear()
        for stage in stages:
            self.list.addItem(QListWidgetItem(stage.title))
            self.combo.addItem(stage.title)
        for view in (self.list, self.combo):
            view.blockSignals(False)

    def select(self, index: int) -> None:
        """Mark the stage at this position as current, without emitting ``chosen``."""
        self.list.blockSignals(True)
        self.list.setCurrentRow(index)
        self.list.blockSignals(False)
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(index)
        self.combo.blockSignals(False)

    def show_progress(self, stages: list[Stage], progress: dict[str, tuple[int, int]]) -> None:
        """Show each stage's (requirements met, requirements) and a tick when complete."""
        for row, stage in enumerate(stages):
            done, total = progress[stage.id]
            entry = self.list.item(row)
            entry.setData(COUNT_ROLE, f"{done}/{total}")
            entry.setData(DONE_ROLE, is_done((done, total)))
            state = "complete" if is_done((done, total)) else f"{done} of {total} answered"
            entry.setData(Qt.ItemDataRole.AccessibleTextRole, f"{stage.title}, {state}")
            # long titles are elided in a narrow list: the tooltip has the whole of it
            entry.setToolTip(f"{stage.title} — {state}")
            tick = "✓ " if is_done((done, total)) else ""
            self.combo.setItemText(row, f"{tick}{stage.title}   {done}/{total}")
            self.combo.setItemData(
                row, f"{stage.title}, {state}", Qt.ItemDataRole.AccessibleTextRole
            )

    def narrow(self) -> bool:
        """Whether the drop-down is shown instead of the list."""
        return self._narrow

    def set_narrow(self, narrow: bool) -> None:
        """Show the drop-down (narrow) or the list; the keyboard follows to the one shown."""
        if narrow == self._narrow:
            return
        self._narrow = narrow
        shown, hidden = (self.combo, self.list) if narrow else (self.list, self.combo)
        had_focus = hidden.hasFocus()
        shown.show()
        hidden.hide()
        if had_focus:
            shown.setFocus(Qt.FocusReason.OtherFocusReason)
