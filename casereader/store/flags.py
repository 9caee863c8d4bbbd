"""Management-review flags and their lifecycle: raised → referred → response received → closed."""

import uuid

from casereader.errors import StoreError
from casereader.store import cases
from casereader.store.db import now
from casereader.store.models import FLAG_CATEGORY_LABELS, FLAG_STATUS_ORDER, Flag, FlagEvent
from casereader.store.store import Store

CLI_CATEGORIES = {
    "immediate-risk": "immediate_risk",
    "investigate": "investigate",
    "other": "other",
}


def raise_flag(store: Store, case_ref: str, category: str, description: str) -> Flag:
    """Raise a management review on a case: category and description are both required."""
    category = CLI_CATEGORIES.get(category, category)
    if category not in FLAG_CATEGORY_LABELS:
        raise StoreError(
            f"Unknown category {category!r}; use immediate-risk, investigate or other."
        )
    if not description.strip():
        raise StoreError("Describe the concern: a management review needs a description.")
    cases.get_case(store, case_ref)
    flag_id = str(uuid.uuid4())
    stamp = now()
    with store.db.atomic():
        store.db["flags"].insert(
            {
                "flag_id": flag_id,
                "case_ref": case_ref,
                "reader_id": store.reader_id,
                "category": category,
                "description": description.strip(),
                "status": "raised",
                "raised_by": store.reader_id,
                "raised_at": stamp,
                "updated_at": stamp,
            }
        )
        store.db["flag_events"].insert(
            {
                "flag_id": flag_id,
                "status": "raised",
                "actor": store.reader_id,
                "at": stamp,
                "note": description.strip(),
            }
        )
        store.audit("flag.raised", case_ref=case_ref, target=flag_id, new=category)
    return get_flag(store, flag_id)


def advance_flag(store: Store, flag_id: str, status: str, note: str = "", who: str = "") -> Flag:
    """Move a flag forward in its lifecycle (a step may be skipped, never undone)."""
    flag = get_flag(store, flag_id)
    if status not in FLAG_STATUS_ORDER:
        raise StoreError(f"Unknown flag status {status!r}.")
    if FLAG_STATUS_ORDER.index(status) <= FLAG_STATUS_ORDER.index(flag.status):
        raise StoreError(
            f"The management review is already {flag.status.replace('_', ' ')}; "
            "it can only move forward."
        )
    if status == "closed" and not note.strip():
        raise StoreError("Say why the management review is being closed.")
    stamp = now()
    actor = who.strip() or store.reader_id
    with store.db.atomic():
        store.db.execute(
            "UPDATE flags SET status = ?, updated_at = ? WHERE flag_id = ?",
            [status, stamp, flag_id],
        )
        store.db["flag_events"].insert(
            {
                "flag_id": flag_id,
                "status": status,
                "actor": actor,
                "at": stamp,
                "note": note.strip(),
            }
        )
        store.audit(
            "flag.status",
            case_ref=flag.case_ref,
            target=flag_id,
            old=flag.status,
            new=status,
            actor=actor,
        )
    return get_flag(store, flag_id)


def _history(store: Store, flag_id: str) -> list[FlagEvent]:
    return [
        FlagEvent(**row)
        for row in store.db.query(
            "SELECT status, actor, at, note FROM flag_events WHERE flag_id = ? ORDER BY id",
            [flag_id],
        )
    ]


def get_flag(store: Store, flag_id: str) -> Flag:
    rows = list(store.db.query("SELECT * FROM flags WHERE flag_id = ?", [flag_id]))
    if not rows:
        raise StoreError(f"No management review {flag_id!r} in this store.")
    return Flag(**rows[0], history=_history(store, flag_id))


def list_flags(store: Store, case_ref: str | None = None, open_only: bool = False) -> list[Flag]:
    sql, params = "SELECT * FROM flags WHERE 1", []
    if case_ref:
        sql += " AND case_ref = ?"
        params.append(case_ref)
    if open_only:
        sql += " AND status != 'closed'"
    return [
        Flag(**row, history=_history(store, row["flag_id"]))
        for row in store.db.query(sql + " ORDER BY raised_at", params)
    ]
