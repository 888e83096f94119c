//! Extra read-only connections on a project file, for reading a lot on another thread (the
//! texts of an analysis, the sources of an export) while the project's own connection goes
//! on. They read through a memory map of the file: 4 to 5 times faster than reading long
//! texts' overflow pages one `pread` at a time. The mapping goes when the connection closes.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::StoreResult;

/// A read-only connection to a project file. A file that cannot be written (the file, its
/// folder or its disk read-only) is opened as it is, without the journal's index: a reader
/// could neither create that index in a read-only folder, nor leave one behind that the
/// project's owner could not then write.
pub fn open_read_only(path: &Path) -> StoreResult<Connection> {
    super::vfs::register();
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = if super::open::can_write(path) {
        Connection::open_with_flags(path, flags)?
    } else {
        Connection::open_with_flags(
            super::open::immutable_uri(path),
            flags | OpenFlags::SQLITE_OPEN_URI,
        )?
    };
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

/// How much of the file a reader maps (more than any project holds).
const MAP_BYTES: i64 = 1 << 30;

/// The file a reader of `conn` can open: its project file, when there is one, no
/// transaction is open (so a reader sees the same committed state) and the machine has two
/// cores or more (else another thread gains nothing).
pub fn reader_path(conn: &Connection) -> Option<PathBuf> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    conn.path()
        .filter(|p| !p.is_empty() && cores >= 2 && conn.is_autocommit())
        .map(PathBuf::from)
}

/// A read-only connection to the project file at `path`, for one thread, reading through a
/// memory map.
pub fn open_reader(path: &Path) -> StoreResult<Connection> {
    let conn = open_read_only(path)?;
    // The pragma answers with the size granted: stepped through its row.
    conn.query_row(&format!("PRAGMA mmap_size = {MAP_BYTES}"), [], |_| Ok(()))
        .optional()?;
    Ok(conn)
}

/// Calls `f` with each document's GUID and text, as the UTF-8 bytes SQLite holds (not
/// checked: checking 80 MB of text cost more than reading it), in the table's order;
/// `live_only` leaves deleted documents out. Nothing is kept after `f` returns.
pub fn for_each_text(
    conn: &Connection,
    live_only: bool,
    mut f: impl FnMut(&str, &[u8]),
) -> StoreResult<()> {
    let sql = if live_only {
        "SELECT guid, text FROM documents WHERE deleted = 0"
    } else {
        "SELECT guid, text FROM documents"
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let Ok(guid) = row.get_ref(0)?.as_str() else {
            continue;
        };
        let text = match row.get_ref(1)? {
            rusqlite::types::ValueRef::Text(bytes) | rusqlite::types::ValueRef::Blob(bytes) => {
                bytes
            }
            _ => &[],
        };
        f(guid, text);
    }
    Ok(())
}
