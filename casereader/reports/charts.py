"""Stacked grade bars (reportlab graphics), readable in black and white.

Each graded item is one bar of its graded answers, 6 on the left to 1 on the right. The fills
darken with the grade (a greyscale printer keeps their order), weak and unsatisfactory are
hatched as well, and every segment wide enough carries its count.
"""

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit

from casereader.reports.chips import text_on
from casereader.reports.fonts import BOLD, REGULAR
from casereader.reports.styles import INK, MUTED, RULE

GRADE_FILLS = {
    6: "#08306b",
    5: "#2f6ea9",
    4: "#6fa3d0",
    3: "#c6dbef",
    2: "#fbe3c9",
    1: "#f2a65e",
}
HATCH = {2: ("/",), 1: ("/", "\\")}  # weak: one hatch; unsatisfactory: crossed
ROW_H, BAR_H, LABEL_W, TAIL_W = 26.0, 14.0, 150.0, 80.0
LEGEND_H = 22.0


def _hatch(drawing: Drawing, x: float, y: float, w: float, h: float, directions) -> None:
    """Diagonal lines clipped by hand to the segment (reportlab shapes have no patterns)."""
    step = 4.0
    for direction in directions:
        offset = -h
        while offset < w:
            # a line of slope ±1 starting at (x + offset, y)
            x0, y0, x1, y1 = x + offset, y, x + offset + h, y + h
            if direction == "\\":
                y0, y1 = y + h, y
            # clip to [x, x + w]
            if x0 < x:
                cut = x - x0
                x0 = x
                y0 = y0 + cut if direction == "/" else y0 - cut
            if x1 > x + w:
                cut = x1 - (x + w)
                x1 = x + w
                y1 = y1 - cut if direction == "/" else y1 + cut
            if x1 > x0:
                drawing.add(Line(x0, y0, x1, y1, strokeColor=INK, strokeWidth=0.5))
            offset += step


def legend(drawing: Drawing, width: float, y: float, scale_labels: dict[int, str]) -> None:
    x = 0.0
    for grade in range(6, 0, -1):
        fill = colors.HexColor(GRADE_FILLS[grade])
        drawing.add(Rect(x, y, 12, 10, fillColor=fill, strokeColor=INK, strokeWidth=0.5))
        if grade in HATCH:
            _hatch(drawing, x, y, 12, 10, HATCH[grade])
        text = f"{grade} {scale_labels.get(grade, '')}"
        drawing.add(String(x + 15, y + 2, text, fontName=REGULAR, fontSize=7.5, fillColor=INK))
        x += 15 + _width(text, 7.5) + 10
        if x > width - 60 and grade > 1:
            x, y = 0.0, y - 13


def _width(text: str, size: float, font: str = REGULAR) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, font, size)


def stacked_grades(rows: list[dict], width: float, scale_labels: dict[int, str]) -> Drawing:
    """One bar per graded item; rows are the analysis JSON's `items` entries."""
    height = LEGEND_H + 8 + ROW_H * max(len(rows), 1)
    drawing = Drawing(width, height)
    legend(drawing, width, height - 12, scale_labels)
    bar_w = width - LABEL_W - TAIL_W
    for i, row in enumerate(rows):
        top = height - LEGEND_H - 8 - i * ROW_H
        y = top - (ROW_H + BAR_H) / 2
        label_lines = simpleSplit(
            row.get("stage_title") or row.get("label", ""), BOLD, 7.5, LABEL_W - 8
        )[:2]
        first = y + 4 if len(label_lines) == 1 else y + 9
        for j, line in enumerate(label_lines):
            drawing.add(String(0, first - j * 9, line, fontName=BOLD, fontSize=7.5, fillColor=INK))
        counts = row.get("counts", {})
        n = row.get("n") or 0
        x = LABEL_W
        drawing.add(Rect(x, y, bar_w, BAR_H, fillColor=None, strokeColor=RULE, strokeWidth=0.4))
        if n:
            for grade in range(6, 0, -1):
                k = int(counts.get(str(grade), 0) or 0)
                if not k:
                    continue
                w = bar_w * k / n
                fill = colors.HexColor(GRADE_FILLS[grade])
                drawing.add(Rect(x, y, w, BAR_H, fillColor=fill, strokeColor=INK, strokeWidth=0.5))
                if grade in HATCH:
                    _hatch(drawing, x, y, w, BAR_H, HATCH[grade])
                label = str(k)
                if w >= _width(label, 7.5, BOLD) + 4 and grade not in HATCH:
                    drawing.add(
                        String(
                            x + w / 2,
                            y + 4,
                            label,
                            fontName=BOLD,
                            fontSize=7.5,
                            fillColor=text_on(fill),
                            textAnchor="middle",
                        )
                    )
                elif w >= _width(label, 7.5, BOLD) + 4:
                    # on hatching the count sits on a small white plate to stay legible
                    pw = _width(label, 7.5, BOLD) + 3
                    drawing.add(
                        Rect(
                            x + w / 2 - pw / 2,
                            y + 2.5,
                            pw,
                            9,
                            fillColor=colors.white,
                            strokeColor=None,
                        )
                    )
                    drawing.add(
                        String(
                            x + w / 2,
                            y + 4,
                            label,
                            fontName=BOLD,
                            fontSize=7.5,
                            fillColor=INK,
                            textAnchor="middle",
                        )
                    )
                x += w
        else:
            drawing.add(
                String(
                    LABEL_W + 4,
                    y + 4,
                    "no graded records",
                    fontName=REGULAR,
                    fontSize=7.5,
                    fillColor=MUTED,
                )
            )
        na, unable = counts.get("na", 0) or 0, counts.get("unable", 0) or 0
        tail = f"n = {n}" + (f"; N/A {na}" if na else "") + (f"; unable {unable}" if unable else "")
        drawing.add(
            String(LABEL_W + bar_w + 6, y + 4, tail, fontName=REGULAR, fontSize=7, fillColor=MUTED)
        )
    return drawing
