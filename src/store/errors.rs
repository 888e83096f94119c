//! The store's errors ([`StoreError`]), and their typed reasons: what was missing
//! ([`Thing`]) and which rule a request broke ([`Rule`]). Each carries its data as fields,
//! so that `crate::i18n::errors` words it in the user's language; the `Display` texts here
//! are the English of the logs and the command line.

use super::{backup, damage, vfs};
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
    /// An attribute (of respondents or of documents).
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
    /// An attribute (of respondents or of documents).
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
        /// The name refused, as typed.
        name: String,
    },
    /// A sibling code already has this name.
    #[error("a code named « {name} » already exists here")]
    CodeNameTaken {
        /// The name refused, cleaned as it would have been stored.
        name: String,
    },
    /// A pole is only ever placed under a controversy.
    #[error("pole « {name} » must be placed under a controversy")]
    PoleOutsideControversy {
        /// Name of the pole placed elsewhere.
        name: String,
    },
    /// A piste is only ever placed under an orientation.
    #[error("piste « {name} » must be placed under an orientation")]
    PisteOutsideOrientation {
        /// Name of the piste placed elsewhere.
        name: String,
    },
    /// Something other than a pole was placed under a controversy.
    #[error("a controversy holds exactly two poles and nothing else")]
    ControversyHoldsPolesOnly,
    /// A third pole was placed under a controversy.
    #[error("controversy « {controversy} » already has its two poles")]
    ControversyFull {
        /// Name of the controversy that has its two poles.
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
        /// Name of the code that would end up under itself.
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
        /// The name or path as the user gave it (trimmed).
        key: String,
        /// The full paths (`Parent/Child`) of the codes it matches.
        paths: Vec<String>,
    },
    /// A document name matches several documents.
    #[error("several documents are named « {name} »: use the GUID")]
    AmbiguousDocument {
        /// The name as the user gave it (trimmed).
        name: String,
    },
    /// The document is in the bin: it cannot be coded or edited.
    #[error("« {name} » was deleted")]
    DocumentDeleted {
        /// Name of the deleted document.
        name: String,
    },
    /// An excerpt ends where it starts, or before.
    #[error("empty excerpt {start}..{end}")]
    EmptyRange {
        /// First char of the excerpt, inclusive.
        start: usize,
        /// One past the last character.
        end: usize,
    },
    /// An excerpt reaches past the end of its document.
    #[error("excerpt {start}..{end} is outside its document (0..{len})")]
    RangeOutOfBounds {
        /// First char of the excerpt, inclusive.
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
        /// Name of the attribute asked for again.
        name: String,
        /// Its type in the project.
        existing: AttributeType,
    },
    /// A value does not fit its attribute's type.
    #[error("{attribute}: {problem}")]
    BadValue {
        /// Name of the attribute the value was for.
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
        /// The original the entry would replace.
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
        /// Name of the document whose text is not UTF-8.
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
        /// The interview file the line names, as written there.
        file: String,
    },
    /// A line of the sample's `codings.csv` quotes words its interview does not hold.
    #[error("codings.csv line {line}: quote not found in {file}: « {quote} »")]
    SampleQuoteMissing {
        /// The line of `codings.csv` (1 = the header).
        line: usize,
        /// The interview file the line names.
        file: String,
        /// The words quoted on that line, which the interview does not hold.
        quote: String,
    },
}

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// An SQLite error.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file, as shown to the user.
        path: String,
        /// What the system said; `i18n::errors::io` words the usual kinds.
        source: std::io::Error,
    },
    /// Another process has the project open.
    #[error("{path} is already open in another Fouille window ({holder}); close it there first")]
    Locked {
        /// The project file, as shown to the user.
        path: String,
        /// Who holds it: user, machine and since when (see `LockHolder`).
        holder: String,
    },
    /// A session ended without closing the project, on another machine or in a process we
    /// cannot prove dead.
    #[error(
        "{path} was left open by {holder}, which did not close it; if that session is really gone, take the project over (in the command line: --take-over)"
    )]
    StaleLock {
        /// The project file, as shown to the user.
        path: String,
        /// Who left it: user, machine and since when.
        holder: String,
    },
    /// The file is not a Fouille project.
    #[error("{path} is not a Fouille project ({reason})")]
    NotAProject {
        /// The file, as shown to the user.
        path: String,
        /// What shows it is not one.
        reason: NotAProjectReason,
    },
    /// The project file is damaged: pages fail their checksum, the file is cut short, or
    /// SQLite finds its structure broken.
    #[error("{path}: this project file is damaged ({detail}); {}", damage::restore_advice(path, last_backup.as_ref()))]
    Damaged {
        /// The project file, as shown to the user.
        path: String,
        /// What the check found: which pages, or how much is missing.
        detail: damage::Damage,
        /// The newest backup of the project, if any.
        last_backup: Option<backup::BackupInfo>,
    },
    /// The project can be read but not changed (the file, its folder or its disk is
    /// read-only).
    #[error(
        "{path} is read-only ({reason}): it can be listed, analysed and exported, not changed; to edit it, copy it to a folder where you may write"
    )]
    ReadOnly {
        /// The project file, as shown to the user.
        path: String,
        /// Why it cannot be written.
        reason: ReadOnlyReason,
    },
    /// Not enough free disk space: nothing was changed.
    #[error("{}", space_message(folder, *needed_bytes, *free_bytes))]
    DiskFull {
        /// The folder that ran out of room.
        folder: String,
        /// Bytes the write needed, when known beforehand.
        needed_bytes: Option<u64>,
        /// Bytes that were free, when known.
        free_bytes: Option<u64>,
    },
    /// An action was committed into the write-ahead log, but could not then be written into
    /// the project file itself.
    #[error(
        "the change is saved in {path}-wal but could not be written into {path} ({reason}); free some disk space: Fouille finishes writing it the next time the project opens (do not delete {path}-wal)"
    )]
    NotWritten {
        /// The project file, as shown to the user (its log is this path with `-wal`).
        path: String,
        /// Why the log could not be written back into the file.
        reason: NotWrittenReason,
    },
    /// The project was written by a newer Fouille.
    #[error(
        "this project was saved by a newer version of Fouille (schema {found}; this version reads up to {supported}): update Fouille to open it"
    )]
    NewerVersion {
        /// Version in the file.
        found: i64,
        /// Highest this build reads.
        supported: i64,
    },
    /// Something named does not exist.
    #[error("{what} « {key} » not found")]
    NotFound {
        /// What kind of thing.
        what: Thing,
        /// The name, GUID or number it was asked by.
        key: String,
    },
    /// A request that breaks a rule (bad offsets, a name already taken…); nothing changed.
    #[error(transparent)]
    Rule(#[from] Rule),
    /// A file to be created is already there; it was left alone.
    #[error("{path} already exists")]
    Exists {
        /// The file found there, as shown to the user.
        path: String,
    },
}

impl StoreError {
    /// A missing `what`, asked for by `key`.
    pub fn not_found(what: Thing, key: impl Into<String>) -> StoreError {
        StoreError::NotFound {
            what,
            key: key.into(),
        }
    }

    /// Whether the error refuses the request ([`StoreError::Rule`], [`StoreError::NotFound`])
    /// rather than failing: the project is as it was and can go on being used.
    pub fn is_refusal(&self) -> bool {
        matches!(self, StoreError::Rule(_) | StoreError::NotFound { .. })
    }
}

/// Why a file is not a Fouille project (or not a sound backup of one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAProjectReason {
    /// A folder, or something else that is not a file.
    NotAFile,
    /// A file of zero bytes.
    Empty,
    /// A file that is not an SQLite database.
    NotSqlite,
    /// An SQLite database without the Fouille tables.
    NoFouilleTables,
    /// SQLite cannot read it; its words.
    Sqlite(String),
    /// A backup whose integrity check fails; SQLite's report.
    DamagedBackup(String),
}

impl std::fmt::Display for NotAProjectReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotAProjectReason::NotAFile => write!(f, "not a file"),
            NotAProjectReason::Empty => write!(f, "the file is empty"),
            NotAProjectReason::NotSqlite => write!(f, "not an SQLite database"),
            NotAProjectReason::NoFouilleTables => {
                write!(f, "an SQLite database without Fouille tables")
            }
            NotAProjectReason::Sqlite(words) => write!(f, "{words}"),
            NotAProjectReason::DamagedBackup(report) => write!(f, "damaged backup ({report})"),
        }
    }
}

/// Why a change kept in the write-ahead log could not be written into the project file.
#[derive(Debug)]
pub enum NotWrittenReason {
    /// A reader (another program, a copy in progress) held the log.
    ReaderHoldsLog,
    /// Writing failed: the disk, SQLite or the system said why.
    Failed(Box<StoreError>),
}

impl std::fmt::Display for NotWrittenReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotWrittenReason::ReaderHoldsLog => {
                write!(f, "a reader kept the last changes in the log")
            }
            NotWrittenReason::Failed(error) => write!(f, "{error}"),
        }
    }
}

/// Why a project cannot be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadOnlyReason {
    /// The file itself is read-only.
    File,
    /// Its folder (or the disk) is read-only.
    Folder(String),
}

impl std::fmt::Display for ReadOnlyReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadOnlyReason::File => write!(f, "the file is read-only"),
            ReadOnlyReason::Folder(folder) => write!(f, "its folder {folder} is read-only"),
        }
    }
}

fn space_message(folder: &str, needed: Option<u64>, free: Option<u64>) -> String {
    let mb = |b: u64| b.div_ceil(1_048_576);
    match (needed, free) {
        (Some(needed), Some(free)) => format!(
            "not enough free disk space in {folder}: about {} MB are needed and {} MB are free; free some space and try again (nothing was changed)",
            mb(needed),
            mb(free)
        ),
        _ => format!(
            "the disk holding {folder} is full: nothing was changed; free some space and try again"
        ),
    }
}

impl From<rusqlite::Error> for StoreError {
    /// A checksum failure becomes [`StoreError::Damaged`] and a full disk
    /// [`StoreError::DiskFull`], whichever store function met them.
    fn from(error: rusqlite::Error) -> StoreError {
        match error.sqlite_error().map(|e| e.extended_code) {
            Some(rusqlite::ffi::SQLITE_IOERR_DATA) => damage::checksum_fault(),
            Some(rusqlite::ffi::SQLITE_CORRUPT | rusqlite::ffi::SQLITE_NOTADB) => {
                damage::structure_fault(&error)
            }
            Some(code) if code & 0xff == rusqlite::ffi::SQLITE_FULL => StoreError::DiskFull {
                folder: vfs::last_file_folder().unwrap_or_else(|| "the project's folder".into()),
                needed_bytes: None,
                free_bytes: None,
            },
            _ => StoreError::Sqlite(error),
        }
    }
}

/// Result of the store.
pub type StoreResult<T> = Result<T, StoreError>;
