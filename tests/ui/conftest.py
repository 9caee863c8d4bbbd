"""Fixtures shared by the UI tests: one small demo store per session, opened per test."""

import shutil

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from casereader.store import Store

DEMO_PASSPHRASE = "test-passphrase"


@pytest.fixture(scope="session")
def demo_passphrase() -> str:
    """The passphrase of the session's demo store."""
    return DEMO_PASSPHRASE


@pytest.fixture(scope="session")
def demo_store_path(tmp_path_factory):
    """A fictional 3-case reader store (R1), built once per session. Do not write to it."""
    from casereader.demo.store import build_demo

    return build_demo(tmp_path_factory.mktemp("demo"), 3, 7, DEMO_PASSPHRASE)


@pytest.fixture(scope="session")
def demo_files_dir(demo_store_path):
    """The demo's generated files: sample.csv, documents/<case_ref>/<agency>/, names.txt."""
    return demo_store_path.parent / "files"


@pytest.fixture
def store(demo_store_path):
    """The session's demo store, opened for one test (reading only; opening documents is ok)."""
    opened = Store.open(demo_store_path, DEMO_PASSPHRASE)
    yield opened
    opened.close()


@pytest.fixture
def store_copy_path(demo_store_path, tmp_path):
    """A private copy of the demo store that a test may write to."""
    target = tmp_path / "copy.casereader"
    shutil.copy2(demo_store_path, target)
    wal = demo_store_path.with_name(demo_store_path.name + "-wal")
    if wal.exists():
        shutil.copy2(wal, target.with_name(target.name + "-wal"))
    return target


@pytest.fixture
def writable_store(store_copy_path):
    """A private copy of the demo store, opened for one test that writes."""
    opened = Store.open(store_copy_path, DEMO_PASSPHRASE)
    yield opened
    opened.close()


@pytest.fixture
def modal_guard(qapp):
    """Closes any modal dialog a test opens by mistake (instead of hanging) and fails the test.

    A test that expects a dialog replaces it (monkeypatch its ``ask`` or the QMessageBox call).
    """
    seen: list[str] = []

    def close_modal() -> None:
        popup = QApplication.activePopupWidget()  # a menu's exec() blocks as well
        if popup is not None:
            seen.append(f"popup {type(popup).__name__}")
            popup.close()
        modal = QApplication.activeModalWidget()
        # A job's progress dialog is modal but never blocks a test: leave it alone.
        if modal is not None and not isinstance(modal, QProgressDialog):
            seen.append(f"{modal.windowTitle()}: {getattr(modal, 'text', lambda: '')()}")
            modal.close()

    timer = QTimer()
    timer.timeout.connect(close_modal)
    timer.start(200)
    yield seen
    timer.stop()
    assert not seen, f"a modal dialog was opened: {seen}"


@pytest.fixture(autouse=True)
def send_now_offers(monkeypatch):
    """After a management review is raised or moves a step the window offers Send now (a
    modal question). Tests answer "Later" unless they replace the offer themselves; the list
    holds the reviews each offer named."""
    from casereader.ui.bundles.send_now import SendNowOffer

    offered: list[list] = []

    def later(_parent, reviews) -> bool:
        offered.append(list(reviews))
        return False

    monkeypatch.setattr(SendNowOffer, "ask", classmethod(lambda cls, *a: later(*a)))
    return offered
