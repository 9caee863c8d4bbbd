"""The case workspace: documents | viewer | template panel, with the management-review banner.

It wires the documents, search and grading widgets together for one case and turns their
signals into calls; the widgets themselves come from ui/documents and ui/grading.
"""

import html

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from casereader.store import Store, cases, documents, flags, places
from casereader.store.models import Document
from casereader.ui.documents.pane import DocumentsPane
from casereader.ui.documents.places import Place, PlaceHistory
from casereader.ui.documents.search import SearchPanel
from casereader.ui.documents.search_room import SearchRoom
from casereader.ui.documents.viewer import DocumentViewer
from casereader.ui.grading import completion, review
from casereader.ui.grading.panel import TemplatePanel
from casereader.ui.grading.review import ManagementReviewBanner
from casereader.ui.grading.review_closed import ClosedReviews
from casereader.ui.grading.review_menu import RAISE, ReviewMenu
from casereader.ui.style import review_text_color


def focus_into(widget: QWidget) -> None:
    """Give the keyboard focus to the widget or, for a container, its first focusable child."""
    if widget.focusPolicy() != Qt.FocusPolicy.NoFocus or widget.focusProxy() is not None:
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return
    candidate = widget.nextInFocusChain()
    while candidate is not None and candidate is not widget:
        if (
            widget.isAncestorOf(candidate)
            and candidate.isVisible()
            and candidate.isEnabled()
            and candidate.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            candidate.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        candidate = candidate.nextInFocusChain()


# the first-run widths of the documents list and of the template panel (in its narrow layout,
# stages in a drop-down, no scrolling sideways); the viewer gets the rest
DOCUMENTS_WIDTH, TEMPLATE_WIDTH = 210, 430


class CaseWorkspace(QWidget):
    """One case at a time: its documents and search, the viewer, the template panel."""

    case_changed = Signal(str)  # answers, status or management review changed: refresh the list
    review_changed = Signal(str)  # a management review was raised or moved a step (case_ref)
    saved_state = Signal(str)
    other_case_hit = Signal(str, int, int, str)  # case_ref, document_id, page, query
    case_requested = Signal(str)  # Back or Forward leads to another case: the window opens it
    history_changed = Signal()  # Back and Forward may have become (un)available

    def __init__(self, parent=None):
        super().__init__(parent)
        self.store: Store | None = None
        self.case_ref: str | None = None
        self.banner = ManagementReviewBanner()
        self.closed_reviews = ClosedReviews()
        self.documents = DocumentsPane()
        self.search = SearchPanel()
        self.viewer = DocumentViewer()
        self.template = TemplatePanel()
        self.history = PlaceHistory()
        self._navigating = False  # going Back or Forward: not a new place
        # the reader's place is written to the store after a pause in page turning
        self._place_timer = QTimer(self)
        self._place_timer.setSingleShot(True)
        self._place_timer.setInterval(800)
        self._place_timer.timeout.connect(self.save_place)

        self.heading = QLabel()
        self.heading.setAccessibleName("Case")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.review_button = QPushButton("Management review…")
        self.review_button.setAccessibleName("Management review")
        self.review_button.setAccessibleDescription(
            "Raise a management review when a child may be at risk, or move an open one on"
        )
        self.review_button.setToolTip(
            "Raise a management review when a child may be at risk (Ctrl+M)"
        )
        self._style_review_button()
        self.complete_button = QPushButton("Mark complete…")
        self.complete_button.setAccessibleName("Mark case complete")
        self.complete_button.setToolTip("Check what is missing and mark the case complete")
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.complete_button)
        top.addWidget(self.review_button)

        self.left = QSplitter(Qt.Orientation.Vertical)
        self.left.setObjectName("left")
        self.left.addWidget(self.documents)
        self.left.addWidget(self.search)
        self.left.setStretchFactor(0, 3)
        self.left.setStretchFactor(1, 1)
        self.search.results_shown.connect(SearchRoom(self.left).results_shown)
        self.columns = QSplitter(Qt.Orientation.Horizontal)
        self.columns.setObjectName("columns")
        self.columns.addWidget(self.left)
        self.columns.addWidget(self.viewer)
        self.columns.addWidget(self.template)
        # room gained or lost (the window, the case list folding) is the viewer's: the page
        # is what is read for hours; the documents list and the template panel keep their width
        self.columns.setStretchFactor(0, 0)
        self.columns.setStretchFactor(1, 1)
        self.columns.setStretchFactor(2, 0)
        self.columns.setChildrenCollapsible(False)
        self.columns.setSizes([DOCUMENTS_WIDTH, 545, TEMPLATE_WIDTH])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.closed_reviews)
        layout.addLayout(top)
        layout.addWidget(self.columns, 1)

        self.review_button.clicked.connect(self.management_review)
        self.complete_button.clicked.connect(self.complete_case)
        self.documents.document_chosen.connect(self._open_document)
        self.search.hit_chosen.connect(self._open_hit)
        self.viewer.cite_requested.connect(self.template.cite)
        # A document opened from a search hit, an evidence link or the demo is marked in the lists.
        self.viewer.document_shown.connect(self.documents.select_document)
        self.viewer.document_shown.connect(self.documents.note_opened)  # read: no longer bold
        self.viewer.place_changed.connect(self._place_changed)
        self.template.evidence_opened.connect(self.open_evidence)
        self.template.answers_changed.connect(self.case_changed)
        self.template.saved_state.connect(self.saved_state)
        self.banner.flags_changed.connect(self._refresh_flags)
        self.banner.flags_changed.connect(self.case_changed)
        self.banner.flags_changed.connect(self.review_changed)
        self._show_case_controls(False)

    # the case --------------------------------------------------------------------

    def set_store(self, store: Store | None) -> None:
        """Use this store (the window's one Store); clears the case shown."""
        self.clear()
        if store is None or self.store is None or store.path != self.store.path:
            self.history.clear()
        self.store = store
        self.search.set_store(store)  # None too: no search may reach a closed store

    def set_case(self, case_ref: str) -> None:
        """Show this case: documents, template answers, open management reviews."""
        if self.store is None:
            raise RuntimeError("set_store() before set_case()")
        case = cases.get_case(self.store, case_ref)
        self.save_place()
        self.case_ref = case_ref
        self.viewer.clear()
        self.documents.set_case(self.store, case_ref)
        self.search.set_case(case_ref)
        self.template.set_case(self.store, case_ref)
        bits = [case.sample_group, "follow-up" if case.follow_up else "", case.age_band,
                case.legal_status]  # fmt: skip
        extra = html.escape(" · ".join(b for b in bits if b))
        self.heading.setText(
            f"<b style='font-size:large'>{html.escape(case_ref)}</b>&nbsp;&nbsp;{extra}"
        )
        self._refresh_flags()
        self._show_case_controls(True)
        if not self._navigating:
            self.history.visit(Place(case_ref, None))
            # on the next turn, unless the caller opens a document of its own (a search hit,
            # an evidence link) straight after
            QTimer.singleShot(0, self, lambda: self._restore_place(case_ref))
        self.history_changed.emit()
        # Once the case is on screen: its Word documents are converted in the background.
        QTimer.singleShot(0, self, lambda: self._prefetch(case_ref))

    def _prefetch(self, case_ref: str) -> None:
        if self.store is not None and self.case_ref == case_ref:
            self.viewer.prefetch_case(self.store, case_ref)

    def clear(self) -> None:
        self.save_place()
        self.case_ref = None
        self.viewer.clear()
        self.documents.clear()
        self.template.clear()
        self.banner.set_flags([])
        self.closed_reviews.set_flags([])
        self.heading.setText("")
        self._show_case_controls(False)

    def _show_case_controls(self, shown: bool) -> None:
        self.review_button.setEnabled(shown)
        self.complete_button.setEnabled(shown)

    @Slot()
    def _refresh_flags(self) -> None:
        if self.store is not None and self.case_ref is not None:
            every = flags.list_flags(self.store, self.case_ref)
            self.banner.set_flags(every, self.store)  # the open ones, in red
            self.closed_reviews.set_flags(every)  # the closed ones, quietly, with their steps

    # the reader's place -------------------------------------------------------------

    def _restore_place(self, case_ref: str) -> None:
        """Open the case at the document and page it was last read at."""
        if self.store is None or self.case_ref != case_ref or self.viewer.current_document():
            return
        place = places.place_of(self.store, case_ref)
        if place is not None and place.document_id is not None:
            try:
                self.show_document(place.document_id, place.page)
            except Exception:  # the document was removed since: the case opens without it
                self.viewer.clear()

    @Slot(int, int)
    def _place_changed(self, document_id: int, page: int) -> None:
        if self.case_ref is None:
            return
        if not self._navigating:
            self.history.visit(Place(self.case_ref, document_id, page))
            self.history_changed.emit()
        else:
            self.history.turn_page(page)
        self._place_timer.start()

    @Slot()
    def save_place(self) -> None:
        """Write the case's document and page to the store (now, not after the pause)."""
        self._place_timer.stop()
        document = self.viewer.current_document()
        if self.store is None or self.case_ref is None or document is None:
            return
        if document.case_ref == self.case_ref:
            places.remember_place(
                self.store, self.case_ref, document.id, self.viewer.current_page()
            )
            places.mark_read(self.store, document.id)

    def go_back(self) -> None:
        """Back to the place read before (another case's, too)."""
        self._go(self.history.back())

    def go_forward(self) -> None:
        self._go(self.history.forward())

    def _go(self, place: Place | None) -> None:
        if place is None or self.store is None:
            return
        self._navigating = True
        try:
            if place.case_ref != self.case_ref:
                self.case_requested.emit(place.case_ref)
            if place.document_id is not None and place.case_ref == self.case_ref:
                self.show_document(place.document_id, place.page)
        finally:
            self._navigating = False
        self.history_changed.emit()

    # documents ---------------------------------------------------------------------

    def show_document(self, document_id: int, page: int = 1, highlight: str = "") -> None:
        """Open a document of the current case in the viewer."""
        if self.store is not None:
            self.viewer.show_document(self.store, document_id, page, highlight)

    def documents_of_case(self) -> list[Document]:
        """The current case's documents in date order."""
        if self.store is None or self.case_ref is None:
            return []
        return documents.timeline(self.store, self.case_ref)

    def first_pdf(self) -> Document | None:
        """The case's first PDF in date order (the demo screenshot opens it)."""
        if self.store is None or self.case_ref is None:
            return None
        pdfs = [d for d in documents.timeline(self.store, self.case_ref) if d.doc_type == "pdf"]
        return pdfs[0] if pdfs else None

    @Slot(int, int)
    def _open_document(self, document_id: int, page: int) -> None:
        self.show_document(document_id, page)

    @Slot(str, int, int, str)
    def _open_hit(self, case_ref: str, document_id: int, page: int, query: str) -> None:
        if case_ref == self.case_ref:
            self.show_document(document_id, page, query)
        else:
            self.other_case_hit.emit(case_ref, document_id, page, query)

    @Slot(str, int)
    def open_evidence(self, document_sha256: str, page: int) -> None:
        """Open the page an evidence link cites (a document of the case shown)."""
        if self.store is None or self.case_ref is None:
            return
        doc = documents.find_by_sha(self.store, self.case_ref, document_sha256)
        if doc is None:
            QMessageBox.information(
                self, "Evidence", "The cited document is not in this store (it was not imported)."
            )
            return
        self.show_document(doc.id, page)

    # actions -------------------------------------------------------------------------

    @Slot()
    def management_review(self) -> None:
        """Raise a management review, or move an open one on (a menu when one is open)."""
        if self.store is None or self.case_ref is None:
            return
        open_flags = flags.list_flags(self.store, self.case_ref, open_only=True)
        chosen = ReviewMenu.ask(self.review_button, open_flags) if open_flags else RAISE
        if chosen is None:
            return
        if chosen == RAISE:
            changed = review.raise_review(self, self.store, self.case_ref, self.viewer.citation)
        else:
            changed = review.advance_review(self, self.store, chosen)
        if changed is not None:
            self._refresh_flags()
            self.case_changed.emit(self.case_ref)
            self.review_changed.emit(self.case_ref)

    def resume_drafts(self, closed: list[tuple[str, str, str]]) -> None:
        """Open again the review dialogs the idle lock closed (their drafts fill them)."""
        for kind, case_ref, target in closed:
            if self.store is None or case_ref != self.case_ref:
                continue
            if kind == "review":
                changed = review.raise_review(self, self.store, case_ref, self.viewer.citation)
            else:
                open_flags = flags.list_flags(self.store, case_ref, open_only=True)
                flag = next((f for f in open_flags if f.flag_id == target), None)
                changed = review.advance_review(self, self.store, flag) if flag else None
            if changed is not None:
                self._refresh_flags()
                self.case_changed.emit(case_ref)

    @Slot()
    def complete_case(self) -> None:
        """Check the case and mark it complete (or say exactly what is missing)."""
        if self.store is None or self.case_ref is None:
            return
        completion.complete_case_flow(self, self.store, self.case_ref)
        self.case_changed.emit(self.case_ref)

    # focus and layout ----------------------------------------------------------------

    def focus_documents(self) -> None:
        focus_into(self.documents)

    def focus_search(self) -> None:
        focus_into(self.search)

    def focus_viewer(self) -> None:
        self.viewer.focus_page()

    def focus_template(self) -> None:
        focus_into(self.template)

    def splitters(self) -> list[QSplitter]:
        """The workspace's splitters, each with an objectName (their sizes are remembered)."""
        return [self.columns, self.left]

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._style_review_button()  # the red follows a light/dark switch
        super().changeEvent(event)

    def _style_review_button(self) -> None:
        red = review_text_color().name()
        self.review_button.setStyleSheet(
            f"QPushButton {{ color: {red}; font-weight: bold; border: 2px solid {red};"
            " border-radius: 4px; padding: 4px 12px; }"
        )
