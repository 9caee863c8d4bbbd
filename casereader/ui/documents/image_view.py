"""Scanned pages (PNG, JPEG, TIFF) decoded from bytes in memory, zoomable and fitted.

A multi-page TIFF is paged through (PgDn / PgUp, the page box); one page is decoded at a time.
"""

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QImageReader,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import QScrollArea, QWidget

ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.1, 8.0


class _Canvas(QWidget):
    """Paints the pixmap scaled on the fly, so zooming never keeps a second copy of the image."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.pixmap = QPixmap()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        # Transparent scans would otherwise show the window colour through the paper.
        painter.fillRect(self.rect(), QColor("white"))
        if not self.pixmap.isNull():
            painter.drawPixmap(QRect(0, 0, self.width(), self.height()), self.pixmap)


class ImageView(QScrollArea):
    """An image document: fit width (the default), fit page, or a chosen zoom."""

    page_changed = Signal(int)
    hits_changed = Signal(int, int)

    can_page = can_find = False  # can_page turns on for an image of several pages
    can_fit = True

    def __init__(self, parent=None):
        super().__init__(parent)
        self._canvas = _Canvas()
        self._mode = "width"  # "width", "page" or "custom"
        self._zoom = 1.0
        self._data = b""
        self._pages = 0
        self._page = 0
        self.setWidget(self._canvas)
        self.setWidgetResizable(False)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Scanned page")
        self.setAccessibleDescription("An image of a page; it has no text to search.")

    def load(self, data: bytes, page: int = 1) -> str:
        """Show these image bytes at a page; returns '' or why the image cannot be shown."""
        count = _image_count(data)
        page = min(max(page, 1), count)
        image = _decode(data, page)
        if image.isNull() and page != 1:
            page, image = 1, _decode(data, 1)
        if image.isNull():
            self.release()
            return "This image cannot be shown: it is damaged or in a format Qt cannot read."
        self._data, self._pages, self._page = data, count, page
        self.can_page = count > 1
        self._canvas.pixmap = QPixmap.fromImage(image)
        self._mode = "width"
        self._layout()
        self.verticalScrollBar().setValue(0)
        return ""

    def release(self) -> None:
        self._canvas.pixmap = QPixmap()
        self._data, self._pages, self._page = b"", 0, 0
        self.can_page = False
        self._layout()

    def image_size(self) -> QSize:
        """The image's own size in pixels."""
        return self._canvas.pixmap.size()

    # the common viewer interface -------------------------------------------------------------

    def page_count(self) -> int:
        return 0 if self._canvas.pixmap.isNull() else self._pages

    def current_page(self) -> int:
        return 0 if self._canvas.pixmap.isNull() else self._page

    def go_to_page(self, page: int) -> None:
        """Show another page of a multi-page image (the zoom mode is kept)."""
        if not self._pages:
            return
        page = min(max(page, 1), self._pages)
        if page == self._page:
            return
        image = _decode(self._data, page)
        if image.isNull():
            return  # a damaged later page: stay where we are
        self._page = page
        self._canvas.pixmap = QPixmap.fromImage(image)
        self._layout()
        self.verticalScrollBar().setValue(0)
        self.page_changed.emit(page)

    def effective_zoom(self) -> float:
        """The zoom on screen (1.0 is one image pixel per screen pixel)."""
        size = self._canvas.pixmap.size()
        if size.isEmpty():
            return 1.0
        room = self.viewport().size()
        if self._mode == "width":
            return room.width() / size.width()
        if self._mode == "page":
            return min(room.width() / size.width(), room.height() / size.height())
        return self._zoom

    def zoom_in(self) -> None:
        self._set_zoom(self.effective_zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._set_zoom(self.effective_zoom() / ZOOM_STEP)

    def _set_zoom(self, zoom: float) -> None:
        self._mode, self._zoom = "custom", min(max(zoom, ZOOM_MIN), ZOOM_MAX)
        self._layout()

    def fit_width(self) -> None:
        self._mode = "width"
        self._layout()

    def fit_page(self) -> None:
        self._mode = "page"
        self._layout()

    def find(self, text: str, from_page: int | None = None) -> None:
        pass

    def find_next(self) -> None:
        pass

    def find_previous(self) -> None:
        pass

    # layout ------------------------------------------------------------------------------------

    def _layout(self) -> None:
        size = self._canvas.pixmap.size()
        if size.isEmpty():
            self._canvas.resize(0, 0)
        else:
            if self._mode == "width":
                # Leave room for the vertical scroll bar that a tall page will need.
                room = self.viewport().width()
                zoom = room / size.width()
                if size.height() * zoom > self.viewport().height():
                    room -= self.verticalScrollBar().sizeHint().width()
                zoom = max(room, 1) / size.width()
            else:
                zoom = self.effective_zoom()
            self._canvas.resize(max(int(size.width() * zoom), 1), max(int(size.height() * zoom), 1))
        self._canvas.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """PgDn / PgUp / Home / End turn the pages of a multi-page image (else they scroll)."""
        if self.can_page and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            target = {
                Qt.Key.Key_PageDown: self._page + 1,
                Qt.Key.Key_PageUp: self._page - 1,
                Qt.Key.Key_Home: 1,
                Qt.Key.Key_End: self._pages,
            }.get(event.key())
            if target is not None:
                self.go_to_page(target)
                event.accept()
                return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._mode != "custom":
            self._layout()


def _reader(data: bytes) -> tuple[QImageReader, QBuffer]:
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    return QImageReader(buffer), buffer  # the buffer must outlive the reader's use


def _image_count(data: bytes) -> int:
    reader, _buffer = _reader(data)
    return max(reader.imageCount(), 1)


def _decode(data: bytes, page: int) -> QImage:
    """Page PAGE (1-based) of the image bytes, or a null image."""
    reader, _buffer = _reader(data)
    if page > 1 and not reader.jumpToImage(page - 1):
        return QImage()
    return reader.read()
