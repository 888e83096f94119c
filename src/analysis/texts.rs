//! Reading documents' texts for an analysis: streamed as UTF-8 bytes not checked yet
//! (checking 80 MB of French text cost more than reading it) and never kept. Where the
//! project is a file, they are read on read-only connections of their own
//! ([`crate::store::reader`]: memory-mapped), two at once when there are many, so both
//! cores share the work.

use std::collections::HashMap;
use std::path::PathBuf;

use rusqlite::Connection;

use super::{AnalysisError, AnalysisResult};
use crate::model::DocumentInfo;

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
            .map_err(|_| AnalysisError::TextReaderStopped)??;
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
    let mut out = Vec::with_capacity(index.len());
    crate::store::reader::for_each_text(conn, false, |guid, text| {
        if let Some(&d) = index.get(guid) {
            out.push((d, f(d, text)));
        }
    })?;
    Ok(out)
}

/// The project file a second, read-only connection beside `conn` can open, if any (see
/// [`crate::store::reader::reader_path`]): what [`crate::analysis::compute`] reads texts on
/// while it resolves the filter.
pub fn second_connection(conn: &Connection) -> Option<PathBuf> {
    crate::store::reader::reader_path(conn)
}

/// Where the paragraphs of every live document start, by document GUID, read on a
/// read-only connection to `path` (see [`second_connection`]).
pub fn paragraphs_by_guid(path: &std::path::Path) -> AnalysisResult<HashMap<String, Vec<usize>>> {
    let conn = open_read_only(path)?;
    let mut out = HashMap::new();
    crate::store::reader::for_each_text(&conn, true, |guid, text| {
        out.insert(guid.to_string(), crate::model::text::line_start_chars(text));
    })?;
    Ok(out)
}

/// A read-only connection to the project file at `path`, for one thread (see
/// [`crate::store::reader`]).
fn open_read_only(path: &std::path::Path) -> AnalysisResult<Connection> {
    Ok(crate::store::reader::open_reader(path)?)
}
