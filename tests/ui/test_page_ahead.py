"""The PDF's next pages are rendered ahead on idle turns: a page turn draws an image made
already; the images kept stay few; a new zoom drops them."""

import io

from PySide6.QtCore import Qt
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from casereader.ui.documents.page_view import AHEAD, KEEP_AROUND
from casereader.ui.documents.pdf_view import PdfPageView

PAGES = 12


def _pdf(pages: int) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    for n in range(1, pages + 1):
        canvas.setFont("Helvetica-Bold", 16)
        canvas.drawString(60, 780, f"Chronology of events (page {n})")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _shown(qtbot) -> PdfPageView:
    view = PdfPageView()
    qtbot.addWidget(view)
    view.resize(500, 600)  # fits the width: about half a page in view
    view.show()
    qtbot.waitExposed(view)
    assert view.load(_pdf(PAGES)) == ""
    return view


def _ahead_of(page: int) -> set[int]:
    return {p for p in range(page + 1, page + 1 + AHEAD) if p < PAGES}


def test_the_next_pages_are_rendered_ahead_and_a_turn_draws_one_of_them(qtbot):
    view = _shown(qtbot)
    area = view.view
    qtbot.waitUntil(lambda: _ahead_of(0) <= set(area.rendered_pages()))
    rendered, painted = [], []
    area.page_rendered.connect(lambda page, _size: rendered.append(page))
    area.page_painted.connect(painted.append)
    qtbot.keyClick(area, Qt.Key.Key_PageDown)
    assert view.current_page() == 2
    qtbot.waitUntil(lambda: 1 in painted)
    assert 1 not in rendered  # drawn from the image made ahead, not rendered in the paint
    qtbot.waitUntil(lambda: _ahead_of(1) <= set(area.rendered_pages()))


def test_the_pages_kept_rendered_stay_near_the_page_read(qtbot):
    view = _shown(qtbot)
    area = view.view
    for page in range(1, PAGES):
        qtbot.keyClick(area, Qt.Key.Key_PageDown)
        qtbot.waitUntil(lambda p=page: _ahead_of(p) <= set(area.rendered_pages()))
        kept = area.rendered_pages()
        # The pages in view (the page read and the gap or page above it), KEEP_AROUND on
        # either side, and those rendered ahead: never the whole document.
        assert len(kept) <= 2 * KEEP_AROUND + 3, kept
        assert max(kept) <= page + 1 + KEEP_AROUND, kept
        if page > KEEP_AROUND + 2:
            assert 0 not in kept, kept
    assert view.current_page() == PAGES


def test_a_new_zoom_drops_the_pages_rendered_ahead(qtbot):
    view = _shown(qtbot)
    area = view.view
    qtbot.waitUntil(lambda: _ahead_of(0) <= set(area.rendered_pages()))
    before = area.cached_bytes()
    view.zoom_in()
    assert area.rendered_pages() == [] and area.cached_bytes() == 0
    qtbot.waitUntil(lambda: _ahead_of(0) <= set(area.rendered_pages()))
    assert area.cached_bytes() > before  # made again, larger
    view.release()
    assert area.rendered_pages() == []
