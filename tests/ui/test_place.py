"""The reader's place: each case reopens at its document and page, the app reopens at the last
case, document and page, and Alt+Left / Alt+Right go back and forward through places."""

import pytest
from PySide6.QtCore import Qt

from casereader.store import Store, documents, places
from casereader.ui.documents.places import Place, PlaceHistory
from casereader.ui.main_window import MainWindow
from tests.ui.conftest import DEMO_PASSPHRASE

pytestmark = pytest.mark.usefixtures("modal_guard")


def open_window(qtbot, path):
    w = MainWindow(Store.open(path, DEMO_PASSPHRASE), remember_layout=False)
    qtbot.addWidget(w)
    w.resize(1440, 900)
    w.show()
    qtbot.waitUntil(lambda: w._workspace is not None and w.workspace.case_ref is not None)
    return w


def multi_page_pdf(store, case_ref):
    return next(
        d for d in documents.timeline(store, case_ref)
        if d.doc_type == "pdf" and (d.page_count or 0) >= 2
    )  # fmt: skip


def test_history_turns_pages_in_place_and_forgets_forward_on_a_new_visit():
    h = PlaceHistory()
    h.visit(Place("A", None))
    h.visit(Place("A", 1, 1))
    assert h.current() == Place("A", 1, 1) and not h.can_go_back()  # the case became its doc
    h.visit(Place("A", 1, 3))
    h.visit(Place("A", 2, 1))
    h.visit(Place("B", None))
    assert h.back() == Place("A", 2, 1)
    assert h.back() == Place("A", 1, 3)
    assert h.forward() == Place("A", 2, 1)
    h.visit(Place("A", 5, 2))
    assert not h.can_go_forward()


def test_a_case_reopens_at_its_document_and_page_and_the_app_at_the_last_case(
    qtbot, store_copy_path
):
    w = open_window(qtbot, store_copy_path)
    first = w.workspace.case_ref
    doc = multi_page_pdf(w.store, first)
    w.workspace.show_document(doc.id, 2)
    assert w.workspace.viewer.current_page() == 2
    other = next(d for d in ("SA-001", "SA-002", "SA-003") if d != first)
    w.open_case(other)
    assert w.workspace.viewer.current_document() is None or (
        w.workspace.viewer.current_document().case_ref == other
    )
    w.open_case(first)
    qtbot.waitUntil(lambda: w.workspace.viewer.current_document() is not None)
    assert w.workspace.viewer.current_document().id == doc.id
    assert w.workspace.viewer.current_page() == 2
    w.close()

    again = open_window(qtbot, store_copy_path)
    assert again.workspace.case_ref == first
    assert again.case_list.current_case() == first
    qtbot.waitUntil(lambda: again.workspace.viewer.current_document() is not None)
    assert again.workspace.viewer.current_document().id == doc.id
    assert again.workspace.viewer.current_page() == 2
    assert places.read_documents(again.store, first) >= {doc.id}
    again.close()


def test_alt_left_and_alt_right_go_back_and_forward_across_cases(qtbot, store_copy_path):
    w = open_window(qtbot, store_copy_path)
    workspace = w.workspace
    first = workspace.case_ref
    doc = multi_page_pdf(w.store, first)
    workspace.show_document(doc.id, 2)
    other = next(d for d in ("SA-001", "SA-002", "SA-003") if d != first)
    second_doc = documents.timeline(w.store, other)[0]
    # a search hit in another case opens it there
    workspace.other_case_hit.emit(other, second_doc.id, 1, "")
    assert workspace.case_ref == other
    assert workspace.viewer.current_document().id == second_doc.id

    w.activateWindow()
    qtbot.keyClick(w, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert workspace.case_ref == first and w.case_list.current_case() == first
    assert workspace.viewer.current_document().id == doc.id
    assert workspace.viewer.current_page() == 2
    qtbot.keyClick(w, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert workspace.case_ref == other
    assert workspace.viewer.current_document().id == second_doc.id
    w.close()
