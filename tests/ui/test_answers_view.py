"""View → Answers of the case (Ctrl+Shift+A): every stage's items, values and notes in one
read-only page, the printed summary's content; and read/unread marks on the case's documents."""

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QTextBrowser

from casereader.reports.summary_html import evidence_href
from casereader.store import answers, documents, places
from casereader.ui.answers_view import AnswersView
from casereader.ui.documents.models import DocumentIdRole, ReadRole, read_count_text
from casereader.ui.documents.pane import DocumentsPane
from casereader.ui.main_window import MainWindow
from casereader.ui.style import dark_palette
from tests.ui.conftest import DEMO_PASSPHRASE
from tests.ui.test_place import open_window  # a 1440×900 window with its first case open

pytestmark = pytest.mark.usefixtures("modal_guard")


def answers_view(qtbot, w: MainWindow) -> AnswersView:
    w.activateWindow()
    qtbot.waitActive(w)
    qtbot.keyClick(w, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    view = w.findChild(AnswersView)
    assert view is not None and view.isVisible(), "Ctrl+Shift+A opens the answers view"
    return view


def test_ctrl_shift_a_shows_every_stage_item_value_and_note_of_the_case(qtbot, store_copy_path):
    w = open_window(qtbot, store_copy_path)
    store, case_ref = w.store, w.workspace.case_ref
    grade_key = next(item.key for _, item in store.template.items() if item.kind == "grade")
    doc = next(
        d for d in documents.timeline(store, case_ref)
        if d.doc_type == "pdf" and (d.page_count or 0) >= 2
    )  # fmt: skip
    answers.save_answer(store, case_ref, grade_key, value="4", note="Seen in the plan.")
    answers.add_evidence_link(store, case_ref, grade_key, doc.sha256, 2, doc.title)
    view = answers_view(qtbot, w)
    assert view.windowTitle() == f"Answers — {case_ref}"
    assert view.findChild(QTextBrowser).isReadOnly()
    text = view.text()
    for stage in store.template.stages:
        assert stage.title in text, stage.title
        for item in stage.items:
            assert item.label in text, item.label
    assert "4 – Good" in text and "Seen in the plan." in text
    assert f"Evidence: {doc.title} ({doc.agency}, " in text and "page 2" in text
    assert "Completeness" in text and "Management reviews" in text
    # the citation is a link to its page, as in the template panel
    href = evidence_href(doc.sha256, 2)
    assert href in view.page.toHtml()
    view.page.anchorClicked.emit(QUrl(href))
    qtbot.waitUntil(lambda: w.workspace.viewer.current_document() is not None)
    assert w.workspace.viewer.current_document().id == doc.id
    assert w.workspace.viewer.current_page() == 2
    view.page.anchorClicked.emit(QUrl("https://example.org/"))  # no other link does anything
    assert w.workspace.viewer.current_document().id == doc.id


def test_the_view_follows_the_answers_and_the_case(qtbot, store_copy_path):
    w = open_window(qtbot, store_copy_path)
    first = "SA-003"  # partly answered
    w.open_case(first)
    view = answers_view(qtbot, w)
    weak = view.text().count("2 – Weak")
    card = next(
        w.workspace.template.card(item.key)
        for _, item in w.store.template.items()
        if item.kind == "grade" and not answers.answers_for(w.store, first, "R1").get(item.key)
    )
    w.workspace.template.set_stage(
        next(n for n, s in enumerate(w.store.template.stages) if card.item in s.items)
    )
    card.editor.grade.choose("2")  # the reader grades in the template panel
    qtbot.waitUntil(lambda: view.text().count("2 – Weak") == weak + 1)
    other = next(ref for ref in ("SA-001", "SA-002", "SA-003") if ref != first)
    w.open_case(other)
    qtbot.waitUntil(lambda: view.windowTitle() == f"Answers — {other}")
    assert f"Answers — {other}" in view.text()


def test_the_lock_empties_the_view_and_the_passphrase_fills_it_again(qtbot, store_copy_path):
    w = open_window(qtbot, store_copy_path)
    view = answers_view(qtbot, w)
    case_ref = w.workspace.case_ref
    w.idle_lock.lock()
    assert view.text() == "The store is locked." and case_ref not in view.page.toPlainText()
    assert w.idle_lock.try_unlock(DEMO_PASSPHRASE)
    qtbot.waitUntil(lambda: view.windowTitle() == f"Answers — {case_ref}")


def test_the_view_reads_in_a_dark_palette(qtbot, store_copy_path):
    w = open_window(qtbot, store_copy_path)
    view = answers_view(qtbot, w)
    view.setPalette(dark_palette())
    view.refresh()
    page = view.page.toHtml()
    text = dark_palette().color(dark_palette().ColorRole.Text).name()
    assert text.lower() in page.lower()


# read and unread documents ---------------------------------------------------------------


def doc_rows(pane: DocumentsPane) -> list:
    model = pane.tree_model
    return [
        model.index(c, 0, model.index(r, 0))
        for r in range(model.rowCount())
        for c in range(model.item(r, 0).rowCount())
    ]


def test_read_count_is_plural_correct():
    assert read_count_text(12, 18) == "12 of 18 documents read"
    assert read_count_text(1, 1) == "1 of 1 document read"
    assert read_count_text(0, 1) == "0 of 1 document read"
    assert read_count_text(0, 0) == "No documents"


def test_unread_documents_are_bold_until_opened_and_the_mark_is_kept(qtbot, writable_store):
    store = writable_store
    pane = DocumentsPane()
    qtbot.addWidget(pane)
    pane.set_case(store, "SA-001")
    rows = doc_rows(pane)
    total = len(rows)
    assert pane.summary_text() == f"0 of {total} documents read"
    assert all(row.data(Qt.ItemDataRole.FontRole).bold() for row in rows)
    assert "not opened yet" in rows[0].data(Qt.ItemDataRole.AccessibleTextRole)
    opened = rows[0].data(DocumentIdRole)
    pane.note_opened(opened)
    assert pane.summary_text() == f"1 of {total} documents read"
    assert rows[0].data(Qt.ItemDataRole.FontRole) is None and rows[0].data(ReadRole)
    timeline = pane.timeline_model.index(pane.timeline_model.row_of(opened), 0)
    assert timeline.data(Qt.ItemDataRole.FontRole) is None and timeline.data(ReadRole)
    assert all(r.data(Qt.ItemDataRole.FontRole).bold() for r in rows[1:])
    pane.note_opened(opened)  # twice is once
    assert pane.summary_text() == f"1 of {total} documents read"
    assert places.read_documents(store, "SA-001") == {opened}
    again = DocumentsPane()
    qtbot.addWidget(again)
    again.set_case(store, "SA-001")
    assert again.read_documents() == {opened}
    pane.note_opened(-5)  # not a document of the case: nothing happens
    assert pane.summary_text() == f"1 of {total} documents read"


def test_a_document_on_screen_in_the_viewer_is_marked_read(qtbot, store_copy_path):
    w = open_window(qtbot, store_copy_path)
    pane = w.workspace.documents
    before = set(pane.read_documents())
    doc = next(d for d in w.workspace.documents_of_case() if d.id not in before)
    w.workspace.show_document(doc.id, 1)
    qtbot.waitUntil(lambda: doc.id in pane.read_documents())
    total = len(w.workspace.documents_of_case())
    assert pane.summary_text() == read_count_text(len(before) + 1, total)
    assert doc.id in places.read_documents(w.store, w.workspace.case_ref)


def test_unread_rows_draw_bold_titles_in_light_and_dark(qtbot, writable_store):
    pane = DocumentsPane()
    qtbot.addWidget(pane)
    pane.resize(260, 500)
    pane.set_case(writable_store, "SA-001")
    pane.show()
    for palette in (pane.palette(), dark_palette()):
        pane.setPalette(palette)
        assert not pane.grab().isNull()
