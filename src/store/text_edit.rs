//! Changing a coded document's text without losing its codings.
//!
//! [`set_text_with_rebase`] aligns the old and the new text ([`crate::model::rebase`]),
//! moves every live coding of the document through that alignment, tombstones the codings
//! whose whole text is gone, then replaces the text. Called inside
//! [`super::Project::action`], all of it is one undo step. Memos follow their codings by
//! GUID: a memo on a removed coding stays attached to the tombstoned coding (and comes back
//! with it on undo); the report counts them so the user can be told.

use rusqlite::params;
use serde::Serialize;

use super::{StoreResult, Tx, to_usize};
use crate::model::rebase::{AnchorFate, Rebaser};
use crate::model::text::{normalize_text, slice_chars};
use crate::model::{CodeId, CodingId, DocumentId};

/// What happened to one coding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RebasedCoding {
    /// Coding GUID.
    pub guid: CodingId,
    /// Its code's GUID.
    pub code_guid: CodeId,
    /// Its code's path (`Parent/Child`).
    pub code_path: String,
    /// Old range (chars).
    pub old_start: usize,
    /// Old end (exclusive).
    pub old_end: usize,
    /// The coded text before the edit.
    pub old_text: String,
    /// New range, unless removed.
    pub new_range: Option<(usize, usize)>,
    /// The coded text after the edit, unless removed.
    pub new_text: Option<String>,
    /// Live memos on this coding.
    pub memos: usize,
}

/// The outcome of a text change, coding by coding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RebaseReport {
    /// The document whose text changed.
    pub document_guid: DocumentId,
    /// Whether the text changed at all.
    pub text_changed: bool,
    /// Length of the old text (chars).
    pub old_len: usize,
    /// Length of the new text (chars).
    pub new_len: usize,
    /// Chars deleted, as the alignment counts them.
    pub chars_deleted: usize,
    /// Chars inserted, as the alignment counts them.
    pub chars_inserted: usize,
    /// Same chars, same place.
    pub kept: Vec<RebasedCoding>,
    /// Same chars, moved (text was inserted or deleted before them).
    pub shifted: Vec<RebasedCoding>,
    /// Touched by the edit: stretched or shrunk.
    pub adjusted: Vec<RebasedCoding>,
    /// Their whole text was deleted: tombstoned.
    pub removed: Vec<RebasedCoding>,
}

impl RebaseReport {
    /// Codings whose range changed or that were removed.
    pub fn changed_count(&self) -> usize {
        self.shifted.len() + self.adjusted.len() + self.removed.len()
    }
}

/// Replaces the text of a document with `new_text` (normalised here), carrying every live
/// coding through the edit: codings outside the edit keep their text exactly, codings the
/// edit touches stretch or shrink, codings whose whole text was deleted are tombstoned.
/// Every changed coding gets the action's `modified_at`. Call it inside
/// [`super::Project::action`] to make it one undo step.
pub fn set_text_with_rebase(
    tx: &Tx,
    document_guid: &DocumentId,
    new_text: &str,
) -> StoreResult<RebaseReport> {
    let doc = super::documents::get(tx.conn, document_guid)?;
    let deleted: bool = tx.conn.query_row(
        "SELECT deleted FROM documents WHERE guid = ?1",
        [document_guid],
        |r| r.get(0),
    )?;
    if deleted {
        return Err(super::Rule::DocumentDeleted { name: doc.name }.into());
    }
    let old_text = super::documents::text(tx.conn, document_guid)?;
    let new_text = normalize_text(new_text);
    let rows = live_codings(tx, document_guid)?;
    let mut report = RebaseReport {
        document_guid: document_guid.clone(),
        text_changed: old_text != new_text,
        old_len: old_text.chars().count(),
        new_len: new_text.chars().count(),
        chars_deleted: 0,
        chars_inserted: 0,
        kept: Vec::new(),
        shifted: Vec::new(),
        adjusted: Vec::new(),
        removed: Vec::new(),
    };
    let rebaser = Rebaser::new(&old_text, &new_text);
    (report.chars_deleted, report.chars_inserted) = rebaser.changed_chars();
    let codes = super::codes::list(tx.conn)?;
    let paths = super::codes::paths(&codes);
    let memo_counts = memo_counts(tx)?;
    for row in rows {
        let fate = if report.text_changed {
            rebaser.map(row.start, row.end)
        } else {
            AnchorFate::Unchanged {
                start: row.start,
                end: row.end,
            }
        };
        let range = fate.range();
        let entry = RebasedCoding {
            code_path: paths
                .get(&row.code_guid)
                .cloned()
                .unwrap_or_else(|| row.code_name.clone()),
            memos: memo_counts.get(&row.guid).copied().unwrap_or(0),
            old_text: slice_chars(&old_text, row.start, row.end)
                .unwrap_or("")
                .to_string(),
            new_text: range
                .and_then(|(s, e)| slice_chars(&new_text, s, e))
                .map(str::to_string),
            new_range: range,
            old_start: row.start,
            old_end: row.end,
            guid: row.guid,
            code_guid: row.code_guid,
        };
        match fate {
            AnchorFate::Unchanged { start, end } if (start, end) == (row.start, row.end) => {
                report.kept.push(entry)
            }
            AnchorFate::Unchanged { start, end } => {
                set_range(tx, &entry.guid, start, end)?;
                report.shifted.push(entry);
            }
            AnchorFate::Adjusted { start, end } => {
                set_range(tx, &entry.guid, start, end)?;
                report.adjusted.push(entry);
            }
            AnchorFate::Removed => {
                super::codings::remove(tx, &entry.guid)?;
                report.removed.push(entry);
            }
        }
    }
    if report.text_changed {
        super::documents::replace_text(tx, document_guid, &new_text)?;
    }
    Ok(report)
}

struct Row {
    guid: CodingId,
    code_guid: CodeId,
    code_name: String,
    start: usize,
    end: usize,
}

/// Every live coding of the document, whatever the state of its code (a deleted code can
/// come back with undo, and its codings must then still fit the text).
fn live_codings(tx: &Tx, document_guid: &DocumentId) -> StoreResult<Vec<Row>> {
    let mut stmt = tx.conn.prepare(
        "SELECT g.guid, c.guid, c.name, g.start_char, g.end_char FROM codings g
         JOIN documents d ON d.id = g.document_id JOIN codes c ON c.id = g.code_id
         WHERE d.guid = ?1 AND g.deleted = 0 ORDER BY g.start_char, g.end_char, g.guid",
    )?;
    let rows = stmt.query_map([document_guid], |r| {
        Ok(Row {
            guid: r.get(0)?,
            code_guid: r.get(1)?,
            code_name: r.get(2)?,
            start: to_usize(r.get(3)?),
            end: to_usize(r.get(4)?),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn memo_counts(tx: &Tx) -> StoreResult<std::collections::HashMap<CodingId, usize>> {
    let mut stmt = tx.conn.prepare(
        "SELECT target_guid, count(*) FROM memos WHERE deleted = 0 AND target_kind = 'coding' GROUP BY target_guid",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, CodingId>(0)?, to_usize(r.get(1)?))))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Sets a coding's range without checking it against the document's current length (the
/// text is replaced right after, in the same transaction).
fn set_range(tx: &Tx, guid: &CodingId, start: usize, end: usize) -> StoreResult<()> {
    tx.conn.execute(
        "UPDATE codings SET start_char = ?1, end_char = ?2, modified_at = ?3 WHERE guid = ?4",
        params![start as i64, end as i64, tx.now_ms, guid],
    )?;
    Ok(())
}
