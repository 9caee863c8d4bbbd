"""The Analysis view: the analysis JSON's tables beside stacked grade bars per stage.

The view shows one analysis result (``set_data(analysis.to_json())``) and computes nothing of
its own; the desk runs the analysis (see desk.py) and hands the JSON over.
"""

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from casereader.ui.coordinator.analysis_models import (
    BREAKDOWN_LABELS,
    AgreementModel,
    BreakdownModel,
    FollowUpModel,
    GoodPracticeModel,
    GradedItemsModel,
    UnresolvedModel,
    YesNoModel,
    agreement_rows,
    breakdown_rows,
    percent_text,
)
from casereader.ui.coordinator.table import SORT_ROLE, RowsModel
from casereader.ui.coordinator.widgets import plain_label, set_column_widths, table_view


def sorted_table(model: RowsModel, name: str, description: str) -> QTableView:
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view = table_view(name, description)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the JSON's order until a header is clicked
    view.horizontalHeader().setSortIndicatorShown(False)
    return view


def stages_of(data: dict) -> list[tuple[str, str, list[dict]]]:
    """(stage id, title, graded item rows) in the JSON's order."""
    stages: dict[str, tuple[str, list[dict]]] = {}
    for row in data.get("items", []):
        title = row.get("stage_title") or row["stage"]
        stages.setdefault(row["stage"], (title, []))[1].append(row)
    return [(stage, title, rows) for stage, (title, rows) in stages.items()]


class AnalysisView(QWidget):
    """Tables (graded items, yes/no, agreement, unresolved, breakdowns, lists) and charts."""

    refresh_requested = Signal(bool)  # include reserve cases
    export_requested = Signal(str)  # "csv" or "xlsx"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.data: dict = {}
        self.chart_views: list = []
        self.summary = plain_label("The analysis has not been run yet.", "Analysis summary")
        self.include_reserve = QCheckBox("Include the other &reserve cases read")
        self.include_reserve.setAccessibleName("Include reserve cases that were read")
        self.refresh = QPushButton("&Refresh analysis")
        self.refresh.setAccessibleName("Run the analysis again")
        self.items_model = GradedItemsModel(self)
        self.yes_no_model = YesNoModel(self)
        self.agreement_model = AgreementModel(self)
        self.unresolved_model = UnresolvedModel(self)
        self.breakdown_model = BreakdownModel(self)
        self.follow_up_model = FollowUpModel(self)
        self.good_practice_model = GoodPracticeModel(self)
        self.items_table = sorted_table(
            self.items_model, "Graded items", "Counts of each grade and the three proportions"
        )
        self.breakdown_box = QComboBox()
        self.breakdown_box.setAccessibleName("Breakdown by")
        for key, label in BREAKDOWN_LABELS.items():
            self.breakdown_box.addItem(label, key)
        breakdown_page = QWidget()
        breakdown_layout = QVBoxLayout(breakdown_page)
        row = QHBoxLayout()
        by = QLabel("&Breakdown by")
        by.setBuddy(self.breakdown_box)
        row.addWidget(by)
        row.addWidget(self.breakdown_box)
        row.addStretch(1)
        breakdown_layout.addLayout(row)
        self.breakdown_table = sorted_table(
            self.breakdown_model, "Breakdown", "Proportions for each value of the breakdown"
        )
        breakdown_layout.addWidget(self.breakdown_table)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Analysis tables")
        self.tabs.addTab(self.items_table, "Graded items")
        self.tabs.addTab(
            sorted_table(self.yes_no_model, "Yes/no items", "Per item: % yes"), "Yes/no"
        )
        self.agreement_table = sorted_table(
            self.agreement_model, "Agreement", "Agreement between readers of double-read cases"
        )
        self.tabs.addTab(self.agreement_table, "Agreement")
        self.tabs.addTab(
            sorted_table(
                self.unresolved_model, "Unresolved", "Disagreements without a moderated value"
            ),
            "Unresolved",
        )
        self.tabs.addTab(breakdown_page, "Breakdowns")
        self.tabs.addTab(
            sorted_table(self.follow_up_model, "Follow-up cases", ""), "Follow-up cases"
        )
        self.tabs.addTab(
            sorted_table(self.good_practice_model, "Good practice", ""), "Good practice"
        )
        self.charts = QWidget()
        self.charts_layout = QVBoxLayout(self.charts)
        self.charts_layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.charts)
        scroll.setAccessibleName("Grade bars per stage")

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.include_reserve)
        top.addWidget(self.refresh)
        self.export_csv = QPushButton("Export &CSV…")
        self.export_csv.setAccessibleName("Export the analysis tables as CSV files, one per table")
        self.export_xlsx = QPushButton("Export &XLSX…")
        self.export_xlsx.setAccessibleName("Export the analysis as a workbook, a sheet per table")
        top.addWidget(self.export_csv)
        top.addWidget(self.export_xlsx)
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.setObjectName("analysis")
        self.split.addWidget(self.tabs)
        self.split.addWidget(scroll)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 1)
        self.split.setSizes([380, 420])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.split, 1)

        self.breakdown_box.currentIndexChanged.connect(self._show_breakdown)
        self.refresh.clicked.connect(self._refresh)
        self.include_reserve.toggled.connect(self._refresh)
        self.export_csv.clicked.connect(lambda: self.export_requested.emit("csv"))
        self.export_xlsx.clicked.connect(lambda: self.export_requested.emit("xlsx"))
        self.set_busy(False)
        self.summary.setText("The analysis has not been run yet.")

    def _refresh(self) -> None:
        self.refresh_requested.emit(self.include_reserve.isChecked())

    def set_busy(self, busy: bool) -> None:
        self.refresh.setEnabled(not busy)
        self.include_reserve.setEnabled(not busy)
        for button in (self.export_csv, self.export_xlsx):
            button.setEnabled(not busy and bool(self.data))
        if busy:
            self.summary.setText("Running the analysis…")

    def set_data(self, data: dict) -> None:
        """Show one analysis JSON (exactly what `analysis --json` prints)."""
        self.data = data
        self.set_busy(False)
        sample = data.get("sample") or {}
        overall = (data.get("agreement") or {}).get("overall") or {}
        reserve = sample.get("reserve_counted") or []
        text = f"{data.get('inspection', '')}: {sample.get('cases', 0)} cases analysed"
        if reserve:
            text += f" ({len(reserve)} reserve counted: {', '.join(reserve)})"
        text += (
            f" · agreement {percent_text(overall.get('exact_percent'))} exact over "
            f"{overall.get('pairs', 0)} pairs · {len(data.get('unresolved') or [])} unresolved"
        )
        self.summary.setText(text)
        self.items_model.set_rows(data.get("items") or [])
        self.yes_no_model.set_rows(data.get("yes_no") or [])
        self.agreement_model.set_rows(agreement_rows(data))
        labels = {(r["stage"], r["item"]): r["label"] for r in data.get("items", [])}
        self.unresolved_model.set_rows(
            [
                {**r, "item": labels.get((r["stage"], r["item"]), r["item"])}
                for r in data.get("unresolved") or []
            ]
        )
        self.follow_up_model.set_rows(data.get("follow_up_cases") or [])
        self.good_practice_model.set_rows(data.get("good_practice") or [])
        self._show_breakdown()
        self._fit_columns()
        self._show_charts()

    def _fit_columns(self) -> None:
        widths = [150, 280] + [34] * 6 + [46, 54, 34] + [190] * 3
        set_column_widths(self.items_table, widths)
        set_column_widths(self.agreement_table, (150, 60, 110, 110, 120, 150))

    def _show_breakdown(self) -> None:
        dimension = self.breakdown_box.currentData()
        self.breakdown_model.set_rows(breakdown_rows(self.data, dimension) if self.data else [])
        set_column_widths(self.breakdown_table, (110, 50, 90, 220, 40, 190, 190))

    def _show_charts(self) -> None:
        """One chart: a stacked bar per graded item, stage by stage (the JSON's counts)."""
        from casereader.ui.coordinator.charts import GradeBarsView

        while self.charts_layout.count():
            widget = self.charts_layout.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        rows = [row for _stage, _title, stage_rows in stages_of(self.data) for row in stage_rows]
        self.chart_views = []
        if rows:
            view = GradeBarsView("Grades per item, stage by stage (cases counted)", rows)
            self.chart_views.append(view)
            self.charts_layout.addWidget(view)

    def focus_tables(self) -> None:
        self.tabs.currentWidget().setFocus(Qt.FocusReason.ShortcutFocusReason)
