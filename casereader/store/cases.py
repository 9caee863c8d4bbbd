"""Cases, their reader assignments, statuses and reserve substitutions."""

import json
from collections import defaultdict
from dataclasses import dataclass, field

from casereader.errors import StoreError
from casereader.store.db import now
from casereader.store.models import Case, CaseOverview, CaseStatus, Substitution
from casereader.store.store import Store

SUBSTITUTION_REASONS = {
    "records_unavailable": "Records unavailable",
    "out_of_scope": "Out of scope",
    "reader_knows_family": "Reader knows the family",
    "other": "Other",
}


@dataclass
class CaseIn:
    """A validated sample row, ready to write."""

    case_ref: str
    sample_group: str
    follow_up: bool
    age_band: str = ""
    legal_status: str = ""
    readers: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)


def upsert_cases(store: Store, rows: list[CaseIn]) -> tuple[int, int]:
    """Add new cases and update existing ones; never removes a case. Returns (added, updated).

    Call inside ``store.db.atomic()`` together with the rest of the import.
    """
    existing = {r[0] for r in store.db.execute("SELECT case_ref FROM cases").fetchall()}
    added = updated = 0
    stamp = now()
    for row in rows:
        record = {
            "case_ref": row.case_ref,
            "sample_group": row.sample_group,
            "follow_up": int(row.follow_up),
            "age_band": row.age_band,
            "legal_status": row.legal_status,
            "attributes": json.dumps(row.attributes, sort_keys=True),
        }
        if row.case_ref in existing:
            sets = ", ".join(f"{k} = :{k}" for k in record if k != "case_ref")
            store.db.execute(f"UPDATE cases SET {sets} WHERE case_ref = :case_ref", record)
            updated += 1
        else:
            store.db.execute(
                "INSERT INTO cases (case_ref, sample_group, follow_up, age_band, legal_status,"
                " attributes, added_at) VALUES (:case_ref, :sample_group, :follow_up, :age_band,"
                " :legal_status, :attributes, :added_at)",
                {**record, "added_at": stamp},
            )
            added += 1
        for reader in row.readers:
            assign(store, row.case_ref, reader)
    return added, updated


def assign(store: Store, case_ref: str, reader_id: str) -> None:
    """Assign a case to a reader (no-op if already assigned)."""
    store.db.execute(
        "INSERT OR IGNORE INTO assignments (case_ref, reader_id, updated_at) VALUES (?, ?, ?)",
        [case_ref, reader_id, now()],
    )


def _readers(store: Store) -> dict[str, list[str]]:
    readers: dict[str, list[str]] = defaultdict(list)
    for ref, reader in store.db.execute(
        "SELECT case_ref, reader_id FROM assignments ORDER BY case_ref, reader_id"
    ).fetchall():
        readers[ref].append(reader)
    return readers


def _case(row: dict, readers: list[str]) -> Case:
    return Case(
        case_ref=row["case_ref"],
        sample_group=row["sample_group"],
        follow_up=bool(row["follow_up"]),
        age_band=row["age_band"],
        legal_status=row["legal_status"],
        attributes=json.loads(row["attributes"]),
        readers=readers,
        moderated_at=row["moderated_at"],
    )


def list_cases(store: Store) -> list[Case]:
    readers = _readers(store)
    return [
        _case(row, readers.get(row["case_ref"], []))
        for row in store.db.query("SELECT * FROM cases ORDER BY case_ref")
    ]


def get_case(store: Store, case_ref: str) -> Case:
    rows = list(store.db.query("SELECT * FROM cases WHERE case_ref = ?", [case_ref]))
    if not rows:
        raise StoreError(f"No case {case_ref!r} in this store; `status` lists the cases.")
    readers = _readers(store)
    return _case(rows[0], readers.get(case_ref, []))


def require_case(store: Store, case_ref: str) -> None:
    """Raise a clear error when the store has no such case (cheaper than get_case)."""
    row = store.db.execute("SELECT 1 FROM cases WHERE case_ref = ?", [case_ref]).fetchone()
    if row is None:
        raise StoreError(f"No case {case_ref!r} in this store; `status` lists the cases.")


def reader_status(store: Store, case_ref: str, reader_id: str | None = None) -> CaseStatus:
    """The status of one reader's reading of a case (not started if never assigned)."""
    row = store.db.execute(
        "SELECT status FROM assignments WHERE case_ref = ? AND reader_id = ?",
        [case_ref, reader_id or store.reader_id],
    ).fetchone()
    return row[0] if row else "not_started"


def set_reader_status(
    store: Store, case_ref: str, status: CaseStatus, reader_id: str | None = None
) -> None:
    """Set (and audit) a reader's status on a case, creating the assignment if needed."""
    reader = reader_id or store.reader_id
    old = reader_status(store, case_ref, reader)
    if old == status:
        return
    assign(store, case_ref, reader)
    store.db.execute(
        "UPDATE assignments SET status = ?, updated_at = ?, completed_at = ? "
        "WHERE case_ref = ? AND reader_id = ?",
        [status, now(), now() if status == "complete" else None, case_ref, reader],
    )
    store.audit("case.status", case_ref=case_ref, target=reader, old=old, new=status)


def overview(store: Store, reader_id: str | None = None) -> list[CaseOverview]:
    """Every case with its counts and status, as the case list and `status` show them."""
    reader = reader_id or store.reader_id
    template = store.template
    required = {f"{stage.id}.{item.id}" for stage, item in template.items() if item.required}
    db = store.db
    docs = dict(db.execute("SELECT case_ref, count(*) FROM documents GROUP BY case_ref").fetchall())
    answered: dict[str, int] = defaultdict(int)
    required_answered: dict[str, int] = defaultdict(int)
    for ref, key in db.execute(
        "SELECT case_ref, item_key FROM answers WHERE reader_id = ? AND value IS NOT NULL"
        " AND template_sha256 = ?",
        [reader, template.sha256],
    ).fetchall():
        answered[ref] += 1
        if key in required:
            required_answered[ref] += 1
    flags, closed = {}, {}
    for ref, is_closed, count in db.execute(
        "SELECT case_ref, status = 'closed', count(*) FROM flags GROUP BY 1, 2"
    ).fetchall():
        (closed if is_closed else flags)[ref] = count
    statuses = dict(
        db.execute(
            "SELECT case_ref, status FROM assignments WHERE reader_id = ?", [reader]
        ).fetchall()
    )
    subs = {s.core_ref: s for s in substitutions(store)}
    replaced_for = {s.reserve_ref: s.core_ref for s in subs.values()}
    result = []
    for case in list_cases(store):
        ref = case.case_ref
        status = statuses.get(ref) or ("in_progress" if answered.get(ref) else "not_started")
        if case.moderated_at:
            status = "moderated"
        result.append(
            CaseOverview(
                case_ref=ref,
                sample_group=case.sample_group,
                follow_up=case.follow_up,
                age_band=case.age_band,
                legal_status=case.legal_status,
                readers=case.readers,
                status=status,
                documents=docs.get(ref, 0),
                answered=answered.get(ref, 0),
                required=len(required),
                required_answered=required_answered.get(ref, 0),
                open_flags=flags.get(ref, 0),
                closed_flags=closed.get(ref, 0),
                replaced_by=subs[ref].reserve_ref if ref in subs else None,
                replaces=replaced_for.get(ref),
            )
        )
    return result


def substitutions(store: Store) -> list[Substitution]:
    return [
        Substitution(**{k: row[k] for k in Substitution.model_fields})
        for row in store.db.query("SELECT * FROM substitutions ORDER BY id")
    ]


def replace_case(
    store: Store, core_ref: str, reserve_ref: str, reason: str, note: str = "", who: str = ""
) -> Substitution:
    """Record that a reserve case replaces a core case, with why, who and when."""
    if reason not in SUBSTITUTION_REASONS:
        raise StoreError(
            f"Unknown reason {reason!r}; use one of {', '.join(SUBSTITUTION_REASONS)}."
        )
    if reason == "other" and not note.strip():
        raise StoreError("Say why in a note when the reason is 'other'.")
    core, reserve = get_case(store, core_ref), get_case(store, reserve_ref)
    if core.sample_group != "core":
        raise StoreError(f"{core_ref} is a {core.sample_group} case; only a core case is replaced.")
    if reserve.sample_group != "reserve":
        raise StoreError(f"{reserve_ref} is not a reserve case.")
    taken = {(s.core_ref, s.reserve_ref) for s in substitutions(store)}
    if any(core_ref == c for c, _ in taken):
        raise StoreError(f"{core_ref} has already been replaced.")
    if any(reserve_ref == r for _, r in taken):
        raise StoreError(f"{reserve_ref} already replaces another case.")
    sub = Substitution(
        core_ref=core_ref,
        reserve_ref=reserve_ref,
        reason=reason,
        note=note.strip(),
        decided_by=who.strip() or store.reader_id,
        decided_at=now(),
    )
    with store.db.atomic():
        store.db["substitutions"].insert(sub.model_dump())
        store.audit(
            "case.replaced",
            case_ref=core_ref,
            target=reserve_ref,
            new=reason,
            detail={"note": note},
        )
    return sub
