//! Documents: the texts of the corpus.

use crate::model::text::clean_name;
use rusqlite::{Connection, OptionalExtension, Row, params};
use sha2::{Digest, Sha256};

use super::{Named, Rule, StoreError, StoreResult, Thing, Tx, to_usize};
use crate::model::{DocumentId, DocumentInfo, DocumentKind, RespondentId, text::normalize_text};

/// A document to insert.
#[derive(Debug, Clone)]
pub struct NewDocument {
    /// GUID to keep (imports of foreign projects); a new one when `None`.
    pub guid: Option<DocumentId>,
    /// Display name, cleaned; refused when empty. Need not be unique.
    pub name: String,
    /// Interview, transcript, survey answer or note: how lists and reports show it.
    pub kind: DocumentKind,
    /// Text (normalised again here).
    pub text: String,
    /// Where it came from.
    pub origin: String,
    /// Path of the recording to play beside the text, as the user gave it; not checked here.
    pub media_path: Option<String>,
    /// Respondent GUID to link.
    pub respondent_guid: Option<RespondentId>,
}

/// SHA-256 of a text, hex.
pub fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

const COLUMNS: &str = "d.guid, d.name, d.kind, d.content_hash, d.char_len, d.media_path, d.origin, r.guid, d.created_at, d.modified_at";
const FROM: &str = "FROM documents d LEFT JOIN respondents r ON r.id = d.respondent_id";

fn from_row(r: &Row) -> rusqlite::Result<DocumentInfo> {
    let kind: String = r.get(2)?;
    Ok(DocumentInfo {
        guid: r.get(0)?,
        name: r.get(1)?,
        kind: DocumentKind::parse(&kind).unwrap_or(DocumentKind::Note),
        content_hash: r.get(3)?,
        char_len: to_usize(r.get(4)?),
        media_path: r.get(5)?,
        origin: r.get(6)?,
        respondent_guid: r.get(7)?,
        created_at: r.get(8)?,
        modified_at: r.get(9)?,
    })
}

/// Inserts a document; returns its GUID.
pub fn insert(tx: &Tx, doc: NewDocument) -> StoreResult<DocumentId> {
    let text = normalize_text(&doc.text);
    let guid = doc.guid.unwrap_or_else(DocumentId::generate);
    let respondent_id = match &doc.respondent_guid {
        Some(g) => Some(super::respondents::id_of(tx.conn, g)?),
        None => None,
    };
    let order: i64 = tx.conn.query_row(
        "SELECT coalesce(max(sort_order), 0) + 1 FROM documents",
        [],
        |r| r.get(0),
    )?;
    tx.conn.execute(
        "INSERT INTO documents (guid, name, kind, text, char_len, content_hash, media_path, origin,
            respondent_id, sort_order, created_by, created_at, modified_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
        params![
            guid,
            clean_name(&doc.name),
            doc.kind.as_str(),
            text,
            text.chars().count() as i64,
            content_hash(&text),
            doc.media_path,
            doc.origin,
            respondent_id,
            order,
            tx.coder_id,
            tx.now_ms
        ],
    )?;
    Ok(guid)
}

/// Every live document, in corpus order.
pub fn list(conn: &Connection) -> StoreResult<Vec<DocumentInfo>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} {FROM} WHERE d.deleted = 0 ORDER BY d.sort_order, d.name"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A document by GUID (live or not).
pub fn get(conn: &Connection, guid: &DocumentId) -> StoreResult<DocumentInfo> {
    conn.query_row(
        &format!("SELECT {COLUMNS} {FROM} WHERE d.guid = ?1"),
        [guid],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::not_found(Thing::Document, guid))
}

/// Finds a live document by GUID, exact name, or (if unique) case-insensitive name.
pub fn find(conn: &Connection, name_or_guid: &str) -> StoreResult<DocumentInfo> {
    let key = name_or_guid.trim();
    let docs = list(conn)?;
    if let Some(d) = docs
        .iter()
        .find(|d| d.guid.as_str() == key.to_lowercase() || d.name == key)
    {
        return Ok(d.clone());
    }
    let lower = key.to_lowercase();
    let matches: Vec<_> = docs
        .iter()
        .filter(|d| d.name.to_lowercase() == lower)
        .collect();
    match matches.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(StoreError::not_found(Thing::Document, key)),
        _ => Err(Rule::AmbiguousDocument {
            name: key.to_string(),
        }
        .into()),
    }
}

/// A live document with this content hash, if any.
pub fn find_by_hash(conn: &Connection, hash: &str) -> StoreResult<Option<DocumentInfo>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} {FROM} WHERE d.content_hash = ?1 AND d.deleted = 0 LIMIT 1"),
            [hash],
            from_row,
        )
        .optional()?)
}

/// Whether a survey file with this content hash was imported already: recorded in the
/// project's settings since schema 3, found by the answers' origin for older imports.
pub fn survey_file_imported(conn: &Connection, file_hash: &str) -> StoreResult<bool> {
    let settings: String = conn.query_row("SELECT settings FROM project", [], |r| r.get(0))?;
    let settings: serde_json::Value = serde_json::from_str(&settings).unwrap_or_default();
    if let Some(list) = settings.get(SURVEY_FILES).and_then(|v| v.as_array())
        && list.iter().any(|h| h.as_str() == Some(file_hash))
    {
        return Ok(true);
    }
    let prefix = format!("survey:{file_hash}:");
    let found: Option<i64> = conn
        .query_row(
            "SELECT 1 FROM documents WHERE deleted = 0 AND kind = 'survey_answer' AND substr(origin, 1, ?1) = ?2 LIMIT 1",
            params![prefix.len() as i64, prefix],
            |r| r.get(0),
        )
        .optional()?;
    Ok(found.is_some())
}

/// Records a survey file's content hash as imported (inside the import's transaction, so
/// undoing the import forgets it).
pub fn remember_survey_file(tx: &Tx, file_hash: &str) -> StoreResult<()> {
    let settings: String = tx
        .conn
        .query_row("SELECT settings FROM project", [], |r| r.get(0))?;
    let mut settings: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&settings).unwrap_or_default();
    let list = settings
        .entry(SURVEY_FILES)
        .or_insert_with(|| serde_json::Value::Array(Vec::new()));
    if let Some(list) = list.as_array_mut() {
        list.push(serde_json::Value::String(file_hash.to_string()));
    }
    tx.conn.execute(
        "UPDATE project SET settings = ?1",
        [serde_json::Value::Object(settings).to_string()],
    )?;
    Ok(())
}

/// Project setting listing the content hashes of the survey files imported.
const SURVEY_FILES: &str = "survey_files";

/// The text of a document.
pub fn text(conn: &Connection, guid: &DocumentId) -> StoreResult<String> {
    conn.query_row("SELECT text FROM documents WHERE guid = ?1", [guid], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or_else(|| StoreError::not_found(Thing::Document, guid))
}

/// The text whose content hash is `hash`, held by any document of the project (live or
/// not), or `None`. A text found by its hash is the right one whatever became of the row
/// it was first read from.
pub fn text_by_hash(conn: &Connection, hash: &str) -> StoreResult<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT text FROM documents WHERE content_hash = ?1 LIMIT 1",
            [hash],
            |r| r.get(0),
        )
        .optional()?)
}

/// Row id of a document GUID.
pub fn id_of(conn: &Connection, guid: &DocumentId) -> StoreResult<i64> {
    conn.query_row("SELECT id FROM documents WHERE guid = ?1", [guid], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or_else(|| StoreError::not_found(Thing::Document, guid))
}

fn touch(tx: &Tx, guid: &DocumentId, set: &str, value: &dyn rusqlite::ToSql) -> StoreResult<()> {
    let n = tx.conn.execute(
        &format!("UPDATE documents SET {set} = ?1, modified_at = ?2 WHERE guid = ?3"),
        params![value, tx.now_ms, guid],
    )?;
    if n == 0 {
        return Err(StoreError::not_found(Thing::Document, guid));
    }
    Ok(())
}

/// Renames a document (the name is cleaned; an empty one is refused).
pub fn rename(tx: &Tx, guid: &DocumentId, name: &str) -> StoreResult<()> {
    if name.trim().is_empty() {
        return Err(Rule::EmptyName(Named::Document).into());
    }
    touch(tx, guid, "name", &clean_name(name).as_ref())
}

/// Links a document to a respondent (or unlinks it).
pub fn set_respondent(
    tx: &Tx,
    guid: &DocumentId,
    respondent_guid: Option<&RespondentId>,
) -> StoreResult<()> {
    let id = match respondent_guid {
        Some(g) => Some(super::respondents::id_of(tx.conn, g)?),
        None => None,
    };
    touch(tx, guid, "respondent_id", &id)
}

/// Attaches a media file to a document (or detaches it).
pub fn set_media(tx: &Tx, guid: &DocumentId, media_path: Option<&str>) -> StoreResult<()> {
    touch(tx, guid, "media_path", &media_path)
}

/// The project setting holding a document's speaker labels (a JSON array of names, the
/// labels Ctrl+1…8 type in the transcript editor). Settings, rather than a column, because
/// the labels are a typing aid: they are not merged between coders.
pub fn speakers_key(guid: &DocumentId) -> String {
    format!("speakers:{guid}")
}

/// Sets a document's speaker labels within an action (an import that names its speakers).
pub fn set_speakers(tx: &Tx, guid: &DocumentId, speakers: &[String]) -> StoreResult<()> {
    let text: String = tx
        .conn
        .query_row("SELECT settings FROM project", [], |r| r.get(0))?;
    let mut settings: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).unwrap_or_default();
    settings.insert(speakers_key(guid), serde_json::json!(speakers));
    tx.conn.execute(
        "UPDATE project SET settings = ?1",
        [serde_json::Value::Object(settings).to_string()],
    )?;
    Ok(())
}

/// Replaces a document's text as is (callers rebase codings first: see `set_text` users).
pub fn replace_text(tx: &Tx, guid: &DocumentId, text: &str) -> StoreResult<()> {
    let text = normalize_text(text);
    let n = tx.conn.execute(
        "UPDATE documents SET text = ?1, char_len = ?2, content_hash = ?3, modified_at = ?4 WHERE guid = ?5",
        params![text, text.chars().count() as i64, content_hash(&text), tx.now_ms, guid],
    )?;
    if n == 0 {
        return Err(StoreError::not_found(Thing::Document, guid));
    }
    Ok(())
}

/// Deletes a document (a tombstone) and its codings.
pub fn delete(tx: &Tx, guid: &DocumentId) -> StoreResult<()> {
    let id = id_of(tx.conn, guid)?;
    tx.conn.execute(
        "UPDATE codings SET deleted = 1, modified_at = ?1 WHERE document_id = ?2 AND deleted = 0",
        params![tx.now_ms, id],
    )?;
    tx.conn.execute(
        "UPDATE documents SET deleted = 1, modified_at = ?1 WHERE id = ?2",
        params![tx.now_ms, id],
    )?;
    Ok(())
}
