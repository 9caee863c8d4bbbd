"""A PDF shown with QtPdf from bytes in memory: pages, zoom and search with highlighted hits."""

from PySide6.QtCore import QBuffer, QIODevice, QPointF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtPdf import QPdfDocument, QPdfSearchModel
from PySide6.QtPdfWidgets import QPdfView

ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.25, 6.0
_CONTEXT_ABOVE_HIT = 48.0  # points of text kept visible above a hit we scroll to

_LOAD_ERRORS = {
    QPdfDocument.Error.IncorrectPassword: "it is protected by a password",
    QPdfDocument.Error.UnsupportedSecurityScheme: "it uses an unsupported kind of protection",
    QPdfDocument.Error.InvalidFileFormat: "it is damaged or not a PDF",
}


class PdfPageView(QPdfView):
    """One reusable QPdfView over one QPdfDocument that is reloaded for every document."""

    page_changed = Signal(int)  # the current page, counted from 1
    hits_changed = Signal(int, int)  # the current hit (from 1; 0 for none) and the hits so far

    can_page = can_fit = can_find = True

    def __init__(self, parent=None):
        super().__init__(parent)
        # One document, one buffer and one search model for the widget's lifetime: opening a
        # document only swaps the bytes, which keeps opening fast and memory flat.
        self._document = QPdfDocument(self)
        self._buffer = QBuffer(self)
        self._search = QPdfSearchModel(self)
        self._search.setDocument(self._document)
        self._hit = -1
        self._hit_from_page: int | None = None
        self.setDocument(self._document)
        self.setSearchModel(self._search)
        self.setPageMode(QPdfView.PageMode.MultiPage)
        self.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("PDF page")
        self.setAccessibleDescription(
            "Page Up and Page Down turn pages; Home and End go to the first and last page."
        )
        self.pageNavigator().currentPageChanged.connect(self._on_page_changed)
        self._search.countChanged.connect(self._on_hits)

    # loading ---------------------------------------------------------------------------

    def load(self, data: bytes, page: int = 1) -> str:
        """Show these PDF bytes at a page; returns '' or why the PDF cannot be shown."""
        self.release()
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
        self._hit, self._hit_from_page = -1, None
        self._document.close()
        self._buffer.close()
        self._buffer.setData(b"")
        self.pageNavigator().clear()

    # pages -------------------------------------------------------------------------------

    def page_count(self) -> int:
        return self._document.pageCount()

    def current_page(self) -> int:
        return self.pageNavigator().currentPage() + 1 if self.page_count() else 0

    def go_to_page(self, page: int) -> None:
        """Scroll to the top of a page (counted from 1), clamped to the document."""
        if self.page_count():
            page = min(max(page, 1), self.page_count())
            self.pageNavigator().jump(page - 1, QPointF(), 0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, plain = event.key(), event.modifiers() == Qt.KeyboardModifier.NoModifier
        moves = {
            Qt.Key.Key_PageDown: self.current_page() + 1,
            Qt.Key.Key_PageUp: self.current_page() - 1,
            Qt.Key.Key_Home: 1,
            Qt.Key.Key_End: self.page_count(),
        }
        if plain and key in moves:
            self.go_to_page(moves[key])
            event.accept()
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        # QPdfView keeps the scroll value in pixels while the pages grow or shrink to fit the
        # width, which would move the reader to another place in the document.
        bar = self.verticalScrollBar()
        where = bar.value() / bar.maximum() if bar.maximum() else 0.0
        super().resizeEvent(event)
        if bar.maximum():
            bar.setValue(round(where * bar.maximum()))

    def _on_page_changed(self, page: int) -> None:
        self.page_changed.emit(page + 1)

    # zoom ---------------------------------------------------------------------------------

    def effective_zoom(self) -> float:
        """The zoom factor on screen, also in the fit modes (where QPdfView keeps it hidden)."""
        mode = self.zoomMode()
        if mode == QPdfView.ZoomMode.Custom or not self.page_count():
            return self.zoomFactor()
        size = self._document.pagePointSize(max(self.current_page() - 1, 0))
        scale = self.logicalDpiY() / 72.0
        margins = self.documentMargins()
        room_w = self.viewport().width() - margins.left() - margins.right()
        fit = room_w / max(size.width() * scale, 1.0)
        if mode == QPdfView.ZoomMode.FitInView:
            room_h = self.viewport().height() - margins.top() - margins.bottom()
            fit = min(fit, room_h / max(size.height() * scale, 1.0))
        return fit

    def zoom_in(self) -> None:
        self._zoom_to(self.effective_zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom_to(self.effective_zoom() / ZOOM_STEP)

    def _zoom_to(self, factor: float) -> None:
        page = self.current_page()
        self.setZoomMode(QPdfView.ZoomMode.Custom)
        self.setZoomFactor(min(max(factor, ZOOM_MIN), ZOOM_MAX))
        self.go_to_page(page)

    def fit_width(self) -> None:
        self.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def fit_page(self) -> None:
        self.setZoomMode(QPdfView.ZoomMode.FitInView)

    # search in the document -----------------------------------------------------------------

    def find(self, text: str, from_page: int | None = None) -> None:
        """Highlight every hit of the text; the first hit on or after `from_page` becomes current.

        QPdfSearchModel finds hits a few pages at a time, so the current hit is chosen as the
        hits arrive.
        """
        self._hit = -1
        self._hit_from_page = from_page if text.strip() else None
        self.setCurrentSearchResultIndex(-1)
        self._search.setSearchString(text.strip())
        self.hits_changed.emit(0, self._search.count())

    def hit_count(self) -> int:
        return self._search.count()

    def hit_page(self, index: int) -> int:
        """The page (from 1) of hit number `index` (from 0)."""
        return self._search.resultAtIndex(index).page() + 1

    def _on_hits(self) -> None:
        total = self._search.count()
        wanted = self._hit_from_page
        if self._hit < 0 and wanted is not None:
            # Reading a result can make the model search further and call back in here.
            pages = [self.hit_page(i) for i in range(total)]
            index = next((i for i, page in enumerate(pages) if page >= wanted), -1)
            if index >= 0 and self._hit < 0:
                self._hit_from_page = None
                self._select_hit(index)
                return
        self.hits_changed.emit(self._hit + 1, self._search.count())

    def find_next(self) -> None:
        self._step_hit(+1)

    def find_previous(self) -> None:
        self._step_hit(-1)

    def _step_hit(self, step: int) -> None:
        total = self._search.count()
        if not total:
            return
        self._hit_from_page = None
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
        self.setCurrentSearchResultIndex(index)
        link = self._search.resultAtIndex(index)
        self.pageNavigator().jump(link.page(), QPointF(), 0)
        # In continuous mode QPdfView scrolls to the top of the page and ignores the location.
        above = max(link.location().y() - _CONTEXT_ABOVE_HIT, 0.0)
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + round(above * self.logicalDpiY() / 72 * self.effective_zoom()))
        self.hits_changed.emit(index + 1, self._search.count())
