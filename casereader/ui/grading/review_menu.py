"""The management-review menu: raise another review, or update one of the open ones."""

from datetime import datetime

from PySide6.QtWidgets import QMenu, QWidget

from casereader.store.models import FLAG_CATEGORY_LABELS, FLAG_STATUS_LABELS, Flag

RAISE = "raise"

# The step a review is at, in one word or two: the menu entry has to fit beside the button.
SHORT_STATUS = {
    "raised": "Raised",
    "referred": "Referred",
    "response_received": "Response received",
    "closed": "Closed",
}


def short_day(stamp: str, today: datetime | None = None) -> str:
    """'5 Dec' for a stored timestamp of this year (local time); '5 Dec 2025' for another."""
    moment = datetime.fromisoformat(stamp).astimezone()
    year = (today or datetime.now().astimezone()).year
    return f"{moment.day} {moment:%b}" + ("" if moment.year == year else f" {moment.year}")


def update_label(flag: Flag, today: datetime | None = None) -> str:
    """'Update review (Referred, 5 Dec)': the step the review is at and the day it got there."""
    return f"Update review ({SHORT_STATUS[flag.status]}, {short_day(flag.updated_at, today)})"


def update_labels(open_flags: list[Flag], today: datetime | None = None) -> list[str]:
    """One entry a review; two reviews that would read the same are told apart by reason."""
    plain = [update_label(flag, today) for flag in open_flags]
    labels = []
    for label, flag in zip(plain, open_flags, strict=True):
        if plain.count(label) > 1:
            reason = FLAG_CATEGORY_LABELS[flag.category].split(" needing")[0].lower()
            label = label[:-1] + f", {reason})"
        labels.append(label)
    return labels


class ReviewMenu(QMenu):
    """With a review open: raise another, or update one of the open ones."""

    @classmethod
    def ask(cls, anchor: QWidget, open_flags: list[Flag]) -> Flag | str | None:
        """RAISE, the Flag to update, or None if the menu was dismissed."""
        menu = cls(anchor)
        menu.setAccessibleName("Management review")
        menu.setToolTipsVisible(True)
        choices = {menu.addAction("Raise another management review…"): RAISE}
        for flag, label in zip(open_flags, update_labels(open_flags), strict=True):
            action = menu.addAction(label + "…")
            whole = (
                f"{FLAG_CATEGORY_LABELS[flag.category]}: {FLAG_STATUS_LABELS[flag.status]}"
                f" since {short_day(flag.updated_at)}, raised {short_day(flag.raised_at)}"
            )
            action.setToolTip(whole)
            action.setStatusTip(whole)
            choices[action] = flag
        chosen = menu.exec(anchor.mapToGlobal(anchor.rect().center()))
        return choices.get(chosen)
