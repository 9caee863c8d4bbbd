"""A citation's label: the document named unambiguously (two documents of a case may share a
title) by title, agency and date, then the page, or for a Word document (no pages) its section
and paragraph."""

from datetime import date

from casereader.store.models import Document


def day_label(iso: str | None) -> str:
    """'23 Jul 2023' for '2023-07-23' ('Jul 2023' for a month, 'undated' for None)."""
    if not iso:
        return "undated"
    try:
        if len(iso) == 7:
            return date.fromisoformat(iso + "-01").strftime("%b %Y")
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{day.day} {day:%b %Y}"


def citation_label(document: Document, page: int = 0, where: str = "") -> str:
    """'Case file audit, Social work, 23 Jul 2023, p. 2' (or '…, “Actions”, para. 4')."""
    parts = [document.title, document.agency, day_label(document.doc_date)]
    if where:
        parts.append(where)
    elif page and document.page_count:
        parts.append(f"p. {page}")
    return ", ".join(parts)
