"""Strings from a bundle or a document shown as plain text, never as Qt rich text (SPEC §8).

Qt renders a tooltip (and a label in its automatic mode) as HTML when the text merely looks
like HTML, so a reader id or a file name holding `<img src="…">` would make Qt load a file. A
tooltip is therefore handed over already escaped inside `<qt>`, so Qt shows its exact
characters; labels that show such text are set to Qt.PlainText.
"""

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox


def plain_tooltip(text: str | None) -> str | None:
    """`text` as a tooltip Qt shows character for character (line breaks kept)."""
    if text is None:
        return None
    return "<qt>" + html.escape(str(text)).replace("\n", "<br>") + "</qt>"


def plain_label(label: QLabel) -> QLabel:
    """The label, set to show its text as plain text whatever it holds."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_message(parent, icon: QMessageBox.Icon, title: str, text: str) -> None:
    """A modal message box whose text (often quoting a bundle or a file name) is plain text."""
    box = QMessageBox(icon, title, str(text), QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()
