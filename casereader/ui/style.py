"""Palette helpers: follow the system's light or dark palette; the management-review red.

Widgets take their colours from the palette. The one fixed colour is the management-review
red, chosen per palette so that it reads on light and on dark backgrounds alike.
Where the platform gives no dark palette of its own (plain X11, offscreen) but the system asks
for dark, a Fusion dark palette is applied. CASEREADER_COLOR_SCHEME=dark|light overrides the
system's choice (for screenshots and tests).
"""

import os
from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication

COLOR_SCHEME_ENV = "CASEREADER_COLOR_SCHEME"

# Deep red behind white text (contrast > 6:1) in both palettes; a lighter red for red text on
# a dark base, where the deep red would be too dim to read.
REVIEW_RED = QColor("#b3261e")
REVIEW_RED_ON_DARK = QColor("#ff8a80")


def _palette(palette: QPalette | None) -> QPalette:
    return palette if palette is not None else QGuiApplication.palette()


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the palette's window background is dark."""
    return _palette(palette).color(QPalette.ColorRole.Window).lightness() < 128


def review_banner_colors(palette: QPalette | None = None) -> tuple[QColor, QColor]:
    """(background, text) for a management-review banner or badge."""
    return QColor(REVIEW_RED), QColor("#ffffff")


def review_text_color(palette: QPalette | None = None) -> QColor:
    """The red for text or marks drawn on the palette's base colour (lists, tables)."""
    return QColor(REVIEW_RED_ON_DARK if is_dark(palette) else REVIEW_RED)


@cache
def review_mark() -> QIcon:
    """A red disc with a light rim: reads on light, dark and selected rows alike."""
    pixmap = QPixmap(14, 14)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#ffffff"), 1.5))
    painter.setBrush(review_banner_colors()[0])
    painter.drawEllipse(1, 1, 12, 12)
    painter.end()
    return QIcon(pixmap)


def muted_text_color(palette: QPalette | None = None) -> QColor:
    """A secondary text colour (hints, counts) that keeps enough contrast."""
    return _palette(palette).color(QPalette.ColorRole.PlaceholderText)


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio between two colours (1 … 21)."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        r, g, b = channel(c.redF()), channel(c.greenF()), channel(c.blueF())
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def dark_palette() -> QPalette:
    """A Fusion dark palette, used when the system wants dark and the platform has none."""
    p = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colours = {
        role.Window: "#2b2b2b",
        role.WindowText: "#e8e8e8",
        role.Base: "#1e1e1e",
        role.AlternateBase: "#262626",
        role.ToolTipBase: "#3a3a3a",
        role.ToolTipText: "#f0f0f0",
        role.PlaceholderText: "#a0a0a0",
        role.Text: "#e8e8e8",
        role.Button: "#353535",
        role.ButtonText: "#e8e8e8",
        role.BrightText: "#ff6b6b",
        role.Light: "#4a4a4a",
        role.Midlight: "#404040",
        role.Mid: "#303030",
        role.Dark: "#202020",
        role.Shadow: "#000000",
        role.Highlight: "#3d7dd8",
        role.HighlightedText: "#ffffff",
        role.Link: "#8ab4f8",
        role.LinkVisited: "#c58af9",
    }
    for r, value in colours.items():
        p.setColor(r, QColor(value))
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(group.Disabled, r, QColor("#7a7a7a"))
    p.setColor(group.Disabled, role.Highlight, QColor("#505050"))
    return p


def requested_scheme(app: QGuiApplication | None = None) -> Qt.ColorScheme:
    """The colour scheme asked for: the environment override, else the system's."""
    wanted = os.environ.get(COLOR_SCHEME_ENV, "").strip().lower()
    if wanted == "dark":
        return Qt.ColorScheme.Dark
    if wanted == "light":
        return Qt.ColorScheme.Light
    app = app or QGuiApplication.instance()
    return app.styleHints().colorScheme() if app else Qt.ColorScheme.Unknown


def apply_color_scheme(app: QApplication, scheme: Qt.ColorScheme) -> None:
    """Use a dark palette for Dark unless the platform already gave one; the style's for Light."""
    if scheme == Qt.ColorScheme.Dark and not is_dark(app.palette()):
        app.setPalette(dark_palette())
    elif scheme == Qt.ColorScheme.Light and is_dark(app.palette()):
        app.setPalette(app.style().standardPalette())


def follow_system_palette(app: QApplication) -> None:
    """Apply the system's (or overridden) scheme now and whenever the system changes it."""
    app.setStyle("Fusion")
    apply_color_scheme(app, requested_scheme(app))
    if not os.environ.get(COLOR_SCHEME_ENV):
        app.styleHints().colorSchemeChanged.connect(lambda scheme: apply_color_scheme(app, scheme))
