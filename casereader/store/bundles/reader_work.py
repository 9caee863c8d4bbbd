"""A reader's own work read out for a bundle as JSON records, built by SQLite's JSON1."""

from casereader.store.store import Store


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
