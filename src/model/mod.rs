//! Plain data types of a Fouille project, and text offsets. No I/O here.

mod align;
pub mod char_scan;
pub mod ids;
pub mod rebase;
pub mod text;
pub mod timestamps;
pub mod turns;

pub use ids::{CodeId, CoderId, CodingId, DocumentId, MemoId, RespondentId};

use serde::{Deserialize, Serialize};
use std::fmt;

/// A new GUID: UUID v4, lowercase, hyphenated — the form [`normalize_guid`] gives foreign GUIDs
/// too, so GUIDs from any source compare as plain strings.
pub fn new_guid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Normalises a foreign GUID (braces, upper case) to our form; `None` if it is not a UUID.
pub fn normalize_guid(raw: &str) -> Option<String> {
    let trimmed = raw.trim().trim_start_matches('{').trim_end_matches('}');
    uuid::Uuid::parse_str(trimmed)
        .ok()
        .map(|u| u.hyphenated().to_string())
}

/// Milliseconds since the Unix epoch, UTC: the unit of every timestamp in the store.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Formats a timestamp in ms as an ISO 8601 UTC date-time (`2025-03-04T10:20:30Z`).
pub fn format_ms(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// A language of the interface, tables and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// French (the default).
    #[default]
    #[serde(alias = "Fr")]
    Fr,
    /// English.
    #[serde(alias = "En")]
    En,
}

impl Lang {
    /// Both languages, French first.
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    /// The language's own name.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Fr => "Français",
            Lang::En => "English",
        }
    }

    /// Picks the French or the English wording.
    pub fn pick<'a>(self, fr: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }
    /// Parses `fr` / `en` (case-insensitive; names in either language accepted).
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_lowercase().as_str() {
            "fr" | "français" | "francais" | "french" => Some(Lang::Fr),
            "en" | "english" | "anglais" => Some(Lang::En),
            _ => None,
        }
    }
    /// The BCP 47 code (`fr`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }
}

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// An interview (typed or imported text).
    Interview,
    /// A transcript of a recording (often with timestamps).
    Transcript,
    /// One respondent's answer to one open question of a survey.
    SurveyAnswer,
    /// A field note or any other text.
    Note,
}

impl DocumentKind {
    /// Stable name used in the store and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Interview => "interview",
            DocumentKind::Transcript => "transcript",
            DocumentKind::SurveyAnswer => "survey_answer",
            DocumentKind::Note => "note",
        }
    }
    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<DocumentKind> {
        Some(match s {
            "interview" => DocumentKind::Interview,
            "transcript" => DocumentKind::Transcript,
            "survey_answer" => DocumentKind::SurveyAnswer,
            "note" => DocumentKind::Note,
            _ => return None,
        })
    }
}

/// A code's kind: a free theme, a folder, or one of the two structured families (a controversy
/// with two poles, an orientation with its pistes) that reports can group excerpts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum CodeKind {
    /// A free code, placed anywhere but under a controversy or a pole.
    Theme,
    /// A container that cannot be coded.
    Folder,
    /// A tension with exactly two children of kind `Pole`.
    Controversy,
    /// One side of a controversy.
    Pole,
    /// An orientation, whose children are pistes.
    Orientation,
    /// A concrete recommendation under an orientation.
    Piste,
}

impl CodeKind {
    /// Every kind, in declaration order; [`CodeKind::parse`] searches it.
    pub const ALL: [CodeKind; 6] = [
        CodeKind::Theme,
        CodeKind::Folder,
        CodeKind::Controversy,
        CodeKind::Pole,
        CodeKind::Orientation,
        CodeKind::Piste,
    ];
    /// Stable name used in the store, the CLI and QDPX round trips.
    pub fn as_str(self) -> &'static str {
        match self {
            CodeKind::Theme => "theme",
            CodeKind::Folder => "folder",
            CodeKind::Controversy => "controversy",
            CodeKind::Pole => "pole",
            CodeKind::Orientation => "orientation",
            CodeKind::Piste => "piste",
        }
    }
    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<CodeKind> {
        CodeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// Whether excerpts can be coded with a code of this kind.
    pub fn is_codable(self) -> bool {
        self != CodeKind::Folder
    }
}

impl fmt::Display for CodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The value type of an attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttributeType {
    /// Free text, stored trimmed; any value is accepted.
    Text,
    /// A whole number that fits in an `i64`, stored in decimal digits.
    Integer,
    /// A finite decimal number; a typed comma is read as the decimal point.
    Decimal,
    /// Stored as `true` or `false`; vrai/faux, oui/non, yes/no and 1/0 are accepted when typed.
    Boolean,
    /// A calendar date, stored as `YYYY-MM-DD`; `DD/MM/YYYY` is accepted when typed.
    Date,
}

impl AttributeType {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            AttributeType::Text => "text",
            AttributeType::Integer => "integer",
            AttributeType::Decimal => "decimal",
            AttributeType::Boolean => "boolean",
            AttributeType::Date => "date",
        }
    }
    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<AttributeType> {
        Some(match s {
            "text" => AttributeType::Text,
            "integer" => AttributeType::Integer,
            "decimal" => AttributeType::Decimal,
            "boolean" => AttributeType::Boolean,
            "date" => AttributeType::Date,
            _ => return None,
        })
    }
    /// Checks and canonicalises a value typed by a user for this type.
    pub fn canonical_value(self, raw: &str) -> Result<String, BadValue> {
        let raw = raw.trim();
        let bad = || BadValue {
            raw: raw.to_string(),
            expected: self,
        };
        match self {
            AttributeType::Text => Ok(raw.to_string()),
            AttributeType::Integer => raw.parse::<i64>().map(|v| v.to_string()).map_err(|_| bad()),
            AttributeType::Decimal => raw
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .map(|v| v.to_string())
                .ok_or_else(bad),
            AttributeType::Boolean => match raw.to_lowercase().as_str() {
                "true" | "vrai" | "oui" | "yes" | "1" => Ok("true".into()),
                "false" | "faux" | "non" | "no" | "0" => Ok("false".into()),
                _ => Err(bad()),
            },
            AttributeType::Date => chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .or_else(|_| chrono::NaiveDate::parse_from_str(raw, "%d/%m/%Y"))
                .map(|d| d.format("%Y-%m-%d").to_string())
                .map_err(|_| bad()),
        }
    }
}

/// A value that does not fit an attribute's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadValue {
    /// The value, trimmed.
    pub raw: String,
    /// The type it was checked against (never [`AttributeType::Text`], which takes any).
    pub expected: AttributeType,
}

impl std::fmt::Display for BadValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let raw = &self.raw;
        match self.expected {
            AttributeType::Text => write!(f, "« {raw} » is not text"),
            AttributeType::Integer => write!(f, "« {raw} » is not a whole number"),
            AttributeType::Decimal => write!(f, "« {raw} » is not a number"),
            AttributeType::Boolean => write!(f, "« {raw} » is not true/false"),
            AttributeType::Date => {
                write!(f, "« {raw} » is not a date (YYYY-MM-DD or DD/MM/YYYY)")
            }
        }
    }
}

/// What an attribute describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttributeScope {
    /// Respondents (cases).
    Respondent,
    /// Documents: the value describes one text, not the person who speaks in it.
    Document,
}

impl AttributeScope {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            AttributeScope::Respondent => "respondent",
            AttributeScope::Document => "document",
        }
    }
    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<AttributeScope> {
        match s {
            "respondent" => Some(AttributeScope::Respondent),
            "document" => Some(AttributeScope::Document),
            _ => None,
        }
    }
}

/// A respondent's consent to the use of their interview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Consent {
    /// Consent given: the respondent's excerpts are reported with no marker.
    Given,
    /// Not yet asked or not yet answered.
    Pending,
    /// Consent withdrawn: left out of exports.
    Withdrawn,
}

impl Consent {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Consent::Given => "given",
            Consent::Pending => "pending",
            Consent::Withdrawn => "withdrawn",
        }
    }
    /// Parses a stored or typed name (French accepted).
    pub fn parse(s: &str) -> Option<Consent> {
        match s.trim().to_lowercase().as_str() {
            "given" | "donné" | "donne" | "oui" | "yes" => Some(Consent::Given),
            "pending" | "en attente" | "" => Some(Consent::Pending),
            "withdrawn" | "retiré" | "retire" | "non" | "no" => Some(Consent::Withdrawn),
            _ => None,
        }
    }
}

/// What a memo is attached to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "guid", rename_all = "snake_case")]
pub enum MemoTarget {
    /// The project as a whole.
    Project,
    /// A document, by its GUID.
    Document(DocumentId),
    /// A respondent, by its GUID.
    Respondent(RespondentId),
    /// A code, by its GUID.
    Code(CodeId),
    /// One coded excerpt, by the coding's GUID.
    Coding(CodingId),
}

impl MemoTarget {
    /// Stable name of the target type.
    pub fn kind_str(&self) -> &'static str {
        match self {
            MemoTarget::Project => "project",
            MemoTarget::Document(_) => "document",
            MemoTarget::Respondent(_) => "respondent",
            MemoTarget::Code(_) => "code",
            MemoTarget::Coding(_) => "coding",
        }
    }
    /// GUID of the target (empty for the project).
    pub fn guid(&self) -> &str {
        match self {
            MemoTarget::Project => "",
            MemoTarget::Respondent(g) => g.as_str(),
            MemoTarget::Coding(g) => g.as_str(),
            MemoTarget::Code(g) => g.as_str(),
            MemoTarget::Document(g) => g.as_str(),
        }
    }
    /// Rebuilds a target from its stored parts.
    pub fn from_parts(kind: &str, guid: &str) -> Option<MemoTarget> {
        Some(match kind {
            "project" => MemoTarget::Project,
            "document" => MemoTarget::Document(DocumentId::new(guid)),
            "respondent" => MemoTarget::Respondent(RespondentId::new(guid)),
            "code" => MemoTarget::Code(CodeId::new(guid)),
            "coding" => MemoTarget::Coding(CodingId::new(guid)),
            _ => return None,
        })
    }
}

/// A person who codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coder {
    /// Stable identity (lowercase hyphenated UUID); codings, codes and memos name their author
    /// by it.
    pub guid: CoderId,
    /// Display name, unique in a project.
    pub name: String,
}

/// A document of the corpus (without its text, which can be large).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentInfo {
    /// Stable identity (lowercase hyphenated UUID), kept through renames; codings and memos
    /// refer to the document by it.
    pub guid: DocumentId,
    /// Display name (usually the file name without extension).
    pub name: String,
    /// Interview, transcript, survey answer or note; stored by its [`DocumentKind::as_str`] name.
    pub kind: DocumentKind,
    /// SHA-256 of the stored text, hex.
    pub content_hash: String,
    /// Length of the text in chars.
    pub char_len: usize,
    /// Attached audio/video file, if any.
    pub media_path: Option<String>,
    /// Where it was imported from (file path or description).
    pub origin: String,
    /// GUID of the respondent who speaks in it; `None` while the document is linked to nobody.
    pub respondent_guid: Option<RespondentId>,
    /// When the row was created, in ms since the Unix epoch, UTC (see [`now_ms`]).
    pub created_at: i64,
    /// Last change to the row, in ms since the Unix epoch, UTC.
    pub modified_at: i64,
}

/// A respondent (a case).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Respondent {
    /// Stable identity (lowercase hyphenated UUID); documents link to the respondent by it.
    pub guid: RespondentId,
    /// Real name, identifying: exports that ask for it print `pseudonym` instead.
    pub name: String,
    /// Pseudonym used in exports when asked.
    pub pseudonym: String,
    /// Whether the interview may be used; a `Withdrawn` respondent's excerpts stay out of reports.
    pub consent: Consent,
    /// When the row was created, in ms since the Unix epoch, UTC.
    pub created_at: i64,
    /// Last change to the row, in ms since the Unix epoch, UTC.
    pub modified_at: i64,
}

/// An attribute definition (a variable).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribute {
    /// Stable identity (lowercase hyphenated UUID), kept through renames.
    pub guid: String,
    /// Name, unique among the live attributes of its scope (a respondent and a document attribute
    /// may share one).
    pub name: String,
    /// How typed values are checked and canonicalised ([`AttributeType::canonical_value`]).
    pub value_type: AttributeType,
    /// Whether values belong to respondents or to documents.
    pub scope: AttributeScope,
}

/// A code of the codebook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Code {
    /// Stable identity (lowercase hyphenated UUID); codings point to the code by it, so renaming or
    /// moving the code keeps them.
    pub guid: CodeId,
    /// GUID of the parent code; `None` for a top-level code.
    pub parent_guid: Option<CodeId>,
    /// Name, unique among its live siblings; never empty and without `/`, which separates a path.
    pub name: String,
    /// Which tree rules apply (a pole only under a controversy, a piste only under an orientation)
    /// and whether excerpts can be coded with it (not with a folder).
    pub kind: CodeKind,
    /// Colour as lowercase `#rrggbb`; a new code given none takes the next colour of the palette.
    pub color: String,
    /// Free text for coders (what the code means, when to apply it); empty if none was written.
    pub description: String,
    /// Position among siblings, ascending; a new code goes after the last (highest + 1).
    pub sort_order: i64,
    /// GUID of the coder who created it; empty when the author is unknown.
    pub created_by: CoderId,
    /// When the row was created, in ms since the Unix epoch, UTC.
    pub created_at: i64,
    /// Last change to the row (rename, move, colour…), in ms since the Unix epoch, UTC.
    pub modified_at: i64,
}

/// A coding: an excerpt of a document tagged with a code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coding {
    /// Stable identity (lowercase hyphenated UUID); memos on this excerpt target it.
    pub guid: CodingId,
    /// GUID of the coded document; the offsets below count into its stored text.
    pub document_guid: DocumentId,
    /// GUID of the code applied; never a folder, which cannot be coded.
    pub code_guid: CodeId,
    /// First char of the excerpt, counted in chars (Unicode scalar values) into the stored text,
    /// inclusive.
    pub start_char: usize,
    /// End of the excerpt in chars (Unicode scalar values), exclusive; always above `start_char`.
    pub end_char: usize,
    /// GUID of the coder who made it; unlike a code's or a memo's author, never empty.
    pub created_by: CoderId,
    /// When the row was created, in ms since the Unix epoch, UTC.
    pub created_at: i64,
    /// Last change to the row (e.g. offsets moved by a text edit), in ms since the Unix epoch, UTC.
    pub modified_at: i64,
    /// Project file this row came from in a merge (empty when made here).
    pub source_project: String,
}

/// A memo: free text a coder writes about the project, a document, a respondent, a code or an
/// excerpt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Memo {
    /// Stable identity (lowercase hyphenated UUID).
    pub guid: MemoId,
    /// What it is about: the project as a whole, or one object named by its GUID.
    pub target: MemoTarget,
    /// The memo's body as the coder wrote it; reports quote memos on codes and excerpts.
    pub text: String,
    /// GUID of the coder who wrote it; empty when the author is unknown.
    pub created_by: CoderId,
    /// When the row was created, in ms since the Unix epoch, UTC.
    pub created_at: i64,
    /// Last change to the text (or its deletion), in ms since the Unix epoch, UTC.
    pub modified_at: i64,
}
