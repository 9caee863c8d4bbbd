"""Dark mode: a live palette switch restyles built pages; edges show; the review mark stays red."""

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from casereader.domain.template import Item, find_template
from casereader.domain.template.loader import available_templates
from casereader.ui import style
from casereader.ui.grading.editors import yes_no_editor
from casereader.ui.grading.grade import GradeEditor
from casereader.ui.style import contrast_ratio, dark_palette, field_edge_color

SCALE = find_template("cso-at-home-2025").scale  # the unable label's one source

ROLE = QPalette.ColorRole


@pytest.fixture
def light_app(qapp):
    """The test's application in Fusion's light palette, style and palette put back after."""
    palette, style_name = qapp.palette(), qapp.style().name()
    qapp.setStyle(style.ReadableFusion())
    qapp.setPalette(qapp.style().standardPalette())
    yield qapp
    qapp.setStyle(style_name)
    qapp.setPalette(palette)


def _fill(widget: QWidget) -> QColor:
    """The colour a button paints just inside its right edge, away from text and border."""
    image = widget.grab().toImage()
    return image.pixelColor(QPoint(widget.width() - 6, widget.height() // 2))


def test_answer_buttons_follow_a_live_palette_switch(light_app, qtbot):
    template = available_templates()[0]
    grade_item = next(i for s in template.stages for i in s.items if i.kind == "grade")
    grades = GradeEditor(grade_item, template.scale)
    seen = yes_no_editor(
        Item.model_validate({"id": "seen", "kind": "yes_no", "label": "Seen"}), SCALE
    )
    host = QWidget()
    layout = QVBoxLayout(host)
    layout.addWidget(grades)
    layout.addWidget(seen)
    qtbot.addWidget(host)
    host.show()
    seen.set_value(next(iter(seen.buttons)))
    grades.set_agreed("3")
    light = light_app.palette()
    rows = (seen, grades.grade, grades.agreed)
    for palette in (dark_palette(), light):  # light -> dark on built pages, and back
        light_app.setPalette(palette)
        for row in rows:
            for button in row.buttons.values():
                role = ROLE.Highlight if button.isChecked() else ROLE.Button
                assert _fill(button) == palette.color(role), (button.text(), role)
            assert field_edge_color(palette).name() in row.styleSheet()
            assert palette.color(ROLE.Button).name() in row.styleSheet()
            assert palette.color(ROLE.ButtonText).name() in row.styleSheet()


def _edge_contrasts(palette: QPalette) -> dict[str, float]:
    edge = field_edge_color(palette)
    return {
        "edge/window": contrast_ratio(edge, palette.color(ROLE.Window)),
        "edge/base": contrast_ratio(edge, palette.color(ROLE.Base)),
        "edge/button": contrast_ratio(edge, palette.color(ROLE.Button)),
    }


def test_dark_palette_edges_and_text_contrast():
    dark = dark_palette()
    for name, ratio in _edge_contrasts(dark).items():
        assert ratio >= 3, (name, ratio)
    # text stays readable on every background it is drawn on
    for text, back in [
        (ROLE.Text, ROLE.Base),
        (ROLE.WindowText, ROLE.Window),
        (ROLE.ButtonText, ROLE.Button),
        (ROLE.HighlightedText, ROLE.Highlight),
        (ROLE.ToolTipText, ROLE.ToolTipBase),
        (ROLE.PlaceholderText, ROLE.Base),
    ]:
        ratio = contrast_ratio(dark.color(text), dark.color(back))
        assert ratio >= 4.5, (text.name, back.name, ratio)
    # Fusion's own outline (the window darker) can never reach 3:1 on this window: why we draw
    window = dark.color(ROLE.Window)
    assert contrast_ratio(window.darker(140), window) < 1.5


def test_field_edge_gives_up_at_the_text_colour_when_nothing_contrasts():
    flat = QPalette()
    for role in (ROLE.Window, ROLE.WindowText, ROLE.Base):
        flat.setColor(role, QColor("#808080"))
    assert field_edge_color(flat) == QColor("#808080")  # ends, with the best there is


def _peak_edge_contrast(widget: QWidget, host: QWidget, window: QColor) -> float:
    """The strongest contrast against the window along the widget's leftmost 3 pixel columns."""
    image = host.grab().toImage()
    top_left = widget.mapTo(host, QPoint(0, 0))
    x0 = top_left.x()
    ratios = [
        contrast_ratio(image.pixelColor(x, top_left.y() + widget.height() // 2), window)
        for x in range(x0, x0 + 3)
    ]
    return max(ratios)


def test_indicators_and_fields_show_on_the_dark_window(light_app, qtbot):
    dark = dark_palette()
    light_app.setPalette(dark)
    host = QWidget()
    layout = QVBoxLayout(host)
    widgets = [
        QRadioButton("0-4"),
        QCheckBox("Health"),
        QLineEdit("2024-05"),
        QPlainTextEdit(),
        QSpinBox(),
    ]
    for widget in widgets:
        layout.addWidget(widget)
    qtbot.addWidget(host)
    host.resize(300, 260)
    host.show()
    qtbot.waitExposed(host)
    window = dark.color(ROLE.Window)
    for widget in widgets:
        assert _peak_edge_contrast(widget, host, window) >= 3, type(widget).__name__
    # the same widgets in plain Fusion show no edge at all: the check can fail
    light_app.setStyle("Fusion")
    light_app.setPalette(dark)
    assert _peak_edge_contrast(widgets[0], host, window) < 2


def test_review_mark_stays_red_on_selected_rows(qapp):
    mark = style.review_mark()
    normal = mark.pixmap(14, QIcon.Mode.Normal).toImage()
    for mode in (QIcon.Mode.Selected, QIcon.Mode.Active):
        assert mark.pixmap(14, mode).toImage() == normal, mode
    centre = normal.pixelColor(7, 7)
    assert centre == style.REVIEW_RED, centre.name()
    assert normal.pixelColor(7, 1).lightness() > 200  # the light rim
    assert normal.pixelColor(0, 0).alpha() == 0


@pytest.mark.parametrize(("scheme", "readable"), [("dark", True), ("light", False)])
def test_the_edged_style_is_used_only_on_a_dark_palette(qapp, monkeypatch, scheme, readable):
    """ReadableFusion draws every control through Python: a light palette keeps plain Fusion."""
    palette, style_name = qapp.palette(), qapp.style().name() or "Fusion"
    monkeypatch.setenv(style.COLOR_SCHEME_ENV, scheme)
    try:
        style.follow_system_palette(qapp)
        assert isinstance(qapp.style(), style.ReadableFusion) == readable
        assert style.is_dark(qapp.palette()) == readable
        assert readable or qapp.style().name() == "fusion"
    finally:
        qapp.setStyle(style_name)
        qapp.setPalette(palette)
