//! Putting files into a project: documents (txt, md, docx, odt, srt, vtt, noScribe html) and survey CSV.
//! Every file is read and checked before anything is written; the writes of one call are
//! one transaction (one undo step).

use std::path::{Path, PathBuf};

use super::{FormatError, MAX_FILE_BYTES, ParsedDocument};
use crate::model::{AttributeScope, AttributeType, DocumentId, DocumentKind};
use crate::store::documents::{self, NewDocument};
use crate::store::{Project, StoreError, attributes, respondents};

/// An import failure, naming the file.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read as its format.
    #[error("{path}: {problem}")]
    Format {
        /// The file's path as given.
        path: String,
        /// What is wrong.
        problem: FormatError,
    },
    /// The project refused the import.
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl ImportError {
    pub(crate) fn format(path: &Path, problem: FormatError) -> ImportError {
        ImportError::Format {
            path: path.display().to_string(),
            problem,
        }
    }
}

/// Reads a whole file, refusing files over [`MAX_FILE_BYTES`].
pub fn read_file_bytes(path: &Path) -> Result<Vec<u8>, ImportError> {
    check_file(path)?;
    std::fs::read(path).map_err(|e| ImportError::format(path, FormatError::unreadable(e)))
}

/// Checks that `path` is a file (of any size: for files read as a stream).
pub fn check_file_exists(path: &Path) -> Result<u64, ImportError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| ImportError::format(path, FormatError::unreadable(e)))?;
    if !meta.is_file() {
        return Err(ImportError::format(path, FormatError::NotAFile));
    }
    Ok(meta.len())
}

/// Checks that `path` is a file Fouille may import (exists, is a file, at most
/// [`MAX_FILE_BYTES`]) without reading it; returns its size.
pub fn check_file(path: &Path) -> Result<u64, ImportError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| ImportError::format(path, FormatError::unreadable(e)))?;
    if !meta.is_file() {
        return Err(ImportError::format(path, FormatError::NotAFile));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ImportError::format(
            path,
            FormatError::TooLarge {
                size_mb: meta.len() / 1_048_576,
                max_mb: MAX_FILE_BYTES / 1_048_576,
            },
        ));
    }
    Ok(meta.len())
}

/// The recording a transcript names, when it is on this machine: at the path written
/// (noScribe writes the full path where it transcribed), else under the same file name
/// beside the transcript (the folder was moved or sent to another machine). The name is
/// split on `/` and `\` both, since the transcript may come from Windows.
fn find_recording(transcript: &Path, named: &str) -> Option<String> {
    let as_written = Path::new(named);
    if as_written.is_absolute() && as_written.is_file() {
        return Some(named.to_string());
    }
    let file_name = named.rsplit(['/', '\\']).next().filter(|n| !n.is_empty())?;
    let beside = transcript.parent()?.join(file_name);
    let beside = std::fs::canonicalize(&beside).unwrap_or(beside);
    beside.is_file().then(|| beside.display().to_string())
}

/// Reads a document file in the format its extension names.
pub fn parse_file(path: &Path) -> Result<ParsedDocument, ImportError> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let bytes = read_file_bytes(path)?;
    super::parse_by_extension(ext, &bytes).map_err(|e: FormatError| ImportError::format(path, e))
}

/// Options of a document import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Respondent to link the documents to (by name; created if new).
    pub respondent: Option<String>,
    /// Attributes `KEY=VALUE` to set: on the respondent when one is given, else on the
    /// documents.
    pub attributes: Vec<(String, String)>,
    /// Kind to give (default: transcript for srt/vtt, interview otherwise).
    pub kind: Option<DocumentKind>,
    /// Name to give (single file only; default: the file name without extension).
    pub name: Option<String>,
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum FileOutcome {
    /// Imported as a new document.
    Imported {
        /// The file's path as given.
        path: String,
        /// GUID of the new document, freshly made.
        guid: DocumentId,
        /// The document's name: the one asked for, else the file name without extension.
        name: String,
        /// How the file was read.
        format: String,
    },
    /// Skipped: the same text is already in the project.
    Duplicate {
        /// The file's path as given.
        path: String,
        /// Name of the document that has the same text.
        existing: String,
    },
}

/// From this many files on, an import is a bulk import and a backup is made first.
pub const BULK_IMPORT_FILES: usize = 5;

/// Imports document files: all are read first; if any cannot be read, nothing is written.
/// Files whose text is already in the project are reported as duplicates, not imported.
pub fn import_documents(
    project: &mut Project,
    paths: &[PathBuf],
    options: &ImportOptions,
) -> Result<Vec<FileOutcome>, ImportError> {
    project.while_busy("import", |project| write_documents(project, paths, options))
}

fn write_documents(
    project: &mut Project,
    paths: &[PathBuf],
    options: &ImportOptions,
) -> Result<Vec<FileOutcome>, ImportError> {
    let mut parsed = Vec::new();
    for path in paths {
        parsed.push((path.clone(), parse_file(path)?));
    }
    // The texts, their search index and the log: about three times the text, plus a
    // backup of the project for a bulk import.
    let text_bytes: u64 = parsed.iter().map(|(_, d)| d.text.len() as u64).sum();
    let backup_bytes = if parsed.len() >= BULK_IMPORT_FILES {
        crate::store::space::file_size(project.path())
    } else {
        0
    };
    crate::store::space::ensure_room(project.path(), 3 * text_bytes + backup_bytes)?;
    if parsed.len() >= BULK_IMPORT_FILES {
        project.backup("import")?;
    }
    project
        .action("action.import", |tx| {
            let mut outcomes = Vec::new();
            let respondent = match &options.respondent {
                Some(name) => Some(respondents::ensure(tx, name)?),
                None => None,
            };
            if let Some(r) = &respondent {
                set_attributes(
                    tx,
                    AttributeScope::Respondent,
                    r.as_str(),
                    &options.attributes,
                )?;
            }
            for (path, doc) in parsed {
                let hash = documents::content_hash(&doc.text);
                if let Some(existing) = documents::find_by_hash(tx.conn, &hash)? {
                    outcomes.push(FileOutcome::Duplicate {
                        path: path.display().to_string(),
                        existing: existing.name,
                    });
                    continue;
                }
                let name = options.name.clone().unwrap_or_else(|| {
                    path.file_stem()
                        .map(|s| s.to_string_lossy().to_string())
                        .unwrap_or_else(|| "document".into())
                });
                let kind = options.kind.unwrap_or(if doc.is_transcript {
                    DocumentKind::Transcript
                } else {
                    DocumentKind::Interview
                });
                let media_path = doc
                    .recording
                    .as_deref()
                    .and_then(|r| find_recording(&path, r));
                let guid = documents::insert(
                    tx,
                    NewDocument {
                        guid: None,
                        name: name.clone(),
                        kind,
                        text: doc.text,
                        origin: path.display().to_string(),
                        media_path,
                        respondent_guid: respondent.clone(),
                    },
                )?;
                if !doc.speakers.is_empty() {
                    documents::set_speakers(tx, &guid, &doc.speakers)?;
                }
                if respondent.is_none() {
                    set_attributes(
                        tx,
                        AttributeScope::Document,
                        guid.as_str(),
                        &options.attributes,
                    )?;
                }
                outcomes.push(FileOutcome::Imported {
                    path: path.display().to_string(),
                    guid,
                    name,
                    format: doc.format,
                });
            }
            Ok(outcomes)
        })
        .map_err(ImportError::from)
}

/// Sets text-or-typed attributes on one owner (attributes are created as text if new).
pub fn set_attributes(
    tx: &crate::store::Tx,
    scope: AttributeScope,
    owner_guid: &str,
    values: &[(String, String)],
) -> Result<(), StoreError> {
    for (key, value) in values {
        let attr = match attributes::find(tx.conn, scope, key)? {
            Some(a) => a,
            None => attributes::define(tx, key, AttributeType::Text, scope, None)?,
        };
        attributes::set_value(tx, &attr.guid, owner_guid, Some(value))?;
    }
    Ok(())
}

/// Guesses the narrowest type that fits every non-empty value of a column.
pub fn infer_type<'a>(values: impl Iterator<Item = &'a str> + Clone) -> AttributeType {
    let non_empty = values.filter(|v| !v.trim().is_empty());
    if non_empty.clone().next().is_none() {
        return AttributeType::Text;
    }
    for t in [
        AttributeType::Integer,
        AttributeType::Decimal,
        AttributeType::Date,
    ] {
        if non_empty.clone().all(|v| t.canonical_value(v).is_ok()) {
            return t;
        }
    }
    AttributeType::Text
}

pub use super::survey_import::{
    QUESTION_ATTRIBUTE, SurveyColumns, SurveyOptions, SurveyOutcome, import_survey,
    import_survey_bytes,
};
