//! Free disk space, checked before large writes: SQLite reports a full disk only once it
//! is half-way through, and at a checkpoint it may leave the project split between its
//! file and its journal. Refusing before starting keeps the project whole.

use std::path::Path;

use super::{StoreError, StoreResult};

/// Room kept free beyond what a write needs: the journal, SQLite's temporary files and the
/// system's own margin.
const MARGIN_BYTES: u64 = 16 * 1024 * 1024;

/// Bytes free for this user on the file system holding `path` (a file or a folder), or
/// `None` where the system does not tell.
pub fn free_bytes(path: &Path) -> Option<u64> {
    let folder = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| Path::new(".").to_path_buf(), Path::to_path_buf)
    };
    free_bytes_of_folder(&folder)
}

#[cfg(unix)]
fn free_bytes_of_folder(folder: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c_path = std::ffi::CString::new(folder.as_os_str().as_bytes()).ok()?;
    let mut stats: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: a valid C string and a zeroed statvfs the call fills.
    let rc = unsafe { libc::statvfs(c_path.as_ptr(), &mut stats) };
    (rc == 0).then(|| u64::from(stats.f_bavail).saturating_mul(u64::from(stats.f_frsize)))
}

#[cfg(not(unix))]
fn free_bytes_of_folder(_folder: &Path) -> Option<u64> {
    None
}

/// Refuses, with [`StoreError::DiskFull`], a write of about `needed_bytes` into the folder
/// of `path` when the disk does not have that much room plus a margin.
pub fn ensure_room(path: &Path, needed_bytes: u64) -> StoreResult<()> {
    let Some(free) = free_bytes(path) else {
        return Ok(());
    };
    let needed = needed_bytes.saturating_add(MARGIN_BYTES);
    if free >= needed {
        return Ok(());
    }
    Err(StoreError::DiskFull {
        folder: path
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        needed_bytes: Some(needed),
        free_bytes: Some(free),
    })
}

/// Size of a file in bytes (0 when it cannot be read).
pub fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}
