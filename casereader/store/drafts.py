"""Typed text not yet saved where it belongs, kept so that no lock, key or closed dialog loses it.

A draft is one JSON object per (case, kind, target): a management review being raised
(``review``, target ""), the next step of a review (``review_step``, target the flag id), or an
evidence note whose save failed (``note``, target the item key). Drafts stay in this store: they
are never exported.
"""

import json
from typing import Literal

from casereader.store import cases
from casereader.store.db import now
from casereader.store.store import Store

DraftKind = Literal["review", "review_step", "note"]


def save_draft(store: Store, case_ref: str, kind: DraftKind, target: str, body: dict) -> None:
    """Keep this draft (replacing the one before); an empty body removes it."""
    if not any(str(v).strip() for v in body.values()):
        discard_draft(store, case_ref, kind, target)
        return
    cases.require_case(store, case_ref)
    store.db.execute(
        "INSERT INTO drafts (case_ref, kind, target, body, updated_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT(case_ref, kind, target) DO UPDATE SET body = excluded.body,"
        " updated_at = excluded.updated_at",
        [case_ref, kind, target, json.dumps(body, ensure_ascii=False), now()],
    )


def get_draft(store: Store, case_ref: str, kind: DraftKind, target: str = "") -> dict | None:
    """The kept draft, or None."""
    row = store.db.execute(
        "SELECT body FROM drafts WHERE case_ref = ? AND kind = ? AND target = ?",
        [case_ref, kind, target],
    ).fetchone()
    return json.loads(row[0]) if row else None


def discard_draft(store: Store, case_ref: str, kind: DraftKind, target: str = "") -> None:
    """Forget a draft (its text was saved where it belongs, or the reader discarded it)."""
    store.db.execute(
        "DELETE FROM drafts WHERE case_ref = ? AND kind = ? AND target = ?",
        [case_ref, kind, target],
    )


def drafts_of_case(store: Store, case_ref: str) -> list[tuple[str, str]]:
    """(kind, target) of every draft kept for a case."""
    rows = store.db.execute(
        "SELECT kind, target FROM drafts WHERE case_ref = ? ORDER BY kind, target", [case_ref]
    ).fetchall()
    return [(kind, target) for kind, target in rows]
