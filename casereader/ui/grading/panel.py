"""The template panel: one case's answers stage by stage, autosaved, with evidence links.

Built in code from the store's template. Every change is saved at once through
``answers.save_answer`` (notes after a pause in typing); the panel only turns signals into store
calls and results into views.
"""

import logging
from datetime import datetime

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from casereader.domain.completeness import case_progress, stage_progress
from casereader.domain.template import Stage, Template
from casereader.errors import CaseReaderError
from casereader.store import answers, cases, completion, drafts
from casereader.store.models import CASE_STATUS_LABELS, Answer, EvidenceLink
from casereader.store.store import Store
from casereader.ui.grading.citing import PanelCiting
from casereader.ui.grading.items import ItemCard, caption
from casereader.ui.grading.navigator import StageNavigator, is_done
from casereader.ui.grading.stage_page import StagePage
from casereader.ui.grading.undo import AnswerUndo, CaseUndo

log = logging.getLogger(__name__)


def _problem(error: Exception) -> str:
    if isinstance(error, CaseReaderError):
        return str(error)
    # not one of ours: keep the details in the log, tell the reader what to do
    log.exception("saving failed")
    return f"{error}. Your text is still here; try again, or lock and reopen the store."


# Below this panel width the stage list gives its room to the stage and a drop-down above
# the stage takes its place: the panel often shares the screen with the document viewer.
NARROW_WIDTH = 600


class TemplatePanel(AnswerUndo, PanelCiting, QWidget):
    """The record-reading template for one case: grade, answer, note and cite, all autosaved."""

    evidence_opened = Signal(str, int)  # document sha256, page
    answers_changed = Signal(str)  # case_ref
    saved_state = Signal(str)  # "Saving…", "Saved 14:02:07", "Not saved: …"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Record-reading template")
        self._store: Store | None = None
        self._case_ref: str | None = None
        self._template: Template | None = None
        self._answers: dict[str, tuple[str | None, str]] = {}
        self._saved: dict[str, Answer] = {}
        self._links: dict[str, list[EvidenceLink]] = {}
        self._names: tuple[str, ...] = ()
        self._cards: dict[str, ItemCard] = {}  # of the pages built so far
        self._pages: dict[int, StagePage] = {}
        self._stage_index = 0
        self._last_note_key: str | None = None
        self._note_drafts: set[str] = set()
        self.undo = CaseUndo()
        self._undo_store: str | None = None  # the store path the undo stacks belong to
        self._applying = False  # an undo or redo is saving: not a new undo step
        self._guidance_shown = False

        self._outer = QStackedWidget(self)
        self._empty = QLabel("Open a case to read and grade it.", self)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setAccessibleName("No case open")
        self._outer.addWidget(self._empty)

        body = QWidget(self)
        self.case_label = QLabel(body)
        font = self.case_label.font()
        font.setBold(True)
        self.case_label.setFont(font)
        self.case_label.setAccessibleName("Case")
        self.progress_label = QLabel(body)
        self.progress_label.setAccessibleName("Case completeness")
        self.message = caption("", body, small=True)
        self.message.setAccessibleName("Template panel message")
        header = QHBoxLayout()
        header.setContentsMargins(6, 4, 6, 0)
        header.addWidget(self.case_label)
        header.addStretch(1)
        header.addWidget(self.progress_label)

        self.stage_navigator = StageNavigator(body)
        self.stage_navigator.chosen.connect(self._stage_chosen)
        # the navigator's two views, by the names the tests and benchmarks use
        self.navigator, self.stage_combo = self.stage_navigator.list, self.stage_navigator.combo
        stage_row = QHBoxLayout()
        stage_row.setContentsMargins(6, 0, 6, 0)
        stage_row.addWidget(self.stage_combo)
        self.pages = QStackedWidget(body)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, body)
        self.splitter.setObjectName("templateSplitter")
        self.splitter.addWidget(self.navigator)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([205, 500])
        self.splitter.setChildrenCollapsible(False)

        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(2)
        body_layout.addLayout(header)
        body_layout.addLayout(stage_row)
        body_layout.addWidget(self.message)
        body_layout.addWidget(self.splitter, 1)
        self.message.hide()
        self._outer.addWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._outer)

        for keys, step in ((Qt.Key.Key_PageDown, 1), (Qt.Key.Key_PageUp, -1)):
            shortcut = QShortcut(QKeySequence(Qt.KeyboardModifier.ControlModifier | keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.next_stage if step > 0 else self.previous_stage)
        app = QApplication.instance()
        if app is not None:
            app.focusChanged.connect(self._focus_moved)

    def set_case(self, store: Store, case_ref: str) -> None:
        """Show one case's answers (saving any note still being typed on the previous case)."""
        self.flush()
        if self._template is None or self._template.sha256 != store.template.sha256:
            self._build(store.template)
        self._store, self._case_ref = store, case_ref
        if self._undo_store != str(store.path):
            self.undo.clear()  # another store: its cases' steps do not apply here
            self._undo_store = str(store.path)
        self.undo.activate(case_ref)
        self._last_note_key = None
        self._saved = answers.answers_for(store, case_ref)
        self._links = {}
        for link in answers.evidence_links(store, case_ref):
            self._links.setdefault(link.item_key, []).append(link)
        self._names = tuple(completion.identifier_names(store))
        self._answers = {key: (a.value, a.note) for key, a in self._saved.items()}
        for page in self._pages.values():
            page.fill(self._saved, self._links, self._names)
        self._note_drafts = {t for k, t in drafts.drafts_of_case(store, case_ref) if k == "note"}
        for item_key in self._note_drafts:
            # a note that could not be saved last time: shown again, and saved after a pause
            kept = drafts.get_draft(store, case_ref, "note", item_key) or {}
            if item_key in self._template.item_keys():
                self.card(item_key).note.edit.setPlainText(kept.get("note", ""))
        self.case_label.setText(case_ref)
        self.case_label.setAccessibleDescription(f"Case {case_ref}")
        self._say("")
        self._update_progress()
        self._outer.setCurrentIndex(1)
        progress = stage_progress(self._template, self._answers)
        first_open = next(
            (n for n, s in enumerate(self._template.stages) if not is_done(progress[s.id])), 0
        )
        self.set_stage(first_open)

    def clear(self) -> None:
        """Show no case (saving any note still being typed)."""
        self.flush()
        self.undo.activate(None)
        self._store, self._case_ref = None, None
        self._answers, self._saved, self._links = {}, {}, {}
        self._outer.setCurrentIndex(0)

    def case_ref(self) -> str | None:
        return self._case_ref

    def flush(self) -> None:
        """Save every note or text still waiting for a pause in typing."""
        if self._store is None:
            return
        for card in self._cards.values():
            card.flush()

    def unsaved_notes(self) -> list[str]:
        """The item keys whose note holds text not saved (the last save failed)."""
        return [key for key, card in self._cards.items() if card.note.edit.is_pending()]

    def note_drafts(self) -> set[str]:
        """The item keys whose unsaved note is kept as a draft in the store."""
        return set(self._note_drafts)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        # the lock screen or closing the case hides the panel: nothing typed may be lost
        self.flush()
        super().hideEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.stage_navigator.set_narrow(self.width() < NARROW_WIDTH)

    def narrow(self) -> bool:
        """Whether the stages show as a drop-down (narrow panel) instead of a list."""
        return self.stage_navigator.narrow()

    def _build(self, template: Template) -> None:
        for page in self._pages.values():
            self.pages.removeWidget(page)
            page.deleteLater()
        self._template = template
        self._pages, self._cards = {}, {}
        self._stage_index = 0
        self.stage_navigator.set_stages(template.stages)

    def _page(self, index: int) -> StagePage:
        # pages are built when first shown: opening a case stays quick on a long template
        page = self._pages.get(index)
        if page is not None:
            return page
        page = StagePage(self._template.stages[index], self._template, self._guidance_shown)
        page.guidance_toggled.connect(self._guidance_toggled)
        page.has_next = index < len(self._template.stages) - 1
        page.tabbed_past_end.connect(self._tab_into_next_stage)
        for key, card in page.cards.items():
            self._cards[key] = card
            card.value_edited.connect(self._value_edited)
            card.agreed_edited.connect(self._agreed_edited)
            card.note_edited.connect(self._note_edited)
            card.note_focused.connect(self._note_focused)
            card.link_activated.connect(self._link_activated)
            card.link_remove_requested.connect(self._link_remove_requested)
        self._pages[index] = page
        self.pages.addWidget(page)
        if self._store is not None:
            page.fill(self._saved, self._links, self._names)
        return page

    def set_stage(self, index: int) -> None:
        """Show the stage at this position in the template."""
        if self._template is None:
            return
        index = max(0, min(len(self._template.stages) - 1, index))
        self._show_stage(index)
        self.stage_navigator.select(index)

    def _show_stage(self, index: int) -> None:
        self._stage_index = index
        self.pages.setCurrentWidget(self._page(index))

    def current_stage(self) -> Stage | None:
        if self._template is None:
            return None
        return self._template.stages[self._stage_index]

    def current_stage_index(self) -> int:
        return self._stage_index

    @Slot()
    def next_stage(self) -> None:
        self.set_stage(self._stage_index + 1)

    @Slot()
    def previous_stage(self) -> None:
        self.set_stage(self._stage_index - 1)

    @Slot(int)
    def _stage_chosen(self, row: int) -> None:
        if row >= 0 and self._template is not None:
            self.set_stage(row)  # the list and the drop-down follow each other

    @Slot()
    def _tab_into_next_stage(self) -> None:
        self.set_stage(self._stage_index + 1)
        first = self._template.stages[self._stage_index].items[0]
        self.focus_item(first.key)

    @Slot(bool)
    def _guidance_toggled(self, shown: bool) -> None:
        self._guidance_shown = shown
        for page in self._pages.values():
            page.set_guidance_shown(shown)

    def card(self, item_key: str) -> ItemCard:
        """The card of one item (building its stage page if need be)."""
        if item_key not in self._cards:
            stage = self._template.stage_of(item_key)
            self._page(self._template.stages.index(stage))
        return self._cards[item_key]

    def focus_item(self, item_key: str, note: bool = False) -> None:
        """Show the item's stage and put the keyboard on its answer (or its evidence note)."""
        if self._template is None:
            return
        stage = self._template.stage_of(item_key)
        self.set_stage(self._template.stages.index(stage))
        target = self._cards[item_key].focus(note)
        self._pages[self._stage_index].ensureWidgetVisible(target, 20, 40)

    @Slot(QWidget, QWidget)
    def _focus_moved(self, old: QWidget | None, new: QWidget | None) -> None:
        page = self._pages.get(self._stage_index)
        if new is not None and page is not None and page.isAncestorOf(new):
            page.ensureWidgetVisible(new, 20, 40)

    def _update_progress(self) -> None:
        if self._template is None or self._store is None:
            return
        self.stage_navigator.show_progress(
            self._template.stages, stage_progress(self._template, self._answers)
        )
        done, total = case_progress(self._template, self._answers)
        status = cases.reader_status(self._store, self._case_ref)
        text = f"{done} of {total} required answered"
        if status != "in_progress":
            text += f" · {CASE_STATUS_LABELS[status].lower()}"
        self.progress_label.setText(text)

    def refresh_status(self) -> None:
        """Show the case's status again (it was completed elsewhere) and tell the case list."""
        if self._store is None:
            return
        self._update_progress()
        self.answers_changed.emit(self._case_ref)

    def stage_counts(self) -> dict[str, tuple[int, int]]:
        """Per stage id, (requirements met, requirements), as the navigator shows them."""
        return stage_progress(self._template, self._answers) if self._template else {}

    def _save(self, item_key: str, **change) -> Answer | Exception:
        self.saved_state.emit("Saving…")
        before = self._saved.get(item_key)
        try:
            old_status = cases.reader_status(self._store, self._case_ref)
            answer = answers.save_answer(self._store, self._case_ref, item_key, **change)
        except Exception as error:
            self.saved_state.emit(f"Not saved: {_problem(error)}")
            return error
        self._answers[item_key] = (answer.value, answer.note)
        self._saved[item_key] = answer
        if not self._applying:
            self._push_undo(item_key, before, answer, old_status, list(change))
        self.saved_state.emit(f"Saved {datetime.now():%H:%M:%S}")
        self._update_progress()
        self.answers_changed.emit(self._case_ref)
        return answer

    @Slot(str, object)
    def _value_edited(self, item_key: str, value: str | None) -> None:
        card = self._cards[item_key]
        result = self._save(item_key, value=value)
        if isinstance(result, Exception):
            card.value_not_saved(_problem(result))
        else:
            card.value_saved(result.value)

    @Slot(str, object)
    def _agreed_edited(self, item_key: str, value: str | None) -> None:
        card = self._cards[item_key]
        result = self._save(item_key, agreed_value=value)
        if isinstance(result, Exception):
            card.show_error(_problem(result))
            stored = self._saved.get(item_key)
            card.editor.set_agreed(stored.agreed_value if stored else None)
            return
        card.editor.set_agreed(result.agreed_value)

    @Slot(str, str)
    def _note_edited(self, item_key: str, text: str) -> None:
        card = self._cards[item_key]
        result = self._save(item_key, note=text)
        if isinstance(result, Exception):
            card.note.show_error(_problem(result))
            self._keep_note_draft(item_key, text)
            return
        if item_key in self._note_drafts:
            self._note_drafts.discard(item_key)
            drafts.discard_draft(self._store, self._case_ref, "note", item_key)
        card.note.show_error("")
        card.apply_saved(result.value)

    def _keep_note_draft(self, item_key: str, text: str) -> None:
        try:
            drafts.save_draft(self._store, self._case_ref, "note", item_key, {"note": text})
            self._note_drafts.add(item_key)
        except Exception:  # the store cannot be written at all: the text stays in the note
            log.exception("keeping a note draft failed")

    @Slot(str)
    def _note_focused(self, item_key: str) -> None:
        self._last_note_key = item_key

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
