//! The write-ahead log beside a project (`<project>-wal`) and its index (`-shm`): telling
//! whether a log found at open is the one the project's last session left, and keeping
//! one that is not from being applied blindly.
//!
//! A log holds committed changes not yet copied into the project file. SQLite applies
//! whatever log it finds beside a database, whoever wrote it: a log left from another copy
//! of the project, or restored with the wrong file, would be replayed onto pages it does
//! not belong to. Each session records in its lock file the salts of the log it last wrote
//! (two numbers SQLite draws anew each time it restarts the log); a log found with other
//! salts, or found with no session behind it, is applied to a copy kept in the backups
//! folder instead, and set aside.

use std::path::{Path, PathBuf};

use super::{LockHolder, StoreError, StoreResult, backup};

/// The log's path for a project path.
pub fn log_path(project: &Path) -> PathBuf {
    sibling(project, "-wal")
}

fn sibling(project: &Path, suffix: &str) -> PathBuf {
    let mut name = project.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// The salts of the log beside `project`, when there is a log with frames in it (a log of
/// its header alone, or none, holds nothing to apply).
pub fn log_salts(project: &Path) -> Option<[u32; 2]> {
    use std::io::Read;
    let path = log_path(project);
    let mut header = [0u8; 32];
    let mut file = std::fs::File::open(&path).ok()?;
    if file.metadata().ok()?.len() <= 32 {
        return None;
    }
    file.read_exact(&mut header).ok()?;
    let word = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    // The two magic numbers of a WAL file (big- or little-endian checksums).
    if !matches!(word(0), 0x377f_0682 | 0x377f_0683) {
        return None;
    }
    Some([word(16), word(20)])
}

/// Sets aside a log that the project's last session did not leave: one whose salts differ
/// from those the stale lock recorded, or one found with no stale lock at all (a clean
/// close leaves no log). A stale lock from an older Fouille, which recorded no salts, is
/// trusted. Returns the backup that holds the project with that log applied.
pub fn set_aside_if_foreign(
    project: &Path,
    previous: Option<&LockHolder>,
) -> StoreResult<Option<PathBuf>> {
    let Some(found) = log_salts(project) else {
        return Ok(None);
    };
    let belongs = previous.is_some_and(|h| h.journal_salts.is_none_or(|s| s == found));
    if belongs {
        return Ok(None);
    }
    set_aside(project).map(Some)
}

/// Copies the project and its log into the backups folder, applies the log to that copy
/// (SQLite does on first read), then takes the log away from beside the project.
fn set_aside(project: &Path) -> StoreResult<PathBuf> {
    let copy = backup::new_backup_path(project, "found-journal")?;
    let io = |path: &Path| {
        let shown = path.display().to_string();
        move |e: std::io::Error| StoreError::Io {
            path: shown,
            source: e,
        }
    };
    std::fs::copy(project, &copy).map_err(io(&copy))?;
    std::fs::copy(log_path(project), log_path(&copy)).map_err(io(&copy))?;
    // Applying may fail (the log is foreign); the copies stay as they are for a person to
    // look at.
    if let Ok(conn) = rusqlite::Connection::open(&copy) {
        let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        let _ = conn.execute_batch("PRAGMA journal_mode = DELETE;");
    }
    for suffix in ["-wal", "-shm"] {
        let path = sibling(project, suffix);
        if path.exists() {
            std::fs::remove_file(&path).map_err(io(&path))?;
        }
    }
    Ok(copy)
}

/// Removes a log index (`-shm`) this process cannot write: a read-only one left by an
/// opener that could not write makes every later open fail. Only called with the project's
/// lock held, and the index holds nothing a new one does not rebuild from the log.
pub fn remove_unwritable_index(project: &Path) {
    let index = sibling(project, "-shm");
    let writable = std::fs::OpenOptions::new().write(true).open(&index).is_ok();
    if index.exists() && !writable {
        let _ = std::fs::remove_file(&index);
    }
}
