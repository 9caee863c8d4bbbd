"""A coordinator store's received bundles, enrolled reader keys and readers' audit, read back."""

import json

from pydantic import BaseModel, ConfigDict

from casereader.store.store import Store


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
    """The reader's bundle with this sequence number, if it came in."""
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
    """The reader's enrolled public key (hex) now in force, if a pack was made for the reader."""
    row = store.db.execute(
        "SELECT public_key FROM reader_enrolments WHERE reader_id = ? AND revoked_at IS NULL",
        [reader_id],
    ).fetchone()
    return row[0] if row else None


def pinned_keys(store: Store) -> dict[str, str]:
    """reader id -> enrolled public key (hex) now in force."""
    return dict(
        store.db.execute(
            "SELECT reader_id, public_key FROM reader_enrolments WHERE revoked_at IS NULL"
        ).fetchall()
    )


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
    """Every case reference in this store."""
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
