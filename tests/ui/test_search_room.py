"""Search results get the room they need (eight hits or more in sight at 1440×900 with a case
open), say how many pages match in all ("50 of 213 pages"), list pages matching only in a
running header or footer last, and a quoted phrase is highlighted whole in the viewer."""

import pytest
from PySide6.QtWidgets import QPlainTextEdit

from casereader.store import Store, documents
from casereader.ui.documents.models import RUNNING_MARK
from casereader.ui.documents.search import RESULT_LIMIT
from casereader.ui.documents.text_view import TextFinder
from casereader.ui.main_window import MainWindow
from tests.ui.conftest import DEMO_PASSPHRASE

pytestmark = pytest.mark.usefixtures("modal_guard")


@pytest.fixture
def window(qtbot, store_copy_path):
    w = MainWindow(Store.open(store_copy_path, DEMO_PASSPHRASE), remember_layout=True)
    qtbot.addWidget(w)
    w.resize(1440, 900)
    w.show()
    qtbot.waitUntil(lambda: w._workspace is not None and w.workspace.case_ref is not None)
    w.workspace.show_document(w.workspace.first_pdf().id, 1)
    yield w
    w.close()


def search(window, qtbot, query: str, all_cases: bool = True):
    panel = window.workspace.search
    if all_cases:
        panel.all_cases.click()
    panel.query.setText(query)
    panel.run_search()
    qtbot.wait(50)
    return panel


def rows_in_sight(panel) -> int:
    view = panel.results
    inside = view.viewport().rect()
    model = view.model()
    return sum(
        1 for r in range(model.rowCount()) if inside.contains(view.visualRect(model.index(r, 0)))
    )


def test_at_least_eight_hits_in_sight_at_1440_by_900(qtbot, window):
    assert window.size().width() == 1440 and window.size().height() == 900
    panel = search(window, qtbot, "child")
    assert panel.model.rowCount() == RESULT_LIMIT
    assert rows_in_sight(panel) >= 8
    assert window.workspace.documents.isVisible()  # the documents list is still there
    panel.query.clear()
    panel.run_search()
    qtbot.wait(50)
    assert panel.model.rowCount() == 0
    # the column goes back to how it was: the documents list has its room again
    assert window.workspace.left.sizes()[0] > window.workspace.left.sizes()[1]


def test_the_status_says_how_many_of_how_many_pages(qtbot, window):
    panel = search(window, qtbot, "child")
    total = documents.find_pages(window.store, "child").total
    assert total > RESULT_LIMIT
    assert panel.status.text() == f"{RESULT_LIMIT} of {total} pages in all cases."
    assert panel.status.isVisible()


def test_pages_matching_only_in_a_running_footer_come_last(qtbot, window):
    # Every page of the demo's PDFs has a footer "SA-001 | Health | Health visitor notes
    # Page n of m"; the title is in the body of page 1 only.
    panel = search(window, qtbot, '"health visitor notes"')
    hits = [panel.model.hit_at(r) for r in range(panel.model.rowCount())]
    running = [h.running_only for h in hits]
    assert running.count(False) and running.count(True)
    assert running == sorted(running)  # body hits first
    assert all(h.page == 1 for h in hits if not h.running_only)
    last = panel.model.index(len(hits) - 1, 0)
    assert RUNNING_MARK in last.data()


def test_a_quoted_phrase_is_highlighted_whole_in_the_pdf(qtbot, window):
    widths = {}
    for query in ('"child protection plan"', "“child protection plan”", "protection"):
        panel = search(window, qtbot, query)
        assert panel.model.rowCount()
        hit = panel.model.hit_at(0)
        panel._on_activated(panel.model.index(0, 0))
        viewer = window.workspace.viewer
        qtbot.waitUntil(lambda v=viewer: v._pdf.current_hit() is not None)
        page, rects = viewer._pdf.current_hit()
        assert page + 1 == hit.page
        widths[query] = sum(r.width() for r in rects)
        if query != "protection":
            assert viewer.find_text() == "child protection plan"
    assert widths['"child protection plan"'] > 1.5 * widths["protection"]
    assert widths["“child protection plan”"] == widths['"child protection plan"']


def test_a_phrase_across_a_line_break_is_one_hit_in_text_and_word_views(qtbot):
    edit = QPlainTextEdit()
    qtbot.addWidget(edit)
    edit.setPlainText("A child protection\nplan was agreed.\nThe child  protection plan held.")
    found = []
    finder = TextFinder(edit, lambda current, total: found.append((current, total)))
    finder.find("child protection plan")
    assert found[-1] == (1, 2)
    marked = [hit.selectedText().replace("\u2029", " ") for hit in finder._hits]
    assert marked == ["child protection plan", "child  protection plan"]
    finder.find("protection")
    assert found[-1] == (1, 2)


def test_a_hit_row_keeps_the_case_and_page_and_starts_near_the_hit(qtbot):
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QApplication

    from casereader.store.models import SearchHit
    from casereader.ui.documents.hit_delegate import compact_heading, lead_in

    assert lead_in("one two three four five six «core group» held") == (
        "…three four five six «core group» held"
    )
    assert lead_in("a short «hit»") == "a short «hit»"
    hit = SearchHit(case_ref="SA-002", document_id=1, title="Report to the Children's Reporter",
                    agency="Social work", doc_date=None, page=4, snippet="x")  # fmt: skip
    metrics = QFontMetrics(QApplication.font())
    heading = compact_heading(hit, metrics, 180)
    assert heading.startswith("SA-002 · Report") and heading.endswith("… · p. 4")
    assert metrics.horizontalAdvance(heading) <= 180
