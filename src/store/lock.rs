//! One process per project: a lock file `<project>.lock` beside the project, held with an
//! OS file lock for as long as the project is open, and holding a description of its holder
//! (process id, host, user, since) so a second opener gets a clear message.
//!
//! The OS lock vanishes with the process that held it, so a crash leaves no real lock; the
//! description left behind tells that the last session ended without closing (a stale
//! lock), which the caller may take over.

use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::StoreError;

/// Who holds (or last held) a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockHolder {
    /// Process id.
    pub pid: u32,
    /// Host name.
    pub host: String,
    /// User name.
    pub user: String,
    /// When it was taken, ISO 8601.
    pub since: String,
}

impl LockHolder {
    /// This process.
    pub fn current() -> LockHolder {
        LockHolder {
            pid: std::process::id(),
            host: host_name(),
            user: std::env::var("USER")
                .or_else(|_| std::env::var("USERNAME"))
                .unwrap_or_else(|_| "?".into()),
            since: crate::model::format_ms(crate::model::now_ms()),
        }
    }
}

impl std::fmt::Display for LockHolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "process {} of user {} on {}, since {}",
            self.pid, self.user, self.host, self.since
        )
    }
}

/// The machine's host name (best effort).
pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|s| s.trim().to_string())
        .ok()
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_else(|| "unknown-host".into())
}

/// What to do with a lock left by a session that ended without closing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StalePolicy {
    /// Take it over when it provably belongs to a dead process of this machine; refuse
    /// (with [`StoreError::StaleLock`]) when it was left by another machine.
    #[default]
    TakeOverLocal,
    /// Take it over whoever left it (the user confirmed).
    TakeOverAny,
    /// Always refuse with [`StoreError::StaleLock`] (the caller asks the user first).
    Refuse,
}

/// A held project lock; released on drop.
#[derive(Debug)]
pub struct ProjectLock {
    file: File,
    path: PathBuf,
    /// A stale holder that was taken over, if any.
    pub taken_over: Option<LockHolder>,
}

/// The lock file's path for a project path.
pub fn lock_path(project: &Path) -> PathBuf {
    let mut name = project.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    project.with_file_name(name)
}

fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}

impl ProjectLock {
    /// Takes the lock of `project`.
    pub fn acquire(project: &Path, policy: StalePolicy) -> Result<ProjectLock, StoreError> {
        let path = lock_path(project);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| StoreError::Io {
                path: path.display().to_string(),
                source: e,
            })?;
        let mut previous = String::new();
        let _ = file.read_to_string(&mut previous);
        let previous: Option<LockHolder> = serde_json::from_str(previous.trim()).ok();
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(StoreError::Locked {
                    path: project.display().to_string(),
                    holder: previous
                        .map(|h| h.to_string())
                        .unwrap_or_else(|| "another process".into()),
                });
            }
            Err(TryLockError::Error(e)) => {
                return Err(StoreError::Io {
                    path: path.display().to_string(),
                    source: e,
                });
            }
        }
        let me = LockHolder::current();
        let taken_over = match previous {
            Some(holder) if holder.pid == me.pid && holder.host == me.host => None,
            Some(holder) => {
                let local_dead = holder.host == me.host && !process_alive(holder.pid);
                let allowed = match policy {
                    StalePolicy::TakeOverAny => true,
                    StalePolicy::TakeOverLocal => local_dead,
                    StalePolicy::Refuse => false,
                };
                if !allowed {
                    let _ = file.unlock();
                    return Err(StoreError::StaleLock {
                        path: project.display().to_string(),
                        holder: holder.to_string(),
                    });
                }
                Some(holder)
            }
            None => None,
        };
        let text = serde_json::to_string(&me).unwrap_or_default();
        file.set_len(0)
            .and_then(|_| file.seek(SeekFrom::Start(0)))
            .and_then(|_| file.write_all(text.as_bytes()))
            .and_then(|_| file.sync_all())
            .map_err(|e| StoreError::Io {
                path: path.display().to_string(),
                source: e,
            })?;
        Ok(ProjectLock {
            file,
            path,
            taken_over,
        })
    }
}

impl Drop for ProjectLock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Whether a path looks like it sits in a synced folder or on a network share, where
/// SQLite locking is unreliable: a warning to show, or `None`.
pub fn shared_folder_warning(project: &Path) -> Option<String> {
    let full = std::fs::canonicalize(project).unwrap_or_else(|_| project.to_path_buf());
    let text = full.display().to_string().to_lowercase();
    let synced = [
        "dropbox",
        "onedrive",
        "google drive",
        "googledrive",
        "nextcloud",
        "owncloud",
        "icloud",
        "seafile",
        "syncthing",
    ];
    if let Some(name) = synced.iter().find(|n| text.contains(*n)) {
        return Some(format!(
            "this project is in a synced folder ({name}): open it on one machine at a time and let the sync finish before opening it elsewhere"
        ));
    }
    if cfg!(target_os = "linux")
        && let Ok(mounts) = std::fs::read_to_string("/proc/mounts")
    {
        {
            let mut best: Option<(usize, String)> = None;
            for line in mounts.lines() {
                let mut parts = line.split_whitespace();
                let (_, Some(mount), Some(fs)) = (parts.next(), parts.next(), parts.next()) else {
                    continue;
                };
                if full.starts_with(mount)
                    && best.as_ref().is_none_or(|(len, _)| mount.len() > *len)
                {
                    best = Some((mount.len(), fs.to_string()));
                }
            }
            if let Some((_, fs)) = best
                && [
                    "nfs",
                    "nfs4",
                    "cifs",
                    "smb3",
                    "smbfs",
                    "sshfs",
                    "fuse.sshfs",
                    "9p",
                    "davfs",
                ]
                .contains(&fs.as_str())
            {
                return Some(format!(
                    "this project is on a network share ({fs}): locking may not protect it from a second machine; copy it locally to work"
                ));
            }
        }
    }
    None
}
