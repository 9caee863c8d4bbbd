"""Where the reader was: each case's last document and page, and which documents were opened.

Kept in the store (never exported): a case reopens at its place, the app reopens at the last
case read, and the documents list marks what was read.
"""

from pydantic import BaseModel

from casereader.store.db import now
from casereader.store.store import Store


class ReadingPlace(BaseModel):
    """A case's last place: the document shown (None: none yet) and its page."""

    case_ref: str
    document_id: int | None
    page: int
    visited_at: str


def remember_place(store: Store, case_ref: str, document_id: int | None, page: int = 1) -> None:
    """Remember the document and page shown for a case (and that it was the last case read)."""
    # delete and insert, so the newest row is also the last (two visits may share a second)
    with store.db.atomic():
        store.db.execute("DELETE FROM reading_places WHERE case_ref = ?", [case_ref])
        store.db.execute(
            "INSERT INTO reading_places (case_ref, document_id, page, visited_at)"
            " VALUES (?, ?, ?, ?)",
            [case_ref, document_id, max(1, int(page)), now()],
        )


def place_of(store: Store, case_ref: str) -> ReadingPlace | None:
    """The case's last place, or None if it was never read here."""
    row = store.db.execute(
        "SELECT case_ref, document_id, page, visited_at FROM reading_places WHERE case_ref = ?",
        [case_ref],
    ).fetchone()
    if row is None:
        return None
    return ReadingPlace(case_ref=row[0], document_id=row[1], page=row[2], visited_at=row[3])


def last_place(store: Store) -> ReadingPlace | None:
    """The place of the case read last, or None."""
    row = store.db.execute(
        "SELECT case_ref FROM reading_places ORDER BY visited_at DESC, rowid DESC LIMIT 1"
    ).fetchone()
    return place_of(store, row[0]) if row else None


def mark_read(store: Store, document_id: int) -> None:
    """Mark a document as read (it was opened in the viewer)."""
    store.db.execute(
        "INSERT OR IGNORE INTO documents_read (document_id, read_at) VALUES (?, ?)",
        [document_id, now()],
    )


def read_documents(store: Store, case_ref: str) -> set[int]:
    """The ids of the case's documents opened in the viewer."""
    rows = store.db.execute(
        "SELECT r.document_id FROM documents_read r JOIN documents d ON d.id = r.document_id"
        " WHERE d.case_ref = ?",
        [case_ref],
    ).fetchall()
    return {row[0] for row in rows}
