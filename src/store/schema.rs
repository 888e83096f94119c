//! Schema and numbered migrations. `PRAGMA user_version` holds the schema version; each
//! migration moves a project from version `n - 1` to `n` inside one transaction.

use rusqlite::Connection;

use super::StoreError;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 4;

/// The oldest schema whose tables readers (the merge) can read as they are: version 2 only
/// changed an index.
pub const OLDEST_READABLE: i64 = 1;

/// Migration `i` (0-based) brings a project from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[MIGRATION_1, MIGRATION_2, MIGRATION_3, MIGRATION_4];

/// Version 4: this copy's membership of a team folder and what it gathered from there.
/// These rows belong to one copy on one machine (the folder's path differs from one
/// member's computer to the next): the merge never reads them, and a published copy or a
/// merged file leaves them out.
const MIGRATION_4: &str = r#"
CREATE TABLE team_membership (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    folder TEXT NOT NULL,
    coder_guid TEXT NOT NULL,
    coder_name TEXT NOT NULL,
    file_name TEXT NOT NULL,
    joined_at INTEGER NOT NULL
);
CREATE TABLE team_seen (
    file_name TEXT PRIMARY KEY,
    stamp TEXT NOT NULL,
    gathered_at INTEGER NOT NULL
);
CREATE TABLE team_gathers (
    id INTEGER PRIMARY KEY,
    gathered_at INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    member TEXT NOT NULL,
    brought TEXT NOT NULL,
    report TEXT NOT NULL
);
"#;

/// Version 3: a counter of committed actions, outside the undo history (undoing is one more
/// action, never a step back of the counter). The lock file keeps the value its session
/// reached, so that after a crash a project found behind it (its journal deleted or
/// replaced) is reported instead of opening as if nothing were missing.
const MIGRATION_3: &str = r#"
CREATE TABLE action_counter (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
INSERT INTO action_counter VALUES (1, 0);
"#;

/// Version 2: the codings-by-document index also covers everything an analysis reads of a
/// coding (range, code, coder, tombstone), so scanning 100,000 codings reads the index
/// alone, already in document order (51 → 41 ms CPU to resolve a selection).
const MIGRATION_2: &str = r#"
DROP INDEX codings_document;
CREATE INDEX codings_document ON codings(document_id, start_char, end_char, code_id, created_by, deleted);
"#;

const MIGRATION_1: &str = r#"
CREATE TABLE project (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    guid TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    modified_at INTEGER NOT NULL,
    settings TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE coders (
    id INTEGER PRIMARY KEY,
    guid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
CREATE TABLE respondents (
    id INTEGER PRIMARY KEY,
    guid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    pseudonym TEXT NOT NULL DEFAULT '',
    consent TEXT NOT NULL DEFAULT 'pending',
    created_by INTEGER REFERENCES coders(id),
    created_at INTEGER NOT NULL,
    modified_at INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    source_project TEXT NOT NULL DEFAULT ''
);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    guid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    char_len INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    media_path TEXT,
    origin TEXT NOT NULL DEFAULT '',
    respondent_id INTEGER REFERENCES respondents(id),
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES coders(id),
    created_at INTEGER NOT NULL,
    modified_at INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    source_project TEXT NOT NULL DEFAULT '',
    -- The text comes last: SQLite reads a row's columns in order, so every column a list
    -- needs stays in the row's first page and never drags the (long) text along.
    text TEXT NOT NULL
);
CREATE INDEX documents_hash ON documents(content_hash);
CREATE INDEX documents_respondent ON documents(respondent_id);
CREATE TABLE attributes (
    id INTEGER PRIMARY KEY,
    guid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    value_type TEXT NOT NULL,
    scope TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    modified_at INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX attributes_name ON attributes(scope, name) WHERE deleted = 0;
CREATE TABLE attribute_values (
    id INTEGER PRIMARY KEY,
    attribute_id INTEGER NOT NULL REFERENCES attributes(id),
    owner_id INTEGER NOT NULL,
    value TEXT NOT NULL,
    modified_at INTEGER NOT NULL,
    UNIQUE (attribute_id, owner_id)
);
CREATE INDEX attribute_values_owner ON attribute_values(owner_id);
CREATE TABLE codes (
    id INTEGER PRIMARY KEY,
    guid TEXT NOT NULL UNIQUE,
    parent_id INTEGER REFERENCES codes(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    color TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES coders(id),
    created_at INTEGER NOT NULL,
    modified_at INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    source_project TEXT NOT NULL DEFAULT ''
);
CREATE INDEX codes_parent ON codes(parent_id);
CREATE TABLE codings (
    id INTEGER PRIMARY KEY,
    guid TEXT NOT NULL UNIQUE,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    code_id INTEGER NOT NULL REFERENCES codes(id),
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    created_by INTEGER NOT NULL REFERENCES coders(id),
    created_at INTEGER NOT NULL,
    modified_at INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    source_project TEXT NOT NULL DEFAULT '',
    CHECK (start_char >= 0 AND end_char > start_char)
);
CREATE INDEX codings_document ON codings(document_id, start_char);
CREATE INDEX codings_code ON codings(code_id, deleted);
CREATE TABLE memos (
    id INTEGER PRIMARY KEY,
    guid TEXT NOT NULL UNIQUE,
    target_kind TEXT NOT NULL,
    target_guid TEXT NOT NULL,
    text TEXT NOT NULL,
    created_by INTEGER REFERENCES coders(id),
    created_at INTEGER NOT NULL,
    modified_at INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    source_project TEXT NOT NULL DEFAULT ''
);
CREATE INDEX memos_target ON memos(target_kind, target_guid);
CREATE TABLE pseudonyms (
    id INTEGER PRIMARY KEY,
    original TEXT NOT NULL UNIQUE,
    replacement TEXT NOT NULL
);
CREATE TABLE history (
    seq INTEGER PRIMARY KEY,
    stack TEXT NOT NULL,
    step INTEGER NOT NULL,
    sql TEXT NOT NULL
);
CREATE INDEX history_step ON history(stack, step);
CREATE TABLE history_steps (
    stack TEXT NOT NULL,
    step INTEGER NOT NULL,
    label TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (stack, step)
);
CREATE VIRTUAL TABLE doc_fts USING fts5(
    text, content='', contentless_delete=1, tokenize="unicode61 remove_diacritics 2"
);
"#;

/// Reads the schema version of an open database.
pub fn schema_version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Brings the database to [`SCHEMA_VERSION`], one migration per transaction. Returns the
/// version found before migrating.
pub fn migrate(conn: &mut Connection) -> Result<i64, StoreError> {
    let found = schema_version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerVersion {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for version in found..SCHEMA_VERSION {
        let tx = conn.transaction()?;
        tx.execute_batch(MIGRATIONS[version as usize])?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
    Ok(found)
}
