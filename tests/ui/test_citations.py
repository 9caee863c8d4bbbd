"""Citations identify the page: title, agency, date and page; a Word document's section and
paragraph; labels shortened at their end; Ctrl+Shift+C cites into a review's description."""

import pytest
from PySide6.QtCore import Qt

from casereader.store import documents
from casereader.store.models import Document
from casereader.ui.documents.citation import citation_label, day_label
from casereader.ui.documents.viewer import DocumentViewer
from casereader.ui.drafts import DISCARD, DraftQuestion
from casereader.ui.grading.notes import ElidedButton
from casereader.ui.grading.review_dialogs import RaiseReviewDialog

pytestmark = pytest.mark.usefixtures("modal_guard")


def doc(**change) -> Document:
    base = dict(
        id=1, case_ref="SA-001", sha256="0" * 64, agency="Police", doc_date="2024-03-05",
        date_source="name", title="Concern report", doc_type="pdf", page_count=4, size=10,
        source_path="x", imported_at="2026-01-01T00:00:00+00:00",
    )  # fmt: skip
    base.update(change)
    return Document(**base)


def test_a_citation_names_title_agency_date_and_page():
    assert citation_label(doc(), 3) == "Concern report, Police, 5 Mar 2024, p. 3"
    assert citation_label(doc(doc_date=None), 1) == "Concern report, Police, undated, p. 1"
    assert citation_label(doc(doc_type="docx", page_count=None), 1, "“Actions”, para. 2") == (
        "Concern report, Police, 5 Mar 2024, “Actions”, para. 2"
    )
    # two documents sharing a title are told apart
    assert citation_label(doc(), 1) != citation_label(doc(doc_date="2024-04-01"), 1)
    assert day_label("2024-03") == "Mar 2024"


def test_a_word_document_cites_its_section_and_paragraph(qtbot, store):
    word = next(d for d in documents.list_documents(store) if d.doc_type == "docx")
    viewer = DocumentViewer()
    qtbot.addWidget(viewer)
    viewer.resize(700, 400)
    viewer.show()
    viewer.show_document(store, word.id, 1)
    where = viewer.location()
    assert "para." in where or where.startswith("“")
    assert "p. 1" not in viewer.citation()
    assert viewer.citation().startswith(f"{word.title}, {word.agency}, ")
    docx = viewer._docx
    docx.verticalScrollBar().setValue(docx.verticalScrollBar().maximum())
    assert viewer.location() != where or docx.verticalScrollBar().maximum() == 0
    with qtbot.waitSignal(viewer.cite_requested) as cited:
        viewer._cite.trigger()
    assert cited.args[2] == viewer.location()


def test_labels_are_shortened_at_their_end(qtbot):
    button = ElidedButton("[Concern report, Police, 5 Mar 2024, p. 3]")
    qtbot.addWidget(button)
    button.resize(120, 30)
    button.show()
    assert button.text().endswith("…") and button.text().startswith("[Concern")


def test_ctrl_shift_c_cites_into_the_review_description(qtbot, monkeypatch):
    monkeypatch.setattr(DraftQuestion, "ask", lambda parent, what: DISCARD)
    dialog = RaiseReviewDialog(
        None, "SA-001", cite=lambda: "Concern report, Police, 5 Mar 2024, p. 3"
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.description.setFocus()
    qtbot.keyClicks(dialog.description, "See ")
    both = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(dialog.description, Qt.Key.Key_C, both)
    assert dialog.description.toPlainText() == "See [Concern report, Police, 5 Mar 2024, p. 3]"
    dialog.cite_button.click()
    assert dialog.description.toPlainText().count("[Concern report") == 2
    dialog.done(0)
