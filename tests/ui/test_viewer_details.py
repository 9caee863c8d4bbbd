"""Details of the viewer: Word spacing, the page box with and without a document."""

import io

from docx import Document as WordDocument

from casereader.ui.documents.docx_view import DocxView


def test_runs_of_spaces_are_kept_and_long_lines_still_wrap(qtbot):
    word = WordDocument()
    word.add_paragraph("Agency: Police    Record: Concern report")
    word.add_paragraph("The child was seen at school. " * 30)
    data = io.BytesIO()
    word.save(data)
    view = DocxView()
    qtbot.addWidget(view)
    view.resize(400, 300)
    assert view.load(data.getvalue()) == ""
    assert "Police    Record" in view.toPlainText()
    assert view.document().size().width() <= 400  # wrapped to the view, no sideways scroll


def test_the_page_box_shows_a_dash_with_no_document_and_pages_with_one(qtbot):
    from reportlab.pdfgen.canvas import Canvas

    from casereader.ui.documents.viewer import DocumentViewer

    viewer = DocumentViewer()
    qtbot.addWidget(viewer)
    box = viewer._page_box
    assert box.text() == "Page –" and not box.isEnabled()
    pdf = io.BytesIO()
    canvas = Canvas(pdf)
    for n in range(3):
        canvas.drawString(72, 720, f"Page {n + 1} of a chronology")
        canvas.showPage()
    canvas.save()
    viewer._stack.setCurrentWidget(viewer._pdf)
    viewer._release_views(keep=viewer._pdf)
    assert viewer._pdf.load(pdf.getvalue(), 1) == ""
    viewer._update_controls()
    assert box.text() == "Page 1 of 3" and box.isEnabled()
    viewer.clear()
    assert box.text() == "Page –"


def test_a_new_case_has_its_first_document_current_but_not_highlighted(qtbot, store):
    from PySide6.QtCore import Qt

    from casereader.ui.documents.models import DocumentIdRole
    from casereader.ui.documents.pane import DocumentsPane

    pane = DocumentsPane()
    qtbot.addWidget(pane)
    pane.show()
    pane.set_case(store, "SA-001")
    for view in (pane.tree, pane.timeline):
        assert view.currentIndex().data(DocumentIdRole) is not None  # where the keys start
        assert not view.selectionModel().hasSelection()  # nothing looks open
    chosen = []
    pane.document_chosen.connect(lambda doc_id, page: chosen.append(doc_id))
    pane.tree.setFocus()
    qtbot.keyClick(pane.tree, Qt.Key.Key_Return)
    assert chosen == [pane.tree.currentIndex().data(DocumentIdRole)]
