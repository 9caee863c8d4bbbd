"""File → Remove this store…: the end of an inspection on this laptop (SPEC §8)."""

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from casereader.errors import CaseReaderError
from casereader.store import Store
from casereader.store.purge import purge, store_files, was_exported


def confirm_and_purge(parent: QWidget, store: Store, close: Callable[[], None]) -> bool:
    """Ask (naming every file, and warning if nothing was exported), close, remove; say what
    was removed. Returns True when the store is gone."""
    path = store.path
    exported = was_exported(store.db)
    files = "\n".join(f"  {p.name}" for p in store_files(path))
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Remove this store")
    warning = (
        "A bundle or reading pack has been made from it."
        if exported
        else "NOTHING HAS BEEN EXPORTED from this store: its answers exist nowhere else."
    )
    box.setText(f"Remove {path.name} from this computer for good?\n\n{warning}")
    box.setInformativeText(
        f"These files in {path.parent} will be overwritten, then removed:\n{files}"
    )
    remove = box.addButton(
        "Remove" if exported else "Remove without an export", QMessageBox.ButtonRole.DestructiveRole
    )
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    if box.clickedButton() is not remove:
        return False
    close()
    try:
        removed = purge(path, force=True)  # the export was checked above, with the store open
    except CaseReaderError as e:
        QMessageBox.warning(parent, "The store was not removed", str(e))
        return False
    QMessageBox.information(
        parent, "Store removed", "\n".join(r.line() for r in removed) or "Nothing was left."
    )
    return True
