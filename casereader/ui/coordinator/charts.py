"""Stacked grade bars per item of a stage (QtCharts), readable in greyscale.

Each grade has its own grey level and fill pattern, and every segment carries its count, so the
chart reads the same printed in black and white. The numbers are the analysis JSON's counts.
"""

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen

# grade: (legend text, grey level, pattern). Dark is good, light is weak; the one hatched
# segment (2) and the white one (1, outlined) set apart the two weakest grades at a glance.
GRADE_LOOK = {
    "6": ("6 Excellent", 35, Qt.BrushStyle.SolidPattern),
    "5": ("5 Very good", 90, Qt.BrushStyle.SolidPattern),
    "4": ("4 Good", 145, Qt.BrushStyle.SolidPattern),
    "3": ("3 Adequate", 195, Qt.BrushStyle.SolidPattern),
    "2": ("2 Weak", 110, Qt.BrushStyle.BDiagPattern),
    "1": ("1 Unsatisfactory", 250, Qt.BrushStyle.SolidPattern),
}


def grade_brush(grade: str) -> QBrush:
    _, level, pattern = GRADE_LOOK[grade]
    return QBrush(QColor(level, level, level), pattern)


def label_color(grade: str) -> QColor:
    """White on the two dark greys, black on the rest (the hatch is on white)."""
    _, level, pattern = GRADE_LOOK[grade]
    dark = level < 120 and pattern == Qt.BrushStyle.SolidPattern
    return QColor("white") if dark else QColor("black")


def bar_label(row: dict, rows: list[dict]) -> str:
    """The stage's title when it has one graded item, else "Stage: item"."""
    stage = row.get("stage_title") or row["stage"]
    alone = sum(1 for r in rows if r["stage"] == row["stage"]) == 1
    return stage if alone else f"{stage}: {row['label']}"


def short_label(text: str, limit: int = 42) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def grade_chart(title: str, rows: list[dict], scale_labels: dict[str, str] | None = None) -> QChart:
    """Graded items (JSON rows, stage by stage) as horizontal stacked bars of counts 6…1."""
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    series = QHorizontalStackedBarSeries()
    ordered = list(reversed(rows))  # the first item at the top
    for grade in GRADE_LOOK:
        name = (scale_labels or {}).get(grade) or GRADE_LOOK[grade][0]
        bar = QBarSet(name)
        bar.append([float(r["counts"].get(grade, 0)) for r in ordered])
        bar.setBrush(grade_brush(grade))
        bar.setPen(QPen(QColor(0, 0, 0), 0.8))
        bar.setLabelColor(label_color(grade))
        series.append(bar)
    series.setLabelsVisible(True)
    series.setLabelsFormat("@value")
    series.setBarWidth(0.7)
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    categories.append([f"{short_label(bar_label(r, rows))} (n {r['n']})" for r in ordered])
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(categories)
    counts = QValueAxis()
    most = max((sum(r["counts"].get(g, 0) for g in GRADE_LOOK) for r in rows), default=0)
    counts.setRange(0, max(most, 1))
    counts.setLabelFormat("%d")
    counts.setTickCount(min(max(most, 1), 10) + 1)
    counts.setTitleText("Cases (grades 1–6; N/A and unable not shown)")
    chart.addAxis(counts, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(counts)
    return chart


class GradeBarsView(QChartView):
    """A chart view with a screen-reader name and a description of every bar in words."""

    def __init__(self, title: str, rows: list[dict], scale_labels=None, parent=None):
        super().__init__(grade_chart(title, rows, scale_labels), parent)
        self.rows = rows
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAccessibleName(f"Grade bars: {title}")
        self.setAccessibleDescription(describe(rows))
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setMinimumHeight(110 + 30 * len(rows))


def describe(rows: list[dict]) -> str:
    """The bars in words for a screen reader: each item's counts from 6 down to 1."""
    parts = []
    for r in rows:
        counts = ", ".join(f"{r['counts'].get(g, 0)} graded {g}" for g in GRADE_LOOK)
        stage = r.get("stage_title") or r["stage"]
        parts.append(f"{stage}, {r['label']}: {counts}; n {r['n']}.")
    return " ".join(parts)
