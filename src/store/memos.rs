//! Memos on the project, documents, respondents, codes and codings.

use rusqlite::{Connection, OptionalExtension, Row, params};
use std::collections::HashMap;

use super::{StoreError, StoreResult, Thing, Tx};
use crate::model::{CoderId, CodingId, Memo, MemoId, MemoTarget};

const COLUMNS: &str =
    "m.guid, m.target_kind, m.target_guid, m.text, k.guid, m.created_at, m.modified_at";
const FROM: &str = "FROM memos m LEFT JOIN coders k ON k.id = m.created_by";

fn from_row(r: &Row) -> rusqlite::Result<Memo> {
    let kind: String = r.get(1)?;
    let target: String = r.get(2)?;
    Ok(Memo {
        guid: r.get(0)?,
        target: MemoTarget::from_parts(&kind, &target).unwrap_or(MemoTarget::Project),
        text: r.get(3)?,
        created_by: r.get::<_, Option<CoderId>>(4)?.unwrap_or_default(),
        created_at: r.get(5)?,
        modified_at: r.get(6)?,
    })
}

/// Adds a memo; returns its GUID.
pub fn add(tx: &Tx, target: &MemoTarget, text: &str, guid: Option<&MemoId>) -> StoreResult<MemoId> {
    let guid = guid.cloned().unwrap_or_else(MemoId::generate);
    tx.conn.execute(
        "INSERT INTO memos (guid, target_kind, target_guid, text, created_by, created_at, modified_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![guid, target.kind_str(), target.guid(), text, tx.coder_id, tx.now_ms],
    )?;
    Ok(guid)
}

/// Sets the acting coder's memo on a target: updates it if it exists, creates it if not,
/// deletes it when `text` is blank. Returns the memo's GUID, if one remains.
pub fn set(tx: &Tx, target: &MemoTarget, text: &str) -> StoreResult<Option<MemoId>> {
    let existing: Option<MemoId> = tx
        .conn
        .query_row(
            "SELECT guid FROM memos WHERE target_kind = ?1 AND target_guid = ?2 AND created_by = ?3 AND deleted = 0
             ORDER BY created_at LIMIT 1",
            params![target.kind_str(), target.guid(), tx.coder_id],
            |r| r.get(0),
        )
        .optional()?;
    match (existing, text.trim().is_empty()) {
        (Some(g), true) => {
            delete(tx, &g)?;
            Ok(None)
        }
        (Some(g), false) => {
            update(tx, &g, text)?;
            Ok(Some(g))
        }
        (None, true) => Ok(None),
        (None, false) => add(tx, target, text, None).map(Some),
    }
}

/// Changes a memo's text.
pub fn update(tx: &Tx, guid: &MemoId, text: &str) -> StoreResult<()> {
    let n = tx.conn.execute(
        "UPDATE memos SET text = ?1, modified_at = ?2 WHERE guid = ?3 AND text IS NOT ?1",
        params![text, tx.now_ms, guid],
    )?;
    if n == 0 && get(tx.conn, guid).is_err() {
        return Err(StoreError::not_found(Thing::Memo, guid));
    }
    Ok(())
}

/// Deletes a memo (a tombstone).
pub fn delete(tx: &Tx, guid: &MemoId) -> StoreResult<()> {
    tx.conn.execute(
        "UPDATE memos SET deleted = 1, modified_at = ?1 WHERE guid = ?2",
        params![tx.now_ms, guid],
    )?;
    Ok(())
}

/// A memo by GUID.
pub fn get(conn: &Connection, guid: &MemoId) -> StoreResult<Memo> {
    conn.query_row(
        &format!("SELECT {COLUMNS} {FROM} WHERE m.guid = ?1"),
        [guid],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::not_found(Thing::Memo, guid))
}

/// Every live memo, oldest first.
pub fn list(conn: &Connection) -> StoreResult<Vec<Memo>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} {FROM} WHERE m.deleted = 0 ORDER BY m.created_at"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Live memos of one target.
pub fn for_target(conn: &Connection, target: &MemoTarget) -> StoreResult<Vec<Memo>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} {FROM} WHERE m.deleted = 0 AND m.target_kind = ?1 AND m.target_guid = ?2 ORDER BY m.created_at"
    ))?;
    let rows = stmt.query_map(params![target.kind_str(), target.guid()], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Text of the memos of every coding, joined by blank lines: coding GUID → text.
pub fn coding_memo_texts(conn: &Connection) -> StoreResult<HashMap<CodingId, String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT target_guid, text FROM memos WHERE deleted = 0 AND target_kind = 'coding' ORDER BY created_at",
    )?;
    let mut out: HashMap<CodingId, String> = HashMap::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let entry = out.entry(r.get(0)?).or_default();
        if !entry.is_empty() {
            entry.push_str("\n\n");
        }
        entry.push_str(&r.get::<_, String>(1)?);
    }
    Ok(out)
}
