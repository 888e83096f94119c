//! Bulk writes for imports and merges: rows that keep their foreign GUID, author and dates
//! (an identity is created once and travels with the row; provenance says who coded what,
//! and when, whichever file it went through), written with prepared statements reused
//! across rows so that tens of thousands of codings go in quickly.

use crate::model::text::clean_name;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;

use super::{Project, Rule, StoreError, StoreResult, Thing, Tx};
use crate::model::{CodingId, DocumentId};

/// Runs `f` under a savepoint: a refusal ([`StoreError::is_refusal`]) undoes what `f` did
/// and is returned as `Ok(Err(message))`, in English, for an import's report to note and go
/// on; other errors abort.
pub fn attempt<T>(
    conn: &Connection,
    f: impl FnOnce() -> StoreResult<T>,
) -> StoreResult<Result<T, String>> {
    conn.execute_batch("SAVEPOINT refi_attempt")?;
    match f() {
        Ok(v) => {
            conn.execute_batch("RELEASE refi_attempt")?;
            Ok(Ok(v))
        }
        Err(e) if e.is_refusal() => {
            conn.execute_batch("ROLLBACK TO refi_attempt; RELEASE refi_attempt")?;
            Ok(Err(e.to_string()))
        }
        Err(e) => Err(e),
    }
}

/// Runs `f` as a bulk action ([`Project::bulk_action`]) on a project file just created,
/// which the caller renames into place only once complete, then checkpoints it.
///
/// Such a file gains nothing from the write-ahead log: with the rollback journal in memory
/// (it holds almost nothing, since a new file has no old pages to save) every page is
/// written once, straight into the file, instead of into the log and again at the
/// checkpoint. Savepoints and rollback work the same. Memory-mapped reads are off
/// meanwhile, so pages just written are not mapped into the process as well. Both settings
/// are put back afterwards; after an error they are not, since the file is then dropped.
pub fn write_new_file<T>(
    project: &mut Project,
    f: impl FnOnce(&Tx) -> StoreResult<T>,
) -> StoreResult<T> {
    let was_journal: String = project
        .conn()
        .query_row("PRAGMA main.journal_mode", [], |r| r.get(0))?;
    let was_mmap: i64 = project
        .conn()
        .query_row("PRAGMA main.mmap_size", [], |r| r.get(0))?;
    set_pragma(project.conn(), "journal_mode", "MEMORY")?;
    set_pragma(project.conn(), "mmap_size", "0")?;
    let out = project.bulk_action(f)?;
    set_pragma(project.conn(), "journal_mode", &was_journal)?;
    set_pragma(project.conn(), "mmap_size", &was_mmap.to_string())?;
    // As `Project::checkpoint`, for the main database only: once its journal mode has
    // changed, SQLite refuses a checkpoint that also names the temporary database.
    project
        .conn()
        .execute_batch("PRAGMA main.wal_checkpoint(TRUNCATE);")?;
    Ok(out)
}

/// Sets a pragma of the main database, stepping the statement through the row some
/// pragmas answer with (`journal_mode` does).
fn set_pragma(conn: &Connection, name: &str, value: &str) -> StoreResult<()> {
    conn.query_row(&format!("PRAGMA main.{name} = {value}"), [], |_| Ok(()))
        .optional()?;
    Ok(())
}

/// A table whose rows carry provenance (`created_by`, `created_at`, `modified_at`,
/// `source_project`, `deleted`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProvenanceTable {
    /// `respondents`.
    Respondents,
    /// `documents`.
    Documents,
    /// `codes`.
    Codes,
    /// `codings`.
    Codings,
    /// `memos`.
    Memos,
}

impl ProvenanceTable {
    fn name(self) -> &'static str {
        match self {
            ProvenanceTable::Respondents => "respondents",
            ProvenanceTable::Documents => "documents",
            ProvenanceTable::Codes => "codes",
            ProvenanceTable::Codings => "codings",
            ProvenanceTable::Memos => "memos",
        }
    }

    /// What a row of the table is, for an error naming one.
    fn thing(self) -> Thing {
        match self {
            ProvenanceTable::Respondents => Thing::Respondent,
            ProvenanceTable::Documents => Thing::Document,
            ProvenanceTable::Codes => Thing::Code,
            ProvenanceTable::Codings => Thing::Coding,
            ProvenanceTable::Memos => Thing::Memo,
        }
    }
}

/// The state of an existing row, as a merge needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowState {
    /// Its integer row id, which bulk writers address rows by.
    pub id: i64,
    /// Last change (ms).
    pub modified_at: i64,
    /// Whether the row is a tombstone.
    pub deleted: bool,
}

/// Every row of a table (live or not): GUID → row id, last change and tombstone flag.
pub fn row_states(
    conn: &Connection,
    table: ProvenanceTable,
) -> StoreResult<HashMap<String, RowState>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT guid, id, modified_at, deleted FROM {}",
        table.name()
    ))?;
    let mut rows = stmt.query([])?;
    let mut out = HashMap::new();
    while let Some(r) = rows.next()? {
        out.insert(
            r.get(0)?,
            RowState {
                id: r.get(1)?,
                modified_at: r.get(2)?,
                deleted: r.get(3)?,
            },
        );
    }
    Ok(out)
}

/// Every coder: GUID → row id.
pub fn coder_ids(conn: &Connection) -> StoreResult<HashMap<String, i64>> {
    let mut stmt = conn.prepare("SELECT guid, id FROM coders")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Sets the provenance of one row: author (row id of a coder; unchanged when `None`),
/// dates, the project file it came from, and clears its tombstone when `restore` is true.
pub fn set_provenance(
    tx: &Tx,
    table: ProvenanceTable,
    guid: &str,
    created_by: Option<i64>,
    created_at: i64,
    modified_at: i64,
    source_project: &str,
    restore: bool,
) -> StoreResult<()> {
    let sql = format!(
        "UPDATE {} SET created_by = coalesce(?1, created_by), created_at = ?2, modified_at = ?3,
         source_project = ?4, deleted = CASE WHEN ?5 THEN 0 ELSE deleted END WHERE guid = ?6",
        table.name()
    );
    let n = tx.conn.prepare_cached(&sql)?.execute(params![
        created_by,
        created_at,
        modified_at,
        source_project,
        restore,
        guid
    ])?;
    if n == 0 {
        return Err(StoreError::not_found(table.thing(), guid));
    }
    Ok(())
}

/// A coding row to write as is (ids resolved by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodingRow {
    /// The coding's GUID, chosen by the caller (kept from a file, or derived for a copy):
    /// bulk writes never make one.
    pub guid: CodingId,
    /// Row id of the document.
    pub document_id: i64,
    /// Row id of the code (a codable code: the caller checks).
    pub code_id: i64,
    /// Start, char offset, inclusive.
    pub start_char: usize,
    /// End, char offset, exclusive.
    pub end_char: usize,
    /// Row id of the coder.
    pub created_by: i64,
    /// Creation time (ms).
    pub created_at: i64,
    /// Last change (ms).
    pub modified_at: i64,
    /// Project file the row came from (shared by every row of one import).
    pub source_project: std::sync::Arc<str>,
}

/// Inserts codings with one prepared statement, in GUID order (the unique GUID index then
/// grows at its end instead of at random pages). Offsets must be a non-empty range (the
/// caller checks them against the document's length). Returns the number inserted.
///
/// In a bulk action the undo-capture triggers are off (see `Project::bulk_action`), so the
/// inserts cost no statement journal.
pub fn insert_codings(tx: &Tx, rows: &[CodingRow]) -> StoreResult<usize> {
    let mut order: Vec<&CodingRow> = rows.iter().collect();
    order.sort_unstable_by(|a, b| a.guid.cmp(&b.guid));
    let mut stmt = tx.conn.prepare_cached(
        "INSERT INTO codings (guid, document_id, code_id, start_char, end_char, created_by, created_at, modified_at, source_project)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for row in order {
        if row.start_char >= row.end_char {
            let (start, end) = (row.start_char, row.end_char);
            return Err(Rule::EmptyRange { start, end }.into());
        }
        stmt.execute(params![
            row.guid,
            row.document_id,
            row.code_id,
            row.start_char as i64,
            row.end_char as i64,
            row.created_by,
            row.created_at,
            row.modified_at,
            &*row.source_project
        ])?;
    }
    Ok(rows.len())
}

/// Overwrites an existing coding (found by GUID) with `row`, live again.
pub fn update_coding(tx: &Tx, row: &CodingRow) -> StoreResult<()> {
    let n = tx.conn.prepare_cached(
        "UPDATE codings SET document_id = ?1, code_id = ?2, start_char = ?3, end_char = ?4, created_by = ?5,
         created_at = ?6, modified_at = ?7, source_project = ?8, deleted = 0 WHERE guid = ?9",
    )?
    .execute(params![
        row.document_id,
        row.code_id,
        row.start_char as i64,
        row.end_char as i64,
        row.created_by,
        row.created_at,
        row.modified_at,
        &*row.source_project,
        row.guid
    ])?;
    if n == 0 {
        return Err(StoreError::not_found(Thing::Coding, &row.guid));
    }
    Ok(())
}

/// Live codings as `(document id, code id, start, end, coder id)` keys, to skip exact
/// duplicates in a merge.
pub fn live_coding_keys(
    conn: &Connection,
) -> StoreResult<std::collections::HashSet<(i64, i64, i64, i64, i64)>> {
    let mut stmt =
        conn.prepare("SELECT document_id, code_id, start_char, end_char, created_by FROM codings WHERE deleted = 0")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The author of every row of a table that has one: row GUID → coder GUID.
pub fn creators(conn: &Connection, table: ProvenanceTable) -> StoreResult<HashMap<String, String>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT t.guid, k.guid FROM {} t JOIN coders k ON k.id = t.created_by",
        table.name()
    ))?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every attribute value with its date: (attribute GUID, owner GUID) → (value, last change).
pub fn value_dates(conn: &Connection) -> StoreResult<HashMap<(String, String), (String, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT a.guid, o.guid, v.value, v.modified_at FROM attribute_values v
           JOIN attributes a ON a.id = v.attribute_id JOIN respondents o ON o.id = v.owner_id WHERE a.scope = 'respondent'
         UNION ALL
         SELECT a.guid, o.guid, v.value, v.modified_at FROM attribute_values v
           JOIN attributes a ON a.id = v.attribute_id JOIN documents o ON o.id = v.owner_id WHERE a.scope = 'document'",
    )?;
    let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), (r.get(2)?, r.get(3)?))))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A new document row to write as is, provenance included (ids resolved by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRow<'a> {
    /// The document's GUID, chosen by the caller: bulk writes never make one.
    pub guid: &'a DocumentId,
    /// Name (trimmed here).
    pub name: &'a str,
    /// Interview, transcript, survey answer or note.
    pub kind: crate::model::DocumentKind,
    /// Text, already normalised (`model::text::normalize_text`).
    pub text: &'a str,
    /// Its length in chars.
    pub char_len: usize,
    /// Its content hash (`documents::content_hash`).
    pub content_hash: &'a str,
    /// Where its text came from, as shown to the user (for an import, the file's name).
    pub origin: &'a str,
    /// Row id of its respondent.
    pub respondent_id: Option<i64>,
    /// Place in the corpus order.
    pub sort_order: i64,
    /// Row id of its author.
    pub created_by: i64,
    /// Creation time (ms).
    pub created_at: i64,
    /// Last change (ms).
    pub modified_at: i64,
    /// Project file the row came from.
    pub source_project: &'a str,
}

/// The `sort_order` that puts a new document after every existing one.
pub fn next_document_order(conn: &Connection) -> StoreResult<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(max(sort_order), 0) + 1 FROM documents",
        [],
        |r| r.get(0),
    )?)
}

/// Inserts a document with one cached statement: the same row as `documents::insert`
/// followed by [`set_provenance`], in one write (the search index follows by trigger).
/// Returns its row id.
pub fn insert_document(tx: &Tx, row: &DocumentRow) -> StoreResult<i64> {
    tx.conn
        .prepare_cached(
            "INSERT INTO documents (guid, name, kind, text, char_len, content_hash, media_path, origin,
                respondent_id, sort_order, created_by, created_at, modified_at, source_project)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?
        .execute(params![
            row.guid,
            clean_name(row.name),
            row.kind.as_str(),
            row.text,
            row.char_len as i64,
            row.content_hash,
            row.origin,
            row.respondent_id,
            row.sort_order,
            row.created_by,
            row.created_at,
            row.modified_at,
            row.source_project
        ])?;
    Ok(tx.conn.last_insert_rowid())
}

/// Every attribute (live or not): GUID → (row id, name, type, scope).
pub fn attribute_ids(
    conn: &Connection,
) -> StoreResult<
    HashMap<
        String,
        (
            i64,
            String,
            crate::model::AttributeType,
            crate::model::AttributeScope,
        ),
    >,
> {
    use crate::model::{AttributeScope, AttributeType};
    let mut stmt = conn.prepare("SELECT guid, id, name, value_type, scope FROM attributes")?;
    let rows = stmt.query_map([], |r| {
        let t: String = r.get(3)?;
        let s: String = r.get(4)?;
        Ok((
            r.get::<_, String>(0)?,
            (
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                AttributeType::parse(&t).unwrap_or(AttributeType::Text),
                AttributeScope::parse(&s).unwrap_or(AttributeScope::Respondent),
            ),
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Writes an attribute value (canonical, checked by the caller) with one cached statement,
/// as `attributes::set_value` does: dated `tx.now_ms`, replacing a different value.
pub fn upsert_value(tx: &Tx, attribute_id: i64, owner_id: i64, value: &str) -> StoreResult<()> {
    tx.conn
        .prepare_cached(
            "INSERT INTO attribute_values (attribute_id, owner_id, value, modified_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (attribute_id, owner_id) DO UPDATE SET value = excluded.value, modified_at = excluded.modified_at
             WHERE value IS NOT excluded.value",
        )?
        .execute(params![attribute_id, owner_id, value, tx.now_ms])?;
    Ok(())
}

/// Removes an attribute value with one cached statement.
pub fn delete_value(tx: &Tx, attribute_id: i64, owner_id: i64) -> StoreResult<()> {
    tx.conn
        .prepare_cached("DELETE FROM attribute_values WHERE attribute_id = ?1 AND owner_id = ?2")?
        .execute(params![attribute_id, owner_id])?;
    Ok(())
}
