"""Printing a generated PDF: its pages rendered by QtPdf onto the chosen QPrinter, one page per
turn of the event loop (the window stays live, and Cancel stops between pages)."""

from PySide6.QtCore import QBuffer, QIODevice, QObject, QRectF, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QProgressDialog, QWidget

MAX_DPI = 300  # enough for text on paper; a 600 dpi printer gets 300 dpi page images


def a4_printer() -> QPrinter:
    """A printer set up for the generated pages: A4 portrait, no margins of its own."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)
    return printer


class PdfPrintJob(QObject):
    """Prints the pages of PDF bytes onto a printer; `finished(pages)`, `failed(str)` or
    `cancelled()` at the end. The bytes stay in memory: nothing is written to disk here."""

    progress = Signal(int, int)
    finished = Signal(int)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QObject | None, data: bytes, printer: QPrinter):
        super().__init__(parent)
        self.printer = printer
        self._document = QPdfDocument(self)
        self._buffer = QBuffer(self)
        self._buffer.setData(data)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._painter: QPainter | None = None
        self._page = 0
        self._stop = False
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._next_page)

    @property
    def pages(self) -> int:
        return self._document.pageCount()

    def start(self) -> None:
        self._document.load(self._buffer)
        if self._document.status() != QPdfDocument.Status.Ready or not self.pages:
            self._end(failed="The generated PDF could not be read for printing.")
            return
        first, last = self.printer.fromPage(), self.printer.toPage()
        self._page = max(first - 1, 0) if first else 0
        self._last = min(last, self.pages) if last else self.pages
        self._painter = QPainter()
        if not self._painter.begin(self.printer):
            self._painter = None
            self._end(failed="The printer could not be started; check it is connected.")
            return
        self._first_printed = True
        self._timer.start()

    def cancel(self) -> None:
        self._stop = True

    @Slot()
    def _next_page(self) -> None:
        if self._stop:
            self._end(cancelled=True)
            return
        if self._page >= self._last:
            self._end()
            return
        if not self._first_printed and not self.printer.newPage():
            self._end(failed="The printer refused a new page.")
            return
        self._first_printed = False
        self._paint(self._page)
        self._page += 1
        self.progress.emit(self._page, self._last)

    def _paint(self, index: int) -> None:
        painter = self._painter
        target = QRectF(self.printer.pageLayout().fullRectPixels(self.printer.resolution()))
        dpi = min(self.printer.resolution(), MAX_DPI)
        points = self._document.pagePointSize(index)
        size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
        image = self._document.render(index, size)
        # keep the page's proportions inside the printable area
        scale = min(target.width() / size.width(), target.height() / size.height())
        w, h = size.width() * scale, size.height() * scale
        box = QRectF(target.x() + (target.width() - w) / 2, target.y(), w, h)
        painter.drawImage(box, image)

    def _end(self, failed: str = "", cancelled: bool = False) -> None:
        self._timer.stop()
        printed = self._page
        if self._painter is not None:
            if cancelled:
                self.printer.abort()
            self._painter.end()
            self._painter = None
        self._document.close()
        self._buffer.close()
        if failed:
            self.failed.emit(failed)
        elif cancelled:
            self.cancelled.emit()
        else:
            self.finished.emit(printed)


def print_with_progress(parent: QWidget, data: bytes, printer: QPrinter, title: str) -> PdfPrintJob:
    """Start printing; a cancellable progress dialog follows the pages."""
    job = PdfPrintJob(parent, data, printer)
    dialog = QProgressDialog(f"Printing {title}…", "Cancel", 0, 0, parent)
    dialog.setWindowTitle("Printing")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(500)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.canceled.connect(job.cancel)

    def step(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)

    job.progress.connect(step)
    for signal in (job.finished, job.failed, job.cancelled):
        signal.connect(dialog.close)
        signal.connect(dialog.deleteLater)
    job.start()
    return job
