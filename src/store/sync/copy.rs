//! A merged project starts as a copy of one input, written under a temporary name that no
//! other process knows of until it is renamed: these writes skip the journal (a failure
//! deletes the file) and the copy gets a GUID of its own.

use std::ffi::c_int;
use std::path::Path;

use rusqlite::Connection;

use crate::store::StoreResult;

/// Tables whose rows record the project file they were merged from.
const PROVENANCE_TABLES: [&str; 5] = ["respondents", "documents", "codes", "codings", "memos"];

/// Copies the project open on `source` into a new file `dest` with SQLite's backup API, in
/// one pass, and returns a connection to the copy with its journal off (see
/// [`journal_off`]) and writes not synced until it is closed.
pub fn copy_unjournaled(source: &Connection, dest: &Path) -> StoreResult<Connection> {
    let mut copy = Connection::open(dest)?;
    copy.execute_batch("PRAGMA synchronous = OFF;")?;
    {
        let backup = rusqlite::backup::Backup::new(source, &mut copy)?;
        backup.run_to_completion(c_int::MAX, std::time::Duration::from_millis(5), None)?;
    }
    journal_off(&copy)?;
    Ok(copy)
}

/// Stamps every row made in the copied project itself (`source_project` empty) with
/// `label`, the name the merge records that project under; one transaction.
pub fn label_own_rows(conn: &Connection, label: &str) -> StoreResult<()> {
    let tx = conn.unchecked_transaction()?;
    for table in PROVENANCE_TABLES {
        tx.execute(
            &format!("UPDATE {table} SET source_project = ?1 WHERE source_project = ''"),
            [label],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Turns the rollback journal off on a file no other process knows of yet: its pages are
/// written once, in place.
pub fn journal_off(conn: &Connection) -> StoreResult<()> {
    conn.execute_batch("PRAGMA journal_mode = OFF;")?;
    Ok(())
}

/// Puts the project file at `path` back in WAL mode, as every project is at rest.
pub fn journal_to_wal(path: &Path) -> StoreResult<()> {
    Connection::open(path)?.execute_batch("PRAGMA journal_mode = WAL;")?;
    Ok(())
}

/// Gives the project a new GUID: a merged file is a project of its own, not its inputs.
pub fn set_project_guid(conn: &Connection, guid: &str) -> StoreResult<()> {
    conn.execute("UPDATE project SET guid = ?1", [guid])?;
    Ok(())
}
