"""A PDF shown from bytes in memory: pages, zoom and search with highlighted hits."""

from PySide6.QtCore import QBuffer, QEvent, QIODevice, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtPdf import QPdfDocument, QPdfSearchModel
from PySide6.QtWidgets import QVBoxLayout, QWidget

from casereader.ui.documents.page_view import Fit, Hit, PageArea
from casereader.ui.documents.scan_find import find_boxes

ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.25, 6.0
_CONTEXT_ABOVE_HIT = 48.0  # points of text kept visible above a hit we scroll to

_LOAD_ERRORS = {
    QPdfDocument.Error.IncorrectPassword: "it is protected by a password",
    QPdfDocument.Error.UnsupportedSecurityScheme: "it uses an unsupported kind of protection",
    QPdfDocument.Error.InvalidFileFormat: "it is damaged or not a PDF",
}


class PdfPageView(QWidget):
    """One reusable page area over one QPdfDocument that is reloaded for every document."""

    page_changed = Signal(int)  # the current page, counted from 1
    hits_changed = Signal(int, int)  # the current hit (from 1; 0 for none) and the hits so far

    can_page = can_fit = can_find = True

    def __init__(self, parent=None):
        super().__init__(parent)
        # One document, one buffer and one search model for the widget's lifetime: opening a
        # document only swaps the bytes, which keeps opening fast and memory flat.
        # Creation order is deletion order: the view goes first, before what it draws from.
        self.view = PageArea(self)
        self._search = QPdfSearchModel(self)
        self._document = QPdfDocument(self)
        self._buffer = QBuffer(self._document)
        self._search.setDocument(self._document)
        self._hit = -1
        self._words: dict[int, list[tuple]] = {}  # recognised words of scanned pages (from 0)
        self._scan_hits: list[Hit] = []

        view = self.view
        view.set_document(self._document, self._search)
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

        view.current_page_changed.connect(self._on_page_changed)
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
        self.view.document_loaded(page - 1)
        return ""

    def release(self) -> None:
        """Forget the current document, its bytes and its rendered pages."""
        self._search.setSearchString("")
        self._hit = -1
        self._words, self._scan_hits = {}, []
        self.view.document_closed()
        self._document.close()
        self._buffer.close()
        self._buffer.setData(b"")

    # pages -------------------------------------------------------------------------------

    def page_count(self) -> int:
        return self.view.page_count()

    def current_page(self) -> int:
        return self.view.current_page() + 1 if self.page_count() else 0

    def go_to_page(self, page: int) -> None:
        """Scroll to the top of a page (counted from 1), clamped to the document."""
        self.view.go_to(page - 1)

    def eventFilter(self, watched, event) -> bool:
        """Page Up and Down, Home and End turn whole pages."""
        if watched is self.view and event.type() == QEvent.Type.KeyPress and self._page_key(event):
            return True
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

    def _on_page_changed(self, page: int) -> None:
        self.page_changed.emit(page + 1)

    # zoom ---------------------------------------------------------------------------------

    def effective_zoom(self) -> float:
        """The zoom factor on screen, also in the fit modes."""
        return self.view.effective_zoom()

    def zoom_in(self) -> None:
        self._zoom_to(self.effective_zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom_to(self.effective_zoom() / ZOOM_STEP)

    def _zoom_to(self, factor: float) -> None:
        self.view.set_fit(Fit.CUSTOM, min(max(factor, ZOOM_MIN), ZOOM_MAX))

    def fit_width(self) -> None:
        self.view.set_fit(Fit.WIDTH)

    def fit_page(self) -> None:
        self.view.set_fit(Fit.PAGE)

    def zoom_setting(self) -> str:
        """The reader's zoom as remembered: "width", "page" or a factor ("1.25")."""
        fit = self.view.fit()
        return fit.value if fit != Fit.CUSTOM else f"{self.effective_zoom():.3f}"

    def apply_zoom_setting(self, setting: str) -> None:
        """Zoom as a remembered setting says (an unknown one fits the width)."""
        if setting == Fit.PAGE.value:
            self.view.set_fit(Fit.PAGE)
            return
        try:
            factor = float(setting)
        except ValueError:
            self.view.set_fit(Fit.WIDTH)
            return
        self._zoom_to(factor)

    # search in the document -----------------------------------------------------------------

    def set_recognised_words(self, words: dict[int, list[tuple]]) -> None:
        """The words recognised on scanned pages (by page from 1; each word with its box in
        fractions of the page): find searches them on those pages, Qt's search the rest."""
        self._words = {page - 1: list(w) for page, w in words.items() if w}

    def find(self, text: str, from_page: int | None = None) -> None:
        """Highlight every hit of the text; the first on or after `from_page` becomes current."""
        text = text.strip()
        self._hit = -1
        self.view.set_current_hit(None)
        self._search.setSearchString(text)
        self._scan_hits = self._find_recognised(text) if text else []
        self.view.set_recognised_hits(_by_page(self._scan_hits))
        if text and from_page is not None and self.page_count():
            index = self._first_hit_from(from_page)
            if index >= 0:
                self._select_hit(index)
                return
        self.hits_changed.emit(0, self.hit_count())

    def _find_recognised(self, text: str) -> list[Hit]:
        """Hits among the recognised words, their boxes mapped from fractions to points."""
        hits: list[Hit] = []
        for page, words in sorted(self._words.items()):
            if page >= self.page_count():
                continue
            size = self._document.pagePointSize(page)
            w, h = size.width(), size.height()
            for boxes in find_boxes(words, text):
                rects = [QRectF(x0 * w, y0 * h, (x1 - x0) * w, (y1 - y0) * h)
                         for x0, y0, x1, y1 in boxes]  # fmt: skip
                hits.append((page, rects))
        return hits

    def _first_hit_from(self, page: int) -> int:
        """The index of the first hit on or after a page, wrapping round; -1 when none.

        QPdfSearchModel searches one page every 100 ms in the background; asking for a page's
        results searches that page at once, so the hit is found without waiting.
        """
        scanned = _by_page(self._scan_hits)
        counts: list[int] = []
        for index in range(self.page_count()):
            found = len(self._search.resultsOnPage(index)) + len(scanned.get(index, []))
            counts.append(found)
            if index >= page - 1 and counts[-1]:
                return sum(counts[:-1])
        return 0 if any(counts) else -1

    def _hits(self) -> list[Hit]:
        """Every hit so far, in page order: Qt's in the text layer, then the recognised."""
        found = [
            (link.page(), list(link.rectangles()))
            for link in (self._search.resultAtIndex(i) for i in range(self._search.count()))
        ]
        return sorted(found + self._scan_hits, key=lambda hit: hit[0])

    def hit_count(self) -> int:
        """The hits found so far (the model searches in the background)."""
        return self._search.count() + len(self._scan_hits)

    def hit_page(self, index: int) -> int:
        """The page (from 1) of hit number `index` (from 0)."""
        return self._hits()[index][0] + 1

    def current_hit(self) -> Hit | None:
        """The current hit: its page (from 0) and rectangles in points."""
        return self.view.current_hit()

    def _on_hits(self) -> None:
        self.hits_changed.emit(self._hit + 1, self.hit_count())

    def find_next(self) -> None:
        self._step_hit(+1)

    def find_previous(self) -> None:
        self._step_hit(-1)

    def _step_hit(self, step: int) -> None:
        total = self.hit_count()
        if not total:
            return
        if self._hit >= 0:
            index = (self._hit + step) % total
        else:
            # No current hit yet: start from the page on screen, in the direction asked.
            page = self.current_page()
            pages = [hit[0] + 1 for hit in self._hits()]
            if step > 0:
                index = next((i for i, p in enumerate(pages) if p >= page), 0)
            else:
                index = next((i for i in reversed(range(total)) if pages[i] <= page), total - 1)
        self._select_hit(index)

    def _select_hit(self, index: int) -> None:
        self._hit = index
        page, rects = hit = self._hits()[index]
        self.view.set_current_hit(hit)
        top = rects[0].y() if rects else 0.0
        self.view.go_to(page, max(top - _CONTEXT_ABOVE_HIT, 0.0))
        if rects:
            self.view.ensure_visible(page, rects[0])
        self.hits_changed.emit(index + 1, self.hit_count())


def _by_page(hits: list[Hit]) -> dict[int, list[list[QRectF]]]:
    pages: dict[int, list[list[QRectF]]] = {}
    for page, rects in hits:
        pages.setdefault(page, []).append(rects)
    return pages
