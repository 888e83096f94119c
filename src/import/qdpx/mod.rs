//! REFI-QDA import: QDPX projects and QDC codebooks from NVivo, ATLAS.ti, MAXQDA,
//! QualCoder or Fouille, into a new project or merged into an existing one.
//!
//! The work goes in three steps, and only the last touches the project:
//! 1. read: the archive is opened defensively ([`SafeZip`](crate::import::safe_zip::SafeZip):
//!    no path escapes, bounded sizes and ratios), the XML is parsed without DTDs or
//!    entities ([`dom`]), and what real files do differently is absorbed ([`locate`],
//!    [`xml`]);
//! 2. plan: texts are read, positions converted after detecting how the tool counted
//!    them ([`positions`]), the codebook fixed to Fouille's rules ([`codebook`]); all in
//!    memory ([`plan`]);
//! 3. write: one transaction ([`write`]): a bad file leaves the project unchanged.
//!
//! The [`ImportReport`] says what came in, what was merged, how positions were read per
//! source, how many selections cut a word, and lists everything not imported.

pub mod codebook;
pub mod dom;
pub mod foreign;
pub mod locate;
pub mod plan;
mod plan_sources;
pub mod positions;
mod preload;
pub mod report;
mod targets;
mod variables;
pub mod write;
mod write_documents;
pub mod xml;
mod xml_project;

use std::path::{Path, PathBuf};

pub use crate::refi::RefiKind;
pub use report::{Counts, ImportReport, NotImported, SourcePositions};

use crate::import::FormatError;
use crate::import::encoding::decode_xml_part;
use crate::import::files::{check_file, read_file_bytes};
use crate::store::{Project, StoreError};

/// An import failure; the project is left unchanged.
#[derive(Debug, thiserror::Error)]
pub enum RefiError {
    /// The file cannot be read as REFI-QDA.
    #[error("{path}: {problem}")]
    Format {
        /// The file, as shown to the user.
        path: String,
        /// What is wrong with it.
        problem: FormatError,
    },
    /// The project refused the import.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How a REFI-QDA file is read; the default reads nothing outside the file and keeps
/// the code tree as the file gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefiImportOptions {
    /// Rebuild a code tree flattened into names like `Parent::Child`.
    pub rebuild_tree: bool,
    /// A folder whose files a project's `relative://` and `absolute://` sources may be read
    /// from. Without it, no file outside the archive is read: a project received from
    /// someone else must not pull a file of the user's disk into the project (and into
    /// every copy shared later).
    pub allow_external_sources: Option<PathBuf>,
}

/// A file read and planned, ready to write.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// What will be written, all in memory: the project is untouched until
    /// [`import_prepared`].
    pub plan: plan::Plan,
    /// The report so far (reading and planning).
    pub report: ImportReport,
    /// The file's name, recorded in each row's `source_project`.
    pub label: String,
}

/// Reads and plans REFI-QDA bytes. `file` names the file in messages (and its folder
/// resolves `relative://` paths).
pub fn prepare_bytes(
    bytes: &[u8],
    kind: RefiKind,
    file: &Path,
    options: &RefiImportOptions,
) -> Result<Prepared, RefiError> {
    prepare(Input::Bytes(bytes), kind, file, options)
}

/// What a REFI-QDA file is read from.
enum Input<'a> {
    /// Its bytes, held whole in memory while it is read.
    Bytes(&'a [u8]),
    /// Its file: a project's archive is then read entry by entry as needed, never whole.
    File,
}

/// Reads and plans a REFI-QDA file from `input` (bytes, or the file `file` itself).
fn prepare(
    input: Input<'_>,
    kind: RefiKind,
    file: &Path,
    options: &RefiImportOptions,
) -> Result<Prepared, RefiError> {
    let shown = file.display().to_string();
    let format_error = |e: FormatError| RefiError::Format {
        path: shown.clone(),
        problem: e,
    };
    let label = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown.clone());
    let mut report = ImportReport {
        file: shown.clone(),
        format: match kind {
            RefiKind::Project => "QDPX".into(),
            RefiKind::Codebook => "QDC".into(),
        },
        ..ImportReport::default()
    };
    let plan = match kind {
        RefiKind::Project => {
            let dir = file.parent().map(Path::to_path_buf);
            let archive = match input {
                Input::Bytes(bytes) => locate::Archive::open(bytes, dir),
                Input::File => locate::Archive::open_file(file, dir),
            };
            let mut archive = archive.map_err(|e| {
                format_error(FormatError::NotQdpx {
                    problem: Box::new(e),
                })
            })?;
            if matches!(input, Input::File) {
                archive.read_texts_ahead(file);
            }
            archive.allow_external_sources(options.allow_external_sources.as_deref());
            let entry = archive.project_entry().map_err(format_error)?;
            // The document is read as a stream when it can be, else whole: its bytes and
            // its tree are dropped as soon as they are read, before the texts come in.
            let mut foreign = if let Some(foreign) = read_streamed(&mut archive, &entry) {
                foreign
            } else {
                let xml_bytes = archive.read(&entry).map_err(format_error)?;
                // Plain UTF-8 (the usual case) becomes the text without a copy; anything
                // else (a BOM, UTF-16, bad bytes) goes through the decoder as before.
                let xml = match String::from_utf8(xml_bytes) {
                    Ok(text) if !text.starts_with('\u{feff}') => text,
                    Ok(text) => decode_xml_part(text.as_bytes(), &entry).map_err(format_error)?,
                    Err(e) => decode_xml_part(e.as_bytes(), &entry).map_err(format_error)?,
                };
                xml::read_project(&xml, &entry).map_err(format_error)?
            };
            give_back_freed_memory();
            refuse_guids_across_kinds(&foreign).map_err(format_error)?;
            archive.set_base_path(foreign.base_path.clone());
            report.origin = foreign.origin.clone();
            if entry != "project.qde" {
                report
                    .remarks
                    .push(format!("the project document is « {entry} »"));
            }
            plan::build(
                &mut foreign,
                Some(&mut archive),
                options.rebuild_tree,
                &mut report,
            )
        }
        RefiKind::Codebook => {
            let owned;
            let bytes = match input {
                Input::Bytes(bytes) => bytes,
                Input::File => {
                    owned = read_file_bytes(file).map_err(file_error)?;
                    &owned[..]
                }
            };
            let xml = decode_xml_part(bytes, &label).map_err(format_error)?;
            let mut foreign = xml::read_codebook(&xml, &label).map_err(format_error)?;
            report.origin = foreign.origin.clone();
            plan::build(&mut foreign, None, options.rebuild_tree, &mut report)
        }
    };
    Ok(Prepared {
        plan,
        report,
        label,
    })
}

/// Refuses a file that uses one GUID for two objects of different kinds: every reference
/// to that GUID (a coding's code, a case's source) would be read as the wrong object.
fn refuse_guids_across_kinds(foreign: &foreign::Foreign) -> Result<(), FormatError> {
    let Some(first) = foreign.guids_across_kinds.first() else {
        return Ok(());
    };
    Err(FormatError::GuidsAcrossKinds {
        first: first.clone(),
        more: foreign.guids_across_kinds.len() - 1,
    })
}

/// Reads the project document straight out of the archive as it is decompressed, so that
/// its text (tens of MB for a large project) is never held whole. `None` when it is not
/// plain UTF-8 XML or cannot be read that way for any reason (sections out of order, a
/// syntax error…): it is then read whole, as before, which gives the exact message.
fn read_streamed(archive: &mut locate::Archive, entry: &str) -> Option<foreign::Foreign> {
    use std::io::BufRead;
    let stream = archive.entry(entry).ok()?;
    let mut input = std::io::BufReader::with_capacity(64 * 1024, stream);
    let start = input.fill_buf().ok()?;
    let start = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(start);
    // UTF-16 (with or without its byte-order mark) is for the decoder.
    let plain = start
        .first()
        .is_some_and(|b| *b == b'<' || b.is_ascii_whitespace())
        && !start.iter().take(64).any(|b| *b == 0);
    if plain && let Ok(Some(foreign)) = xml::read_project_stream(&mut input, entry) {
        return Some(foreign);
    }
    // Read again whole: these bytes must not count twice against the archive's limits.
    input.into_inner().uncount();
    None
}

/// Hands memory freed by the allocator back to the system. Reading a large project frees
/// millions of small blocks (the parsed elements) between bigger ones; glibc keeps them
/// for reuse, so the process would keep their size for the rest of the import.
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of the allocator; it touches no live
    // allocation and is safe to call at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// A file that cannot be read, as a [`RefiError`] naming it once.
fn file_error(e: crate::import::files::ImportError) -> RefiError {
    match e {
        crate::import::files::ImportError::Format { path, problem } => {
            RefiError::Format { path, problem }
        }
        crate::import::files::ImportError::Store(e) => RefiError::Store(e),
    }
}

/// Reads and plans a REFI-QDA file, its type told by [`crate::refi::kind_of`] (extension,
/// else content).
pub fn prepare_file(file: &Path, options: &RefiImportOptions) -> Result<Prepared, RefiError> {
    let kind = crate::refi::kind_of(file).ok_or_else(|| RefiError::Format {
        path: file.display().to_string(),
        problem: FormatError::NotRefi,
    })?;
    check_file(file).map_err(file_error)?;
    prepare(Input::File, kind, file, options)
}

/// Writes a prepared import into an open project as one undoable action.
pub fn import_prepared(
    project: &mut Project,
    prepared: Prepared,
) -> Result<ImportReport, RefiError> {
    let Prepared {
        plan,
        mut report,
        label,
    } = prepared;
    project.action("action.import_refi", |tx| {
        write::write(tx, plan, &label, &mut report)
    })?;
    Ok(report)
}

/// Imports a `.qdpx` or `.qdc` file into an open project (a merge by GUID), in one
/// transaction that is one undo step.
pub fn import_refi_file(
    project: &mut Project,
    file: &Path,
    options: &RefiImportOptions,
) -> Result<ImportReport, RefiError> {
    project.while_busy("import", |project| {
        let prepared = prepare_file(file, options)?;
        import_prepared(project, prepared)
    })
}

/// Creates the project `path` from a `.qdpx` or `.qdc` file. The file is read before
/// anything is created, and the project is built under a temporary name renamed at the
/// end, so a failure leaves nothing behind. The project is named after `name`, else the
/// file's project name, else the file name.
pub fn new_project_from(
    path: &Path,
    file: &Path,
    name: Option<&str>,
    coder: Option<&str>,
    options: &RefiImportOptions,
) -> Result<ImportReport, RefiError> {
    if path.exists() {
        let path = path.display().to_string();
        return Err(StoreError::Exists { path }.into());
    }
    let prepared = prepare_file(file, options)?;
    let mut partial = path.as_os_str().to_os_string();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let remove_partial = || {
        for suffix in ["", "-wal", "-shm", ".lock"] {
            let mut p = partial.as_os_str().to_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    };
    remove_partial();
    let fallback = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Projet".into());
    let project_name = name
        .map(str::to_string)
        .or_else(|| Some(prepared.plan.name.clone()).filter(|n| !n.trim().is_empty()))
        .unwrap_or(fallback);
    let result = (|| {
        let mut project = Project::create(&partial, &project_name, coder)?;
        let Prepared {
            plan,
            mut report,
            label,
        } = prepared;
        report.new_project = true;
        // The file is new and renamed into place only once complete: it is written without
        // the write-ahead log (see `bulk::write_new_file`).
        crate::store::bulk::write_new_file(&mut project, |tx| {
            write::write(tx, plan, &label, &mut report)
        })?;
        Ok::<_, RefiError>(report)
    })();
    match result {
        Ok(report) => {
            std::fs::rename(&partial, path).map_err(|e| StoreError::Io {
                path: path.display().to_string(),
                source: e,
            })?;
            Ok(report)
        }
        Err(e) => {
            remove_partial();
            Err(e)
        }
    }
}
