"""Marking a case complete: the notes check, exactly what is missing, and a jump to each gap."""

from collections.abc import Callable

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from casereader.domain.completeness import Missing, describe_missing, missing_for_completion
from casereader.domain.template import Template
from casereader.errors import CaseReaderError
from casereader.store import answers, completion
from casereader.store.completion import NoteWarning
from casereader.store.store import Store
from casereader.ui.grading.panel import TemplatePanel
from casereader.ui.grading.review import show_error

Jump = Callable[[str, bool], None]  # (item_key, to_the_note)
FLAG_KEY = "management_review"


def missing_text(gap: Missing) -> str:
    """One gap without its stage, e.g. "grade 'Quality of chronology' not answered"."""
    line = describe_missing([gap])
    return line.removeprefix(f"{gap.stage_title}: ")


def warning_place(template: Template, warning: NoteWarning) -> tuple[str, str]:
    """(stage title, item label) of a notes-check warning, in the reader's words."""
    if warning.item_key == FLAG_KEY:
        return "Management review", "description"
    try:
        return template.stage_of(warning.item_key).title, template.item(warning.item_key).label
    except CaseReaderError:
        # a note made under another template version: name it by its key rather than hide it
        return "Other template version", warning.item_key


class _ListDialog(QDialog):
    """A dialog with a scrolling list of rows grouped under headings, each with a "Go to"."""

    def __init__(self, parent: QWidget | None, title: str, intro: str):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumSize(540, 360)
        self.jump_to: tuple[str, bool] | None = None
        self.go_buttons: list[QPushButton] = []
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        body = QWidget(self)
        self._grid = QGridLayout(body)
        self._grid.setColumnStretch(0, 1)
        self._row = 0
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setAccessibleName(title)
        self.buttons = QDialogButtonBox(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)

    def add_heading(self, text: str) -> None:
        label = QLabel(text, self)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        self._grid.addWidget(label, self._row, 0, 1, 2)
        self._row += 1

    def add_row(self, text: str, item_key: str | None, note: bool, go_name: str) -> None:
        label = QLabel(text, self)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setAccessibleName(text)
        self._grid.addWidget(label, self._row, 0)
        if item_key is not None:
            button = QPushButton("Go to", self)
            button.setAutoDefault(False)
            button.setAccessibleName(f"Go to {go_name}")
            button.setProperty("item_key", item_key)
            button.setProperty("note", note)
            button.clicked.connect(self._go)
            self._grid.addWidget(button, self._row, 1, Qt.AlignmentFlag.AlignTop)
            self.go_buttons.append(button)
        self._row += 1

    def finish(self) -> None:
        self._grid.setRowStretch(self._row, 1)

    @Slot()
    def _go(self) -> None:
        button = self.sender()
        self.jump_to = (button.property("item_key"), bool(button.property("note")))
        self.done(QDialog.DialogCode.Rejected)

    def add_warnings(self, template: Template, warnings: list[NoteWarning]) -> None:
        stage_seen = None
        for warning in warnings:
            stage, label = warning_place(template, warning)
            if stage != stage_seen:
                self.add_heading(stage)
                stage_seen = stage
            finding = warning.finding
            key = None if warning.item_key == FLAG_KEY else warning.item_key
            text = f"Note on “{label}”: {finding.message}: {finding.text}"
            self.add_row(text, key, True, f"the note on {label}")


class MissingDialog(_ListDialog):
    """Exactly what a case still needs, grouped by stage, with a button per gap."""

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
            "Go to one to fill it in; the case is marked complete only when nothing is missing.",
        )
        stage_seen = None
        for gap in missing:
            if gap.stage_title != stage_seen:
                self.add_heading(gap.stage_title)
                stage_seen = gap.stage_title
            note = gap.what == "evidence note"
            self.add_row(missing_text(gap), gap.item_key, note, gap.item_label)
        if warnings:
            self.add_heading("The notes check also found")
            self.add_warnings(template, warnings)
        self.finish()
        close = self.buttons.addButton("Close", QDialogButtonBox.ButtonRole.RejectRole)
        close.setAccessibleName("Close")
        self.buttons.rejected.connect(self.reject)

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
        )
        self.add_warnings(template, warnings)
        self.finish()
        complete = self.buttons.addButton("Complete anyway", QDialogButtonBox.ButtonRole.AcceptRole)
        complete.setAccessibleName("Complete anyway")
        back = self.buttons.addButton("Go back", QDialogButtonBox.ButtonRole.RejectRole)
        back.setAccessibleName("Go back")
        back.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

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
