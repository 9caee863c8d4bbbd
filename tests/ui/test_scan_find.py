"""Scans with recognised text on screen: the search hit's mark, find on the page image with the
word's box highlighted, and the viewer's notice (recognised, nothing found, not recognised)."""

import random

import pytest
from PySide6.QtCore import QPoint

from casereader.demo.images import encode_scan, record_lines, typed_scan
from casereader.domain.template import find_template
from casereader.ingest.extract import extract
from casereader.store import Store, recognised
from casereader.store import documents as store_documents
from casereader.store.cases import CaseIn, upsert_cases
from casereader.store.documents import DocumentIn, add_document
from casereader.ui.documents import DocumentViewer, SearchPanel
from casereader.ui.documents.models import RECOGNISED_MARK
from casereader.ui.documents.viewer import RECOGNISED_NOTE

NEEDLE = "Kilbarchan"


def _add(store, title, png, recognise, kind="png"):
    found = extract(png, kind, recognise=recognise)
    return add_document(
        store,
        DocumentIn(
            case_ref="SA-001", sha256=found.sha256, agency="Police", doc_date="2024-03-01",
            date_source="name", title=title, doc_type=kind, page_count=found.page_count,
            source_path=f"SA-001/Police/{title}.{kind}", content=png, pages=found.pages,
            recognised=found.recognised,
        ),
    )  # fmt: skip


def _image_only_pdf(png: bytes) -> bytes:
    """A two-page PDF: a page with a text layer, then a page that is only the scan's image."""
    from io import BytesIO

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.drawString(72, 700, "Cover sheet typed with a real text layer, Kilbarchan named here.")
    pdf.showPage()
    pdf.drawImage(ImageReader(BytesIO(png)), 0, 0, *A4)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("scans") / "scans.casereader"
    lines = record_lines(random.Random(4), paragraphs=2, needles=(NEEDLE,))
    png = encode_scan(typed_scan(lines, random.Random(4), 150, 0.8, 0.001), "png", 150)
    blank = encode_scan(typed_scan([""], random.Random(5), 100, 0, 0.001), "png", 100)
    with Store.create(
        path, "fictional-test-passphrase", find_template("cso-at-home-2025"), "T", "reader", "R1"
    ) as s:
        upsert_cases(s, [CaseIn("SA-001", "core", True)])
        ids = {
            "scan": _add(s, "Concern report (scan)", png, True),
            "blank": _add(s, "Blank scan", blank, True),
            "later": _add(s, "Unrecognised scan", blank + b"\0", False),
            "pdf": _add(s, "Scanned letter", _image_only_pdf(png), True, "pdf"),
        }
    store = Store.open(path, "fictional-test-passphrase")
    yield store, ids
    store.close()


def test_search_hit_from_a_scan_is_marked_recognised_text(qtbot, built):
    store, ids = built
    panel = SearchPanel()
    qtbot.addWidget(panel)
    panel.set_store(store)
    panel.query.setText(NEEDLE)
    # The PNG scan, the PDF's scanned page (recognised) and the PDF's text-layer page.
    assert panel.run_search() == 3
    shown = [panel.model.index(row, 0).data() for row in range(3)]
    marked = sorted(s.split(",")[0] for s in shown if RECOGNISED_MARK in s)
    assert len(marked) == 2 and any("Concern report (scan)" in s for s in marked)
    assert sum("Scanned letter" in s for s in shown) == 2


def test_find_on_a_scan_highlights_the_word_box(qtbot, built):
    store, ids = built
    viewer = DocumentViewer()
    qtbot.addWidget(viewer)
    viewer.resize(900, 900)
    viewer.show()
    viewer.show_document(store, ids["scan"], highlight=NEEDLE)
    assert viewer.hits_text() == "1 of 1"
    assert viewer.recognition_text().startswith(RECOGNISED_NOTE)
    image = viewer._image  # noqa: SLF001 - the scan's view
    rect = image.current_hit_rect()
    word = next(w for w in store_documents_words(store, ids["scan"]) if NEEDLE in w[0])
    canvas = image.widget()
    assert rect.center().x() == pytest.approx((word[1] + word[3]) / 2 * canvas.width(), abs=2)
    assert rect.center().y() == pytest.approx((word[2] + word[4]) / 2 * canvas.height(), abs=2)
    viewer.grab().save("/tmp/ocr_scan_find.png")
    viewer._find_box.setText("no-such-word-here")  # noqa: SLF001
    viewer._on_find_edited()  # noqa: SLF001
    assert viewer.hits_text() == "No hits"


def store_documents_words(store, document_id):
    from casereader.store import recognised

    return recognised.pages(store, document_id)[1].words


def test_scan_with_nothing_found_or_not_recognised_says_so(qtbot, built):
    store, ids = built
    viewer = DocumentViewer()
    qtbot.addWidget(viewer)
    viewer.show_document(store, ids["blank"])
    assert "found no text" in viewer.recognition_text()
    assert not viewer._find_box.isEnabled()  # noqa: SLF001
    viewer.show_document(store, ids["later"])
    assert "no recognised text" in viewer.recognition_text()
    assert store_documents.page_text(store, ids["later"]) == []
    viewer.clear()
    assert viewer.recognition_text() == ""


def test_find_in_a_pdf_matches_recognised_words_of_its_scanned_page(qtbot, built):
    store, ids = built
    viewer = DocumentViewer()
    qtbot.addWidget(viewer)
    viewer.resize(900, 900)
    viewer.show()
    viewer.show_document(store, ids["pdf"], page=2, highlight=NEEDLE)
    pdf = viewer._pdf  # noqa: SLF001 - the PDF's view
    # One hit in the text layer of page 1 (Qt's search), one among page 2's recognised words.
    qtbot.waitUntil(lambda: pdf.hit_count() == 2)
    assert viewer.hits_text() == "2 of 2"
    page, rects = pdf.current_hit()
    assert page == 1 and len(rects) == 1
    word = next(w for w in recognised.pages(store, ids["pdf"])[2].words if NEEDLE in w[0])
    size = pdf._document.pagePointSize(1)  # noqa: SLF001
    rect = rects[0]
    assert rect.center().x() == pytest.approx((word[1] + word[3]) / 2 * size.width(), abs=0.5)
    assert rect.center().y() == pytest.approx((word[2] + word[4]) / 2 * size.height(), abs=0.5)
    # The box sits where the word is drawn: the needle occupies a few points of the A4 page.
    assert 20 < rect.width() < 200 and 4 < rect.height() < 30
    qtbot.waitUntil(lambda: pdf.current_page() == 2)
    viewer.grab().save("/tmp/ocr_pdf_find.png")
    # The highlight is painted over the word's box on screen.
    area = pdf.view
    box = area._page_pixels(1, rect)  # noqa: SLF001 - in the document's pixels
    centre = box.center() - QPoint(area.horizontalScrollBar().value(),
                                   area.verticalScrollBar().value())  # fmt: skip
    lit = area.viewport().grab().toImage().pixelColor(centre)
    pdf.find("")
    plain = area.viewport().grab().toImage().pixelColor(centre)
    assert area.viewport().rect().contains(centre) and lit != plain
    pdf.find(NEEDLE, 2)
    # Next goes round to the text layer's hit on page 1, then back to the scanned page's.
    viewer._pdf.find_next()  # noqa: SLF001
    assert pdf.current_hit()[0] == 0 and viewer.hits_text() == "1 of 2"
    viewer._pdf.find_next()  # noqa: SLF001
    assert pdf.current_hit()[0] == 1
    viewer._find_box.setText("no-such-word-here")  # noqa: SLF001
    viewer._on_find_edited()  # noqa: SLF001
    assert viewer.hits_text() == "No hits" and pdf.current_hit() is None
