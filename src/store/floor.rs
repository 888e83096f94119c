//! The benchmark's floor: the rows of an import written with plain prepared INSERTs, in one
//! transaction, with no checks, no triggers, no lookups — what SQLite alone costs, which
//! `fouille bench` compares the real import to. Also the scripted edits the benchmark makes
//! to stand for a second coder's work.

use rusqlite::{Connection, params};
use std::collections::HashMap;
use std::path::Path;

use super::{Project, StoreResult, Tx, documents};
use crate::model::text::fold_for_search;
use crate::model::{CodeId, CodeKind, CodingId, DocumentId, RespondentId};

/// A code at the top of the codebook.
#[derive(Debug, Clone, Copy)]
pub struct FloorCode<'a> {
    /// GUID.
    pub guid: &'a CodeId,
    /// Name, unique among the top-level codes (not checked here).
    pub name: &'a str,
    /// Kind, stored as given: the floor checks no tree rule.
    pub kind: CodeKind,
}

/// A respondent with one text value per attribute, in the attributes' order.
#[derive(Debug, Clone, Copy)]
pub struct FloorRespondent<'a> {
    /// GUID.
    pub guid: &'a RespondentId,
    /// Real name, stored as given.
    pub name: &'a str,
    /// Values, one per attribute.
    pub values: &'a [String],
}

/// A document (a transcript) of a respondent.
#[derive(Debug, Clone, Copy)]
pub struct FloorDocument<'a> {
    /// GUID.
    pub guid: &'a DocumentId,
    /// Display name, stored as given.
    pub name: &'a str,
    /// Text, already normalised.
    pub text: &'a str,
    /// Its length in chars.
    pub char_len: usize,
    /// Index of its respondent in [`FloorRows::respondents`].
    pub respondent: usize,
}

/// A coding by the first coder.
#[derive(Debug, Clone, Copy)]
pub struct FloorCoding<'a> {
    /// GUID.
    pub guid: &'a CodingId,
    /// Index of its document in [`FloorRows::documents`].
    pub document: usize,
    /// GUID of its code.
    pub code: &'a CodeId,
    /// First char of the excerpt, inclusive (chars into the text).
    pub start_char: usize,
    /// Char after the last.
    pub end_char: usize,
}

/// Everything the floor writes.
#[derive(Debug, Clone, Default)]
pub struct FloorRows<'a> {
    /// Coder names; codings are all by the first (row id 1).
    pub coders: Vec<&'a str>,
    /// Codes, all at the top of the codebook.
    pub codes: Vec<FloorCode<'a>>,
    /// Attribute names (respondent attributes of type text).
    pub attributes: Vec<&'a str>,
    /// Respondents, with one value per attribute in `attributes` order.
    pub respondents: Vec<FloorRespondent<'a>>,
    /// Documents, each naming its respondent by index.
    pub documents: Vec<FloorDocument<'a>>,
    /// Codings, naming their document by index and their code by GUID.
    pub codings: Vec<FloorCoding<'a>>,
}

/// Writes `rows` into a new project file at `path` (the schema made by a real project),
/// with the project's own SQLite settings so that the floor gets the same page cache.
pub fn raw_insert(path: &Path, rows: &FloorRows) -> StoreResult<()> {
    drop(Project::create(
        path,
        "Plancher",
        rows.coders.first().copied(),
    )?);
    let mut conn = Connection::open(path)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -32000;",
    )?;
    let tx = conn.transaction()?;
    let now = crate::model::now_ms();
    insert_codebook_and_people(&tx, rows, now)?;
    let respondent_ids: Vec<i64> = {
        let mut stmt = tx.prepare("SELECT id FROM respondents ORDER BY id")?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?
    };
    let document_ids = insert_documents(&tx, rows, &respondent_ids, now)?;
    insert_codings(&tx, rows, &document_ids, now)?;
    tx.commit()?;
    Ok(())
}

fn insert_codebook_and_people(conn: &Connection, rows: &FloorRows, now: i64) -> StoreResult<()> {
    let mut code = conn.prepare("INSERT INTO codes (guid, parent_id, name, kind, color, created_at, modified_at) VALUES (?1, NULL, ?2, ?3, '#888888', ?4, ?4)")?;
    for c in &rows.codes {
        code.execute(params![c.guid, c.name, c.kind.as_str(), now])?;
    }
    let mut coder =
        conn.prepare("INSERT OR IGNORE INTO coders (guid, name, created_at) VALUES (?1, ?2, ?3)")?;
    for (i, c) in rows.coders.iter().enumerate() {
        coder.execute(params![format!("00000000-0000-4000-8000-{i:012}"), c, now])?;
    }
    let mut attr = conn.prepare("INSERT INTO attributes (guid, name, value_type, scope, created_at, modified_at) VALUES (?1, ?2, 'text', 'respondent', ?3, ?3)")?;
    let mut attr_ids = Vec::new();
    for (i, name) in rows.attributes.iter().enumerate() {
        attr.execute(params![
            format!("00000000-0000-4000-9000-{i:012}"),
            name,
            now
        ])?;
        attr_ids.push(conn.last_insert_rowid());
    }
    let mut resp = conn.prepare("INSERT INTO respondents (guid, name, consent, created_at, modified_at) VALUES (?1, ?2, 'given', ?3, ?3)")?;
    let mut value = conn.prepare("INSERT INTO attribute_values (attribute_id, owner_id, value, modified_at) VALUES (?1, ?2, ?3, ?4)")?;
    for r in &rows.respondents {
        resp.execute(params![r.guid, r.name, now])?;
        let id = conn.last_insert_rowid();
        for (a, v) in attr_ids.iter().zip(r.values) {
            value.execute(params![a, id, v, now])?;
        }
    }
    Ok(())
}

fn insert_documents(
    conn: &Connection,
    rows: &FloorRows,
    respondent_ids: &[i64],
    now: i64,
) -> StoreResult<Vec<i64>> {
    let mut doc = conn.prepare(
        "INSERT INTO documents (guid, name, kind, text, char_len, content_hash, origin, respondent_id, created_at, modified_at)
         VALUES (?1, ?2, 'transcript', ?3, ?4, ?5, 'bench', ?6, ?7, ?7)",
    )?;
    let mut fts = conn.prepare("INSERT INTO doc_fts (rowid, text) VALUES (?1, ?2)")?;
    let mut ids = Vec::with_capacity(rows.documents.len());
    for d in &rows.documents {
        doc.execute(params![
            d.guid,
            d.name,
            d.text,
            d.char_len as i64,
            documents::content_hash(d.text),
            respondent_ids.get(d.respondent),
            now
        ])?;
        let id = conn.last_insert_rowid();
        fts.execute(params![id, fold_for_search(d.text)])?;
        ids.push(id);
    }
    Ok(ids)
}

fn insert_codings(
    conn: &Connection,
    rows: &FloorRows,
    document_ids: &[i64],
    now: i64,
) -> StoreResult<()> {
    let code_id: HashMap<CodeId, i64> = {
        let mut stmt = conn.prepare("SELECT guid, id FROM codes")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?
    };
    let mut coding = conn.prepare(
        "INSERT INTO codings (guid, document_id, code_id, start_char, end_char, created_by, created_at, modified_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?6)",
    )?;
    for c in &rows.codings {
        coding.execute(params![
            c.guid,
            document_ids[c.document],
            code_id.get(c.code),
            c.start_char as i64,
            c.end_char as i64,
            now
        ])?;
    }
    Ok(())
}

/// Stands for a second coder's work on a copy: every 20th coding removed, every 30th theme
/// renamed, one millisecond after the action's time (so they are the newer versions).
pub fn second_coders_edits(tx: &Tx) -> StoreResult<()> {
    tx.conn.execute(
        "UPDATE codings SET deleted = 1, modified_at = ?1 WHERE id % 20 = 0",
        [tx.now_ms + 1],
    )?;
    tx.conn.execute(
        "UPDATE codes SET name = name || ' (revu)', modified_at = ?1 WHERE kind = 'theme' AND id % 30 = 0",
        [tx.now_ms + 1],
    )?;
    Ok(())
}
