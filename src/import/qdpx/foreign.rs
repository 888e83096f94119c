//! What a REFI-QDA file holds, as read: plain structures with GUIDs already normalised
//! and positions still as the file gives them.

use super::report::NotImported;

/// Where a source's or a note's text is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextRef {
    /// `PlainTextContent`, inline.
    pub inline: Option<String>,
    /// `plainTextPath`.
    pub plain_path: Option<String>,
    /// `richTextPath`.
    pub rich_path: Option<String>,
}

/// A user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// GUID.
    pub guid: String,
    /// Name.
    pub name: String,
}

/// A code, in document order (parents before children).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    /// GUID.
    pub guid: String,
    /// Parent GUID.
    pub parent: Option<String>,
    /// Name as in the file.
    pub name: String,
    /// `isCodable`.
    pub codable: bool,
    /// Colour as in the file.
    pub color: Option<String>,
    /// Description.
    pub description: String,
    /// Notes attached.
    pub note_refs: Vec<String>,
}

/// A variable value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    /// Variable GUID.
    pub variable: String,
    /// The value's text.
    pub value: String,
}

/// A variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    /// GUID.
    pub guid: String,
    /// Name.
    pub name: String,
    /// `typeOfVariable`.
    pub type_name: String,
    /// Description.
    pub description: String,
}

/// A case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// GUID.
    pub guid: String,
    /// Name.
    pub name: String,
    /// Values.
    pub values: Vec<Value>,
    /// Sources of the case.
    pub source_refs: Vec<String>,
}

/// Who made something, and when (ms).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stamp {
    /// Creating user GUID.
    pub created_by: Option<String>,
    /// Creation time.
    pub created_at: Option<i64>,
    /// Last change.
    pub modified_at: Option<i64>,
}

/// A coding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coding {
    /// GUID.
    pub guid: String,
    /// Code GUID.
    pub code: String,
    /// Author and date.
    pub stamp: Stamp,
    /// Notes attached.
    pub note_refs: Vec<String>,
}

/// A selection of a text source, positions as in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// GUID.
    pub guid: String,
    /// `startPosition`.
    pub start: i64,
    /// `endPosition`.
    pub end: i64,
    /// Author and dates.
    pub stamp: Stamp,
    /// Codings.
    pub codings: Vec<Coding>,
    /// Notes attached.
    pub note_refs: Vec<String>,
}

/// A text source (a `TextSource`, a PDF's text representation, or a media transcript).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// GUID.
    pub guid: String,
    /// Name.
    pub name: String,
    /// Element it came from (`TextSource`, `PDFSource`, `AudioSource`…).
    pub element: String,
    /// Where its text is.
    pub text: TextRef,
    /// Author and dates.
    pub stamp: Stamp,
    /// Selections.
    pub selections: Vec<Selection>,
    /// Codings of the whole source.
    pub whole_codings: Vec<Coding>,
    /// Notes attached.
    pub note_refs: Vec<String>,
    /// Variable values.
    pub values: Vec<Value>,
}

/// A note (memo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// GUID.
    pub guid: String,
    /// Name.
    pub name: String,
    /// Its text.
    pub text: TextRef,
    /// Author and dates.
    pub stamp: Stamp,
}

/// A link between two objects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Name.
    pub name: String,
    /// Origin GUID.
    pub origin: Option<String>,
    /// Target GUID.
    pub target: Option<String>,
}

/// A set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Set {
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Member codes.
    pub codes: Vec<String>,
    /// Member sources.
    pub sources: Vec<String>,
    /// Member notes.
    pub notes: Vec<String>,
}

/// What a REFI-QDA file holds, as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Foreign {
    /// Project name (empty for a codebook).
    pub name: String,
    /// `origin`: the tool that wrote it.
    pub origin: String,
    /// `basePath`, for `relative://` paths.
    pub base_path: Option<String>,
    /// Last change of the project as a whole.
    pub modified_at: Option<i64>,
    /// Users.
    pub users: Vec<User>,
    /// Codes, parents first.
    pub codes: Vec<Code>,
    /// Variables.
    pub variables: Vec<Variable>,
    /// Cases.
    pub cases: Vec<Case>,
    /// Text sources.
    pub sources: Vec<Source>,
    /// Notes.
    pub notes: Vec<Note>,
    /// Links.
    pub links: Vec<Link>,
    /// Sets.
    pub sets: Vec<Set>,
    /// Notes about the project as a whole.
    pub project_note_refs: Vec<String>,
    /// What the file holds that is not imported.
    pub not_imported: Vec<NotImported>,
    /// Remarks for the report.
    pub remarks: Vec<String>,
    /// GUIDs used for objects of two kinds (a code and a source…), described: such a file
    /// is refused, since its references cannot be told apart.
    pub guids_across_kinds: Vec<String>,
}
