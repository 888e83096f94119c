//! Coded reports: [`build::build_report`] builds a plain [`Report`] from the store (excerpts
//! grouped by code, by controversy then pole, or by orientation then piste; the codebook;
//! synthesis tables and charts given by the caller), and one renderer per format writes it:
//! [`html`] (one self-contained, printable file), [`markdown`], [`docx`] (WordprocessingML)
//! and [`odt`] (OpenDocument Text, the French public sector's reference format).

pub mod build;
pub mod docx;
pub mod figure;
pub mod fonts;
pub mod html;
pub mod labels;
pub mod layout;
pub mod markdown;
pub mod model;
pub mod odt;
pub mod svg;
pub mod synthesis;
pub mod xml;

use std::path::Path;

pub use build::{build_report, controversy_balance_chart, excerpt_filter, overview_table};
pub use labels::Lang;
pub use model::{GroupBy, Report, ReportOptions};

/// Errors while exporting a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Reading the project failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// Drawing a chart as an image failed.
    #[error("cannot draw a chart: {0}")]
    Chart(String),
    /// Writing a zip package failed.
    #[error("cannot write the document package: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// Writing the file failed.
    #[error("{path}: {source}")]
    Io {
        /// Path of the report file being written.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// A report file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum ReportFormat {
    /// One self-contained HTML file.
    Html,
    /// Markdown (CommonMark).
    Markdown,
    /// Word (Office Open XML).
    Docx,
    /// OpenDocument Text.
    Odt,
}

impl ReportFormat {
    /// Every format.
    pub const ALL: [ReportFormat; 4] = [
        ReportFormat::Html,
        ReportFormat::Markdown,
        ReportFormat::Docx,
        ReportFormat::Odt,
    ];

    /// Parses `html`, `md`/`markdown`, `docx` or `odt`.
    pub fn parse(s: &str) -> Option<ReportFormat> {
        match s.trim().trim_start_matches('.').to_lowercase().as_str() {
            "html" | "htm" => Some(ReportFormat::Html),
            "md" | "markdown" => Some(ReportFormat::Markdown),
            "docx" => Some(ReportFormat::Docx),
            "odt" => Some(ReportFormat::Odt),
            _ => None,
        }
    }

    /// The format a file name's extension names.
    pub fn from_path(path: &Path) -> Option<ReportFormat> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(ReportFormat::parse)
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Html => "html",
            ReportFormat::Markdown => "md",
            ReportFormat::Docx => "docx",
            ReportFormat::Odt => "odt",
        }
    }
}

/// Renders a report in a format.
pub fn render(report: &Report, format: ReportFormat) -> Result<Vec<u8>, ReportError> {
    Ok(match format {
        ReportFormat::Html => html::render(report).into_bytes(),
        ReportFormat::Markdown => markdown::render(report).into_bytes(),
        ReportFormat::Docx => docx::render(report)?,
        ReportFormat::Odt => odt::render(report)?,
    })
}

/// Renders a report and writes it to `path` (through a temporary file renamed at the end,
/// so a failure never leaves half a file).
pub fn write(report: &Report, format: ReportFormat, path: &Path) -> Result<(), ReportError> {
    let bytes = render(report, format)?;
    let io = |source| ReportError::Io {
        path: path.display().to_string(),
        source,
    };
    let mut partial = path.as_os_str().to_os_string();
    partial.push(".partial");
    std::fs::write(&partial, &bytes).map_err(io)?;
    std::fs::rename(&partial, path).map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        io(e)
    })
}

/// Writes a zip package in memory: (name, bytes, stored uncompressed?) in the order given.
pub(crate) fn zip_package<S: AsRef<str>>(
    entries: &[(S, Vec<u8>, bool)],
) -> Result<Vec<u8>, ReportError> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes, stored) in entries {
        let method = if *stored {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        writer.start_file(
            name.as_ref(),
            SimpleFileOptions::default().compression_method(method),
        )?;
        writer
            .write_all(bytes)
            .map_err(|e| ReportError::Zip(e.into()))?;
    }
    Ok(writer.finish()?.into_inner())
}
