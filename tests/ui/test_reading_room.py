"""Room to read: at 1440×900 a fit-width A4 page is at least 700 px wide by default (the case
list folded); the zoom is shown as a percentage and remembered for the reader."""

import pytest

from casereader.store import Store
from casereader.ui.main_window import MainWindow
from casereader.ui.prefs import load_prefs
from tests.ui.conftest import DEMO_PASSPHRASE

pytestmark = pytest.mark.usefixtures("modal_guard")


def open_window(qtbot, path, size):
    w = MainWindow(Store.open(path, DEMO_PASSPHRASE), remember_layout=True)
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    qtbot.waitUntil(lambda: w._workspace is not None and w.workspace.case_ref is not None)
    workspace = w.workspace
    workspace.show_document(workspace.first_pdf().id, 1)
    qtbot.wait(50)
    return w


def page_width(window) -> int:
    view = window.workspace.viewer._pdf.view
    return view._rects[0].width()


@pytest.mark.parametrize(("size", "least"), [((1440, 900), 700), ((1280, 720), 540)])
def test_the_page_gets_the_width_by_default(qtbot, store_copy_path, size, least):
    w = open_window(qtbot, store_copy_path, size)
    assert w.list_fold.is_folded()
    assert page_width(w) >= least
    w.close()


def test_zoom_shown_as_a_percentage_and_remembered(qtbot, store_copy_path):
    w = open_window(qtbot, store_copy_path, (1440, 900))
    viewer = w.workspace.viewer
    label = viewer._zoom_label
    assert label.text().endswith("%")
    fit = int(label.text()[:-1])
    viewer._zoom_in.trigger()
    zoomed = int(label.text()[:-1])
    assert zoomed == round(fit * 1.25) or abs(zoomed - fit * 1.25) <= 1
    assert abs(float(load_prefs().pdf_zoom) * 100 - zoomed) <= 1
    w.close()

    again = open_window(qtbot, store_copy_path, (1440, 900))
    assert abs(int(again.workspace.viewer._zoom_label.text()[:-1]) - zoomed) <= 1
    again.workspace.viewer._fit_width.trigger()
    assert load_prefs().pdf_zoom == "width"
    again.close()
