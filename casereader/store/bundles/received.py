"""Recording a verified bundle in a coordinator store: its bytes, the key that signed it, its rows.

Nothing here checks signatures: the caller (`casereader.bundle.merge`) hands over a bundle it
has already verified.
"""

import json
from dataclasses import dataclass, field

from casereader.store.bundles.apply import (
    add_substitutions,
    append_audit,
    merge_flag,
    replace_answers,
    replace_links,
    set_statuses,
)
from casereader.store.bundles.queries import latest_import
from casereader.store.db import now
from casereader.store.store import Store


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
    """What writing a bundle did: its row id, the sequence it replaced, substitutions kept."""

    bundle_id: int
    replaced_sequence: int | None
    substitutions_added: int
    substitutions_skipped: int


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
        replace_answers(store, reader, bundle.answers)
        replace_links(store, reader, bundle.evidence_links)
        for flag in bundle.flags:
            merge_flag(store, reader, bundle_id, flag)
        set_statuses(store, reader, bundle.statuses)
        added, skipped = add_substitutions(store, bundle.substitutions)
        append_audit(store, reader, bundle_id, bundle.audit)
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
