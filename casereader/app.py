"""The composition root: the QApplication, the one excepthook, the store and the main window.

Qt is imported here and in casereader.ui only; the command line imports this module inside
the `gui` and `demo` commands.
"""

import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSize, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from casereader import APP_NAME, __version__
from casereader.errors import CaseReaderError
from casereader.process_guard import harden_process
from casereader.store import Store, cases, flags
from casereader.ui.main_window import MainWindow
from casereader.ui.plain import plain_message
from casereader.ui.prefs import load_prefs
from casereader.ui.style import follow_system_palette

SCREENSHOT_SIZE = QSize(1600, 1000)
_showing_error = [False]


def create_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication (made once), with names, palette and the excepthook installed."""
    app = QApplication.instance()
    if app is None:
        qInstallMessageHandler(_qt_message)
        app = QApplication(argv if argv is not None else [sys.argv[0]])
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    follow_system_palette(app)
    sys.excepthook = excepthook
    return app


# Qt's own chatter that says nothing to a reader (the offscreen platform used for
# screenshots cannot resize windows to their size hints).
_QUIET = ("does not support propagateSizeHints",)


def _qt_message(kind: QtMsgType, context, message: str) -> None:
    if kind == QtMsgType.QtDebugMsg or any(q in message for q in _QUIET):
        return
    sys.stderr.write(f"qt: {message}\n")


def excepthook(exc_type, exc, tb) -> None:
    """Log an uncaught error to stderr and show it in a dialog (one at a time)."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if isinstance(exc, CaseReaderError):
        sys.stderr.write(f"casereader: {exc}\n")
        text = str(exc)
    else:
        sys.stderr.write("casereader: unexpected error\n")
        traceback.print_exception(exc_type, exc, tb, file=sys.stderr)
        text = (
            f"Unexpected error: {exc_type.__name__}: {exc}\n\nEverything saved before this is "
            "kept. If it happens again, note what you were doing and tell the coordinator."
        )
    if QApplication.instance() is None or _showing_error[0]:
        return
    _showing_error[0] = True
    try:
        show_error(QApplication.activeWindow(), text)
    finally:
        _showing_error[0] = False


def show_error(parent: QWidget | None, text: str) -> None:
    """The error dialog of the excepthook (replaced in tests)."""
    plain_message(parent, QMessageBox.Icon.Critical, "casereader", text)


def run_gui(store_path: Path | str | None, passphrase: str | None) -> int:
    """Open the desktop app on a store (asking its passphrase if needed), or the welcome screen."""
    harden_process()  # also when the app is started without the command line
    app = create_app()
    if store_path is None:
        last = load_prefs().last_store
        store_path = last if last and Path(last).is_file() else None
    if store_path is None:
        window = MainWindow()
    else:
        # "Opening…" while the key is derived, then the case list (or, failing that, the
        # welcome screen); the window is on screen meanwhile.
        window = MainWindow(opening=str(store_path))
        QTimer.singleShot(0, lambda: window.open_store_path(str(store_path), passphrase))
    window.show()
    return app.exec()


def demo_case(store: Store) -> str:
    """The case the demo opens: one with an open management review and answers, if any."""
    rows = cases.overview(store)
    flagged = {f.case_ref for f in flags.list_flags(store, open_only=True)}
    for row in rows:
        if row.case_ref in flagged and row.answered:
            return row.case_ref
    return next((r.case_ref for r in rows if r.answered), rows[0].case_ref)


def run_demo_gui(store_path: Path, passphrase: str, screenshot: str | None = None) -> int:
    """The demo: open the app on the demo store, or with `screenshot` render it to PNG and exit."""
    if screenshot is None:
        return run_gui(store_path, passphrase)
    app = create_app()
    # The default layout, not this user's remembered one: screenshots look the same everywhere.
    window = MainWindow(Store.open(store_path, passphrase), remember_layout=False)
    try:
        image = render_case(app, window, SCREENSHOT_SIZE)
        # 15-bit colour: indistinguishable on screen, and the PNG stays well under 300 KB.
        image = image.convertToFormat(QImage.Format.Format_RGB555)
        if not image.save(str(screenshot)):
            raise CaseReaderError(f"{screenshot}: the screenshot could not be written.")
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
    print(f"Wrote {screenshot}")
    return 0


def render_case(app: QApplication, window: MainWindow, size: QSize) -> QImage:
    """Show the demo case with its first PDF open, wait for the page to render, grab it."""
    window.resize(size)
    window.show()
    ref = demo_case(window.store)
    window.case_list.select_case(ref)
    pdf = window.workspace.first_pdf()
    if pdf is not None:
        window.workspace.show_document(pdf.id, 1)
    wait_until_rendered(window.workspace.viewer)
    return window.grab().toImage()


def wait_until_rendered(widget: QWidget, timeout_ms: int = 15_000) -> bool:
    """Let the event loop run until two grabs of the widget agree and show something."""
    loop = QEventLoop()
    previous: QImage | None = None
    waited = 0
    while waited < timeout_ms:
        QTimer.singleShot(150, loop.quit)
        loop.exec()
        waited += 150
        image = widget.grab().toImage()
        if previous is not None and image == previous and _has_content(image):
            return True
        previous = image
    return False


def _has_content(image: QImage) -> bool:
    """True when the image is not one flat colour (something was drawn)."""
    small = image.scaled(48, 48)
    colours = {small.pixel(x, y) for x in range(small.width()) for y in range(small.height())}
    return len(colours) > 8
