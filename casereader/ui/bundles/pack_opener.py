"""Opening a reading pack in a separate process (pyrage holds the GIL), with progress shown."""

import multiprocessing
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from casereader.bundle.pack import open_pack_in_child
from casereader.ui.bundles import dialogs
from casereader.ui.bundles.pack_dialog import OpenPackDialog, OpenPackRequest

_HELPER_STOPPED = "The reading pack could not be opened (the helper process stopped)."


class PackOpener(QObject):
    """Runs `open_pack` in a separate process and follows its reports with a progress dialog."""

    POLL_MS = 100

    def __init__(self, parent: QWidget | None, request: OpenPackRequest):
        super().__init__(parent)
        self._parent = parent
        self.request = request
        self.result: Path | None = None
        self.error = ""
        self._finished = False
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe(duplex=False)
        self.process = context.Process(
            target=open_pack_in_child,
            args=(
                child,
                str(request.pack),
                request.pack_passphrase,
                str(request.store_path),
                request.store_passphrase,
            ),
            daemon=True,
        )
        self._child = child
        self.dialog = QProgressDialog("Opening the reading pack…", "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle("Open reading pack")
        self.dialog.setAccessibleName("Open reading pack progress")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self._timer = QTimer(self)
        self._timer.setInterval(self.POLL_MS)
        self._timer.timeout.connect(self._poll)

    def run(self) -> Path | None:
        """Open the pack; the new store's path, or None (see `error`)."""
        self.process.start()
        self._child.close()
        self._timer.start()
        self.dialog.exec()
        self._timer.stop()
        self.process.join(5)
        return self.result

    @Slot()
    def _poll(self) -> None:
        try:
            while self._conn.poll():
                self._handle(self._conn.recv())
        except (EOFError, OSError):
            if not self.result and not self.error:
                self.error = _HELPER_STOPPED
            self._finish()
            return
        if not self.process.is_alive() and not self._conn.poll():
            if not self.result and not self.error:
                self.error = _HELPER_STOPPED
            self._finish()

    def _handle(self, message: tuple) -> None:
        kind = message[0]
        if kind == "progress":
            _, done, total, text = message
            self.dialog.setMaximum(total)
            self.dialog.setValue(done)
            self.dialog.setLabelText(f"Opening the reading pack…\n{done} of {total}: {text}")
        elif kind == "done":
            self.result = Path(message[1])
            self._finish()
        elif kind == "error":
            self.error = message[1]
            self._finish()

    def _finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        self._timer.stop()
        self.dialog.canceled.disconnect(self.cancel)
        self.dialog.close()

    @Slot()
    def cancel(self) -> None:
        """Stop the helper process and remove its unfinished store."""
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(5)
        store = self.request.store_path
        for leftover in store.parent.glob(f".{store.name}.*.opening*"):
            leftover.unlink(missing_ok=True)
        self.error = "cancelled"
        self._timer.stop()


def open_reading_pack(parent: QWidget | None) -> Path | None:
    """Ask for a reading pack and open it into a new store; that store's path, or None."""
    request = OpenPackDialog.ask(parent)
    if request is None:
        return None
    opener = PackOpener(parent, request)
    path = opener.run()
    opener.deleteLater()
    if path is None and opener.error != "cancelled":
        dialogs.warn(parent, "Reading pack not opened", opener.error)
    return path
