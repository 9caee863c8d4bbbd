"""A grade printed so that it still reads in black and white: the number in a chip of the
scale's colour (text dark or light by the fill's lightness), a six-step meter filled in dark grey
up to the grade, and the label."""

from reportlab.lib import colors
from reportlab.platypus import Flowable

from casereader.reports.fonts import BOLD, REGULAR
from casereader.reports.styles import INK, RULE

CHIP_W, CHIP_H = 14.0, 11.0
CELL_W, CELL_H, CELL_GAP = 3.6, 7.0, 1.2
METER_FILL = colors.HexColor("#303030")


def luminance(colour: colors.Color) -> float:
    """Relative luminance (WCAG), 0 black … 1 white: what a greyscale printer keeps."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.red)
        + 0.7152 * channel(colour.green)
        + 0.0722 * channel(colour.blue)
    )


def text_on(fill: colors.Color) -> colors.Color:
    """Black or white, whichever reads better on the fill (in colour and in grey)."""
    return colors.black if luminance(fill) > 0.18 else colors.white


class GradeBadge(Flowable):
    """One line: [4] ▮▮▮▮▯▯ Good. Without a grade (N/A, unable) only the words are printed."""

    def __init__(self, grade: int | None, label: str, colour: str | None, size: float = 8.5):
        super().__init__()
        self.grade, self.label, self.size = grade, label, size
        self.fill = colors.HexColor(colour) if colour else colors.white
        self.height = CHIP_H + 1

    def _label_x(self) -> float:
        return 0.0 if self.grade is None else CHIP_W + 6 + 6 * (CELL_W + CELL_GAP)

    def wrap(self, avail_width, avail_height):
        from reportlab.pdfbase.pdfmetrics import stringWidth

        self.width = avail_width
        # a label too long for the line goes under the chip, whole, rather than cut short
        self.below = (
            self.grade is not None
            and self._label_x() + stringWidth(self.label, REGULAR, self.size) > avail_width
        )
        self.height = CHIP_H + 1 + (self.size + 3 if self.below else 0)
        return avail_width, self.height

    def draw(self):
        c = self.canv
        c.saveState()
        x = 0.0
        if self.below:
            c.translate(0, self.size + 3)
        if self.grade is not None:
            c.setStrokeColor(INK)
            c.setLineWidth(0.6)
            c.setFillColor(self.fill)
            c.roundRect(0, 0.5, CHIP_W, CHIP_H, 2, stroke=1, fill=1)
            c.setFillColor(text_on(self.fill))
            c.setFont(BOLD, 8.5)
            c.drawCentredString(CHIP_W / 2, 3.4, str(self.grade))
            x = CHIP_W + 3
            c.setLineWidth(0.4)
            for step in range(6):
                c.setFillColor(METER_FILL if step < self.grade else colors.white)
                c.setStrokeColor(INK if step < self.grade else RULE)
                c.rect(x + step * (CELL_W + CELL_GAP), 2.5, CELL_W, CELL_H, stroke=1, fill=1)
            x += 6 * (CELL_W + CELL_GAP) + 3
        c.setFillColor(INK)
        c.setFont(REGULAR, self.size)
        if self.below:
            x, y = 0.0, -(self.size + 1)
        else:
            y = 3.4
        c.drawString(x, y, _fit(self.label, self.width - x, self.size))
        c.restoreState()


def _fit(label: str, width: float, size: float) -> str:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(label, REGULAR, size) <= width:
        return label
    while label and stringWidth(label + "…", REGULAR, size) > width:
        label = label[:-1]
    return label + "…"
