"""Keyboard focus: Ctrl+3 puts the keyboard on the page, no invisible Tab stop before Guidance,
Tab from a stage's last note goes on to the next stage's first item."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from casereader.store import Store
from casereader.ui.main_window import MainWindow
from tests.ui.conftest import DEMO_PASSPHRASE

pytestmark = pytest.mark.usefixtures("modal_guard")


@pytest.fixture
def window(qtbot, store_copy_path):
    w = MainWindow(Store.open(store_copy_path, DEMO_PASSPHRASE), remember_layout=False)
    qtbot.addWidget(w)
    w.resize(1440, 900)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(lambda: w._workspace is not None and w.workspace.case_ref is not None)
    yield w
    w.close()


def test_the_viewer_key_gives_the_page_the_keyboard(qtbot, window):
    workspace = window.workspace
    doc = next(d for d in workspace.documents_of_case() if (d.page_count or 0) >= 2
               and d.doc_type == "pdf")  # fmt: skip
    workspace.show_document(doc.id, 1)
    window.case_list.focus_list()
    by_text = {a.text(): a for a in window.actions()}
    by_text["&Viewer"].trigger()
    page_area = workspace.viewer._pdf.view
    assert QApplication.focusWidget() is page_area
    qtbot.keyClick(page_area, Qt.Key.Key_End)
    qtbot.waitUntil(lambda: workspace.viewer.current_page() == doc.page_count)


def test_tab_lands_on_guidance_first_and_goes_on_to_the_next_stage(qtbot, window):
    panel = window.workspace.template
    panel.set_stage(1)
    page = panel._pages[1]
    assert page.focusPolicy() == Qt.FocusPolicy.NoFocus
    panel.stage_combo.setFocus() if panel.narrow() else panel.navigator.setFocus()
    panel.focusNextChild()
    assert QApplication.focusWidget() is page.guidance_button

    stage = panel.current_stage()
    last = panel.card(stage.items[-1].key)
    last.note.show()
    last.note.edit.setFocus()
    qtbot.keyClick(last.note.edit, Qt.Key.Key_Tab)
    assert panel.current_stage_index() == 2
    following = panel._template.stages[2].items[0]
    assert QApplication.focusWidget() is panel.card(following.key).editor.focus_target()
