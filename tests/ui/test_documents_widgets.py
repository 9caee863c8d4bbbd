"""The documents pane, the document viewer and the search panel on a small fictional store."""

import io
import os
import random
import shutil
import tempfile
from pathlib import Path

import pytest
from docx import Document as WordDocument
from PySide6.QtCore import QBuffer, QByteArray, Qt, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPlainTextEdit,
    QStyleOptionViewItem,
    QTextBrowser,
    QWidget,
)
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from casereader.demo.images import jpeg_bytes, png_bytes, scanned_page, tiff_bytes
from casereader.domain.template import find_template
from casereader.errors import StoreError
from casereader.ingest.extract import extract
from casereader.store import Store
from casereader.store import documents as store_documents
from casereader.store.cases import CaseIn, upsert_cases
from casereader.store.documents import DocumentIn, add_document
from casereader.ui.documents import (
    DocumentsPane,
    DocumentViewer,
    SearchPanel,
    page_images,
    page_view,
)
from casereader.ui.documents.docx_view import DocxView
from casereader.ui.documents.image_view import ImageView
from casereader.ui.documents.models import DetailRole, DocumentIdRole
from casereader.ui.documents.page_view import Fit
from casereader.ui.documents.pdf_view import PdfPageView

PASSPHRASE = "fictional-test-passphrase"
MARKER = "Quillfeatherby"  # a word found in the fictional documents and nowhere else
RENDER_WAIT_MS = 250  # pages left white by one paint are rendered by the next


def _pdf(title: str, pages: list[str]) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    for n, text in enumerate(pages, 1):
        canvas.setFont("Helvetica-Bold", 16)
        canvas.drawString(60, 780, f"{title} (page {n})")
        canvas.setFont("Helvetica", 11)
        for line, words in enumerate(text.split("\n")):
            canvas.drawString(60, 740 - 16 * line, words)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _docx() -> bytes:
    word = WordDocument()
    word.add_heading("Housing support note", level=1)
    word.add_paragraph(f"The housing officer {MARKER} visited the family at home.")
    word.add_heading("Actions", level=2)
    table = word.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Action", "By when"
    table.cell(1, 0).text, table.cell(1, 1).text = "Repair the heating", "March 2025"
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _add(store, case_ref, agency, doc_date, title, doc_type, content, pages=None):
    if pages is None:
        extracted = extract(content, doc_type)
        sha, pages, page_count = extracted.sha256, extracted.pages, extracted.page_count
    else:  # a damaged file, as an older import might have stored it
        sha, page_count = f"{len(content):064x}", None
    return add_document(
        store,
        DocumentIn(
            case_ref=case_ref,
            sha256=sha,
            agency=agency,
            doc_date=doc_date,
            date_source="name" if doc_date else None,
            title=title,
            doc_type=doc_type,
            page_count=page_count,
            source_path=f"{case_ref}/{agency}/{title}.{doc_type}",
            content=content,
            pages=pages,
        ),
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A reader store of two fictional cases with one document of every kind; ids by name."""
    path = tmp_path_factory.mktemp("documents") / "documents.casereader"
    scan = scanned_page(random.Random(3), 320, 448)
    ids = {}
    with Store.create(
        path, PASSPHRASE, find_template("cso-at-home-2025"), "Test", "reader", "R1"
    ) as s:
        upsert_cases(s, [CaseIn("SA-001", "core", True), CaseIn("SA-002", "core", False)])
        ids["chronology"] = _add(s, "SA-001", "Health", "2024-03-15", "Health chronology", "pdf",
            _pdf("Health chronology", [
                "The child's plan was agreed at the core group.",
                "Attendance improved this term.",
                f"The plan was reviewed. {MARKER} attended.\nThe plan will be reviewed again.",
                "No further concerns were recorded.",
            ]))  # fmt: skip
        ids["minute"] = _add(s, "SA-001", "Social work", "2023-07-24", "Core group minute", "pdf",
            _pdf("Core group minute", ["The core group met.", "Actions were agreed."]))  # fmt: skip
        ids["undated"] = _add(s, "SA-001", "Health", None, "Paediatric assessment", "pdf",
            _pdf("Paediatric assessment", ["Growth is on track."]))  # fmt: skip
        ids["txt"] = _add(s, "SA-001", "Education", "2024-01-10", "Attendance note", "txt",
            f"Attendance note\n\nThe pastoral teacher {MARKER} met the child.\n"
            "The plan for attendance was shared.\n".encode())  # fmt: skip
        ids["docx"] = _add(s, "SA-001", "Other", "2024-11-29", "Housing support note", "docx",
                           _docx())  # fmt: skip
        ids["png"] = _add(s, "SA-001", "Police", "2024-04-27", "Concern report (scan)", "png",
                          png_bytes(scan))  # fmt: skip
        ids["jpeg"] = _add(s, "SA-001", "Police", "2024-05-02", "IRD record (scan)", "jpeg",
                           jpeg_bytes(scan))  # fmt: skip
        ids["tiff"] = _add(s, "SA-001", "Education", "2024-06-30", "Support plan (scan)", "tiff",
                           tiff_bytes(scan))  # fmt: skip
        ids["broken"] = _add(s, "SA-001", "Other", "2022-01-01", "Damaged letter", "pdf",
                             b"%PDF-1.4 this is not really a PDF", pages=[])  # fmt: skip
        ids["other_case"] = _add(s, "SA-002", "Social work", "2024-02-02", "Child's plan", "pdf",
            _pdf("Child's plan", [f"The plan for SA-002. {MARKER} is the lead."]))  # fmt: skip
        s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path, ids


@pytest.fixture(scope="module")
def module_store(built, tmp_path_factory):
    """A copy of the module's store, opened once: opening costs the passphrase's key stretching."""
    copy = tmp_path_factory.mktemp("store") / "documents.casereader"
    shutil.copy2(built[0], copy)
    opened = Store.open(copy, PASSPHRASE)
    yield opened
    opened.close()


@pytest.fixture
def store(module_store):
    """The module's store; each test sees only the audit entries written during it."""
    row = module_store.db.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()
    module_store.audit_start = row[0]
    return module_store


@pytest.fixture
def ids(built):
    return built[1]


def opened_audit(store) -> list[tuple[str, str]]:
    """The 'document opened' entries this test wrote: (document hash, detail)."""
    return [
        (row["target"], row["detail"])
        for row in store.db.query(
            "SELECT target, detail FROM audit_log WHERE action = 'document.opened' AND id > ?"
            " ORDER BY id",
            [store.audit_start],
        )
    ]


def audit_settled(viewer: DocumentViewer) -> bool:
    """No 'document opened' entry is waiting to be written (nor its deadline running)."""
    return not viewer._pending_audits and not viewer._audit_deadline.isActive()


def make_viewer(qtbot, width=900, height=800) -> DocumentViewer:
    viewer = DocumentViewer()
    qtbot.addWidget(viewer)
    viewer.resize(width, height)
    with qtbot.waitActive(viewer):
        viewer.show()
    return viewer


# the documents pane -----------------------------------------------------------------------


def test_pane_shows_agencies_and_the_timeline(qtbot, store, ids):
    pane = DocumentsPane()
    qtbot.addWidget(pane)
    pane.set_case(store, "SA-001")
    tree = pane.tree_model
    agencies = [tree.item(r, 0).text() for r in range(tree.rowCount())]
    assert agencies == ["Social work (1)", "Health (2)", "Education (2)", "Police (2)", "Other (2)"]
    health = tree.item(1, 0)
    assert [health.child(r).text() for r in range(2)] == [
        "Health chronology",
        "Paediatric assessment",  # undated: last
    ]
    assert health.child(0).data(DetailRole) == "15 Mar 2024 · 4 pages"
    timeline = pane.timeline_model
    titles = [timeline.index(r).data() for r in range(timeline.rowCount())]
    assert titles[0] == "Damaged letter" and titles[-1] == "Paediatric assessment"
    assert timeline.index(timeline.rowCount() - 1).data(DetailRole) == "Undated · Health"
    assert "SA-002" not in {timeline.document_at(r).case_ref for r in range(len(titles))}
    assert pane.tabs.tabText(0) == "By agency" and pane.tabs.tabText(1) == "Timeline"
    assert pane.tree.isExpanded(tree.index(0, 0))
    assert pane.summary_text().endswith(" of 9 documents read")
    # Rows with a detail line are two lines high, and drawing them works.
    first_doc = tree.index(0, 0, tree.index(0, 0))
    assert pane.tree.sizeHintForIndex(first_doc).height() > 2 * pane.fontMetrics().height()
    pane.resize(230, 600)
    assert not pane.grab().isNull()
    pane.clear()
    assert tree.rowCount() == 0 and timeline.rowCount() == 0


def test_pane_enter_and_double_click_choose_a_document(qtbot, store, ids):
    pane = DocumentsPane()
    qtbot.addWidget(pane)
    pane.set_case(store, "SA-001")
    with qtbot.waitActive(pane):
        pane.show()
    chosen = []
    pane.document_chosen.connect(lambda *args: chosen.append(args))
    pane.tree.setFocus()
    # The first document is current after set_case; Down moves on to the next agency's row.
    qtbot.keyClick(pane.tree, "\r")
    assert chosen == [(ids["minute"], 1)]
    qtbot.keyClick(pane.tree, Qt.Key.Key_Down)
    qtbot.keyClick(pane.tree, Qt.Key.Key_Return)  # the Health agency row: nothing to open
    assert chosen == [(ids["minute"], 1)]
    qtbot.keyClick(pane.tree, Qt.Key.Key_Down)
    qtbot.keyClick(pane.tree, Qt.Key.Key_Enter)
    assert chosen[-1] == (ids["chronology"], 1)

    pane.tabs.setCurrentIndex(1)
    assert pane.focusProxy() is pane.timeline  # focusing the pane focuses the list on show
    qtbot.keyClick(pane.timeline, Qt.Key.Key_End)
    qtbot.keyClick(pane.timeline, Qt.Key.Key_Return)
    assert chosen[-1] == (ids["undated"], 1)
    index = pane.timeline_model.index(pane.timeline_model.row_of(ids["txt"]))
    pane.timeline.scrollTo(index)
    rect = pane.timeline.visualRect(index)
    # QTest's double-click needs the press of a first click before it.
    qtbot.mouseClick(pane.timeline.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(pane.timeline.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert chosen[-1] == (ids["txt"], 1)


def test_pane_selects_the_document_on_screen_without_choosing_it(qtbot, store, ids):
    pane = DocumentsPane()
    qtbot.addWidget(pane)
    pane.set_case(store, "SA-001")
    chosen = []
    pane.document_chosen.connect(lambda *args: chosen.append(args))
    pane.select_document(ids["tiff"])
    assert pane.tree.currentIndex().data(DocumentIdRole) == ids["tiff"]
    assert pane.timeline.currentIndex().data(DocumentIdRole) == ids["tiff"]
    pane.select_document(123456)  # not in this case: nothing changes, nothing fails
    assert pane.tree.currentIndex().data(DocumentIdRole) == ids["tiff"]
    assert chosen == []


# the viewer: PDF ----------------------------------------------------------------------------


def test_viewer_opens_a_pdf_at_a_page_and_audits_it(qtbot, store, ids):
    viewer = make_viewer(qtbot)
    viewer.show_document(store, ids["chronology"], page=3)
    document = viewer.current_document()
    assert document.title == "Health chronology"
    assert isinstance(viewer._stack.currentWidget(), PdfPageView)
    assert viewer.current_page() == 3
    header = viewer._header.text()
    for fact in ("Health chronology", "SA-001", "Health", "15 Mar 2024", "PDF", "4 pages"):
        assert fact in header
    qtbot.waitUntil(lambda: len(opened_audit(store)) == 1)
    assert opened_audit(store) == [(document.sha256, '{"page": 3, "title": "Health chronology"}')]
    assert viewer._page_box.value() == 3 and viewer._page_box.suffix() == " of 4"

    # The page is really drawn (dark text on the white page), not just laid out.
    qtbot.wait(RENDER_WAIT_MS)
    image = viewer._pdf.view.viewport().grab().toImage()
    dark = sum(
        1
        for x in range(0, image.width(), 4)
        for y in range(0, image.height(), 4)
        if image.pixelColor(x, y).lightness() < 80
    )
    assert dark > 50


def test_viewer_page_navigation_by_keys_and_page_box(qtbot, store, ids):
    viewer = make_viewer(qtbot)
    viewer.show_document(store, ids["chronology"])
    pdf = viewer._pdf.view
    pdf.setFocus()
    assert viewer.current_page() == 1
    qtbot.keyClick(pdf, Qt.Key.Key_PageDown)
    qtbot.keyClick(pdf, Qt.Key.Key_PageDown)
    assert viewer.current_page() == 3
    assert viewer._page_box.value() == 3
    qtbot.keyClick(pdf, Qt.Key.Key_PageUp)
    assert viewer.current_page() == 2
    qtbot.keyClick(pdf, Qt.Key.Key_End)
    assert viewer.current_page() == 4
    qtbot.keyClick(pdf, Qt.Key.Key_PageDown)  # past the end: stays on the last page
    assert viewer.current_page() == 4
    qtbot.keyClick(pdf, Qt.Key.Key_Home)
    assert viewer.current_page() == 1
    qtbot.keyClick(pdf, Qt.Key.Key_PageUp)
    assert viewer.current_page() == 1
    viewer._page_box.setValue(2)
    assert viewer.current_page() == 2
    viewer._page_box.setValue(99)  # clamped by the box itself
    assert viewer.current_page() == 4
    viewer._prev_page.trigger()
    assert viewer.current_page() == 3
    viewer._next_page.trigger()
    assert viewer.current_page() == 4


def test_viewer_zoom_and_fit(qtbot, store, ids):
    viewer = make_viewer(qtbot)
    viewer.show_document(store, ids["chronology"])
    pdf = viewer._pdf
    assert pdf.view.fit() == Fit.WIDTH
    fitted = pdf.effective_zoom()
    viewer._zoom_in.trigger()
    assert pdf.view.fit() == Fit.CUSTOM
    assert pdf.effective_zoom() == pytest.approx(fitted * 1.25)
    viewer._zoom_out.trigger()
    viewer._zoom_out.trigger()
    assert pdf.effective_zoom() == pytest.approx(fitted / 1.25)
    for _ in range(30):
        viewer._zoom_out.trigger()
    assert pdf.effective_zoom() == pytest.approx(0.25)  # the floor
    viewer._fit_page.trigger()
    assert pdf.view.fit() == Fit.PAGE
    assert pdf.effective_zoom() < fitted  # a whole A4 page in a landscape-ish viewer
    viewer._fit_width.trigger()
    assert pdf.effective_zoom() == pytest.approx(fitted)


def test_viewer_highlights_a_search_and_steps_through_hits(qtbot, store, ids):
    viewer = make_viewer(qtbot)
    # Opened from a search hit on page 3: the first hit on that page becomes current.
    viewer.show_document(store, ids["chronology"], page=3, highlight="plan*")
    assert viewer.find_text() == "plan"
    qtbot.waitUntil(lambda: viewer.hits_text() == "2 of 3")
    assert viewer.current_page() == 3
    qtbot.keyClick(viewer._pdf.view, Qt.Key.Key_F3)
    assert viewer.hits_text() == "3 of 3"
    qtbot.keyClick(viewer._pdf.view, Qt.Key.Key_F3)  # wraps round to the first
    assert viewer.hits_text() == "1 of 3"
    assert viewer.current_page() == 1
    qtbot.keyClick(viewer._pdf.view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert viewer.hits_text() == "3 of 3"
    assert viewer.current_page() == 3

    # Typing in the find box searches again; Enter and Shift+Enter move between hits.
    viewer._find_box.clear()
    qtbot.keyClicks(viewer._find_box, "attendance")
    qtbot.waitUntil(lambda: viewer.hits_text() == "1 of 1")
    assert viewer.current_page() == 2
    qtbot.keyClicks(viewer._find_box, "xyz")
    qtbot.waitUntil(lambda: viewer.hits_text() == "No hits")
    viewer._find_box.clear()
    qtbot.keyClicks(viewer._find_box, "agreed")
    qtbot.waitUntil(lambda: viewer.hits_text() == "1 of 1")
    qtbot.keyClick(viewer._find_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert viewer.hits_text() == "1 of 1"


def _tinted(image: QImage) -> int:
    """Pixels with a clear colour cast: search hits (the page is black text on white)."""
    count = 0
    for x in range(0, image.width(), 2):
        for y in range(0, image.height(), 2):
            colour = image.pixelColor(x, y)
            count += colour.hsvSaturation() > 40 and colour.value() > 60
    return count


def test_pdf_search_hits_are_drawn_on_the_page(qtbot, store, ids):
    viewer = make_viewer(qtbot)
    viewer.show_document(store, ids["chronology"], page=3, highlight="plan")
    qtbot.waitUntil(lambda: viewer.hits_text() == "2 of 3")
    qtbot.wait(50)
    viewport = viewer._pdf.view.viewport()
    assert _tinted(viewport.grab().toImage()) > 20
    viewer._find_box.clear()
    qtbot.keyClicks(viewer._find_box, "zebra")
    qtbot.waitUntil(lambda: viewer.hits_text() == "No hits")
    qtbot.waitUntil(lambda: _tinted(viewport.grab().toImage()) == 0)


def test_pdf_scrolling_follows_the_page_and_a_resize_keeps_the_place(qtbot, store, ids):
    viewer = make_viewer(qtbot)
    viewer.show_document(store, ids["chronology"])
    area = viewer._pdf.view
    bar = area.verticalScrollBar()
    bar.setValue(area._rects[2].top())  # the reader scrolls to page 3
    assert viewer.current_page() == 3 and viewer._page_box.value() == 3
    bar.setValue(area._rects[1].top() + area._rects[1].height() // 2)
    assert viewer.current_page() in (2, 3)  # the page taking most of the view
    viewer.show_document(store, ids["chronology"], page=3)
    before = (bar.value() - area._rects[2].top(), area.effective_zoom())
    viewer.resize(600, 800)  # narrower: smaller pages (fit width), same place
    qtbot.waitUntil(lambda: area.effective_zoom() < before[1])
    assert viewer.current_page() == 3
    assert bar.value() - area._rects[2].top() == before[0]  # still at the top of page 3
    viewer._zoom_in.trigger()
    assert viewer.current_page() == 3


def test_pdf_pages_render_in_parts_when_zoomed_far_in_and_memory_stays_bounded(qtbot, store, ids):
    viewer = make_viewer(qtbot)
    viewer.show_document(store, ids["chronology"])
    area = viewer._pdf.view
    for _ in range(12):
        viewer._zoom_in.trigger()
    assert viewer._pdf.effective_zoom() == pytest.approx(6.0)  # the ceiling
    page = area._rects[0].size()
    for number in (1, 2, 3, 4, 3, 2, 1):
        viewer._page_box.setValue(number)
        image = area.viewport().grab().toImage()  # paints, rendering what is in view
        assert area.cached_bytes() <= page_images.CACHE_BYTES
        # Only the part in view (and around it) is rendered, not the 30-megapixel page.
        assert area.cached_bytes() < page.width() * page.height() * 4 / 2
    assert image.pixelColor(image.width() // 2, 10).lightness() > 200  # the page, not the gap
    viewer._fit_width.trigger()
    viewer.clear()
    assert area.cached_bytes() == 0


def test_pdf_opened_while_hidden_goes_to_its_page_once_shown(qtbot, store, ids):
    view = PdfPageView()
    qtbot.addWidget(view)
    data = store_documents.content(store, ids["chronology"])
    assert view.load(data, page=3) == ""
    assert view.current_page() == 3
    view.resize(500, 700)
    with qtbot.waitActive(view):
        view.show()
    assert view.current_page() == 3
    assert view.view.verticalScrollBar().value() == view.view._rects[2].top() - page_view.MARGIN
    assert "cannot be shown" in view.load(b"%PDF-1.4 broken", page=1)
    assert view.page_count() == 0 and view.current_page() == 0


def test_viewer_same_document_again_moves_without_reopening(qtbot, store, ids):
    viewer = make_viewer(qtbot)
    viewer.show_document(store, ids["chronology"], page=1)
    viewer.show_document(store, ids["chronology"], page=4)
    assert viewer.current_page() == 4
    qtbot.waitUntil(lambda: len(opened_audit(store)) >= 1)  # written once the page is painted
    # Until nothing is left to write, a second entry could still come: wait for that, not a time.
    qtbot.waitUntil(lambda: audit_settled(viewer))
    assert len(opened_audit(store)) == 1  # the move within the document is not a new open
    viewer.show_document(store, ids["minute"])
    viewer.show_document(store, ids["chronology"])
    qtbot.waitUntil(lambda: len(opened_audit(store)) == 3)


def test_viewer_audits_each_open_right_after_it_and_before_clearing(qtbot, store, ids):
    viewer = make_viewer(qtbot)
    viewer.show_document(store, ids["minute"], page=2)
    # Written on the next turn of the event loop, so that the commit never delays the page.
    qtbot.waitUntil(lambda: len(opened_audit(store)) == 1)
    viewer.show_document(store, ids["txt"])
    # Opening another before the first was written: both are written once it is on screen.
    viewer.show_document(store, ids["png"])
    assert len(opened_audit(store)) == 1
    qtbot.waitUntil(lambda: len(opened_audit(store)) == 3)
    sha = {d: store_documents.get_document(store, ids[d]).sha256 for d in ("minute", "txt", "png")}
    assert [target for target, _ in opened_audit(store)] == [sha["minute"], sha["txt"], sha["png"]]
    viewer.show_document(store, ids["minute"])
    viewer.clear()  # clearing writes what is pending at once (the workspace clears before the
    assert len(opened_audit(store)) == 4  # store is closed)
    qtbot.waitUntil(lambda: audit_settled(viewer))
    assert len(opened_audit(store)) == 4  # and nothing more is written later


def test_viewer_refuses_a_document_that_is_not_in_the_store(qtbot, store, ids):
    viewer = make_viewer(qtbot)
    viewer.show_document(store, ids["minute"])
    with pytest.raises(StoreError, match="No document 98765"):
        viewer.show_document(store, 98765)
    assert viewer.current_document().id == ids["minute"]  # still showing the last one
    qtbot.waitUntil(lambda: audit_settled(viewer))
    assert len(opened_audit(store)) == 1


def test_viewer_explains_a_damaged_pdf(qtbot, store, ids):
    viewer = make_viewer(qtbot)
    viewer.show_document(store, ids["broken"])
    assert viewer._stack.currentWidget() is viewer._message
    assert "This PDF cannot be shown" in viewer._message.text()
    assert viewer.current_document().title == "Damaged letter"
    assert viewer.current_page() == 0
    assert not viewer._zoom_in.isEnabled() and not viewer._find_box.isEnabled()
    # The next document opens normally in the same viewer.
    viewer.show_document(store, ids["minute"], page=2)
    assert viewer.current_page() == 2


# the viewer: images, text, Word -----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["png", "jpeg", "tiff"])
def test_viewer_shows_scanned_images_zoomable(qtbot, store, ids, kind):
    viewer = make_viewer(qtbot, 700, 600)
    viewer.show_document(store, ids[kind])
    image = viewer._stack.currentWidget()
    assert isinstance(image, ImageView)
    assert image.image_size().width() == 320 and image.image_size().height() == 448
    assert viewer.current_page() == 1
    assert not viewer._page_box.isEnabled() and not viewer._find_box.isEnabled()
    width = image.effective_zoom()
    viewer._zoom_in.trigger()
    assert image.effective_zoom() == pytest.approx(width * 1.25)
    viewer._fit_page.trigger()
    assert image.widget().height() <= image.viewport().height()
    viewer._fit_width.trigger()
    assert image.effective_zoom() == pytest.approx(width)
    assert "PNG" in viewer._header.text() or kind != "png"


def test_viewer_shows_text_read_only_and_finds_in_it(qtbot, store, ids):
    viewer = make_viewer(qtbot)
    viewer.show_document(store, ids["txt"], highlight="plan")
    text = viewer._stack.currentWidget()
    assert isinstance(text, QPlainTextEdit) and text.isReadOnly()
    assert f"The pastoral teacher {MARKER} met the child." in text.toPlainText()
    assert viewer.hits_text() == "1 of 1"
    assert len(text.extraSelections()) == 1
    assert text.textCursor().block().text() == "The plan for attendance was shared."
    viewer._find_box.clear()
    qtbot.keyClicks(viewer._find_box, "the")
    qtbot.waitUntil(lambda: viewer.hits_text() == "1 of 4")  # once typing pauses
    qtbot.keyClick(viewer._find_box, Qt.Key.Key_Return)
    assert viewer.hits_text() == "2 of 4"
    viewer._prev_hit.trigger()
    viewer._prev_hit.trigger()
    assert viewer.hits_text() == "4 of 4"
    before = text.font().pointSize()
    viewer._zoom_in.trigger()
    assert text.font().pointSize() > before
    viewer.clear()
    assert opened_audit(store)[0][1] == '{"title": "Attendance note"}'  # no page for a text file


def test_viewer_shows_word_as_formatted_text_and_loads_nothing_outside(qtbot, store, ids):
    viewer = make_viewer(qtbot)
    viewer.show_document(store, ids["docx"])
    word = viewer._stack.currentWidget()
    assert isinstance(word, DocxView) and isinstance(word, QTextBrowser)
    html = word.toHtml()
    assert "Housing support note" in word.toPlainText()
    assert MARKER in word.toPlainText()
    frames = word.document().rootFrame().childFrames()
    assert len(frames) == 1 and frames[0].rows() == 2  # the table is a table
    heading = word.document().begin()
    assert heading.text() == "Housing support note" and heading.blockFormat().headingLevel() == 1
    assert not word.openLinks() and not word.openExternalLinks()
    image = QTextDocument.ResourceType.ImageResource
    assert word.loadResource(image, QUrl("http://example.invalid/track.png")).isNull()
    assert word.loadResource(image, QUrl("file:///etc/passwd")).isNull()
    pixel = QImage(2, 2, QImage.Format.Format_RGB32)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    pixel.save(buffer, "PNG")
    url = QUrl("data:image/png;base64," + bytes(data.toBase64()).decode())
    assert isinstance(word.loadResource(image, url), QImage)
    assert "<table" in html


def test_word_documents_of_the_case_are_converted_ahead_on_a_helper_thread(
    qtbot, store, ids, monkeypatch
):
    import threading

    from casereader.ui.documents import docx_view

    threads = []
    convert = docx_view.docx_html

    def spy(content: bytes) -> str:
        threads.append(threading.current_thread() is threading.main_thread())
        return convert(content)

    monkeypatch.setattr(docx_view, "docx_html", spy)
    viewer = make_viewer(qtbot)
    viewer.prefetch_case(store, "SA-001")
    assert len(viewer._docx.cache._futures) == 1  # the case's one Word document
    qtbot.waitUntil(lambda: all(f.done() for f in viewer._docx.cache._futures.values()))
    viewer.show_document(store, ids["docx"])
    assert threads == [False]  # converted once, on the helper; opening it converted nothing
    assert MARKER in viewer._docx.toPlainText()
    viewer.clear()  # another case: the HTML is not kept
    assert viewer._docx.cache._futures == {}
    viewer.show_document(store, ids["docx"])  # not prefetched: converted on the spot
    assert threads == [False, True] and MARKER in viewer._docx.toPlainText()


def test_a_damaged_word_document_fails_the_same_when_converted_ahead(qtbot):
    view = DocxView()
    qtbot.addWidget(view)
    view.cache.prefetch([b"PK\x03\x04 not really a docx"])
    assert "cannot be shown" in view.load(b"PK\x03\x04 not really a docx")
    assert view.toPlainText() == ""


def test_viewer_explains_a_damaged_word_document(qtbot):
    view = DocxView()
    qtbot.addWidget(view)
    assert "cannot be shown" in view.load(b"PK\x03\x04 not a zip")
    assert view.toPlainText() == ""


def test_image_view_refuses_bytes_that_are_not_an_image(qtbot):
    view = ImageView()
    qtbot.addWidget(view)
    assert "cannot be shown" in view.load(b"\x89PNG\r\n\x1a\n truncated")
    assert view.page_count() == 0


# the viewer: cite and clear -----------------------------------------------------------------------


def test_cite_this_page_by_shortcut(qtbot, store, ids):
    viewer = make_viewer(qtbot)
    cited = []
    viewer.cite_requested.connect(lambda document, page: cited.append((document.id, page)))
    viewer._cite.trigger()  # nothing open: nothing to cite
    assert cited == [] and not viewer._cite.isEnabled()
    viewer.show_document(store, ids["chronology"], page=2)
    viewer._pdf.setFocus()
    qtbot.keyClick(
        viewer._pdf.view,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert cited == [(ids["chronology"], 2)]
    viewer.show_document(store, ids["png"])
    viewer._cite.trigger()
    assert cited[-1] == (ids["png"], 1)
    assert viewer._cite.shortcut().toString() == "Ctrl+Shift+C"


def test_clear_forgets_the_document(qtbot, store, ids):
    viewer = make_viewer(qtbot)
    viewer.show_document(store, ids["chronology"], highlight="plan")
    viewer.clear()
    assert viewer.current_document() is None and viewer.current_page() == 0
    assert viewer._pdf.page_count() == 0
    assert viewer.find_text() == ""
    assert not viewer._cite.isEnabled()


def test_clear_after_a_pdf_keeps_the_empty_pdf_view_saying_what_to_do(qtbot, store, ids):
    viewer = make_viewer(qtbot)
    viewer.show_document(store, ids["chronology"])
    viewer.clear()
    assert viewer._stack.currentWidget() is viewer._pdf  # no view switch for the next PDF
    assert viewer._current_view() is None
    assert viewer._pdf.view._placeholder == viewer._message.text()
    assert not any(a.isEnabled() for a in (viewer._zoom_in, viewer._fit_width, viewer._next_page))
    assert not viewer._find_box.isEnabled() and not viewer._page_box.isEnabled()
    viewer._zoom_in.trigger()  # disabled: nothing happens, nothing breaks
    image = viewer._pdf.view.viewport().grab().toImage().scaled(40, 40)
    window = viewer.palette().color(viewer.palette().ColorRole.Window).rgb()
    plain = sum(image.pixelColor(x, y).rgb() == window for x in range(40) for y in range(40))
    assert plain > 1500  # the message look: window colour but for the words, no page drawn
    viewer.show_document(store, ids["txt"])  # another kind: the PDF view gives way
    viewer.clear()
    assert viewer._stack.currentWidget() is viewer._message
    viewer.show_document(store, ids["minute"], page=2)
    assert viewer.current_page() == 2 and viewer._zoom_in.isEnabled()
    assert viewer._page_box.suffix() == f" of {viewer._pdf.page_count()}"


def test_only_the_view_holding_a_document_is_released(qtbot, store, ids, monkeypatch):
    viewer = make_viewer(qtbot)
    released = []
    for view in (viewer._pdf, viewer._image, viewer._text, viewer._docx):
        monkeypatch.setattr(
            view, "release", lambda v=view, f=view.release: (released.append(v), f())
        )
    viewer.show_document(store, ids["txt"])
    viewer.show_document(store, ids["minute"])  # the text view lets go of its text
    assert viewer._text in released and viewer._image not in released
    assert viewer._text.toPlainText() == ""
    released.clear()
    viewer.clear()
    assert released == [viewer._pdf]


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_opening_many_documents_does_not_grow_memory(qtbot, store, ids, capsys):
    viewer = make_viewer(qtbot)
    cycle = [ids[k] for k in ("chronology", "minute", "txt", "docx", "png", "undated", "tiff")]
    samples = []
    for n in range(105):
        viewer.show_document(store, cycle[n % len(cycle)], page=2, highlight="plan")
        qtbot.wait(2)  # let the view render
        if n % 35 == 34:
            samples.append(_rss_mb())
    with capsys.disabled():
        print(f"\nRSS after 35/70/105 documents: {', '.join(f'{s:.1f}' for s in samples)} MB")
    assert samples[-1] - samples[0] < 25


# search ----------------------------------------------------------------------------------


def make_search(qtbot, store, case_ref="SA-001") -> SearchPanel:
    panel = SearchPanel()
    qtbot.addWidget(panel)
    panel.resize(420, 500)
    panel.set_store(store)
    panel.set_case(case_ref)
    with qtbot.waitActive(panel):
        panel.show()
    return panel


def test_search_this_case_and_all_cases(qtbot, store, ids):
    panel = make_search(qtbot, store)
    panel.query.setText(MARKER)
    assert panel.run_search() == 3
    assert {panel.model.hit_at(r).case_ref for r in range(3)} == {"SA-001"}
    assert panel.status.text() == "3 pages in SA-001."
    panel.all_cases.click()
    assert panel.model.rowCount() == 4
    assert panel.status.text() == "4 pages in all cases."
    panel.this_case.click()
    assert panel.model.rowCount() == 3


def test_search_without_a_case_searches_all_cases(qtbot, store, ids):
    panel = make_search(qtbot, store, case_ref=None)
    assert not panel.this_case.isEnabled() and panel.all_cases.isChecked()
    panel.query.setText("plan")
    panel.run_search()
    assert "SA-002" in {panel.model.hit_at(r).case_ref for r in range(panel.model.rowCount())}
    panel.set_case("SA-001")  # the scope was forced, not chosen: back to this case
    assert panel.this_case.isChecked() and panel.scope_case() == "SA-001"
    assert {panel.model.hit_at(r).case_ref for r in range(panel.model.rowCount())} == {"SA-001"}
    panel.all_cases.click()  # chosen by the reader: kept when the case changes
    panel.set_case("SA-002")
    assert panel.all_cases.isChecked() and panel.scope_case() is None


def test_search_says_when_nothing_matches_and_when_nothing_is_open(qtbot, store):
    panel = make_search(qtbot, store)
    panel.query.setText("zebra")
    assert panel.run_search() == 0
    assert panel.status.text() == "No page in SA-001 has all these words."
    panel.query.setText('  "" ** ')  # nothing searchable
    assert panel.run_search() == 0
    panel.query.setText("")
    assert panel.run_search() == 0
    panel.set_store(None)
    panel.query.setText("plan")
    assert panel.run_search() == 0
    assert panel.status.text() == "No inspection open"


def test_search_by_keyboard_opens_the_hit_in_the_viewer(qtbot, store, ids):
    # One window, as in the workspace: keyboard focus moves within the active window.
    host = QWidget()
    qtbot.addWidget(host)
    panel, viewer = SearchPanel(), DocumentViewer()
    row = QHBoxLayout(host)
    row.addWidget(panel)
    row.addWidget(viewer, 2)
    panel.set_store(store)
    panel.set_case("SA-001")
    host.resize(1200, 700)
    with qtbot.waitActive(host):
        host.show()
    panel.hit_chosen.connect(
        lambda case_ref, doc_id, page, query: viewer.show_document(store, doc_id, page, query)
    )
    chosen = []
    panel.hit_chosen.connect(lambda *args: chosen.append(args))
    panel.query.setFocus()
    qtbot.keyClicks(panel.query, f"{MARKER.lower()} reviewed")
    qtbot.keyClick(panel.query, Qt.Key.Key_Return)
    assert panel.results.hasFocus()
    assert panel.model.rowCount() == 1
    qtbot.keyClick(panel.results, Qt.Key.Key_Return)
    assert chosen == [("SA-001", ids["chronology"], 3, f"{MARKER.lower()} reviewed")]
    assert viewer.current_document().id == ids["chronology"]
    assert viewer.current_page() == 3
    assert viewer.find_text() == MARKER.lower()
    qtbot.waitUntil(lambda: viewer.hits_text() == "1 of 1")


def test_search_typing_pause_and_down_arrow(qtbot, store):
    panel = make_search(qtbot, store)
    panel.query.setFocus()
    qtbot.keyClicks(panel.query, "plan")
    assert panel.model.rowCount() == 0  # not yet: the search waits for a pause
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0)
    qtbot.keyClick(panel.query, Qt.Key.Key_Down)
    assert panel.results.hasFocus()
    assert panel.results.currentIndex().row() == 0


def test_search_results_draw_rich_text(qtbot, store):
    panel = make_search(qtbot, store)
    panel.query.setText("plan")
    panel.run_search()
    qtbot.wait(50)
    index = panel.model.index(0, 0)
    delegate = panel.results.itemDelegate()
    option = QStyleOptionViewItem()
    option.initFrom(panel.results)
    option.rect = panel.results.visualRect(index)
    assert delegate.sizeHint(option, index).height() >= 2 * panel.fontMetrics().height()
    assert not panel.results.grab().isNull()


def placeholder_pixels(panel) -> int:
    """Pixels of the results' viewport that are not its background (the hint's text)."""
    image = panel.results.viewport().grab().toImage()
    palette = panel.results.palette()
    base = palette.color(palette.ColorRole.Base).rgb()
    return sum(
        image.pixel(x, y) != base
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
    )


def test_search_before_a_search_hides_the_status_and_says_what_to_type(qtbot, store):
    panel = make_search(qtbot, store)
    assert panel.status.isHidden()  # no blank band above the results
    assert panel.results.placeholder_text() == "Type words to search this case's documents"
    assert placeholder_pixels(panel) > 0
    panel.all_cases.click()
    assert panel.results.placeholder_text() == "Type words to search all cases"
    panel.query.setText("zebra")
    assert panel.run_search() == 0
    assert not panel.status.isHidden()
    assert panel.status.text() == "No page in all cases has all these words."
    assert panel.results.placeholder_text() == ""  # the status says it; nothing drawn
    assert placeholder_pixels(panel) == 0
    panel.query.setText("")
    panel.run_search()
    assert panel.status.isHidden()
    assert panel.results.placeholder_text() == "Type words to search all cases"
    panel.set_store(None)
    assert panel.status.text() == "No inspection open" and not panel.status.isHidden()
    assert panel.results.placeholder_text() == ""


def test_search_hint_is_not_drawn_over_hits(qtbot, store, ids):
    panel = make_search(qtbot, store)
    panel.query.setText(MARKER)
    assert panel.run_search() == 3 and not panel.status.isHidden()
    panel.results.set_placeholder_text("Type words")  # even when set, hits come first
    panel.results.resize(400, 1200)  # room below the three hits, where a hint would show
    with_hint = panel.results.viewport().grab().toImage()
    panel.results.set_placeholder_text("")
    assert panel.results.viewport().grab().toImage() == with_hint


# no decrypted bytes on disk ---------------------------------------------------------------------


def _snapshot(folders: list[Path]) -> dict[Path, tuple[int, int]]:
    seen = {}
    for folder in folders:
        if not folder.exists():
            continue
        for root, _dirs, files in os.walk(folder):
            for name in files:
                path = Path(root) / name
                try:
                    info = path.stat()
                except FileNotFoundError:
                    continue
                seen[path] = (info.st_size, info.st_mtime_ns)
    return seen


def test_no_decrypted_document_reaches_the_disk(qtbot, built, tmp_path, monkeypatch):
    """Open one document of each kind and search; watch temp, user, cache and working folders."""
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    # A private temp folder for this process, so that other programs' files cannot blur the
    # picture: Python's tempfile and Qt (QDir::tempPath) both follow TMPDIR.
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(private_tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    assert Path(tempfile.gettempdir()) == private_tmp
    store_path = work / "documents.casereader"  # the store itself lives in a watched folder
    shutil.copy2(built[0], store_path)
    ids = built[1]
    folders = [
        private_tmp,
        Path(os.environ["CASEREADER_HOME"]),
        Path.home() / ".cache",
        work,
    ]
    store_files = {store_path, Path(f"{store_path}-wal"), Path(f"{store_path}-shm")}

    before = _snapshot(folders)
    store = Store.open(store_path, PASSPHRASE)
    try:
        viewer = make_viewer(qtbot)
        for kind in ("chronology", "txt", "docx", "png", "jpeg", "tiff"):
            viewer.show_document(store, ids[kind], highlight=MARKER)
            qtbot.wait(RENDER_WAIT_MS if kind == "chronology" else 20)
        panel = make_search(qtbot, store)
        panel.query.setText(MARKER)
        assert panel.run_search() == 3
        panel.all_cases.click()
        panel.results.grab()
        image_sample = store_documents.content(store, ids["png"])[200:232]
        viewer.clear()
    finally:
        store.close()
    after = _snapshot(folders)

    changed = {p for p, facts in after.items() if before.get(p) != facts}
    assert changed - store_files == set(), "files appeared or changed while reading"
    for path in changed:
        data = path.read_bytes()
        assert MARKER.encode() not in data, f"{path.name} holds plaintext"
        assert MARKER.encode("utf-16-le") not in data, f"{path.name} holds plaintext"
        assert image_sample not in data, f"{path.name} holds image bytes"
