"""The case list model and its filters, tested without a window; then the pane with keys."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette

from casereader.store.models import CaseOverview
from casereader.ui.case_model import (
    COLUMNS,
    FOLLOW_UP,
    PROGRESS,
    REF,
    REVIEW,
    ROW_ROLE,
    STATUS,
    CaseFilter,
    CaseListModel,
)
from casereader.ui.cases import CaseListPane
from casereader.ui.plain import plain_tooltip
from casereader.ui.style import contrast_ratio, dark_palette

pytestmark = pytest.mark.usefixtures("modal_guard")


def overview(ref, group="core", follow_up=False, status="not_started", done=0, flags=0,
             readers=("R1",), **extra) -> CaseOverview:  # fmt: skip
    return CaseOverview(
        case_ref=ref,
        sample_group=group,
        follow_up=follow_up,
        age_band=extra.get("age_band", "5-11"),
        legal_status=extra.get("legal_status", "CSO at home"),
        readers=list(readers),
        status=status,
        documents=3,
        answered=done,
        required=53,
        required_answered=done,
        open_flags=flags,
        replaced_by=extra.get("replaced_by"),
    )


ROWS = [
    overview("SA-001", status="complete", done=53),
    overview("SA-002", status="in_progress", done=14, flags=1, readers=("R1", "R2")),
    overview("SA-003", follow_up=True, status="in_progress", done=20, age_band="12-15"),
    overview("SA-004", group="reserve", readers=("R2",), legal_status="Not registered"),
    overview("SA-005", replaced_by="SA-004"),
]


@pytest.fixture
def model(qapp):  # a QApplication for the icons; no window
    m = CaseListModel()
    m.set_rows(ROWS)
    return m


def shown(proxy: CaseFilter) -> list[str]:
    return [proxy.data(proxy.index(r, 0), ROW_ROLE).case_ref for r in range(proxy.rowCount())]


def test_model_shows_each_column_in_the_readers_words(model):
    assert model.rowCount() == 5 and model.columnCount() == len(COLUMNS)
    text = [[model.index(1, c).data() for c in range(len(COLUMNS))]]
    assert text == [["SA-002", "Open", "In progress", "14/53", "Core", ""]]
    assert model.index(2, FOLLOW_UP).data() == "Yes"
    assert model.index(4, STATUS).data() == "Not started (replaced by SA-004)"
    assert model.index(0, REVIEW).data() == ""
    assert model.index(0, REVIEW).data(Qt.ItemDataRole.DecorationRole) is None
    assert model.index(1, REVIEW).data(Qt.ItemDataRole.DecorationRole) is not None
    assert model.index(1, REVIEW).data(Qt.ItemDataRole.ToolTipRole) == plain_tooltip(
        "1 open management review"
    )
    spoken = model.index(1, PROGRESS).data(Qt.ItemDataRole.AccessibleTextRole)
    assert spoken == "14/53 required items answered"
    assert model.headerData(REF, Qt.Orientation.Horizontal) == "Case"


def test_review_red_reads_on_light_and_dark_base(model, qapp):
    light = qapp.palette()
    colour = model.index(1, REVIEW).data(Qt.ItemDataRole.ForegroundRole)
    assert contrast_ratio(colour, light.color(QPalette.ColorRole.Base)) >= 4.5
    qapp.setPalette(dark_palette())
    try:
        colour = model.index(1, REVIEW).data(Qt.ItemDataRole.ForegroundRole)
        assert contrast_ratio(colour, dark_palette().color(QPalette.ColorRole.Base)) >= 4.5
    finally:
        qapp.setPalette(light)


def test_update_row_replaces_one_case_and_signals_it(model, qtbot):
    with qtbot.waitSignal(model.dataChanged) as signal:
        assert model.update_row(overview("SA-003", status="in_progress", done=21, flags=2))
    assert signal.args[0].row() == 2
    assert model.index(2, PROGRESS).data() == "21/53"
    assert model.index(2, REVIEW).data(Qt.ItemDataRole.ToolTipRole) == plain_tooltip(
        "2 open management reviews"
    )
    assert not model.update_row(overview("SA-999"))
    assert model.rowCount() == 5


def test_filters_combine(model):
    proxy = CaseFilter()
    proxy.setSourceModel(model)
    assert shown(proxy) == ["SA-001", "SA-002", "SA-003", "SA-004", "SA-005"]
    proxy.set_filter(status="in_progress")
    assert shown(proxy) == ["SA-002", "SA-003"]
    proxy.set_filter(follow_up=True)
    assert shown(proxy) == ["SA-003"]
    proxy.set_filter(status=None, follow_up=False, flagged_only=True)
    assert shown(proxy) == ["SA-002"]
    proxy.set_filter(flagged_only=False, follow_up=None, group="reserve")
    assert shown(proxy) == ["SA-004"]
    proxy.set_filter(group=None, reader="R2")
    assert shown(proxy) == ["SA-002", "SA-004"]
    proxy.set_filter(reader=None, text="not reg")
    assert shown(proxy) == ["SA-004"]
    proxy.set_filter(text="sa-00")
    assert len(shown(proxy)) == 5
    proxy.set_filter(text="12-15")
    assert shown(proxy) == ["SA-003"]
    proxy.set_filter(text="nothing like this")
    assert shown(proxy) == []


def test_unknown_filter_is_refused(model):
    proxy = CaseFilter()
    proxy.setSourceModel(model)
    with pytest.raises(TypeError, match="unknown case filter 'colour'"):
        proxy.set_filter(colour="red")


def test_sorting_by_progress_is_numeric(model):
    proxy = CaseFilter()
    proxy.setSourceModel(model)
    proxy.sort(PROGRESS, Qt.SortOrder.DescendingOrder)
    assert shown(proxy)[:3] == ["SA-001", "SA-003", "SA-002"]


def test_pane_keyboard_and_filters(qtbot):
    pane = CaseListPane()
    qtbot.addWidget(pane)
    pane.resize(420, 500)
    pane.show()
    pane.set_rows(ROWS)
    assert pane.reader_box.count() == 3  # any, R1, R2
    chosen = []
    pane.case_chosen.connect(chosen.append)
    pane.focus_list()
    assert pane.current_case() == "SA-001"
    qtbot.keyClick(pane.view, Qt.Key.Key_Down)
    qtbot.keyClick(pane.view, Qt.Key.Key_Down)
    assert chosen == []  # the arrows move through the list without opening every case passed
    assert pane.current_case() == "SA-003"
    qtbot.keyClick(pane.view, Qt.Key.Key_Return)
    assert chosen == ["SA-003"]
    qtbot.keyClick(pane.view, Qt.Key.Key_End)
    assert pane.current_case() == "SA-005"
    qtbot.keyClick(pane.view, Qt.Key.Key_Home)
    assert pane.current_case() == "SA-001" and chosen == ["SA-003"]
    pane.select_case("SA-003", emit=False)
    assert pane.step(1) == "SA-004"
    assert pane.step(-1) == "SA-003"
    pane.flagged_box.setChecked(True)
    assert pane.count_label.text() == "1 of 5 cases · 1 with an open management review"
    # choosing a case that the filters hide clears the filters
    assert pane.select_case("SA-005")
    assert not pane.flagged_box.isChecked() and pane.current_case() == "SA-005"
    assert not pane.select_case("SA-404")
    pane.set_rows(ROWS[:4])  # the current case disappears: nothing chosen, nothing breaks
    assert pane.current_case() in (None, "SA-001", "SA-002", "SA-003", "SA-004")


def test_pane_keeps_selection_and_reader_filter_across_refresh(qtbot):
    pane = CaseListPane()
    qtbot.addWidget(pane)
    pane.set_rows(ROWS)
    pane.reader_box.setCurrentIndex(pane.reader_box.findData("R2"))
    pane.select_case("SA-004")
    chosen = []
    pane.case_chosen.connect(chosen.append)
    pane.set_rows(ROWS)
    assert pane.current_case() == "SA-004"
    assert pane.reader_box.currentData() == "R2"
    assert chosen == []  # a refresh is not a new choice
