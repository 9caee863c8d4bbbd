"""Nothing typed is lost: review drafts kept while typed, on Escape (after asking), by the idle
lock (which then says truthfully what it kept) and restored; notes saved before the lock."""

import pytest
from PySide6.QtCore import Qt, QTimer

from casereader.store import Store, drafts, flags
from casereader.ui import drafts as drafts_ui
from casereader.ui.drafts import BACK, DISCARD, KEEP, DraftQuestion
from casereader.ui.grading import review
from casereader.ui.grading.review_dialogs import AdvanceReviewDialog, RaiseReviewDialog
from casereader.ui.main_window import MainWindow
from tests.ui.conftest import DEMO_PASSPHRASE

# These tests open the real review dialogs (modal) and close them from timers, so the guard that
# fails a test for any modal dialog is not used here.

TYPED = "The chronology stops in March although the police report a second incident (p. 4)."


@pytest.fixture
def window(qtbot, store_copy_path):
    w = MainWindow(Store.open(store_copy_path, DEMO_PASSPHRASE), remember_layout=False)
    qtbot.addWidget(w)
    w.resize(1440, 900)
    w.show()
    qtbot.waitUntil(lambda: w._workspace is not None and w.workspace.case_ref is not None)
    yield w
    w.close()


def answer_question(monkeypatch, choice):
    asked = []

    def ask(parent, what):
        asked.append(what)
        return choice

    monkeypatch.setattr(DraftQuestion, "ask", ask)
    return asked


@pytest.mark.parametrize("choice", [KEEP, DISCARD])
def test_escape_with_typed_text_asks_then_keeps_or_discards(qtbot, monkeypatch, choice):
    kept = []
    asked = answer_question(monkeypatch, choice)
    dialog = RaiseReviewDialog(None, "SA-001", keep=kept.append)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.description.setPlainText(TYPED)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == ["a description of the concern"]
    assert not dialog.isVisible()
    assert kept[-1] == ({"category": "", "description": TYPED} if choice == KEEP else {})


def test_escape_then_go_back_keeps_the_dialog_open(qtbot, monkeypatch):
    answer_question(monkeypatch, BACK)
    dialog = RaiseReviewDialog(None, "SA-001", keep=lambda body: None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.description.setPlainText(TYPED)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.description.toPlainText() == TYPED


def test_escape_with_nothing_typed_closes_without_asking(qtbot, monkeypatch):
    asked = answer_question(monkeypatch, KEEP)
    dialog = RaiseReviewDialog(None, "SA-001", keep=lambda body: None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == [] and not dialog.isVisible()


def test_a_draft_is_kept_while_typing_and_restored_next_time(qtbot, writable_store, monkeypatch):
    case = "SA-001"
    answer_question(monkeypatch, KEEP)
    seen = {}

    def type_then_escape():
        dialog = next(d for d in drafts_ui._open if isinstance(d, RaiseReviewDialog))
        seen.setdefault("first", dialog.description.toPlainText())
        dialog.description.setPlainText(TYPED)
        qtbot.waitUntil(lambda: drafts.get_draft(writable_store, case, "review") is not None)
        dialog.reject()

    QTimer.singleShot(100, type_then_escape)
    assert review.raise_review(None, writable_store, case) is None
    assert seen["first"] == ""
    assert drafts.get_draft(writable_store, case, "review")["description"] == TYPED

    def raise_it():
        dialog = next(d for d in drafts_ui._open if isinstance(d, RaiseReviewDialog))
        seen["second"] = dialog.description.toPlainText()
        dialog.category.buttons()[1].setChecked(True)
        dialog.ok.click()

    QTimer.singleShot(100, raise_it)
    flag = review.raise_review(None, writable_store, case)
    assert seen["second"] == TYPED
    assert flag is not None and flag.description == TYPED
    assert drafts.get_draft(writable_store, case, "review") is None  # raised: no draft left


def test_the_lock_keeps_an_open_review_and_reopens_it(qtbot, window, monkeypatch):
    workspace, lock = window.workspace, window.idle_lock
    case = workspace.case_ref
    reopened = []

    def type_then_lock():
        dialog = next(d for d in drafts_ui._open if isinstance(d, RaiseReviewDialog))
        if reopened or dialog.description.toPlainText():
            reopened.append(dialog.description.toPlainText())
            dialog.done(0)
            return
        qtbot.keyClicks(dialog.description, "Concern typed just before the lock")
        lock.lock()

    QTimer.singleShot(100, type_then_lock)
    workspace.management_review()
    assert lock.is_locked
    assert "Nothing was lost" in lock.screen.detail.text()
    assert "kept as a draft" in lock.screen.detail.text()
    QTimer.singleShot(300, type_then_lock)
    assert lock.try_unlock(DEMO_PASSPHRASE)
    assert drafts.get_draft(window.store, case, "review")["description"] == (
        "Concern typed just before the lock"
    )
    qtbot.waitUntil(lambda: reopened == ["Concern typed just before the lock"], timeout=5000)


def test_the_lock_saves_a_note_still_being_typed(qtbot, window):
    template = window.workspace.template
    key = template._template.stages[0].items[0].key
    card = template.card(key)
    card.note.show()
    card.note.edit.setPlainText("Typed a moment before the lock")
    assert card.note.edit.is_pending()
    window.idle_lock.lock()
    assert "Nothing was lost" in window.idle_lock.screen.detail.text()
    assert window.idle_lock.try_unlock(DEMO_PASSPHRASE)  # the lock closed the store
    saved = window.store.db.execute(
        "SELECT note FROM answers WHERE case_ref = ? AND item_key = ?",
        [window.workspace.case_ref, key],
    ).fetchone()
    assert saved[0] == "Typed a moment before the lock"


def test_a_note_that_could_not_be_saved_is_kept_as_a_draft_and_said(qtbot, window, monkeypatch):
    template = window.workspace.template
    key = template._template.stages[0].items[0].key
    card = template.card(key)

    def refuse(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("casereader.store.answers.save_answer", refuse)
    card.note.show()
    card.note.edit.setPlainText("Typed while the disk was full")
    window.idle_lock.lock()
    detail = window.idle_lock.screen.detail.text()
    assert "Nothing was lost" not in detail and "kept as a draft" in detail
    monkeypatch.undo()
    assert window.idle_lock.try_unlock(DEMO_PASSPHRASE)
    case = window.workspace.case_ref
    assert drafts.get_draft(window.store, case, "note", key) == {
        "note": "Typed while the disk was full"
    }
    # the case opened again shows the draft in the note and saves it
    template.set_case(window.store, case)
    assert template.card(key).note.edit.toPlainText() == "Typed while the disk was full"
    template.flush()
    assert drafts.get_draft(window.store, case, "note", key) is None


def test_advance_step_note_is_kept_on_escape(qtbot, writable_store, monkeypatch):
    answer_question(monkeypatch, KEEP)
    flag = flags.raise_flag(writable_store, "SA-002", "other", "Unclear who holds rights.")

    def type_then_escape():
        dialog = next(d for d in drafts_ui._open if isinstance(d, AdvanceReviewDialog))
        dialog.note.setPlainText("Phoned the duty manager, waiting")
        dialog.reject()

    QTimer.singleShot(100, type_then_escape)
    assert review.advance_review(None, writable_store, flag) is None
    kept = drafts.get_draft(writable_store, "SA-002", "review_step", flag.flag_id)
    assert kept["note"] == "Phoned the duty manager, waiting"
