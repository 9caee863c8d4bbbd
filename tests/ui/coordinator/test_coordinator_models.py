"""The desk's table models, tested without a window, on the merged inspection's real data."""

import pytest
from PySide6.QtCore import Qt

from casereader.store.coordination import analysis, moderation, overview
from casereader.store.models import EvidenceLink, Flag, FlagEvent
from casereader.ui.coordinator.analysis_models import (
    AgreementModel,
    BreakdownModel,
    GradedItemsModel,
    UnresolvedModel,
    YesNoModel,
    agreement_rows,
    breakdown_rows,
    proportion_text,
)
from casereader.ui.coordinator.moderation_models import (
    ComparisonModel,
    DifferencesFilter,
    ModerationQueueModel,
    reading_cell,
)
from casereader.ui.coordinator.overview_models import (
    MergedCaseFilter,
    MergedCaseModel,
    ReaderProgressModel,
)
from casereader.ui.coordinator.reviews_view import ReviewTrackerModel, tracker_order
from casereader.ui.coordinator.table import ROW_ROLE

ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole
# No window is made; the review mark (an icon) needs the application object only.
pytestmark = pytest.mark.usefixtures("qapp")


def texts(model, column: str) -> list[str]:
    col = [c.title for c in model.columns].index(column)
    return [model.text(n, col) for n in range(model.rowCount())]


def test_merged_cases_show_every_reader_and_the_overall_status(coordinator):
    model = MergedCaseModel()
    model.set_rows(overview.merged_overview(coordinator).cases)
    assert model.rowCount() == 8
    row = dict(zip(texts(model, "Case"), texts(model, "Readers"), strict=True))
    assert row["SA-002"].startswith("R1 complete") and "R3 complete" in row["SA-002"]
    assert "1 open review" in row["SA-003"]
    status = dict(zip(texts(model, "Case"), texts(model, "Overall status"), strict=True))
    assert status["SA-005"] == "In progress"
    assert status["SA-006"].startswith("Not started (replaced by SA-007")
    double = dict(zip(texts(model, "Case"), texts(model, "Double read"), strict=True))
    assert [ref for ref, mark in double.items() if mark] == ["SA-001", "SA-002"]
    review = model.index(model.row_of("SA-004"), 1)
    assert model.data(review, ACCESSIBLE) == "Review: 1 open management reviews"
    assert model.data(review, Qt.ItemDataRole.DecorationRole) is not None


def test_the_case_filter_keeps_double_reads_or_one_readers_cases(coordinator):
    model = MergedCaseModel()
    model.set_rows(overview.merged_overview(coordinator).cases)
    proxy = MergedCaseFilter()
    proxy.setSourceModel(model)
    proxy.set_filter(double_only=True)
    assert [proxy.index(n, 0).data() for n in range(proxy.rowCount())] == ["SA-001", "SA-002"]
    proxy.set_filter(reader="R3")
    assert sorted(proxy.index(n, 0).data() for n in range(proxy.rowCount())) == [
        "SA-002", "SA-005", "SA-006"]  # fmt: skip
    proxy.set_filter(status="in_progress")
    assert [proxy.index(n, 0).data() for n in range(proxy.rowCount())] == ["SA-005"]


def test_reader_progress_has_the_last_bundle(coordinator):
    model = ReaderProgressModel()
    model.set_rows(overview.merged_overview(coordinator).readers)
    assert texts(model, "Reader") == ["R1", "R2", "R3"]
    assert texts(model, "Last bundle") == ["#1", "#1", "#1"]
    assert texts(model, "Flagged") == ["1", "1", "0"]
    assert all(len(f) == 19 for f in texts(model, "Key fingerprint"))  # XXXX-XXXX-XXXX-XXXX


def test_the_queue_keeps_the_cores_order_and_says_what_is_left(coordinator):
    queue = moderation.moderation_queue(coordinator)
    model = ModerationQueueModel()
    model.set_rows(queue)
    assert texts(model, "Case") == [c.case_ref for c in queue]
    assert texts(model, "Readers") == ["R1, R2", "R1, R2, R3"]
    assert texts(model, "To do") == ["2 to decide", "1 to decide"]


def test_the_comparison_has_a_column_per_reader_and_differences_only(coordinator):
    case = moderation.case_comparison(coordinator, "SA-002")
    model = ComparisonModel()
    model.set_case(case, lambda _key, value: value or "")
    titles = [c.title for c in model.columns]
    assert titles[2:5] == ["Reader A", "Reader B", "Reader C"]
    assert model.rowCount() == len(coordinator.template.items())
    proxy = DifferencesFilter()
    proxy.setSourceModel(model)
    proxy.set_differences_only(True)
    shown = [proxy.index(n, 0).data(ROW_ROLE).item_key for n in range(proxy.rowCount())]
    assert shown == ["impact.grade"]
    row = model.row_of("impact.grade")
    # Reader C's own grade, and the grade agreed with the paired inspector beside it
    assert model.text(row, 4) == "4; agreed 3"
    proxy.set_differences_only(False)
    assert proxy.rowCount() == model.rowCount()


def test_a_reading_cell_counts_its_evidence_links():
    link = EvidenceLink(id=1, case_ref="SA-001", item_key="a.b", reader_id="R1",
                        document_sha256="0" * 64, page=2, label="Plan", created_at="x")  # fmt: skip

    class Reading:
        value, agreed_value, links = "4", None, [link]

    assert reading_cell(Reading, lambda _k, v: v, "a.b") == "4  [1 link]"


def test_the_analysis_tables_show_the_json_numbers(coordinator):
    data = analysis.analyse(coordinator).to_json()
    items = GradedItemsModel()
    items.set_rows(data["items"])
    titles = [c.title for c in items.columns]
    for n, row in enumerate(data["items"]):
        for grade in ("6", "5", "4", "3", "2", "1"):
            assert items.text(n, titles.index(grade)) == str(row["counts"][grade])
        assert items.text(n, titles.index("N/A")) == str(row["counts"]["na"])
        assert items.text(n, titles.index("Unable")) == str(row["counts"]["unable"])
        assert items.text(n, titles.index("n")) == str(row["n"])
        good = row["good_or_better"]
        cell = items.text(n, titles.index("Good or better (4–6)"))
        assert cell == proportion_text(good)
        assert f"({good['k']}/{good['n']})" in cell and good["phrase"] in cell
    yes_no = YesNoModel()
    yes_no.set_rows(data["yes_no"])
    assert yes_no.rowCount() == len(data["yes_no"])
    agreement = AgreementModel()
    agreement.set_rows(agreement_rows(data))
    assert texts(agreement, "Scope")[0] == "Overall"
    assert texts(agreement, "Pairs")[0] == str(data["agreement"]["overall"]["pairs"])
    assert agreement.rowCount() == 1 + len(data["agreement"]["by_stage"])
    unresolved = UnresolvedModel()
    unresolved.set_rows(data["unresolved"])
    assert sorted(texts(unresolved, "Case")) == sorted(r["case_ref"] for r in data["unresolved"])
    breakdown = BreakdownModel()
    breakdown.set_rows(breakdown_rows(data, "reader"))
    assert set(texts(breakdown, "Value")) == set(data["breakdowns"]["reader"])


def test_a_proportion_of_nothing_says_so_without_a_number():
    assert proportion_text({"k": 0, "n": 0, "percent": None, "phrase": "none"}) == "— none (0/0)"
    assert proportion_text({"k": 3, "n": 4, "percent": 75.0, "phrase": "most"}) == (
        "75.0% most (3/4)"
    )


def test_kappa_null_is_shown_with_its_reason():
    data = {"items": [], "agreement": {"overall": {
        "pairs": 0, "exact_percent": None, "within_one_percent": None, "kappa_quadratic": None,
        "excluded_pairs": 0, "kappa_note": "no pairs"}, "by_stage": {}}}  # fmt: skip
    model = AgreementModel()
    model.set_rows(agreement_rows(data))
    assert texts(model, "Kappa (quadratic)") == ["—"]
    assert texts(model, "Exact agreement") == ["—"]
    assert texts(model, "Note") == ["no pairs"]


def _flag(flag_id: str, status: str, raised_at: str) -> Flag:
    event = FlagEvent(status="raised", actor="R1", at=raised_at, note="<b>not bold</b>")
    return Flag(flag_id=flag_id, case_ref="SA-001", reader_id="R1", category="other",
                description="<i>x</i>", status=status, raised_by="R1", raised_at=raised_at,
                updated_at=raised_at, history=[event])  # fmt: skip


def test_the_tracker_lists_open_reviews_first_and_keeps_closed_ones():
    rows = tracker_order([
        _flag("a", "closed", "2026-01-01T00:00:00+00:00"),
        _flag("b", "referred", "2026-01-03T00:00:00+00:00"),
        _flag("c", "raised", "2026-01-02T00:00:00+00:00"),
    ])  # fmt: skip
    model = ReviewTrackerModel()
    model.set_rows(rows)
    assert texts(model, "Review id") == ["c", "b", "a"]
    assert texts(model, "Step") == ["Raised", "Referred to the partnership", "Closed"]
    assert texts(model, "Description") == ["<i>x</i>"] * 3  # shown as it is, never as markup
