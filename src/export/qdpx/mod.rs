//! REFI-QDA export: a whole project as QDPX (a zip holding `project.qde` and
//! `sources/<guid>.txt`) and the codebook alone as QDC.
//!
//! Both follow the REFI-QDA 1.5 schemas (`Project.xsd`, `Codebook.xsd`) and write our own
//! GUIDs, so that exporting twice gives the same identities and a project can go to NVivo,
//! ATLAS.ti, MAXQDA or QualCoder and come back. Positions are code points into the UTF-8
//! text written under `sources/` (LF line endings, no BOM), end exclusive.
//!
//! What REFI-QDA has no place for is carried in standard elements that other tools show
//! as ordinary, harmless objects (all names start with `fouille:`):
//! - **code kinds** (controversy, pole, orientation, piste): one `Set` of codes per kind,
//!   named `fouille:kind=<kind>` (ATLAS.ti shows it as a code group). A folder is a code
//!   with `isCodable="false"`; a theme is any other code. On import a trailing
//!   `[fouille:kind=<kind>]` in a code's description is understood too (for files whose
//!   tool dropped the sets);
//! - **document kinds** other than interview: a `Set` of sources `fouille:document-kind=<kind>`;
//! - a respondent's **pseudonym and consent**: the variables `fouille:pseudonym` and
//!   `fouille:consent` of each case;
//! - the **scope** of an attribute that describes documents: `[fouille:scope=document]` as
//!   the variable's description;
//! - **memos on respondents** (a `Case` has no `NoteRef`): a `Link` named `fouille:memo`
//!   from the note to the case.
//!
//! GUIDs that have no row of their own (selections, sets, links, the two variables) are
//! derived from stable GUIDs with [`derived_guid`](crate::refi::derived_guid), so they too
//! are the same at each export. The names above are [`crate::refi`]'s conventions, shared
//! with the import.
//!
//! Respondents who withdrew their consent are left out with their documents unless
//! [`ExportOptions::include_withdrawn`] is set: an export is made to be shared, and the
//! words of someone who withdrew must not travel further by default.

mod data;
pub mod write_codebook;
pub mod write_project;
mod xml_out;

use std::io::Write;
use std::path::{Path, PathBuf};

pub use data::ExportData;

use crate::store::StoreError;

/// An export failure; the destination is left as it was (files are written under a
/// temporary name and renamed once complete).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The project could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file could not be written (the archive, or its temporary copy).
    #[error("{path}: {source}")]
    Io {
        /// The file that could not be written, as shown to the user.
        path: String,
        /// The system's error.
        source: std::io::Error,
    },
    /// A codebook file asked of a project with no code.
    #[error("the codebook is empty: a QDC file needs at least one code")]
    EmptyCodebook,
}

/// Options of a QDPX export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Keep respondents who withdrew their consent, and their documents.
    pub include_withdrawn: bool,
}

/// What an export wrote, counted by REFI-QDA element (printed by the command line, also
/// as JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ExportSummary {
    /// `User`s: the coders whose work is exported.
    pub users: usize,
    /// `Code`s, folders included.
    pub codes: usize,
    /// Variables (attributes, plus pseudonym and consent).
    pub variables: usize,
    /// `Case`s: one per respondent exported.
    pub cases: usize,
    /// `TextSource`s: one per document exported.
    pub sources: usize,
    /// `Coding`s, each in a selection of its own.
    pub codings: usize,
    /// `Note`s: one per memo exported.
    pub notes: usize,
    /// Documents left out because their respondent withdrew consent.
    pub withdrawn_documents_left_out: usize,
    /// Memos left out because what they are about was left out.
    pub memos_left_out: usize,
}

/// Formats a timestamp (ms) as an `xsd:dateTime` in UTC with milliseconds.
pub fn xml_date_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_else(|| "1970-01-01T00:00:00.000Z".into())
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Writes to `<dest>.partial` and renames it to `dest` once complete, so a failure never
/// leaves a half-written file under the real name.
fn write_atomically(
    dest: &Path,
    write: impl FnOnce(std::fs::File) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let mut partial = dest.as_os_str().to_os_string();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let file = std::fs::File::create(&partial).map_err(io_error(&partial))?;
    match write(file) {
        Ok(()) => std::fs::rename(&partial, dest).map_err(io_error(dest)),
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

/// Exports the whole project as a QDPX file at `dest` (replaced if it exists).
pub fn export_qdpx(
    conn: &rusqlite::Connection,
    dest: &Path,
    options: &ExportOptions,
) -> Result<ExportSummary, ExportError> {
    let data = ExportData::load(conn, options)?;
    let mut summary = ExportSummary::default();
    // The fastest deflate level: about four times faster than the default on a large
    // project, for an archive about a third larger (XML and plain text compress well at any
    // level). Exports are made often; their size matters less than the wait.
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(false);
    let zip_error = |e: zip::result::ZipError| ExportError::Io {
        path: dest.display().to_string(),
        source: e.into(),
    };
    // The texts are read and compressed on another core, into an archive in memory, while
    // project.qde is written here; their compressed bytes are then copied as they are.
    let reader = crate::store::reader::reader_path(conn).filter(|_| data.documents.len() > 1);
    std::thread::scope(|s| {
        let sources = reader.map(|path| {
            let documents = &data.documents;
            s.spawn(move || sources_archive(&path, documents, deflated))
        });
        write_atomically(dest, |file| {
            let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
            zip.start_file("project.qde", deflated).map_err(zip_error)?;
            {
                let buffered = std::io::BufWriter::with_capacity(256 * 1024, &mut zip);
                let (buffered, written) =
                    write_project::write_project(&data, buffered).map_err(io_error(dest))?;
                buffered
                    .into_inner()
                    .map_err(|e| io_error(dest)(e.into_error()))?;
                summary = written;
            }
            match sources.map(|handle| handle.join()) {
                Some(Ok(Ok(archive))) => zip.merge_archive(archive).map_err(zip_error)?,
                // Without another connection (or if it failed), the texts are read here.
                _ => write_sources(&mut zip, conn, &data.documents, deflated, dest)?,
            }
            let mut inner = zip.finish().map_err(zip_error)?;
            inner.flush().map_err(io_error(dest))?;
            Ok(())
        })
    })?;
    Ok(summary)
}

/// The `sources/<guid>.txt` entries of `documents`, read on a reader of the project file at
/// `path` and compressed into an archive in memory.
fn sources_archive(
    path: &Path,
    documents: &[crate::model::DocumentInfo],
    options: zip::write::SimpleFileOptions,
) -> Result<zip::ZipArchive<std::io::Cursor<Vec<u8>>>, ExportError> {
    let conn = crate::store::reader::open_reader(path)?;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    write_sources(&mut zip, &conn, documents, options, path)?;
    zip.finish_into_readable().map_err(|e| ExportError::Io {
        path: path.display().to_string(),
        source: e.into(),
    })
}

/// Writes the `sources/<guid>.txt` entry of each of `documents`, its text read on `conn`;
/// `shown` names the file in errors.
fn write_sources<W: std::io::Write + std::io::Seek>(
    zip: &mut zip::ZipWriter<W>,
    conn: &rusqlite::Connection,
    documents: &[crate::model::DocumentInfo],
    options: zip::write::SimpleFileOptions,
    shown: &Path,
) -> Result<(), ExportError> {
    for doc in documents {
        zip.start_file(format!("sources/{}.txt", doc.guid), options)
            .map_err(|e| ExportError::Io {
                path: shown.display().to_string(),
                source: e.into(),
            })?;
        let text = crate::store::documents::text(conn, &doc.guid)?;
        zip.write_all(text.as_bytes()).map_err(io_error(shown))?;
    }
    Ok(())
}

/// Exports the codebook as a QDC file at `dest` (replaced if it exists). Returns the
/// number of codes written.
pub fn export_qdc(conn: &rusqlite::Connection, dest: &Path) -> Result<usize, ExportError> {
    let codes = crate::store::codes::list(conn)?;
    if codes.is_empty() {
        return Err(ExportError::EmptyCodebook);
    }
    let project_guid = crate::store::refi::project_header(conn)?.guid;
    write_atomically(dest, |file| {
        let out = std::io::BufWriter::new(file);
        let mut out =
            write_codebook::write_qdc(&codes, &project_guid, out).map_err(io_error(dest))?;
        out.flush().map_err(io_error(dest))
    })?;
    Ok(codes.len())
}
