"""The document viewer: a header, a toolbar, and one view per kind of document."""

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from casereader.store import Store
from casereader.store import documents as store_documents
from casereader.store import recognised as store_recognised
from casereader.store.models import Document
from casereader.ui.documents.citation import citation_label
from casereader.ui.documents.docx_view import DocxView
from casereader.ui.documents.header import DocumentHeader
from casereader.ui.documents.image_view import ImageView
from casereader.ui.documents.models import (
    highlight_text,
)
from casereader.ui.documents.pdf_view import PdfPageView
from casereader.ui.documents.text_view import PlainTextView
from casereader.ui.documents.viewer_tools import ViewerToolsMixin
from casereader.ui.documents.views import DocumentView

CHOOSE_DOCUMENT = "Choose a document from the list or the timeline."
RECOGNISED_NOTE = "Recognised text — may contain errors"
_IMAGE_TYPES = ("png", "jpeg", "tiff")


def recognition_note(status: str | None, confidence: float | None, reason: str = "") -> str:
    """What the viewer says above a scanned page about its recognised text."""
    if status == "text":
        sure = f" (the engine's confidence: {confidence:.0f} %)" if confidence is not None else ""
        return f"{RECOGNISED_NOTE}{sure}."
    if status == "empty":
        return "Text recognition found no text on this scan: search and find cannot see it."
    if status == "failed":
        return f"Text recognition failed on this scan ({reason or 'no reason given'})."
    return (
        "This scan has no recognised text (recognition was off or not installed when it was"
        " imported; `casereader ocr` recognises it)."
    )


AUDIT_DEADLINE_MS = 500


class DocumentViewer(ViewerToolsMixin, QWidget):
    """Shows one document of the store at a time: PDF, image, plain text or Word."""

    # the Document, the page on screen and, for a Word document, the section and paragraph
    cite_requested = Signal(object, int, str)
    document_shown = Signal(int)  # a document id, once it is on screen
    place_changed = Signal(int, int)  # document id, page: a document opened or a page turned
    zoom_chosen = Signal(str)  # the reader zoomed a PDF: "width", "page" or a factor

    def __init__(self, parent=None):
        super().__init__(parent)
        self._document: Document | None = None
        self._loaded: DocumentView | None = None  # the view holding a document's content
        self._store_path = None
        self._pending_audits: list[tuple] = []  # documents opened, audited once painted
        self._pending_shown: int | None = None  # document_shown, emitted once it has painted
        self._audit_after_paint: QWidget | None = None
        self._audit_deadline = QTimer(self)  # in case the view is hidden and never paints
        self._audit_deadline.setSingleShot(True)
        self._audit_deadline.setInterval(AUDIT_DEADLINE_MS)
        self._audit_deadline.timeout.connect(self.flush_audit)
        self._header = DocumentHeader()

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
        self._ocr_note = QLabel()
        self._ocr_note.setWordWrap(True)
        self._ocr_note.setContentsMargins(8, 3, 8, 3)
        self._ocr_note.setStyleSheet("background: #fff4c2; color: #3d3000;")
        self._ocr_note.setAccessibleName("Recognised text notice")
        self._ocr_note.hide()
        self._recognised: dict = {}
        self._stack = QStackedWidget()
        for widget in (self._message, self._pdf, self._image, self._text, self._docx):
            self._stack.addWidget(widget)
        for view in (self._pdf, self._image, self._text, self._docx):
            view.page_changed.connect(self._on_page_changed)
            view.hits_changed.connect(self._on_hits_changed)
            self._viewport_of(view).installEventFilter(self)

        self._build_toolbar()
        self._pdf.view.zoom_changed.connect(self._on_zoom_changed)
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
        layout.addWidget(self._ocr_note)
        layout.addWidget(self._stack, 1)
        self._pdf.page_changed.connect(self._update_ocr_note)
        self._image.page_changed.connect(self._on_scan_page)
        self.setAccessibleName("Document viewer")
        self.clear()

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
            self.place_changed.emit(document_id, max(self.current_page(), 1))
            return
        # A document opened just before (its page not painted yet, or its view hidden) keeps
        # its audit entry pending: both are written once this one is on screen.
        self._pending_shown = None  # superseded: the lists mark the document opened now
        document = store_documents.get_document(store, document_id)
        view = self._views.get(document.doc_type)
        self._release_views(keep=view)
        self._document, self._store_path = document, store.path
        self._header.show_document(document)
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
        self._recognised = store_recognised.pages(store, document_id)
        if view is self._image and not problem:
            scan = self._recognised.get(self._image.current_page())
            self._image.set_words(scan.words if scan else [])
        if view is self._pdf and not problem:
            self._pdf.set_recognised_words(
                {n: p.words for n, p in self._recognised.items() if p.status == "text"}
            )
        if problem:
            self._loaded = None  # a view that refused the document released it
            self._message.setText(problem)
            self._stack.setCurrentWidget(self._message)
        self._update_controls()
        self._update_ocr_note()
        # The audit entry is written, and the lists mark the document, once the view has
        # painted (rendering the page): the commit waits for the disk and the lists' repaint
        # is a frame of its own, neither of which should delay the first page.
        self._pending_audits.append((store, document_id, page if document.page_count else None))
        self._pending_shown = document_id
        self._audit_after_paint = self._viewport_of(self._stack.currentWidget())
        if self._audit_after_paint is None:
            QTimer.singleShot(0, self, self.flush_audit)
        self._audit_deadline.start()
        self._find(highlight_text(highlight), page)
        self._on_zoom_changed()
        self.place_changed.emit(document_id, max(self.current_page(), 1))

    def prefetch_case(self, store: Store, case_ref: str) -> None:
        """Get the case's Word documents ready to show (converted to HTML in the background)."""
        words = [d for d in store_documents.list_documents(store, case_ref) if d.doc_type == "docx"]
        self._docx.cache.prefetch(store_documents.content(store, d.id) for d in words)

    def flush_audit(self) -> None:
        """Say that the document just opened is shown (document_shown) and write the audit
        entries of the documents opened since the last flush, if not done yet."""
        self._audit_deadline.stop()
        self._audit_after_paint = None
        shown, self._pending_shown = self._pending_shown, None
        if shown is not None:
            self.document_shown.emit(shown)
        pending, self._pending_audits = self._pending_audits, []
        for opened in pending:
            store_documents.record_opened(*opened)

    def clear(self) -> None:
        """Show no document (and keep none of its content in memory); audit any open first.

        An empty PDF view stays on screen saying what to do (most documents are PDFs, and
        switching views costs the next open a few milliseconds); any other view gives way to
        the message.
        """
        self._pending_shown = None
        self.flush_audit()
        self._release_views()
        self._docx.cache.clear()
        self._document, self._store_path = None, None
        self._recognised = {}
        self._update_ocr_note()
        self._header.clear()
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

    def recognition_text(self) -> str:
        """The notice above a scanned page about its recognised text ('' when none is shown)."""
        return self._ocr_note.text() if not self._ocr_note.isHidden() else ""

    def focus_page(self) -> None:
        """Give the keyboard to the page shown (PgDn, Home and End then work at once)."""
        view = self._current_view() or self._pdf
        view.setFocus(Qt.FocusReason.ShortcutFocusReason)

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

    def _find(self, text: str, page: int) -> None:
        view = self._current_view()
        if view is None or not view.can_find:
            return
        self._find_box.setText(text)
        view.find(text, page)

    def _on_scan_page(self, page: int) -> None:
        """Another page of a multi-page scan: find works on that page's recognised words."""
        scan = self._recognised.get(page)
        self._image.set_words(scan.words if scan else [])
        if self._image.can_find and self._find_box.text().strip():
            self._image.find(self._find_box.text(), page)
        else:
            self._hits_label.clear()
        self._update_controls()
        self._update_ocr_note()

    def _update_ocr_note(self, *_args) -> None:
        document = self._document
        note = ""
        if document is not None and self._current_view() is not None:
            page = self._recognised.get(self.current_page())
            if page is not None:
                note = recognition_note(page.status, page.confidence, page.reason)
            elif document.doc_type in _IMAGE_TYPES:
                note = recognition_note(None, None)
        self._ocr_note.setText(note)
        self._ocr_note.setVisible(bool(note))

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
            self.cite_requested.emit(self._document, max(self.current_page(), 1), self.location())

    def location(self) -> str:
        """A Word document's section and paragraph on screen ("" for other documents)."""
        view = self._current_view()
        return view.location() if view is self._docx else ""

    def citation(self) -> str:
        """The citation of the place on screen ("" with no document)."""
        if self._document is None:
            return ""
        return citation_label(self._document, max(self.current_page(), 1), self.location())
