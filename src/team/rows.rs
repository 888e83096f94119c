//! The rows of a [`Snapshot`](super::snapshot::Snapshot): one type per table, references
//! written as GUIDs, and [`Versioned`]: how two versions of a row are ordered.

use std::cmp::Ordering;
use std::sync::Arc;

/// The project row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectRow {
    /// GUID.
    pub guid: String,
    /// Name.
    pub name: String,
    /// Creation time (ms).
    pub created_at: i64,
    /// Last change (ms).
    pub modified_at: i64,
    /// Settings (a JSON object, as text).
    pub settings: String,
}

/// A coder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoderRow {
    /// GUID.
    pub guid: String,
    /// Name.
    pub name: String,
    /// Creation time (ms).
    pub created_at: i64,
}

/// A respondent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RespondentRow {
    /// GUID.
    pub guid: String,
    /// Name.
    pub name: String,
    /// Pseudonym.
    pub pseudonym: String,
    /// Consent (stored name).
    pub consent: String,
    /// Author (coder GUID).
    pub created_by: Option<String>,
    /// Creation time (ms).
    pub created_at: i64,
    /// Last change (ms).
    pub modified_at: i64,
    /// Tombstone.
    pub deleted: bool,
    /// Project file the row was merged from (empty: made in this project).
    pub source_project: String,
}

/// A document. Its text is not held: the content hash stands for it (a corpus can weigh
/// hundreds of megabytes); the merge reads the few texts it needs by hash
/// ([`TextReader`](super::texts::TextReader)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRow {
    /// GUID.
    pub guid: String,
    /// Name.
    pub name: String,
    /// Kind (stored name).
    pub kind: String,
    /// Length in chars.
    pub char_len: i64,
    /// SHA-256 of the text: the text's identity.
    pub content_hash: String,
    /// Media file.
    pub media_path: Option<String>,
    /// Origin.
    pub origin: String,
    /// Respondent GUID.
    pub respondent: Option<String>,
    /// Order in the corpus.
    pub sort_order: i64,
    /// Author (coder GUID).
    pub created_by: Option<String>,
    /// Creation time (ms).
    pub created_at: i64,
    /// Last change (ms).
    pub modified_at: i64,
    /// Tombstone.
    pub deleted: bool,
    /// Project file the row was merged from.
    pub source_project: String,
}

/// An attribute definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeRow {
    /// GUID.
    pub guid: String,
    /// Name.
    pub name: String,
    /// Value type (stored name).
    pub value_type: String,
    /// Scope (stored name).
    pub scope: String,
    /// Order.
    pub sort_order: i64,
    /// Creation time (ms).
    pub created_at: i64,
    /// Last change (ms).
    pub modified_at: i64,
    /// Tombstone.
    pub deleted: bool,
}

/// One attribute value of one respondent or document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueRow {
    /// Attribute GUID.
    pub attribute: String,
    /// Owner GUID (respondent or document, by the attribute's scope).
    pub owner: String,
    /// Value.
    pub value: String,
    /// Last change (ms).
    pub modified_at: i64,
}

/// A code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRow {
    /// GUID.
    pub guid: String,
    /// Parent GUID.
    pub parent: Option<String>,
    /// Name.
    pub name: String,
    /// Kind (stored name).
    pub kind: String,
    /// Colour.
    pub color: String,
    /// Description.
    pub description: String,
    /// Order among siblings.
    pub sort_order: i64,
    /// Author (coder GUID).
    pub created_by: Option<String>,
    /// Creation time (ms).
    pub created_at: i64,
    /// Last change (ms).
    pub modified_at: i64,
    /// Tombstone.
    pub deleted: bool,
    /// Project file the row was merged from.
    pub source_project: String,
}

/// A coding. References are shared strings: a project holds many codings of few
/// documents, codes and coders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodingRow {
    /// GUID.
    pub guid: Arc<str>,
    /// Document GUID.
    pub document: Arc<str>,
    /// Code GUID.
    pub code: Arc<str>,
    /// Start char (inclusive).
    pub start_char: i64,
    /// End char (exclusive).
    pub end_char: i64,
    /// Coder GUID.
    pub created_by: Arc<str>,
    /// Creation time (ms).
    pub created_at: i64,
    /// Last change (ms).
    pub modified_at: i64,
    /// Tombstone.
    pub deleted: bool,
    /// Project file the row was merged from.
    pub source_project: Arc<str>,
    /// Content hash of the document text the offsets refer to (not stored: the text of
    /// the document in the project the row was read from).
    pub base_hash: Arc<str>,
}

/// A memo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoRow {
    /// GUID.
    pub guid: String,
    /// Target type.
    pub target_kind: String,
    /// Target GUID.
    pub target_guid: String,
    /// Text.
    pub text: String,
    /// Author (coder GUID).
    pub created_by: Option<String>,
    /// Creation time (ms).
    pub created_at: i64,
    /// Last change (ms).
    pub modified_at: i64,
    /// Tombstone.
    pub deleted: bool,
    /// Project file the row was merged from.
    pub source_project: String,
}

/// A row the merge can choose between: the version key is `(modified_at, deleted,
/// content)`, compared in that order.
pub trait Versioned: Clone {
    /// The content compared when two versions have the same age (everything except the
    /// provenance).
    type Content<'a>: Ord
    where
        Self: 'a;
    /// The content.
    fn content(&self) -> Self::Content<'_>;
    /// Last change (ms).
    fn modified_at(&self) -> i64;
    /// Creation time (ms), when the row has one.
    fn created_at(&self) -> Option<i64>;
    /// Tombstone.
    fn deleted(&self) -> bool;
    /// Provenance (empty when the row has none).
    fn source(&self) -> &str;
    /// Sets the provenance.
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
