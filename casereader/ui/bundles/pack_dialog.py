"""What a reader is asked to open a reading pack: the pack, its words, the new store."""

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from casereader.domain.passphrase_strength import passphrase_problem
from casereader.store.db import STORE_SUFFIX
from casereader.ui.bundles.dialogs import (
    PACK_FILTER,
    ask_request,
    default_folder,
    error_label,
    ok_cancel_buttons,
    password_field,
    path_row,
    show_error,
    stack,
)
from casereader.ui.passphrase import suggest_button


@dataclass(frozen=True)
class OpenPackRequest:
    pack: Path
    pack_passphrase: str
    store_path: Path
    store_passphrase: str


class OpenPackDialog(QDialog):
    """The pack, its passphrase, and the new store with its own passphrase (twice)."""

    def __init__(self, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle("Open reading pack")
        self.setAccessibleName("Open reading pack")
        intro = QLabel(
            "The coordinator gave you a reading pack file and, separately, its passphrase "
            "(a few words). Opening it creates your own store, under a passphrase you choose."
        )
        intro.setWordWrap(True)
        self.pack = QLineEdit()
        self.pack.setAccessibleName("Reading pack file")
        browse_pack = QPushButton("Choose…")
        browse_pack.setAccessibleName("Choose the reading pack file")
        browse_pack.clicked.connect(self._choose_pack)
        self.pack_passphrase = password_field(
            "Pack passphrase", "The words the coordinator gave you, with spaces or hyphens"
        )
        self.pack_passphrase.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.store_path = QLineEdit()
        self.store_path.setAccessibleName("New store file")
        browse_store = QPushButton("Choose…")
        browse_store.setAccessibleName("Choose where to create the store")
        browse_store.clicked.connect(self._choose_store)
        self.passphrase = password_field(
            "New store passphrase", "At least 10 characters; four or more random words are best"
        )
        self.again = password_field("New store passphrase again", "The same passphrase again")
        self.error = error_label()
        buttons = ok_cancel_buttons("Open pack", self._accept, self.reject)
        form = QFormLayout()
        form.addRow("Reading pack:", path_row(self.pack, browse_pack))
        form.addRow("Pack passphrase:", self.pack_passphrase)
        form.addRow("New store:", path_row(self.store_path, browse_store))
        form.addRow("Store passphrase:", self.passphrase)
        form.addRow("Again:", self.again)
        self.suggest = suggest_button(self.passphrase, self.again)
        form.addRow("", self.suggest)
        stack(self, intro, form, self.error, buttons)
        self.request: OpenPackRequest | None = None

    def set_pack(self, path: str) -> None:
        self.pack.setText(path)
        if not self.store_path.text():
            self.store_path.setText(str(Path(path).with_suffix(STORE_SUFFIX)))

    @Slot()
    def _choose_pack(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Reading pack", str(default_folder()), PACK_FILTER + ";;All files (*)"
        )
        if path:
            self.set_pack(path)

    @Slot()
    def _choose_store(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "New store", self.store_path.text(), f"casereader stores (*{STORE_SUFFIX})"
        )
        if path:
            self.store_path.setText(path if path.endswith(STORE_SUFFIX) else path + STORE_SUFFIX)

    @Slot()
    def _accept(self) -> None:
        pack = Path(self.pack.text().strip())
        store = Path(self.store_path.text().strip())
        problem = ""
        if not self.pack.text().strip() or not pack.is_file():
            problem = "Choose the reading pack file."
        elif not self.pack_passphrase.text().strip():
            problem = "Type the pack passphrase the coordinator gave you."
        elif not self.store_path.text().strip() or not store.parent.is_dir():
            problem = "Choose where to create your store (an existing folder)."
        elif store.exists():
            problem = f"{store.name} exists already; choose a new name."
        elif passphrase_problem(self.passphrase.text(), "store passphrase"):
            problem = passphrase_problem(self.passphrase.text(), "store passphrase")
        elif self.passphrase.text() != self.again.text():
            problem = "The two store passphrases differ."
        if problem:
            show_error(self.error, problem)
            return
        self.request = OpenPackRequest(
            pack, self.pack_passphrase.text(), store, self.passphrase.text()
        )
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None) -> OpenPackRequest | None:
        """What was typed, or None if cancelled."""
        return ask_request(cls(parent))
