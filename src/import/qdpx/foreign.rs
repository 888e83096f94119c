//! What a REFI-QDA file holds, as read: plain structures with GUIDs already normalised
//! and positions still as the file gives them.

use super::report::NotImported;

/// Where a source's or a note's text is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextRef {
    /// The `PlainTextContent` element's text, when the text is inline; read after `plain_path`.
    pub inline: Option<String>,
    /// `plainTextPath` (`internal://`, `relative://`, `absolute://` or bare); tried first.
    pub plain_path: Option<String>,
    /// `richTextPath`: its `.txt` twin is looked for, the file itself read only as a last resort.
    pub rich_path: Option<String>,
}

/// A `User`: a coder of the other tool, who becomes a Fouille coder on import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// GUID, normalised; `creatingUser` attributes refer to it.
    pub guid: String,
    /// The `name` attribute, else the `id` (some tools write only that); trimmed, maybe empty.
    pub name: String,
}

/// A code, in document order (parents before children).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    /// GUID, normalised (derived when the file gives none or repeats one); `CodeRef`s point to it.
    pub guid: String,
    /// GUID of the enclosing `Code` element; `None` at the top of the codebook.
    pub parent: Option<String>,
    /// Name as in the file.
    pub name: String,
    /// `isCodable`, true when absent: a code that is not codable becomes a folder.
    pub codable: bool,
    /// Colour as in the file.
    pub color: Option<String>,
    /// The `Description` element's text, maybe ending in a `[fouille:kind=…]` marker; empty
    /// if none.
    pub description: String,
    /// GUIDs of the notes about it (its `NoteRef`s); they become memos on the code.
    pub note_refs: Vec<String>,
}

/// One `VariableValue` of a case or a source, not yet checked against the variable's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    /// GUID of the variable it gives a value for (its `VariableRef`).
    pub variable: String,
    /// The text of its `…Value` child element, trimmed.
    pub value: String,
}

/// A `Variable`: becomes an attribute of respondents, of documents, or both, by where it has
/// values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    /// GUID, normalised; `VariableRef`s point to it.
    pub guid: String,
    /// The `name` attribute, trimmed; may repeat another's (numbered when planned).
    pub name: String,
    /// `typeOfVariable` as written (`Text` when absent); unknown types are read as text.
    pub type_name: String,
    /// The `Description` element's text; empty if none.
    pub description: String,
}

/// A `Case`: becomes a respondent, linked to the sources it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// GUID, normalised; kept as the respondent's GUID.
    pub guid: String,
    /// The `name` attribute, trimmed; empty when absent (the respondent is then named `Cas <n>`).
    pub name: String,
    /// Its variable values, including Fouille's `fouille:pseudonym` and `fouille:consent`.
    pub values: Vec<Value>,
    /// GUIDs of its sources (`SourceRef`s); a source named by several cases goes to the first.
    pub source_refs: Vec<String>,
}

/// Who made something, and when (ms).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stamp {
    /// GUID of the `creatingUser`; `None` when the file names no author.
    pub created_by: Option<String>,
    /// `creationDateTime` in ms since the Unix epoch (UTC assumed without a zone); `None` if absent
    /// or unreadable.
    pub created_at: Option<i64>,
    /// `modifiedDateTime`, same unit; `None` if absent or unreadable.
    pub modified_at: Option<i64>,
}

/// A `Coding`: one code applied to a selection or to a whole source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coding {
    /// GUID, normalised; derived from the owner and the code when the element has none.
    pub guid: String,
    /// GUID of the code applied (its `CodeRef`); codings without one are skipped when read.
    pub code: String,
    /// Author and dates as the file gives them; for a selection's coding, the selection's
    /// stand in where these are missing.
    pub stamp: Stamp,
    /// GUIDs of the notes about it (its `NoteRef`s).
    pub note_refs: Vec<String>,
}

/// A selection of a text source, positions as in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// GUID, normalised; notes about the selection attach to its first coding.
    pub guid: String,
    /// `startPosition` in the file's own unit (code points, UTF-16 units…), not yet converted.
    pub start: i64,
    /// `endPosition`, in the same unit, not yet converted.
    pub end: i64,
    /// Author and dates as the file gives them; each may be missing.
    pub stamp: Stamp,
    /// The codings inside the selection: usually one, each a coding of the same range.
    pub codings: Vec<Coding>,
    /// GUIDs of the notes about it (its `NoteRef`s).
    pub note_refs: Vec<String>,
}

/// A text source (a `TextSource`, a PDF's text representation, or a media transcript).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// GUID, normalised; kept as the document's GUID.
    pub guid: String,
    /// The source's name as given; trimmed when planned, `Document <n>` when empty.
    pub name: String,
    /// Element it came from (`TextSource`, `PDFSource`, `AudioSource`…).
    pub element: String,
    /// Where its text is.
    pub text: TextRef,
    /// Author and dates as the file gives them; each may be missing.
    pub stamp: Stamp,
    /// Its `PlainTextSelection`s with usable positions, in file order.
    pub selections: Vec<Selection>,
    /// Codings of the whole source.
    pub whole_codings: Vec<Coding>,
    /// GUIDs of the notes about it (its `NoteRef`s); they become memos on the document.
    pub note_refs: Vec<String>,
    /// Its variable values: they become document attributes.
    pub values: Vec<Value>,
}

/// A note (memo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// GUID, normalised; kept as the memo's GUID.
    pub guid: String,
    /// The `name` attribute; the memo's text when the note's own text is blank.
    pub name: String,
    /// Where its text is: inline, or a file in the archive read when memos are planned.
    pub text: TextRef,
    /// Author and dates as the file gives them; each may be missing.
    pub stamp: Stamp,
}

/// A link between two objects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The `name` attribute, shown when the link is reported as not imported.
    pub name: String,
    /// `originGUID`, normalised; a link from (or to) a note makes that note a memo on the
    /// other end.
    pub origin: Option<String>,
    /// `targetGUID`, normalised; `None` when absent.
    pub target: Option<String>,
}

/// A `Set` (a named group of codes, sources or notes); only kind sets and « attribute: value »
/// sets of sources are imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Set {
    /// The `name` attribute, trimmed: `fouille:…` prefixes and « attribute: value » are read
    /// from it.
    pub name: String,
    /// The `Description` element's text; empty if none.
    pub description: String,
    /// GUIDs of its member codes.
    pub codes: Vec<String>,
    /// GUIDs of its member sources.
    pub sources: Vec<String>,
    /// GUIDs of its member notes.
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
    /// The file's users, in file order.
    pub users: Vec<User>,
    /// Codes, parents first.
    pub codes: Vec<Code>,
    /// The file's variables, in file order; their scope is decided by where they have values.
    pub variables: Vec<Variable>,
    /// The file's cases, in file order: one respondent each.
    pub cases: Vec<Case>,
    /// Text sources.
    pub sources: Vec<Source>,
    /// The file's notes, in file order; their targets come from `NoteRef`s and links.
    pub notes: Vec<Note>,
    /// The file's links; only those between a note and an imported object are used.
    pub links: Vec<Link>,
    /// The file's sets, read for document kinds, code kinds and document attributes.
    pub sets: Vec<Set>,
    /// Notes about the project as a whole.
    pub project_note_refs: Vec<String>,
    /// What the file holds that is not imported.
    pub not_imported: Vec<NotImported>,
    /// Remarks met while reading (GUIDs missing, invalid or repeated), copied into the
    /// import report.
    pub remarks: Vec<String>,
    /// GUIDs used for objects of two kinds (a code and a source…), described: such a file
    /// is refused, since its references cannot be told apart.
    pub guids_across_kinds: Vec<String>,
}
