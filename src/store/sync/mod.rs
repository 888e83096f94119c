//! What team work reads and writes in a project file: whole tables as rows keyed by GUID
//! (every reference written as a GUID, since row ids mean nothing in another copy of the
//! project), and the bulk writes that fold a merged result into a project.
//!
//! [`read`] streams each table row by row to a callback (a project of 100,000 codings is
//! never held twice), [`write`] writes the differences a merge found with statements
//! prepared once per table, [`copy`] starts a merged project as a copy of an input.
//! The merge itself (which version wins, how texts are rebased) lives in `team`.

pub mod copy;
pub mod read;
mod rows;
pub mod write;

pub use rows::{
    AttributeRow, CodeRow, CoderRow, DocumentRow, MemoRow, ProjectRow, RespondentRow, ValueRow,
};

/// A coding as stored: references as row ids, strings borrowed from the row being read or
/// from the caller. A merge reads and writes codings by the hundred thousand, so they never
/// go through GUID joins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredCoding<'a> {
    /// The coding's GUID.
    pub guid: &'a str,
    /// `documents.id` of its document.
    pub document_id: i64,
    /// `codes.id` of its code.
    pub code_id: i64,
    /// Start, char offset into the document's text, inclusive.
    pub start_char: i64,
    /// End, char offset, exclusive.
    pub end_char: i64,
    /// `coders.id` of its author.
    pub created_by: i64,
    /// Creation time, UTC ms.
    pub created_at: i64,
    /// Last change, UTC ms.
    pub modified_at: i64,
    /// Whether the row is a tombstone.
    pub deleted: bool,
    /// Project file the row was merged from (empty: made in this project).
    pub source_project: &'a str,
}

/// The tables whose rows have a GUID, as the merge reads and writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncTable {
    /// `coders`.
    Coders,
    /// `respondents`.
    Respondents,
    /// `documents`.
    Documents,
    /// `attributes`.
    Attributes,
    /// `codes`.
    Codes,
    /// `codings`.
    Codings,
    /// `memos`.
    Memos,
}

impl SyncTable {
    fn name(self) -> &'static str {
        match self {
            SyncTable::Coders => "coders",
            SyncTable::Respondents => "respondents",
            SyncTable::Documents => "documents",
            SyncTable::Attributes => "attributes",
            SyncTable::Codes => "codes",
            SyncTable::Codings => "codings",
            SyncTable::Memos => "memos",
        }
    }
}
