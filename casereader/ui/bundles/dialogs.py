"""Pieces the bundle dialogs share: error line, fields, buttons, message boxes, asking."""

from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TypeVar

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from casereader.bundle.export import BUNDLE_SUFFIX
from casereader.bundle.manifest import PACK_SUFFIX
from casereader.ui.plain import plain_label, plain_message
from casereader.ui.style import review_text_color

BUNDLE_FILTER = f"casereader bundles (*{BUNDLE_SUFFIX})"
PACK_FILTER = f"casereader reading packs (*{PACK_SUFFIX})"
_ERROR_STYLE = "color: {};"

Request = TypeVar("Request")


class RequestDialog(Protocol[Request]):
    """A dialog that leaves what was asked for in `request` when accepted."""

    request: Request | None

    def exec(self) -> int: ...


def ask_request(dialog: RequestDialog[Request]) -> Request | None:
    """Show the dialog; what it gathered, or None if cancelled."""
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.request


def ok_cancel_buttons(
    ok_text: str, accepted: Callable[[], None], rejected: Callable[[], None]
) -> QDialogButtonBox:
    """OK (named `ok_text`) and Cancel, wired to the dialog's own checks and its reject."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(accepted)
    buttons.rejected.connect(rejected)
    return buttons


def stack(dialog: QDialog, *parts: QWidget | QLayout) -> None:
    """Lay the parts out top to bottom in the dialog, at least 560 pixels wide."""
    layout = QVBoxLayout(dialog)
    for part in parts:
        if isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    dialog.setMinimumWidth(560)


def error_label() -> QLabel:
    """A hidden line that shows what is wrong with the dialog's answers."""
    label = plain_label(QLabel())  # errors quote file names and bundle contents
    label.setWordWrap(True)
    label.setAccessibleName("Error")
    label.setStyleSheet(_ERROR_STYLE.format(review_text_color().name()))
    label.setVisible(False)
    return label


def show_error(label: QLabel, text: str) -> None:
    """Show `text` in the error line, or hide the line when `text` is empty."""
    label.setText(text)
    label.setVisible(bool(text))


def password_field(name: str, description: str) -> QLineEdit:
    """A passphrase field with its screen-reader name and description."""
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    field.setAccessibleDescription(description)
    return field


def path_row(field: QLineEdit, button: QPushButton) -> QHBoxLayout:
    """A file path field with its Choose… button beside it."""
    row = QHBoxLayout()
    row.addWidget(field, 1)
    row.addWidget(button)
    return row


def default_folder() -> Path:
    """Where file choosers start: Documents if there is one, else the home folder."""
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


def warn(parent: QWidget | None, title: str, text: str) -> None:
    """A warning box; the flows call it through this module so tests can stand in for it."""
    plain_message(parent, QMessageBox.Icon.Warning, title, text)


def inform(parent: QWidget | None, title: str, text: str) -> None:
    """An information box; called through this module, like `warn`."""
    plain_message(parent, QMessageBox.Icon.Information, title, text)
