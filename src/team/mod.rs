//! Team work: merging copies of a project coded apart, inter-coder agreement, and blinded
//! double coding.
//!
//! # Merge
//!
//! Each researcher codes a copy of the project, often offline, and the copies are merged
//! later ([`merge::merge_files`], [`merge::merge_into`]). The merge works on identity, never
//! on names or positions:
//!
//! 1. every input is read into a [`snapshot::Snapshot`]: sets of rows keyed by GUID, every
//!    reference written as a GUID, document texts stood for by their content hash (the
//!    few texts a rebase or a new document needs are read by hash, [`texts`]);
//! 2. for each GUID the winning version is the greatest by `(modified_at, deleted, content)`:
//!    the later change wins, a deletion wins a tie with an edit made at the same
//!    millisecond, and two different versions of the same age are ordered by their content
//!    (so the choice never depends on the order of the inputs); every other version is
//!    listed in the report;
//! 3. a pure canonicalisation follows: documents with the same text (content hash) are one
//!    interview imported twice and become the document with the smallest GUID, attributes
//!    of the same scope and name are one, codings are rebased onto the winning text of an
//!    edited transcript ([`rebase`]);
//! 4. optional edits made at merge time (stamped with the merge's time, so they are new
//!    changes like any other): unifying codes with the same name path and kind, restoring
//!    a deleted code that other coders still use, breaking a cycle in the code tree (one
//!    coder moved X under Y, another Y under X), deleting exact duplicate codings.
//!
//! Steps 1–3 make the merge idempotent, order-free and associative (tested with proptest
//! on generated projects, comparing [`fingerprint::project_fingerprint`]s).
//!
//! # Agreement
//!
//! [`agreement`] holds the formulas (percent agreement, Cohen's kappa, Krippendorff's
//! alpha), [`coverage`] builds the units (characters or segments) from a project and lists
//! the disagreements, [`accept`] settles one by taking a coder's version, and [`blind`]
//! hides the other coders' work during blinded double coding.

pub mod accept;
pub mod agreement;
pub mod blind;
mod choose;
pub mod coverage;
mod describe;
pub mod fasthash;
pub mod fingerprint;
pub mod folder;
pub mod merge;
mod place;
pub mod rebase;
pub mod report;
pub mod rows;
pub mod snapshot;
pub mod texts;
mod unify;
mod write;

use crate::store::StoreError;

/// Errors of team operations.
#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    /// A store error.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// More inputs than a merge takes at once.
    #[error("at most {max} projects can be merged at once")]
    TooManyInputs {
        /// The most a merge takes.
        max: usize,
    },
    /// A merge asked with no project to merge.
    #[error("nothing to merge")]
    NothingToMerge,
    /// An input saved by a Fouille too old to be read without upgrading it first.
    #[error(
        "{path} was saved by an older Fouille (schema {version}): open it once in Fouille to upgrade it, then merge"
    )]
    OlderSchema {
        /// The file, as shown to the user.
        path: String,
        /// Its schema version.
        version: i64,
    },
}

impl From<rusqlite::Error> for TeamError {
    fn from(e: rusqlite::Error) -> TeamError {
        TeamError::Store(StoreError::Sqlite(e))
    }
}

/// Result of team operations.
pub type TeamResult<T> = Result<T, TeamError>;
