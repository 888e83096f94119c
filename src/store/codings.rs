//! Codings: excerpts of documents tagged with codes, and their retrieval.

use rusqlite::{Connection, OptionalExtension, Row, params};

use std::collections::HashMap;

use super::{Rule, StoreError, StoreResult, Thing, Tx, to_usize};
use crate::model::{CodeId, CoderId, Coding, CodingId, DocumentId};

pub(super) const COLUMNS: &str = "g.guid, d.guid, c.guid, g.start_char, g.end_char, k.guid, g.created_at, g.modified_at, g.source_project";
pub(super) const FROM: &str = "FROM codings g JOIN documents d ON d.id = g.document_id JOIN codes c ON c.id = g.code_id JOIN coders k ON k.id = g.created_by";

pub(super) fn from_row(r: &Row) -> rusqlite::Result<Coding> {
    Ok(Coding {
        guid: r.get(0)?,
        document_guid: r.get(1)?,
        code_guid: r.get(2)?,
        start_char: to_usize(r.get(3)?),
        end_char: to_usize(r.get(4)?),
        created_by: r.get(5)?,
        created_at: r.get(6)?,
        modified_at: r.get(7)?,
        source_project: r.get(8)?,
    })
}

/// Codes the chars `[start_char, end_char)` of a document with a code, as the acting coder.
/// Applying the same code to the same range twice returns the existing coding.
///
/// The document and the code are different types, so they cannot be passed the wrong way
/// round: this compiles,
///
/// ```no_run
/// # use fouille::model::{CodeId, DocumentId};
/// # fn right(tx: &fouille::store::Tx, document: &DocumentId, code: &CodeId) {
/// fouille::store::codings::apply(tx, document, code, 0, 5);
/// # }
/// ```
///
/// and this does not:
///
/// ```compile_fail
/// # use fouille::model::{CodeId, DocumentId};
/// # fn swapped(tx: &fouille::store::Tx, document: &DocumentId, code: &CodeId) {
/// fouille::store::codings::apply(tx, code, document, 0, 5);
/// # }
/// ```
pub fn apply(
    tx: &Tx,
    document_guid: &DocumentId,
    code_guid: &CodeId,
    start_char: usize,
    end_char: usize,
) -> StoreResult<CodingId> {
    apply_with_guid(tx, document_guid, code_guid, start_char, end_char, None)
}

/// Refuses an excerpt `start..end` (characters) that is empty or reaches past `len`, the
/// length of its document in characters.
pub fn check_range(start: usize, end: usize, len: usize) -> Result<(), Rule> {
    if start >= end {
        Err(Rule::EmptyRange { start, end })
    } else if end > len {
        Err(Rule::RangeOutOfBounds { start, end, len })
    } else {
        Ok(())
    }
}

/// Like [`apply`], keeping a given GUID (imports).
pub fn apply_with_guid(
    tx: &Tx,
    document_guid: &DocumentId,
    code_guid: &CodeId,
    start_char: usize,
    end_char: usize,
    guid: Option<&CodingId>,
) -> StoreResult<CodingId> {
    let (doc_id, len, doc_deleted, name): (i64, i64, bool, String) = tx
        .conn
        .query_row(
            "SELECT id, char_len, deleted, name FROM documents WHERE guid = ?1",
            [document_guid],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?
        .ok_or_else(|| StoreError::not_found(Thing::Document, document_guid))?;
    if doc_deleted {
        return Err(Rule::DocumentDeleted { name }.into());
    }
    check_range(start_char, end_char, to_usize(len))?;
    let code = super::codes::get(tx.conn, code_guid)?;
    if !code.kind.is_codable() {
        return Err(Rule::NotCodable { code: code.name }.into());
    }
    let code_id = super::codes::id_of(tx.conn, code_guid)?;
    if let Some(existing) = tx
        .conn
        .query_row(
            "SELECT guid FROM codings WHERE document_id = ?1 AND code_id = ?2 AND start_char = ?3 AND end_char = ?4
             AND created_by = ?5 AND deleted = 0",
            params![doc_id, code_id, start_char as i64, end_char as i64, tx.coder_id],
            |r| r.get::<_, CodingId>(0),
        )
        .optional()?
    {
        return Ok(existing);
    }
    let guid = guid.cloned().unwrap_or_else(CodingId::generate);
    tx.conn.execute(
        "INSERT INTO codings (guid, document_id, code_id, start_char, end_char, created_by, created_at, modified_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![guid, doc_id, code_id, start_char as i64, end_char as i64, tx.coder_id, tx.now_ms],
    )?;
    Ok(guid)
}

/// A coding by GUID (live or not).
pub fn get(conn: &Connection, guid: &CodingId) -> StoreResult<Coding> {
    conn.query_row(
        &format!("SELECT {COLUMNS} {FROM} WHERE g.guid = ?1"),
        [guid],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::not_found(Thing::Coding, guid))
}

/// Live codings of a document, by start.
pub fn for_document(conn: &Connection, document_guid: &DocumentId) -> StoreResult<Vec<Coding>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} {FROM} WHERE d.guid = ?1 AND g.deleted = 0 AND c.deleted = 0 ORDER BY g.start_char, g.end_char"
    ))?;
    let rows = stmt.query_map([document_guid], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every live coding of live documents and codes.
pub fn list(conn: &Connection) -> StoreResult<Vec<Coding>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} {FROM} WHERE g.deleted = 0 AND c.deleted = 0 AND d.deleted = 0 ORDER BY d.sort_order, g.start_char"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Removes a coding (a tombstone).
pub fn remove(tx: &Tx, guid: &CodingId) -> StoreResult<()> {
    let n = tx.conn.execute(
        "UPDATE codings SET deleted = 1, modified_at = ?1 WHERE guid = ?2 AND deleted = 0",
        params![tx.now_ms, guid],
    )?;
    if n == 0 {
        return Err(StoreError::not_found(Thing::Coding, guid));
    }
    Ok(())
}

/// Changes the code of a coding.
pub fn change_code(tx: &Tx, guid: &CodingId, code_guid: &CodeId) -> StoreResult<()> {
    let code = super::codes::get(tx.conn, code_guid)?;
    if !code.kind.is_codable() {
        return Err(Rule::NotCodable { code: code.name }.into());
    }
    let code_id = super::codes::id_of(tx.conn, code_guid)?;
    let n = tx.conn.execute(
        "UPDATE codings SET code_id = ?1, modified_at = ?2 WHERE guid = ?3 AND deleted = 0",
        params![code_id, tx.now_ms, guid],
    )?;
    if n == 0 {
        return Err(StoreError::not_found(Thing::Coding, guid));
    }
    Ok(())
}

/// Moves a coding's range.
pub fn set_range(tx: &Tx, guid: &CodingId, start_char: usize, end_char: usize) -> StoreResult<()> {
    let coding = get(tx.conn, guid)?;
    let len = super::documents::get(tx.conn, &coding.document_guid)?.char_len;
    check_range(start_char, end_char, len)?;
    tx.conn.execute(
        "UPDATE codings SET start_char = ?1, end_char = ?2, modified_at = ?3 WHERE guid = ?4",
        params![start_char as i64, end_char as i64, tx.now_ms, guid],
    )?;
    Ok(())
}

/// A live coding as row ids and offsets only (no strings): what analyses over a whole
/// corpus read, see [`live_rows`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveRow {
    /// `codings.id`.
    pub id: i64,
    /// `documents.id` of its document.
    pub document_id: i64,
    /// `codes.id` of its code.
    pub code_id: i64,
    /// `coders.id` of its author.
    pub coder_id: i64,
    /// Start, char offset, inclusive.
    pub start_char: usize,
    /// End, char offset, exclusive.
    pub end_char: usize,
}

/// Every coding not tombstoned as [`LiveRow`]s, unordered; whether its document and code
/// are live is left to the caller (who maps the ids with [`id_guids`] onto the live ones:
/// a plain scan is 2.5 times faster than asking SQLite to check). Reading integers only,
/// this is several times faster than building [`Coding`]s at 100,000 codings.
pub fn live_rows(conn: &Connection) -> StoreResult<Vec<LiveRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT g.id, g.document_id, g.code_id, g.created_by, g.start_char, g.end_char
         FROM codings g WHERE g.deleted = 0",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(LiveRow {
            id: r.get(0)?,
            document_id: r.get(1)?,
            code_id: r.get(2)?,
            coder_id: r.get(3)?,
            start_char: to_usize(r.get(4)?),
            end_char: to_usize(r.get(5)?),
        });
    }
    Ok(out)
}

/// Row id → identity of every row of the table of `T` (documents, codes or coders; the
/// type chooses the table), tombstoned rows included.
pub fn id_guids<T: RowIdentity>(conn: &Connection) -> StoreResult<HashMap<i64, T>> {
    let mut stmt = conn.prepare_cached(T::ROW_GUIDS)?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, T>(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// An identity whose table [`id_guids`] reads: a [`LiveRow`]'s row ids map onto them.
pub trait RowIdentity: rusqlite::types::FromSql + Eq + std::hash::Hash {
    /// Reads `(id, guid)` of every row of the table.
    const ROW_GUIDS: &'static str;
}

impl RowIdentity for DocumentId {
    const ROW_GUIDS: &'static str = "SELECT id, guid FROM documents";
}

impl RowIdentity for CodeId {
    const ROW_GUIDS: &'static str = "SELECT id, guid FROM codes";
}

impl RowIdentity for CoderId {
    const ROW_GUIDS: &'static str = "SELECT id, guid FROM coders";
}

/// Number of live codings of each live document (document GUID → count), optionally of
/// one coder only.
pub fn counts_by_document(
    conn: &Connection,
    coder_guid: Option<&CoderId>,
) -> StoreResult<HashMap<DocumentId, usize>> {
    guid_counts(
        conn,
        "SELECT d.guid, count(*) FROM codings g JOIN documents d ON d.id = g.document_id
         JOIN codes c ON c.id = g.code_id JOIN coders k ON k.id = g.created_by
         WHERE g.deleted = 0 AND c.deleted = 0 AND d.deleted = 0 AND (?1 IS NULL OR k.guid = ?1)
         GROUP BY d.guid",
        coder_guid,
    )
}

/// Number of live codings of each code (code GUID → count) on live documents, optionally
/// of one coder only (`coder_guid`); not rolled up to parent codes, tombstoned codes
/// included.
pub fn counts_by_code(
    conn: &Connection,
    coder_guid: Option<&CoderId>,
) -> StoreResult<HashMap<CodeId, usize>> {
    guid_counts(
        conn,
        "SELECT c.guid, count(*) FROM codings g JOIN codes c ON c.id = g.code_id
         JOIN documents d ON d.id = g.document_id JOIN coders k ON k.id = g.created_by
         WHERE g.deleted = 0 AND d.deleted = 0 AND (?1 IS NULL OR k.guid = ?1) GROUP BY c.guid",
        coder_guid,
    )
}

/// Runs a `SELECT guid, count(*) … GROUP BY guid` whose `?1` is an optional coder GUID;
/// `T` is the identity of the rows counted.
fn guid_counts<T: rusqlite::types::FromSql + Eq + std::hash::Hash>(
    conn: &Connection,
    sql: &str,
    coder_guid: Option<&CoderId>,
) -> StoreResult<HashMap<T, usize>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([coder_guid], |r| {
        Ok((r.get::<_, T>(0)?, to_usize(r.get(1)?)))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The live codings of one coder with one code on one document (all named by GUID), as
/// (coding GUID, start char inclusive, end char exclusive), by start, end, then GUID.
pub fn ranges_of(
    conn: &Connection,
    document_guid: &DocumentId,
    code_guid: &CodeId,
    coder_guid: &CoderId,
) -> StoreResult<Vec<(CodingId, usize, usize)>> {
    let mut stmt = conn.prepare(
        "SELECT g.guid, g.start_char, g.end_char FROM codings g JOIN documents d ON d.id = g.document_id
         JOIN codes c ON c.id = g.code_id JOIN coders k ON k.id = g.created_by
         WHERE d.guid = ?1 AND c.guid = ?2 AND k.guid = ?3 AND g.deleted = 0 ORDER BY g.start_char, g.end_char, g.guid",
    )?;
    let rows = stmt.query_map(params![document_guid, code_guid, coder_guid], |r| {
        Ok((
            r.get::<_, CodingId>(0)?,
            to_usize(r.get(1)?),
            to_usize(r.get(2)?),
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A live coding of a live document with a live code, by GUIDs: what agreement between
/// coders is measured on (see [`each_live_span`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveSpan<'a> {
    /// GUID of the document.
    pub document_guid: &'a str,
    /// GUID of the code.
    pub code_guid: &'a str,
    /// GUID of the coder who made it.
    pub coder_guid: &'a str,
    /// Start, char offset, inclusive.
    pub start_char: usize,
    /// End, char offset, exclusive.
    pub end_char: usize,
}

/// Streams every live coding whose document and code are live to `each`, unordered; the
/// GUIDs are borrowed from the row read.
pub fn each_live_span(conn: &Connection, mut each: impl FnMut(LiveSpan<'_>)) -> StoreResult<()> {
    let mut stmt = conn.prepare(
        "SELECT d.guid, c.guid, k.guid, g.start_char, g.end_char FROM codings g
         JOIN documents d ON d.id = g.document_id JOIN codes c ON c.id = g.code_id JOIN coders k ON k.id = g.created_by
         WHERE g.deleted = 0 AND d.deleted = 0 AND c.deleted = 0",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        each(LiveSpan {
            document_guid: text_ref(r, 0)?,
            code_guid: text_ref(r, 1)?,
            coder_guid: text_ref(r, 2)?,
            start_char: to_usize(r.get(3)?),
            end_char: to_usize(r.get(4)?),
        });
    }
    Ok(())
}

/// A text column without copying it.
fn text_ref<'r>(r: &'r Row, i: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(i)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// The distinct codes applied to each live document: (document GUID, code GUID) pairs,
/// by document then by first use in the text.
pub fn codes_by_document(conn: &Connection) -> StoreResult<Vec<(DocumentId, CodeId)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.guid, c.guid, min(g.start_char) AS first FROM codings g JOIN documents d ON d.id = g.document_id
         JOIN codes c ON c.id = g.code_id
         WHERE g.deleted = 0 AND c.deleted = 0 AND d.deleted = 0
         GROUP BY d.id, c.id ORDER BY d.id, first",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, DocumentId>(0)?, r.get::<_, CodeId>(1)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Whether the coding with this GUID is deleted (`Some(true)`), live (`Some(false)`), or
/// not in the project at all (`None`).
pub fn deleted_state(conn: &Connection, guid: &CodingId) -> StoreResult<Option<bool>> {
    Ok(conn
        .query_row("SELECT deleted FROM codings WHERE guid = ?1", [guid], |r| {
            r.get(0)
        })
        .optional()?)
}

/// `(document GUID, start char, end char)` of the live codings of `code_guid` made by the
/// coder of row id `coder_id`.
pub fn coded_ranges(
    conn: &Connection,
    code_guid: &CodeId,
    coder_id: i64,
) -> StoreResult<std::collections::HashSet<(DocumentId, usize, usize)>> {
    let mut stmt = conn.prepare(
        "SELECT d.guid, g.start_char, g.end_char FROM codings g JOIN documents d ON d.id = g.document_id
         JOIN codes c ON c.id = g.code_id WHERE c.guid = ?1 AND g.created_by = ?2 AND g.deleted = 0",
    )?;
    let rows = stmt.query_map(params![code_guid, coder_id], |r| {
        Ok((
            r.get::<_, DocumentId>(0)?,
            to_usize(r.get(1)?),
            to_usize(r.get(2)?),
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// [`coded_ranges`] for the coder of GUID `coder_guid` (for a connection that is not the
/// project's own, which knows no acting coder).
pub fn coded_ranges_of(
    conn: &Connection,
    code_guid: &str,
    coder_guid: &str,
) -> StoreResult<std::collections::HashSet<(String, usize, usize)>> {
    let mut stmt = conn.prepare(
        "SELECT d.guid, g.start_char, g.end_char FROM codings g JOIN documents d ON d.id = g.document_id
         JOIN codes c ON c.id = g.code_id JOIN coders k ON k.id = g.created_by
         WHERE c.guid = ?1 AND k.guid = ?2 AND g.deleted = 0",
    )?;
    let rows = stmt.query_map(params![code_guid, coder_guid], |r| {
        Ok((
            r.get::<_, String>(0)?,
            to_usize(r.get(1)?),
            to_usize(r.get(2)?),
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Codes many ranges `(document GUID, start char, end char)` with one code as the acting
/// coder, skipping ranges that coder already coded so; checks as [`apply`] does, with each
/// statement prepared once. Returns the GUIDs of the codings made.
pub fn apply_many(
    tx: &Tx,
    code_guid: &CodeId,
    ranges: &[(DocumentId, usize, usize)],
) -> StoreResult<Vec<CodingId>> {
    let code = super::codes::get(tx.conn, code_guid)?;
    if !code.kind.is_codable() {
        return Err(Rule::NotCodable { code: code.name }.into());
    }
    let code_id = super::codes::id_of(tx.conn, code_guid)?;
    let mut existing = coded_ranges(tx.conn, code_guid, tx.coder_id)?;
    let mut doc = tx
        .conn
        .prepare_cached("SELECT id, char_len, deleted FROM documents WHERE guid = ?1")?;
    let mut insert = tx.conn.prepare_cached(
        "INSERT INTO codings (guid, document_id, code_id, start_char, end_char, created_by, created_at, modified_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?;
    let mut docs: HashMap<DocumentId, (i64, usize)> = HashMap::new();
    let mut made = Vec::new();
    for (guid, start, end) in ranges {
        if !existing.insert((guid.clone(), *start, *end)) {
            continue;
        }
        if !docs.contains_key(guid) {
            let (id, len, deleted): (i64, i64, bool) = doc
                .query_row([guid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?
                .ok_or_else(|| StoreError::not_found(Thing::Document, guid))?;
            if deleted {
                let name = super::documents::get(tx.conn, guid)
                    .map_or_else(|_| guid.to_string(), |d| d.name);
                return Err(Rule::DocumentDeleted { name }.into());
            }
            docs.insert(guid.clone(), (id, to_usize(len)));
        }
        let (doc_id, len) = docs[guid];
        check_range(*start, *end, len)?;
        let new = CodingId::generate();
        insert.execute(params![
            new,
            doc_id,
            code_id,
            *start as i64,
            *end as i64,
            tx.coder_id,
            tx.now_ms
        ])?;
        made.push(new);
    }
    Ok(made)
}
