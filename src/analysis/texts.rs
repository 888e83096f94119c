//! Reading documents' texts for an analysis: streamed as UTF-8 bytes not checked yet
//! (checking 80 MB of French text cost more than reading it) and never kept. Where the
//! project is a file, they are read on read-only connections of their own with the file
//! memory-mapped (4 to 5 times faster than reading the texts' overflow pages one `pread` at a
//! time; the mapping goes with the connection), two at once when there are many, so both
//! cores share the work.

use std::collections::HashMap;
use std::path::PathBuf;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::{AnalysisError, AnalysisResult};
use crate::model::DocumentInfo;
use crate::store::StoreError;

/// Calls `f` with the text of each document whose index is marked in `needed` and returns
/// its results by document index (in no particular order). With a project file and no open
/// transaction, the texts are read on read-only connections (they see the same committed
/// state), and with enough documents half of them in another thread.
pub fn map_texts<R: Send>(
    conn: &Connection,
    documents: &[DocumentInfo],
    needed: &[bool],
    f: impl Fn(usize, &[u8]) -> R + Sync,
) -> AnalysisResult<Vec<(usize, R)>> {
    let wanted: Vec<usize> = (0..documents.len())
        .filter(|&d| needed.get(d).copied().unwrap_or(false))
        .collect();
    let Some(path) = second_connection(conn) else {
        return scan(conn, documents, &wanted, &f);
    };
    // A second thread costs a few milliseconds: only worth it for many documents.
    if wanted.len() < 200 {
        return match open_read_only(&path) {
            Ok(own) => scan(&own, documents, &wanted, &f),
            Err(_) => scan(conn, documents, &wanted, &f),
        };
    }
    let (mine, theirs): (Vec<usize>, Vec<usize>) = wanted.iter().partition(|&&d| d % 2 == 0);
    std::thread::scope(|s| {
        let other = s.spawn(|| -> AnalysisResult<Vec<(usize, R)>> {
            scan(&open_read_only(&path)?, documents, &theirs, &f)
        });
        let mut out = match open_read_only(&path) {
            Ok(own) => scan(&own, documents, &mine, &f)?,
            Err(_) => scan(conn, documents, &mine, &f)?,
        };
        let rest = other
            .join()
            .map_err(|_| AnalysisError::Invalid("reading the texts failed".into()))??;
        out.extend(rest);
        Ok(out)
    })
}

/// One pass over the documents table on `conn`, for the documents `which`.
fn scan<R>(
    conn: &Connection,
    documents: &[DocumentInfo],
    which: &[usize],
    f: &impl Fn(usize, &[u8]) -> R,
) -> AnalysisResult<Vec<(usize, R)>> {
    if which.is_empty() {
        return Ok(Vec::new());
    }
    let index: HashMap<&str, usize> = which
        .iter()
        .filter_map(|&d| documents.get(d).map(|doc| (doc.guid.as_str(), d)))
        .collect();
    let mut stmt = conn
        .prepare_cached("SELECT guid, text FROM documents")
        .map_err(StoreError::from)?;
    let mut rows = stmt.query([]).map_err(StoreError::from)?;
    let mut out = Vec::with_capacity(index.len());
    while let Some(row) = rows.next().map_err(StoreError::from)? {
        let guid = row.get_ref(0).map_err(StoreError::from)?;
        let Some(&d) = guid.as_str().ok().and_then(|g| index.get(g)) else {
            continue;
        };
        let text = match row.get_ref(1).map_err(StoreError::from)? {
            rusqlite::types::ValueRef::Text(bytes) | rusqlite::types::ValueRef::Blob(bytes) => {
                bytes
            }
            _ => &[],
        };
        out.push((d, f(d, text)));
    }
    Ok(out)
}

/// A second, read-only connection on the same project file as `conn`, when there is one,
/// no transaction is open (so both see the same committed state) and the machine has two
/// cores or more: what [`crate::analysis::compute`] reads texts on while it resolves the
/// filter.
pub fn second_connection(conn: &Connection) -> Option<PathBuf> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    conn.path()
        .filter(|p| !p.is_empty() && cores >= 2 && conn.is_autocommit())
        .map(PathBuf::from)
}

/// Where the paragraphs of every live document start, by document GUID, read on a
/// read-only connection to `path` (see [`second_connection`]).
pub fn paragraphs_by_guid(path: &std::path::Path) -> AnalysisResult<HashMap<String, Vec<usize>>> {
    let conn = open_read_only(path)?;
    let mut stmt = conn
        .prepare("SELECT guid, text FROM documents WHERE deleted = 0")
        .map_err(StoreError::from)?;
    let mut rows = stmt.query([]).map_err(StoreError::from)?;
    let mut out = HashMap::new();
    while let Some(row) = rows.next().map_err(StoreError::from)? {
        let guid: String = row.get(0).map_err(StoreError::from)?;
        let text = match row.get_ref(1).map_err(StoreError::from)? {
            rusqlite::types::ValueRef::Text(bytes) | rusqlite::types::ValueRef::Blob(bytes) => {
                bytes
            }
            _ => &[],
        };
        out.insert(guid, crate::model::text::line_start_chars(text));
    }
    Ok(out)
}

/// How much of the file a reading connection maps (more than any project holds).
const MAP_BYTES: i64 = 1 << 30;

/// A read-only connection to the project file at `path`, for one thread, reading through a
/// memory map (unmapped when the connection closes, at the end of the read).
fn open_read_only(path: &std::path::Path) -> AnalysisResult<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(StoreError::from)?;
    // The pragma answers with the size granted: stepped through its row.
    conn.query_row(&format!("PRAGMA mmap_size = {MAP_BYTES}"), [], |_| Ok(()))
        .optional()
        .map_err(StoreError::from)?;
    Ok(conn)
}
