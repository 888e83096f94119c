//! Reading a project for a merge: each table streamed row by row to a callback (rows with
//! their references as GUIDs; codings as [`StoredCoding`]s, their references as row ids),
//! the checks an input passes before it is read, and the content as text lines that two
//! projects must share to hold the same work.

use rusqlite::{Connection, Row};

use super::{
    AttributeRow, CodeRow, CoderRow, DocumentRow, MemoRow, ProjectRow, RespondentRow, StoredCoding,
    ValueRow,
};
use crate::store::{StoreError, StoreResult};

/// Runs `read` inside one read transaction (a savepoint), so that every table it reads
/// comes from the same committed state even while another process writes the file.
pub fn in_one_read<T, E: From<StoreError>>(
    conn: &Connection,
    read: impl FnOnce() -> Result<T, E>,
) -> Result<T, E> {
    conn.execute_batch("SAVEPOINT fouille_snapshot")
        .map_err(StoreError::from)?;
    let out = read();
    conn.execute_batch("RELEASE fouille_snapshot")
        .map_err(StoreError::from)?;
    out
}

/// A text column without copying it.
fn text_ref<'r>(r: &'r Row, i: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(i)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Streams the rows of `sql`, each made by `read`, to `each`.
fn each_row<R>(
    conn: &Connection,
    sql: &str,
    read: impl Fn(&Row) -> rusqlite::Result<R>,
    mut each: impl FnMut(R),
) -> StoreResult<()> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        each(read(r)?);
    }
    Ok(())
}

/// The project row; `None` when it cannot be read (a file without one reads as a project
/// with no name, dates or settings to offer the merge).
pub fn project_row(conn: &Connection) -> StoreResult<Option<ProjectRow>> {
    Ok(conn
        .query_row(
            "SELECT guid, name, created_at, modified_at, settings FROM project",
            [],
            |r| {
                Ok(ProjectRow {
                    guid: r.get(0)?,
                    name: r.get(1)?,
                    created_at: r.get(2)?,
                    modified_at: r.get(3)?,
                    settings: r.get(4)?,
                })
            },
        )
        .ok())
}

/// The project's settings (a JSON object; empty when unreadable), for a caller holding a
/// bare connection rather than a [`Project`](crate::store::Project).
pub fn project_settings(
    conn: &Connection,
) -> StoreResult<serde_json::Map<String, serde_json::Value>> {
    let text: String = conn.query_row("SELECT settings FROM project", [], |r| r.get(0))?;
    Ok(serde_json::from_str(&text).unwrap_or_default())
}

/// Streams every coder to `each`.
pub fn each_coder(conn: &Connection, each: impl FnMut(CoderRow)) -> StoreResult<()> {
    each_row(
        conn,
        "SELECT guid, name, created_at FROM coders",
        |r| {
            Ok(CoderRow {
                guid: r.get(0)?,
                name: r.get(1)?,
                created_at: r.get(2)?,
            })
        },
        each,
    )
}

/// Streams every respondent to `each`, tombstones included; `source_project` as stored
/// (empty for a row made in this project).
pub fn each_respondent(conn: &Connection, each: impl FnMut(RespondentRow)) -> StoreResult<()> {
    each_row(
        conn,
        "SELECT r.guid, r.name, r.pseudonym, r.consent, k.guid, r.created_at, r.modified_at, r.deleted, r.source_project
         FROM respondents r LEFT JOIN coders k ON k.id = r.created_by",
        |r| {
            Ok(RespondentRow {
                guid: r.get(0)?,
                name: r.get(1)?,
                pseudonym: r.get(2)?,
                consent: r.get(3)?,
                created_by: r.get(4)?,
                created_at: r.get(5)?,
                modified_at: r.get(6)?,
                deleted: r.get(7)?,
                source_project: r.get(8)?,
            })
        },
        each,
    )
}

/// Streams every document to `each` without its text (its content hash stands for it),
/// tombstones included; `source_project` as stored.
pub fn each_document(conn: &Connection, each: impl FnMut(DocumentRow)) -> StoreResult<()> {
    each_row(
        conn,
        "SELECT d.guid, d.name, d.kind, d.char_len, d.content_hash, d.media_path, d.origin, r.guid,
                d.sort_order, k.guid, d.created_at, d.modified_at, d.deleted, d.source_project
         FROM documents d LEFT JOIN respondents r ON r.id = d.respondent_id LEFT JOIN coders k ON k.id = d.created_by",
        |r| {
            Ok(DocumentRow {
                guid: r.get(0)?,
                name: r.get(1)?,
                kind: r.get(2)?,
                char_len: r.get(3)?,
                content_hash: r.get(4)?,
                media_path: r.get(5)?,
                origin: r.get(6)?,
                respondent: r.get(7)?,
                sort_order: r.get(8)?,
                created_by: r.get(9)?,
                created_at: r.get(10)?,
                modified_at: r.get(11)?,
                deleted: r.get(12)?,
                source_project: r.get(13)?,
            })
        },
        each,
    )
}

/// Streams every attribute definition to `each`, tombstones included.
pub fn each_attribute(conn: &Connection, each: impl FnMut(AttributeRow)) -> StoreResult<()> {
    each_row(
        conn,
        "SELECT guid, name, value_type, scope, sort_order, created_at, modified_at, deleted FROM attributes",
        |r| {
            Ok(AttributeRow {
                guid: r.get(0)?,
                name: r.get(1)?,
                value_type: r.get(2)?,
                scope: r.get(3)?,
                sort_order: r.get(4)?,
                created_at: r.get(5)?,
                modified_at: r.get(6)?,
                deleted: r.get(7)?,
            })
        },
        each,
    )
}

/// Streams every attribute value to `each`; a value whose owner is gone (no respondent or
/// document of the attribute's scope has its row id) is skipped.
pub fn each_value(conn: &Connection, mut each: impl FnMut(ValueRow)) -> StoreResult<()> {
    each_row(
        conn,
        "SELECT a.guid, CASE a.scope WHEN 'document' THEN d.guid ELSE r.guid END, v.value, v.modified_at
         FROM attribute_values v JOIN attributes a ON a.id = v.attribute_id
         LEFT JOIN documents d ON d.id = v.owner_id LEFT JOIN respondents r ON r.id = v.owner_id",
        |r| {
            let Some(owner) = r.get::<_, Option<String>>(1)? else {
                return Ok(None);
            };
            Ok(Some(ValueRow {
                attribute: r.get(0)?,
                owner,
                value: r.get(2)?,
                modified_at: r.get(3)?,
            }))
        },
        |row| {
            if let Some(row) = row {
                each(row)
            }
        },
    )
}

/// Streams every code to `each`, tombstones included; `source_project` as stored.
pub fn each_code(conn: &Connection, each: impl FnMut(CodeRow)) -> StoreResult<()> {
    each_row(
        conn,
        "SELECT c.guid, p.guid, c.name, c.kind, c.color, c.description, c.sort_order, k.guid, c.created_at,
                c.modified_at, c.deleted, c.source_project
         FROM codes c LEFT JOIN codes p ON p.id = c.parent_id LEFT JOIN coders k ON k.id = c.created_by",
        |r| {
            Ok(CodeRow {
                guid: r.get(0)?,
                parent: r.get(1)?,
                name: r.get(2)?,
                kind: r.get(3)?,
                color: r.get(4)?,
                description: r.get(5)?,
                sort_order: r.get(6)?,
                created_by: r.get(7)?,
                created_at: r.get(8)?,
                modified_at: r.get(9)?,
                deleted: r.get(10)?,
                source_project: r.get(11)?,
            })
        },
        each,
    )
}

/// Streams every memo to `each`, tombstones included; `source_project` as stored.
pub fn each_memo(conn: &Connection, each: impl FnMut(MemoRow)) -> StoreResult<()> {
    each_row(
        conn,
        "SELECT m.guid, m.target_kind, m.target_guid, m.text, k.guid, m.created_at, m.modified_at, m.deleted, m.source_project
         FROM memos m LEFT JOIN coders k ON k.id = m.created_by",
        |r| {
            Ok(MemoRow {
                guid: r.get(0)?,
                target_kind: r.get(1)?,
                target_guid: r.get(2)?,
                text: r.get(3)?,
                created_by: r.get(4)?,
                created_at: r.get(5)?,
                modified_at: r.get(6)?,
                deleted: r.get(7)?,
                source_project: r.get(8)?,
            })
        },
        each,
    )
}

/// Streams every pseudonym to `each` as (original, replacement).
pub fn each_pseudonym(conn: &Connection, each: impl FnMut((String, String))) -> StoreResult<()> {
    each_row(
        conn,
        "SELECT original, replacement FROM pseudonyms",
        |r| Ok((r.get(0)?, r.get(1)?)),
        each,
    )
}

/// Streams (row id, GUID, content hash) of every document, tombstones included, to `each`;
/// the strings are borrowed from the row read, so a caller sharing them copies each once.
pub fn each_document_hash(
    conn: &Connection,
    mut each: impl FnMut(i64, &str, &str),
) -> StoreResult<()> {
    let mut stmt = conn.prepare("SELECT id, guid, content_hash FROM documents")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        each(r.get(0)?, text_ref(r, 1)?, text_ref(r, 2)?);
    }
    Ok(())
}

/// The tables [`each_id_guid`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdTable {
    /// `documents`.
    Documents,
    /// `codes`.
    Codes,
    /// `coders`.
    Coders,
}

/// Streams (row id, GUID) of every row of `table`, tombstones included, to `each`; the GUID
/// is borrowed from the row read.
pub fn each_id_guid(
    conn: &Connection,
    table: IdTable,
    mut each: impl FnMut(i64, &str),
) -> StoreResult<()> {
    let sql = match table {
        IdTable::Documents => "SELECT id, guid FROM documents",
        IdTable::Codes => "SELECT id, guid FROM codes",
        IdTable::Coders => "SELECT id, guid FROM coders",
    };
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        each(r.get(0)?, text_ref(r, 1)?);
    }
    Ok(())
}

/// Number of codings, tombstones included: what a reader reserves room for.
pub fn coding_count(conn: &Connection) -> StoreResult<usize> {
    Ok(conn.query_row("SELECT count(*) FROM codings", [], |r| r.get::<_, i64>(0))? as usize)
}

/// Streams every coding, tombstones included, to `each`, in the table's order; its strings
/// are borrowed from the row read (nothing is copied unless `each` copies it).
pub fn each_coding(conn: &Connection, mut each: impl FnMut(StoredCoding<'_>)) -> StoreResult<()> {
    let mut stmt = conn.prepare(
        "SELECT guid, document_id, code_id, start_char, end_char, created_by, created_at, modified_at, deleted,
                source_project
         FROM codings",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        each(StoredCoding {
            guid: text_ref(r, 0)?,
            document_id: r.get(1)?,
            code_id: r.get(2)?,
            start_char: r.get(3)?,
            end_char: r.get(4)?,
            created_by: r.get(5)?,
            created_at: r.get(6)?,
            modified_at: r.get(7)?,
            deleted: r.get(8)?,
            source_project: text_ref(r, 9)?,
        });
    }
    Ok(())
}

/// Whether the database has Fouille's `project` table. A file SQLite cannot read as a
/// database at all is [`StoreError::NotAProject`] (named `shown_path`), with SQLite's own
/// words as the reason: a file picked by mistake is not reported as a damaged project.
pub fn has_project_table(conn: &Connection, shown_path: &str) -> StoreResult<bool> {
    let found: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='project'",
            [],
            |r| r.get(0),
        )
        .map_err(|e| StoreError::NotAProject {
            path: shown_path.to_string(),
            reason: crate::store::NotAProjectReason::Sqlite(e.to_string()),
        })?;
    Ok(found > 0)
}

/// Who may write a project file right now, as a reader finds out by asking for the write
/// lock (at once, or after the connection's busy timeout) and letting it go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteLock {
    /// Nobody else is writing: every write committed so far is visible to reads that follow.
    Free,
    /// Another connection holds the write lock.
    Held,
    /// The file cannot be written by anyone here (so nobody is writing it from here).
    ReadOnly,
}

/// Takes the file's write lock and lets it go at once, to learn whether another process is
/// writing (see [`WriteLock`]).
pub fn probe_write_lock(conn: &Connection) -> StoreResult<WriteLock> {
    match conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;") {
        Ok(()) => Ok(WriteLock::Free),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => {
            Ok(WriteLock::Held)
        }
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ReadOnly) => {
            Ok(WriteLock::ReadOnly)
        }
        Err(e) => Err(e.into()),
    }
}

/// What [`content_lines`] reads: a kind, then the query giving that kind's fields. Row ids,
/// the project row and `source_project` are left out: they say where a row is, not what
/// it says.
const CONTENT_QUERIES: &[(&str, &str)] = &[
    ("coder", "SELECT guid, name, created_at FROM coders"),
    (
        "respondent",
        "SELECT r.guid, r.name, r.pseudonym, r.consent, k.guid, r.created_at, r.modified_at, r.deleted
         FROM respondents r LEFT JOIN coders k ON k.id = r.created_by",
    ),
    (
        "document",
        "SELECT d.guid, d.name, d.kind, d.content_hash, d.char_len, d.media_path, d.origin, r.guid, d.sort_order,
                k.guid, d.created_at, d.modified_at, d.deleted
         FROM documents d LEFT JOIN respondents r ON r.id = d.respondent_id LEFT JOIN coders k ON k.id = d.created_by",
    ),
    (
        "attribute",
        "SELECT guid, name, value_type, scope, sort_order, created_at, modified_at, deleted FROM attributes",
    ),
    (
        "value",
        "SELECT a.guid, CASE a.scope WHEN 'document' THEN d.guid ELSE r.guid END, v.value, v.modified_at
         FROM attribute_values v JOIN attributes a ON a.id = v.attribute_id
         LEFT JOIN documents d ON d.id = v.owner_id LEFT JOIN respondents r ON r.id = v.owner_id",
    ),
    (
        "code",
        "SELECT c.guid, p.guid, c.name, c.kind, c.color, c.description, c.sort_order, k.guid, c.created_at,
                c.modified_at, c.deleted
         FROM codes c LEFT JOIN codes p ON p.id = c.parent_id LEFT JOIN coders k ON k.id = c.created_by",
    ),
    (
        "coding",
        "SELECT g.guid, d.guid, c.guid, g.start_char, g.end_char, k.guid, g.created_at, g.modified_at, g.deleted
         FROM codings g JOIN documents d ON d.id = g.document_id JOIN codes c ON c.id = g.code_id
         JOIN coders k ON k.id = g.created_by",
    ),
    (
        "memo",
        "SELECT m.guid, m.target_kind, m.target_guid, m.text, k.guid, m.created_at, m.modified_at, m.deleted
         FROM memos m LEFT JOIN coders k ON k.id = m.created_by",
    ),
    ("pseudonym", "SELECT original, replacement FROM pseudonyms"),
];

/// Every entity of the project (tombstones included) as one line `kind|field|field…`, text
/// fields quoted, NULL written `∅`; unsorted, table by table.
pub fn content_lines(conn: &Connection) -> StoreResult<Vec<String>> {
    let mut out = Vec::new();
    for (kind, sql) in CONTENT_QUERIES {
        let mut stmt = conn.prepare(sql)?;
        let n = stmt.column_count();
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let mut line = (*kind).to_string();
            for i in 0..n {
                line.push('|');
                match r.get_ref(i)? {
                    rusqlite::types::ValueRef::Null => line.push('∅'),
                    rusqlite::types::ValueRef::Integer(v) => line.push_str(&v.to_string()),
                    rusqlite::types::ValueRef::Real(v) => line.push_str(&v.to_string()),
                    rusqlite::types::ValueRef::Text(t) => {
                        line.push_str(&format!("{:?}", String::from_utf8_lossy(t)))
                    }
                    rusqlite::types::ValueRef::Blob(b) => line.push_str(&format!("{b:?}")),
                }
            }
            out.push(line);
        }
    }
    Ok(out)
}
