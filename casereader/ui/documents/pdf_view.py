"""A PDF shown with QtPdf from bytes in memory: pages, zoom and search with highlighted hits."""

from PySide6.QtCore import QBuffer, QEvent, QIODevice, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtPdf import QPdfDocument, QPdfSearchModel
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QVBoxLayout, QWidget

ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.25, 6.0
_CONTEXT_ABOVE_HIT = 48.0  # points of text kept visible above a hit we scroll to

_LOAD_ERRORS = {
    QPdfDocument.Error.IncorrectPassword: "it is protected by a password",
    QPdfDocument.Error.UnsupportedSecurityScheme: "it uses an unsupported kind of protection",
    QPdfDocument.Error.InvalidFileFormat: "it is damaged or not a PDF",
}


class PdfPageView(QWidget):
    """One reusable QPdfView over one QPdfDocument that is reloaded for every document."""

    page_changed = Signal(int)  # the current page, counted from 1
    hits_changed = Signal(int, int)  # the current hit (from 1; 0 for none) and the hits so far

    can_page = can_fit = can_find = True

    def __init__(self, parent=None):
        super().__init__(parent)
        # One document, one buffer and one search model for the widget's lifetime: opening a
        # document only swaps the bytes, which keeps opening fast and memory flat.
        # Creation order is deletion order. The view must go first: a document deleted before
        # it makes the view (and its navigator) call back into this half-deleted widget, and a
        # document owned by the view itself signals the view after ~QPdfView ran (crashes).
        self.view = QPdfView(self)
        self._search = QPdfSearchModel(self)
        self._document = QPdfDocument(self)
        self._buffer = QBuffer(self._document)
        self._search.setDocument(self._document)
        self._hit = -1
        self._loads = 0  # counts documents loaded, so a late resize cannot move a newer one
        self._place: tuple[int, float | None, int] = (0, None, 0)

        view = self.view
        view.setDocument(self._document)
        view.setSearchModel(self._search)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        view.setAccessibleName("PDF page")
        view.setAccessibleDescription(
            "Page Up and Page Down turn pages; Home and End go to the first and last page."
        )
        view.installEventFilter(self)
        self.setFocusProxy(view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(view)

        view.pageNavigator().currentPageChanged.connect(self._on_page_changed)
        self._search.countChanged.connect(self._on_hits)

    # loading ---------------------------------------------------------------------------

    def load(self, data: bytes, page: int = 1) -> str:
        """Show these PDF bytes at a page; returns '' or why the PDF cannot be shown."""
        self.release()
        self._loads += 1
        self._buffer.setData(data)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._document.load(self._buffer)
        if self._document.status() != QPdfDocument.Status.Ready:
            reason = _LOAD_ERRORS.get(self._document.error(), "it could not be read")
            self.release()
            return f"This PDF cannot be shown: {reason}."
        self.go_to_page(page)
        return ""

    def release(self) -> None:
        """Forget the current document and its bytes."""
        self._search.setSearchString("")
        self._hit = -1
        self._document.close()
        self._buffer.close()
        self._buffer.setData(b"")
        self.view.pageNavigator().clear()

    # pages -------------------------------------------------------------------------------

    def page_count(self) -> int:
        return self._document.pageCount()

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage() + 1 if self.page_count() else 0

    def go_to_page(self, page: int) -> None:
        """Scroll to the top of a page (counted from 1), clamped to the document."""
        if self.page_count():
            page = min(max(page, 1), self.page_count())
            self.view.pageNavigator().jump(page - 1, QPointF(), 0)

    def eventFilter(self, watched, event) -> bool:
        """Page keys turn pages; a resize keeps the reader's place in the document."""
        if watched is self.view:
            if event.type() == QEvent.Type.KeyPress and self._page_key(event):
                return True
            if event.type() == QEvent.Type.Resize:
                # QPdfView keeps the scroll value in pixels while the pages grow or shrink to
                # fit the width, which would move the reader to another place.
                bar = self.view.verticalScrollBar()
                shown = self.view.isVisible() and bar.maximum()
                ratio = bar.value() / bar.maximum() if shown else None
                self._place = (self._loads, ratio, self.current_page())
                QTimer.singleShot(0, self, self._restore_position)
        return super().eventFilter(watched, event)

    def _page_key(self, event: QKeyEvent) -> bool:
        if event.modifiers() != Qt.KeyboardModifier.NoModifier:
            return False
        moves = {
            Qt.Key.Key_PageDown: self.current_page() + 1,
            Qt.Key.Key_PageUp: self.current_page() - 1,
            Qt.Key.Key_Home: 1,
            Qt.Key.Key_End: self.page_count(),
        }
        if event.key() not in moves:
            return False
        self.go_to_page(moves[event.key()])
        return True

    def _restore_position(self) -> None:
        loads, ratio, page = self._place
        if loads != self._loads or not page:
            return  # another document since: it went to its own page
        bar = self.view.verticalScrollBar()
        if ratio is None:
            # Laid out for the first time (opened while hidden): go to the page it was opened at.
            self.go_to_page(page)
        elif bar.maximum():
            bar.setValue(round(ratio * bar.maximum()))

    def _on_page_changed(self, page: int) -> None:
        self.page_changed.emit(page + 1)

    # zoom ---------------------------------------------------------------------------------

    def effective_zoom(self) -> float:
        """The zoom factor on screen, also in the fit modes (where QPdfView keeps it hidden)."""
        view = self.view
        mode = view.zoomMode()
        if mode == QPdfView.ZoomMode.Custom or not self.page_count():
            return view.zoomFactor()
        size = self._document.pagePointSize(max(self.current_page() - 1, 0))
        scale = view.logicalDpiY() / 72.0
        margins = view.documentMargins()
        room_w = view.viewport().width() - margins.left() - margins.right()
        fit = room_w / max(size.width() * scale, 1.0)
        if mode == QPdfView.ZoomMode.FitInView:
            room_h = view.viewport().height() - margins.top() - margins.bottom()
            fit = min(fit, room_h / max(size.height() * scale, 1.0))
        return fit

    def zoom_in(self) -> None:
        self._zoom_to(self.effective_zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom_to(self.effective_zoom() / ZOOM_STEP)

    def _zoom_to(self, factor: float) -> None:
        page = self.current_page()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(min(max(factor, ZOOM_MIN), ZOOM_MAX))
        self.go_to_page(page)

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def fit_page(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)

    # search in the document -----------------------------------------------------------------

    def find(self, text: str, from_page: int | None = None) -> None:
        """Highlight every hit of the text; the first on or after `from_page` becomes current."""
        text = text.strip()
        self._hit = -1
        self.view.setCurrentSearchResultIndex(-1)
        self._search.setSearchString(text)
        if text and from_page is not None and self.page_count():
            index = self._first_hit_from(from_page)
            if index >= 0:
                self._select_hit(index)
                return
        self.hits_changed.emit(0, self._search.count())

    def _first_hit_from(self, page: int) -> int:
        """The index of the first hit on or after a page, wrapping round; -1 when none.

        QPdfSearchModel searches one page every 100 ms in the background; asking for a page's
        results searches that page at once, so the hit is found without waiting.
        """
        counts: list[int] = []
        for index in range(self.page_count()):
            counts.append(len(self._search.resultsOnPage(index)))
            if index >= page - 1 and counts[-1]:
                return sum(counts[:-1])
        return 0 if any(counts) else -1

    def hit_count(self) -> int:
        """The hits found so far (the model searches in the background)."""
        return self._search.count()

    def hit_page(self, index: int) -> int:
        """The page (from 1) of hit number `index` (from 0)."""
        return self._search.resultAtIndex(index).page() + 1

    def _on_hits(self) -> None:
        self.hits_changed.emit(self._hit + 1, self._search.count())

    def find_next(self) -> None:
        self._step_hit(+1)

    def find_previous(self) -> None:
        self._step_hit(-1)

    def _step_hit(self, step: int) -> None:
        total = self._search.count()
        if not total:
            return
        if self._hit >= 0:
            index = (self._hit + step) % total
        else:
            # No current hit yet: start from the page on screen, in the direction asked.
            page = self.current_page()
            pages = [self.hit_page(i) for i in range(total)]
            if step > 0:
                index = next((i for i, p in enumerate(pages) if p >= page), 0)
            else:
                index = next((i for i in reversed(range(total)) if pages[i] <= page), total - 1)
        self._select_hit(index)

    def _select_hit(self, index: int) -> None:
        self._hit = index
        self.view.setCurrentSearchResultIndex(index)
        link = self._search.resultAtIndex(index)
        self.view.pageNavigator().jump(link.page(), QPointF(), 0)
        # In continuous mode QPdfView scrolls to the top of the page and ignores the location.
        above = max(link.location().y() - _CONTEXT_ABOVE_HIT, 0.0)
        bar = self.view.verticalScrollBar()
        zoom = self.view.logicalDpiY() / 72 * self.effective_zoom()
        bar.setValue(bar.value() + round(above * zoom))
        self.hits_changed.emit(index + 1, self._search.count())
