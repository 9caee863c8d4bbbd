"""Drafts of dialogs: typed text is kept in the store while it is typed, when the idle lock
comes, and when the reader closes a dialog with text in it (after asking).

A dialog that types text worth keeping mixes in ``DraftKeeping``: it gives ``draft()`` (what
would be kept) and ``has_typed()``; it is given a ``keep`` callback (the flow that opened it
saves to the store). ``keep_all_drafts()`` is called before the lock closes anything.
"""

import weakref
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from casereader.domain.wording import plural

KEEP_PAUSE_MS = 500
KEEP, DISCARD, BACK = "keep", "discard", "back"

_open: "weakref.WeakSet[DraftKeeping]" = weakref.WeakSet()
# (kind, case_ref, target) of the dialogs the idle lock closed, to be opened again on unlocking
_closed_by_lock: list[tuple[str, str, str]] = []


class DraftQuestion:
    """Asked when a dialog with typed text is closed: keep it as a draft, discard it, go back."""

    @classmethod
    def ask(cls, parent: QWidget | None, what: str) -> str:
        """KEEP, DISCARD or BACK."""
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Keep what you typed?")
        box.setText(f"You typed {what}. Keep it as a draft for next time?")
        box.setInformativeText("A draft stays in this store only; it is not exported.")
        keep = box.addButton("Keep draft", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        back = box.addButton("Go back", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(back)
        box.exec()
        clicked = box.clickedButton()
        if clicked is discard:
            return DISCARD
        return BACK if clicked is back else KEEP


class DraftKeeping:
    """Mixed into a QDialog: keeps its draft while typed, on the lock and on closing."""

    draft_kind = ""
    draft_what = "text"

    def init_drafts(self, keep: Callable[[dict], None] | None, case_ref: str, target: str = ""):
        self._keep = keep
        self._draft_case, self._draft_target = case_ref, target
        self.closed_by_lock = False
        self.draft_discarded = False
        self._keep_timer = QTimer(self)
        self._keep_timer.setSingleShot(True)
        self._keep_timer.setInterval(KEEP_PAUSE_MS)
        self._keep_timer.timeout.connect(self.keep_draft)
        _open.add(self)

    def draft(self) -> dict:
        raise NotImplementedError

    def has_typed(self) -> bool:
        raise NotImplementedError

    def draft_typed(self) -> None:
        """Call on every change: the draft is kept after a short pause."""
        if self._keep is not None:
            self._keep_timer.start()

    def keep_draft(self) -> None:
        """Keep the draft now (nothing typed removes it)."""
        self._keep_timer.stop()
        if self._keep is not None:
            self._keep(self.draft() if self.has_typed() else {})

    def close_for_lock(self) -> None:
        """Keep the draft and close, to be opened again after unlocking."""
        self.keep_draft()
        self.closed_by_lock = True
        _closed_by_lock.append((self.draft_kind, self._draft_case, self._draft_target))
        QDialog.done(self, QDialog.DialogCode.Rejected)

    def reject(self) -> None:  # Escape, Cancel and the window's close button
        if not self.closed_by_lock and self.has_typed():
            choice = DraftQuestion.ask(self, self.draft_what)
            if choice == BACK:
                return
            if choice == DISCARD:
                self._keep_timer.stop()
                self.draft_discarded = True
                if self._keep is not None:
                    self._keep({})
            else:
                self.keep_draft()
        QDialog.reject(self)

    def accept(self) -> None:
        self._keep_timer.stop()
        QDialog.accept(self)

    def done(self, result: int) -> None:
        _open.discard(self)
        QDialog.done(self, result)


def keep_all_drafts(close: bool = False) -> int:
    """Keep the draft of every open dialog (and close them, for the lock); how many."""
    dialogs = [d for d in list(_open) if d.isVisible()]
    for dialog in dialogs:
        if close:
            dialog.close_for_lock()
        else:
            dialog.keep_draft()
    return len(dialogs)


def take_closed_by_lock() -> list[tuple[str, str, str]]:
    """(kind, case_ref, target) of the dialogs the lock closed since last asked."""
    closed = list(_closed_by_lock)
    _closed_by_lock.clear()
    return closed


def keep_typed_work(workspace) -> str:
    """Save every note being typed and keep (and close) every open dialog's text as a draft;
    what the lock screen can truthfully say ("" when everything was simply saved)."""
    closed = keep_all_drafts(close=True)
    unsaved: list[str] = []
    if workspace is not None:
        workspace.template.flush()
        unsaved = workspace.template.unsaved_notes()
    if unsaved:
        kept = workspace.template.note_drafts()
        lost = [key for key in unsaved if key not in kept]
        if lost:
            return (
                f"Not saved: the note on {', '.join(lost)} could not be written to the store. "
                "Its text is still in the note behind this lock; unlock and try again."
            )
        count = plural(len(unsaved), "note")
        return (
            f"{count} could not be saved as an answer ({', '.join(unsaved)}): the text is kept "
            "as a draft in the store and shown again in the note."
        )
    if closed:
        return (
            "Nothing was lost: every answer is saved, and the text of the open dialog is kept "
            "as a draft; the dialog opens again after unlocking."
        )
    return ""
