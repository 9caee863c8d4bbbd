"""Every schema change of the store, in order. The ONLY place DDL lives.

Released migrations are never edited: add ``m00N_…`` below instead. A store whose
``_sqlite_migrations`` table names a migration this list does not know was written by a
newer casereader and is refused (see ``casereader.store.db``).
"""

from sqlite_utils import Database, Migrations

migrations = Migrations("casereader")


@migrations()
def m001_initial(db: Database) -> None:
    for statement in _M001.split(";\n\n"):
        if statement.strip():
            db.execute(statement)


_M001 = """
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE templates (
    sha256 TEXT PRIMARY KEY,
    template_id TEXT NOT NULL,
    version TEXT NOT NULL,
    source TEXT NOT NULL,
    added_at TEXT NOT NULL
);

CREATE TABLE cases (
    case_ref TEXT PRIMARY KEY,
    sample_group TEXT NOT NULL CHECK (sample_group IN ('core', 'reserve')),
    follow_up INTEGER NOT NULL DEFAULT 0 CHECK (follow_up IN (0, 1)),
    age_band TEXT NOT NULL DEFAULT '',
    legal_status TEXT NOT NULL DEFAULT '',
    attributes TEXT NOT NULL DEFAULT '{}',
    moderated_at TEXT,
    added_at TEXT NOT NULL
);

CREATE TABLE assignments (
    case_ref TEXT NOT NULL REFERENCES cases(case_ref) ON DELETE CASCADE,
    reader_id TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'not_started'
        CHECK (status IN ('not_started', 'in_progress', 'complete', 'moderated')),
    completed_at TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (case_ref, reader_id)
);

CREATE TABLE substitutions (
    id INTEGER PRIMARY KEY,
    core_ref TEXT NOT NULL UNIQUE REFERENCES cases(case_ref),
    reserve_ref TEXT NOT NULL UNIQUE REFERENCES cases(case_ref),
    reason TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL
);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    case_ref TEXT NOT NULL REFERENCES cases(case_ref) ON DELETE CASCADE,
    sha256 TEXT NOT NULL,
    agency TEXT NOT NULL,
    doc_date TEXT,
    date_source TEXT CHECK (date_source IN ('name', 'metadata')),
    title TEXT NOT NULL,
    doc_type TEXT NOT NULL CHECK (doc_type IN ('pdf', 'docx', 'txt', 'png', 'jpeg', 'tiff')),
    page_count INTEGER,
    size INTEGER NOT NULL,
    source_path TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    UNIQUE (case_ref, sha256)
);

CREATE INDEX documents_case ON documents(case_ref, agency, doc_date);

CREATE TABLE document_content (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    content BLOB NOT NULL
);

CREATE VIRTUAL TABLE document_text USING fts5(
    text, document_id UNINDEXED, page UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE answers (
    case_ref TEXT NOT NULL REFERENCES cases(case_ref) ON DELETE CASCADE,
    item_key TEXT NOT NULL,
    reader_id TEXT NOT NULL,
    value TEXT,
    agreed_value TEXT,
    note TEXT NOT NULL DEFAULT '',
    template_id TEXT NOT NULL,
    template_version TEXT NOT NULL,
    template_sha256 TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (case_ref, item_key, reader_id)
);

CREATE TABLE evidence_links (
    id INTEGER PRIMARY KEY,
    case_ref TEXT NOT NULL REFERENCES cases(case_ref) ON DELETE CASCADE,
    item_key TEXT NOT NULL,
    reader_id TEXT NOT NULL,
    document_sha256 TEXT NOT NULL,
    page INTEGER,
    label TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE INDEX evidence_links_answer ON evidence_links(case_ref, item_key, reader_id);

CREATE TABLE flags (
    flag_id TEXT PRIMARY KEY,
    case_ref TEXT NOT NULL REFERENCES cases(case_ref) ON DELETE CASCADE,
    reader_id TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('immediate_risk', 'investigate', 'other')),
    description TEXT NOT NULL,
    status TEXT NOT NULL
        CHECK (status IN ('raised', 'referred', 'response_received', 'closed')),
    raised_by TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE flag_events (
    id INTEGER PRIMARY KEY,
    flag_id TEXT NOT NULL REFERENCES flags(flag_id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);

CREATE TABLE moderations (
    case_ref TEXT NOT NULL REFERENCES cases(case_ref) ON DELETE CASCADE,
    item_key TEXT NOT NULL,
    agreed_value TEXT,
    rationale TEXT NOT NULL DEFAULT '',
    moderator TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (case_ref, item_key)
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    case_ref TEXT,
    target TEXT,
    old_value TEXT,
    new_value TEXT,
    detail TEXT
);

CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END
"""


@migrations()
def m002_bundles(db: Database) -> None:
    for statement in _M002.split(";\n\n"):
        if statement.strip():
            db.execute(statement)


# Readers' bundles merged into a coordinator store (SPEC §6). The bytes of every imported bundle
# are kept; a reader's public key is pinned by the first bundle from that reader id; the readers'
# own audit logs live apart from the coordinator's audit_log; flag events that came from a
# bundle are marked so a newer bundle replaces them without touching the coordinator's own steps.
_M002 = """
CREATE TABLE imported_bundles (
    id INTEGER PRIMARY KEY,
    reader_id TEXT NOT NULL,
    sequence INTEGER NOT NULL CHECK (sequence >= 1),
    format_version INTEGER NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    app_version TEXT NOT NULL,
    counts TEXT NOT NULL DEFAULT '{}',
    imported_at TEXT NOT NULL,
    content BLOB NOT NULL,
    UNIQUE (reader_id, sequence)
);

CREATE TABLE reader_keys (
    reader_id TEXT PRIMARY KEY,
    public_key TEXT NOT NULL,
    pinned_at TEXT NOT NULL,
    first_bundle_id INTEGER NOT NULL REFERENCES imported_bundles(id)
);

CREATE TABLE reader_audit (
    id INTEGER PRIMARY KEY,
    reader_id TEXT NOT NULL,
    entry_id INTEGER NOT NULL,
    bundle_id INTEGER NOT NULL REFERENCES imported_bundles(id),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    case_ref TEXT,
    target TEXT,
    old_value TEXT,
    new_value TEXT,
    detail TEXT,
    UNIQUE (reader_id, entry_id)
);

CREATE TRIGGER reader_audit_append_only_update BEFORE UPDATE ON reader_audit
BEGIN
    SELECT RAISE(ABORT, 'the readers'' audit log is append-only');
END;

CREATE TRIGGER reader_audit_append_only_delete BEFORE DELETE ON reader_audit
BEGIN
    SELECT RAISE(ABORT, 'the readers'' audit log is append-only');
END;

CREATE TABLE imported_flag_events (
    flag_event_id INTEGER PRIMARY KEY REFERENCES flag_events(id) ON DELETE CASCADE,
    reader_id TEXT NOT NULL,
    bundle_id INTEGER NOT NULL REFERENCES imported_bundles(id)
)
"""


@migrations()
def m003_moderation(db: Database) -> None:
    for statement in _M003.split(";\n\n"):
        if statement.strip():
            db.execute(statement)


# A moderation keeps the readers' values it was made on (JSON: reader id -> [own value, agreed
# value]), so that a later bundle changing them marks the item for another look.
_M003 = """
ALTER TABLE moderations ADD COLUMN basis TEXT NOT NULL DEFAULT '{}'
"""


@migrations()
def m004_enrolment(db: Database) -> None:
    for statement in _M004.split(";\n\n"):
        if statement.strip():
            db.execute(statement)


# Readers' signing keys enrolled when the coordinator makes their reading pack (SPEC §6, §8):
# one active key per reader id, with the cases the pack held; re-issuing a pack revokes the old
# key (kept, with when and why). Keys pinned by a first bundle before enrolment existed are
# carried over as enrolled, with the cases assigned to that reader then.
_M004 = """
CREATE TABLE reader_enrolments (
    id INTEGER PRIMARY KEY,
    reader_id TEXT NOT NULL,
    public_key TEXT NOT NULL UNIQUE CHECK (length(public_key) = 64),
    case_refs TEXT NOT NULL DEFAULT '[]',
    source TEXT NOT NULL CHECK (source IN ('pack', 'pinned')),
    pack_file TEXT,
    enrolled_at TEXT NOT NULL,
    revoked_at TEXT,
    revoked_reason TEXT
);

CREATE UNIQUE INDEX reader_enrolments_active ON reader_enrolments(reader_id)
    WHERE revoked_at IS NULL;

INSERT INTO reader_enrolments (reader_id, public_key, case_refs, source, enrolled_at)
SELECT k.reader_id, k.public_key,
       (SELECT json_group_array(a.case_ref) FROM
            (SELECT case_ref FROM assignments WHERE reader_id = k.reader_id ORDER BY case_ref) a),
       'pinned', k.pinned_at
FROM reader_keys k
"""


@migrations()
def m005_review_sent(db: Database) -> None:
    db.execute(_M005)


# What each export of a reader store carried of each management review: the review's latest
# step (flag_events.id) when the bundle was made. A review whose latest step is not in an
# exported bundle has "not yet been sent" to the lead inspector.
_M005 = """
CREATE TABLE review_exports (
    flag_id TEXT NOT NULL REFERENCES flags(flag_id) ON DELETE CASCADE,
    sequence INTEGER NOT NULL CHECK (sequence >= 1),
    last_event_id INTEGER NOT NULL,
    status TEXT NOT NULL,
    file_name TEXT NOT NULL,
    exported_at TEXT NOT NULL,
    PRIMARY KEY (flag_id, sequence)
)
"""


@migrations()
def m006_repaired(db: Database) -> None:
    # A damaged PDF is imported as the copy a repair library made of it (SPEC §4): marked
    # repaired, with the SHA-256 of the file as it was received kept beside the copy's own.
    db.execute("ALTER TABLE documents ADD COLUMN original_sha256 TEXT")
    db.execute(
        "ALTER TABLE documents ADD COLUMN repaired INTEGER NOT NULL DEFAULT 0"
        " CHECK (repaired IN (0, 1))"
    )


@migrations()
def m007_drafts(db: Database) -> None:
    for statement in _M007.split(";\n\n"):
        if statement.strip():
            db.execute(statement)


# What the reader's desktop keeps between moments and runs, in this store only (never exported):
# text typed into a dialog that was not yet saved (a management review's description, the note on
# a review's next step), the place each case was last read at (document and page), and which
# documents were opened in the viewer.
_M007 = """
CREATE TABLE drafts (
    case_ref TEXT NOT NULL REFERENCES cases(case_ref) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('review', 'review_step', 'note')),
    target TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (case_ref, kind, target)
);

CREATE TABLE reading_places (
    case_ref TEXT PRIMARY KEY REFERENCES cases(case_ref) ON DELETE CASCADE,
    document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    page INTEGER NOT NULL DEFAULT 1 CHECK (page >= 1),
    zoom TEXT NOT NULL DEFAULT '',
    visited_at TEXT NOT NULL
);

CREATE TABLE documents_read (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    read_at TEXT NOT NULL
)
"""


@migrations()
def m008_recognised_text(db: Database) -> None:
    db.execute(_M008)


# Pages of scans run through text recognition: the outcome (text, empty: nothing found,
# failed: why in `reason`), the engine's mean word confidence (0-100) and the word boxes as
# JSON [[word, x0, y0, x1, y1], ...] in fractions of the page. The text itself is in
# document_text like any page's.
_M008 = """
CREATE TABLE recognised_pages (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL CHECK (page >= 1),
    status TEXT NOT NULL CHECK (status IN ('text', 'empty', 'failed')),
    confidence REAL,
    words TEXT NOT NULL DEFAULT '[]',
    reason TEXT NOT NULL DEFAULT '',
    engine TEXT NOT NULL,
    recognised_at TEXT NOT NULL,
    PRIMARY KEY (document_id, page)
)
"""


@migrations()
def m009_page_body(db: Database) -> None:
    db.execute(_M009)
    _index_bodies(db)


# The body of every page with text, indexed apart from the whole page text (document_text)
# under the same rowid: the text without its document's running header and footer lines (a
# line repeated at the top or bottom of most pages of the document; the whole text where there
# are none, and for recognised text). Search ranks a page whose body does not match last.
# Contentless: only the index is kept (the text is document_text's); rows are deleted by rowid.
_M009 = """
CREATE VIRTUAL TABLE page_body USING fts5(
    text, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
)
"""


def _index_bodies(db: Database) -> None:
    """Index the bodies of the pages already in the store (as import does for new ones)."""
    from casereader.domain.running_text import page_bodies

    slot = 1_000_000  # a page's rowid is document_id * slot + page (store.documents)
    recognised = {
        doc * slot + page
        for doc, page in db.execute("SELECT document_id, page FROM recognised_pages").fetchall()
    }
    pages: list[tuple[int, str]] = []

    def flush() -> None:
        texts = ["" if rowid in recognised else text for rowid, text in pages]
        bodies = page_bodies(texts)
        db.conn.executemany(
            "INSERT INTO page_body (rowid, text) VALUES (?, ?)",
            [(rowid, text if body is None else body)
             for (rowid, text), body in zip(pages, bodies, strict=True)],
        )  # fmt: skip
        pages.clear()

    for rowid, text in db.execute("SELECT rowid, text FROM document_text ORDER BY rowid"):
        if pages and pages[-1][0] // slot != rowid // slot:
            flush()
        pages.append((rowid, text))
    if pages:
        flush()
