//! The application layer: one function per user action, called by both faces of Fouille
//! (the command line in `cli`, the desktop app in `ui`), so that neither decides anything
//! the other must repeat.
//!
//! Each action takes typed arguments and returns a typed outcome: what changed (for the
//! faces to show again), and what to tell the user as a [`message::Message`] — a key of
//! the catalogue ([`crate::i18n`]) with its arguments, which each face words in its own
//! language. Errors are [`AppError`]s, worded by [`crate::i18n::errors`].
//!
//! - [`edit`]: the changes of a project (code, uncode, in-vivo, memos, the codebook,
//!   documents, respondents, attributes): one action, one undo step each.
//! - [`import`]: files into a project, REFI-QDA files recognised whatever the face.
//! - [`iramuteq`]: a corpus for IRaMuTeQ (one text per excerpt or per document, starred
//!   variables), pseudonymised on request.
//! - [`lexical`]: searching the words of the interviews (passages, concordance, word
//!   frequencies), coding every hit of a query, coding a passage named by quoting it.
//! - [`report`]: coded reports (synthesis → report → file) and synthesis tables with
//!   their charts.
//! - [`transcribe`]: a recording recognised on the user's machine, written into a
//!   document with its time marks and the recording attached.
//! - [`turns`]: speaker labels put on a transcript's turns, the speakers alternating.

pub mod edit;
pub mod import;
pub mod iramuteq;
pub mod lexical;
pub mod message;
pub mod report;
pub mod transcribe;
pub mod turns;

use crate::store::StoreError;

/// Why an action could not be done.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The project refused or failed (see [`StoreError`]).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The selection holds no word to name an in-vivo code after.
    #[error("the selection holds no word to name a code after")]
    InVivoEmpty,
    /// A file could not be imported.
    #[error(transparent)]
    Import(#[from] crate::import::files::ImportError),
    /// A REFI-QDA file could not be imported.
    #[error(transparent)]
    Refi(#[from] crate::import::qdpx::RefiError),
    /// A table could not be computed.
    #[error(transparent)]
    Analysis(#[from] crate::analysis::AnalysisError),
    /// A report could not be written.
    #[error(transparent)]
    Report(#[from] crate::export::report::ReportError),
    /// Tables could not be written.
    #[error(transparent)]
    Tables(#[from] crate::export::tables::TableExportError),
    /// A respondent or attributes were given for REFI-QDA files, which carry their own.
    #[error(
        "--respondent and --attr apply to documents, not to .qdpx/.qdc files: import those separately"
    )]
    RespondentForRefi,
    /// Speech could not be recognised (model, recording, cancelled).
    #[error(transparent)]
    Speech(#[from] crate::speech::SpeechError),
    /// The document already has text, and replacing it was not agreed.
    #[error("« {0} » already has text: transcribing into it replaces that text (--replace)")]
    DocumentHasText(String),
    /// The recording holds no speech the model could recognise; nothing was written.
    #[error("{}: no speech recognised; nothing was written", .0.display())]
    NoSpeech(std::path::PathBuf),
    /// A search query could not be parsed (its kind, token and place).
    #[error(transparent)]
    Query(#[from] crate::lexical::QueryError),
    /// The quoted text is not in the document.
    #[error("« {quote} » is not in « {document} »")]
    QuoteAbsent {
        /// Name of the document searched.
        document: String,
        /// The text quoted, as given.
        quote: String,
    },
    /// The quoted text is in the document more than once.
    #[error("« {quote} » is in « {document} » {} times: {}", places.len(), places.join(" ; "))]
    QuoteAmbiguous {
        /// Name of the document searched.
        document: String,
        /// The text quoted, as given.
        quote: String,
        /// Each place, `[start..end] …context[quote]context…`.
        places: Vec<String>,
    },
}

/// Result of an action.
pub type AppResult<T> = Result<T, AppError>;
