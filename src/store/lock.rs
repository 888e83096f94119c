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
    /// Process id on `host`: a lock whose process is gone there is stale.
    pub pid: u32,
    /// Machine the holder runs on (a project on a shared folder may be opened from another).
    pub host: String,
    /// Account the holder runs as, shown to whoever finds the project locked.
    pub user: String,
    /// When it was taken, ISO 8601.
    pub since: String,
    /// The project's action counter after the holder's last committed action: a project
    /// found with a lower count after a crash lost that many actions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_action: Option<i64>,
    /// The two salts of the write-ahead log the holder last wrote: a log found beside the
    /// project with other salts is not the one this session left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal_salts: Option<[u32; 2]>,
    /// A long operation under way (an import), when one is: readers from outside (a
    /// merge) wait for it to end rather than read the project from before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub busy: Option<String>,
}

impl LockHolder {
    /// The holder this process writes into a lock it takes (now as `since`).
    pub fn current() -> LockHolder {
        LockHolder {
            pid: std::process::id(),
            host: host_name(),
            user: std::env::var("USER")
                .or_else(|_| std::env::var("USERNAME"))
                .unwrap_or_else(|_| "?".into()),
            since: crate::model::format_ms(crate::model::now_ms()),
            last_action: None,
            journal_salts: None,
            busy: None,
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
    holder: LockHolder,
    /// A stale holder that was taken over, if any, with what its session recorded.
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
            .map_err(|e| io_error(&path, e))?;
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
        let mut lock = ProjectLock {
            file,
            path,
            holder: me,
            taken_over,
        };
        lock.write_holder(true)?;
        Ok(lock)
    }

    /// Records the session's last committed action and journal salts in the lock file, so
    /// that the next opener can tell, after a crash, whether the journal it finds is this
    /// session's and whether actions went missing with it. Not synced to disk: it guards
    /// against a process dying, which leaves the system's cache intact.
    pub fn record(
        &mut self,
        last_action: i64,
        journal_salts: Option<[u32; 2]>,
    ) -> Result<(), StoreError> {
        if self.holder.last_action == Some(last_action)
            && self.holder.journal_salts == journal_salts
        {
            return Ok(());
        }
        self.holder.last_action = Some(last_action);
        self.holder.journal_salts = journal_salts;
        self.write_holder(false)
    }

    /// Records that a long operation is under way (`Some`), or over (`None`).
    pub fn set_busy(&mut self, what: Option<&str>) -> Result<(), StoreError> {
        self.holder.busy = what.map(str::to_string);
        self.write_holder(false)
    }

    fn write_holder(&mut self, sync: bool) -> Result<(), StoreError> {
        let text = serde_json::to_string(&self.holder).unwrap_or_default();
        // One write of the whole description: a reader never sees half of it.
        self.file
            .set_len(0)
            .and_then(|_| self.file.seek(SeekFrom::Start(0)))
            .and_then(|_| self.file.write_all(text.as_bytes()))
            .and_then(|_| if sync { self.file.sync_all() } else { Ok(()) })
            .map_err(|e| io_error(&self.path, e))
    }
}

/// A failure to write the lock file: a full disk says so in those words.
fn io_error(path: &Path, e: std::io::Error) -> StoreError {
    if e.kind() == std::io::ErrorKind::StorageFull {
        return StoreError::DiskFull {
            folder: path
                .parent()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            needed_bytes: None,
            free_bytes: None,
        };
    }
    StoreError::Io {
        path: path.display().to_string(),
        source: e,
    }
}

/// Who holds `project` right now, when a living process does (its lock is taken); `None`
/// when nobody holds it or the holder is gone.
pub fn live_holder(project: &Path) -> Option<LockHolder> {
    let path = lock_path(project);
    // flock needs no write access: this works in a folder the caller may only read.
    let file = File::open(&path).ok()?;
    match file.try_lock() {
        Ok(()) => {
            let _ = file.unlock();
            None
        }
        Err(_) => {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            Some(
                serde_json::from_str(text.trim()).unwrap_or_else(|_| LockHolder {
                    pid: 0,
                    host: "?".into(),
                    user: "?".into(),
                    since: "?".into(),
                    last_action: None,
                    journal_salts: None,
                    busy: None,
                }),
            )
        }
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
