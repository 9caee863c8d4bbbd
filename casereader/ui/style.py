"""Palette helpers: follow the system's light or dark palette; the management-review red.

Widgets take their colours from the palette. The one fixed colour is the management-review
red, chosen per palette so that it reads on light and on dark backgrounds alike.
Where the platform gives no dark palette of its own (plain X11, offscreen) but the system asks
for dark, a Fusion dark palette is applied. CASEREADER_COLOR_SCHEME=dark|light overrides the
system's choice (for screenshots and tests).
"""

import os
from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QPlainTextEdit,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QTextEdit,
)

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
    icon = QIcon(pixmap)
    # without its own pixmaps Qt tints the mark for a selected or active row (a dull maroon)
    for mode in (QIcon.Mode.Selected, QIcon.Mode.Active):
        icon.addPixmap(pixmap, mode)
    return icon


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


def mixed(a: QColor, b: QColor, share_of_b: float) -> QColor:
    """The colour share_of_b of the way from a to b."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * share_of_b),
        round(a.green() + (b.green() - a.green()) * share_of_b),
        round(a.blue() + (b.blue() - a.blue()) * share_of_b),
    )


EDGE_CONTRAST = 3.0  # WCAG 1.4.11: what marks a field or a check box out from its surroundings


def field_edge_color(palette: QPalette | None = None) -> QColor:
    """An edge for fields, check boxes and answer buttons: 3:1 against window and base."""
    p = _palette(palette)
    role = QPalette.ColorRole
    return QColor.fromRgb(
        _edge_rgb(
            p.color(role.Window).rgb(), p.color(role.WindowText).rgb(), p.color(role.Base).rgb()
        )
    )


@cache
def _edge_rgb(window_rgb: int, text_rgb: int, base_rgb: int) -> int:
    window, text, base = (
        QColor.fromRgb(window_rgb),
        QColor.fromRgb(text_rgb),
        QColor.fromRgb(base_rgb),
    )
    share = 0.3
    edge = mixed(window, text, share)
    # step towards the text colour until the edge shows against both backgrounds it meets, with
    # a margin that keeps anti-aliased curves (radio buttons) above EDGE_CONTRAST too
    while (
        share < 1
        and min(contrast_ratio(edge, window), contrast_ratio(edge, base)) < EDGE_CONTRAST + 0.4
    ):
        share = min(1.0, share + 0.02)
        edge = mixed(window, text, share)
    return edge.rgb()


_EDGED = frozenset(
    {
        QStyle.PrimitiveElement.PE_IndicatorRadioButton,
        QStyle.PrimitiveElement.PE_IndicatorCheckBox,
        QStyle.PrimitiveElement.PE_FrameLineEdit,
        QStyle.PrimitiveElement.PE_Frame,
    }
)


_FIELDS = frozenset({QStyle.PrimitiveElement.PE_FrameLineEdit, QStyle.PrimitiveElement.PE_Frame})


class ReadableFusion(QProxyStyle):
    """Fusion, with edges that show on a dark window.

    Fusion outlines fields and check boxes in the window colour made darker, which on a dark
    window is all but black on near black (1.2:1); no palette can lift that while text on the
    base colour keeps 7:1. So on a dark palette a lighter edge is drawn over Fusion's.
    """

    def __init__(self):
        super().__init__(QStyleFactory.create("Fusion"))

    def drawPrimitive(self, element, option, painter, widget=None):  # noqa: N802 - Qt override
        """Fusion's drawing, plus a visible edge on dark palettes."""
        super().drawPrimitive(element, option, painter, widget)
        if element not in _EDGED or not is_dark(option.palette):
            return
        if element == QStyle.PrimitiveElement.PE_Frame and not isinstance(
            widget, (QTextEdit, QPlainTextEdit)
        ):
            return  # only typed-in fields; lists and viewers keep Fusion's quiet frame
        state = option.state
        if state & QStyle.StateFlag.State_HasFocus and (
            element in _FIELDS or state & QStyle.StateFlag.State_KeyboardFocusChange
        ):
            return  # Fusion's highlight shows where the focus is; leave it be
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        rect = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
        if element == QStyle.PrimitiveElement.PE_IndicatorRadioButton:
            # a little wider: anti-aliasing thins a one-pixel circle below the 3:1
            painter.setPen(QPen(field_edge_color(option.palette), 1.5))
            painter.drawEllipse(rect.adjusted(0.25, 0.25, -0.25, -0.25))
        else:
            painter.setPen(QPen(field_edge_color(option.palette), 1))
            painter.drawRoundedRect(rect, 2, 2)
        painter.restore()

    def drawComplexControl(self, control, option, painter, widget=None):  # noqa: N802 - Qt override
        """Fusion's drawing, plus a visible edge round number fields on dark palettes."""
        super().drawComplexControl(control, option, painter, widget)
        if (
            control == QStyle.ComplexControl.CC_SpinBox
            and option.frame
            and is_dark(option.palette)
            and not option.state & QStyle.StateFlag.State_HasFocus
        ):
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(field_edge_color(option.palette), 1))
            painter.drawRoundedRect(QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5), 2, 2)
            painter.restore()


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
        role.Highlight: "#3674cc",  # white on it 4.6:1, and 3:1 on the window as a focus frame
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


def use_style_for_palette(app: QApplication) -> None:
    """ReadableFusion on a dark palette, plain Fusion on a light one.

    ReadableFusion draws every control through Python; on a light palette Fusion's own edges
    show, so the cost is paid only where its edges are needed.
    """
    dark = is_dark(app.palette())
    if dark and not isinstance(app.style(), ReadableFusion):
        app.setStyle(ReadableFusion())
    elif not dark and (isinstance(app.style(), ReadableFusion) or app.style().name() != "fusion"):
        app.setStyle("Fusion")


def follow_system_palette(app: QApplication) -> None:
    """Apply the system's (or overridden) scheme now and whenever the system changes it."""
    app.setStyle("Fusion")

    def apply(scheme: Qt.ColorScheme) -> None:
        apply_color_scheme(app, scheme)
        use_style_for_palette(app)

    apply(requested_scheme(app))
    if not os.environ.get(COLOR_SCHEME_ENV):
        app.styleHints().colorSchemeChanged.connect(apply)
