//! Backups: consistent copies of a project made with SQLite's online backup API, kept in a
//! folder beside the project (`<name>.backups/`) and rotated. Made automatically before every
//! merge, migration and bulk import; `fouille backup` / `restore` make and use them by hand.

use chrono::{Local, NaiveDateTime, TimeZone};
use rusqlite::Connection;
use serde::Serialize;
use std::path::{Path, PathBuf};

use super::{
    NotAProjectReason, Project, StoreError, StoreResult, lock::ProjectLock, lock::StalePolicy,
};

/// How many automatic backups are kept per project.
pub const KEEP_BACKUPS: usize = 10;

/// One backup on disk.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BackupInfo {
    /// Where it is: in the `<project>.backups` folder beside the project (see [`backup_dir`]).
    pub path: PathBuf,
    /// When it was made (local time, `YYYY-MM-DD HH:MM:SS`).
    pub created: String,
    /// Why (e.g. `merge`, `migration`, `import`, `manual`).
    pub reason: String,
    /// Size of the file on disk, in bytes (a backup is a whole copy of the project).
    pub size_bytes: u64,
}

/// The backup folder of a project.
pub fn backup_dir(project: &Path) -> PathBuf {
    let stem = project
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "projet".into());
    project.with_file_name(format!("{stem}.backups"))
}

fn sanitize(reason: &str) -> String {
    let s: String = reason
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches('-').to_string();
    if s.is_empty() {
        "backup".into()
    } else {
        s.chars().take(40).collect()
    }
}

/// A new file name in the backups folder of `project` (created if needed), stamped with
/// the time and `reason`.
pub fn new_backup_path(project: &Path, reason: &str) -> StoreResult<PathBuf> {
    let dir = backup_dir(project);
    std::fs::create_dir_all(&dir).map_err(|e| StoreError::Io {
        path: dir.display().to_string(),
        source: e,
    })?;
    let stem = project
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let stamp = Local::now()
        .format("%Y%m%d-%H%M%S%.3f")
        .to_string()
        .replace('.', "-");
    Ok(dir.join(format!("{stem}-{stamp}-{}.fouille", sanitize(reason))))
}

/// Copies the database behind `conn` into a new backup of `project`, then rotates.
pub fn backup_connection(
    conn: &Connection,
    project: &Path,
    reason: &str,
    keep: usize,
) -> StoreResult<PathBuf> {
    super::space::ensure_room(project, super::space::file_size(project))?;
    let dest = new_backup_path(project, reason)?;
    // Written under a temporary name and renamed once whole: a backup cut short by a crash
    // is never listed, nor offered for a restore.
    let partial = dest.with_extension("fouille.partial");
    let mut out = Connection::open(&partial)?;
    {
        let backup = rusqlite::backup::Backup::new(conn, &mut out)?;
        backup.run_to_completion(1024, std::time::Duration::from_millis(0), None)?;
    }
    out.execute_batch("PRAGMA journal_mode = DELETE;")?;
    drop(out);
    std::fs::rename(&partial, &dest).map_err(|e| StoreError::Io {
        path: dest.display().to_string(),
        source: e,
    })?;
    rotate(project, keep)?;
    Ok(dest)
}

impl Project {
    /// Makes a backup of this project now (rotating old ones); returns its path.
    pub fn backup(&self, reason: &str) -> StoreResult<PathBuf> {
        backup_connection(self.conn(), self.path(), reason, KEEP_BACKUPS)
    }
}

/// Backups of a project, newest first.
pub fn list(project: &Path) -> StoreResult<Vec<BackupInfo>> {
    let dir = backup_dir(project);
    let stem = project
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let Some(rest) = name
            .strip_prefix(&format!("{stem}-"))
            .and_then(|r| r.strip_suffix(".fouille"))
        else {
            continue;
        };
        // rest = YYYYMMDD-HHMMSS-mmm-reason
        let mut parts = rest.splitn(4, '-');
        let (Some(date), Some(time), Some(_ms), Some(reason)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let Ok(when) = NaiveDateTime::parse_from_str(&format!("{date}{time}"), "%Y%m%d%H%M%S")
        else {
            continue;
        };
        let created = Local
            .from_local_datetime(&when)
            .single()
            .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default();
        let size_bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
        out.push(BackupInfo {
            path,
            created,
            reason: reason.to_string(),
            size_bytes,
        });
    }
    out.sort_by(|a, b| b.path.cmp(&a.path));
    Ok(out)
}

/// Deletes all but the newest `keep` backups, and what backups cut short by a crash left
/// behind an hour ago or more.
pub fn rotate(project: &Path, keep: usize) -> StoreResult<()> {
    for old in list(project)?.into_iter().skip(keep) {
        let _ = std::fs::remove_file(&old.path);
    }
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in std::fs::read_dir(backup_dir(project))
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().to_string();
        let leftover = name.ends_with(".partial") || name.ends_with(".partial-journal");
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t < hour_ago);
        if leftover && old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(())
}

/// Restores `backup` into `project` (which must not be open anywhere). The project as it
/// is, damaged or not, is first kept in the backups folder (`before-restore`, with its
/// journal if it has one), so a restore can itself be undone; then the backup's bytes take
/// its place under a temporary name renamed into place, so that a crash leaves one or the
/// other, never a mix. Works on a project too damaged to open.
pub fn restore(project: &Path, backup: &Path) -> StoreResult<PathBuf> {
    super::vfs::register();
    check_backup(backup)?;
    let _lock = ProjectLock::acquire(project, StalePolicy::TakeOverLocal)?;
    let io = |path: &Path| {
        let shown = path.display().to_string();
        move |e: std::io::Error| StoreError::Io {
            path: shown,
            source: e,
        }
    };
    let saved = new_backup_path(project, "before-restore")?;
    super::space::ensure_room(
        project,
        2 * super::space::file_size(project) + super::space::file_size(backup),
    )?;
    if project.exists() {
        std::fs::copy(project, &saved).map_err(io(&saved))?;
        let log = super::journal::log_path(project);
        if log.exists() {
            std::fs::copy(&log, super::journal::log_path(&saved)).map_err(io(&saved))?;
        }
    }
    let partial = project.with_extension("fouille.restoring");
    std::fs::copy(backup, &partial).map_err(io(&partial))?;
    std::fs::File::open(&partial)
        .and_then(|f| f.sync_all())
        .map_err(io(&partial))?;
    for suffix in ["-wal", "-shm"] {
        let beside = PathBuf::from(format!("{}{suffix}", project.display()));
        if beside.exists() {
            std::fs::remove_file(&beside).map_err(io(&beside))?;
        }
    }
    std::fs::rename(&partial, project).map_err(io(project))?;
    rotate(project, KEEP_BACKUPS + 1)?;
    Ok(saved)
}

/// Refuses a backup that is not a sound Fouille project file.
fn check_backup(backup: &Path) -> StoreResult<()> {
    let shown = backup.display().to_string();
    let not_a_backup = |reason: NotAProjectReason| StoreError::NotAProject {
        path: shown.clone(),
        reason,
    };
    let source = Connection::open_with_flags(backup, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| not_a_backup(NotAProjectReason::Sqlite(e.to_string())))?;
    let ok: String = source
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| not_a_backup(NotAProjectReason::Sqlite(e.to_string())))?;
    if ok != "ok" {
        return Err(not_a_backup(NotAProjectReason::DamagedBackup(ok)));
    }
    Ok(())
}
