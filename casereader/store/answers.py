"""The reader's answers: value, agreed value and evidence note per template item, autosaved."""

from casereader.domain.values import normalise_value
from casereader.errors import AnswerRejected, StoreError
from casereader.store import cases
from casereader.store.db import now
from casereader.store.models import Answer, EvidenceLink
from casereader.store.store import Store

UNSET = object()


def answers_for(store: Store, case_ref: str, reader_id: str | None = None) -> dict[str, Answer]:
    """One reader's answers on a case made under the store's template, by item key."""
    rows = store.db.query(
        "SELECT * FROM answers WHERE case_ref = ? AND reader_id = ? AND template_sha256 = ?",
        [case_ref, reader_id or store.reader_id, store.template.sha256],
    )
    return {row["item_key"]: Answer(**row) for row in rows}


def answer_map(store: Store, case_ref: str, reader_id: str | None = None) -> dict:
    """item_key -> (value, note), the shape the completeness rules take."""
    return {k: (a.value, a.note) for k, a in answers_for(store, case_ref, reader_id).items()}


def save_answer(
    store: Store,
    case_ref: str,
    item_key: str,
    *,
    value=UNSET,
    agreed_value=UNSET,
    note=UNSET,
) -> Answer:
    """Save one change to an answer at once, auditing old → new for every changed field.

    ``value``/``agreed_value`` are raw user input (normalised against the template item) or
    None to clear. Changing a completed case reopens it (its completeness must be checked again).
    """
    store.check_present()
    template = store.template
    item = template.item(item_key)
    reader = store.reader_id
    with store.db.atomic():
        # One read for the case, the reader's status on it and the answer as it stands: a
        # save is mostly its commit, and each statement before it adds to every keystroke's.
        found, status, *old = store.db.execute(
            "SELECT (SELECT 1 FROM cases WHERE case_ref = :case),"
            " (SELECT status FROM assignments WHERE case_ref = :case AND reader_id = :reader),"
            " a.value, a.agreed_value, a.note, a.template_sha256"
            " FROM (SELECT 1) LEFT JOIN answers a"
            " ON a.case_ref = :case AND a.item_key = :item AND a.reader_id = :reader",
            {"case": case_ref, "item": item_key, "reader": reader},
        ).fetchone()
        if found is None:
            raise StoreError(f"No case {case_ref!r} in this store; `status` lists the cases.")
        changes = _changes(item, value, agreed_value, note)
        old = old if old[3] is not None else None
        if old and old[3] != template.sha256:
            raise AnswerRejected(
                f"{case_ref} {item_key}: the existing answer was made under another template "
                "version; it is kept as it is and cannot be edited here."
            )
        before = {"value": None, "agreed_value": None, "note": ""}
        if old:
            before = {"value": old[0], "agreed_value": old[1], "note": old[2]}
        changed = {k: v for k, v in changes.items() if before[k] != v}
        if not changed:
            return (
                answers_for(store, case_ref)[item_key] if old else _blank(store, case_ref, item_key)
            )
        after = {**before, **changed}
        stamp = now()
        store.db.execute(
            "INSERT INTO answers (case_ref, item_key, reader_id, value, agreed_value, note,"
            " template_id, template_version, template_sha256, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(case_ref, item_key, reader_id) DO UPDATE SET value = excluded.value,"
            " agreed_value = excluded.agreed_value, note = excluded.note,"
            " updated_at = excluded.updated_at",
            [
                case_ref,
                item_key,
                reader,
                after["value"],
                after["agreed_value"],
                after["note"],
                template.id,
                template.version,
                template.sha256,
                stamp,
            ],
        )
        for name, new in changed.items():
            store.audit(
                f"answer.{name}", case_ref=case_ref, target=item_key, old=before[name], new=new
            )
        if status in (None, "not_started", "complete"):
            cases.set_reader_status(store, case_ref, "in_progress")
    return Answer(
        case_ref=case_ref,
        item_key=item_key,
        reader_id=reader,
        template_id=template.id,
        template_version=template.version,
        template_sha256=template.sha256,
        updated_at=stamp,
        **after,
    )


def _changes(item, value, agreed_value, note) -> dict:
    """The fields a save sets: values normalised against the item, the note without its
    surrounding blank lines."""
    changes = {}
    if value is not UNSET:
        changes["value"] = None if value in (None, "") else normalise_value(item, str(value))
    if agreed_value is not UNSET:
        changes["agreed_value"] = (
            None if agreed_value in (None, "") else normalise_value(item, str(agreed_value))
        )
    if note is not UNSET:
        changes["note"] = (note or "").strip("\n")
    return changes


def _blank(store: Store, case_ref: str, item_key: str) -> Answer:
    t = store.template
    return Answer(
        case_ref=case_ref,
        item_key=item_key,
        reader_id=store.reader_id,
        value=None,
        agreed_value=None,
        note="",
        template_id=t.id,
        template_version=t.version,
        template_sha256=t.sha256,
        updated_at="",
    )


def add_evidence_link(
    store: Store, case_ref: str, item_key: str, document_sha256: str, page: int | None, label: str
) -> EvidenceLink:
    """Cite a document (by content hash, stable across stores) and page in an item's note."""
    store.template.item(item_key)
    row = store.db.execute(
        "SELECT 1 FROM documents WHERE case_ref = ? AND sha256 = ?", [case_ref, document_sha256]
    ).fetchone()
    if row is None:
        raise StoreError(f"{case_ref}: no such document to cite.")
    with store.db.atomic():
        cur = store.db.execute(
            "INSERT INTO evidence_links (case_ref, item_key, reader_id, document_sha256, page,"
            " label, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [case_ref, item_key, store.reader_id, document_sha256, page, label, now()],
        )
        store.audit(
            "evidence.linked",
            case_ref=case_ref,
            target=item_key,
            new=f"{document_sha256[:12]} p{page}",
        )
    return EvidenceLink(
        **next(store.db.query("SELECT * FROM evidence_links WHERE id = ?", [cur.lastrowid]))
    )


def remove_evidence_link(store: Store, link_id: int) -> None:
    with store.db.atomic():
        row = store.db.execute(
            "SELECT case_ref, item_key FROM evidence_links WHERE id = ?", [link_id]
        ).fetchone()
        if row is None:
            return
        store.db.execute("DELETE FROM evidence_links WHERE id = ?", [link_id])
        store.audit("evidence.unlinked", case_ref=row[0], target=row[1], old=str(link_id))


def evidence_links(
    store: Store, case_ref: str, item_key: str | None = None, reader_id: str | None = None
) -> list[EvidenceLink]:
    sql = "SELECT * FROM evidence_links WHERE case_ref = ? AND reader_id = ?"
    params: list = [case_ref, reader_id or store.reader_id]
    if item_key:
        sql += " AND item_key = ?"
        params.append(item_key)
    return [EvidenceLink(**row) for row in store.db.query(sql + " ORDER BY id", params)]
