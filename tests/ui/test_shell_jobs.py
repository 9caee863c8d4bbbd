"""Jobs: a real documents import off the GUI thread, cancelling, failures, the delayed dialog."""

import threading
import time

import pytest
from PySide6.QtWidgets import QPushButton, QWidget

from casereader.domain.progress import Progress
from casereader.domain.template import find_template
from casereader.ingest.documents import ImportReport, import_documents
from casereader.ingest.sample import import_sample
from casereader.store import Store, documents
from casereader.ui import jobs
from casereader.ui.jobs import DIALOG_DELAY_MS, Job, JobRunner, stop_all_jobs, store_task

pytestmark = pytest.mark.usefixtures("modal_guard")

SECRET = "job-test-passphrase"


@pytest.fixture
def new_store(tmp_path, demo_files_dir):
    """A new reader store with the demo sample imported and no documents yet."""
    path = tmp_path / "new.casereader"
    with Store.create(path, SECRET, find_template("cso-at-home-2025"), "Jobs test", "reader",
                      "R1") as store:  # fmt: skip
        import_sample(store, demo_files_dir / "sample.csv")
    return path


def import_factory(folder, report, seen_threads):
    def task(store):
        seen_threads.append(threading.current_thread())
        yield from import_documents(store, folder, report, workers=0)
        return report

    return store_task(task)


def test_real_import_runs_on_a_worker_and_reports(qtbot, new_store, demo_files_dir):
    report, threads, progress = ImportReport(), [], []
    job = Job(import_factory(demo_files_dir / "documents", report, threads), new_store, SECRET)
    job.signals.progress.connect(lambda done, total, message: progress.append((done, total)))
    with qtbot.waitSignal(job.signals.finished, timeout=60_000) as finished:
        job.start()
    assert finished.args == [report]
    assert threads and threads[0] is not threading.main_thread()
    assert report.imported > 50 and not report.cancelled and not report.skipped
    assert progress[-1] == (report.imported, report.imported)
    with Store.open(new_store, SECRET) as store:
        assert len(documents.list_documents(store)) == report.imported


def test_cancel_closes_the_generator_and_keeps_whole_documents(qtbot, new_store, demo_files_dir):
    report, threads = ImportReport(), []
    job = Job(import_factory(demo_files_dir / "documents", report, threads), new_store, SECRET)
    finished = []
    job.signals.finished.connect(finished.append)
    job.signals.progress.connect(lambda done, total, message: done >= 3 and job.cancel())
    with qtbot.waitSignal(job.signals.cancelled, timeout=60_000):
        job.start()
    assert job.done.wait(10)
    assert finished == []
    assert report.cancelled  # the task's own finally ran: the generator was closed
    with Store.open(new_store, SECRET) as store:
        stored = documents.list_documents(store)
        assert 3 <= len(stored) < 93
        assert all(documents.content(store, d.id) for d in stored)  # no half documents


def test_failures_arrive_as_one_message(qtbot, new_store):
    job = Job(store_task(lambda store: iter(())), new_store, "not-the-passphrase")
    with qtbot.waitSignal(job.signals.failed, timeout=30_000) as failed:
        job.start()
    assert "wrong passphrase" in failed.args[0]

    def broken(store):
        yield Progress(0, 1)
        raise ZeroDivisionError("boom")

    job = Job(store_task(broken), new_store, SECRET)
    with qtbot.waitSignal(job.signals.failed, timeout=30_000) as failed:
        job.start()
    assert failed.args[0].startswith("Unexpected error: ZeroDivisionError: boom.")


class Gate:
    """A task factory that waits until released, recording whether it was closed."""

    def __init__(self):
        self.release = threading.Event()
        self.started = threading.Event()
        self.closed = False

    def __call__(self, store_path, passphrase):
        try:
            self.started.set()
            for n in range(10_000):
                yield Progress(n, 10_000, f"step {n}")
                self.release.wait(0.01)
                if self.release.is_set():
                    return "released"
        finally:
            self.closed = True


def test_runner_shows_a_cancellable_dialog_only_after_the_delay(qtbot, tmp_path):
    parent = qtbot_widget(qtbot)
    gate = Gate()
    runner = JobRunner(parent, Job(gate, tmp_path / "unused", SECRET), "Importing", "Importing")
    runner.start()
    assert gate.started.wait(10)
    assert runner.dialog is None  # not before ~0.5 s
    qtbot.waitUntil(lambda: runner.dialog is not None and runner.dialog.isVisible(), timeout=5000)
    assert "of 10000" in runner.dialog.labelText()
    with qtbot.waitSignal(runner.cancelled, timeout=10_000):
        runner.dialog.findChild(QPushButton).click()
    assert gate.closed and runner.dialog is None


def test_runner_without_dialog_for_quick_work(qtbot, tmp_path):
    parent = qtbot_widget(qtbot)
    gate = Gate()
    gate.release.set()
    runner = JobRunner(parent, Job(gate, tmp_path / "unused", SECRET), "Quick", "Quick")
    shown = []
    runner._timer.timeout.connect(lambda: shown.append(runner.dialog is not None))
    started = time.monotonic()
    with qtbot.waitSignal(runner.finished, timeout=10_000) as finished:
        runner.start()
    assert finished.args == ["released"]
    if time.monotonic() - started < DIALOG_DELAY_MS / 1000 * 0.8:
        assert shown == []
    assert runner.dialog is None


def test_stop_all_jobs_cancels_running_ones(qtbot, tmp_path):
    gate = Gate()
    job = Job(gate, tmp_path / "unused", SECRET)
    job.start()
    assert gate.started.wait(10)
    assert stop_all_jobs(timeout_s=10)
    assert gate.closed and job.cancel_requested
    qtbot.waitUntil(lambda: job not in jobs._running, timeout=5000)


def qtbot_widget(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget
