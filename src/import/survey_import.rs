//! Putting a survey table into a project: one respondent per row, one document per
//! non-empty open answer, typed respondent attributes.
//!
//! Two passes over the file, each a stream: the first checks every row (cells per row, ids
//! present and unique, strict quoting) and settles the type of each attribute column; the
//! second writes. Nothing is written unless the first pass found the table sound — or,
//! with `lenient`, the rows it could not read are skipped and listed. Every lookup the
//! writing makes is in memory, so time grows with the rows, never with their square.
//! Up to [`UNDOABLE_ROWS`] rows the import is one undoable action; a larger one is a bulk
//! write after a backup (the backup is the way back).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::csv::Record;
use super::files::ImportError;
use super::survey::{self, Reopen, SurveyHeader};
use crate::model::{AttributeScope, AttributeType, DocumentKind};
use crate::store::bulk::{self, DocumentRow};
use crate::store::{Project, Rule, StoreError, Tx, attributes, documents, respondents, space};

/// Largest table imported as one undoable action.
pub const UNDOABLE_ROWS: u64 = 5_000;

/// Name of the document attribute holding the question an answer replies to.
pub const QUESTION_ATTRIBUTE: &str = "question";

/// Rows listed in a lenient import's report (the count covers them all).
const LISTED_SKIPS: usize = 100;

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

/// How strict an import is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SurveyOptions {
    /// Skip (and list) rows that cannot be read, instead of refusing the file.
    pub lenient: bool,
}

/// A row left out of a lenient import.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SkippedRow {
    /// Line of the file where the row starts.
    pub line: u64,
    /// Why, in plain words.
    pub reason: String,
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
    /// Rows left out (lenient imports only), the first hundred.
    pub skipped: Vec<SkippedRow>,
    /// How many rows were left out in all.
    pub skipped_count: usize,
    /// The import was too large to undo: the backup made before it.
    pub backup: Option<String>,
}

/// Column positions and attribute types, settled by the first pass.
struct Plan {
    header: SurveyHeader,
    id: usize,
    answers: Vec<(usize, String)>,
    attributes: Vec<(usize, String, AttributeType)>,
    rows: u64,
    /// Lines of rows to leave out (lenient).
    skip: HashSet<u64>,
    skipped: Vec<SkippedRow>,
    skipped_count: usize,
}

/// Imports a survey CSV file (see the module's description); `progress` gets the share of
/// the file read, pass by pass (0 to 1).
pub fn import_survey(
    project: &mut Project,
    path: &Path,
    columns: &SurveyColumns,
    options: SurveyOptions,
    progress: &mut dyn FnMut(f32),
) -> Result<SurveyOutcome, ImportError> {
    super::files::check_file_exists(path)?;
    project.while_busy("import", |project| {
        import_from(project, path, path, columns, options, progress)
    })
}

/// Like [`import_survey`] for bytes already in memory; `path` names the file in messages.
pub fn import_survey_bytes(
    project: &mut Project,
    bytes: &[u8],
    path: &Path,
    columns: &SurveyColumns,
) -> Result<SurveyOutcome, ImportError> {
    import_from(
        project,
        bytes,
        path,
        columns,
        SurveyOptions::default(),
        &mut |_| {},
    )
}

fn import_from(
    project: &mut Project,
    source: &(impl Reopen + ?Sized),
    path: &Path,
    columns: &SurveyColumns,
    options: SurveyOptions,
    progress: &mut dyn FnMut(f32),
) -> Result<SurveyOutcome, ImportError> {
    let format = |e: super::FormatError| ImportError::format(path, e);
    let header = survey::read_header(source).map_err(format)?;
    let plan = first_pass(source, header, columns, options, progress).map_err(format)?;
    if documents::survey_file_imported(project.conn(), &plan.header.file_hash)? {
        return Err(ImportError::format(
            path,
            super::FormatError::SurveyAlreadyImported,
        ));
    }
    // The documents, the search index and the attribute rows: about three times the file.
    space::ensure_room(project.path(), source.len().saturating_mul(3))?;
    let file_name = path
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut writer = |tx: &Tx| write_rows(tx, source, &plan, &file_name, progress);
    let counts = if plan.rows <= UNDOABLE_ROWS {
        project.backup("import")?;
        project.action("action.import_survey", &mut writer)
    } else {
        let backup = project.backup("import-survey")?;
        project.bulk_action(&mut writer).map(|mut c| {
            c.backup = Some(backup.display().to_string());
            c
        })
    };
    let mut outcome = counts?;
    outcome.detected = format!(
        "{}, delimiter « {} »",
        plan.header.encoding.name(),
        plan.header.delimiter as char
    );
    outcome.skipped = plan.skipped;
    outcome.skipped_count = plan.skipped_count;
    Ok(outcome)
}

/// Resolves the columns, then reads every row once: widths, ids, quoting, and the type of
/// each attribute column.
fn first_pass(
    source: &(impl Reopen + ?Sized),
    header: SurveyHeader,
    columns: &SurveyColumns,
    options: SurveyOptions,
    progress: &mut dyn FnMut(f32),
) -> Result<Plan, super::FormatError> {
    let width = header.headers.len();
    // Spreadsheets often export a trailing delimiter: unnamed last columns are allowed as
    // long as they stay empty.
    let named = header
        .headers
        .iter()
        .rposition(|h| !h.is_empty())
        .map_or(0, |i| i + 1);
    let headers = header.headers[..named].to_vec();
    survey::check_headers(&headers)?;
    let id = survey::column_index(&headers, &columns.id_column)?;
    let resolve = |names: &[String]| -> Result<Vec<(usize, String)>, super::FormatError> {
        names
            .iter()
            .map(|c| survey::column_index(&headers, c).map(|i| (i, headers[i].clone())))
            .collect()
    };
    let answers = resolve(&columns.answer_columns)?;
    if answers.is_empty() {
        return Err(super::FormatError::NoAnswerColumn);
    }
    let attribute_columns = resolve(&columns.attribute_columns)?;
    let mut types: Vec<TypeGuess> = vec![TypeGuess::default(); attribute_columns.len()];
    let mut plan = Plan {
        header,
        id,
        answers,
        attributes: Vec::new(),
        rows: 0,
        skip: HashSet::new(),
        skipped: Vec::new(),
        skipped_count: 0,
    };
    let mut seen_ids: HashMap<String, u64> = HashMap::new();
    let header_line = plan.header.line;
    each_row(
        source,
        &plan.header,
        options.lenient,
        progress,
        0.0,
        &|problem| problem,
        &mut |row| {
            if let Ok(record) = row
                && let Some(extra) = record
                    .cells
                    .iter()
                    .skip(named)
                    .position(|c| !c.trim().is_empty())
            {
                return Err(super::FormatError::ValueInUnnamedColumn {
                    header_line,
                    column: named + extra + 1,
                    line: record.line,
                });
            }
            let problem = match row {
                Err(error) => Some((error.line(), super::FormatError::Csv(error))),
                Ok(record) if record.width() != width => Some((
                    record.line,
                    survey::width_error(record.line, record.width(), width),
                )),
                Ok(record) => {
                    let key = record.cells[id].trim();
                    if key.is_empty() {
                        Some((
                            record.line,
                            super::FormatError::EmptyId { line: record.line },
                        ))
                    } else if let Some(first) = seen_ids.get(key) {
                        Some((
                            record.line,
                            super::FormatError::DuplicateId {
                                line: record.line,
                                id: key.to_string(),
                                first: *first,
                            },
                        ))
                    } else {
                        seen_ids.insert(key.to_string(), record.line);
                        for ((i, _), guess) in attribute_columns.iter().zip(types.iter_mut()) {
                            guess.see(&record.cells[*i]);
                        }
                        plan.rows += 1;
                        None
                    }
                }
            };
            match problem {
                None => Ok(()),
                Some((_, problem)) if !options.lenient => Err(problem),
                Some((line, problem)) => {
                    // The outcome lists reasons as text (in English, as the JSON gives them).
                    let reason = problem.to_string();
                    plan.skip.insert(line);
                    plan.skipped_count += 1;
                    if plan.skipped.len() < LISTED_SKIPS {
                        plan.skipped.push(SkippedRow { line, reason });
                    }
                    Ok(())
                }
            }
        },
    )?;
    plan.attributes = attribute_columns
        .into_iter()
        .zip(types)
        .map(|((i, name), guess)| (i, name, guess.settle()))
        .collect();
    Ok(plan)
}

/// Calls `row` for every row after the header (blank lines skipped): a record, or the
/// reading error of a row (after which a lenient reading goes on from the next line).
/// `progress` gets `start` plus half the share of the file read.
fn each_row<E>(
    source: &(impl Reopen + ?Sized),
    header: &SurveyHeader,
    lenient: bool,
    progress: &mut dyn FnMut(f32),
    start: f32,
    fail: &dyn Fn(super::FormatError) -> E,
    row: &mut dyn FnMut(Result<&Record, super::csv::CsvError>) -> Result<(), E>,
) -> Result<(), E> {
    let read = std::rc::Rc::new(std::cell::Cell::new(0u64));
    let mut records =
        survey::open_records_counted(source, header.encoding, header.delimiter, read.clone())
            .map_err(fail)?;
    let mut record = Record::default();
    let total = source.len().max(1) as f32;
    let mut seen = 0u64;
    loop {
        match records.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) if record.line <= header.line || record.is_blank() => {}
            Ok(true) => {
                row(Ok(&record))?;
                seen += 1;
                if seen.is_multiple_of(4096) {
                    progress(start + 0.5 * (read.get() as f32 / total).min(1.0));
                }
            }
            Err(error @ (super::csv::CsvError::Io(_) | super::csv::CsvError::Binary { .. })) => {
                return Err(fail(survey::csv_error(error)));
            }
            Err(error) => {
                let line = error.line();
                row(Err(error))?;
                if !lenient {
                    return Ok(());
                }
                records.resync(line);
            }
        }
    }
}

/// Writes the rows the first pass accepted.
fn write_rows(
    tx: &Tx,
    source: &(impl Reopen + ?Sized),
    plan: &Plan,
    file_name: &str,
    progress: &mut dyn FnMut(f32),
) -> Result<SurveyOutcome, StoreError> {
    let mut out = SurveyOutcome {
        respondents: 0,
        answers: 0,
        empty_answers: 0,
        detected: String::new(),
        skipped: Vec::new(),
        skipped_count: 0,
        backup: None,
    };
    let question = attributes::define(
        tx,
        QUESTION_ATTRIBUTE,
        AttributeType::Text,
        AttributeScope::Document,
        None,
    )?;
    let question_id = attributes::id_of(tx.conn, &question.guid)?;
    let mut attribute_ids = Vec::with_capacity(plan.attributes.len());
    for (i, name, kind) in &plan.attributes {
        let attr = attributes::define(tx, name, *kind, AttributeScope::Respondent, None)?;
        attribute_ids.push((
            *i,
            attributes::id_of(tx.conn, &attr.guid)?,
            *kind,
            name.clone(),
        ));
    }
    let mut existing = respondents::ids_by_name(tx.conn)?;
    let mut order = bulk::next_document_order(tx.conn)?;
    let origin_prefix = format!("survey:{}:", plan.header.file_hash);
    each_row(
        source,
        &plan.header,
        !plan.skip.is_empty(),
        progress,
        0.5,
        // The file was read whole before; failing now, it changed or went away meanwhile.
        &|problem| StoreError::Io {
            path: file_name.to_string(),
            source: std::io::Error::other(problem.to_string()),
        },
        &mut |row| match row {
            Ok(record) if !plan.skip.contains(&record.line) => write_row(
                tx,
                record,
                plan,
                &attribute_ids,
                question_id,
                &mut existing,
                &mut order,
                &origin_prefix,
                file_name,
                &mut out,
            ),
            _ => Ok(()),
        },
    )?;
    documents::remember_survey_file(tx, &plan.header.file_hash)?;
    Ok(out)
}

/// One row: the respondent (found by name or created), its attribute values, and a
/// document for each non-empty answer.
#[allow(clippy::too_many_arguments)]
fn write_row(
    tx: &Tx,
    record: &Record,
    plan: &Plan,
    attribute_ids: &[(usize, i64, AttributeType, String)],
    question_id: i64,
    existing: &mut HashMap<String, i64>,
    order: &mut i64,
    origin_prefix: &str,
    file_name: &str,
    out: &mut SurveyOutcome,
) -> Result<(), StoreError> {
    let id = crate::model::text::clean_name(&record.cells[plan.id]);
    let id = id.as_ref();
    let respondent = match existing.get(id) {
        Some(&row_id) => row_id,
        None => {
            let row_id = respondents::insert_row(tx, id)?;
            existing.insert(id.to_string(), row_id);
            row_id
        }
    };
    out.respondents += 1;
    for (i, attribute_id, kind, name) in attribute_ids {
        match record.cells[*i].trim() {
            "" => bulk::delete_value(tx, *attribute_id, respondent)?,
            raw => {
                let value = kind
                    .canonical_value(raw)
                    .map_err(|problem| Rule::SurveyValue {
                        file: file_name.to_string(),
                        line: record.line,
                        attribute: name.clone(),
                        problem,
                    })?;
                bulk::upsert_value(tx, *attribute_id, respondent, &value)?;
            }
        }
    }
    for (i, question) in &plan.answers {
        let answer = record.cells[*i].trim();
        if answer.is_empty() {
            out.empty_answers += 1;
            continue;
        }
        let text = crate::model::text::normalize_text(answer);
        let guid = crate::model::DocumentId::generate();
        let name = format!("{id} · {question}");
        let origin = format!("{origin_prefix}{file_name}:{id}:{question}");
        let document = bulk::insert_document(
            tx,
            &DocumentRow {
                guid: &guid,
                name: &name,
                kind: DocumentKind::SurveyAnswer,
                char_len: text.chars().count(),
                content_hash: &documents::content_hash(&text),
                text: &text,
                origin: &origin,
                respondent_id: Some(respondent),
                sort_order: *order,
                created_by: tx.coder_id,
                created_at: tx.now_ms,
                modified_at: tx.now_ms,
                source_project: "",
            },
        )?;
        *order += 1;
        bulk::upsert_value(tx, question_id, document, question)?;
        out.answers += 1;
    }
    Ok(())
}

/// The narrowest type that fits every non-empty value of a column seen so far.
#[derive(Debug, Clone, Copy)]
struct TypeGuess {
    seen_any: bool,
    integer: bool,
    decimal: bool,
    date: bool,
}

impl Default for TypeGuess {
    fn default() -> TypeGuess {
        TypeGuess {
            seen_any: false,
            integer: true,
            decimal: true,
            date: true,
        }
    }
}

impl TypeGuess {
    fn see(&mut self, value: &str) {
        if value.trim().is_empty() {
            return;
        }
        self.seen_any = true;
        let fits = |t: AttributeType| t.canonical_value(value).is_ok();
        self.integer = self.integer && fits(AttributeType::Integer);
        self.decimal = self.decimal && fits(AttributeType::Decimal);
        self.date = self.date && fits(AttributeType::Date);
    }

    fn settle(self) -> AttributeType {
        match self {
            TypeGuess {
                seen_any: false, ..
            } => AttributeType::Text,
            TypeGuess { integer: true, .. } => AttributeType::Integer,
            TypeGuess { decimal: true, .. } => AttributeType::Decimal,
            TypeGuess { date: true, .. } => AttributeType::Date,
            _ => AttributeType::Text,
        }
    }
}
