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

# grade: (legend text, grey level, pattern); dark = good, light = weak; patterns set apart the
# neighbouring greys.
GRADE_LOOK = {
    "6": ("6 Excellent", 30, Qt.BrushStyle.SolidPattern),
    "5": ("5 Very good", 75, Qt.BrushStyle.Dense2Pattern),
    "4": ("4 Good", 120, Qt.BrushStyle.SolidPattern),
    "3": ("3 Adequate", 165, Qt.BrushStyle.BDiagPattern),
    "2": ("2 Weak", 205, Qt.BrushStyle.SolidPattern),
    "1": ("1 Unsatisfactory", 235, Qt.BrushStyle.DiagCrossPattern),
}


def grade_brush(grade: str) -> QBrush:
    _, level, pattern = GRADE_LOOK[grade]
    return QBrush(QColor(level, level, level), pattern)


def label_color(grade: str) -> QColor:
    """White on the dark greys, black on the light ones."""
    return QColor("white") if GRADE_LOOK[grade][1] < 128 else QColor("black")


def short_label(text: str, limit: int = 42) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def stage_chart(title: str, rows: list[dict], scale_labels: dict[str, str] | None = None) -> QChart:
    """One stage's graded items as horizontal stacked bars of their counts 6…1 (JSON rows)."""
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
    categories.append([f"{short_label(r['label'])} (n {r['n']})" for r in ordered])
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


class StageChartView(QChartView):
    """A chart view with a screen-reader name and a description of every bar in words."""

    def __init__(self, title: str, rows: list[dict], scale_labels=None, parent=None):
        super().__init__(stage_chart(title, rows, scale_labels), parent)
        self.rows = rows
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAccessibleName(f"Grade bars: {title}")
        self.setAccessibleDescription(describe(rows))
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setMinimumHeight(150 + 34 * len(rows))


def describe(rows: list[dict]) -> str:
    """The bars in words for a screen reader: each item's counts from 6 down to 1."""
    parts = []
    for r in rows:
        counts = ", ".join(f"{r['counts'].get(g, 0)} graded {g}" for g in GRADE_LOOK)
        parts.append(f"{r['label']}: {counts}; n {r['n']}.")
    return " ".join(parts)
