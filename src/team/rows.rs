//! The rows of a [`Snapshot`](super::snapshot::Snapshot): one type per table, references
//! written as GUIDs (the store's [`sync`](crate::store::sync) rows, and [`CodingRow`], the
//! merge's own form of a coding), and [`Versioned`]: how two versions of a row are ordered.

use std::cmp::Ordering;
use std::sync::Arc;

pub use crate::store::sync::{
    AttributeRow, CodeRow, CoderRow, DocumentRow, MemoRow, ProjectRow, RespondentRow, ValueRow,
};

/// A coding. References are shared strings: a project holds many codings of few
/// documents, codes and coders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodingRow {
    /// The coding's GUID, the same in every copy of the project.
    pub guid: Arc<str>,
    /// GUID of the document coded.
    pub document: Arc<str>,
    /// GUID of the code applied.
    pub code: Arc<str>,
    /// Start, char offset into the text named by `base_hash`, inclusive.
    pub start_char: i64,
    /// End, char offset into that text, exclusive.
    pub end_char: i64,
    /// GUID of the coder who made it.
    pub created_by: Arc<str>,
    /// Creation time, UTC ms.
    pub created_at: i64,
    /// Last change, UTC ms.
    pub modified_at: i64,
    /// Whether the row is a tombstone (deleted, kept so the deletion survives a merge).
    pub deleted: bool,
    /// Project file the row was merged from (the reading snapshot's label when the row
    /// was made in that project).
    pub source_project: Arc<str>,
    /// Content hash of the document text the offsets refer to (not stored: the text of
    /// the document in the project the row was read from).
    pub base_hash: Arc<str>,
}

/// A row the merge can choose between: the version key is `(modified_at, deleted,
/// content)`, compared in that order.
pub trait Versioned: Clone {
    /// The content compared when two versions have the same age (everything except the
    /// provenance).
    type Content<'a>: Ord
    where
        Self: 'a;
    /// What the row says, as compared between two versions of the same age.
    fn content(&self) -> Self::Content<'_>;
    /// Last change, UTC ms: the later version wins.
    fn modified_at(&self) -> i64;
    /// Creation time, UTC ms, when the row has one.
    fn created_at(&self) -> Option<i64>;
    /// Whether this version is a tombstone (wins a tie with an edit of the same age).
    fn deleted(&self) -> bool;
    /// The project file the version was merged from (empty when the row has no such
    /// column).
    fn source(&self) -> &str;
    /// Sets the project file the version was merged from (ignored by rows without one).
    fn set_source(&mut self, source: &str);
    /// Orders two versions: the greater one wins.
    fn version_cmp(&self, other: &Self) -> Ordering {
        (self.modified_at(), self.deleted())
            .cmp(&(other.modified_at(), other.deleted()))
            .then_with(|| self.content().cmp(&other.content()))
    }
    /// Whether two versions are the same change (provenance aside).
    fn same_version(&self, other: &Self) -> bool {
        self.version_cmp(other) == Ordering::Equal
    }
}

macro_rules! versioned {
    ($row:ty, |$s:ident| $content:expr, $content_ty:ty, source) => {
        impl Versioned for $row {
            type Content<'a> = $content_ty;
            fn content(&self) -> Self::Content<'_> {
                let $s = self;
                $content
            }
            fn modified_at(&self) -> i64 {
                self.modified_at
            }
            fn created_at(&self) -> Option<i64> {
                Some(self.created_at)
            }
            fn deleted(&self) -> bool {
                self.deleted
            }
            fn source(&self) -> &str {
                &self.source_project
            }
            fn set_source(&mut self, source: &str) {
                self.source_project = source.into();
            }
        }
    };
}

type RespondentContent<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, i64);
versioned!(
    RespondentRow,
    |s| (
        s.name.as_str(),
        s.pseudonym.as_str(),
        s.consent.as_str(),
        s.created_by.as_deref(),
        s.created_at
    ),
    RespondentContent<'a>,
    source
);

// The text is compared through its content hash.
type DocumentContent<'a> = (
    (&'a str, &'a str, &'a str, Option<&'a str>, &'a str),
    (Option<&'a str>, i64, Option<&'a str>, i64),
);
versioned!(
    DocumentRow,
    |s| (
        (
            s.name.as_str(),
            s.kind.as_str(),
            s.content_hash.as_str(),
            s.media_path.as_deref(),
            s.origin.as_str()
        ),
        (
            s.respondent.as_deref(),
            s.sort_order,
            s.created_by.as_deref(),
            s.created_at
        )
    ),
    DocumentContent<'a>,
    source
);

type CodeContent<'a> = (
    (Option<&'a str>, &'a str, &'a str, &'a str, &'a str),
    (i64, Option<&'a str>, i64),
);
versioned!(
    CodeRow,
    |s| (
        (
            s.parent.as_deref(),
            s.name.as_str(),
            s.kind.as_str(),
            s.color.as_str(),
            s.description.as_str()
        ),
        (s.sort_order, s.created_by.as_deref(), s.created_at)
    ),
    CodeContent<'a>,
    source
);

type CodingContent<'a> = (&'a str, &'a str, i64, i64, &'a str, i64);
versioned!(
    CodingRow,
    |s| (
        &*s.document,
        &*s.code,
        s.start_char,
        s.end_char,
        &*s.created_by,
        s.created_at
    ),
    CodingContent<'a>,
    source
);

type MemoContent<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, i64);
versioned!(
    MemoRow,
    |s| (
        s.target_kind.as_str(),
        s.target_guid.as_str(),
        s.text.as_str(),
        s.created_by.as_deref(),
        s.created_at
    ),
    MemoContent<'a>,
    source
);

impl Versioned for AttributeRow {
    type Content<'a> = (&'a str, &'a str, &'a str, i64, i64);
    fn content(&self) -> Self::Content<'_> {
        (
            &self.name,
            &self.value_type,
            &self.scope,
            self.sort_order,
            self.created_at,
        )
    }
    fn modified_at(&self) -> i64 {
        self.modified_at
    }
    fn created_at(&self) -> Option<i64> {
        Some(self.created_at)
    }
    fn deleted(&self) -> bool {
        self.deleted
    }
    fn source(&self) -> &str {
        ""
    }
    fn set_source(&mut self, _: &str) {}
}

impl Versioned for ValueRow {
    type Content<'a> = (&'a str, &'a str, &'a str);
    fn content(&self) -> Self::Content<'_> {
        (&self.attribute, &self.owner, &self.value)
    }
    fn modified_at(&self) -> i64 {
        self.modified_at
    }
    fn created_at(&self) -> Option<i64> {
        None
    }
    fn deleted(&self) -> bool {
        false
    }
    fn source(&self) -> &str {
        ""
    }
    fn set_source(&mut self, _: &str) {}
}
