//! Codings: excerpts of documents tagged with codes, and their retrieval.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

use super::{Rule, StoreError, StoreResult, Thing, Tx, to_usize};
use crate::model::{AttributeScope, Coding};

const COLUMNS: &str = "g.guid, d.guid, c.guid, g.start_char, g.end_char, k.guid, g.created_at, g.modified_at, g.source_project";
const FROM: &str = "FROM codings g JOIN documents d ON d.id = g.document_id JOIN codes c ON c.id = g.code_id JOIN coders k ON k.id = g.created_by";

fn from_row(r: &Row) -> rusqlite::Result<Coding> {
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
pub fn apply(
    tx: &Tx,
    document_guid: &str,
    code_guid: &str,
    start_char: usize,
    end_char: usize,
) -> StoreResult<String> {
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
    document_guid: &str,
    code_guid: &str,
    start_char: usize,
    end_char: usize,
    guid: Option<&str>,
) -> StoreResult<String> {
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
            |r| r.get::<_, String>(0),
        )
        .optional()?
    {
        return Ok(existing);
    }
    let guid = guid
        .map(str::to_string)
        .unwrap_or_else(crate::model::new_guid);
    tx.conn.execute(
        "INSERT INTO codings (guid, document_id, code_id, start_char, end_char, created_by, created_at, modified_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![guid, doc_id, code_id, start_char as i64, end_char as i64, tx.coder_id, tx.now_ms],
    )?;
    Ok(guid)
}

/// A coding by GUID (live or not).
pub fn get(conn: &Connection, guid: &str) -> StoreResult<Coding> {
    conn.query_row(
        &format!("SELECT {COLUMNS} {FROM} WHERE g.guid = ?1"),
        [guid],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::not_found(Thing::Coding, guid))
}

/// Live codings of a document, by start.
pub fn for_document(conn: &Connection, document_guid: &str) -> StoreResult<Vec<Coding>> {
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
pub fn remove(tx: &Tx, guid: &str) -> StoreResult<()> {
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
pub fn change_code(tx: &Tx, guid: &str, code_guid: &str) -> StoreResult<()> {
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
pub fn set_range(tx: &Tx, guid: &str, start_char: usize, end_char: usize) -> StoreResult<()> {
    let coding = get(tx.conn, guid)?;
    let len = super::documents::get(tx.conn, &coding.document_guid)?.char_len;
    check_range(start_char, end_char, len)?;
    tx.conn.execute(
        "UPDATE codings SET start_char = ?1, end_char = ?2, modified_at = ?3 WHERE guid = ?4",
        params![start_char as i64, end_char as i64, tx.now_ms, guid],
    )?;
    Ok(())
}

/// Which excerpts to retrieve. Empty lists mean "all".
#[derive(Debug, Clone, Default)]
pub struct ExcerptFilter {
    /// Code GUIDs (each with its descendants).
    pub codes: Vec<String>,
    /// Coder GUIDs.
    pub coders: Vec<String>,
    /// Respondent GUIDs.
    pub respondents: Vec<String>,
    /// Document GUIDs.
    pub documents: Vec<String>,
    /// Attribute conditions `name = value` (on the respondent's or the document's
    /// attributes), all of which must hold.
    pub attributes: Vec<(String, String)>,
}

/// A coded excerpt with everything needed to show or export it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Excerpt {
    /// The coding.
    pub coding: Coding,
    /// Code path.
    pub code_path: String,
    /// Document name.
    pub document_name: String,
    /// Respondent GUID.
    pub respondent_guid: Option<String>,
    /// Respondent name.
    pub respondent_name: Option<String>,
    /// Coder name.
    pub coder_name: String,
    /// The coded text, exactly.
    pub text: String,
    /// Memos on the coding, joined.
    pub memo: String,
}

/// Retrieves coded excerpts matching `filter`, in document order.
pub fn excerpts(conn: &Connection, filter: &ExcerptFilter) -> StoreResult<Vec<Excerpt>> {
    let codes = super::codes::list(conn)?;
    let paths = super::codes::paths(&codes);
    let mut sql = format!(
        "SELECT {COLUMNS}, g.document_id {FROM} WHERE g.deleted = 0 AND c.deleted = 0 AND d.deleted = 0"
    );
    if !filter.codes.is_empty() {
        let mut ids = Vec::new();
        for g in filter
            .codes
            .iter()
            .flat_map(|g| super::codes::with_descendants(&codes, g))
        {
            ids.push(super::codes::id_of(conn, &g)?.to_string());
        }
        sql.push_str(&format!(" AND g.code_id IN ({})", ids.join(",")));
    }
    if !filter.coders.is_empty() {
        let mut ids = Vec::new();
        for g in &filter.coders {
            if let Some(id) = super::coders::id_of(conn, g)? {
                ids.push(id.to_string());
            }
        }
        sql.push_str(&format!(
            " AND g.created_by IN ({})",
            if ids.is_empty() {
                "-1".into()
            } else {
                ids.join(",")
            }
        ));
    }
    sql.push_str(" ORDER BY d.sort_order, d.id, g.start_char, g.end_char");
    let coders: HashMap<String, String> = super::coders::list(conn)?
        .into_iter()
        .map(|c| (c.guid, c.name))
        .collect();
    let docs: HashMap<String, crate::model::DocumentInfo> = super::documents::list(conn)?
        .into_iter()
        .map(|d| (d.guid.clone(), d))
        .collect();
    let respondents: HashMap<String, String> = super::respondents::list(conn)?
        .into_iter()
        .map(|r| (r.guid, r.name))
        .collect();
    let needs_attrs = !filter.attributes.is_empty();
    let resp_values = if needs_attrs {
        super::attributes::values(conn, AttributeScope::Respondent)?
    } else {
        BTreeMap::new()
    };
    let doc_values = if needs_attrs {
        super::attributes::values(conn, AttributeScope::Document)?
    } else {
        BTreeMap::new()
    };
    let empty = BTreeMap::new();
    let doc_ok = |d: &crate::model::DocumentInfo| {
        let rv = d
            .respondent_guid
            .as_ref()
            .and_then(|r| resp_values.get(r))
            .unwrap_or(&empty);
        let dv = doc_values.get(&d.guid).unwrap_or(&empty);
        let attrs_ok = filter.attributes.iter().all(|(k, v)| {
            let matches = |m: &BTreeMap<String, String>| {
                m.iter().any(|(name, value)| {
                    name.eq_ignore_ascii_case(k) && value.eq_ignore_ascii_case(v)
                })
            };
            matches(rv) || matches(dv)
        });
        let resp_ok = filter.respondents.is_empty()
            || d.respondent_guid
                .as_ref()
                .is_some_and(|r| filter.respondents.contains(r));
        let docs_ok = filter.documents.is_empty() || filter.documents.contains(&d.guid);
        attrs_ok && resp_ok && docs_ok
    };
    // Only the documents the filter keeps are queried (the attribute filter often leaves a
    // third of a code's codings: no need to join and read the others).
    if needs_attrs || !filter.respondents.is_empty() || !filter.documents.is_empty() {
        let kept: Vec<String> = id_guids(conn, IdTable::Documents)?
            .into_iter()
            .filter(|(_, guid)| docs.get(guid).is_some_and(&doc_ok))
            .map(|(id, _)| id.to_string())
            .collect();
        sql = sql.replace(
            " ORDER BY d.sort_order",
            &format!(
                " AND g.document_id IN ({}) ORDER BY d.sort_order",
                if kept.is_empty() {
                    "-1".into()
                } else {
                    kept.join(",")
                }
            ),
        );
    }
    // Codings grouped by document (the query orders them so).
    let mut groups: Vec<(i64, Vec<Coding>)> = Vec::new();
    let mut doc_verdicts: HashMap<i64, bool> = HashMap::new();
    {
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let doc_id: i64 = r.get(9)?;
            let keep = *doc_verdicts.entry(doc_id).or_insert_with(|| {
                r.get_ref(1)
                    .ok()
                    .and_then(|v| v.as_str().ok())
                    .and_then(|g| docs.get(g))
                    .is_some_and(&doc_ok)
            });
            if !keep {
                continue;
            }
            let coding = from_row(r)?;
            match groups.last_mut() {
                Some((id, list)) if *id == doc_id => list.push(coding),
                _ => groups.push((doc_id, vec![coding])),
            }
        }
    }
    let memos = super::memos::coding_memo_texts(conn)?;
    let quotes = quote_groups(conn, &groups)?;
    let mut out = Vec::new();
    for ((_, list), texts) in groups.into_iter().zip(quotes) {
        for (coding, text) in list.into_iter().zip(texts) {
            let doc = docs.get(&coding.document_guid);
            let respondent_guid = doc.and_then(|d| d.respondent_guid.clone());
            out.push(Excerpt {
                code_path: paths.get(&coding.code_guid).cloned().unwrap_or_default(),
                document_name: doc.map(|d| d.name.clone()).unwrap_or_default(),
                respondent_name: respondent_guid
                    .as_ref()
                    .and_then(|r| respondents.get(r).cloned()),
                respondent_guid,
                coder_name: coders.get(&coding.created_by).cloned().unwrap_or_default(),
                memo: memos.get(&coding.guid).cloned().unwrap_or_default(),
                text,
                coding,
            });
        }
    }
    Ok(out)
}

/// The quotes of the codings of each group (one document's, in order), in the order of
/// `groups`. With a project file and no open transaction, half of the documents are read
/// on another core, on a read-only connection of its own (it sees the same committed
/// state).
fn quote_groups(conn: &Connection, groups: &[(i64, Vec<Coding>)]) -> StoreResult<Vec<Vec<String>>> {
    let Some(path) = super::reader::reader_path(conn).filter(|_| groups.len() >= 8) else {
        return quote_each(conn, groups.iter());
    };
    std::thread::scope(|s| {
        let other = s.spawn(|| {
            let own = super::reader::open_reader(&path)?;
            quote_each(&own, groups.iter().skip(1).step_by(2))
        });
        let mine = quote_each(conn, groups.iter().step_by(2))?;
        let theirs = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        let mut mine = mine.into_iter();
        let mut theirs = theirs.into_iter();
        Ok((0..groups.len())
            .filter_map(|i| {
                if i % 2 == 0 {
                    mine.next()
                } else {
                    theirs.next()
                }
            })
            .collect())
    })
}

/// The quotes of the codings of each group, read on `conn`. Each text is read as bytes and
/// walked once, a block at a time, to every excerpt's bounds; only the excerpts are
/// checked as UTF-8 (checking and walking whole interviews cost more than the query).
fn quote_each<'g>(
    conn: &Connection,
    groups: impl Iterator<Item = &'g (i64, Vec<Coding>)>,
) -> StoreResult<Vec<Vec<String>>> {
    let mut stmt = conn.prepare_cached("SELECT text FROM documents WHERE id = ?1")?;
    let mut out = Vec::new();
    for (doc_id, list) in groups {
        let ranges: Vec<(usize, usize)> = list.iter().map(|c| (c.start_char, c.end_char)).collect();
        out.push(stmt.query_row([doc_id], |r| {
            let bytes = match r.get_ref(0)? {
                rusqlite::types::ValueRef::Text(b) | rusqlite::types::ValueRef::Blob(b) => b,
                _ => &[],
            };
            Ok(crate::model::text::slices(bytes, &ranges)
                .into_iter()
                .map(|quote| quote.unwrap_or("").to_string())
                .collect::<Vec<String>>())
        })?);
    }
    Ok(out)
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

/// Row id → GUID of every row of `table` (`documents`, `codes` or `coders`), tombstoned
/// rows included.
pub fn id_guids(conn: &Connection, table: IdTable) -> StoreResult<HashMap<i64, String>> {
    let sql = match table {
        IdTable::Documents => "SELECT id, guid FROM documents",
        IdTable::Codes => "SELECT id, guid FROM codes",
        IdTable::Coders => "SELECT id, guid FROM coders",
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The tables [`id_guids`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdTable {
    /// `documents`.
    Documents,
    /// `codes`.
    Codes,
    /// `coders`.
    Coders,
}

/// Number of live codings of each live document (document GUID → count), optionally of
/// one coder only.
pub fn counts_by_document(
    conn: &Connection,
    coder_guid: Option<&str>,
) -> StoreResult<HashMap<String, usize>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.guid, count(*) FROM codings g JOIN documents d ON d.id = g.document_id
         JOIN codes c ON c.id = g.code_id JOIN coders k ON k.id = g.created_by
         WHERE g.deleted = 0 AND c.deleted = 0 AND d.deleted = 0 AND (?1 IS NULL OR k.guid = ?1)
         GROUP BY d.guid",
    )?;
    let rows = stmt.query_map([coder_guid], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Number of live codings of each code (code GUID → count) on live documents, optionally
/// of one coder only (`coder_guid`); not rolled up to parent codes, tombstoned codes
/// included.
pub fn counts_by_code(
    conn: &Connection,
    coder_guid: Option<&str>,
) -> StoreResult<HashMap<String, usize>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.guid, count(*) FROM codings g JOIN codes c ON c.id = g.code_id
         JOIN documents d ON d.id = g.document_id JOIN coders k ON k.id = g.created_by
         WHERE g.deleted = 0 AND d.deleted = 0 AND (?1 IS NULL OR k.guid = ?1) GROUP BY c.guid",
    )?;
    let rows = stmt.query_map([coder_guid], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The live codings of one coder with one code on one document (all named by GUID), as
/// (coding GUID, start char inclusive, end char exclusive), by start, end, then GUID.
pub fn ranges_of(
    conn: &Connection,
    document_guid: &str,
    code_guid: &str,
    coder_guid: &str,
) -> StoreResult<Vec<(String, usize, usize)>> {
    let mut stmt = conn.prepare(
        "SELECT g.guid, g.start_char, g.end_char FROM codings g JOIN documents d ON d.id = g.document_id
         JOIN codes c ON c.id = g.code_id JOIN coders k ON k.id = g.created_by
         WHERE d.guid = ?1 AND c.guid = ?2 AND k.guid = ?3 AND g.deleted = 0 ORDER BY g.start_char, g.end_char, g.guid",
    )?;
    let rows = stmt.query_map(params![document_guid, code_guid, coder_guid], |r| {
        Ok((
            r.get::<_, String>(0)?,
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
pub fn codes_by_document(conn: &Connection) -> StoreResult<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.guid, c.guid, min(g.start_char) AS first FROM codings g JOIN documents d ON d.id = g.document_id
         JOIN codes c ON c.id = g.code_id
         WHERE g.deleted = 0 AND c.deleted = 0 AND d.deleted = 0
         GROUP BY d.id, c.id ORDER BY d.id, first",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Whether the coding with this GUID is deleted (`Some(true)`), live (`Some(false)`), or
/// not in the project at all (`None`).
pub fn deleted_state(conn: &Connection, guid: &str) -> StoreResult<Option<bool>> {
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
    code_guid: &str,
    coder_id: i64,
) -> StoreResult<std::collections::HashSet<(String, usize, usize)>> {
    let mut stmt = conn.prepare(
        "SELECT d.guid, g.start_char, g.end_char FROM codings g JOIN documents d ON d.id = g.document_id
         JOIN codes c ON c.id = g.code_id WHERE c.guid = ?1 AND g.created_by = ?2 AND g.deleted = 0",
    )?;
    let rows = stmt.query_map(params![code_guid, coder_id], |r| {
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
    code_guid: &str,
    ranges: &[(String, usize, usize)],
) -> StoreResult<Vec<String>> {
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
    let mut docs: HashMap<String, (i64, usize)> = HashMap::new();
    let mut made = Vec::new();
    for (guid, start, end) in ranges {
        if !existing.insert((guid.clone(), *start, *end)) {
            continue;
        }
        if !docs.contains_key(guid) {
            let (id, len, deleted): (i64, i64, bool) = doc
                .query_row([guid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?
                .ok_or_else(|| StoreError::not_found(Thing::Document, guid.clone()))?;
            if deleted {
                let name =
                    super::documents::get(tx.conn, guid).map_or_else(|_| guid.clone(), |d| d.name);
                return Err(Rule::DocumentDeleted { name }.into());
            }
            docs.insert(guid.clone(), (id, to_usize(len)));
        }
        let (doc_id, len) = docs[guid];
        check_range(*start, *end, len)?;
        let new = crate::model::new_guid();
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
