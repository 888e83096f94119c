//! Putting files into a project: documents (txt, md, docx, odt, srt, vtt) and survey CSV.
//! Every file is read and checked before anything is written; the writes of one call are
//! one transaction (one undo step).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{FormatError, MAX_FILE_BYTES, ParsedDocument, survey};
use crate::model::{AttributeScope, AttributeType, DocumentKind};
use crate::store::documents::{self, NewDocument};
use crate::store::{Project, StoreError, attributes, respondents};

/// An import failure, naming the file.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read as its format.
    #[error("{path}: {problem}")]
    Format {
        /// The file.
        path: String,
        /// What is wrong.
        problem: String,
    },
    /// The project refused the import.
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl ImportError {
    fn format(path: &Path, problem: impl std::fmt::Display) -> ImportError {
        ImportError::Format {
            path: path.display().to_string(),
            problem: problem.to_string(),
        }
    }
}

/// Reads a whole file, refusing files over [`MAX_FILE_BYTES`].
pub fn read_file_bytes(path: &Path) -> Result<Vec<u8>, ImportError> {
    check_file(path)?;
    std::fs::read(path).map_err(|e| ImportError::format(path, e))
}

/// Checks that `path` is a file Fouille may import (exists, is a file, at most
/// [`MAX_FILE_BYTES`]) without reading it; returns its size.
pub fn check_file(path: &Path) -> Result<u64, ImportError> {
    let meta = std::fs::metadata(path).map_err(|e| ImportError::format(path, e))?;
    if !meta.is_file() {
        return Err(ImportError::format(path, "not a file"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ImportError::format(
            path,
            format!(
                "the file is {} MB; Fouille imports files up to {} MB",
                meta.len() / 1_048_576,
                MAX_FILE_BYTES / 1_048_576
            ),
        ));
    }
    Ok(meta.len())
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
        /// The file.
        path: String,
        /// New document's GUID.
        guid: String,
        /// Its name.
        name: String,
        /// How the file was read.
        format: String,
    },
    /// Skipped: the same text is already in the project.
    Duplicate {
        /// The file.
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
    let mut parsed = Vec::new();
    for path in paths {
        parsed.push((path.clone(), parse_file(path)?));
    }
    if parsed.len() >= BULK_IMPORT_FILES {
        project.backup("import")?;
    }
    project
        .action("Import", |tx| {
            let mut outcomes = Vec::new();
            let respondent = match &options.respondent {
                Some(name) => Some(respondents::ensure(tx, name)?),
                None => None,
            };
            if let Some(r) = &respondent {
                set_attributes(tx, AttributeScope::Respondent, r, &options.attributes)?;
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
                let guid = documents::insert(
                    tx,
                    NewDocument {
                        guid: None,
                        name: name.clone(),
                        kind,
                        text: doc.text,
                        origin: path.display().to_string(),
                        media_path: None,
                        respondent_guid: respondent.clone(),
                    },
                )?;
                if respondent.is_none() {
                    set_attributes(tx, AttributeScope::Document, &guid, &options.attributes)?;
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

/// The columns of a survey import.
#[derive(Debug, Clone, Default)]
pub struct SurveyColumns {
    /// Column holding the respondent's id.
    pub id_column: String,
    /// Open-answer columns: each non-empty cell becomes a document.
    pub answer_columns: Vec<String>,
    /// Columns stored as respondent attributes (typed by their values).
    pub attribute_columns: Vec<String>,
}

/// Result of a survey import.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SurveyOutcome {
    /// Respondents created or found.
    pub respondents: usize,
    /// Answer documents created.
    pub answers: usize,
    /// Empty answer cells skipped.
    pub empty_answers: usize,
    /// Delimiter and encoding detected.
    pub detected: String,
}

/// Name of the document attribute holding the question an answer replies to.
pub const QUESTION_ATTRIBUTE: &str = "question";

/// Imports a survey CSV: one respondent per row, one document per non-empty answer, typed
/// respondent attributes. Importing the same file twice is refused.
pub fn import_survey(
    project: &mut Project,
    path: &Path,
    columns: &SurveyColumns,
) -> Result<SurveyOutcome, ImportError> {
    let bytes = read_file_bytes(path)?;
    project.backup("import")?;
    import_survey_bytes(project, &bytes, path, columns)
}

/// Like [`import_survey`] for bytes already read; `path` names the file in messages.
pub fn import_survey_bytes(
    project: &mut Project,
    bytes: &[u8],
    path: &Path,
    columns: &SurveyColumns,
) -> Result<SurveyOutcome, ImportError> {
    let bytes = bytes.to_vec();
    let file_hash = documents::content_hash(&String::from_utf8_lossy(&bytes));
    let table = survey::read_survey(&bytes).map_err(|e| ImportError::format(path, e))?;
    let id_index = table
        .column_index(&columns.id_column)
        .map_err(|e| ImportError::format(path, e))?;
    let answer_indexes = columns
        .answer_columns
        .iter()
        .map(|c| table.column_index(c).map(|i| (i, table.headers[i].clone())))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ImportError::format(path, e))?;
    if answer_indexes.is_empty() {
        return Err(ImportError::format(path, "name at least one answer column"));
    }
    let attribute_indexes = columns
        .attribute_columns
        .iter()
        .map(|c| table.column_index(c).map(|i| (i, table.headers[i].clone())))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ImportError::format(path, e))?;
    let mut seen_ids = BTreeMap::new();
    for (line, row) in table.rows.iter().enumerate() {
        let id = row.get(id_index).map(|s| s.trim()).unwrap_or("");
        if id.is_empty() {
            return Err(ImportError::format(
                path,
                format!("row {} has an empty id", line + 2),
            ));
        }
        if let Some(first) = seen_ids.insert(id.to_string(), line + 2) {
            return Err(ImportError::format(
                path,
                format!("id « {id} » appears on rows {first} and {}", line + 2),
            ));
        }
    }
    let origin_prefix = format!("survey:{file_hash}:");
    let already: i64 = project
        .conn()
        .query_row(
            "SELECT count(*) FROM documents WHERE deleted = 0 AND substr(origin, 1, ?1) = ?2",
            rusqlite::params![origin_prefix.len() as i64, origin_prefix],
            |r| r.get(0),
        )
        .map_err(StoreError::from)?;
    if already > 0 {
        return Err(ImportError::format(
            path,
            "this survey file was already imported (same content)",
        ));
    }
    let types: Vec<(usize, String, AttributeType)> = attribute_indexes
        .iter()
        .map(|(i, name)| {
            (
                *i,
                name.clone(),
                infer_type(
                    table
                        .rows
                        .iter()
                        .map(|r| r.get(*i).map(String::as_str).unwrap_or("")),
                ),
            )
        })
        .collect();
    let detected = format!(
        "{}, delimiter « {} »",
        table.encoding, table.delimiter as char
    );
    let file_name = path
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    project
        .action("Import survey", |tx| {
            let mut out = SurveyOutcome {
                respondents: 0,
                answers: 0,
                empty_answers: 0,
                detected,
            };
            let question_attr = attributes::define(
                tx,
                QUESTION_ATTRIBUTE,
                AttributeType::Text,
                AttributeScope::Document,
                None,
            )?;
            let attrs = types
                .iter()
                .map(|(i, name, t)| {
                    Ok((
                        *i,
                        attributes::define(tx, name, *t, AttributeScope::Respondent, None)?,
                    ))
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            for row in &table.rows {
                let id = row[id_index].trim();
                let respondent = respondents::ensure(tx, id)?;
                out.respondents += 1;
                for (i, attr) in &attrs {
                    attributes::set_value(
                        tx,
                        &attr.guid,
                        &respondent,
                        row.get(*i).map(String::as_str),
                    )?;
                }
                for (i, question) in &answer_indexes {
                    let answer = row.get(*i).map(|s| s.trim()).unwrap_or("");
                    if answer.is_empty() {
                        out.empty_answers += 1;
                        continue;
                    }
                    let guid = documents::insert(
                        tx,
                        NewDocument {
                            guid: None,
                            name: format!("{id} · {question}"),
                            kind: DocumentKind::SurveyAnswer,
                            text: answer.to_string(),
                            origin: format!("{origin_prefix}{file_name}:{id}:{question}"),
                            media_path: None,
                            respondent_guid: Some(respondent.clone()),
                        },
                    )?;
                    attributes::set_value(tx, &question_attr.guid, &guid, Some(question))?;
                    out.answers += 1;
                }
            }
            Ok(out)
        })
        .map_err(ImportError::from)
}
