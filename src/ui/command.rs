//! What panels ask for. A panel never changes the project: it pushes a [`Command`], and
//! `apply.rs` applies the queue after the frame, through the core, handling each error once.
//!
//! The commands come in groups, and the group decides whether a command is an edit
//! ([`Command::edits_project`]): an edit needs an open project (not lent to the worker),
//! and what it changed is read again after it.

use std::path::PathBuf;

use super::state::{BottomTab, LeftTab, Screen};
use crate::app::edit::Edit;
use crate::i18n::Language;
use crate::model::{CodeId, CoderId, CodingId, DocumentId, MemoTarget, RespondentId};

/// Every request a panel can make, by group.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// A change of the project through the application layer ([`crate::app::edit`]): one
    /// action, one undo step. Counts as an edit.
    Edit(Edit),
    /// Other work that changes the project: undo and redo, imports, merges, backups,
    /// blinding, a coder's version kept, the transcript saved, a recording attached,
    /// speaker labels, the acting coder. Counts as an edit.
    Work(Work),
    /// What is shown: screens, tabs, the open document, selections, the transcript
    /// editor. Not an edit (opening or closing the transcript editor saves its pending
    /// text itself, see [`Navigation::CloseTranscript`]).
    Go(Navigation),
    /// Opens a question, popup or dialog; reads the project at most, so not an edit.
    Ask(Prompt),
    /// Which project is open, and the language. Not an edit: these close and open projects
    /// rather than change the open one.
    Session(Session),
    /// Writes a file from the project without changing it (REFI-QDA, tables, report), on
    /// the worker. Not an edit.
    Export(Export),
    /// Automatic transcription: a job started or cancelled, the model chosen. Not an edit:
    /// a job's text is written when its recognition ends, as an action of its own.
    Transcribe(Transcribe),
}

impl Command {
    /// Whether the command changes the open project, and so needs one (not lent to the
    /// worker), and has what it changed read again after it. Each group decides.
    pub fn edits_project(&self) -> bool {
        match self {
            Command::Edit(_) | Command::Work(_) => true,
            Command::Go(_)
            | Command::Ask(_)
            | Command::Session(_)
            | Command::Export(_)
            | Command::Transcribe(_) => false,
        }
    }
}

/// Work that changes the project other than an [`Edit`].
#[derive(Debug, Clone, PartialEq)]
pub enum Work {
    /// Act as another coder (created in the project if new; remembered between sessions).
    SetCoder(String),
    /// Undo the last action of the project's history.
    Undo,
    /// Redo the last undone action.
    Redo,
    /// Import files on the worker: documents (txt, md, docx, odt, srt, vtt), REFI-QDA
    /// projects and codebooks (`.qdpx`, `.qdc`), each by its kind. The project is lent to
    /// the worker meanwhile.
    Import(Vec<PathBuf>),
    /// Merge other copies of the project into the open one on the worker (a backup is made
    /// first; the report opens in a window when done).
    Merge {
        /// The other project files.
        paths: Vec<PathBuf>,
        /// Merge codes with the same path and kind but different GUIDs.
        unify_codes: bool,
    },
    /// Turn blinded coding on or off (a project setting: each coder then sees only their
    /// own codings).
    SetBlind(bool),
    /// Join a team folder: publish there and gather the other members' files (a first
    /// synchronisation follows on the worker).
    TeamJoin(PathBuf),
    /// Gather the team folder's files into the project, then publish it, on the worker.
    TeamSync,
    /// Stop publishing to the team folder and gathering from it (this copy's file stays).
    TeamLeave,
    /// Make coder `to`'s coding of a range the same as coder `from`'s (one undoable action).
    AcceptVersion {
        /// GUID of the document the range is in.
        document: DocumentId,
        /// GUID of the code whose codings are compared.
        code: CodeId,
        /// First char of the range (char offset in the document's text).
        start: usize,
        /// Char offset just past the range (exclusive).
        end: usize,
        /// GUID of the coder whose version is kept.
        from: CoderId,
        /// GUID of the coder whose coding changes.
        to: CoderId,
    },
    /// Make a backup of the project file now (listed in File ▸ Backups…).
    MakeBackup,
    /// Save the transcript editor's text if it changed (one undoable action; the codings
    /// follow the edited text).
    SaveTranscript,
    /// Attach a recording (typed path) to a document (one undoable action) and decode it on
    /// the worker.
    AttachMedia {
        /// GUID of the document the recording belongs to.
        document: DocumentId,
        /// The audio file, as typed (trimmed before use; must exist).
        path: String,
    },
    /// Code the hits of a search (all, or the ticked ones), each widened to its unit, on
    /// the worker (the project is lent to it meanwhile): one undoable action, signed by the
    /// acting coder.
    Autocode(crate::app::lexical::AutocodeRequest),
    /// Keep changed stop-word lists in the project (a setting; the word table reads them).
    SetStopWords(crate::lexical::stopwords::StopWordEdits),
    /// Store a document's speaker labels in the project settings (Ctrl+1…Ctrl+8 insert
    /// them in the editor).
    SetSpeakers {
        /// GUID of the transcribed document.
        document: DocumentId,
        /// Labels in shortcut order (at most eight kept).
        speakers: Vec<String>,
    },
}

/// What is shown; the project is not changed (see [`Command::Go`] for the transcript
/// editor's save).
#[derive(Debug, Clone, PartialEq)]
pub enum Navigation {
    /// Show a screen (the Survey screen opens its first answer if no answer is open).
    Screen(Screen),
    /// Open a document (by GUID) in the document view, on the Coding screen unless the
    /// Survey screen shows.
    Document(DocumentId),
    /// Open a document, scroll to a range and select it.
    JumpTo {
        /// GUID of the document to open.
        document: DocumentId,
        /// First char of the range (char offset in the document's text).
        start: usize,
        /// Char offset just past the range (exclusive).
        end: usize,
    },
    /// Select a code for retrieval (and show the Retrieval tab).
    SelectCode {
        /// GUID of the code.
        guid: CodeId,
        /// Ctrl-click: toggle this code and keep the others selected.
        additive: bool,
    },
    /// Select a respondent, which filters the documents list (`None`: every document).
    SelectRespondent(Option<RespondentId>),
    /// Show a tab of the left panel.
    LeftTab(LeftTab),
    /// Show a tab of the bottom panel.
    BottomTab(BottomTab),
    /// Open the transcript editor on a document (by GUID), saving the text of the one open
    /// before.
    OpenTranscript(DocumentId),
    /// Open a file an export wrote with the system's application for it, or (`reveal`)
    /// show it in its folder.
    OpenFile {
        /// The file.
        path: PathBuf,
        /// Show the folder rather than open the file.
        reveal: bool,
    },
    /// Close the transcript editor. Its changed text is saved first, through the same path
    /// as [`Work::SaveTranscript`], which reads the project again itself: closing needs no
    /// open project when there is nothing to save, so it is not counted as an edit.
    CloseTranscript,
}

/// A question, popup or dialog to open; the project is read at most.
#[derive(Debug, Clone, PartialEq)]
pub enum Prompt {
    /// Open the quick-code popup (type part of a code name, Enter).
    QuickCode(QuickCodeMode),
    /// Open the memo editor on a target, with the acting coder's memo on it if any.
    Memo(MemoTarget),
    /// Ask before deleting a code (by GUID), showing how many codings it has and a few.
    DeleteCode(CodeId),
    /// Ask which code to merge a code (by GUID) into.
    MergeCode(CodeId),
    /// Ask for a new code's name, under a parent code (GUID) or at the top.
    AddCode(Option<CodeId>),
    /// Open the code editor (name, colour, description, kind) on a code (by GUID).
    EditCode(CodeId),
    /// Ask for a document's new name (document by GUID).
    RenameDocument(DocumentId),
    /// Ask for a new respondent's name.
    AddRespondent,
    /// Ask for a new attribute (name, type, whether of respondents or documents).
    DefineAttribute,
    /// Ask for the coder's name.
    CoderName,
    /// Ask for a project to open (typed path, or a file dialog when available).
    OpenProject,
    /// Ask for a project to create (path, and whether to load the codebook template).
    NewProject,
    /// Ask for documents to import (paths).
    Import,
    /// Show the settings dialog: the language, the transcription model.
    Settings,
    /// Show the keyboard shortcuts (F1).
    Help,
    /// Open the REFI-QDA dialog: a `.qdpx` / `.qdc` to import, and where to export the
    /// project (`.qdpx`) or its codebook (`.qdc`). Both File menu entries, import and
    /// export, open it.
    Interchange,
    /// Ask for other coders' copies of the project to merge into the open one.
    Merge,
    /// List the project's backups (to restore one).
    Backups,
    /// Transcribe a document's recording automatically: at once when the document has no
    /// text, else after asking whether to replace it.
    Transcribe {
        /// GUID of the document.
        document: DocumentId,
        /// The recording (`None`: the one attached to the document).
        audio: Option<PathBuf>,
    },
    /// Ask for recordings to transcribe into new documents (typed paths, or a file dialog
    /// when available).
    TranscribeFiles,
}

/// Which project is open, and the interface's language.
#[derive(Debug, Clone, PartialEq)]
pub enum Session {
    /// Open a project file (on the worker), closing the open one.
    Open(PathBuf),
    /// Create a new project and open it.
    New {
        /// File to create (refused if it exists).
        path: PathBuf,
        /// Load the Réflexes publics codebook into it.
        with_template: bool,
    },
    /// Open a project left open by a session that is gone, taking its lock over (the user
    /// confirmed).
    TakeOver(PathBuf),
    /// Open the bundled sample project, building it in the user's data folder if needed.
    Sample,
    /// Switch the interface's language.
    Language(Language),
    /// Restore a backup: close the project, restore the file (the current state is kept as
    /// a backup too), open it again.
    RestoreBackup(PathBuf),
}

/// A file written from the project, on the worker; the project is not changed.
#[derive(Debug, Clone, PartialEq)]
pub enum Export {
    /// Export the project as `.qdpx`, or its codebook as `.qdc` (by the file's extension).
    Refi(PathBuf),
    /// Write the Analysis screen's tables (computed again, so that they can be
    /// pseudonymised).
    Tables {
        /// File to write (a CSV export may write one file per table beside it).
        path: PathBuf,
        /// Format of the file.
        format: crate::export::tables::TableFormat,
        /// Replace respondents' names (and what identifies them) by pseudonyms.
        pseudonymise: bool,
    },
    /// Write an IRaMuTeQ corpus of the Analysis screen's filter.
    Iramuteq {
        /// File to write.
        path: PathBuf,
        /// One text per excerpt or per document; accents in variables.
        options: crate::export::iramuteq::IramuteqOptions,
        /// Replace respondents' names (and what identifies them) by pseudonyms.
        pseudonymise: bool,
    },
    /// Write the concordance of a search (every hit, in the order asked) as a table.
    Concordance {
        /// The search, as run.
        request: crate::app::lexical::SearchRequest,
        /// Order of the lines.
        sort: crate::lexical::kwic::KwicSort,
        /// File to write.
        path: PathBuf,
        /// Format of the file.
        format: crate::export::tables::TableFormat,
    },
    /// Write a coded report (the project is lent to the worker while it is built).
    Report {
        /// File to write (replaced if it exists, whole or not at all).
        path: PathBuf,
        /// Format of the file.
        format: crate::export::report::ReportFormat,
        /// How the excerpts are grouped.
        group_by: crate::export::report::GroupBy,
        /// Replace respondents' names (and what identifies them) by pseudonyms.
        pseudonymise: bool,
    },
}

/// Automatic transcription's jobs and model.
#[derive(Debug, Clone, PartialEq)]
pub enum Transcribe {
    /// Queue a recording (recognised on a thread of its own, then written as one undoable
    /// action).
    Start {
        /// The recording's file, as picked or dropped.
        audio: PathBuf,
        /// GUID of the document to write into (`None`: a new document named after the
        /// recording's file).
        document: Option<DocumentId>,
        /// The user agreed to replace the document's text (its codings follow the new
        /// text).
        replace: bool,
    },
    /// Cancel a job (by the id its window shows); nothing of it is written.
    Cancel(u64),
    /// Use this Whisper model folder from now on, and remember it for the app and the
    /// command line.
    SetModel(PathBuf),
}

/// What the quick-code popup does with the code picked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuickCodeMode {
    /// Code the current selection.
    Apply,
    /// Give this coding (GUID) the code picked.
    Change(CodingId),
}
