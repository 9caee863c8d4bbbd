"""Long work off the GUI thread: a QRunnable driving a task generator that yields Progress.

A task factory is called in the worker thread as ``factory(store_path, passphrase)`` and
returns a generator of Progress; it opens its own Store there (a Store never crosses threads;
``store_task`` does that for a function of a Store). The generator's return value is the
job's result. Cancelling sets a flag that the worker checks between steps; it then closes the
generator, so the task's own ``finally`` and ``db.atomic()`` clean up on the worker thread.

Signals live on a separate QObject created on the GUI thread, so they arrive there queued.
JobRunner shows a cancellable progress dialog only when the job is still running after ~0.5 s.
"""

import sys
import threading
import traceback
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from casereader.domain.progress import Progress
from casereader.errors import CaseReaderError
from casereader.store import Store

TaskFactory = Callable[[Path, str], Iterator[Progress]]
DIALOG_DELAY_MS = 500

# Running jobs are kept alive here until their last signal has reached the GUI thread, so a
# job whose window went away still has somewhere to report to.
_running: "set[Job]" = set()


def store_task(fn: Callable[[Store], Generator[Progress, None, Any]]) -> TaskFactory:
    """Turn ``fn(store)`` into a task factory that opens (and closes) its own Store."""

    def factory(store_path: Path, passphrase: str) -> Generator[Progress, None, Any]:
        with Store.open(store_path, passphrase) as store:
            return (yield from fn(store))

    return factory


class JobSignals(QObject):
    """What a Job reports; created on the GUI thread so slots run there."""

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, job: "Job"):
        super().__init__()
        self._job = job
        self.finished.connect(self._release)
        self.failed.connect(self._release)
        self.cancelled.connect(self._release)

    @Slot()
    def _release(self) -> None:
        self._job.done.wait(5)
        _running.discard(self._job)


class Job(QRunnable):
    """Runs one task factory on a worker thread; see the module docstring."""

    def __init__(self, factory: TaskFactory, store_path: Path | str, passphrase: str):
        super().__init__()
        # Python keeps the object alive; the pool must not delete it under us.
        self.setAutoDelete(False)
        self.signals = JobSignals(self)
        self._factory = factory
        self._store_path = Path(store_path)
        self._passphrase = passphrase
        self._cancel = threading.Event()
        self.done = threading.Event()

    def cancel(self) -> None:
        """Ask the job to stop after its current step (safe from any thread)."""
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def start(self, pool: QThreadPool | None = None) -> None:
        """Queue the job on the pool (the global one by default)."""
        _running.add(self)
        (pool or QThreadPool.globalInstance()).start(self)

    def run(self) -> None:  # worker thread
        try:
            outcome = self._drive()
        except CaseReaderError as e:
            self.signals.failed.emit(str(e))
        except Exception as e:  # noqa: BLE001 - a worker must report, never die silently
            traceback.print_exc(file=sys.stderr)
            self.signals.failed.emit(
                f"Unexpected error: {type(e).__name__}: {e}. Nothing more was done; "
                "what was saved before the error is kept."
            )
        else:
            if outcome is _CANCELLED:
                self.signals.cancelled.emit()
            else:
                self.signals.finished.emit(outcome)
        finally:
            self._passphrase = ""
            self.done.set()

    def _drive(self) -> Any:
        steps = self._factory(self._store_path, self._passphrase)
        try:
            while True:
                if self._cancel.is_set():
                    return _CANCELLED
                try:
                    p = next(steps)
                except StopIteration as stop:
                    return stop.value
                self.signals.progress.emit(p.done, p.total, p.message)
        finally:
            close = getattr(steps, "close", None)
            if close is not None:
                close()


_CANCELLED = object()


def stop_all_jobs(timeout_s: float = 30.0) -> bool:
    """Cancel every running job and wait for them to stop (at quit). True if all stopped."""
    jobs = list(_running)
    for job in jobs:
        job.cancel()
    return all(job.done.wait(timeout_s) for job in jobs)


class JobRunner(QObject):
    """Starts a Job and shows a cancellable progress dialog if it runs longer than ~0.5 s.

    Connect to ``finished(object)``, ``failed(str)`` and ``cancelled()``; exactly one fires.
    """

    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget, job: Job, title: str, label: str = "Working…"):
        super().__init__(parent)
        self.job = job
        self.dialog: QProgressDialog | None = None
        self._parent = parent
        self._title = title
        self._label = label
        self._last = (0, 0, label)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DIALOG_DELAY_MS)
        self._timer.timeout.connect(self._show_dialog)
        job.signals.progress.connect(self._on_progress)
        job.signals.finished.connect(self._on_finished)
        job.signals.failed.connect(self._on_failed)
        job.signals.cancelled.connect(self._on_cancelled)

    def start(self) -> None:
        """Start the job now; the dialog appears only if it is still running after 0.5 s."""
        self._timer.start()
        self.job.start()

    @Slot()
    def cancel(self) -> None:
        """Ask the job to stop; the dialog says so until it has."""
        self.job.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText("Cancelling… (what is done so far is kept)")
            self.dialog.setCancelButton(None)

    @Slot()
    def _show_dialog(self) -> None:
        if self.job.done.is_set():
            return
        dialog = QProgressDialog(self._label, "Cancel", 0, 0, self._parent)
        dialog.setWindowTitle(self._title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.setAccessibleName(f"{self._title} progress")
        dialog.canceled.connect(self.cancel)
        self.dialog = dialog
        self._update_dialog()
        dialog.show()

    def _update_dialog(self) -> None:
        done, total, message = self._last
        if self.dialog is None:
            return
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total else 0)
        if not self.job.cancel_requested:
            text = f"{self._label}\n{done} of {total}" if total else self._label
            self.dialog.setLabelText(f"{text}\n{message}" if message else text)

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, message: str) -> None:
        self._last = (done, total, message)
        self._update_dialog()

    def _close(self) -> None:
        self._timer.stop()
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    @Slot(object)
    def _on_finished(self, result: object) -> None:
        self._close()
        self.finished.emit(result)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._close()
        self.failed.emit(message)

    @Slot()
    def _on_cancelled(self) -> None:
        self._close()
        self.cancelled.emit()


def start_job(parent: QWidget, job: Job, title: str, label: str, owner: Any) -> JobRunner:
    """Run JOB with a progress dialog, reporting to OWNER's ``_finished(result)``,
    ``_cancelled()`` and ``_failed(message)`` slots; the runner, started."""
    runner = JobRunner(parent, job, title, label)
    runner.finished.connect(owner._finished)
    runner.cancelled.connect(owner._cancelled)
    runner.failed.connect(owner._failed)
    runner.start()
    return runner
