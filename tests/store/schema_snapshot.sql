-- index documents_case
CREATE INDEX documents_case ON documents(case_ref, agency, doc_date);

-- index evidence_links_answer
CREATE INDEX evidence_links_answer ON evidence_links(case_ref, item_key, reader_id);

-- index idx__sqlite_migrations_migration_set_name
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");

-- index reader_enrolments_active
CREATE UNIQUE INDEX reader_enrolments_active ON reader_enrolments(reader_id)
    WHERE revoked_at IS NULL;

-- table _sqlite_migrations
CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);

-- table answers
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

-- table assignments
CREATE TABLE assignments (
    case_ref TEXT NOT NULL REFERENCES cases(case_ref) ON DELETE CASCADE,
    reader_id TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'not_started'
        CHECK (status IN ('not_started', 'in_progress', 'complete', 'moderated')),
    completed_at TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (case_ref, reader_id)
);

-- table audit_log
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

-- table cases
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

-- table document_content
CREATE TABLE document_content (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    content BLOB NOT NULL
);

-- table document_text
CREATE VIRTUAL TABLE document_text USING fts5(
    text, document_id UNINDEXED, page UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- table document_text_config
CREATE TABLE 'document_text_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table document_text_content
CREATE TABLE 'document_text_content'(id INTEGER PRIMARY KEY, c0, c1, c2);

-- table document_text_data
CREATE TABLE 'document_text_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table document_text_docsize
CREATE TABLE 'document_text_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

-- table document_text_idx
CREATE TABLE 'document_text_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table documents
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
    imported_at TEXT NOT NULL, original_sha256 TEXT, repaired INTEGER NOT NULL DEFAULT 0 CHECK (repaired IN (0, 1)),
    UNIQUE (case_ref, sha256)
);

-- table documents_read
CREATE TABLE documents_read (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    read_at TEXT NOT NULL
);

-- table drafts
CREATE TABLE drafts (
    case_ref TEXT NOT NULL REFERENCES cases(case_ref) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('review', 'review_step', 'note')),
    target TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (case_ref, kind, target)
);

-- table evidence_links
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

-- table flag_events
CREATE TABLE flag_events (
    id INTEGER PRIMARY KEY,
    flag_id TEXT NOT NULL REFERENCES flags(flag_id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);

-- table flags
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

-- table imported_bundles
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

-- table imported_flag_events
CREATE TABLE imported_flag_events (
    flag_event_id INTEGER PRIMARY KEY REFERENCES flag_events(id) ON DELETE CASCADE,
    reader_id TEXT NOT NULL,
    bundle_id INTEGER NOT NULL REFERENCES imported_bundles(id)
);

-- table moderations
CREATE TABLE moderations (
    case_ref TEXT NOT NULL REFERENCES cases(case_ref) ON DELETE CASCADE,
    item_key TEXT NOT NULL,
    agreed_value TEXT,
    rationale TEXT NOT NULL DEFAULT '',
    moderator TEXT NOT NULL,
    at TEXT NOT NULL, basis TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (case_ref, item_key)
);

-- table page_body
CREATE VIRTUAL TABLE page_body USING fts5(
    text, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);

-- table page_body_config
CREATE TABLE 'page_body_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table page_body_data
CREATE TABLE 'page_body_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table page_body_docsize
CREATE TABLE 'page_body_docsize'(id INTEGER PRIMARY KEY, sz BLOB, origin INTEGER);

-- table page_body_idx
CREATE TABLE 'page_body_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table reader_audit
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

-- table reader_enrolments
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

-- table reader_keys
CREATE TABLE reader_keys (
    reader_id TEXT PRIMARY KEY,
    public_key TEXT NOT NULL,
    pinned_at TEXT NOT NULL,
    first_bundle_id INTEGER NOT NULL REFERENCES imported_bundles(id)
);

-- table reading_places
CREATE TABLE reading_places (
    case_ref TEXT PRIMARY KEY REFERENCES cases(case_ref) ON DELETE CASCADE,
    document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    page INTEGER NOT NULL DEFAULT 1 CHECK (page >= 1),
    zoom TEXT NOT NULL DEFAULT '',
    visited_at TEXT NOT NULL
);

-- table recognised_pages
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
);

-- table review_exports
CREATE TABLE review_exports (
    flag_id TEXT NOT NULL REFERENCES flags(flag_id) ON DELETE CASCADE,
    sequence INTEGER NOT NULL CHECK (sequence >= 1),
    last_event_id INTEGER NOT NULL,
    status TEXT NOT NULL,
    file_name TEXT NOT NULL,
    exported_at TEXT NOT NULL,
    PRIMARY KEY (flag_id, sequence)
);

-- table settings
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- table sqlite_sequence
CREATE TABLE sqlite_sequence(name,seq);

-- table substitutions
CREATE TABLE substitutions (
    id INTEGER PRIMARY KEY,
    core_ref TEXT NOT NULL UNIQUE REFERENCES cases(case_ref),
    reserve_ref TEXT NOT NULL UNIQUE REFERENCES cases(case_ref),
    reason TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL
);

-- table templates
CREATE TABLE templates (
    sha256 TEXT PRIMARY KEY,
    template_id TEXT NOT NULL,
    version TEXT NOT NULL,
    source TEXT NOT NULL,
    added_at TEXT NOT NULL
);

-- trigger audit_log_append_only_delete
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- trigger audit_log_append_only_update
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- trigger reader_audit_append_only_delete
CREATE TRIGGER reader_audit_append_only_delete BEFORE DELETE ON reader_audit
BEGIN
    SELECT RAISE(ABORT, 'the readers'' audit log is append-only');
END;

-- trigger reader_audit_append_only_update
CREATE TRIGGER reader_audit_append_only_update BEFORE UPDATE ON reader_audit
BEGIN
    SELECT RAISE(ABORT, 'the readers'' audit log is append-only');
END;

