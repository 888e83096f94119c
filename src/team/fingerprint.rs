//! A project's content as sorted text lines, one per entity, by GUID: what two projects
//! must share to hold "the same content". Row ids (private to a file), the project row
//! (each file has its own GUID) and the provenance column `source_project` (where a row
//! was merged from, not what it says) are left out; everything else is in, tombstones
//! included.

use rusqlite::Connection;
use std::path::Path;

use super::TeamResult;
use crate::store::sync;

/// Every entity of the project as one line `kind|field|field…` (text fields quoted),
/// sorted: two projects hold the same content exactly when their fingerprints are equal.
pub fn project_fingerprint(conn: &Connection) -> TeamResult<Vec<String>> {
    let mut out = sync::read::content_lines(conn)?;
    out.sort();
    Ok(out)
}

/// The fingerprint of a project file, read without opening it as a project (nothing is
/// written to it).
pub fn file_fingerprint(path: &Path) -> TeamResult<Vec<String>> {
    let conn = super::snapshot::open_read_only(path)?;
    project_fingerprint(&conn)
}
