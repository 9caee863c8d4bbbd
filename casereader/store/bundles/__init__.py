"""Bundles in the store: a reader store's export sequence, a coordinator store's imported bundles.

Reader side: every export takes the next sequence number (kept in the settings), so the
coordinator can tell a newer bundle from an older one (`export_sequence`); the reader's work is
read out as JSON for the bundle (`reader_work`); a reading pack's page text is staged
(`pack_text`).

Coordinator side: `write_reader_import` (`received`) writes one verified bundle in one
transaction: the bundle's bytes (kept for ever), the reader's answers, evidence links, flag
states, case statuses, substitutions and audit entries (`apply`). A newer bundle from the same
reader replaces that reader's answers, links and flag states; flag events the coordinator added
are kept, and the readers' audit entries only ever accumulate. `queries` reads them back.
Readers' signing keys are enrolled when their pack is made (`enrolment`).
Nothing here checks signatures: the caller (`casereader.bundle.merge`) hands over a bundle it
has already verified.
"""

from casereader.store.bundles.arrivals import arrived_reviews, sort_arrivals
from casereader.store.bundles.enrolment import (
    Enrolment,
    active_enrolment,
    enrol_reader,
    enrolments,
)
from casereader.store.bundles.export_sequence import (
    LAST_EXPORT_SETTING,
    SEQUENCE_SETTING,
    last_export_sequence,
    record_export,
    reserve_export_sequence,
)
from casereader.store.bundles.pack_text import PackText, text_rowid_ranges
from casereader.store.bundles.queries import (
    ImportedBundle,
    ReaderAuditEntry,
    bundle_bytes,
    foreign_flags,
    import_by_sequence,
    imported_bundles,
    known_case_refs,
    latest_import,
    pinned_key,
    pinned_keys,
    reader_audit,
)
from casereader.store.bundles.reader_work import link_rows, reader_answers, reader_work_json
from casereader.store.bundles.received import ImportWritten, ReaderImport, write_reader_import

__all__ = [
    "LAST_EXPORT_SETTING",
    "SEQUENCE_SETTING",
    "Enrolment",
    "ImportWritten",
    "ImportedBundle",
    "PackText",
    "ReaderAuditEntry",
    "ReaderImport",
    "active_enrolment",
    "arrived_reviews",
    "bundle_bytes",
    "enrol_reader",
    "enrolments",
    "foreign_flags",
    "import_by_sequence",
    "imported_bundles",
    "known_case_refs",
    "last_export_sequence",
    "latest_import",
    "link_rows",
    "pinned_key",
    "pinned_keys",
    "reader_answers",
    "reader_audit",
    "reader_work_json",
    "record_export",
    "reserve_export_sequence",
    "sort_arrivals",
    "text_rowid_ranges",
    "write_reader_import",
]
