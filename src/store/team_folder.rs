//! This copy's membership of a team folder, the member files it has already merged, and
//! the log of what each gather brought in. These rows describe one copy on one machine and
//! are not undoable edits of the project: they are written outside the undo history, the
//! merge never reads them, and a published copy leaves them out ([`strip_local`]).

use rusqlite::{Connection, OptionalExtension, params};

use super::StoreResult;

/// Gathers of one member file whose reports are kept.
const GATHERS_KEPT: i64 = 20;

/// Where this copy publishes and gathers, and as whom.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Membership {
    /// The shared folder, as this machine reaches it.
    pub folder: String,
    /// GUID of the coder this copy publishes for: one file per coder in the folder.
    pub coder_guid: String,
    /// That coder's name when the copy joined (shown to the others).
    pub coder_name: String,
    /// Name of this copy's own file in the folder (`<name>-<guid prefix>.fouille`).
    pub file_name: String,
    /// When the copy joined, ms since the epoch.
    pub joined_at: i64,
}

/// One member file merged by a gather.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GatherRow {
    /// When, ms since the epoch.
    pub gathered_at: i64,
    /// The member's file in the folder.
    pub file_name: String,
    /// The member's name as their file says.
    pub member: String,
    /// What the file brought into this copy.
    pub brought: Brought,
    /// The merge's whole report, in Markdown.
    pub report: String,
}

/// What a member's file brought into this copy at a gather.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Brought {
    /// Documents new to this copy.
    pub documents: usize,
    /// Codes new to this copy.
    pub codes: usize,
    /// Codings new to this copy.
    pub codings: usize,
    /// Memos new to this copy.
    pub memos: usize,
    /// Rows this copy had whose newer version came from the file (renames, moves, edits,
    /// deletions).
    pub changed: usize,
    /// Rows both sides had changed: the newer version was kept, the other is in the report.
    pub conflicts: usize,
}

/// The membership, when this copy has joined a folder (a published copy's stripped row,
/// without a folder, is none).
pub fn membership(conn: &Connection) -> StoreResult<Option<Membership>> {
    Ok(conn
        .query_row(
            "SELECT folder, coder_guid, coder_name, file_name, joined_at FROM team_membership
             WHERE folder <> ''",
            [],
            |r| {
                Ok(Membership {
                    folder: r.get(0)?,
                    coder_guid: r.get(1)?,
                    coder_name: r.get(2)?,
                    file_name: r.get(3)?,
                    joined_at: r.get(4)?,
                })
            },
        )
        .optional()?)
}

/// Records the membership (replacing an earlier one). A copy that moves to another folder
/// forgets which files it had merged: the new folder's files are all gathered once.
pub fn join(conn: &Connection, membership: &Membership) -> StoreResult<()> {
    let tx = conn.unchecked_transaction()?;
    let same_folder: bool = tx
        .query_row(
            "SELECT folder = ?1 FROM team_membership",
            [&membership.folder],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(false);
    if !same_folder {
        tx.execute("DELETE FROM team_seen", [])?;
    }
    tx.execute(
        "INSERT OR REPLACE INTO team_membership
             (id, folder, coder_guid, coder_name, file_name, joined_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5)",
        params![
            membership.folder,
            membership.coder_guid,
            membership.coder_name,
            membership.file_name,
            membership.joined_at
        ],
    )?;
    tx.commit()?;
    Ok(())
}

/// Forgets the membership and the files merged from the folder; the gather log stays.
pub fn leave(conn: &Connection) -> StoreResult<()> {
    conn.execute_batch("DELETE FROM team_membership; DELETE FROM team_seen;")?;
    Ok(())
}

/// The stamp (size and time of change) a member file had when it was last merged: a file
/// with the same stamp holds nothing new.
pub fn seen_stamp(conn: &Connection, file_name: &str) -> StoreResult<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT stamp FROM team_seen WHERE file_name = ?1",
            [file_name],
            |r| r.get(0),
        )
        .optional()?)
}

/// Notes that a member file with `stamp` was merged, and logs what the merge did (the
/// last [`GATHERS_KEPT`] gathers of each file are kept).
pub fn record_gather(conn: &Connection, row: &GatherRow, stamp: &str) -> StoreResult<()> {
    let tx = conn.unchecked_transaction()?;
    tx.execute(
        "INSERT OR REPLACE INTO team_seen (file_name, stamp, gathered_at) VALUES (?1, ?2, ?3)",
        params![row.file_name, stamp, row.gathered_at],
    )?;
    tx.execute(
        "INSERT INTO team_gathers (gathered_at, file_name, member, brought, report)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            row.gathered_at,
            row.file_name,
            row.member,
            serde_json::to_string(&row.brought).unwrap_or_default(),
            row.report
        ],
    )?;
    // A copy that syncs every few minutes for months keeps the last reports of each
    // member, not all of them (a report can run to thousands of lines).
    tx.execute(
        "DELETE FROM team_gathers WHERE file_name = ?1 AND id NOT IN
             (SELECT id FROM team_gathers WHERE file_name = ?1 ORDER BY id DESC LIMIT ?2)",
        params![row.file_name, GATHERS_KEPT],
    )?;
    tx.commit()?;
    Ok(())
}

/// The latest gathers, newest first.
pub fn gathers(conn: &Connection, limit: usize) -> StoreResult<Vec<GatherRow>> {
    let mut stmt = conn.prepare(
        "SELECT gathered_at, file_name, member, brought, report FROM team_gathers
         ORDER BY gathered_at DESC, id DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
        let brought: String = r.get(3)?;
        Ok(GatherRow {
            gathered_at: r.get(0)?,
            file_name: r.get(1)?,
            member: r.get(2)?,
            brought: serde_json::from_str(&brought).unwrap_or_default(),
            report: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Prepares a copy of the project for the folder (a file about to be published) or for a
/// project of its own (a merged file): the gather log and the merged files are left out,
/// and the membership keeps only who published, without the folder (whose path belongs to
/// the publisher's machine), so that the copy is nobody's membership.
pub fn strip_local(conn: &Connection) -> StoreResult<()> {
    conn.execute_batch(
        "DELETE FROM team_seen; DELETE FROM team_gathers;
         UPDATE team_membership SET folder = '';",
    )?;
    Ok(())
}

/// Who published a member file: the coder's GUID and name its copy recorded.
pub fn publisher(conn: &Connection) -> StoreResult<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT coder_guid, coder_name FROM team_membership",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Prepares the copy of the project at `path` for the team folder: this copy's own team
/// rows stripped ([`strip_local`]) and the undo history left out (the others merge rows,
/// not steps), in the rollback journal mode so that the file is whole by itself.
pub fn prepare_for_folder(path: &std::path::Path) -> StoreResult<()> {
    let conn = Connection::open(path)?;
    strip_local(&conn)?;
    super::history::clear(&conn)?;
    conn.execute_batch("PRAGMA journal_mode = DELETE;")?;
    Ok(())
}
