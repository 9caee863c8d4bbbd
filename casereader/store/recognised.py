"""Text recognised from scans: per-page outcome, confidence and word boxes, beside the page's
text in the full-text index."""

import json
from collections.abc import Mapping
from typing import Protocol

from casereader.store.db import now
from casereader.store.models import RecognisedPage
from casereader.store.store import Store

ENGINE = "tesseract"
SCAN_TYPES = ("pdf", "png", "jpeg", "tiff")
SETTING = "ocr"  # "off" switches recognition at import off


class Outcome(Protocol):
    status: str
    text: str
    confidence: float | None
    words: list
    reason: str


def enabled(store: Store) -> bool:
    """Whether documents are run through text recognition at import (the default)."""
    return store.setting(SETTING, "on") != "off"


def set_enabled(store: Store, on: bool) -> None:
    with store.db.atomic():
        store.set_setting(SETTING, "on" if on else "off")
        store.audit("settings.ocr", new="on" if on else "off")


def write(store: Store, document_id: int, results: Mapping[int, Outcome]) -> None:
    """Store recognised pages (inside the caller's transaction); text goes into the index."""
    from casereader.store.documents import text_rowid

    at = now()
    for page, result in sorted(results.items()):
        store.db.execute(
            "INSERT OR REPLACE INTO recognised_pages (document_id, page, status, confidence,"
            " words, reason, engine, recognised_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                document_id,
                page,
                result.status,
                result.confidence,
                json.dumps([list(w) for w in result.words], separators=(",", ":")),
                result.reason,
                ENGINE,
                at,
            ],
        )
        if result.status == "text" and result.text.strip():
            rowid = text_rowid(document_id, page)
            store.db.execute("DELETE FROM document_text WHERE rowid = ?", [rowid])
            store.db.execute("DELETE FROM page_body WHERE rowid = ?", [rowid])
            store.db.execute(
                "INSERT INTO document_text (rowid, text, document_id, page) VALUES (?, ?, ?, ?)",
                [rowid, result.text, document_id, page],
            )
            # recognised text is indexed whole as the page's body (see m009)
            store.db.execute(
                "INSERT INTO page_body (rowid, text) VALUES (?, ?)", [rowid, result.text]
            )


def pages(store: Store, document_id: int) -> dict[int, RecognisedPage]:
    """The document's recognised pages by page number (empty if none was recognised)."""
    rows = store.db.execute(
        "SELECT page, status, confidence, words, reason FROM recognised_pages"
        " WHERE document_id = ? ORDER BY page",
        [document_id],
    ).fetchall()
    return {
        page: RecognisedPage(
            page=page,
            status=status,
            confidence=confidence,
            words=[tuple(w) for w in json.loads(words)],
            reason=reason,
        )
        for page, status, confidence, words, reason in rows
    }


def pending(store: Store, case_ref: str | None = None) -> list[tuple[int, str, list[int]]]:
    """(document id, type, pages) of scans whose pages have neither text nor a successful
    recognition yet: what `casereader ocr` works through."""
    from casereader.store.documents import PAGE_SLOT, text_rowid

    sql = "SELECT id, doc_type, page_count FROM documents WHERE doc_type IN (?, ?, ?, ?)"
    params: list = list(SCAN_TYPES)
    if case_ref:
        sql += " AND case_ref = ?"
        params.append(case_ref)
    out = []
    for doc_id, doc_type, page_count in store.db.execute(sql + " ORDER BY id", params).fetchall():
        with_text = {
            r[0] % PAGE_SLOT
            for r in store.db.execute(
                "SELECT rowid FROM document_text WHERE rowid BETWEEN ? AND ?",
                [text_rowid(doc_id, 1), text_rowid(doc_id, PAGE_SLOT - 1)],
            )
        }
        done = {
            r[0]
            for r in store.db.execute(
                "SELECT page FROM recognised_pages WHERE document_id = ? AND status != 'failed'",
                [doc_id],
            )
        }
        todo = [n for n in range(1, (page_count or 1) + 1) if n not in with_text | done]
        if todo:
            out.append((doc_id, doc_type, todo))
    return out
