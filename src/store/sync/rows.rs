//! The rows of a project as the merge reads and writes them: one type per table, every
//! reference written as a GUID (row ids are private to a file and mean nothing in another
//! copy of the project). Codings, which are many, are read and written as
//! [`StoredCoding`](super::StoredCoding) instead, their references as row ids.

/// The project row: one per file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectRow {
    /// The project's GUID (each file, merged or copied, gets its own).
    pub guid: String,
    /// The name shown for the project (not the file name).
    pub name: String,
    /// Creation time, UTC ms.
    pub created_at: i64,
    /// Last change of the project row, UTC ms.
    pub modified_at: i64,
    /// Settings (a JSON object, as text).
    pub settings: String,
}

/// A coder. The row has no tombstone: no action deletes a coder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoderRow {
    /// The coder's GUID, the same in every copy of the project.
    pub guid: String,
    /// Display name, unique in a project.
    pub name: String,
    /// Creation time, UTC ms.
    pub created_at: i64,
}

/// A respondent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RespondentRow {
    /// The respondent's GUID, the same in every copy of the project.
    pub guid: String,
    /// Real name, as entered (exports may show the pseudonym instead).
    pub name: String,
    /// Name shown in pseudonymised exports (empty: none chosen).
    pub pseudonym: String,
    /// Consent, as its stored name (`given`, `pending` or `withdrawn`).
    pub consent: String,
    /// GUID of the coder who created the row, when known.
    pub created_by: Option<String>,
    /// Creation time, UTC ms.
    pub created_at: i64,
    /// Last change, UTC ms.
    pub modified_at: i64,
    /// Whether the row is a tombstone (deleted, kept so the deletion survives a merge).
    pub deleted: bool,
    /// Project file the row was merged from (empty: made in this project).
    pub source_project: String,
}

/// A document. Its text is not held: the content hash stands for it (a corpus can weigh
/// hundreds of megabytes); the merge reads the few texts it needs by hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRow {
    /// The document's GUID, the same in every copy of the project.
    pub guid: String,
    /// Display name, as the copy has it.
    pub name: String,
    /// Kind, as its stored name (`interview`, `transcript`, `survey_answer` or `note`).
    pub kind: String,
    /// Length of the text in chars (Unicode scalar values).
    pub char_len: i64,
    /// SHA-256 of the text: the text's identity.
    pub content_hash: String,
    /// Audio or video file the transcript belongs to, if any.
    pub media_path: Option<String>,
    /// Where the text came from (file imported, survey and column…).
    pub origin: String,
    /// GUID of the respondent interviewed, if any.
    pub respondent: Option<String>,
    /// Position in the corpus list (ascending).
    pub sort_order: i64,
    /// GUID of the coder who created the row, when known.
    pub created_by: Option<String>,
    /// Creation time, UTC ms.
    pub created_at: i64,
    /// Last change, UTC ms.
    pub modified_at: i64,
    /// Whether the row is a tombstone.
    pub deleted: bool,
    /// Project file the row was merged from (empty: made in this project).
    pub source_project: String,
}

/// An attribute definition (a variable of respondents or of documents). Attributes carry no
/// provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeRow {
    /// The attribute's GUID, the same in every copy of the project.
    pub guid: String,
    /// Name, unique among the live attributes of its scope.
    pub name: String,
    /// Value type, as its stored name (`text`, `integer`, `decimal`, `boolean` or `date`).
    pub value_type: String,
    /// What the attribute describes: `respondent` or `document`.
    pub scope: String,
    /// Position among the attributes (ascending).
    pub sort_order: i64,
    /// Creation time, UTC ms.
    pub created_at: i64,
    /// Last change, UTC ms.
    pub modified_at: i64,
    /// Whether the row is a tombstone.
    pub deleted: bool,
}

/// One attribute value of one respondent or document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueRow {
    /// GUID of the attribute.
    pub attribute: String,
    /// GUID of the owner: a respondent or a document, by the attribute's scope.
    pub owner: String,
    /// The value, as text whatever its type.
    pub value: String,
    /// Last change, UTC ms.
    pub modified_at: i64,
}

/// A code of the codebook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRow {
    /// The code's GUID, the same in every copy of the project.
    pub guid: String,
    /// GUID of the parent code (`None`: at the top of the tree).
    pub parent: Option<String>,
    /// Name, as shown in the codebook.
    pub name: String,
    /// Kind, as its stored name (`theme`, `folder`, `controversy`, `pole`…).
    pub kind: String,
    /// Colour as stored (`#rrggbb`).
    pub color: String,
    /// What the code is for, in the coders' words.
    pub description: String,
    /// Position among its siblings (ascending).
    pub sort_order: i64,
    /// GUID of the coder who created the row, when known.
    pub created_by: Option<String>,
    /// Creation time, UTC ms.
    pub created_at: i64,
    /// Last change, UTC ms.
    pub modified_at: i64,
    /// Whether the row is a tombstone.
    pub deleted: bool,
    /// Project file the row was merged from (empty: made in this project).
    pub source_project: String,
}

/// A memo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoRow {
    /// The memo's GUID, the same in every copy of the project.
    pub guid: String,
    /// What the memo is on: `project`, `document`, `respondent`, `code` or `coding`.
    pub target_kind: String,
    /// GUID of the row the memo is on, of the kind above (empty for the project).
    pub target_guid: String,
    /// The memo's text.
    pub text: String,
    /// GUID of the coder who wrote it, when known.
    pub created_by: Option<String>,
    /// Creation time, UTC ms.
    pub created_at: i64,
    /// Last change, UTC ms.
    pub modified_at: i64,
    /// Whether the row is a tombstone.
    pub deleted: bool,
    /// Project file the row was merged from (empty: made in this project).
    pub source_project: String,
}
