"""A PDF's pages rendered into images for the page area: on demand while it paints, and the
pages after the one on screen ahead of need, one per idle turn of the event loop."""

from PySide6.QtCore import QObject, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions

from casereader.ui.documents.page_images import PageImages

WHOLE_PAGE_PIXELS = 4_000_000  # a page larger than this on screen is rendered in parts

Wanted = tuple[int, QSize, QRect]  # a page (from 0), its laid-out size, the part needed


class PageRenderer(QObject):
    """Renders one document's pages at their laid-out sizes and keeps the images.

    `render_ahead()` queues pages not yet on screen (the next ones first); a zero timer
    renders them one at a time, so a key press or a paint waits for one page at most, and a
    Page Down then only draws an image already made.
    """

    rendered = Signal(int, QSize)  # a page (from 0) was rendered at this laid-out size

    def __init__(self, parent=None):
        super().__init__(parent)
        self._document: QPdfDocument | None = None
        self._images = PageImages()
        self._queue: list[Wanted] = []
        self._ratio = 1.0
        self._room = QSize()  # the view's size: the part rendered around a zoomed-in view
        self._ahead = QTimer(self)
        self._ahead.setSingleShot(True)
        self._ahead.setInterval(0)
        self._ahead.timeout.connect(self._render_queued)

    def set_document(self, document: QPdfDocument) -> None:
        self._document = document

    def set_view(self, room: QSize, ratio: float) -> None:
        """The view's size and device pixel ratio, for the renders that follow."""
        self._room, self._ratio = QSize(room), ratio

    def clear(self) -> None:
        """Forget every image and every page queued (a new document, or a new zoom)."""
        self._ahead.stop()
        self._queue = []
        self._images.clear()

    def bytes(self) -> int:
        """The memory held by the images."""
        return self._images.bytes()

    def pages(self) -> list[int]:
        """The pages (from 0) of which an image is kept, in order."""
        return sorted({page for page, _, _ in self._images.kept()})

    def cached(self, page: int, size: QSize, needed: QRect) -> tuple[QRect, QImage] | None:
        """The page's image at this size if it covers `needed` (in the page's pixels)."""
        return self._images.covering(page, size, needed)

    def image(
        self, page: int, size: QSize, needed: QRect, opaque: bool = False
    ) -> tuple[QRect, QImage]:
        """The page's image covering `needed` (in the page's pixels), rendered if need be;
        `opaque`: laid on white once here (an image rendered ahead), so that drawing it is a
        plain copy."""
        cached = self.cached(page, size, needed)
        if cached is not None:
            return cached
        whole = QRect(0, 0, size.width(), size.height())
        if size.width() * size.height() <= WHOLE_PAGE_PIXELS:
            region = whole
        else:
            # A page zoomed far in: render the part in view and a view's worth around it.
            room = self._room
            region = needed.adjusted(-room.width(), -room.height(), room.width(), room.height())
            region &= whole
        image = self._render(page, size, region)
        if opaque:
            image = _on_white(image)
        self._images.put(page, size, region, image)
        return region, image

    def keep_only(self, wanted) -> None:
        """Forget the images for which wanted(page, width, height) is false."""
        self._images.drop_unless(wanted)

    def render_ahead(self, wanted: list[Wanted]) -> None:
        """Render these parts of pages on the coming idle turns, in this order."""
        self._queue = [w for w in wanted if self.cached(*w) is None]
        if self._queue:
            self._ahead.start()
        else:
            self._ahead.stop()

    def hold(self) -> None:
        """Render nothing ahead until the next render_ahead(): a paint is coming first."""
        self._ahead.stop()
        self._queue = []

    def _render_queued(self) -> None:
        if self._document is None:
            return
        while self._queue:
            wanted = self._queue.pop(0)
            if wanted[0] < self._document.pageCount() and self.cached(*wanted) is None:
                self.image(*wanted, opaque=True)
                break
        if self._queue:
            self._ahead.start()

    def _render(self, page: int, size: QSize, region: QRect) -> QImage:
        ratio = self._ratio
        scaled = QSize(round(size.width() * ratio), round(size.height() * ratio))
        if region.size() == size:
            rendered = self._document.render(page, scaled)
        else:
            options = QPdfDocumentRenderOptions()
            options.setScaledSize(scaled)
            part = QRectF(region)
            part = QRectF(part.x() * ratio, part.y() * ratio, part.width() * ratio,
                          part.height() * ratio).toAlignedRect()  # fmt: skip
            options.setScaledClipRect(part)
            rendered = self._document.render(page, part.size(), options)
        rendered.setDevicePixelRatio(ratio)
        self.rendered.emit(page, size)
        return rendered


def _on_white(image: QImage) -> QImage:
    """The render (transparent where the page is blank) laid on white, without alpha."""
    opaque = QImage(image.size(), QImage.Format.Format_RGB32)
    opaque.setDevicePixelRatio(image.devicePixelRatio())
    opaque.fill(Qt.GlobalColor.white)
    painter = QPainter(opaque)
    painter.drawImage(0, 0, image)
    painter.end()
    return opaque
