"""A multi-page TIFF in the viewer: every page is shown, paged with PgDn / PgUp and the box."""

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from casereader.domain.template import find_template
from casereader.ingest.extract import extract
from casereader.store import Store
from casereader.store.cases import CaseIn, upsert_cases
from casereader.store.documents import DocumentIn, add_document
from casereader.ui.documents import DocumentViewer
from casereader.ui.documents.image_view import ImageView

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "ingest"))
from damaged import multipage_tiff  # noqa: E402

PASSPHRASE = "fictional-test-passphrase"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("tiff") / "tiff.casereader"
    with Store.create(
        path, PASSPHRASE, find_template("cso-at-home-2025"), "Test", "reader", "R1"
    ) as s:
        upsert_cases(s, [CaseIn("SA-001", "core", True)])
        ids = {}
        for name, data in (("three", multipage_tiff(3)), ("one", multipage_tiff(1))):
            result = extract(data, "tiff")
            ids[name] = add_document(
                s,
                DocumentIn(
                    case_ref="SA-001",
                    sha256=result.sha256,
                    agency="Police",
                    doc_date="2024-05-02",
                    date_source="name",
                    title=f"Statement ({name} pages, scan)",
                    doc_type="tiff",
                    page_count=result.page_count,
                    source_path=f"SA-001/Police/{name}.tif",
                    content=data,
                    pages=[],
                ),
            )
    opened = Store.open(path, PASSPHRASE)
    opened.ids = ids
    yield opened
    opened.close()


def _viewer(qtbot) -> DocumentViewer:
    viewer = DocumentViewer()
    qtbot.addWidget(viewer)
    viewer.resize(700, 600)
    with qtbot.waitActive(viewer):
        viewer.show()
    return viewer


def _shade(view: ImageView) -> int:
    return view._canvas.pixmap.toImage().pixelColor(5, 5).lightness()  # noqa: SLF001


def test_pgdn_pgup_and_the_page_box_turn_the_pages_of_a_tiff(qtbot, store):
    viewer = _viewer(qtbot)
    viewer.show_document(store, store.ids["three"])
    view = viewer._stack.currentWidget()
    assert isinstance(view, ImageView)
    assert view.page_count() == 3 and viewer.current_page() == 1
    assert viewer._page_box.isEnabled() and viewer._page_box.suffix() == " of 3"
    shades = [_shade(view)]
    assert view.image_size().width() == 120
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert viewer.current_page() == 2 and viewer._page_box.value() == 2
    assert view.image_size().width() == 130
    shades.append(_shade(view))
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    qtbot.keyClick(view, Qt.Key.Key_PageDown)  # past the end: stays on the last page
    assert viewer.current_page() == 3
    shades.append(_shade(view))
    assert shades[0] < shades[1] < shades[2]  # three different pages were shown
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert viewer.current_page() == 2
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert viewer.current_page() == 1
    viewer._page_box.setValue(3)
    assert viewer.current_page() == 3 and view.image_size().width() == 140
    viewer._prev_page.trigger()
    assert viewer.current_page() == 2
    viewer._zoom_in.trigger()
    zoom = view.effective_zoom()
    viewer._next_page.trigger()
    assert viewer.current_page() == 3 and view.effective_zoom() == pytest.approx(zoom)


def test_a_single_page_image_has_no_pages_to_turn(qtbot, store):
    viewer = _viewer(qtbot)
    viewer.show_document(store, store.ids["one"])
    view = viewer._stack.currentWidget()
    assert view.page_count() == 1 and not view.can_page
    assert not viewer._page_box.isEnabled()
    viewer.show_document(store, store.ids["three"])
    assert view.can_page and viewer._page_box.isEnabled()
    viewer.clear()
    assert not view.can_page and view.page_count() == 0


def test_a_tiff_opened_at_a_cited_page_shows_that_page(qtbot, store):
    viewer = _viewer(qtbot)
    viewer.show_document(store, store.ids["three"], page=2)
    assert viewer.current_page() == 2


def test_the_header_marks_a_repaired_document(qtbot, tmp_path):
    from damaged import damaged_pdfs

    from casereader.ui.documents.header import DocumentHeader

    damaged = damaged_pdfs()["no-xref-rootless-trailer"]
    result = extract(damaged, "pdf")
    with Store.create(
        tmp_path / "r.casereader",
        PASSPHRASE,
        find_template("cso-at-home-2025"),
        "T",
        "reader",
        "R1",
    ) as s:
        upsert_cases(s, [CaseIn("SA-001", "core", True)])
        doc_id = add_document(
            s,
            DocumentIn(
                case_ref="SA-001",
                sha256=result.sha256,
                agency="Health",
                doc_date=None,
                date_source=None,
                title="Letter",
                doc_type="pdf",
                page_count=result.page_count,
                source_path="SA-001/Health/Letter.pdf",
                content=result.content,
                pages=result.pages,
                original_sha256=result.original_sha256,
            ),
        )
        from casereader.store.documents import get_document

        document = get_document(s, doc_id)
    assert document.repaired and document.original_sha256 == result.original_sha256
    header = DocumentHeader()
    qtbot.addWidget(header)
    header.show_document(document)
    assert header.text().endswith("· repaired")
    assert result.original_sha256 in header.toolTip()
