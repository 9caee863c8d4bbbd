"""Undo and redo over answers, agreed grades and notes, per case, with the case status."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from casereader.store import Store, answers, cases
from casereader.ui.main_window import MainWindow
from tests.ui.conftest import DEMO_PASSPHRASE

pytestmark = pytest.mark.usefixtures("modal_guard")


@pytest.fixture
def window(qtbot, store_copy_path):
    w = MainWindow(Store.open(store_copy_path, DEMO_PASSPHRASE), remember_layout=False)
    qtbot.addWidget(w)
    w.resize(1440, 900)
    w.show()
    qtbot.waitUntil(lambda: w._workspace is not None and w.workspace.case_ref is not None)
    yield w
    w.close()


def stored(store, case, key, field="value"):
    answer = answers.answers_for(store, case).get(key)
    return getattr(answer, field) if answer else None


def test_a_stray_grade_key_is_undone_and_the_completed_case_completed_again(qtbot, window):
    store, panel = window.store, window.workspace.template
    case = window.workspace.case_ref
    grade = panel.card("assessment.grade").editor.grade
    before = stored(store, case, "assessment.grade")
    cases.set_reader_status(store, case, "complete")
    panel.set_case(store, case)
    grade.setFocus()
    qtbot.keyClick(grade, Qt.Key.Key_2 if before != "2" else Qt.Key.Key_5)
    stray = stored(store, case, "assessment.grade")
    assert stray != before
    assert cases.reader_status(store, case) == "in_progress"  # the change reopened the case

    undo = window.undo_group.createUndoAction(window)
    assert undo.isEnabled()
    assert undo.text().startswith("Undo answer to “")
    assert f"({stray})" in undo.text()
    window.undo_group.undo()
    assert stored(store, case, "assessment.grade") == before
    assert cases.reader_status(store, case) == "complete"
    assert grade.buttons[before].isChecked() if before else True

    window.undo_group.redo()
    assert stored(store, case, "assessment.grade") == stray
    assert cases.reader_status(store, case) == "in_progress"


def test_ctrl_z_from_the_window_undoes_and_each_case_has_its_own_stack(qtbot, window):
    store, panel = window.store, window.workspace.template
    first = window.workspace.case_ref
    grade = panel.card("assessment.grade").editor.grade
    qtbot.keyClick(grade, Qt.Key.Key_N)
    assert stored(store, first, "assessment.grade") == "na"
    assert window.undo_group.canUndo()
    second = next(r.case_ref for r in cases.overview(store) if r.case_ref != first)
    window.open_case(second)
    assert not window.undo_group.canUndo()  # the other case's steps are not undone here
    window.open_case(first)
    assert window.undo_group.canUndo()
    grade.setFocus()
    action = next(a for a in window.actions() if a.text().startswith("&Undo"))
    assert action.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    action.trigger()
    assert stored(store, first, "assessment.grade") != "na"


def test_agreed_grade_and_note_are_undone_a_note_in_one_step(qtbot, window):
    store, panel = window.store, window.workspace.template
    case = window.workspace.case_ref
    card = panel.card("assessment.grade")
    old_note = stored(store, case, "assessment.grade", "note") or ""
    card.note.show()
    card.note.edit.setPlainText(old_note + " first")
    card.note.edit.flush()
    card.note.edit.setPlainText(old_note + " first second")
    card.note.edit.flush()
    assert stored(store, case, "assessment.grade", "note") == old_note + " first second"
    assert window.undo_group.undoText().startswith("note on “")
    window.undo_group.undo()  # both saves of the note are one step
    assert (stored(store, case, "assessment.grade", "note") or "") == old_note
    assert card.note.edit.toPlainText() == old_note
    assert "Undone: note on" in panel.message.text()

    card.editor.agreed_chosen.emit("3")
    assert stored(store, case, "assessment.grade", "agreed_value") == "3"
    assert window.undo_group.undoText().startswith("agreed grade of")
    window.undo_group.undo()
    assert stored(store, case, "assessment.grade", "agreed_value") != "3"
