"""The main window's management reviews on their way to the lead inspector: the "not yet sent"
indicator, the offer to send at once, Send now, and the question before closing with one unsent.

A mixin of MainWindow (it uses the window's `store`, `unsent`, `case_list` and `idle_lock`).
"""

from PySide6.QtCore import QTimer, Slot
from PySide6.QtGui import QAction

from casereader.store import review_sent
from casereader.ui.review_status import QUIT, SEND, UnsentCloseQuestion


class ReviewActions:
    """Unsent management reviews: say which, offer to send, send now, ask before closing."""

    @Slot()
    def refresh_unsent(self) -> None:
        """Say which management reviews are not yet in an exported bundle (status bar, list)."""
        unsent = review_sent.unsent_reviews(self.store) if self.store is not None else []
        self.unsent.set_reviews(unsent)
        counts: dict[str, int] = {}
        for review in unsent:
            counts[review.case_ref] = counts.get(review.case_ref, 0) + 1
        self.case_list.set_unsent(counts)

    @Slot(str)
    def _review_changed(self, case_ref: str) -> None:
        """A review was raised or moved a step: offer to send it at once."""
        self.refresh_unsent()
        waiting = [r for r in self.unsent.reviews() if r.case_ref == case_ref]
        if waiting:
            from casereader.ui.bundles.send_now import SendNowOffer

            if SendNowOffer.ask(self, waiting):
                self.send_now()

    @Slot()
    def send_now(self) -> None:
        """Export a bundle for the lead inspector now (see ui/bundles/send_now.py)."""
        if self.store is None:
            return
        from casereader.ui.bundles.send_now import send_now

        send_now(self, self.store, self.concern_form_printer(), lambda _: self.refresh_unsent())

    def concern_form_printer(self):
        """File → Print concern form… for the case shown, when the app can print; else None."""
        for action in self.findChildren(QAction):
            if action.text().replace("&", "").startswith("Print concern form"):

                def print_form(action=action) -> None:
                    printing = getattr(self, "printing", None)
                    if printing is not None:
                        printing.refresh()  # the review may be newer than the menu's state
                    action.trigger()

                return print_form
        return None

    @Slot()
    def quit_app(self) -> None:
        """File → Quit: close the window, asking first like its close button does."""
        self._quitting = True
        try:
            self.close()
        finally:
            self._quitting = False

    def _leave_unsent_review(self, event) -> bool:
        """Before closing (by the reader, not by the program): False to stay open."""
        if not (self._quitting or event.spontaneous()) or self.store is None:
            return True
        risky = [r for r in review_sent.unsent_reviews(self.store) if r.immediate_risk]
        if not risky:
            return True
        if self.idle_lock.is_locked:  # nothing of the store shows over the lock screen
            risky = [r.model_copy(update={"case_ref": "locked"}) for r in risky[:1]]
        answer = UnsentCloseQuestion.ask(self, risky)
        if answer == SEND and not self.idle_lock.is_locked:
            QTimer.singleShot(0, self.send_now)
        return answer == QUIT
