"""Scans with recognised text on screen: the search hit's mark, find on the page image with the
word's box highlighted, and the viewer's notice (recognised, nothing found, not recognised)."""

import random

import pytest

from casereader.demo.images import encode_scan, record_lines, typed_scan
from casereader.domain.template import find_template
from casereader.ingest.extract import extract
from casereader.store import Store
from casereader.store import documents as store_documents
from casereader.store.cases import CaseIn, upsert_cases
from casereader.store.documents import DocumentIn, add_document
from casereader.ui.documents import DocumentViewer, SearchPanel
from casereader.ui.documents.models import RECOGNISED_MARK
from casereader.ui.documents.viewer import RECOGNISED_NOTE

NEEDLE = "Kilbarchan"


def _add(store, title, png, recognise):
    found = extract(png, "png", recognise=recognise)
    return add_document(
        store,
        DocumentIn(
            case_ref="SA-001", sha256=found.sha256, agency="Police", doc_date="2024-03-01",
            date_source="name", title=title, doc_type="png", page_count=found.page_count,
            source_path=f"SA-001/Police/{title}.png", content=png, pages=found.pages,
            recognised=found.recognised,
        ),
    )  # fmt: skip


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
    assert panel.run_search() == 1
    shown = panel.model.index(0, 0).data()
    assert RECOGNISED_MARK in shown and "Concern report (scan)" in shown


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
