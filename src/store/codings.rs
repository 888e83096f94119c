//! Codings: excerpts of documents tagged with codes, and their retrieval.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

use super::{StoreError, StoreResult, Tx, to_usize};
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
pub fn apply(tx: &Tx, document_guid: &str, code_guid: &str, start_char: usize, end_char: usize) -> StoreResult<String> {
    apply_with_guid(tx, document_guid, code_guid, start_char, end_char, None)
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
    let (doc_id, len, doc_deleted): (i64, i64, bool) = tx
        .conn
        .query_row("SELECT id, char_len, deleted FROM documents WHERE guid = ?1", [document_guid], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("document {document_guid}")))?;
    if doc_deleted {
        return Err(StoreError::Invalid("this document was deleted".into()));
    }
    if start_char >= end_char || end_char > to_usize(len) {
        return Err(StoreError::Invalid(format!(
            "excerpt {start_char}..{end_char} is empty or outside the document (0..{len})"
        )));
    }
    let code = super::codes::get(tx.conn, code_guid)?;
    if !code.kind.is_codable() {
        return Err(StoreError::Invalid(format!("« {} » is a folder and cannot be used to code", code.name)));
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
    let guid = guid.map(str::to_string).unwrap_or_else(crate::model::new_guid);
    tx.conn.execute(
        "INSERT INTO codings (guid, document_id, code_id, start_char, end_char, created_by, created_at, modified_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![guid, doc_id, code_id, start_char as i64, end_char as i64, tx.coder_id, tx.now_ms],
    )?;
    Ok(guid)
}

/// A coding by GUID (live or not).
pub fn get(conn: &Connection, guid: &str) -> StoreResult<Coding> {
    conn.query_row(&format!("SELECT {COLUMNS} {FROM} WHERE g.guid = ?1"), [guid], from_row)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("coding {guid}")))
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
        return Err(StoreError::NotFound(format!("coding {guid}")));
    }
    Ok(())
}

/// Changes the code of a coding.
pub fn change_code(tx: &Tx, guid: &str, code_guid: &str) -> StoreResult<()> {
    let code = super::codes::get(tx.conn, code_guid)?;
    if !code.kind.is_codable() {
        return Err(StoreError::Invalid(format!("« {} » is a folder and cannot be used to code", code.name)));
    }
    let code_id = super::codes::id_of(tx.conn, code_guid)?;
    let n = tx.conn.execute(
        "UPDATE codings SET code_id = ?1, modified_at = ?2 WHERE guid = ?3 AND deleted = 0",
        params![code_id, tx.now_ms, guid],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("coding {guid}")));
    }
    Ok(())
}

/// Moves a coding's range.
pub fn set_range(tx: &Tx, guid: &str, start_char: usize, end_char: usize) -> StoreResult<()> {
    let coding = get(tx.conn, guid)?;
    let len = super::documents::get(tx.conn, &coding.document_guid)?.char_len;
    if start_char >= end_char || end_char > len {
        return Err(StoreError::Invalid(format!("excerpt {start_char}..{end_char} is outside the document (0..{len})")));
    }
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
    let code_set: Option<HashSet<String>> = (!filter.codes.is_empty()).then(|| {
        filter.codes.iter().flat_map(|g| super::codes::with_descendants(&codes, g)).collect()
    });
    let coders: HashMap<String, String> =
        super::coders::list(conn)?.into_iter().map(|c| (c.guid, c.name)).collect();
    let docs = super::documents::list(conn)?;
    let respondents: HashMap<String, String> =
        super::respondents::list(conn)?.into_iter().map(|r| (r.guid, r.name)).collect();
    let resp_values = super::attributes::values(conn, AttributeScope::Respondent)?;
    let doc_values = super::attributes::values(conn, AttributeScope::Document)?;
    let empty = BTreeMap::new();
    let doc_ok: HashMap<&str, bool> = docs
        .iter()
        .map(|d| {
            let rv = d.respondent_guid.as_ref().and_then(|r| resp_values.get(r)).unwrap_or(&empty);
            let dv = doc_values.get(&d.guid).unwrap_or(&empty);
            let attrs_ok = filter.attributes.iter().all(|(k, v)| {
                let matches = |m: &BTreeMap<String, String>| {
                    m.iter().any(|(name, value)| name.eq_ignore_ascii_case(k) && value.eq_ignore_ascii_case(v))
                };
                matches(rv) || matches(dv)
            });
            let resp_ok = filter.respondents.is_empty()
                || d.respondent_guid.as_ref().is_some_and(|r| filter.respondents.contains(r));
            let doc_ok = filter.documents.is_empty() || filter.documents.contains(&d.guid);
            (d.guid.as_str(), attrs_ok && resp_ok && doc_ok)
        })
        .collect();
    let memos = super::memos::coding_memo_texts(conn)?;
    let mut out = Vec::new();
    // The current document's text and the byte offset of each of its chars (plus the end),
    // so each excerpt is sliced in O(1) instead of counting chars from the start.
    let mut current_text: Option<(String, String, Vec<usize>)> = None;
    for coding in list(conn)? {
        if !doc_ok.get(coding.document_guid.as_str()).copied().unwrap_or(false) {
            continue;
        }
        if code_set.as_ref().is_some_and(|s| !s.contains(&coding.code_guid)) {
            continue;
        }
        if !filter.coders.is_empty() && !filter.coders.contains(&coding.created_by) {
            continue;
        }
        if current_text.as_ref().is_none_or(|(g, _, _)| *g != coding.document_guid) {
            let text = super::documents::text(conn, &coding.document_guid)?;
            let mut bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
            bytes.push(text.len());
            current_text = Some((coding.document_guid.clone(), text, bytes));
        }
        let text = current_text
            .as_ref()
            .and_then(|(_, t, bytes)| {
                let (start, end) = (*bytes.get(coding.start_char)?, *bytes.get(coding.end_char)?);
                (start <= end).then(|| &t[start..end])
            })
            .unwrap_or("")
            .to_string();
        let doc = docs.iter().find(|d| d.guid == coding.document_guid);
        let respondent_guid = doc.and_then(|d| d.respondent_guid.clone());
        out.push(Excerpt {
            code_path: paths.get(&coding.code_guid).cloned().unwrap_or_default(),
            document_name: doc.map(|d| d.name.clone()).unwrap_or_default(),
            respondent_name: respondent_guid.as_ref().and_then(|r| respondents.get(r).cloned()),
            respondent_guid,
            coder_name: coders.get(&coding.created_by).cloned().unwrap_or_default(),
            memo: memos.get(&coding.guid).cloned().unwrap_or_default(),
            text,
            coding,
        });
    }
    Ok(out)
}

/// Number of live codings of each live document (document GUID → count), optionally of
/// one coder only.
pub fn counts_by_document(conn: &Connection, coder_guid: Option<&str>) -> StoreResult<HashMap<String, usize>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.guid, count(*) FROM codings g JOIN documents d ON d.id = g.document_id
         JOIN codes c ON c.id = g.code_id JOIN coders k ON k.id = g.created_by
         WHERE g.deleted = 0 AND c.deleted = 0 AND d.deleted = 0 AND (?1 IS NULL OR k.guid = ?1)
         GROUP BY d.guid",
    )?;
    let rows = stmt.query_map([coder_guid], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize)))?;
    Ok(rows.collect::<Result<_, _>>()?)
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
