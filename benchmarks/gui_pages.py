"""The page measures, run in a child process by gui_bench.py through gui_child.py: a click on a
PDF to its first page on screen, and Page Down to the next page drawn.

Each beside its floor, in the same process: a bare window of the page area's size loading the
same bytes and drawing page 0 in its paint; and the bare render of the turned-to page at the
same size (QPdfDocument.render, the document already loaded).
"""

import random
import time

from PySide6.QtCore import QBuffer, QEvent, QIODevice, QObject, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from benchmarks.gui_child import WAIT, _main_window, _pdf_view, _preload, report, settle
from casereader.ui.documents.page_view import PageArea

TURN_PAUSE_MS = 150  # a glance at each page before the next Page Down
MIN_TURN_PAGES = 3

# a click on a PDF to its first rendered page -------------------------------------------------


class FirstPage(QObject):
    """Times `open()` until the PDF view has drawn page 1, rendered for this open, on screen.

    The viewer's page area renders the pages in view during its paint (its images are dropped
    on every open) and signals each page it renders and each page it draws. Like PaintWatch,
    a zero timer posted as each viewport paint begins runs once that paint has been drawn and
    flushed; the first to run after page 0's fresh image was drawn ends the clock.
    """

    def __init__(self, view: PageArea):
        super().__init__()
        self.view = view
        view.page_rendered.connect(self._rendered)
        view.page_painted.connect(self._painted)
        self.timing = False
        self.rendered = self.painted = False
        self.rendered_at = 0.0
        self.size = QSize()
        self.finished: list[float] = []

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if watched is self.view.viewport() and event.type() == QEvent.Type.Paint and self.timing:
            QTimer.singleShot(0, self._check)
        return False

    def _rendered(self, page: int, size: QSize) -> None:
        if page == 0 and self.timing:
            self.rendered = True
            self.rendered_at = time.perf_counter()
            self.size = QSize(size)

    def _painted(self, page: int) -> None:
        if page == 0 and self.timing and self.rendered:
            self.painted = True

    def _check(self) -> None:
        if self.painted and self.timing:
            self.timing = False
            self.finished.append(time.perf_counter())

    def time(self, open_document, timeout_s: float = 10.0) -> tuple[float, float, float] | None:
        """Seconds from calling open_document() to the first rendered page painted, to its
        return (the GUI thread held) and to page 0's image being rendered; None if never
        painted."""
        self.rendered = self.painted = False
        self.finished = []
        self.timing = True
        # Installed last, so called first: its timer runs before those the viewer posts.
        self.view.viewport().installEventFilter(self)
        start = time.perf_counter()
        open_document()
        returned = time.perf_counter() - start
        app = QApplication.instance()
        while not self.finished and time.perf_counter() - start < timeout_s:
            app.processEvents(WAIT, 50)
        self.timing = False
        self.view.viewport().removeEventFilter(self)
        if not self.finished:
            return None
        return self.finished[0] - start, returned, self.rendered_at - start


def bare_render(data: bytes, width: int) -> float:
    """Seconds for the floor: QPdfDocument.load(QBuffer) and render page 0 at the view's size."""
    start = time.perf_counter()
    buffer = QBuffer()
    buffer.setData(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(None)
    document.load(buffer)
    points = document.pagePointSize(0)
    size = QSize(width, round(width * points.height() / points.width()))
    image = document.render(0, size)
    elapsed = time.perf_counter() - start
    if image.isNull():
        raise RuntimeError("the bare render made no image")
    document.close()
    return elapsed


class BareViewer(QWidget):
    """The on-screen floor: a bare window the size of our page area that loads the bytes into
    a QPdfDocument, renders page 0 at the same width in its paint and draws it on white.

    Timed like FirstPage: from the "click" to the zero timer posted as that paint begins,
    which runs once the paint has been drawn and flushed.
    """

    def __init__(self, size: QSize):
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.resize(size)
        self.document = QPdfDocument(self)
        self.buffer = QBuffer(self)
        self.width_px = 0
        self.finished: list[float] = []
        self.timing = False
        self.show()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.gray)
        if self.timing and self.document.status() == QPdfDocument.Status.Ready:
            points = self.document.pagePointSize(0)
            size = QSize(self.width_px, round(self.width_px * points.height() / points.width()))
            image = self.document.render(0, size)
            painter.fillRect(QRect(QPoint(6, 6), size), Qt.GlobalColor.white)
            painter.drawImage(QPoint(6, 6), image)
            QTimer.singleShot(0, self._done)
        painter.end()

    def _done(self) -> None:
        if self.timing:
            self.timing = False
            self.finished.append(time.perf_counter())

    def time(self, data: bytes, width: int, timeout_s: float = 10.0) -> float:
        """Seconds from loading `data` to its page 0 drawn and flushed."""
        self.document.close()
        self.buffer.close()
        self.width_px, self.finished, self.timing = width, [], True
        start = time.perf_counter()
        self.buffer.setData(data)
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self.buffer)
        self.update()
        app = QApplication.instance()
        while not self.finished and time.perf_counter() - start < timeout_s:
            app.processEvents(WAIT, 50)
        if not self.finished:
            raise RuntimeError("the bare viewer never painted")
        return self.finished[0] - start


def open_documents(store_path: str, count: int) -> None:
    _preload()
    from casereader.store import documents as store_documents

    app, window = _main_window(store_path)
    store = window.store
    pdfs = [d for d in store_documents.list_documents(store) if d.doc_type == "pdf"]
    chosen = sorted(
        random.Random(3).sample(pdfs, min(count + 5, len(pdfs))), key=lambda d: (d.case_ref, d.id)
    )
    timer = FirstPage(_pdf_view(window))
    ours, synchronous, image, floor, screen, pages = [], [], [], [], [], []
    bare: BareViewer | None = None
    case_ref, width, missing = None, 0, 0
    for n, doc in enumerate(chosen):
        if doc.case_ref != case_ref:
            window.open_case(doc.case_ref)  # choosing the case is not part of the click
            case_ref = doc.case_ref
            settle(100)
        data = store_documents.content(store, doc.id)
        floor_first = n % 2 == 1 and width > 0  # alternate who goes first: shared caches
        if floor_first:
            floor_s = bare_render(data, width)
            screen_s = bare.time(data, width)
        timed = timer.time(lambda d=doc: window.workspace.show_document(d.id, 1))
        if timed is None:
            missing += 1
            settle(100)
            continue
        width = timer.size.width()
        if bare is None:
            bare = BareViewer(_pdf_view(window).viewport().size())
            settle(100)
        if not floor_first:
            floor_s = bare_render(data, width)
            screen_s = bare.time(data, width)
        if n >= 5:  # the first few warm pdfium and the view up
            ours.append(timed[0])
            synchronous.append(timed[1])
            image.append(timed[2])
            floor.append(floor_s)
            screen.append(screen_s)
            pages.append(doc.page_count or 0)
        settle(60)
    report(
        {
            "ours": ours,
            "synchronous": synchronous,
            "image": image,
            "floor": floor,
            "screen_floor": screen,
            "page_width_px": width,
            "viewport": [_pdf_view(window).viewport().width(), _pdf_view(window).height()],
            "pages_mean": sum(pages) / max(len(pages), 1),
            "missing": missing,
        }
    )
    window.close()


# Page Down to the next page drawn ----------------------------------------------------------------


class PageTurn(QObject):
    """Times a Page Down until the page turned to has been drawn on screen (and flushed): the
    zero timer posted as each viewport paint begins runs once that paint is on screen."""

    def __init__(self, view: PageArea):
        super().__init__()
        self.view = view
        view.page_painted.connect(self._painted)
        view.page_rendered.connect(self._rendered)
        self.target = -1
        self.painted = False
        self.rendered_in_turn = False
        self.sizes: dict[int, QSize] = {}  # each page's laid-out size, as rendered
        self.finished: list[float] = []
        self.cpu: list[float] = []  # the process's CPU seconds of each turn (the machine's
        # load stretches the wall clock, not this)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        painting = watched is self.view.viewport() and event.type() == QEvent.Type.Paint
        if painting and self.target >= 0:
            QTimer.singleShot(0, self._check)
        return False

    def _painted(self, page: int) -> None:
        if page == self.target:
            self.painted = True

    def _rendered(self, page: int, size: QSize) -> None:
        self.sizes[page] = QSize(size)
        if page == self.target:
            self.rendered_in_turn = True

    def _check(self) -> None:
        if self.painted and self.target >= 0:
            self.target = -1
            self.finished.append(time.perf_counter())
            self.cpu.append(time.process_time() - self.cpu_start)

    def turn(self, timeout_s: float = 10.0) -> float | None:
        """Seconds from Page Down to the next page on screen; None if it never came."""
        self.target = self.view.current_page() + 1
        self.painted = self.rendered_in_turn = False
        self.finished = []
        self.view.viewport().installEventFilter(self)
        self.cpu_start = time.process_time()
        start = time.perf_counter()
        QTest.keyClick(self.view, Qt.Key.Key_PageDown)
        app = QApplication.instance()
        while not self.finished and time.perf_counter() - start < timeout_s:
            app.processEvents(WAIT, 50)
        self.view.viewport().removeEventFilter(self)
        self.target = -1
        return self.finished[0] - start if self.finished else None


def bare_page_render(data: bytes, page: int, size: QSize) -> float:
    """Seconds to render one page at this size, the document loaded beforehand (untimed)."""
    buffer = QBuffer()
    buffer.setData(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(None)
    document.load(buffer)
    start = time.perf_counter()
    image = document.render(page, size)
    elapsed = time.perf_counter() - start
    if image.isNull():
        raise RuntimeError("the bare render made no image")
    document.close()
    return elapsed


def page_turns(store_path: str, count: int) -> None:
    _preload()
    from casereader.store import documents as store_documents

    app, window = _main_window(store_path)
    store = window.store
    pdfs = [
        d
        for d in store_documents.list_documents(store)
        if d.doc_type == "pdf" and (d.page_count or 0) >= MIN_TURN_PAGES
    ]
    random.Random(11).shuffle(pdfs)
    view = _pdf_view(window)
    timer = PageTurn(view)
    ours, bare, rendered_in_turn, documents, missing = [], [], 0, 0, 0
    case_ref = None
    for doc in pdfs:
        if len(ours) >= count:
            break
        if doc.case_ref != case_ref:
            window.open_case(doc.case_ref)
            case_ref = doc.case_ref
            settle(100)
        window.workspace.show_document(doc.id, 1)
        window.workspace.viewer.focus_page()
        settle(TURN_PAUSE_MS)
        data = store_documents.content(store, doc.id)
        documents += 1
        while len(ours) < count and view.current_page() + 1 < view.page_count():
            page = view.current_page() + 1
            seconds = timer.turn()
            if seconds is None:
                missing += 1
                break
            size = timer.sizes.get(page)
            ours.append(seconds)
            rendered_in_turn += timer.rendered_in_turn
            bare.append(bare_page_render(data, page, size))
            settle(TURN_PAUSE_MS)
    report(
        {
            "ours": ours,
            "bare": bare,
            "cpu": timer.cpu,
            "documents": documents,
            "rendered_in_turn": rendered_in_turn,
            "missing": missing,
            "page_width_px": view.viewport().width(),
            "min_pages": MIN_TURN_PAGES,
            "pause_ms": TURN_PAUSE_MS,
        }
    )
    window.close()
