"""Long answer options wrap in a narrow template panel, and their words act as the button."""

from PySide6.QtCore import QPoint, Qt

from casereader.domain.template import find_template
from casereader.ui.grading.editors import MultiChoice, OptionText, RadioChoice


def item(key: str):
    return find_template("cso-at-home-2025").item(key)


def test_long_radio_options_wrap_inside_a_narrow_editor(qtbot):
    editor = RadioChoice(item("case_details.legal_status"))
    qtbot.addWidget(editor)
    editor.resize(260, editor.heightForWidth(260) if editor.hasHeightForWidth() else 400)
    editor.show()
    qtbot.waitExposed(editor)
    texts = editor.findChildren(OptionText)
    assert len(texts) == len(editor.radios)
    for text in texts:
        assert text.geometry().right() <= editor.width()  # nothing runs past the edge
        assert text.height() >= text.heightForWidth(text.width())  # every wrapped line shows
    longest = max(texts, key=lambda t: len(t.text()))
    assert longest.height() > texts[0].fontMetrics().lineSpacing()  # it did wrap


def test_clicking_the_words_chooses_the_option_and_screen_readers_hear_them(qtbot):
    editor = RadioChoice(item("case_details.legal_status"))
    qtbot.addWidget(editor)
    editor.show()
    chosen = []
    editor.chosen.connect(chosen.append)
    words = next(t for t in editor.findChildren(OptionText) if t.button is editor.radios["other"])
    qtbot.mouseClick(words, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert chosen == ["other"] and editor.value() == "other"
    assert editor.radios["other"].accessibleName() == words.text()


def test_check_box_words_toggle_their_box(qtbot):
    editor = MultiChoice(item("case_details.agencies_read"))
    qtbot.addWidget(editor)
    editor.show()
    first = next(iter(editor.boxes))
    words = next(t for t in editor.findChildren(OptionText) if t.button is editor.boxes[first])
    qtbot.mouseClick(words, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert editor.value() == first
    qtbot.mouseClick(words, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert editor.value() is None
