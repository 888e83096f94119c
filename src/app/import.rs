//! Importing files into a project, the same from the command line and from the app (a
//! menu entry, a file dropped on the window): REFI-QDA projects and codebooks from other
//! tools go to the REFI-QDA importer, everything else is read as documents.

use std::path::{Path, PathBuf};

use crate::import::files::{self, FileOutcome, ImportOptions};
use crate::import::qdpx::{ImportReport, RefiImportOptions, RefiKind, import_refi_file};
use crate::store::Project;

use super::message::{Arg, Message};
use super::{AppError, AppResult};
use crate::model::DocumentId;

/// What to import, and how.
#[derive(Debug, Clone, Default)]
pub struct ImportRequest {
    /// The files, in the order given.
    pub files: Vec<PathBuf>,
    /// For documents: the respondent to link them to, and attributes to set.
    pub documents: ImportOptions,
    /// For REFI-QDA files.
    pub refi: RefiImportOptions,
}

/// What an import brought in.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ImportOutcome {
    /// Each document file: imported, or skipped as a duplicate.
    pub documents: Vec<FileOutcome>,
    /// Each REFI-QDA file's report.
    pub refi: Vec<ImportReport>,
}

impl ImportOutcome {
    /// The first document imported, to open.
    pub fn first_document(&self) -> Option<&DocumentId> {
        self.documents.iter().find_map(|o| match o {
            FileOutcome::Imported { guid, .. } => Some(guid),
            FileOutcome::Duplicate { .. } => None,
        })
    }

    /// What to tell the user about the documents: how many came in, how many were
    /// already there. (REFI-QDA files have their own report.)
    pub fn documents_message(&self) -> Message {
        let imported = self
            .documents
            .iter()
            .filter(|o| matches!(o, FileOutcome::Imported { .. }))
            .count();
        Message::with(
            "msg.imported",
            vec![
                ("n", Arg::Count(imported)),
                ("dup", Arg::Count(self.documents.len() - imported)),
            ],
        )
    }
}

/// Whether a file is a REFI-QDA project or codebook, which goes to its own importer.
pub fn refi_kind(path: &Path) -> Option<RefiKind> {
    crate::refi::kind_of(path)
}

/// Imports files: REFI-QDA projects and codebooks one by one (each one action, merged by
/// GUID), then every other file as documents (one action for all of them: all are read
/// first, and if one cannot be, none is written). A respondent or attributes apply to
/// documents only, so they are refused with REFI-QDA files.
pub fn import_files(project: &mut Project, request: &ImportRequest) -> AppResult<ImportOutcome> {
    let (refi, documents): (Vec<&PathBuf>, Vec<&PathBuf>) =
        request.files.iter().partition(|f| refi_kind(f).is_some());
    let for_documents =
        request.documents.respondent.is_some() || !request.documents.attributes.is_empty();
    if !refi.is_empty() && for_documents {
        return Err(AppError::RespondentForRefi);
    }
    let mut outcome = ImportOutcome::default();
    for file in refi {
        outcome
            .refi
            .push(import_refi_file(project, file, &request.refi)?);
    }
    if !documents.is_empty() {
        let paths: Vec<PathBuf> = documents.into_iter().cloned().collect();
        outcome.documents = files::import_documents(project, &paths, &request.documents)?;
    }
    Ok(outcome)
}
