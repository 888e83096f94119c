//! What panels ask for. A panel never changes the project: it pushes a [`Command`], and
//! `app.rs` applies the queue after the frame, through the core, handling each error once.

use std::path::PathBuf;

use super::state::{BottomTab, LeftTab, Screen};
use crate::app::edit::Edit;
use crate::i18n::Language;
use crate::model::MemoTarget;

/// Every edit and navigation the panels request.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    // --- projects and settings ---
    /// Open a project file.
    OpenProject(PathBuf),
    /// Create a new project (optionally with the Réflexes publics codebook) and open it.
    NewProject {
        /// File to create.
        path: PathBuf,
        /// Load the Réflexes publics template.
        with_template: bool,
    },
    /// Open a project left open by a session that is gone, taking its lock over.
    TakeOverProject(PathBuf),
    /// Open (building it if needed) the bundled sample project.
    OpenSample,
    /// Switch the UI language.
    SetLanguage(Language),
    /// Act as another coder (created if new).
    SetCoder(String),
    /// Undo the last action.
    Undo,
    /// Redo the last undone action.
    Redo,
    /// Import files: documents (txt, md, docx, odt, srt, vtt), REFI-QDA projects and
    /// codebooks (`.qdpx`, `.qdc`), each by its kind (on the worker).
    ImportFiles(Vec<PathBuf>),

    // --- navigation ---
    /// Show a screen.
    SetScreen(Screen),
    /// Open a document in the document view.
    OpenDocument(String),
    /// Open a document, scroll to a range and select it.
    JumpTo {
        /// Document GUID.
        document: String,
        /// Start char.
        start: usize,
        /// End char (exclusive).
        end: usize,
    },
    /// Select a code (for retrieval); `additive` keeps the others selected.
    SelectCode {
        /// Code GUID.
        guid: String,
        /// Ctrl-click.
        additive: bool,
    },
    /// Select a respondent (filters the documents list).
    SelectRespondent(Option<String>),
    /// Show a tab of the left panel.
    SetLeftTab(LeftTab),
    /// Show a tab of the bottom panel.
    SetBottomTab(BottomTab),

    // --- edits: each goes through the application layer, one undo step ---
    /// A change of the project (see [`Edit`]): one action, one undo step.
    Edit(Edit),

    // --- dialogs (no change to the project) ---
    /// Open the quick-code popup (type part of a code name, Enter).
    QuickCode(QuickCodeMode),
    /// Open the memo editor on a target.
    EditMemo(MemoTarget),
    /// Ask before deleting a code, showing its codings.
    AskDeleteCode(String),
    /// Ask which code to merge a code into.
    AskMergeCode(String),
    /// Ask for a new code's name (under a parent).
    AskAddCode(Option<String>),
    /// Open the code editor (name, colour, description, kind).
    AskEditCode(String),
    /// Ask for a document's new name.
    AskRenameDocument(String),
    /// Ask for a new respondent's name.
    AskAddRespondent,
    /// Ask for a new attribute.
    AskDefineAttribute,
    /// Ask for the coder's name.
    AskCoderName,
    /// Ask for a project to open (typed path, or a file dialog when available).
    AskOpenProject,
    /// Ask for a project to create.
    AskNewProject,
    /// Ask for documents to import.
    AskImport,
    /// Show the settings.
    ShowSettings,
    /// Show the keyboard shortcuts (F1).
    ShowHelp,

    // --- work of other issues (menu entries present, disabled until they land) ---
    /// Import a QDPX project.
    ImportQdpx,
    /// Export reports, tables, QDPX.
    Export,
    /// Merge another coder's copy of the project.
    MergeProject,

    // --- REFI-QDA interchange ---
    /// Export the project as `.qdpx`, or its codebook as `.qdc` (by the extension).
    ExportRefi(PathBuf),

    // --- merging ---
    /// Merge other copies of the project into the open one (on the worker).
    RunMerge {
        /// The other project files.
        paths: Vec<PathBuf>,
        /// Merge codes with the same path and kind but different GUIDs.
        unify_codes: bool,
    },

    // --- team screen ---
    /// Turn blinded coding on or off (a project setting).
    SetBlind(bool),
    /// Make coder `to`'s coding of a range the same as coder `from`'s (one undoable action).
    AcceptVersion {
        /// Document GUID.
        document: String,
        /// Code GUID.
        code: String,
        /// Start char.
        start: usize,
        /// End char (exclusive).
        end: usize,
        /// Coder whose version is kept (GUID).
        from: String,
        /// Coder whose coding changes (GUID).
        to: String,
    },

    // --- backups ---
    /// Show the project's backups.
    ShowBackups,
    /// Make a backup now.
    MakeBackup,
    /// Restore a backup: close the project, restore, reopen.
    RestoreBackup(PathBuf),

    // --- transcript editor ---
    /// Open the transcript editor on a document.
    OpenTranscriptEditor(String),
    /// Save the editor's text (if changed) and close it.
    CloseTranscriptEditor,
    /// Save the editor's text now (one undoable action; codings follow).
    SaveTranscript,
    /// Attach a recording (typed path) to a document and decode it.
    AttachMedia {
        /// Document GUID.
        document: String,
        /// The audio file.
        path: String,
    },
    /// Set a document's speaker labels (Ctrl+1…Ctrl+8 in the editor).
    SetSpeakers {
        /// Document GUID.
        document: String,
        /// Labels, in shortcut order.
        speakers: Vec<String>,
    },

    // --- analysis ---
    /// Write the Analysis screen's tables to a file (on the worker).
    ExportTables {
        /// File to write.
        path: PathBuf,
        /// Format.
        format: crate::export::tables::TableFormat,
    },
    /// Write a coded report (built now, written on the worker).
    ExportReport {
        /// File to write.
        path: PathBuf,
        /// Format.
        format: crate::export::report::ReportFormat,
        /// Grouping of the excerpts.
        group_by: crate::export::report::GroupBy,
        /// Replace names by pseudonyms.
        pseudonymise: bool,
    },
}

impl Command {
    /// Whether the command changes the project (and so needs an open one, refreshes the
    /// cache and counts as unsaved work until written).
    pub fn edits_project(&self) -> bool {
        !matches!(
            self,
            Command::OpenProject(_)
                | Command::TakeOverProject(_)
                | Command::NewProject { .. }
                | Command::OpenSample
                | Command::SetLanguage(_)
                | Command::SetScreen(_)
                | Command::OpenDocument(_)
                | Command::JumpTo { .. }
                | Command::SelectCode { .. }
                | Command::SelectRespondent(_)
                | Command::SetLeftTab(_)
                | Command::SetBottomTab(_)
                | Command::QuickCode(_)
                | Command::EditMemo(_)
                | Command::AskDeleteCode(_)
                | Command::AskMergeCode(_)
                | Command::AskAddCode(_)
                | Command::AskEditCode(_)
                | Command::AskRenameDocument(_)
                | Command::AskAddRespondent
                | Command::AskDefineAttribute
                | Command::AskCoderName
                | Command::AskOpenProject
                | Command::AskNewProject
                | Command::AskImport
                | Command::ShowSettings
                | Command::ShowHelp
                | Command::ImportQdpx
                | Command::Export
                | Command::MergeProject
                | Command::ExportTables { .. }
                | Command::ExportRefi(_)
                | Command::ShowBackups
                | Command::RestoreBackup(_)
                | Command::OpenTranscriptEditor(_)
                | Command::CloseTranscriptEditor
                | Command::ExportReport { .. }
        )
    }
}

/// What the quick-code popup does with the code picked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuickCodeMode {
    /// Code the current selection.
    Apply,
    /// Give this coding (GUID) the code picked.
    Change(String),
}
