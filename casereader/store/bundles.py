"""Bundles in the store: a reader store's export sequence, a coordinator store's imported bundles.

Reader side: every export takes the next sequence number (kept in the settings), so the
coordinator can tell a newer bundle from an older one.

Coordinator side: `write_reader_import` writes one verified bundle in one transaction: the
bundle's bytes (kept for ever), the reader's answers, evidence links, flag states, case statuses,
substitutions and audit entries. A newer bundle from the same reader replaces that reader's
answers, links and flag states; flag events the coordinator added are kept, and the readers'
audit entries only ever accumulate. Nothing here checks signatures: the caller
(`casereader.bundle.merge`) hands over a bundle it has already verified.
"""

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict

from casereader.store.db import now
from casereader.store.documents import PAGE_SLOT, text_rowid
from casereader.store.models import FLAG_STATUS_ORDER
from casereader.store.store import Store

SEQUENCE_SETTING = "bundle_sequence"
LAST_EXPORT_SETTING = "last_export_at"


class ImportedBundle(BaseModel):
    """One bundle merged into a coordinator store (its bytes are fetched apart)."""

    model_config = ConfigDict(frozen=True)

    id: int
    reader_id: str
    sequence: int
    format_version: int
    manifest_sha256: str
    file_sha256: str
    file_name: str
    created_at: str
    app_version: str
    counts: dict[str, int]
    imported_at: str


class ReaderAuditEntry(BaseModel):
    """One entry of a reader's own audit log, as it came in a bundle."""

    model_config = ConfigDict(frozen=True)

    reader_id: str
    entry_id: int
    bundle_id: int
    at: str
    actor: str
    action: str
    case_ref: str | None
    target: str | None
    old_value: str | None
    new_value: str | None
    detail: str | None


# reader side ---------------------------------------------------------------------------------


def last_export_sequence(store: Store) -> int:
    """The sequence number of the reader's latest export (0 before the first)."""
    return int(store.setting(SEQUENCE_SETTING, "0") or 0)


def reserve_export_sequence(store: Store) -> int:
    """Take the next export sequence number for good (a failed export leaves a harmless gap)."""
    with store.db.atomic():
        sequence = last_export_sequence(store) + 1
        store.set_setting(SEQUENCE_SETTING, str(sequence))
    return sequence


def record_export(
    store: Store, sequence: int, file_name: str, file_sha256: str, recipients: list[str]
) -> None:
    """Audit a written bundle and remember when the last export was made."""
    with store.db.atomic():
        store.set_setting(LAST_EXPORT_SETTING, now())
        store.audit(
            "bundle.exported",
            target=file_name,
            new=str(sequence),
            detail={"sha256": file_sha256, "recipients": recipients},
        )


def _json_records(store: Store, table_sql: str, fields: tuple[str, ...], order: str,
                  params: list) -> tuple[str, int]:  # fmt: skip
    """Rows as JSON objects, one a line (joined by ",\n"), built by SQLite's JSON1 for speed."""
    pairs = ", ".join(f"'{name}', {expr}" for name, expr in _named(fields))
    row = store.db.execute(
        f"SELECT count(*), group_concat(j, ',' || char(10) ORDER BY {order})"
        f" FROM (SELECT json_object({pairs}) AS j, * FROM {table_sql})",
        params,
    ).fetchone()
    return row[1] or "", row[0]


def _named(fields: tuple[str, ...]) -> list[tuple[str, str]]:
    return [tuple(f.split("=", 1)) if "=" in f else (f, f) for f in fields]  # type: ignore[misc]


_HISTORY = (
    "json((SELECT json_group_array(json_object('status', e.status, 'actor', e.actor,"
    " 'at', e.at, 'note', e.note) ORDER BY e.id) FROM flag_events e"
    " WHERE e.flag_id = flags.flag_id))"
)


_ANSWER_FIELDS = (
    "case_ref", "item_key", "reader_id", "value", "agreed_value", "note", "template_id",
    "template_version", "template_sha256", "updated_at",
)  # fmt: skip


def reader_answers(store: Store, reader_id: str) -> tuple[str, list[tuple]]:
    """The reader's answers in one pass, by case then item: as JSON records, one a line, and as
    (case_ref, item_key, value, agreed_value, note, template_id, template_version,
    template_sha256, updated_at) rows for the answers CSV."""
    pairs = ", ".join(f"'{name}', {name}" for name in _ANSWER_FIELDS)
    rows = store.db.execute(
        f"SELECT json_object({pairs}), case_ref, item_key, value, agreed_value, note,"
        " template_id, template_version, template_sha256, updated_at FROM answers"
        " WHERE reader_id = ? ORDER BY case_ref, item_key",
        [reader_id],
    ).fetchall()
    return ",\n".join([row[0] for row in rows]), [row[1:] for row in rows]


def reader_work_json(store: Store, reader_id: str) -> dict[str, tuple[str, int]]:
    """A reader's own work but the answers as JSON records, one a line, with their counts."""
    return {
        "evidence_links": _json_records(
            store,
            "evidence_links WHERE reader_id = ?",
            ("case_ref", "item_key", "reader_id", "document_sha256", "page", "label", "created_at"),
            "id",
            [reader_id],
        ),  # fmt: skip
        "flags": _json_records(
            store,
            "flags WHERE reader_id = ?",
            (
                "flag_id",
                "case_ref",
                "reader_id",
                "category",
                "description",
                "status",
                "raised_by",
                "raised_at",
                "updated_at",
                f"history={_HISTORY}",
            ),
            "raised_at, flag_id",
            [reader_id],
        ),  # fmt: skip
        "statuses": _json_records(
            store,
            "assignments WHERE reader_id = ?",
            ("case_ref", "status", "completed_at", "updated_at"),
            "case_ref",
            [reader_id],
        ),
        "substitutions": _json_records(
            store,
            "substitutions",
            ("core_ref", "reserve_ref", "reason", "note", "decided_by", "decided_at"),
            "id",
            [],
        ),
        "entries": _json_records(
            store,
            "audit_log",
            (
                "id",
                "at",
                "actor",
                "action",
                "case_ref",
                "target",
                "old_value",
                "new_value",
                "detail",
            ),
            "id",
            [],
        ),  # fmt: skip
    }


def link_rows(store: Store, reader_id: str) -> list[tuple]:
    """(case_ref, item_key, document_sha256, page, label) of the reader's evidence links."""
    return store.db.execute(
        "SELECT case_ref, item_key, document_sha256, page, label FROM evidence_links"
        " WHERE reader_id = ? ORDER BY id",
        [reader_id],
    ).fetchall()


def text_rowid_ranges(store: Store) -> dict[int, tuple[int, int]]:
    """document id -> (first, last) rowid of its page text, in one pass over the FTS table.

    Only for stores whose page text predates rowids derived from the document id (see
    `PackText`): that pass reads every page of the inspection.
    """
    rows = store.db.execute(
        "SELECT document_id, min(rowid), max(rowid) FROM document_text GROUP BY document_id"
    ).fetchall()
    return {int(doc): (low, high) for doc, low, high in rows}


_PAGES_JSON = (
    "CAST(json_object('pages', json_group_array(json_array(CAST(page AS INTEGER),"
    " ifnull(text, '')) ORDER BY page)) AS BLOB)"
)
_PAGES_OF_SPAN = (
    "FROM document_text WHERE rowid BETWEEN span.low AND span.high AND document_id = span.doc"
)
STAGING_BUDGET_BYTES = 32 * 1024 * 1024  # of page text


class PackText:
    """The page text of a reading pack's documents, each as JSON `{"pages":[[page,"text"],…]}`.

    `stage()` has SQLite read the page text of the first documents (in pack order, up to
    STAGING_BUDGET_BYTES of text) and write their JSON into a TEMP table (memory only: the
    store sets temp_store = MEMORY) in ONE statement, during which the sqlite3 module releases
    the GIL: another thread can work meanwhile (a pack's scrypt seal holds the GIL for a second
    or more). `pages_json(n)` then hands back the n-th document's JSON (from 0) without
    decrypting or escaping anything again; documents past the budget are read one by one.
    `drop()` frees the staged rows. Documents' bytes are never staged: they stream one by one.

    A document's pages are read by rowid (document id × PAGE_SLOT + page), as document_id is
    UNINDEXED in the FTS table and a lookup by it scans every page; text written before those
    rowids (rowids below PAGE_SLOT) is mapped in one pass first.
    """

    def __init__(self, store: Store, document_ids: list[int]) -> None:
        self._store = store
        self._ids = document_ids
        self._name = f"pack_text_{secrets.token_hex(6)}"
        self._table = f"temp.{self._name}"
        self._ranges: dict[int, tuple[int, int]] | None = None

    def _span(self, doc: int) -> tuple[int, int]:
        if self._ranges is None:
            return text_rowid(doc, 1), text_rowid(doc, PAGE_SLOT - 1)
        return self._ranges.get(doc, (1, 0))

    def stage(self, about_to_run: Callable[[], None] | None = None) -> None:
        """Stage the first documents' text; `about_to_run` is called just before the long step."""
        execute = self._store.db.conn.execute
        legacy = execute(
            "SELECT 1 FROM document_text WHERE rowid < ? LIMIT 1", [PAGE_SLOT]
        ).fetchone()
        self._ranges = text_rowid_ranges(self._store) if legacy else None
        spans = json.dumps([[doc, *self._span(doc)] for doc in self._ids])
        execute(f"CREATE TEMP TABLE {self._name} (n INTEGER PRIMARY KEY, pages BLOB NOT NULL)")
        # The text's sizes are summed first, so only the documents within the budget are made
        # JSON and kept: one statement, bounded memory.
        statement = (
            "WITH span AS (SELECT key AS n, value ->> 0 AS doc, value ->> 1 AS low,"
            " value ->> 2 AS high FROM json_each(?)),"
            " sized AS (SELECT n, doc, low, high, sum((SELECT total(length(CAST(text AS BLOB)))"
            f" {_PAGES_OF_SPAN})) OVER (ORDER BY n) AS upto FROM span)"
            f" INSERT INTO {self._table} (n, pages)"
            f" SELECT n, (SELECT {_PAGES_JSON} {_PAGES_OF_SPAN}) FROM sized AS span"
            " WHERE upto <= ?"
        )
        if about_to_run is not None:
            about_to_run()
        execute(statement, [spans, STAGING_BUDGET_BYTES])

    def pages_json(self, n: int) -> bytes:
        """The n-th document's page text as JSON bytes."""
        execute = self._store.db.conn.execute
        row = execute(f"SELECT pages FROM {self._table} WHERE n = ?", [n]).fetchone()
        if row is None:
            doc = self._ids[n]
            sql = (
                f"SELECT {_PAGES_JSON} FROM document_text WHERE rowid BETWEEN ? AND ?"
                " AND document_id = ?"
            )
            row = execute(sql, [*self._span(doc), doc]).fetchone()
        return bytes(row[0])

    def drop(self) -> None:
        """Free the staged rows."""
        self._store.db.conn.execute(f"DROP TABLE IF EXISTS {self._table}")


# coordinator side ----------------------------------------------------------------------------


@dataclass
class ReaderImport:
    """A verified bundle, ready to write: plain rows, no signatures left to check."""

    reader_id: str
    public_key: str
    sequence: int
    format_version: int
    manifest_sha256: str
    file_sha256: str
    file_name: str
    created_at: str
    app_version: str
    counts: dict[str, int]
    content: bytes
    answers: list[dict] = field(default_factory=list)
    evidence_links: list[dict] = field(default_factory=list)
    flags: list[dict] = field(default_factory=list)  # each with "history": [event dicts]
    statuses: list[dict] = field(default_factory=list)
    substitutions: list[dict] = field(default_factory=list)
    audit: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class ImportWritten:
    bundle_id: int
    replaced_sequence: int | None
    substitutions_added: int
    substitutions_skipped: int


_BUNDLE_COLUMNS = (
    "id, reader_id, sequence, format_version, manifest_sha256, file_sha256, file_name,"
    " created_at, app_version, counts, imported_at"
)


def _bundle(row: dict) -> ImportedBundle:
    return ImportedBundle(**{**row, "counts": json.loads(row["counts"])})


def imported_bundles(store: Store, reader_id: str | None = None) -> list[ImportedBundle]:
    """Every imported bundle (or one reader's), oldest first."""
    sql = f"SELECT {_BUNDLE_COLUMNS} FROM imported_bundles"
    params: list = []
    if reader_id is not None:
        sql += " WHERE reader_id = ?"
        params.append(reader_id)
    return [_bundle(row) for row in store.db.query(sql + " ORDER BY id", params)]


def latest_import(store: Store, reader_id: str) -> ImportedBundle | None:
    """The reader's bundle with the highest sequence number, if any came in."""
    rows = list(
        store.db.query(
            f"SELECT {_BUNDLE_COLUMNS} FROM imported_bundles WHERE reader_id = ?"
            " ORDER BY sequence DESC LIMIT 1",
            [reader_id],
        )
    )
    return _bundle(rows[0]) if rows else None


def import_by_sequence(store: Store, reader_id: str, sequence: int) -> ImportedBundle | None:
    rows = list(
        store.db.query(
            f"SELECT {_BUNDLE_COLUMNS} FROM imported_bundles WHERE reader_id = ? AND sequence = ?",
            [reader_id, sequence],
        )
    )
    return _bundle(rows[0]) if rows else None


def bundle_bytes(store: Store, bundle_id: int) -> bytes:
    """The exact bytes of an imported bundle file, as the reader sent it (still encrypted)."""
    row = store.db.execute(
        "SELECT content FROM imported_bundles WHERE id = ?", [bundle_id]
    ).fetchone()
    if row is None:
        raise KeyError(bundle_id)
    return bytes(row[0])


def pinned_key(store: Store, reader_id: str) -> str | None:
    """The public key (hex) pinned by the first bundle from this reader id, if one came."""
    row = store.db.execute(
        "SELECT public_key FROM reader_keys WHERE reader_id = ?", [reader_id]
    ).fetchone()
    return row[0] if row else None


def pinned_keys(store: Store) -> dict[str, str]:
    """reader id -> pinned public key (hex)."""
    return dict(store.db.execute("SELECT reader_id, public_key FROM reader_keys").fetchall())


def reader_audit(store: Store, reader_id: str | None = None) -> list[ReaderAuditEntry]:
    """The readers' own audit entries that came in bundles, by reader then in their order."""
    sql = "SELECT * FROM reader_audit"
    params: list = []
    if reader_id is not None:
        sql += " WHERE reader_id = ?"
        params.append(reader_id)
    rows = store.db.query(sql + " ORDER BY reader_id, entry_id", params)
    return [ReaderAuditEntry(**{k: v for k, v in row.items() if k != "id"}) for row in rows]


def known_case_refs(store: Store) -> set[str]:
    return {row[0] for row in store.db.execute("SELECT case_ref FROM cases").fetchall()}


def foreign_flags(store: Store, reader_id: str, flags: list[dict]) -> list[str]:
    """Flag ids in `flags` that this store already holds for another reader or another case."""
    clashes = []
    for flag in flags:
        row = store.db.execute(
            "SELECT reader_id, case_ref FROM flags WHERE flag_id = ?", [flag["flag_id"]]
        ).fetchone()
        if row is not None and (row[0] != reader_id or row[1] != flag["case_ref"]):
            clashes.append(flag["flag_id"])
    return clashes


def write_reader_import(store: Store, bundle: ReaderImport) -> ImportWritten:
    """Write a verified bundle in one transaction; a newer one replaces the reader's state."""
    reader = bundle.reader_id
    with store.db.atomic():
        previous = latest_import(store, reader)
        cur = store.db.execute(
            "INSERT INTO imported_bundles (reader_id, sequence, format_version, manifest_sha256,"
            " file_sha256, file_name, created_at, app_version, counts, imported_at, content)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                reader,
                bundle.sequence,
                bundle.format_version,
                bundle.manifest_sha256,
                bundle.file_sha256,
                bundle.file_name,
                bundle.created_at,
                bundle.app_version,
                json.dumps(bundle.counts, sort_keys=True),
                now(),
                bundle.content,
            ],
        )
        bundle_id = cur.lastrowid
        store.db.execute(
            "INSERT OR IGNORE INTO reader_keys (reader_id, public_key, pinned_at, first_bundle_id)"
            " VALUES (?, ?, ?, ?)",
            [reader, bundle.public_key, now(), bundle_id],
        )
        _replace_answers(store, reader, bundle.answers)
        _replace_links(store, reader, bundle.evidence_links)
        for flag in bundle.flags:
            _merge_flag(store, reader, bundle_id, flag)
        _set_statuses(store, reader, bundle.statuses)
        added, skipped = _add_substitutions(store, bundle.substitutions)
        _append_audit(store, reader, bundle_id, bundle.audit)
        store.audit(
            "bundle.imported",
            target=reader,
            old=str(previous.sequence) if previous else None,
            new=str(bundle.sequence),
            detail={
                "file": bundle.file_name,
                "sha256": bundle.file_sha256,
                "counts": bundle.counts,
                "substitutions_skipped": skipped,
            },
        )
    return ImportWritten(bundle_id, previous.sequence if previous else None, added, skipped)


def _replace_answers(store: Store, reader: str, answers: list[dict]) -> None:
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


def _replace_links(store: Store, reader: str, links: list[dict]) -> None:
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


def _merge_flag(store: Store, reader: str, bundle_id: int, flag: dict) -> None:
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


def _set_statuses(store: Store, reader: str, statuses: list[dict]) -> None:
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


def _add_substitutions(store: Store, substitutions: list[dict]) -> tuple[int, int]:
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


def _append_audit(store: Store, reader: str, bundle_id: int, entries: list[dict]) -> None:
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
