//! The project store: one SQLite file per project (`*.fouille`).
//!
//! [`Project`] opens or creates a file (WAL, foreign keys, migrations, a lock) and runs every
//! user action in one transaction that is also one undo step ([`Project::action`]). The
//! entity modules (`documents`, `codes`, …) hold plain functions over a [`Tx`], so compound
//! actions (an import, a merge) compose them inside a single transaction.

pub mod attributes;
pub mod backup;
pub mod bulk;
pub mod check;
pub mod coders;
pub mod codes;
pub mod coding_writer;
pub mod codings;
pub mod damage;
pub mod documents;
pub mod errors;
pub mod excerpts;
pub mod floor;
pub mod history;
mod ids;
pub mod journal;
pub mod lock;
pub mod memos;
mod open;
pub mod pseudonyms;
pub mod reader;
pub mod refi;
pub mod respondents;
pub mod schema;
pub mod search;
pub mod space;
pub mod stats;
pub mod sync;
pub mod team_folder;
pub mod text_edit;
pub mod vfs;

use rusqlite::{Connection, OptionalExtension};
use std::path::{Path, PathBuf};

pub use errors::{
    Named, NotAProjectReason, NotWrittenReason, ReadOnlyReason, Rule, StoreError, StoreResult,
    Thing,
};
pub use lock::{LockHolder, ProjectLock, StalePolicy};
pub use open::OpenReport;

/// Options for opening a project.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// What to do with a stale lock.
    pub stale: StalePolicy,
    /// Coder to act as (created if new); default: the last coder who used the project, or
    /// the OS user name.
    pub coder: Option<String>,
}

/// An open project: its connection, its lock (one process per project) and the acting coder.
/// Every change goes through [`Project::action`].
#[derive(Debug)]
pub struct Project {
    conn: Connection,
    path: PathBuf,
    coder_id: i64,
    lock: Option<ProjectLock>,
    /// Why the project cannot be written, when it cannot.
    read_only: Option<ReadOnlyReason>,
    /// Committed frames of the log not yet copied into the file (a reader held them back):
    /// the next settle tries again.
    unsettled: bool,
    /// What opening the project found and did.
    pub opened: OpenReport,
}

/// The context of one action: the transaction's connection, the acting coder and the
/// action's timestamp (every row the action touches gets the same `modified_at`).
pub struct Tx<'a> {
    /// The connection, inside a transaction.
    pub conn: &'a Connection,
    /// The acting coder's row id.
    pub coder_id: i64,
    /// The action's time in ms.
    pub now_ms: i64,
}

fn default_coder_name() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "Codeur".into())
}

/// The page cache of a project's connection, in KB.
const CACHE_KB: i64 = 32_000;
/// The page cache while a bulk action runs, in KB.
const BULK_CACHE_KB: i64 = 100_000;

fn configure(conn: &Connection) -> StoreResult<()> {
    // No memory-mapped reads: they made every page of text read once (a table quoting the
    // corpus, a merge, a QDPX import) stay resident, +100 to +160 MB of RSS at 1,000
    // interviews, for no measurable gain (BENCHMARKS.md). No automatic checkpoint either:
    // the store checkpoints after every action itself, and reports when it cannot. Freed
    // pages are overwritten (`secure_delete`, also the build's default): SQLite otherwise
    // skips writing them, and a page never written has no checksum (see `vfs`).
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -{CACHE_KB}; PRAGMA mmap_size = 0; PRAGMA wal_autocheckpoint = 0; PRAGMA secure_delete = ON;",
    ))?;
    search::register_functions(conn)?;
    Ok(())
}

/// Copies the committed frames of the log into the project file (`mode`: `PASSIVE` copies
/// what no reader holds back without waiting; `TRUNCATE` waits for readers and empties the
/// log). Returns whether every frame was copied.
fn checkpoint(conn: &Connection, mode: &str) -> StoreResult<bool> {
    let (busy, log, copied): (i64, i64, i64) =
        conn.query_row(&format!("PRAGMA main.wal_checkpoint({mode})"), [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    Ok(busy == 0 && copied >= log)
}

/// The project's count of committed actions (0 before schema 3).
fn action_count(conn: &Connection) -> StoreResult<i64> {
    Ok(conn
        .query_row("SELECT value FROM action_counter WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?
        .unwrap_or(0))
}

/// Counts one more committed action, inside the action's transaction.
fn count_action(conn: &Connection) -> StoreResult<()> {
    conn.execute(
        "UPDATE action_counter SET value = value + 1 WHERE id = 1",
        [],
    )?;
    Ok(())
}

impl Project {
    fn assemble(
        conn: Connection,
        path: &Path,
        coder_id: i64,
        lock: Option<ProjectLock>,
        opened: OpenReport,
    ) -> Project {
        Project {
            conn,
            path: path.to_path_buf(),
            coder_id,
            lock,
            read_only: None,
            unsettled: false,
            opened,
        }
    }

    /// The project file, as it was opened (not canonicalised).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read access to the connection (queries only: writes go through [`Project::action`]).
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Why the project cannot be written, when it opened read-only.
    pub fn read_only(&self) -> Option<&ReadOnlyReason> {
        self.read_only.as_ref()
    }

    fn refuse_if_read_only(&self) -> StoreResult<()> {
        match &self.read_only {
            Some(reason) => Err(StoreError::ReadOnly {
                path: self.path.display().to_string(),
                reason: reason.clone(),
            }),
            None => Ok(()),
        }
    }

    /// The project's name.
    pub fn name(&self) -> StoreResult<String> {
        Ok(self
            .conn
            .query_row("SELECT name FROM project", [], |r| r.get(0))?)
    }

    /// The project's GUID.
    pub fn guid(&self) -> StoreResult<String> {
        Ok(self
            .conn
            .query_row("SELECT guid FROM project", [], |r| r.get(0))?)
    }

    /// The acting coder: who new codings, codes and memos are by (see [`Project::set_coder`]).
    pub fn coder(&self) -> StoreResult<crate::model::Coder> {
        coders::by_id(&self.conn, self.coder_id)
    }

    /// The acting coder's row id.
    pub fn coder_id(&self) -> i64 {
        self.coder_id
    }

    /// Acts as another coder from now on (created if new).
    pub fn set_coder(&mut self, name: &str) -> StoreResult<crate::model::Coder> {
        self.refuse_if_read_only()?;
        let (id, coder) = coders::ensure(&self.conn, name)?;
        self.coder_id = id;
        self.remember_coder()?;
        self.settle()?;
        Ok(coder)
    }

    fn remember_coder(&self) -> StoreResult<()> {
        let name = self.coder()?.name;
        self.update_setting("last_coder", serde_json::Value::String(name))
    }

    /// Reads the project's settings (a JSON object).
    pub fn settings(&self) -> StoreResult<serde_json::Map<String, serde_json::Value>> {
        let text: String = self
            .conn
            .query_row("SELECT settings FROM project", [], |r| r.get(0))?;
        Ok(serde_json::from_str(&text).unwrap_or_default())
    }

    /// Sets one setting (not an undoable action: settings are preferences). A read-only
    /// project keeps its settings as they are, without an error: preferences are not work.
    pub fn update_setting(&self, key: &str, value: serde_json::Value) -> StoreResult<()> {
        if self.read_only.is_some() {
            return Ok(());
        }
        let mut settings = self.settings()?;
        settings.insert(key.to_string(), value);
        self.conn.execute(
            "UPDATE project SET settings = ?1",
            [serde_json::Value::Object(settings).to_string()],
        )?;
        Ok(())
    }

    /// Runs one user action: one transaction, one undo step labelled `label`. If `f` fails,
    /// nothing it did is kept. When this returns `Ok`, the change is in the project file
    /// itself (see [`Project::settle`]).
    pub fn action<T>(
        &mut self,
        label: &str,
        f: impl FnOnce(&Tx) -> StoreResult<T>,
    ) -> StoreResult<T> {
        self.refuse_if_read_only()?;
        let coder_id = self.coder_id;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        history::begin_step(&tx, label)?;
        let ctx = Tx {
            conn: &tx,
            coder_id,
            now_ms: crate::model::now_ms(),
        };
        let out = f(&ctx)?;
        history::end_step(&tx)?;
        count_action(&tx)?;
        tx.commit()?;
        self.settle()?;
        Ok(out)
    }

    /// Runs a bulk action in one transaction without recording an undo step (imports of a
    /// whole corpus, merges): the caller makes a backup first. The undo-capture triggers are
    /// off meanwhile: even idle, a trigger makes SQLite keep a statement journal, copying
    /// every page each insert touches into a temporary file (half the time of a corpus
    /// import went there). New documents are indexed for search at the end, in one batch
    /// (`search::begin_batch`).
    pub fn bulk_action<T>(&mut self, f: impl FnOnce(&Tx) -> StoreResult<T>) -> StoreResult<T> {
        self.refuse_if_read_only()?;
        let coder_id = self.coder_id;
        // A larger page cache while the bulk write lasts: the random keys of the GUID and
        // hash indexes otherwise make SQLite write pages out and read them back.
        self.conn
            .execute_batch(&format!("PRAGMA cache_size = -{BULK_CACHE_KB}"))?;
        let result = self.bulk_transaction(coder_id, f);
        self.conn
            .execute_batch(&format!("PRAGMA cache_size = -{CACHE_KB}"))?;
        let out = result?;
        self.settle()?;
        Ok(out)
    }

    fn bulk_transaction<T>(
        &mut self,
        coder_id: i64,
        f: impl FnOnce(&Tx) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        history::remove_triggers(&tx)?;
        let indexed_up_to = search::begin_batch(&tx)?;
        let ctx = Tx {
            conn: &tx,
            coder_id,
            now_ms: crate::model::now_ms(),
        };
        let out = match f(&ctx) {
            Ok(out) => out,
            Err(e) => {
                drop(tx);
                // The rollback brought the triggers back; this makes sure of it.
                history::install_triggers(&self.conn)?;
                search::install_sync_triggers(&self.conn)?;
                return Err(e);
            }
        };
        search::end_batch(&tx, indexed_up_to)?;
        history::install_triggers(&tx)?;
        count_action(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Undoes the last action; returns its label, or `None` when there is nothing to undo.
    pub fn undo(&mut self) -> StoreResult<Option<String>> {
        self.replay(history::Stack::Undo)
    }

    /// Redoes the last undone action; returns its label.
    pub fn redo(&mut self) -> StoreResult<Option<String>> {
        self.replay(history::Stack::Redo)
    }

    fn replay(&mut self, stack: history::Stack) -> StoreResult<Option<String>> {
        self.refuse_if_read_only()?;
        let label = history::replay(&mut self.conn, stack)?;
        if label.is_some() {
            count_action(&self.conn)?;
            self.settle()?;
        }
        Ok(label)
    }

    /// Label of the action [`Project::undo`] would undo.
    pub fn undo_label(&self) -> StoreResult<Option<String>> {
        history::top_label(&self.conn, history::Stack::Undo)
    }

    /// Label of the action [`Project::redo`] would redo.
    pub fn redo_label(&self) -> StoreResult<Option<String>> {
        history::top_label(&self.conn, history::Stack::Redo)
    }

    /// Copies every committed change from the write-ahead log into the project file, so that
    /// the file alone is complete (copied, backed up or synced on its own, it holds all the
    /// work), and records the session's progress in the lock file. Called after every
    /// action. A reader holding an older state back leaves the rest for the next call;
    /// a failure to write (a full disk) is an error: the change is safe in the log, but the
    /// file is not complete.
    pub fn settle(&mut self) -> StoreResult<()> {
        if self.read_only.is_some() {
            return Ok(());
        }
        // The log's salts are recorded before its frames are copied: a crash during the
        // copy leaves the file half-updated, and the next open must know that log as this
        // session's, to finish the copy instead of setting the log aside.
        let count = action_count(&self.conn)?;
        let salts = journal::log_salts(&self.path);
        if let Some(lock) = self.lock.as_mut() {
            lock.record(count, salts)?;
        }
        let complete = checkpoint(&self.conn, "PASSIVE").map_err(|e| self.not_written(e))?;
        self.unsettled = !complete;
        Ok(())
    }

    /// Runs `f`, a long operation on the project (an import: reading files, then writing),
    /// with the lock file saying so meanwhile: a merge reading this project from another
    /// process waits for it to end instead of reading the project from before it.
    pub fn while_busy<T, E>(
        &mut self,
        what: &str,
        f: impl FnOnce(&mut Project) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        if let Some(lock) = self.lock.as_mut() {
            lock.set_busy(Some(what))?;
        }
        let out = f(self);
        if let Some(lock) = self.lock.as_mut() {
            lock.set_busy(None)?;
        }
        out
    }

    /// Whether committed changes still wait in the log (a reader held them back at the
    /// last settle).
    pub fn is_unsettled(&self) -> bool {
        self.unsettled
    }

    fn not_written(&self, error: StoreError) -> StoreError {
        match error {
            StoreError::DiskFull { .. } | StoreError::Sqlite(_) | StoreError::Io { .. } => {
                StoreError::NotWritten {
                    path: self.path.display().to_string(),
                    reason: NotWrittenReason::Failed(Box::new(error)),
                }
            }
            other => other,
        }
    }

    /// Checkpoints the WAL into the main file and empties the log (so a copied file is
    /// complete and no log is left beside it); waits for readers.
    pub fn checkpoint(&self) -> StoreResult<()> {
        if self.read_only.is_some() {
            return Ok(());
        }
        if checkpoint(&self.conn, "TRUNCATE").map_err(|e| self.not_written(e))? {
            Ok(())
        } else {
            Err(StoreError::NotWritten {
                path: self.path.display().to_string(),
                reason: NotWrittenReason::ReaderHoldsLog,
            })
        }
    }

    /// Closes the project: every change written into the file, the log emptied, the lock
    /// released. Errors say the file is not complete (the log still holds the changes).
    pub fn close(self) -> StoreResult<()> {
        self.checkpoint()
    }

    /// Writes a consistent copy of the project to `dest` with SQLite's online backup API.
    pub fn backup_to(&self, dest: &Path) -> StoreResult<()> {
        space::ensure_room(dest, space::file_size(&self.path))?;
        let mut out = Connection::open(dest)?;
        let backup = rusqlite::backup::Backup::new(&self.conn, &mut out)?;
        backup.run_to_completion(256, std::time::Duration::from_millis(0), None)?;
        drop(backup);
        out.execute_batch("PRAGMA journal_mode = DELETE;")?;
        Ok(())
    }
}

impl Drop for Project {
    /// A last checkpoint, so that a project dropped without [`Project::close`] is complete
    /// on disk too (errors cannot be reported here; `close` reports them).
    fn drop(&mut self) {
        if self.read_only.is_none() {
            let _ = checkpoint(&self.conn, "TRUNCATE");
        }
    }
}

/// Converts a stored `i64` to `usize` for offsets (negative values, impossible by the
/// schema's CHECK, become 0).
pub(crate) fn to_usize(v: i64) -> usize {
    usize::try_from(v).unwrap_or(0)
}
