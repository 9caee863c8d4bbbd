"""The viewer's header: what it says, the long-title ellipsis, and its fixed height."""

from casereader.store.models import Document
from casereader.ui.documents.header import DocumentHeader
from casereader.ui.plain import plain_tooltip


def document(title: str, pages: int | None = 3, doc_type: str = "pdf") -> Document:
    return Document(id=1, case_ref="SA-001", sha256="0" * 64, agency="Health",
                    doc_date="2024-03-15", date_source="file", title=title, doc_type=doc_type,
                    page_count=pages, size=1, source_path="x", imported_at="2024")  # fmt: skip


def test_header_names_the_document_and_then_no_document(qtbot):
    header = DocumentHeader()
    qtbot.addWidget(header)
    assert header.text() == "No document open"
    header.show_document(document("Health chronology"))
    assert header.text() == "Health chronology\nSA-001 · Health · 15 Mar 2024 · PDF · 3 pages"
    assert "Health chronology" in header.accessibleDescription()
    header.show_document(document("Note", pages=1, doc_type="txt"))
    assert header.text() == "Note\nSA-001 · Health · 15 Mar 2024 · Text · 1 page"
    header.show_document(document("Scan", pages=None, doc_type="png"))
    assert header.text() == "Scan\nSA-001 · Health · 15 Mar 2024 · PNG image"
    header.clear()
    assert header.text() == "No document open" and header.toolTip() == ""


def test_a_long_title_is_cut_short_on_screen_and_whole_in_the_tooltip(qtbot):
    header = DocumentHeader()
    qtbot.addWidget(header)
    header.resize(220, header.height())
    height = header.height()
    title = "Report to the Children's Reporter following the second core group meeting " * 3
    header.show_document(document(title))
    header.show()
    qtbot.waitExposed(header)
    assert header.toolTip() == plain_tooltip(title)
    assert header.height() == height  # opening a document never moves what is below
    image = header.grab().toImage()
    right_edge = [image.pixelColor(image.width() - 3, y) for y in range(image.height())]
    assert len({c.rgb() for c in right_edge}) == 1  # nothing drawn past the margin
