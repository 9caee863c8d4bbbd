"""Search hits drawn over a rendered page: every hit tinted, the current one outlined."""

from collections.abc import Callable

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen

HIT_ALPHA, CURRENT_HIT_ALPHA = 70, 120


def draw_hits(
    painter: QPainter,
    palette: QPalette,
    hits: list[list[QRectF]],
    current: list[QRectF] | None,
    to_pixels: Callable[[QRectF], QRect],
) -> None:
    """Tint each hit's rectangles (in points) and outline the current hit's, on the page
    `to_pixels` maps points onto."""
    colour = QColor(palette.color(QPalette.ColorRole.Highlight))
    painter.setPen(Qt.PenStyle.NoPen)
    colour.setAlpha(HIT_ALPHA)
    for rects in hits:
        for rect in rects:
            painter.fillRect(to_pixels(rect), colour)
    if current is not None:
        colour.setAlpha(CURRENT_HIT_ALPHA)
        outline = QPen(palette.color(QPalette.ColorRole.Highlight).darker(130), 2)
        for rect in current:
            box = to_pixels(rect).adjusted(-2, -2, 2, 2)
            painter.fillRect(box, colour)
            painter.setPen(outline)
            painter.drawRect(box)
