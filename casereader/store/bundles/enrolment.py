"""Readers' signing keys enrolled in a coordinator store when their reading pack is made.

A reader id has at most one active enrolment: the public key of the signing key the
coordinator put into that reader's pack, and the cases the pack held. Making a new pack for the
same reader revokes the old key (kept, with when and why), so a bundle signed by it is refused
by name. Keys pinned by a first bundle in stores made before enrolment existed were carried
over as enrolled by migration m004.
"""

import json

from pydantic import BaseModel, ConfigDict

from casereader.store.db import now
from casereader.store.store import Store


class Enrolment(BaseModel):
    """One reader key the coordinator enrolled (active, or revoked by a newer pack)."""

    model_config = ConfigDict(frozen=True)

    id: int
    reader_id: str
    public_key: str
    case_refs: tuple[str, ...]
    source: str
    pack_file: str | None
    enrolled_at: str
    revoked_at: str | None
    revoked_reason: str | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def _enrolment(row: dict) -> Enrolment:
    return Enrolment(**{**row, "case_refs": tuple(json.loads(row["case_refs"]))})


def enrolments(store: Store, reader_id: str | None = None) -> list[Enrolment]:
    """Every enrolment (or one reader's), oldest first."""
    sql = "SELECT * FROM reader_enrolments"
    params: list = []
    if reader_id is not None:
        sql += " WHERE reader_id = ?"
        params.append(reader_id)
    return [_enrolment(row) for row in store.db.query(sql + " ORDER BY id", params)]


def active_enrolment(store: Store, reader_id: str) -> Enrolment | None:
    """The reader's enrolled key now in force, if a pack was ever made for the reader."""
    found = [e for e in enrolments(store, reader_id) if e.active]
    return found[0] if found else None


def enrol_reader(
    store: Store,
    reader_id: str,
    public_key: str,
    case_refs: list[str],
    pack_file: str | None = None,
) -> Enrolment:
    """Enrol `public_key` (hex) as `reader_id`'s signing key, revoking any key it replaces."""
    at, refs = now(), json.dumps(sorted(case_refs))
    with store.db.atomic():
        old = active_enrolment(store, reader_id)
        if old is not None and old.public_key == public_key:
            # The same key again (a pack re-made from a store that kept its key): new cases.
            store.db.execute(
                "UPDATE reader_enrolments SET case_refs = ?, pack_file = ? WHERE id = ?",
                [refs, pack_file, old.id],
            )
            row_id = old.id
        else:
            if old is not None:
                store.db.execute(
                    "UPDATE reader_enrolments SET revoked_at = ?, revoked_reason = ? WHERE id = ?",
                    [at, f"a new pack was made for {reader_id}", old.id],
                )
                store.audit("reader.key_revoked", target=reader_id, old=old.public_key)
            row_id = store.db.execute(
                "INSERT INTO reader_enrolments (reader_id, public_key, case_refs, source,"
                " pack_file, enrolled_at) VALUES (?, ?, ?, 'pack', ?, ?)",
                [reader_id, public_key, refs, pack_file, at],
            ).lastrowid
        store.audit(
            "reader.key_enrolled",
            target=reader_id,
            new=public_key,
            detail={"pack": pack_file, "cases": len(case_refs)},
        )
    [made] = [e for e in enrolments(store, reader_id) if e.id == row_id]
    return made
