//! Table exports: CSV, XLSX, ODS, Markdown, and aligned plain text for the terminal.
//!
//! Every format takes the shared [`Table`]s the analysis returns. Text cells are neutralised
//! against formula injection in the spreadsheet formats ([`neutralise`]); numbers stay
//! numbers. Workbooks (XLSX, ODS) hold one sheet per table; Markdown and text put the tables
//! one after another; CSV holds one table per file ([`write_files`] numbers the others).

pub mod csv;
pub mod markdown;
pub mod neutralise;
pub mod ods;
pub mod text;
pub mod xlsx;

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use crate::analysis::Table;

pub use self::csv::CsvOptions;

/// Why a table export failed: a file could not be written, or a writer (CSV, XLSX, ODS) refused.
#[derive(Debug, thiserror::Error)]
pub enum TableExportError {
    /// A file could not be written.
    #[error("{path}: {source}")]
    Io {
        /// Path of the file being written; empty when the I/O error came without one.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// CSV writing failed.
    #[error("CSV: {0}")]
    Csv(#[from] ::csv::Error),
    /// XLSX writing failed.
    #[error("XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The ODS zip could not be written.
    #[error("ODS: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// A table wider than an XLSX sheet.
    #[error("too many columns ({0})")]
    TooManyColumns(usize),
    /// A table longer than an XLSX sheet.
    #[error("too many rows ({0})")]
    TooManyRows(usize),
}

impl From<std::io::Error> for TableExportError {
    fn from(source: std::io::Error) -> Self {
        TableExportError::Io {
            path: String::new(),
            source,
        }
    }
}

/// Result of table exports.
pub type ExportResult<T> = Result<T, TableExportError>;

/// A table file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableFormat {
    /// Comma- (or semicolon-) separated values, UTF-8.
    Csv,
    /// Excel workbook.
    Xlsx,
    /// OpenDocument spreadsheet.
    Ods,
    /// Markdown (pipe tables).
    Markdown,
}

impl TableFormat {
    /// Parses `csv`, `xlsx`, `ods`, `md` / `markdown`.
    pub fn parse(s: &str) -> Option<TableFormat> {
        match s.trim().to_lowercase().as_str() {
            "csv" => Some(TableFormat::Csv),
            "xlsx" => Some(TableFormat::Xlsx),
            "ods" => Some(TableFormat::Ods),
            "md" | "markdown" => Some(TableFormat::Markdown),
            _ => None,
        }
    }
    /// The format a file name's extension names.
    pub fn from_path(path: &Path) -> Option<TableFormat> {
        TableFormat::parse(path.extension()?.to_str()?)
    }
    /// The usual extension.
    pub fn extension(self) -> &'static str {
        match self {
            TableFormat::Csv => "csv",
            TableFormat::Xlsx => "xlsx",
            TableFormat::Ods => "ods",
            TableFormat::Markdown => "md",
        }
    }
}

/// The bytes of one file holding `tables` (CSV: the first table only; use [`write_files`]
/// for all of them).
pub fn to_bytes(tables: &[Table], format: TableFormat, csv: &CsvOptions) -> ExportResult<Vec<u8>> {
    match format {
        TableFormat::Csv => match tables.first() {
            Some(t) => self::csv::to_csv_bytes(t, csv),
            None => Ok(Vec::new()),
        },
        TableFormat::Xlsx => xlsx::to_xlsx_bytes(tables),
        TableFormat::Ods => ods::to_ods_bytes(tables),
        TableFormat::Markdown => Ok(markdown::to_markdown(tables).into_bytes()),
    }
}

/// Writes `tables` to `path` in `format`; returns the files written. CSV writes the first
/// table to `path` and each further table `n` to `<stem>-<n>.csv` beside it.
pub fn write_files(
    tables: &[Table],
    format: TableFormat,
    path: &Path,
    csv: &CsvOptions,
) -> ExportResult<Vec<PathBuf>> {
    let write = |p: &Path, bytes: Vec<u8>| {
        std::fs::write(p, bytes).map_err(|source| TableExportError::Io {
            path: p.display().to_string(),
            source,
        })
    };
    if format != TableFormat::Csv || tables.len() <= 1 {
        write(path, to_bytes(tables, format, csv)?)?;
        return Ok(vec![path.to_path_buf()]);
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "csv".into());
    let mut out = Vec::new();
    for (i, table) in tables.iter().enumerate() {
        let p = if i == 0 {
            path.to_path_buf()
        } else {
            path.with_file_name(format!("{stem}-{}.{ext}", i + 1))
        };
        write(&p, self::csv::to_csv_bytes(table, csv)?)?;
        out.push(p);
    }
    Ok(out)
}

/// Sheet names for workbooks, one per table: the title without `[ ] : * ? / \`, without
/// leading or trailing apostrophes, at most 31 UTF-16 units, never "History", unique.
pub fn sheet_names(tables: &[Table]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, table) in tables.iter().enumerate() {
        let cleaned: String = table
            .title
            .chars()
            .map(|c| {
                if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut base = cleaned.trim_matches('\'').trim().to_string();
        if base.is_empty() || base.eq_ignore_ascii_case("history") {
            base = format!("Table {}", i + 1);
        }
        let mut n = 1;
        loop {
            let suffix = if n == 1 {
                String::new()
            } else {
                format!(" ({n})")
            };
            let name = format!("{}{suffix}", truncate_utf16(&base, 31 - suffix.len()));
            let name = name.trim_end_matches('\'').to_string();
            if !out.iter().any(|o| o.to_lowercase() == name.to_lowercase()) {
                out.push(name);
                break;
            }
            n += 1;
        }
    }
    out
}

/// The longest prefix of `s` at most `max` UTF-16 units long.
pub fn truncate_utf16(s: &str, max: usize) -> &str {
    let mut units = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > max {
            return &s[..i];
        }
    }
    s
}
