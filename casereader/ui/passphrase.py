"""Asking for a store's passphrase, and opening the store with it."""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from casereader.errors import StoreError, WrongPassphrase
from casereader.store import Store
from casereader.ui.style import review_text_color


class PassphraseDialog(QDialog):
    """One password field for one store, with room for the last error."""

    def __init__(self, parent: QWidget | None, store_path: Path, error: str = ""):
        super().__init__(parent)
        self.setWindowTitle("Open store")
        self.setAccessibleName("Store passphrase")
        prompt = QLabel(f"Passphrase for <b>{_escape(Path(store_path).name)}</b>")
        prompt.setTextFormat(Qt.TextFormat.RichText)
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName("Passphrase")
        self.field.setAccessibleDescription(f"The passphrase that opens {Path(store_path).name}")
        prompt.setBuddy(self.field)
        self.error = QLabel(error)
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Error")
        self.error.setStyleSheet(f"color: {review_text_color().name()};")
        self.error.setVisible(bool(error))
        where = QLabel(str(store_path))
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Open")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (prompt, self.field, self.error, where, buttons):
            layout.addWidget(w)
        self.setMinimumWidth(420)

    @classmethod
    def ask(cls, parent: QWidget | None, store_path: Path, error: str = "") -> str | None:
        """The passphrase typed, or None if the reader cancelled."""
        dialog = cls(parent, store_path, error)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.field.text()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


Asker = Callable[[QWidget | None, Path, str], str | None]

# Wrong passphrases in a row slow the next check down (never a lock-out: the store is only ever
# unreadable without the passphrase, and a reader who remembers it gets in).
MAX_DELAY_S = 30


def retry_delay(failures: int) -> float:
    """Seconds before checking the next try after FAILURES wrong ones in a row: none after one
    or two, then 1, 2, 4, 8… seconds, at most 30."""
    return 0.0 if failures < 3 else float(min(2 ** (failures - 3), MAX_DELAY_S))


def delay_note(failures: int) -> str:
    delay = retry_delay(failures)
    if not delay:
        return ""
    return (
        f" ({failures} wrong tries in a row: the next one is checked after {delay:.0f} s;"
        " there is no lock-out.)"
    )


def wait_responsive(seconds: float) -> None:
    """Wait without freezing the window (its events keep being handled)."""
    if seconds <= 0:
        return
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def open_store_dialog(
    parent: QWidget | None,
    store_path: Path,
    error: str = "",
    ask: Asker | None = None,
    wait: Callable[[float], None] = wait_responsive,
) -> tuple[Store, str] | None:
    """Ask until the passphrase opens the store: (store, passphrase), or None if cancelled.

    Errors other than a wrong passphrase (no such file, store too new) are raised.
    """
    ask = ask or PassphraseDialog.ask
    failures = 0
    while True:
        secret = ask(parent, Path(store_path), error)
        if secret is None:
            return None
        if not secret:
            error = "Type the passphrase first."
            continue
        wait(retry_delay(failures))
        try:
            return Store.open(store_path, secret), secret
        except WrongPassphrase as e:
            failures += 1
            error = str(e) + delay_note(failures)


def passphrase_opens(store_path: Path, secret: str) -> bool:
    """True when the passphrase opens the store (checked by opening and closing it)."""
    try:
        Store.open(store_path, secret).close()
    except WrongPassphrase:
        return False
    except StoreError:
        return False
    return True


SUGGESTED_BITS = 72  # six random words


def suggest_button(passphrase: QLineEdit, again: QLineEdit) -> QPushButton:
    """A "Suggest a strong passphrase" button: fills both fields with random words, shown in
    the first so the reader can write them down (typing starts hidden again)."""
    button = QPushButton("Suggest a strong passphrase")
    button.setAccessibleName("Suggest a strong passphrase")

    def fill() -> None:
        from casereader.bundle import words

        secret = words.one_off_passphrase(SUGGESTED_BITS)
        passphrase.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        passphrase.setText(secret)
        again.setText(secret)
        passphrase.setEchoMode(QLineEdit.EchoMode.Normal)
        passphrase.textEdited.connect(lambda _: passphrase.setEchoMode(QLineEdit.EchoMode.Password))

    button.clicked.connect(fill)
    return button
