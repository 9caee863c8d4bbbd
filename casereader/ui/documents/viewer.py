"""The document viewer: a header, a toolbar, and one view per kind of document."""

import html

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from casereader.store import Store
from casereader.store import documents as store_documents
from casereader.store.models import Document
from casereader.ui.documents.docx_view import DocxView
from casereader.ui.documents.image_view import ImageView
from casereader.ui.documents.models import (
    TYPE_LABELS,
    agency_colour,
    describe,
    display_date,
    highlight_text,
)
from casereader.ui.documents.pdf_view import PdfPageView
from casereader.ui.documents.text_view import PlainTextView
from casereader.ui.documents.views import DocumentView

FIND_TYPING_PAUSE_MS = 150
CHOOSE_DOCUMENT = "Choose a document from the list or the timeline."
AUDIT_DEADLINE_MS = 500


class DocumentViewer(QWidget):
    """Shows one document of the store at a time: PDF, image, plain text or Word."""

    cite_requested = Signal(object, int)  # the Document and the page on screen
    document_shown = Signal(int)  # a document id, once it is on screen

    def __init__(self, parent=None):
        super().__init__(parent)
        self._document: Document | None = None
        self._loaded: DocumentView | None = None  # the view holding a document's content
        self._store_path = None
        self._pending_audit: tuple | None = None
        self._audit_after_paint: QWidget | None = None
        self._audit_deadline = QTimer(self)  # in case the view is hidden and never paints
        self._audit_deadline.setSingleShot(True)
        self._audit_deadline.setInterval(AUDIT_DEADLINE_MS)
        self._audit_deadline.timeout.connect(self.flush_audit)
        self._header = QLabel()
        self._header.setTextFormat(Qt.TextFormat.RichText)
        self._header.setWordWrap(True)
        self._header.setAccessibleName("Document details")
        self._header.setContentsMargins(6, 4, 6, 2)

        self._pdf = PdfPageView()
        self._pdf.view.set_placeholder(CHOOSE_DOCUMENT)
        self._image = ImageView()
        self._text = PlainTextView()
        self._docx = DocxView()
        self._views: dict[str, DocumentView] = {
            "pdf": self._pdf,
            "png": self._image,
            "jpeg": self._image,
            "tiff": self._image,
            "txt": self._text,
            "docx": self._docx,
        }
        self._message = QLabel()
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setWordWrap(True)
        self._message.setAccessibleName("Viewer message")
        self._stack = QStackedWidget()
        for widget in (self._message, self._pdf, self._image, self._text, self._docx):
            self._stack.addWidget(widget)
        for view in (self._pdf, self._image, self._text, self._docx):
            view.page_changed.connect(self._on_page_changed)
            view.hits_changed.connect(self._on_hits_changed)
            self._viewport_of(view).installEventFilter(self)

        self._build_toolbar()
        # The citation is the point of reading: its button sits by the title, never in an
        # overflow menu when the viewer is narrow.
        cite_button = QToolButton()
        cite_button.setDefaultAction(self._cite)
        cite_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        cite_button.setAccessibleName("Cite this page")
        cite_button.setAccessibleDescription(self._cite.toolTip())
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 6, 0)
        top.addWidget(self._header, 1)
        top.addWidget(cite_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self._toolbar)
        layout.addWidget(self._find_bar)
        layout.addWidget(self._stack, 1)
        self.setAccessibleName("Document viewer")
        self.clear()

    # toolbar ---------------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        bar = self._toolbar = QToolBar("Document tools")
        bar.setAccessibleName("Document tools")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        act = self._action
        self._prev_page = act("Previous page", "‹", "Ctrl+PgUp", self._page_back)
        self._page_box = QSpinBox()
        self._page_box.setAccessibleName("Page number")
        self._page_box.setKeyboardTracking(False)
        self._page_box.setPrefix("Page ")
        self._page_box.setToolTip("Go to page (Ctrl+G)")
        self._page_box.valueChanged.connect(self._on_page_box)
        # As wide as "Page 999 of 999" for good: a width following the suffix would move the
        # toolbar's buttons (and repaint them) on every document opened.
        self._page_box.setRange(0, 999)
        self._page_box.setSuffix(" of 999")
        self._page_box.setFixedWidth(self._page_box.sizeHint().width())
        self._next_page = act("Next page", "›", "Ctrl+PgDown", self._page_forward)
        self._go_to = act("Go to page", "", "Ctrl+G", self._focus_page_box)
        self._zoom_out = act("Zoom out", "−", QKeySequence.StandardKey.ZoomOut, "zoom_out")
        self._zoom_in = act("Zoom in", "+", [QKeySequence.StandardKey.ZoomIn, "Ctrl+="], "zoom_in")
        self._fit_width = act("Fit the page width", "Fit width", "Ctrl+0", "fit_width")
        self._fit_page = act("Fit the whole page", "Fit page", "Ctrl+9", "fit_page")
        self._find_box = QLineEdit()
        self._find_box.setPlaceholderText("Find in document")
        self._find_box.setAccessibleName("Find in document")
        self._find_box.setAccessibleDescription(
            "Enter finds the next hit, Shift+Enter the previous one; F3 and Shift+F3 also work."
        )
        self._find_box.setClearButtonEnabled(True)
        self._find_box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._find_box.installEventFilter(self)
        self._find_box.textEdited.connect(lambda _text: self._typing.start())
        # Search as the reader types, once they pause: a long PDF takes a moment per search.
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(FIND_TYPING_PAUSE_MS)
        self._typing.timeout.connect(self._on_find_edited)
        self._focus_find = act("Find in this document", "", QKeySequence.StandardKey.Find,
                               self._focus_find_box)  # fmt: skip
        self._prev_hit = act("Previous hit", "▲", "Shift+F3", "find_previous", window_wide=True)
        self._next_hit = act("Next hit", "▼", "F3", "find_next", window_wide=True)
        self._hits_label = QLabel()
        self._hits_label.setAccessibleName("Hits found")
        self._hits_label.setMinimumWidth(70)
        self._hits_label.setContentsMargins(6, 0, 6, 0)
        self._cite = act("Cite this page", "Cite this page", "Ctrl+Shift+C", self._on_cite,
                         window_wide=True)  # fmt: skip
        self._cite.setToolTip("Cite this page in the note being written (Ctrl+Shift+C)")
        self._page_actions = (self._prev_page, self._next_page, self._go_to)
        bar.addAction(self._prev_page)
        bar.addWidget(self._page_box)
        bar.addAction(self._next_page)
        bar.addSeparator()
        bar.addAction(self._zoom_out)
        bar.addAction(self._zoom_in)
        bar.addAction(self._fit_width)
        bar.addAction(self._fit_page)
        find = self._find_bar = QToolBar("Find in document")
        find.setAccessibleName("Find in document")
        find.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        find.addWidget(self._find_box)
        find.addAction(self._prev_hit)
        find.addAction(self._next_hit)
        find.addWidget(self._hits_label)
        for toolbar in (bar, find):
            for action in toolbar.actions():
                button = toolbar.widgetForAction(action)
                if button is not None and action.text():
                    button.setAccessibleName(action.text())
                    button.setAccessibleDescription(action.toolTip())

    def _action(self, text, label, shortcut, slot, window_wide=False) -> QAction:
        """An action with its shortcut; `slot` is a callable or the name of a view method."""
        action = QAction(text, self)
        if label:
            action.setIconText(label)
        keys = shortcut if isinstance(shortcut, list) else [shortcut]
        action.setShortcuts([QKeySequence(k) for k in keys])
        # Cite and F3 must work while the reader types a note in the template panel.
        action.setShortcutContext(
            Qt.ShortcutContext.WindowShortcut
            if window_wide
            else Qt.ShortcutContext.WidgetWithChildrenShortcut
        )
        shown = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{text} ({shown})")
        action.triggered.connect(self._call(slot) if isinstance(slot, str) else slot)
        self.addAction(action)
        return action

    def _call(self, name: str):
        def call() -> None:
            view = self._current_view()
            if view is not None:
                getattr(view, name)()

        return call

    # public API -----------------------------------------------------------------------------

    def show_document(
        self, store: Store, document_id: int, page: int = 1, highlight: str = ""
    ) -> None:
        """Open a document of the store at a page, highlighting a search query; audit the open."""
        if self._document is not None and (
            self._document.id == document_id and self._store_path == store.path
        ):
            # Same document (an evidence link or another hit in it): move, do not reload.
            view = self._current_view()
            if view is not None:
                view.go_to_page(page)
                self._find(highlight_text(highlight), page)
            return
        self.flush_audit()
        document = store_documents.get_document(store, document_id)
        view = self._views.get(document.doc_type)
        self._release_views(keep=view)
        self._document, self._store_path = document, store.path
        self._set_header(document)
        if view is None:
            problem = f"Documents of type “{document.doc_type}” cannot be shown here."
        else:
            # Shown before loading, so that the view has its size when it goes to the page.
            self._stack.setCurrentWidget(view)
            if view is self._text:
                text = "\n".join(t for _, t in store_documents.page_text(store, document_id))
                problem = view.load(text, page)
            else:
                problem = view.load(store_documents.content(store, document_id), page)
        if problem:
            self._loaded = None  # a view that refused the document released it
            self._message.setText(problem)
            self._stack.setCurrentWidget(self._message)
        self._update_controls()
        # The audit entry is written once the view has painted (and so asked for the page to
        # be rendered): its commit waits for the disk, which should not delay the first page.
        self._pending_audit = (store, document_id, page if document.page_count else None)
        self._audit_after_paint = self._viewport_of(self._stack.currentWidget())
        if self._audit_after_paint is None:
            QTimer.singleShot(0, self, self.flush_audit)
        self._audit_deadline.start()
        self._find(highlight_text(highlight), page)
        self.document_shown.emit(document_id)

    def flush_audit(self) -> None:
        """Write the audit entry of the document just opened, if not written yet."""
        self._audit_deadline.stop()
        self._audit_after_paint = None
        pending, self._pending_audit = self._pending_audit, None
        if pending is not None:
            store_documents.record_opened(*pending)

    def clear(self) -> None:
        """Show no document (and keep none of its content in memory); audit any open first.

        An empty PDF view stays on screen saying what to do (most documents are PDFs, and
        switching views costs the next open a few milliseconds); any other view gives way to
        the message.
        """
        self.flush_audit()
        self._release_views()
        self._document, self._store_path = None, None
        self._header.setText("<i>No document open</i>")
        self._header.setAccessibleDescription("No document open")
        self._message.setText(CHOOSE_DOCUMENT)
        if self._stack.currentWidget() is not self._pdf:
            self._stack.setCurrentWidget(self._message)
        self._update_controls()

    def current_document(self) -> Document | None:
        """The document on screen, or None."""
        return self._document

    def current_page(self) -> int:
        """The page on screen (from 1), 1 for a document without pages, 0 when none is open."""
        view = self._current_view()
        if view is None:
            return 0
        return max(view.current_page(), 1)

    def find_text(self) -> str:
        """What the find box holds (the highlighted text)."""
        return self._find_box.text()

    def hits_text(self) -> str:
        """The hits line beside the find box: 'No hits', '3 hits' or '2 of 3'."""
        return self._hits_label.text()

    # internals --------------------------------------------------------------------------------

    def _current_view(self):
        """The view showing a document, or None (the message, or an empty PDF view)."""
        widget = self._stack.currentWidget()
        return None if widget is self._message or self._loaded is None else widget

    def _release_views(self, keep=None) -> None:
        # The view about to load releases its old document itself; the others hold none.
        if self._loaded is not None and self._loaded is not keep:
            self._loaded.release()
        self._loaded = keep
        self._typing.stop()
        self._find_box.clear()
        self._hits_label.clear()

    def _set_header(self, document: Document) -> None:
        chip = agency_colour(document.agency).name()
        facts = [document.case_ref, document.agency, display_date(document.doc_date),
                 TYPE_LABELS.get(document.doc_type, document.doc_type.upper())]  # fmt: skip
        if document.page_count:
            facts.append(f"{document.page_count} page" + ("s" * (document.page_count != 1)))
        self._header.setText(
            f"<b>{html.escape(document.title)}</b><br>"
            f'<span style="color:{chip}">■</span> ' + html.escape(" · ".join(facts))
        )
        self._header.setAccessibleDescription(describe(document))

    def _update_controls(self) -> None:
        view = self._current_view()
        can_find = bool(view and view.can_find)
        wanted = [
            *((c, bool(view and view.can_page)) for c in (*self._page_actions, self._page_box)),
            *((c, view is not None) for c in (self._zoom_in, self._zoom_out)),
            *((c, bool(view and view.can_fit)) for c in (self._fit_width, self._fit_page)),
            *((c, can_find) for c in (self._find_box, self._focus_find, self._prev_hit,
                                      self._next_hit)),
            (self._cite, self._document is not None),
        ]  # fmt: skip
        for control, enabled in wanted:
            # Only changes: each change is an event for every button showing the action.
            if control.isEnabled() != enabled:
                control.setEnabled(enabled)
        count = view.page_count() if view else 0
        self._page_box.blockSignals(True)
        self._page_box.setRange(1 if count else 0, max(count, 1) if count else 0)
        self._page_box.setSuffix(f" of {count}" if count else "")
        self._page_box.setValue(max(self.current_page(), 1) if count else 0)
        self._page_box.blockSignals(False)

    def _find(self, text: str, page: int) -> None:
        view = self._current_view()
        if view is None or not view.can_find:
            return
        self._find_box.setText(text)
        view.find(text, page)

    @Slot(int)
    def _on_page_changed(self, page: int) -> None:
        self._page_box.blockSignals(True)
        self._page_box.setValue(page)
        self._page_box.blockSignals(False)

    @Slot(int)
    def _on_page_box(self, page: int) -> None:
        view = self._current_view()
        if view is not None and view.can_page:
            view.go_to_page(page)

    @Slot(int, int)
    def _on_hits_changed(self, current: int, total: int) -> None:
        if not self._find_box.text().strip():
            self._hits_label.clear()
        elif not total:
            self._hits_label.setText("No hits")
        elif current:
            self._hits_label.setText(f"{current} of {total}")
        else:
            self._hits_label.setText(f"{total} hits")
        self._hits_label.setAccessibleDescription(self._hits_label.text())

    def _page_back(self) -> None:
        view = self._current_view()
        if view is not None:
            view.go_to_page(view.current_page() - 1)

    def _page_forward(self) -> None:
        view = self._current_view()
        if view is not None:
            view.go_to_page(view.current_page() + 1)

    def _focus_page_box(self) -> None:
        self._page_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._page_box.selectAll()

    def _focus_find_box(self) -> None:
        self._find_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._find_box.selectAll()

    def _on_find_edited(self) -> None:
        view = self._current_view()
        if view is not None and view.can_find:
            view.find(self._find_box.text(), view.current_page())

    def _viewport_of(self, widget: QWidget) -> QWidget | None:
        if widget is self._pdf:
            return self._pdf.view.viewport()
        if widget is self._message:
            return None
        return widget.viewport()

    def eventFilter(self, watched, event) -> bool:
        """Enter in the find box goes to the next hit, Shift+Enter to the previous one."""
        if event.type() == QEvent.Type.Paint and watched is self._audit_after_paint:
            self._audit_after_paint = None
            QTimer.singleShot(0, self, self.flush_audit)
            return False
        if (
            watched is self._find_box
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            view = self._current_view()
            if self._typing.isActive():
                self._on_find_edited()  # Enter straight after typing: search now
            elif view is not None:
                backwards = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                (view.find_previous if backwards else view.find_next)()
            return True
        return super().eventFilter(watched, event)

    def _on_cite(self) -> None:
        if self._document is not None:
            self.cite_requested.emit(self._document, max(self.current_page(), 1))
