"""The grade descriptor shows the chosen grade's meaning; a hovered grade's only while the mouse is
really over its button. Qt's Leave can be missed (the page scrolls under a still mouse, the
mouse leaves fast, the window is deactivated): the descriptor must come back all the same."""

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QScrollArea, QVBoxLayout, QWidget

from casereader.domain.template import find_template
from casereader.ui.grading import hover
from casereader.ui.grading.grade import GradeEditor

CHOSEN = "5 – Very good: Major strengths"
pytestmark = pytest.mark.usefixtures("pointer")


@pytest.fixture
def page(qtbot):
    """A scrolling page with a grade editor (grade 5 chosen) between tall spacers and a field."""
    template = find_template("cso-at-home-2025")
    item = template.item("assessment.grade")
    area = QScrollArea()
    body = QWidget()
    layout = QVBoxLayout(body)
    top = QWidget()
    top.setFixedHeight(300)
    editor = GradeEditor(item, template.scale)
    field = QLineEdit()
    bottom = QWidget()
    bottom.setFixedHeight(900)
    for widget in (top, editor, field, bottom):
        layout.addWidget(widget)
    area.setWidget(body)
    area.setWidgetResizable(True)
    area.resize(700, 500)
    qtbot.addWidget(area)
    area.show()
    area.activateWindow()
    qtbot.waitActive(area)
    editor.set_value("5")
    area.editor, area.field = editor, field
    return area


def centre(widget: QWidget) -> QPoint:
    return widget.mapToGlobal(widget.rect().center())


class Pointer:
    """Where the mouse is, for the hover check: a point on the page (the platform's own pointer
    would route to whichever test window lies on top)."""

    def __init__(self, page: QScrollArea):
        self.page = page
        self.at = QPoint(-1000, -1000)

    def widget(self) -> QWidget | None:
        local = self.page.mapFromGlobal(self.at)
        return self.page.childAt(local) if self.page.rect().contains(local) else None

    def move_to(self, widget: QWidget) -> None:
        """The mouse moves onto a widget: Qt's Leave and Enter, as a platform sends them."""
        before = self.widget()
        self.at = centre(widget)
        if before is not None and before is not widget:
            QApplication.sendEvent(before, QEvent(QEvent.Type.Leave))
        QApplication.sendEvent(widget, QEvent(QEvent.Type.Enter))


@pytest.fixture
def pointer(page, monkeypatch) -> Pointer:
    mouse = Pointer(page)
    monkeypatch.setattr(hover, "pointer_widget", mouse.widget)
    page.pointer = mouse
    return mouse


def hover_grade(qtbot, editor: GradeEditor, grade: str) -> None:
    """Put the mouse over a grade button."""
    editor.window().pointer.move_to(editor.grade.buttons[grade])
    assert editor.hover_value() == grade
    assert editor.descriptor.text().startswith(f"{grade} – ")


def test_the_chosen_grade_is_described_and_a_hovered_one_while_hovered(qtbot, page):
    editor = page.editor
    assert editor.descriptor.text() == CHOSEN
    hover_grade(qtbot, editor, "2")
    assert editor.descriptor.text().startswith("2 – Weak")
    page.pointer.move_to(page.field)  # a Leave, the ordinary way
    qtbot.waitUntil(lambda: editor.descriptor.text() == CHOSEN)


def test_scrolling_under_a_still_mouse_brings_the_chosen_descriptor_back(qtbot, page):
    editor = page.editor
    hover_grade(qtbot, editor, "1")
    # Qt sends no Leave when the page moves under the mouse
    page.verticalScrollBar().setValue(page.verticalScrollBar().value() + 250)
    QApplication.processEvents()
    assert editor.descriptor.text() == CHOSEN


def test_a_missed_leave_is_noticed_by_the_pointer_check(qtbot, page):
    editor = page.editor
    hover_grade(qtbot, editor, "3")
    # the mouse left fast onto a popup: no Leave came, the pointer is elsewhere
    page.pointer.at = centre(page.field)
    qtbot.waitUntil(lambda: editor.descriptor.text() == CHOSEN)
    assert editor.hover_value() is None


def test_the_pointer_check_keeps_a_real_hover(qtbot, page):
    editor = page.editor
    hover_grade(qtbot, editor, "2")
    editor.grade.hover.check()  # what the timer does: the mouse is still there
    assert editor.descriptor.text().startswith("2 – Weak")


def test_a_late_leave_from_the_button_left_before_keeps_the_new_hover(qtbot, page):
    editor = page.editor
    buttons = editor.grade.buttons
    QApplication.sendEvent(buttons["1"], QEvent(QEvent.Type.Enter))
    QApplication.sendEvent(buttons["2"], QEvent(QEvent.Type.Enter))
    QApplication.sendEvent(buttons["1"], QEvent(QEvent.Type.Leave))
    assert editor.descriptor.text().startswith("2 – Weak")
    QApplication.sendEvent(buttons["2"], QEvent(QEvent.Type.Leave))  # over the gap between
    assert editor.descriptor.text() == CHOSEN


def test_the_keyboard_takes_the_descriptor_back(qtbot, page):
    editor = page.editor
    page.field.setFocus(Qt.FocusReason.TabFocusReason)
    hover_grade(qtbot, editor, "1")
    editor.grade.setFocus(Qt.FocusReason.TabFocusReason)  # the keys move into the row
    assert editor.descriptor.text() == CHOSEN
    hover_grade(qtbot, editor, "2")
    qtbot.keyClick(editor.grade, Qt.Key.Key_4)  # grading by key under a parked mouse
    assert editor.value() == "4"
    assert editor.descriptor.text().startswith("4 – Good")
    hover_grade(qtbot, editor, "1")
    page.field.setFocus(Qt.FocusReason.TabFocusReason)  # Tab away
    assert editor.descriptor.text().startswith("4 – Good")


def test_window_deactivation_and_hiding_bring_the_chosen_descriptor_back(qtbot, page):
    editor = page.editor
    hover_grade(qtbot, editor, "1")
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: not page.isActiveWindow())
    assert editor.descriptor.text() == CHOSEN
    page.activateWindow()
    qtbot.waitActive(page)
    hover_grade(qtbot, editor, "2")
    editor.grade.hide()
    assert editor.descriptor.text() == CHOSEN
