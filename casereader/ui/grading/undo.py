"""Undo and redo over a case's answers, agreed grades and notes (one QUndoStack per case).

Every change is saved at once, so a command records what was saved before and after and the
case's status before and after (a change to a completed case reopens it: undoing the change
completes it again). Undo and redo save again through the panel, like any change.
"""

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QUndoCommand, QUndoGroup, QUndoStack

from casereader.store import cases
from casereader.store.models import Answer

FIELD_WORDS = {"value": "answer to", "agreed_value": "agreed grade of", "note": "note on"}
_NOTE_ID = 1  # consecutive saves of one note merge into one undo step


@dataclass(frozen=True)
class Change:
    """One saved change: which field of which item, from what to what, and the case status."""

    case_ref: str
    item_key: str
    field: str  # value, agreed_value or note
    old: str | None
    new: str | None
    old_status: str
    new_status: str


def describe(change: Change, label: str) -> str:
    """'answer to “Child seen”' (Edit → Undo prefixes 'Undo ')."""
    short = label if len(label) <= 40 else label[:39].rstrip() + "…"
    text = f"{FIELD_WORDS[change.field]} “{short}”"
    if change.field != "note" and change.new is not None:
        text += f" ({change.new})"
    return text


class AnswerCommand(QUndoCommand):
    """A change already saved; undo puts the old value (and status) back, redo the new."""

    def __init__(self, change: Change, label: str, apply: Callable[[Change, bool], None]):
        super().__init__(describe(change, label))
        self.change = change
        self._apply = apply
        self._done = True  # pushed after saving: the first redo() does nothing

    def id(self) -> int:  # noqa: A003 - Qt's name
        return _NOTE_ID if self.change.field == "note" else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        if not isinstance(other, AnswerCommand):
            return False
        mine, theirs = self.change, other.change
        if (mine.case_ref, mine.item_key, mine.field) != (
            theirs.case_ref,
            theirs.item_key,
            theirs.field,
        ):
            return False
        self.change = Change(
            mine.case_ref, mine.item_key, mine.field, mine.old, theirs.new,
            mine.old_status, theirs.new_status,
        )  # fmt: skip
        return True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._apply(self.change, False)

    def undo(self) -> None:
        self._apply(self.change, True)


class CaseUndo:
    """The undo stacks of the cases opened, in one group (the window's Edit menu follows it)."""

    def __init__(self, group: QUndoGroup | None = None):
        self.group = group or QUndoGroup()
        self._stacks: dict[str, QUndoStack] = {}

    def use_group(self, group: QUndoGroup) -> None:
        """Move the stacks into the window's group (its Undo and Redo actions)."""
        active = self.group.activeStack()
        for stack in self._stacks.values():
            self.group.removeStack(stack)
            group.addStack(stack)
        self.group = group
        if active is not None:
            group.setActiveStack(active)

    def stack(self, case_ref: str) -> QUndoStack:
        if case_ref not in self._stacks:
            stack = QUndoStack(self.group)
            self.group.addStack(stack)
            self._stacks[case_ref] = stack
        return self._stacks[case_ref]

    def activate(self, case_ref: str | None) -> None:
        self.group.setActiveStack(self.stack(case_ref) if case_ref else None)

    def clear(self) -> None:
        """Forget every stack (the store was closed)."""
        for stack in self._stacks.values():
            self.group.removeStack(stack)
            stack.deleteLater()
        self._stacks = {}


class AnswerUndo:
    """Mixed into the template panel: pushes each saved change, applies undo and redo."""

    def _push_undo(self, key: str, before: Answer | None, after: Answer, status: str, fields):
        new_status = cases.reader_status(self._store, self._case_ref)
        label = self._template.item(key).label
        for field in fields:
            old = getattr(before, field) if before else ("" if field == "note" else None)
            new = getattr(after, field)
            if old != new:
                change = Change(self._case_ref, key, field, old, new, status, new_status)
                self.undo.stack(self._case_ref).push(
                    AnswerCommand(change, label, self._apply_change)
                )

    def _apply_change(self, change: Change, undo: bool) -> None:
        """Undo or redo one saved change: save the value again, and the case status."""
        if self._store is None or change.case_ref != self._case_ref:
            return
        value = change.old if undo else change.new
        self._applying = True
        try:
            result = self._save(change.item_key, **{change.field: value})
        finally:
            self._applying = False
        if isinstance(result, Exception):
            return
        status = change.old_status if undo else change.new_status
        cases.set_reader_status(self._store, self._case_ref, status)
        card = self.card(change.item_key)
        card.set_answer(result.value, result.agreed_value, result.note)
        self.focus_item(change.item_key, note=change.field == "note")
        self._update_progress()
        self.answers_changed.emit(self._case_ref)
        word = "Undone" if undo else "Redone"
        self._say(f"{word}: {describe(change, card.item.label)}.")
