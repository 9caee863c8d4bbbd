"""Documents inside the store: metadata, bytes, per-page text and full-text search (FTS5)."""

import json
import re
from dataclasses import dataclass, field

from casereader.domain.running_text import page_bodies
from casereader.errors import StoreError
from casereader.store import recognised as store_recognised
from casereader.store.db import now
from casereader.store.models import Document, SearchHit, SearchResults
from casereader.store.store import Store

AGENCIES = ("Social work", "Health", "Education", "Police", "SCRA", "Third sector", "Other")
HIT_START, HIT_END = "\u00ab", "\u00bb"  # « » mark search hits inside snippets

_COLUMNS = (
    "id, case_ref, sha256, agency, doc_date, date_source, title, doc_type, page_count, size,"
    " source_path, imported_at, repaired, original_sha256"
)


@dataclass
class DocumentIn:
    case_ref: str
    sha256: str
    agency: str
    doc_date: str | None
    date_source: str | None
    title: str
    doc_type: str
    page_count: int | None
    source_path: str
    content: bytes
    pages: list[str]
    # Pages of a scan run through text recognition, by page number (ingest.ocr.Recognised).
    recognised: dict = field(default_factory=dict)
    # Set when CONTENT is a repaired copy of a damaged file: the received file's SHA-256.
    original_sha256: str | None = None


def has_document(
    store: Store, case_ref: str, sha256: str, original_sha256: str | None = None
) -> bool:
    """Whether the case holds these bytes (or a repaired copy of the same damaged file)."""
    if store.db.execute(
        "SELECT 1 FROM documents WHERE case_ref = ? AND sha256 = ?", [case_ref, sha256]
    ).fetchone():
        return True
    return bool(
        original_sha256
        and store.db.execute(
            "SELECT 1 FROM documents WHERE case_ref = ? AND original_sha256 = ?",
            [case_ref, original_sha256],
        ).fetchone()
    )


def add_document(store: Store, doc: DocumentIn) -> int | None:
    """Write one document (metadata, bytes and page text) in one transaction.

    Returns the new id, or None when the case already holds the same bytes.
    """
    with store.db.atomic():
        return write_document(store, doc)


def write_document(store: Store, doc: DocumentIn) -> int | None:
    """Write one document inside the caller's open transaction, which the caller rolls back
    if this fails (else half a document would be kept).

    An import writes many documents in one transaction: a savepoint around each would make
    both full-text indexes write a segment for every document (FTS5 flushes at a savepoint),
    which is what a commit per document cost.
    """
    if has_document(store, doc.case_ref, doc.sha256, doc.original_sha256):
        return None
    cur = store.db.execute(
        "INSERT INTO documents (case_ref, sha256, agency, doc_date, date_source, title,"
        " doc_type, page_count, size, source_path, imported_at, repaired, original_sha256)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            doc.case_ref,
            doc.sha256,
            doc.agency,
            doc.doc_date,
            doc.date_source,
            doc.title,
            doc.doc_type,
            doc.page_count,
            len(doc.content),
            doc.source_path,
            now(),
            int(doc.original_sha256 is not None),
            doc.original_sha256,
        ],
    )
    doc_id = cur.lastrowid
    store.db.execute(
        "INSERT INTO document_content (document_id, content) VALUES (?, ?)",
        [doc_id, doc.content],
    )
    store.db.conn.executemany(
        "INSERT INTO document_text (rowid, text, document_id, page) VALUES (?, ?, ?, ?)",
        [
            (text_rowid(doc_id, page), text, doc_id, page)
            for page, text in enumerate(doc.pages, 1)
            if text.strip() and page not in doc.recognised
        ],
    )
    _index_bodies(store, doc_id, doc.pages, doc.recognised)
    store_recognised.write(store, doc_id, doc.recognised)
    return doc_id


def _index_bodies(store: Store, doc_id: int, pages: list[str], recognised) -> None:
    """Index each page's body: its text without the document's running header and footer."""
    texts = ["" if page in recognised else text for page, text in enumerate(pages, 1)]
    store.db.conn.executemany(
        "INSERT INTO page_body (rowid, text) VALUES (?, ?)",
        [
            (text_rowid(doc_id, page), text if body is None else body)
            for page, (text, body) in enumerate(zip(texts, page_bodies(texts), strict=True), 1)
            if text.strip()
        ],
    )


def list_documents(store: Store, case_ref: str | None = None) -> list[Document]:
    """Documents of a case (or all), by agency then date (undated last) then title."""
    sql = f"SELECT {_COLUMNS} FROM documents"
    params = []
    if case_ref:
        sql += " WHERE case_ref = ?"
        params.append(case_ref)
    sql += " ORDER BY case_ref, agency, doc_date IS NULL, doc_date, title"
    return [Document(**row) for row in store.db.query(sql, params)]


def timeline(store: Store, case_ref: str) -> list[Document]:
    """The cross-agency chronology: every document of the case by date, undated last."""
    return [
        Document(**row)
        for row in store.db.query(
            f"SELECT {_COLUMNS} FROM documents WHERE case_ref = ?"
            " ORDER BY doc_date IS NULL, doc_date, agency, title",
            [case_ref],
        )
    ]


def get_document(store: Store, document_id: int) -> Document:
    rows = list(store.db.query(f"SELECT {_COLUMNS} FROM documents WHERE id = ?", [document_id]))
    if not rows:
        raise StoreError(f"No document {document_id} in this store.")
    return Document(**rows[0])


def find_by_sha(store: Store, case_ref: str, sha256: str) -> Document | None:
    rows = list(
        store.db.query(
            f"SELECT {_COLUMNS} FROM documents WHERE case_ref = ? AND sha256 = ?",
            [case_ref, sha256],
        )
    )
    return Document(**rows[0]) if rows else None


def content(store: Store, document_id: int) -> bytes:
    """The document's bytes, in memory only (never written to disk decrypted)."""
    row = store.db.execute(
        "SELECT content FROM document_content WHERE document_id = ?", [document_id]
    ).fetchone()
    if row is None:
        raise StoreError(f"No document {document_id} in this store.")
    return bytes(row[0])


# A page's text row is found by rowid (document_id is an UNINDEXED FTS column, so a lookup
# by it would scan every page of the inspection).
PAGE_SLOT = 1_000_000


def text_rowid(document_id: int, page: int) -> int:
    return document_id * PAGE_SLOT + page


def page_text(store: Store, document_id: int) -> list[tuple[int, str]]:
    """(page, text) of a document's pages that have text, in page order."""
    return store.db.execute(
        "SELECT page, text FROM document_text WHERE rowid BETWEEN ? AND ? ORDER BY rowid",
        [text_rowid(document_id, 1), text_rowid(document_id, PAGE_SLOT - 1)],
    ).fetchall()


def record_opened(store: Store, document_id: int, page: int | None = None) -> None:
    """Write 'who opened which document, when' to the audit log."""
    doc = get_document(store, document_id)
    store.audit(
        "document.opened",
        case_ref=doc.case_ref,
        target=doc.sha256,
        detail={"title": doc.title, "page": page} if page else {"title": doc.title},
    )


_TOKEN = re.compile(r'"[^"]*"|\S+')
_CURLY = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"'})


def straight_quotes(text: str) -> str:
    """The query with typographic double quotes (“…”, as word processors type them) made
    straight: a phrase typed either way is a phrase."""
    return text.translate(_CURLY)


def fts_query(text: str) -> str:
    """Turn what a reader types into a safe FTS5 query: words ANDed, "phrases", word* prefixes."""
    parts = []
    for token in _TOKEN.findall(straight_quotes(text)):
        prefix = token.endswith("*") and not token.startswith('"')
        words = re.findall(r"\w+", token.strip('"*'))
        if not words:
            continue
        phrase = '"' + " ".join(words) + '"'
        parts.append(phrase + ("*" if prefix else ""))
    return " ".join(parts)


def search(
    store: Store, query: str, case_ref: str | None = None, limit: int = 20
) -> list[SearchHit]:
    """Best-ranked pages matching the query, each with a snippet marking the hits « »."""
    return find_pages(store, query, case_ref, limit).hits


def find_pages(
    store: Store, query: str, case_ref: str | None = None, limit: int = 20
) -> SearchResults:
    """The best pages matching the query (body hits before running header or footer hits,
    then by rank) and how many pages match in all."""
    match = fts_query(query)
    if not match:
        return SearchResults(hits=[], total=0)
    case_filter, scope = "", []
    if case_ref:
        case_filter = " AND document_id IN (SELECT id FROM documents WHERE case_ref = ?)"
        scope = [case_ref]
    total = store.db.execute(
        f"SELECT count(*) FROM document_text WHERE document_text MATCH ?{case_filter}",
        [match, *scope],
    ).fetchone()[0]
    found = _best_pages(store, match, case_filter, scope, limit, total)
    if not found:
        return SearchResults(hits=[], total=total)
    doc_ids = json.dumps(sorted({row[1] for row in found}))
    docs = {
        row["id"]: row
        for row in store.db.query(
            "SELECT id, case_ref, title, agency, doc_date FROM documents"
            " WHERE id IN (SELECT value FROM json_each(?))",
            [doc_ids],
        )
    }
    recognised = set(
        store.db.execute(
            "SELECT document_id, page FROM recognised_pages WHERE status = 'text'"
            " AND document_id IN (SELECT value FROM json_each(?))",
            [doc_ids],
        ).fetchall()
    )
    hits = [
        SearchHit(
            case_ref=docs[doc_id]["case_ref"],
            document_id=doc_id,
            title=docs[doc_id]["title"],
            agency=docs[doc_id]["agency"],
            doc_date=docs[doc_id]["doc_date"],
            page=page,
            snippet=_SPACE.sub(" ", snippet).strip(),
            recognised=(doc_id, page) in recognised,
            running_only=running,
        )
        for _rowid, doc_id, page, snippet, running in found
    ]
    return SearchResults(hits=hits, total=total)


_SNIPPET = f"snippet(document_text, 0, '{HIT_START}', '{HIT_END}', '…', 16)"


def _best_pages(store: Store, match: str, case_filter: str, scope: list, limit: int, total: int):
    """(rowid, document_id, page, snippet, running_only) of the best pages, in order: body hits
    first, then by rank.

    A page matches only in its running lines when its body (page_body) does not match. Most
    searches' best pages are body hits, so the best `limit` pages by rank are taken first (FTS5
    sorts by rank itself and makes snippets for those rows only) and only they are looked up in
    page_body. When one of them matches only in its running lines and more pages match, every
    matching page is ranked with its body looked up, then the snippets of the best are made.
    """
    best = store.db.execute(
        f"SELECT rowid, document_id, page, {_SNIPPET} FROM document_text"
        f" WHERE document_text MATCH ?{case_filter} ORDER BY rank LIMIT ?",
        [match, *scope, limit],
    ).fetchall()
    body = _body_matches(store, match, [row[0] for row in best])
    if len(best) >= total or all(row[0] in body for row in best):
        marked = [(*row, row[0] not in body) for row in best]
        return sorted(marked, key=lambda row: row[4])  # stable: rank order kept within each
    # Each query alone: a join around MATCH could run the full-text query once a document.
    # The id lists go in as one JSON parameter (any --limit fits SQLite's parameter cap).
    ranked = store.db.execute(
        "SELECT rowid,"
        " rowid NOT IN (SELECT rowid FROM page_body WHERE page_body MATCH ?) AS running"
        f" FROM document_text WHERE document_text MATCH ?{case_filter}"
        " ORDER BY running, rank LIMIT ?",
        [match, match, *scope, limit],
    ).fetchall()
    order = {rowid: (n, bool(running)) for n, (rowid, running) in enumerate(ranked)}
    found = store.db.execute(
        f"SELECT rowid, document_id, page, {_SNIPPET} FROM document_text"
        " WHERE document_text MATCH ? AND rowid IN (SELECT value FROM json_each(?))",
        [match, json.dumps(list(order))],
    ).fetchall()
    found.sort(key=lambda row: order[row[0]][0])
    return [(*row, order[row[0]][1]) for row in found]


def _body_matches(store: Store, match: str, rowids: list[int]) -> set[int]:
    """Which of these pages match the query in their body (not only in running lines)."""
    return {
        row[0]
        for row in store.db.execute(
            "SELECT rowid FROM page_body WHERE page_body MATCH ?"
            " AND rowid IN (SELECT value FROM json_each(?))",
            [match, json.dumps(rowids)],
        )
    }


_SPACE = re.compile(r"\s+")
