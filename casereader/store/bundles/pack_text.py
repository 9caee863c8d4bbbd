"""A reading pack's page text, staged as JSON by SQLite in one statement while the key is sealed."""

import json
import secrets
from collections.abc import Callable

from casereader.store.documents import PAGE_SLOT, text_rowid
from casereader.store.store import Store


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
