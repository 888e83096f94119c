//! The typed reasons of a [`StoreError`](super::StoreError): what was missing
//! ([`Thing`]) and which rule a request broke ([`Rule`]). Each carries its data as fields,
//! so that `crate::i18n::errors` words it in the user's language; the `Display` texts here
//! are the English of the logs and the command line.

use crate::model::{AttributeType, BadValue};

/// A kind of row the store holds, as named when one is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Thing {
    /// A code of the codebook.
    Code,
    /// A document.
    Document,
    /// A coding (a coded excerpt).
    Coding,
    /// A coder.
    Coder,
    /// A respondent.
    Respondent,
    /// An attribute.
    Attribute,
    /// A memo.
    Memo,
    /// An entry of the pseudonym table.
    PseudonymEntry,
}

impl std::fmt::Display for Thing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Thing::Code => "code",
            Thing::Document => "document",
            Thing::Coding => "coding",
            Thing::Coder => "coder",
            Thing::Respondent => "respondent",
            Thing::Attribute => "attribute",
            Thing::Memo => "memo",
            Thing::PseudonymEntry => "pseudonym entry",
        })
    }
}

/// What must have a name that is not blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// A code.
    Code,
    /// A document.
    Document,
    /// A coder.
    Coder,
    /// A respondent.
    Respondent,
    /// An attribute.
    Attribute,
}

/// With its article ("a code", "an attribute").
impl std::fmt::Display for Named {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Named::Code => "a code",
            Named::Document => "a document",
            Named::Coder => "a coder",
            Named::Respondent => "a respondent",
            Named::Attribute => "an attribute",
        })
    }
}

/// A request the store refuses: it would break a rule of the project. Nothing was changed.
/// Excerpt bounds are in characters (Unicode scalar values) from the start of the text.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Rule {
    /// A name is blank (or only spaces).
    #[error("{0} needs a name")]
    EmptyName(Named),
    /// A code name holds `/`, which separates the levels of a code path.
    #[error("« {name} »: a code name cannot contain '/'")]
    SlashInCodeName {
        /// The name refused.
        name: String,
    },
    /// A sibling code already has this name.
    #[error("a code named « {name} » already exists here")]
    CodeNameTaken {
        /// The name refused.
        name: String,
    },
    /// A pole is only ever placed under a controversy.
    #[error("pole « {name} » must be placed under a controversy")]
    PoleOutsideControversy {
        /// The pole.
        name: String,
    },
    /// A piste is only ever placed under an orientation.
    #[error("piste « {name} » must be placed under an orientation")]
    PisteOutsideOrientation {
        /// The piste.
        name: String,
    },
    /// Something other than a pole was placed under a controversy.
    #[error("a controversy holds exactly two poles and nothing else")]
    ControversyHoldsPolesOnly,
    /// A third pole was placed under a controversy.
    #[error("controversy « {controversy} » already has its two poles")]
    ControversyFull {
        /// The controversy.
        controversy: String,
    },
    /// A code was placed under a pole.
    #[error("a pole cannot hold other codes")]
    PoleHoldsCodes,
    /// A colour is not `#RRGGBB`.
    #[error("« {0} » is not a colour (#RRGGBB)")]
    BadColour(String),
    /// A code was moved under itself or one of its sub-codes.
    #[error("cannot move « {name} » inside itself")]
    CodeCycle {
        /// The code moved.
        name: String,
    },
    /// A code was merged into itself.
    #[error("cannot merge a code into itself")]
    MergeIntoItself,
    /// A code was merged into one of its own sub-codes.
    #[error("cannot merge a code into one of its own sub-codes")]
    MergeIntoSubCode,
    /// A folder-like code (folder, controversy, orientation) was used to code an excerpt.
    #[error("« {code} » is a folder and cannot hold codings")]
    NotCodable {
        /// The code's name (its GUID when only that is known).
        code: String,
    },
    /// A code name matches several codes.
    #[error("« {key} » names several codes: {}; give the full path", paths.join(", "))]
    AmbiguousCode {
        /// The name given.
        key: String,
        /// The full paths (`Parent/Child`) of the codes it matches.
        paths: Vec<String>,
    },
    /// A document name matches several documents.
    #[error("several documents are named « {name} »: use the GUID")]
    AmbiguousDocument {
        /// The name given.
        name: String,
    },
    /// The document is in the bin: it cannot be coded or edited.
    #[error("« {name} » was deleted")]
    DocumentDeleted {
        /// The document.
        name: String,
    },
    /// An excerpt ends where it starts, or before.
    #[error("empty excerpt {start}..{end}")]
    EmptyRange {
        /// First character.
        start: usize,
        /// One past the last character.
        end: usize,
    },
    /// An excerpt reaches past the end of its document.
    #[error("excerpt {start}..{end} is outside its document (0..{len})")]
    RangeOutOfBounds {
        /// First character.
        start: usize,
        /// One past the last character.
        end: usize,
        /// The document's length in characters.
        len: usize,
    },
    /// The same coder was given twice where two are compared.
    #[error("choose two different coders")]
    SameCoder,
    /// Agreement was asked of fewer than two coders.
    #[error("agreement needs at least two coders")]
    TooFewCoders,
    /// An attribute of this name exists with another type.
    #[error("attribute « {name} » already exists with type {}", existing.as_str())]
    AttributeTypeClash {
        /// The attribute.
        name: String,
        /// Its type in the project.
        existing: AttributeType,
    },
    /// A value does not fit its attribute's type.
    #[error("{attribute}: {problem}")]
    BadValue {
        /// The attribute.
        attribute: String,
        /// The value and the type it misses.
        problem: BadValue,
    },
    /// A cell of a survey file does not fit its column's type.
    #[error("{file}, line {line}: {attribute}: {problem}")]
    SurveyValue {
        /// The survey file's name.
        file: String,
        /// The line of the file where the record starts (1 = the header).
        line: u64,
        /// The column's attribute.
        attribute: String,
        /// The value and the type it misses.
        problem: BadValue,
    },
    /// A pseudonym entry has nothing to replace.
    #[error("a pseudonym entry needs the string to replace")]
    PseudonymEmpty,
    /// A pseudonym entry would replace a string by itself.
    #[error("« {original} » would be replaced by itself")]
    PseudonymItself {
        /// The string.
        original: String,
    },
    /// A text read at the start of a merge is gone from the projects merged (one was
    /// changed meanwhile).
    #[error(
        "the text {hash} is no longer in the projects merged (changed during the merge?): merge again"
    )]
    MergeTextGone {
        /// The start of the text's content hash.
        hash: String,
    },
    /// A document's stored text is not UTF-8 (the file was changed outside Fouille).
    #[error("document « {document} »: its text is not valid UTF-8")]
    TextNotUtf8 {
        /// The document.
        document: String,
    },
    /// A codebook template names a code kind this version does not know.
    #[error("template: unknown kind {0}")]
    TemplateKind(String),
    /// A line of the sample's `codings.csv` names a file the sample does not hold.
    #[error("codings.csv line {line}: unknown file {file}")]
    SampleFileUnknown {
        /// The line of `codings.csv` (1 = the header).
        line: usize,
        /// The file named.
        file: String,
    },
    /// A line of the sample's `codings.csv` quotes words its interview does not hold.
    #[error("codings.csv line {line}: quote not found in {file}: « {quote} »")]
    SampleQuoteMissing {
        /// The line of `codings.csv` (1 = the header).
        line: usize,
        /// The interview file.
        file: String,
        /// The words quoted.
        quote: String,
    },
}
