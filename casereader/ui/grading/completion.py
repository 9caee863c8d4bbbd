"""Marking a case complete: the notes check, exactly what is missing, and a jump to each gap."""

from collections.abc import Callable

from PySide6.QtCore import QEvent, QSize, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from casereader.domain.completeness import Missing, gap_text, missing_for_completion
from casereader.domain.template import Template
from casereader.errors import CaseReaderError
from casereader.store import answers, completion
from casereader.store.completion import NoteWarning
from casereader.store.store import Store
from casereader.ui.grading.panel import TemplatePanel
from casereader.ui.grading.review import show_error
from casereader.ui.plain import plain_tooltip

Jump = Callable[[str, bool], None]  # (item_key, to_the_note)
FLAG_KEY = "management_review"
ITEM_KEY_ROLE = Qt.ItemDataRole.UserRole
NOTE_ROLE = Qt.ItemDataRole.UserRole + 1
HEADING_ROLE = Qt.ItemDataRole.UserRole + 2


def missing_text(gap: Missing) -> str:
    """One gap without its stage, e.g. "“Quality of chronology” — grade not given"."""
    return gap_text(gap)


def warning_place(template: Template, warning: NoteWarning) -> tuple[str, str]:
    """(stage title, item label) of a notes-check warning, in the reader's words."""
    if warning.item_key == FLAG_KEY:
        return "Management review", "description"
    try:
        return template.stage_of(warning.item_key).title, template.item(warning.item_key).label
    except CaseReaderError:
        # a note made under another template version: name it by its key rather than hide it
        return "Other template version", warning.item_key


class _RoomyRows(QStyledItemDelegate):
    """Rows with a little air, and a gap above each heading, so a long list stays readable."""

    def sizeHint(self, option, index) -> QSize:
        size = super().sizeHint(option, index)
        extra = option.fontMetrics.height() // 2 if index.data(HEADING_ROLE) else 0
        return QSize(size.width(), size.height() + 4 + extra)


class _ListDialog(QDialog):
    """A dialog listing rows under headings, with one "Go to" for the chosen row.

    Double-click or Enter on a row goes to it too. The dialog opens tall enough to show the
    whole list, up to most of its window's height.
    """

    def __init__(self, parent: QWidget | None, title: str, intro: str, go_text: str):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumSize(540, 360)
        self.jump_to: tuple[str, bool] | None = None
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        self.list = QTreeWidget(self)
        self.list.setHeaderHidden(True)
        self.list.setRootIsDecorated(False)
        self.list.setItemsExpandable(False)
        self.list.setWordWrap(True)
        self.list.setUniformRowHeights(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setAccessibleName(title)
        self.list.setAccessibleDescription("Enter or double-click on a row goes to it.")
        self.list.itemDoubleClicked.connect(self._go_to_item)
        self.list.currentItemChanged.connect(self._update_go)
        self.list.installEventFilter(self)
        self.go_button = QPushButton(go_text, self)
        self.go_button.setAutoDefault(False)
        self.go_button.setAccessibleName(go_text)
        self.go_button.clicked.connect(self._go_to_current)
        self.rows: list[QTreeWidgetItem] = []
        self._heading: QTreeWidgetItem | None = None
        self.buttons = QDialogButtonBox(self)
        self.list.setItemDelegate(_RoomyRows(self.list))
        actions = QHBoxLayout()
        actions.addWidget(self.go_button)
        actions.addStretch(1)
        actions.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(actions)

    def add_heading(self, text: str) -> None:
        heading = QTreeWidgetItem(self.list, [text])
        font = heading.font(0)
        font.setBold(True)
        heading.setFont(0, font)
        # a heading is read, not chosen: the keyboard passes over it
        heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
        heading.setTextAlignment(0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        heading.setData(0, HEADING_ROLE, True)
        self._heading = heading

    def add_row(self, text: str, item_key: str | None, note: bool) -> None:
        row = QTreeWidgetItem(self._heading or self.list.invisibleRootItem(), [text])
        row.setToolTip(0, plain_tooltip(text))
        row.setData(0, ITEM_KEY_ROLE, item_key)
        row.setData(0, NOTE_ROLE, note)
        self.rows.append(row)

    def finish(self) -> None:
        self.list.expandAll()
        first = next((row for row in self.rows if row.data(0, ITEM_KEY_ROLE)), None)
        if first is not None:
            self.list.setCurrentItem(first)
        self._update_go()
        self.list.setFocus()
        self.resize(self._opening_size())

    def _opening_size(self) -> QSize:
        """Wide enough for most rows on one line; tall enough for all, up to 80% of the window."""
        rows = 0
        item = self.list.topLevelItem(0)
        while item is not None:
            rows += self.list.sizeHintForIndex(self.list.indexFromItem(item)).height()
            item = self.list.itemBelow(item)
        others = self.sizeHint().height() - self.list.sizeHint().height()
        height = others + rows + 2 * self.list.frameWidth() + 4
        window = self.parentWidget().window() if self.parentWidget() is not None else None
        room = window.height() if window is not None else self.screen().availableGeometry().height()
        height = max(self.minimumHeight(), min(height, int(room * 0.8)))
        return QSize(max(self.minimumWidth(), 640), height)

    def eventFilter(self, watched, event) -> bool:
        """Enter on a row goes to it (not the dialog's default button)."""
        enter = event.type() == QEvent.Type.KeyPress and event.key() in (
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
        )
        if watched is self.list and enter and self.go_button.isEnabled():
            self._go_to_current()
            return True
        return super().eventFilter(watched, event)

    def _target(self, item: QTreeWidgetItem | None) -> tuple[str, bool] | None:
        if item is None or not item.data(0, ITEM_KEY_ROLE):
            return None
        return item.data(0, ITEM_KEY_ROLE), bool(item.data(0, NOTE_ROLE))

    @Slot()
    def _update_go(self) -> None:
        self.go_button.setEnabled(self._target(self.list.currentItem()) is not None)

    @Slot()
    def _go_to_current(self) -> None:
        self._go_to_item(self.list.currentItem())

    @Slot(QTreeWidgetItem)
    def _go_to_item(self, item: QTreeWidgetItem | None) -> None:
        target = self._target(item)
        if target is not None:
            self.jump_to = target
            self.done(QDialog.DialogCode.Rejected)

    def add_warnings(
        self, template: Template, warnings: list[NoteWarning], heading_prefix: str = ""
    ) -> None:
        stage_seen = None
        for warning in warnings:
            stage, label = warning_place(template, warning)
            if stage != stage_seen:
                self.add_heading(f"{heading_prefix}{stage}")
                stage_seen = stage
            finding = warning.finding
            key = None if warning.item_key == FLAG_KEY else warning.item_key
            self.add_row(f"Note on “{label}”: {finding.message}: {finding.text}", key, True)


class MissingDialog(_ListDialog):
    """Exactly what a case still needs, grouped by stage; "Go to item" goes to the chosen gap."""

    def __init__(
        self,
        parent: QWidget | None,
        template: Template,
        case_ref: str,
        missing: list[Missing],
        warnings: list[NoteWarning],
    ):
        count = len(missing)
        things = "thing is" if count == 1 else "things are"
        super().__init__(
            parent,
            f"{case_ref} is not complete yet",
            f"{count} {things} missing before {case_ref} can be marked complete. "
            "Double-click one, or choose it and press Enter, to fill it in; the case is marked "
            "complete only when nothing is missing.",
            "Go to item",
        )
        stage_seen = None
        for gap in missing:
            if gap.stage_title != stage_seen:
                self.add_heading(gap.stage_title)
                stage_seen = gap.stage_title
            note = gap.what == "evidence note"
            self.add_row(missing_text(gap), gap.item_key, note)
        self.add_warnings(template, warnings, "The notes check also found — ")
        close = self.buttons.addButton("Close", QDialogButtonBox.ButtonRole.RejectRole)
        close.setAccessibleName("Close")
        self.buttons.rejected.connect(self.reject)
        self.finish()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        template: Template,
        case_ref: str,
        missing: list[Missing],
        warnings: list[NoteWarning],
    ) -> tuple[str, bool] | None:
        """The (item key, to the note) the reader chose to go to, or None."""
        dialog = cls(parent, template, case_ref, missing, warnings)
        dialog.exec()
        return dialog.jump_to


class NotesWarningDialog(_ListDialog):
    """The notes check's findings before completion: "Complete anyway" or "Go back"."""

    def __init__(
        self,
        parent: QWidget | None,
        template: Template,
        case_ref: str,
        warnings: list[NoteWarning],
    ):
        super().__init__(
            parent,
            f"Check the notes on {case_ref}",
            "Some notes seem to hold an identifier. Records are pseudonymous and staff are named "
            "by role only: take identifiers out unless you are sure they are not one.",
            "Go to note",
        )
        self.add_warnings(template, warnings)
        complete = self.buttons.addButton("Complete anyway", QDialogButtonBox.ButtonRole.AcceptRole)
        complete.setAccessibleName("Complete anyway")
        back = self.buttons.addButton("Go back", QDialogButtonBox.ButtonRole.RejectRole)
        back.setAccessibleName("Go back")
        back.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.finish()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        template: Template,
        case_ref: str,
        warnings: list[NoteWarning],
    ) -> tuple[bool, tuple[str, bool] | None]:
        """(complete anyway?, the (item key, to the note) to go to, if one was chosen)."""
        dialog = cls(parent, template, case_ref, warnings)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return accepted, dialog.jump_to


def find_panel(parent: QWidget | None) -> TemplatePanel | None:
    """The template panel at or under the parent (or anywhere in its window)."""
    if parent is None:
        return None
    if isinstance(parent, TemplatePanel):
        return parent
    return parent.findChild(TemplatePanel) or parent.window().findChild(TemplatePanel)


def complete_case_flow(
    parent: QWidget | None, store: Store, case_ref: str, jump: Jump | None = None
) -> bool:
    """Mark a case complete: say exactly what is missing, warn about identifiers, then complete.

    ``jump(item_key, to_note)`` is called when the reader asks to go to a gap; by default the
    template panel under ``parent`` shows it.
    """
    panel = find_panel(parent)
    if panel is not None:
        panel.flush()  # a note typed a moment ago counts
    if jump is None and panel is not None:
        jump = panel.focus_item
    template = store.template
    try:
        missing = missing_for_completion(template, answers.answer_map(store, case_ref))
        warnings = completion.check_notes(store, [case_ref])
    except CaseReaderError as error:
        show_error(parent, "Case not completed", str(error))
        return False
    if missing:
        _jump(jump, MissingDialog.ask(parent, template, case_ref, missing, warnings))
        return False
    if warnings:
        complete, target = NotesWarningDialog.ask(parent, template, case_ref, warnings)
        if not complete:
            _jump(jump, target)
            return False
    try:
        result = completion.complete_case(store, case_ref)
    except CaseReaderError as error:
        show_error(parent, "Case not completed", str(error))
        return False
    if not result.completed:
        _jump(jump, MissingDialog.ask(parent, template, case_ref, result.missing, []))
        return False
    if panel is not None:
        panel.refresh_status()
    return True


def _jump(jump: Jump | None, target: tuple[str, bool] | None) -> None:
    if jump is not None and target is not None:
        jump(*target)
