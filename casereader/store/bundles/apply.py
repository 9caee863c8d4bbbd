"""Applying a verified bundle's rows to a coordinator store: a newer bundle replaces older state.

The reader's answers and evidence links are replaced; flags merge with the coordinator's own
lifecycle steps on them; statuses are set; substitutions are added unless the coordinator
decided otherwise; the reader's audit entries only ever accumulate.
"""

from casereader.store.bundles.queries import known_case_refs
from casereader.store.models import FLAG_STATUS_ORDER
from casereader.store.store import Store


def replace_answers(store: Store, reader: str, answers: list[dict]) -> None:
    """Replace the reader's answers with the bundle's."""
    store.db.execute("DELETE FROM answers WHERE reader_id = ?", [reader])
    store.db.conn.executemany(
        "INSERT INTO answers (case_ref, item_key, reader_id, value, agreed_value, note,"
        " template_id, template_version, template_sha256, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                a["case_ref"],
                a["item_key"],
                reader,
                a["value"],
                a["agreed_value"],
                a["note"],
                a["template_id"],
                a["template_version"],
                a["template_sha256"],
                a["updated_at"],
            )
            for a in answers
        ],
    )


def replace_links(store: Store, reader: str, links: list[dict]) -> None:
    """Replace the reader's evidence links with the bundle's."""
    store.db.execute("DELETE FROM evidence_links WHERE reader_id = ?", [reader])
    store.db.conn.executemany(
        "INSERT INTO evidence_links (case_ref, item_key, reader_id, document_sha256, page, label,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                link["case_ref"],
                link["item_key"],
                reader,
                link["document_sha256"],
                link["page"],
                link["label"],
                link["created_at"],
            )
            for link in links
        ],
    )


def merge_flag(store: Store, reader: str, bundle_id: int, flag: dict) -> None:
    """The reader's flag, with the coordinator's own lifecycle steps on it kept in time order."""
    flag_id = flag["flag_id"]
    db = store.db
    exists = db.execute("SELECT 1 FROM flags WHERE flag_id = ?", [flag_id]).fetchone()
    if exists:
        db.execute(
            "UPDATE flags SET category = ?, description = ?, raised_by = ?, raised_at = ?"
            " WHERE flag_id = ?",
            [flag["category"], flag["description"], flag["raised_by"], flag["raised_at"], flag_id],
        )
    else:
        db.execute(
            "INSERT INTO flags (flag_id, case_ref, reader_id, category, description, status,"
            " raised_by, raised_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                flag_id,
                flag["case_ref"],
                reader,
                flag["category"],
                flag["description"],
                flag["status"],
                flag["raised_by"],
                flag["raised_at"],
                flag["updated_at"],
            ],
        )
    own = db.execute(
        "SELECT status, actor, at, note FROM flag_events WHERE flag_id = ? AND id NOT IN"
        " (SELECT flag_event_id FROM imported_flag_events) ORDER BY id",
        [flag_id],
    ).fetchall()
    db.execute(
        "DELETE FROM imported_flag_events WHERE flag_event_id IN"
        " (SELECT id FROM flag_events WHERE flag_id = ?)",
        [flag_id],
    )
    db.execute("DELETE FROM flag_events WHERE flag_id = ?", [flag_id])
    events = [(e["at"], 0, i, e, True) for i, e in enumerate(flag["history"])]
    events += [
        (at, 1, i, {"status": status, "actor": actor, "at": at, "note": note}, False)
        for i, (status, actor, at, note) in enumerate(own)
    ]
    events.sort(key=lambda e: e[:3])
    furthest = FLAG_STATUS_ORDER.index(flag["status"])
    latest = flag["updated_at"]
    for at, _, _, event, from_reader in events:
        cur = db.execute(
            "INSERT INTO flag_events (flag_id, status, actor, at, note) VALUES (?, ?, ?, ?, ?)",
            [flag_id, event["status"], event["actor"], at, event["note"]],
        )
        if from_reader:
            db.execute(
                "INSERT INTO imported_flag_events (flag_event_id, reader_id, bundle_id)"
                " VALUES (?, ?, ?)",
                [cur.lastrowid, reader, bundle_id],
            )
        furthest = max(furthest, FLAG_STATUS_ORDER.index(event["status"]))
        latest = max(latest, at)
    db.execute(
        "UPDATE flags SET status = ?, updated_at = ? WHERE flag_id = ?",
        [FLAG_STATUS_ORDER[furthest], latest, flag_id],
    )


def set_statuses(store: Store, reader: str, statuses: list[dict]) -> None:
    """Set the reader's case statuses from the bundle."""
    store.db.conn.executemany(
        "INSERT INTO assignments (case_ref, reader_id, status, completed_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT(case_ref, reader_id) DO UPDATE SET"
        " status = excluded.status, completed_at = excluded.completed_at,"
        " updated_at = excluded.updated_at",
        [
            (s["case_ref"], reader, s["status"], s["completed_at"], s["updated_at"])
            for s in statuses
        ],
    )


def add_substitutions(store: Store, substitutions: list[dict]) -> tuple[int, int]:
    """Add the reader's substitutions the coordinator has not decided otherwise."""
    added = skipped = 0
    known = known_case_refs(store) if substitutions else set()
    for sub in substitutions:
        row = store.db.execute(
            "SELECT core_ref, reserve_ref FROM substitutions WHERE core_ref = ? OR reserve_ref = ?",
            [sub["core_ref"], sub["reserve_ref"]],
        ).fetchall()
        if row == [(sub["core_ref"], sub["reserve_ref"])]:
            continue  # already recorded, from an earlier bundle or by the coordinator
        if row or not {sub["core_ref"], sub["reserve_ref"]} <= known:
            skipped += 1
            continue
        store.db.execute(
            "INSERT INTO substitutions (core_ref, reserve_ref, reason, note, decided_by,"
            " decided_at) VALUES (?, ?, ?, ?, ?, ?)",
            [
                sub["core_ref"],
                sub["reserve_ref"],
                sub["reason"],
                sub["note"],
                sub["decided_by"],
                sub["decided_at"],
            ],
        )
        added += 1
    return added, skipped


def append_audit(store: Store, reader: str, bundle_id: int, entries: list[dict]) -> None:
    """Add the reader's audit entries this store does not hold yet: they only accumulate."""
    # Each bundle carries the reader's whole log, so earlier entries are already here: they are
    # left out before the insert (cheaper than letting OR IGNORE find each one in the index).
    known = {
        row[0]
        for row in store.db.execute(
            "SELECT entry_id FROM reader_audit WHERE reader_id = ?", [reader]
        ).fetchall()
    }
    store.db.conn.executemany(
        "INSERT OR IGNORE INTO reader_audit (reader_id, entry_id, bundle_id, at, actor, action,"
        " case_ref, target, old_value, new_value, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                reader,
                e["id"],
                bundle_id,
                e["at"],
                e["actor"],
                e["action"],
                e["case_ref"],
                e["target"],
                e["old_value"],
                e["new_value"],
                e["detail"],
            )
            for e in entries
            if e["id"] not in known
        ],
    )
