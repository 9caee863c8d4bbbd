"""The PDF's pages on screen: laid out from their sizes, and only the visible ones rendered."""

import bisect
from enum import Enum

from PySide6.QtCore import QEvent, QRect, QRectF, QSize, QSizeF, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtPdf import QPdfDocument, QPdfSearchModel
from PySide6.QtWidgets import QAbstractScrollArea, QFrame

from casereader.ui.documents.page_hits import draw_hits
from casereader.ui.documents.page_render import PageRenderer

MARGIN = 6  # pixels around the pages
SPACING = 8  # pixels between pages
SCROLL_STEP = 20  # pixels per arrow key (a wheel notch scrolls three steps)
KEEP_AROUND = 2  # pages kept rendered on each side of the ones on screen
AHEAD = 2  # pages rendered ahead, after the ones on screen, on idle turns

Hit = tuple[int, list[QRectF]]  # a search hit: its page (from 0) and its rectangles in points


class Fit(Enum):
    """How the zoom is chosen: to the page width, to the whole page, or by the reader."""

    WIDTH = "width"
    PAGE = "page"
    CUSTOM = "custom"


class PageArea(QAbstractScrollArea):
    """The pages of one QPdfDocument one below the other, rendered synchronously when shown.

    QPdfView renders in a thread and shows a page only on a later turn of the event loop; here
    the pages in view are rendered during the paint itself (about as long as the bare render),
    and kept in a small cache of images for the pages on and near the screen. After each
    paint the next pages are rendered ahead on idle turns, so turning a page draws an image
    made already.
    """

    current_page_changed = Signal(int)  # counted from 0
    page_rendered = Signal(int, QSize)  # a page (from 0) was rendered at this size in pixels
    page_painted = Signal(int)  # a page's rendered image was drawn on the viewport
    zoom_changed = Signal()  # laid out at another zoom (a fit mode, the reader's zoom, a resize)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._document: QPdfDocument | None = None
        self._search: QPdfSearchModel | None = None
        self._points: list[QSizeF] = []  # each page's size in points
        self._rects: list[QRect] = []  # each page's place in the laid-out document, in pixels
        self._tops: list[int] = []
        self._scales: list[float] = []  # pixels per point, per page
        self._fit = Fit.WIDTH
        self._zoom = 1.0  # the reader's zoom, in Fit.CUSTOM
        self._current = 0
        self._moving = False  # scrolling by program: the current page is already decided
        self._pending: tuple[int, float] | None = None  # a place to go to once shown
        self._hit: Hit | None = None
        self._recognised_hits: dict[int, list[list[QRectF]]] = {}  # by page (from 0)
        self._placeholder = ""
        self._renderer = PageRenderer(self)
        self._renderer.rendered.connect(self.page_rendered)
        self._paint_more = QTimer(self)  # pages left white by the last paint
        self._paint_more.setSingleShot(True)
        self._paint_more.setInterval(0)
        self._paint_more.timeout.connect(self.viewport().update)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Always there, so that fitting the width never makes it come and go.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.verticalScrollBar().setSingleStep(SCROLL_STEP)
        self.horizontalScrollBar().setSingleStep(SCROLL_STEP)
        self.viewport().setBackgroundRole(QPalette.ColorRole.Dark)
        self.viewport().setAutoFillBackground(False)  # paintEvent fills only what pages leave

    # the document ----------------------------------------------------------------------------

    def set_document(self, document: QPdfDocument, search: QPdfSearchModel) -> None:
        """Show this document's pages (once loaded) with this search model's hits."""
        self._document, self._search = document, search
        self._renderer.set_document(document)
        search.countChanged.connect(self.viewport().update)
        search.modelReset.connect(self.viewport().update)

    def document_loaded(self, page: int = 0) -> None:
        """Lay out the newly loaded document and go to a page (from 0)."""
        self.document_closed()
        document = self._document
        self._points = [document.pagePointSize(i) for i in range(document.pageCount())]
        self._relayout(keep_place=False)
        self.go_to(page)

    def document_closed(self) -> None:
        """Forget the pages and their images."""
        self._paint_more.stop()
        self._points, self._rects, self._tops, self._scales = [], [], [], []
        self._renderer.clear()
        self._hit = None
        self._recognised_hits = {}
        self._current = 0
        self._pending = None
        self.verticalScrollBar().setRange(0, 0)
        self.horizontalScrollBar().setRange(0, 0)
        self.viewport().update()

    def page_count(self) -> int:
        return len(self._points)

    def set_placeholder(self, text: str) -> None:
        """What the area says when no document is loaded."""
        self._placeholder = text
        self.viewport().update()

    def cached_bytes(self) -> int:
        """The memory held by rendered page images."""
        return self._renderer.bytes()

    def rendered_pages(self) -> list[int]:
        """The pages (from 0) kept rendered: those on screen and those rendered ahead."""
        return self._renderer.pages()

    # pages and places ---------------------------------------------------------------------

    def current_page(self) -> int:
        """The page being read, counted from 0."""
        return self._current

    def go_to(self, page: int, top: float = 0.0) -> None:
        """Scroll a page (from 0) to the top of the view, `top` points down from its top edge."""
        if not self._points:
            return
        page = min(max(page, 0), len(self._points) - 1)
        self._set_current(page)
        if not self.isVisible():
            self._pending = (page, top)  # laid out for the wrong size until shown
        y = self._rects[page].top() - MARGIN + round(top * self._scales[page])
        self._moving = True
        try:
            self.verticalScrollBar().setValue(y)
        finally:
            self._moving = False

    def ensure_visible(self, page: int, rect: QRectF) -> None:
        """Scroll sideways, if need be, to show a rectangle of a page (in points)."""
        if not 0 <= page < len(self._rects):
            return
        area = self._page_pixels(page, rect)
        bar = self.horizontalScrollBar()
        left, width = bar.value(), self.viewport().width()
        if area.left() < left or area.right() > left + width:
            bar.setValue(area.center().x() - width // 2)

    def page_scale(self, page: int) -> float:
        """Pixels per point on a page (from 0) as laid out now."""
        return self._scales[page] if 0 <= page < len(self._scales) else 1.0

    def _set_current(self, page: int) -> None:
        if page != self._current:
            self._current = page
            self.current_page_changed.emit(page)

    def _page_at_scroll(self) -> int:
        """The page taking most of the view (the first of two that share it)."""
        top = self.verticalScrollBar().value()
        bottom = top + self.viewport().height()
        best, shown = self._current, -1
        for page in self._pages_between(top, bottom):
            rect = self._rects[page]
            height = min(rect.bottom(), bottom) - max(rect.top(), top)
            if height > shown:
                best, shown = page, height
        return best

    def _pages_between(self, top: int, bottom: int) -> range:
        first = max(bisect.bisect_right(self._tops, top) - 1, 0)
        last = bisect.bisect_right(self._tops, bottom)
        return range(first, min(last, len(self._rects)))

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802 - Qt override
        """Repaint (before anything is rendered ahead), and follow the reader's scrolling with
        the current page."""
        self._renderer.hold()
        self.viewport().update()
        if not self._moving and self._rects:
            self._pending = None
            self._set_current(self._page_at_scroll())

    # zoom and layout -------------------------------------------------------------------------

    def fit(self) -> Fit:
        return self._fit

    def set_fit(self, fit: Fit, zoom: float | None = None) -> None:
        """Fit the width or the page, or (Fit.CUSTOM) show at a zoom; keeps the reader's place."""
        self._fit = fit
        if zoom is not None:
            self._zoom = zoom
        self._relayout(keep_place=True)

    def effective_zoom(self) -> float:
        """The zoom on screen (1.0 shows a point as a point), also when fitting."""
        return self.page_scale(self._current) / self._pixels_per_point()

    def _pixels_per_point(self) -> float:
        return self.logicalDpiY() / 72.0

    def _scale_for(self, size: QSizeF) -> float:
        if self._fit == Fit.CUSTOM:
            return self._zoom * self._pixels_per_point()
        room = self.viewport().size()
        scale = (room.width() - 2 * MARGIN) / max(size.width(), 1.0)
        if self._fit == Fit.PAGE:
            scale = min(scale, (room.height() - 2 * MARGIN) / max(size.height(), 1.0))
        return max(scale, 0.01)

    def _relayout(self, keep_place: bool) -> None:
        place = self._place() if keep_place else None
        old_sizes = [rect.size() for rect in self._rects]
        self._rects, self._tops, self._scales = [], [], []
        y = MARGIN
        widest = 0
        for size in self._points:
            scale = self._scale_for(size)
            width = max(round(size.width() * scale), 1)
            height = max(round(size.height() * scale), 1)
            self._rects.append(QRect(0, y, width, height))
            self._tops.append(y)
            self._scales.append(scale)
            widest = max(widest, width)
            y += height + SPACING
        room = self.viewport().size()
        content_width = widest + 2 * MARGIN
        for rect in self._rects:  # centred, or from the left margin when wider than the view
            rect.moveLeft(max(content_width, room.width()) // 2 - rect.width() // 2)
        content_height = y - SPACING + MARGIN if self._rects else 0
        if [rect.size() for rect in self._rects] != old_sizes:
            self._renderer.clear()  # images of another zoom are of no use
        self._moving = True
        try:
            self.horizontalScrollBar().setRange(0, max(content_width - room.width(), 0))
            self.horizontalScrollBar().setPageStep(room.width())
            self.verticalScrollBar().setRange(0, max(content_height - room.height(), 0))
            self.verticalScrollBar().setPageStep(room.height())
        finally:
            self._moving = False
        if place is not None:
            page, fraction, current = place
            self.go_to(page, fraction * self._points[page].height())
            self._set_current(current)
        self.viewport().update()
        self.zoom_changed.emit()

    def _place(self) -> tuple[int, float, int] | None:
        """Where the reader is: the page at the top of the view, how far down it, and the current
        page (the top of the last page cannot always reach the top of the view)."""
        if self._pending is not None:
            page, top = self._pending
            return page, top / max(self._points[page].height(), 1.0), page
        if not self._rects:
            return None
        y = self.verticalScrollBar().value() + MARGIN
        page = max(bisect.bisect_right(self._tops, y) - 1, 0)
        fraction = (y - self._rects[page].top()) / self._rects[page].height()
        return page, min(max(fraction, 0.0), 1.0), self._current

    def viewportEvent(self, event) -> bool:  # noqa: N802 - Qt override
        """A new size lays the pages out again, keeping the reader's place."""
        if event.type() == QEvent.Type.Resize and self._points:
            self._relayout(keep_place=True)
            if self._pending is not None and self.isVisible():
                self._pending = None
        return super().viewportEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Go to the place asked for while hidden, now that the pages have their size."""
        super().showEvent(event)
        if self._pending is not None and self._points:
            page, top = self._pending
            self._pending = None
            self.go_to(page, top)

    # search hits -------------------------------------------------------------------------------

    def set_current_hit(self, hit: Hit | None) -> None:
        """Outline this search hit (None: no current hit)."""
        self._hit = hit
        self.viewport().update()

    def current_hit(self) -> Hit | None:
        """The outlined hit: its page (from 0) and rectangles in points."""
        return self._hit

    def set_recognised_hits(self, hits: dict[int, list[list[QRectF]]]) -> None:
        """Hits among the words recognised on scanned pages (by page from 0; points)."""
        self._recognised_hits = hits
        self.viewport().update()

    # painting --------------------------------------------------------------------------------

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Draw the pages in view, rendering one not rendered yet, then their search hits."""
        painter = QPainter(self.viewport())
        if not self._rects:  # no document: the viewer's message look
            painter.fillRect(event.rect(), self.palette().color(QPalette.ColorRole.Window))
            if self._placeholder:
                painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
                flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
                painter.drawText(self.viewport().rect().adjusted(12, 0, -12, 0), flags,
                                 self._placeholder)  # fmt: skip
            return
        painter.fillRect(event.rect(), self.palette().color(QPalette.ColorRole.Dark))
        dx, dy = self.horizontalScrollBar().value(), self.verticalScrollBar().value()
        shown = event.rect().translated(dx, dy)
        pages = self._pages_between(shown.top(), shown.bottom())
        border = QPen(self.palette().color(QPalette.ColorRole.Shadow))
        # One page is rendered per paint, the one being read first: it reaches the screen
        # without waiting for its neighbours, which follow on the next turn of the event loop.
        may_render = True
        for page in sorted(pages, key=lambda p: p != self._current):
            rect = self._rects[page]
            visible = rect & shown
            if visible.isEmpty():
                continue
            on_screen = rect.translated(-dx, -dy)
            painter.setPen(border)
            painter.drawRect(on_screen.adjusted(-1, -1, 0, 0))
            needed = visible.translated(-rect.topLeft())
            cached = self._renderer.cached(page, rect.size(), needed)
            if cached is None and not may_render:
                painter.fillRect(visible.translated(-dx, -dy), Qt.GlobalColor.white)
                self._paint_more.start()
                continue
            if cached is None:
                may_render = False
                self._renderer.set_view(self.viewport().size(), self.devicePixelRatioF())
                cached = self._renderer.image(page, rect.size(), needed)
            region, image = cached
            if image.hasAlphaChannel():  # transparent where the page is blank
                painter.fillRect(visible.translated(-dx, -dy), Qt.GlobalColor.white)
            painter.drawImage(region.topLeft() + on_screen.topLeft(), image)
            self._draw_hits(painter, page, on_screen)
            self.page_painted.emit(page)
        painter.end()
        self._drop_far_images(pages)
        # Queued behind what this paint has posted: the frame reaches the screen first.
        QTimer.singleShot(0, self, self._render_ahead)

    def _draw_hits(self, painter: QPainter, page: int, on_screen: QRect) -> None:
        searching = self._search is not None and bool(self._search.searchString())
        recognised = self._recognised_hits.get(page, [])
        if not searching and not recognised:
            return
        hits = [link.rectangles() for link in self._search.resultsOnPage(page)] if searching else []
        current = self._hit[1] if self._hit is not None and self._hit[0] == page else None
        draw_hits(painter, self.palette(), hits + recognised, current,
                  lambda rect: self._page_pixels(page, rect, on_screen.topLeft()))  # fmt: skip

    def _page_pixels(self, page: int, rect: QRectF, origin=None) -> QRect:
        """A rectangle of a page in points, in pixels (in the document, or from `origin`)."""
        scale = self._scales[page]
        base = self._rects[page].topLeft() if origin is None else origin
        return QRectF(
            base.x() + rect.x() * scale,
            base.y() + rect.y() * scale,
            rect.width() * scale,
            rect.height() * scale,
        ).toAlignedRect()

    # rendered images -------------------------------------------------------------------------

    def _drop_far_images(self, pages: range) -> None:
        """Forget images of pages far from the view, or of a zoom no longer shown."""
        low, high = pages.start - KEEP_AROUND, pages.stop - 1 + KEEP_AROUND

        def wanted(page: int, width: int, height: int) -> bool:
            size = self._rects[page].size() if page < len(self._rects) else QSize()
            return low <= page <= high and (width, height) == (size.width(), size.height())

        self._renderer.keep_only(wanted)

    def _render_ahead(self) -> None:
        """Queue the pages after those in view (then the one before) to render on idle turns.

        A page zoomed far in is rendered ahead in part: the top of a page below the view, the
        bottom of the one above.
        """
        if not self._rects or not self.isVisible():
            return
        top = self.verticalScrollBar().value()
        room = self.viewport().height()
        pages = self._pages_between(top, top + room)
        wanted = []
        for page in [*range(pages.stop, pages.stop + AHEAD), pages.start - 1]:
            if 0 <= page < len(self._rects):
                size = self._rects[page].size()
                part = QRect(0, 0 if page >= pages.stop else size.height() - room,
                             size.width(), room)  # fmt: skip
                wanted.append((page, size, part & QRect(0, 0, size.width(), size.height())))
        self._renderer.set_view(self.viewport().size(), self.devicePixelRatioF())
        self._renderer.render_ahead(wanted)
