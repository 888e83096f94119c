//! Coded reports and synthesis tables, the same for both faces: the report pipeline
//! (synthesis tables → report → file) and the computation of a table with its chart.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::analysis::charts::{self, AnalysisChart};
use crate::analysis::{AnalysisFilter, Table, TableKind, TableOptions};
use crate::export::report::model::ReportStats;
use crate::export::report::{self, ReportFormat, ReportOptions};
use crate::model::Lang;
use crate::store::Project;

use super::AppResult;

/// A report to write.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    /// What the report holds and how.
    pub options: ReportOptions,
    /// The attribute the synthesis tables are broken down by, if any.
    pub by: Option<String>,
    /// Whether the synthesis tables and charts come first.
    pub synthesis: bool,
    /// HTML, Markdown, DOCX or ODT.
    pub format: ReportFormat,
    /// The file to write (replaced if it exists, whole or not at all).
    pub path: PathBuf,
}

/// What a written report holds.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReportOutcome {
    /// The file written, as the request named it.
    pub path: PathBuf,
    /// Number of sections (one per code, or per controversy or orientation).
    pub sections: usize,
    /// Excerpts, respondents, and who was left out.
    pub stats: ReportStats,
}

/// Builds the report from the project (its synthesis tables first, when asked) and writes
/// it.
pub fn export_report(project: &Project, request: &ReportRequest) -> AppResult<ReportOutcome> {
    let (tables, charts) = if request.synthesis {
        report::synthesis::synthesis(project.conn(), &request.options, request.by.as_deref())?
    } else {
        (Vec::new(), Vec::new())
    };
    let built = report::build_report(project, &request.options, &tables, &charts)?;
    report::write(&built, request.format, &request.path)?;
    Ok(ReportOutcome {
        path: request.path.clone(),
        sections: built.sections.len(),
        stats: built.stats,
    })
}

/// A synthesis table to compute.
#[derive(Debug, Clone)]
pub struct TableRequest {
    /// Which table (frequencies, matrix, cross-tab…).
    pub kind: TableKind,
    /// Which codings count: coders, codes, documents, attribute conditions.
    pub filter: AnalysisFilter,
    /// How the table is built.
    pub options: TableOptions,
    /// Language of titles and headers.
    pub lang: Lang,
    /// Replace names by pseudonyms everywhere in the tables.
    pub pseudonymise: bool,
}

/// A computed table and its chart.
#[derive(Debug, Clone, Default)]
pub struct TableOutcome {
    /// The tables (most kinds give one).
    pub tables: Vec<Table>,
    /// The chart the app draws beside them.
    pub chart: AnalysisChart,
}

/// Computes a synthesis table and its chart on the project's own connection (see
/// [`compute_table_on`]).
pub fn compute_table(project: &Project, request: &TableRequest) -> AppResult<TableOutcome> {
    compute_table_on(project.conn(), request)
}

/// Computes a synthesis table and its chart from the project file at `path`, on a
/// read-only connection of its own: for a thread other than the one that holds the
/// project, which goes on meanwhile (it sees every action committed before it started).
pub fn compute_table_in(path: &Path, request: &TableRequest) -> AppResult<TableOutcome> {
    let conn = crate::store::reader::open_reader(path)?;
    compute_table_on(&conn, request)
}

/// Computes a synthesis table and its chart: the selection is resolved once (the texts,
/// where a table needs them, read on the other core meanwhile), then the table, then the
/// chart from the same selection.
fn compute_table_on(conn: &Connection, request: &TableRequest) -> AppResult<TableOutcome> {
    let options = with_saved_stop_words(conn, request)?;
    let selection =
        crate::analysis::select(conn, request.kind, &request.filter, &options, request.lang)?;
    let mut tables = crate::analysis::compute_on(&selection, request.kind, &options)?;
    if request.pseudonymise {
        crate::export::pseudonymise::pseudonymise_tables(conn, request.lang, &mut tables)?;
    }
    let chart = charts::chart_for(&selection, request.kind, &options)?;
    Ok(TableOutcome { tables, chart })
}

/// The request's options, with the word table's stop words as the project keeps them
/// (edited in the app) before the request's own edits (a command line's file): so both
/// faces count the same words.
fn with_saved_stop_words(conn: &Connection, request: &TableRequest) -> AppResult<TableOptions> {
    let mut options = request.options.clone();
    if request.kind == crate::analysis::TableKind::Words {
        let mut lines = super::lexical::stop_word_edits(conn)?.lines();
        lines.append(&mut options.words.stop_word_edits);
        options.words.stop_word_edits = lines;
    }
    Ok(options)
}

/// Writes tables to `path` in `format` (several files for CSV when there are several
/// tables); returns the files written.
pub fn write_tables(
    tables: &[Table],
    format: crate::export::tables::TableFormat,
    path: &Path,
    csv: &crate::export::tables::CsvOptions,
) -> AppResult<Vec<PathBuf>> {
    Ok(crate::export::tables::write_files(
        tables, format, path, csv,
    )?)
}

/// Computes tables from the project file at `project` (on a connection of its own, see
/// [`compute_table_in`]) and writes them to `path`: the app's export, which recomputes
/// rather than writing the tables shown so that it is pseudonymised when asked.
pub fn export_tables_in(
    project: &Path,
    request: &TableRequest,
    format: crate::export::tables::TableFormat,
    path: &Path,
    csv: &crate::export::tables::CsvOptions,
) -> AppResult<Vec<PathBuf>> {
    let outcome = compute_table_in(project, request)?;
    write_tables(&outcome.tables, format, path, csv)
}
