"""The coordinator's desk in the main window, on a coordinator store built through the real
flow (packs → reader stores → answers → exports → merge)."""

import pytest
from coordination_fixtures import PASSPHRASE

from casereader.bundle.merge import merge_bundles
from casereader.store import Store, audit, flags
from casereader.store.coordination import analysis, moderation
from casereader.ui.coordinator import widgets
from casereader.ui.coordinator.table import ROW_ROLE
from casereader.ui.grading import review as review_flow
from casereader.ui.grading.review_dialogs import AdvanceReviewDialog
from casereader.ui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("modal_guard")


@pytest.fixture
def window(qtbot, coordinator):
    w = MainWindow(coordinator, remember_layout=False)
    qtbot.addWidget(w)
    w.resize(1500, 900)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


@pytest.fixture
def errors(monkeypatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(widgets, "show_error", lambda _p, _t, message: said.append(message))
    return said


def desk(window):
    return window.coordinator.desk


def test_a_coordinator_store_opens_on_the_merged_cases(window):
    assert window.stack.currentWidget() is desk(window)
    assert window.coordinator.toolbar.isVisible()
    titles = [a.menu().title() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&Case", "&View", "C&oordinator", "&Help"]
    cases = desk(window).cases
    assert cases.model.rowCount() == 8
    assert cases.count.text() == "8 cases · 2 double reads · 2 with an open management review"
    cases.select_case("SA-002")
    assert [r.reader_id for r in cases.readings_model.rows()] == ["R1", "R2", "R3"]
    assert cases.moderate_button.isEnabled()
    cases.select_case("SA-005")
    assert cases.readings_model.text(0, 1) == "In progress"
    assert not cases.moderate_button.isEnabled()


def test_readers_page_and_view_keys(window, qtbot):
    views = window.coordinator
    assert views.actions["readers"].shortcut().toString() == "Ctrl+6"
    views.actions["readers"].trigger()
    assert desk(window).currentWidget() is desk(window).readers
    assert desk(window).readers.table.hasFocus()
    assert desk(window).readers.model.rowCount() == 3
    views.actions["moderation"].trigger()
    assert desk(window).currentWidget() is desk(window).moderation
    # a reading-view key brings the reading view forward
    next(a for a in window.actions() if a.shortcut().toString() == "Ctrl+1").trigger()
    assert window.stack.currentWidget() is window.reading
    assert views.actions["reading"].isChecked()


def test_a_reader_store_has_no_desk(qtbot, writable_store):
    w = MainWindow(writable_store, remember_layout=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    assert w.coordinator._desk is None
    assert not w.coordinator.toolbar.isVisible()
    assert "C&oordinator" not in [a.menu().title() for a in w.menuBar().actions()]
    assert w.stack.currentWidget() is w.reading
    w.close()


def test_moderating_an_item_and_accepting_equal_answers(window, coordinator, errors):
    window.coordinator.show("moderation")
    view = desk(window).moderation
    assert [c.case_ref for c in view.queue_model.rows()] == ["SA-001", "SA-002"]
    view.select_case("SA-001")
    assert view.heading.text() == "SA-001 · Reader A: R1 · Reader B: R2"
    # the first item to decide is chosen: assessment, 4 against 2
    decision = view.decision
    assert decision.item.item_key == "assessment.grade"
    decision.value_box.setCurrentIndex(decision.value_box.findData("3"))
    decision.record.click()  # no rationale yet
    assert errors and "rationale" in errors[-1].lower()
    assert moderation.case_comparison(coordinator, "SA-001").items[0].moderated_value is None
    decision.rationale.setPlainText("Risk assessment present but not analysed.")
    decision.record.click()
    item = next(i for i in moderation.case_comparison(coordinator, "SA-001").items
                if i.item_key == "assessment.grade")  # fmt: skip
    assert (item.moderated_value, item.state) == ("3", "moderated")
    assert item.rationale == "Risk assessment present but not analysed."
    assert [r.value for r in item.readings] == ["4", "2"]  # the readers' own grades kept
    recorded = audit.entries(coordinator, action="moderation.recorded")
    assert recorded and recorded[-1].new_value == "3"
    # the view moved on to the next item to decide
    assert decision.item.item_key == "involvement.grade"
    accepted = view.accept_equal()
    assert accepted > 0
    items = moderation.case_comparison(coordinator, "SA-001").items
    assert "agreed" not in {i.state for i in items if i.compared}
    assert view.summary.text().startswith(f"{accepted} equal answers accepted")
    assert view.queue_model.rows()[0].case_ref == "SA-001"


def test_differences_only_and_the_three_readers(window):
    window.coordinator.show("moderation")
    view = desk(window).moderation
    view.select_case("SA-002")
    assert [view.items_model.columns[n].title for n in (2, 3, 4)] == [
        "Reader A", "Reader B", "Reader C"]  # fmt: skip
    view.differences_only.setChecked(True)
    shown = [view.items_proxy.index(n, 0).data(ROW_ROLE).item_key
             for n in range(view.items_proxy.rowCount())]  # fmt: skip
    assert shown == ["impact.grade"]
    boxes = [view.decision._readings_layout.itemAt(n).widget() for n in range(3)]
    assert [b.accessibleName() for b in boxes] == [
        "Reader A (R1)", "Reader B (R2)", "Reader C (R3)"]  # fmt: skip


def test_a_changed_reading_is_marked_for_another_look(window, coordinator, coordinated):
    moderation.moderate(coordinator, "SA-001", "assessment.grade", "3", "Agreed at the panel.")
    merge_bundles(coordinator, [coordinated.bundles["R2-2"]], coordinated.identity())
    window.coordinator.refresh()
    window.coordinator.show("moderation")
    view = desk(window).moderation
    view.select_case("SA-001")
    row = view.items_model.row_of("assessment.grade")
    assert view.items_model.text(row, view.items_model.columnCount() - 1) == (
        "Look again: changed since moderation"
    )
    assert view.items_model.text(row, view.items_model.columnCount() - 2) == "3 – Adequate"
    assert "1 to look at again" in view.queue_model.text(view.queue_model.row_of("SA-001"), 4)


def test_reader_text_is_never_read_as_markup(window, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    from casereader.store.coordination.moderation import ItemComparison, ItemReading
    from casereader.store.models import EvidenceLink

    link = EvidenceLink(id=1, case_ref="SA-001", item_key="assessment.grade", reader_id="R1",
                        document_sha256="ab" * 32, page=3, label="<b>Plan</b>",
                        created_at="2026-01-01T00:00:00+00:00")  # fmt: skip
    reading = ItemReading(reader_id="<i>R1</i>", label="Reader A", value="4", agreed_value=None,
                          note="<img src=x> <b>bold?</b>", links=[link])  # fmt: skip
    item = ItemComparison(item_key="assessment.grade", stage_id="assessment",
                          stage_title="Assessment", label="Quality", kind="grade",
                          readings=[reading], effective_values={"<i>R1</i>": "4"},
                          moderated_value=None, rationale="", moderator=None, moderated_at=None,
                          state="agreed", gap=None)  # fmt: skip
    decision = desk(window).moderation.decision
    decision.set_item(item, None, lambda _k, v: v or "")
    labels = decision.findChildren(QLabel)
    hostile = [lab for lab in labels if "<" in lab.text()]
    assert any("<img src=x>" in lab.text() for lab in hostile)
    assert all(lab.textFormat() == Qt.TextFormat.PlainText for lab in hostile)
    asked = []
    decision.evidence_requested.disconnect()  # the window's flow is tested below
    decision.evidence_requested.connect(lambda sha, page: asked.append((sha, page)))
    from PySide6.QtWidgets import QPushButton

    button = next(b for b in decision.findChildren(QPushButton) if "Plan" in b.text())
    assert button.text() == "Open <b>Plan</b>, page 3"
    button.click()
    assert asked == [("ab" * 32, 3)]


def test_an_evidence_link_opens_the_page_in_the_viewer(window, coordinator, monkeypatch):
    from casereader.store import documents

    doc = documents.list_documents(coordinator, "SA-001")[0]
    shown = []
    window.coordinator.open_evidence("SA-001", doc.sha256, 1)
    assert window.stack.currentWidget() is window.reading
    assert window.workspace.case_ref == "SA-001"
    monkeypatch.setattr(type(window.workspace), "show_document",
                        lambda self, i, p=1, h="": shown.append((i, p)))  # fmt: skip
    window.coordinator.open_evidence("SA-001", doc.sha256, 2)
    assert shown == [(doc.id, 2)]


def test_the_analysis_page_shows_the_json(window, coordinator, qtbot, tmp_path, monkeypatch):
    window.coordinator.show("analysis")
    view = desk(window).analysis
    qtbot.waitUntil(lambda: bool(view.data))
    assert view.data == analysis.analyse(coordinator).to_json()
    assert view.items_model.rowCount() == len(view.data["items"])
    [chart] = view.chart_views
    series = chart.chart().series()[0]
    six = series.barSets()[0]
    rows = view.data["items"]
    # bars are drawn bottom-up: the JSON's first item is the top (last) bar
    assert [int(six.at(n)) for n in range(six.count())] == [
        r["counts"]["6"] for r in reversed(rows)]  # fmt: skip
    assert chart.accessibleName().startswith("Grade bars")
    from casereader.ui.coordinator import desk as desk_module

    monkeypatch.setattr(desk_module, "ask_export_target", lambda _p, kind: tmp_path / "a.xlsx")
    assert desk(window).export_analysis("xlsx") == tmp_path / "a.xlsx"
    assert (tmp_path / "a.xlsx").stat().st_size > 0


def test_the_tracker_moves_a_review_on_and_keeps_it_when_closed(
    window, coordinator, coordinated, monkeypatch
):
    window.coordinator.show("reviews")
    view = desk(window).reviews
    assert view.model.rowCount() == 2
    flag_id = coordinated.flag_ids["SA-003"]
    view.select_flag(flag_id)
    said = []
    monkeypatch.setattr(review_flow, "show_error", lambda _p, _t, m: said.append(m))
    answers = iter([("closed", "", "Lead inspector"), None])
    monkeypatch.setattr(AdvanceReviewDialog, "ask", classmethod(lambda *a, **k: next(answers)))
    assert view.advance_current() is None  # closing without a note is refused, then cancelled
    assert said and "closed" in said[0]
    assert flags.get_flag(coordinator, flag_id).status == "raised"
    monkeypatch.setattr(
        AdvanceReviewDialog,
        "ask",
        classmethod(
            lambda *a, **k: ("referred", "Sent to the partnership lead.", "Lead inspector")
        ),
    )
    view.advance_current()
    monkeypatch.setattr(
        AdvanceReviewDialog,
        "ask",
        classmethod(lambda *a, **k: ("closed", "Visits at weekends confirmed.", "Lead inspector")),
    )
    moved = view.advance_current()
    assert moved.status == "closed"
    assert [e.status for e in moved.history] == ["raised", "referred", "closed"]
    assert [e.actor for e in moved.history][1:] == ["Lead inspector", "Lead inspector"]
    # closed reviews stay listed (after the open one), with their history
    assert [f.flag_id for f in view.model.rows()][-1] == flag_id
    assert view.current_flag().flag_id == flag_id
    assert view.history.count() == 3
    assert not view.next_step.isEnabled()
    cases = desk(window).cases
    assert cases.model.row_at(cases.model.row_of("SA-003")).open_flags == 0


def test_a_reader_closing_a_review_the_coordinator_referred_keeps_every_step(
    window, coordinator, coordinated
):
    flag_id = coordinated.flag_ids["SA-004"]
    flags.advance_flag(coordinator, flag_id, "referred", "To the partnership.", "Lead inspector")
    merge_bundles(coordinator, [coordinated.bundles["R2-2"]], coordinated.identity())
    window.coordinator.refresh()
    view = desk(window).reviews
    view.select_flag(flag_id)
    flag = view.current_flag()
    assert flag.status == "closed"
    assert {e.status for e in flag.history} == {"raised", "referred", "closed"}


def test_reopening_the_store_keeps_moderations(window, coordinator_path):
    window.coordinator.show("moderation")
    view = desk(window).moderation
    view.select_case("SA-002")
    view.decision.value_box.setCurrentIndex(view.decision.value_box.findData("4"))
    view.decision.rationale.setPlainText("Panel agreed good.")
    assert view.record("impact.grade", "4", "Panel agreed good.")
    window.set_store(Store.open(coordinator_path, PASSPHRASE))
    window.coordinator.show("moderation")
    view.select_case("SA-002")
    row = view.items_model.row_of("impact.grade")
    assert view.items_model.row_at(row).moderated_value == "4"


def test_the_queue_is_read_when_its_page_is_shown_and_paints_before_the_case(
    window, qtbot, coordinator
):
    from casereader.ui.coordinator.moderation_view import ModerationView

    assert desk(window).moderation.queue_model.rowCount() == 0  # not read at store opening
    view = ModerationView()
    qtbot.addWidget(view)
    view.set_store(coordinator)
    assert view.queue_model.rowCount() == 2
    assert view.items_model.case is None  # the case's items follow the queue's first paint
    view.show()
    qtbot.waitUntil(lambda: view.items_model.case is not None)
    assert view.current_case_ref() == "SA-001"


def test_a_reader_store_lists_no_coordinator_keys(qtbot, writable_store, window):
    keys = {a.shortcut().toString() for a in window.actions()}
    assert {"Ctrl+5", "Ctrl+7", "Ctrl+Shift+M"} <= keys
    w = MainWindow(writable_store, remember_layout=False)
    qtbot.addWidget(w)
    assert not {"Ctrl+5", "Ctrl+7", "Ctrl+Shift+M"} & {a.shortcut().toString() for a in w.actions()}
    w.close()
