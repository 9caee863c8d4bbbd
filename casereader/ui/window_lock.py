"""The main window under the idle lock: close the store when it locks, reopen it with the
passphrase typed at the lock, keep typed work as drafts, and the idle time itself.

A mixin of MainWindow (it uses the window's `store`, `prefs`, `idle_lock`, `case_list` and
workspace).
"""

from PySide6.QtCore import QTimer, Slot

from casereader.errors import CaseReaderError
from casereader.store import Store, cases
from casereader.ui.drafts import keep_typed_work, take_closed_by_lock
from casereader.ui.passphrase import passphrase_opens
from casereader.ui.prefs import save_prefs


class LockActions:
    """What the window does when the idle lock closes and reopens the store."""

    def _release_for_lock(self) -> None:
        """Locked: close the store and drop every decrypted cache (the case is remembered)."""
        if self.store is None:
            return
        case_ref = self._workspace.case_ref if self._workspace is not None else None
        self._locked_at = (self.store.path, case_ref)
        if self._workspace is not None:
            self._workspace.set_store(None)  # clears the viewer, its page and Word caches
        self.case_list.set_rows([])
        self.store.close()
        self.store = None

    def _reopen_after_lock(self, secret: str) -> str:
        """Reopen the store with the passphrase typed at the lock: "" if it opened, else why."""
        if self._locked_at is None:
            return ""
        path, case_ref = self._locked_at
        if not passphrase_opens(path, secret):
            return "That passphrase does not open this store. Try again."
        try:
            store = Store.open(path, secret)
        except CaseReaderError as exc:
            return str(exc)
        self._locked_at = None
        self.store = store
        if self._workspace is not None:
            self._workspace.set_store(store)
        self.case_list.set_rows(cases.overview(store))
        if case_ref is not None:
            self.open_case(case_ref)
        return ""

    @Slot()
    def set_idle_minutes(self) -> None:
        """File → Idle lock time…: at least a minute; never, for a coordinator store only."""
        from casereader.ui.idle_prefs import IdleLockDialog

        role = self.store.role if self.store is not None else None
        chosen = IdleLockDialog.ask(self, self.prefs, role)
        if chosen is not None:
            self.prefs = chosen
            save_prefs(self.prefs)
            self.idle_lock.set_minutes(self.prefs.lock_minutes(role))

    # typed work ------------------------------------------------------------------------

    @Slot()
    def _keep_typed_work(self) -> None:
        """Before the lock: save notes being typed, keep open dialogs' text as drafts (closing
        them), and tell the lock screen what was kept."""
        self.idle_lock.kept_text = keep_typed_work(self._workspace)

    @Slot()
    def _resume_drafts(self) -> None:
        closed = take_closed_by_lock()
        if closed and self._workspace is not None and self.store is not None:
            QTimer.singleShot(0, lambda: self._workspace.resume_drafts(closed))
