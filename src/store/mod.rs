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
pub mod documents;
pub mod history;
pub mod lock;
pub mod memos;
pub mod pseudonyms;
pub mod reader;
pub mod respondents;
pub mod schema;
pub mod search;
pub mod text_edit;

use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

pub use lock::{LockHolder, ProjectLock, StalePolicy};

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// An SQLite error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Another process has the project open.
    #[error("{path} is already open in another Fouille window ({holder}); close it there first")]
    Locked {
        /// The project.
        path: String,
        /// Who holds it.
        holder: String,
    },
    /// A session ended without closing the project, on another machine or in a process we
    /// cannot prove dead.
    #[error(
        "{path} was left open by {holder}, which did not close it; if that session is really gone, take the project over"
    )]
    StaleLock {
        /// The project.
        path: String,
        /// Who left it.
        holder: String,
    },
    /// The file is not a Fouille project.
    #[error("{path} is not a Fouille project ({reason})")]
    NotAProject {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// The project was written by a newer Fouille.
    #[error(
        "this project was saved by a newer version of Fouille (schema {found}; this version reads up to {supported}): update Fouille to open it"
    )]
    NewerVersion {
        /// Version in the file.
        found: i64,
        /// Highest this build reads.
        supported: i64,
    },
    /// Something named does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// A request that breaks a rule (bad offsets, a name already taken…).
    #[error("{0}")]
    Invalid(String),
}

/// Result of the store.
pub type StoreResult<T> = Result<T, StoreError>;

/// Options for opening a project.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// What to do with a stale lock.
    pub stale: StalePolicy,
    /// Coder to act as (created if new); default: the last coder who used the project, or
    /// the OS user name.
    pub coder: Option<String>,
}

/// An open project.
#[derive(Debug)]
pub struct Project {
    conn: Connection,
    path: PathBuf,
    coder_id: i64,
    _lock: Option<ProjectLock>,
    /// A stale lock taken over at open, if any (to tell the user).
    pub taken_over_lock: Option<LockHolder>,
    /// The schema version found before migrating at open.
    pub migrated_from: i64,
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

fn configure(conn: &Connection) -> StoreResult<()> {
    // No memory-mapped reads: they made every page of text read once (a table quoting the
    // corpus, a merge, a QDPX import) stay resident, +100 to +160 MB of RSS at 1,000
    // interviews, for no measurable gain (BENCHMARKS.md).
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32000; PRAGMA mmap_size = 0;",
    )?;
    search::register_functions(conn)?;
    Ok(())
}

impl Project {
    /// Creates a new project file. Fails if the file exists.
    pub fn create(path: &Path, name: &str, coder: Option<&str>) -> StoreResult<Project> {
        if path.exists() {
            return Err(StoreError::Invalid(format!(
                "{} already exists",
                path.display()
            )));
        }
        let lock = ProjectLock::acquire(path, StalePolicy::TakeOverLocal)?;
        let mut conn = Connection::open(path)?;
        configure(&conn)?;
        schema::migrate(&mut conn)?;
        let now = crate::model::now_ms();
        conn.execute(
            "INSERT INTO project (id, guid, name, created_at, modified_at) VALUES (1, ?1, ?2, ?3, ?3)",
            rusqlite::params![crate::model::new_guid(), name, now],
        )?;
        let coder_name = coder.map(str::to_string).unwrap_or_else(default_coder_name);
        let coder_id = coders::ensure(&conn, &coder_name)?.0;
        history::install_triggers(&conn)?;
        search::install_sync_triggers(&conn)?;
        let project = Project {
            conn,
            path: path.to_path_buf(),
            coder_id,
            _lock: Some(lock),
            taken_over_lock: None,
            migrated_from: 0,
        };
        project.remember_coder()?;
        Ok(project)
    }

    /// Opens an existing project with default options.
    pub fn open(path: &Path) -> StoreResult<Project> {
        Project::open_with(path, &OpenOptions::default())
    }

    /// Opens an existing project.
    pub fn open_with(path: &Path, options: &OpenOptions) -> StoreResult<Project> {
        let shown = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|e| StoreError::Io {
            path: shown.clone(),
            source: e,
        })?;
        if !meta.is_file() {
            return Err(StoreError::NotAProject {
                path: shown,
                reason: "not a file".into(),
            });
        }
        check_sqlite_header(path)?;
        let lock = ProjectLock::acquire(path, options.stale)?;
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let has_project: bool =
            conn.query_row(
                "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='project'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map_err(|e| StoreError::NotAProject {
                path: shown.clone(),
                reason: e.to_string(),
            })? > 0;
        let version = schema::schema_version(&conn)?;
        if !has_project && version == 0 {
            return Err(StoreError::NotAProject {
                path: shown,
                reason: "an SQLite database without Fouille tables".into(),
            });
        }
        if version > schema::SCHEMA_VERSION {
            return Err(StoreError::NewerVersion {
                found: version,
                supported: schema::SCHEMA_VERSION,
            });
        }
        configure(&conn)?;
        if version < schema::SCHEMA_VERSION {
            backup::backup_connection(&conn, path, "migration", backup::KEEP_BACKUPS)?;
        }
        let migrated_from = schema::migrate(&mut conn)?;
        let coder_name = match &options.coder {
            Some(name) => name.clone(),
            None => last_coder(&conn)?.unwrap_or_else(default_coder_name),
        };
        let coder_id = coders::ensure(&conn, &coder_name)?.0;
        history::install_triggers(&conn)?;
        search::install_sync_triggers(&conn)?;
        let taken_over_lock = lock.taken_over.clone();
        let project = Project {
            conn,
            path: path.to_path_buf(),
            coder_id,
            _lock: Some(lock),
            taken_over_lock,
            migrated_from,
        };
        project.remember_coder()?;
        Ok(project)
    }

    /// The project file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read access to the connection (queries only: writes go through [`Project::action`]).
    pub fn conn(&self) -> &Connection {
        &self.conn
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

    /// The acting coder.
    pub fn coder(&self) -> StoreResult<crate::model::Coder> {
        coders::by_id(&self.conn, self.coder_id)
    }

    /// The acting coder's row id.
    pub fn coder_id(&self) -> i64 {
        self.coder_id
    }

    /// Acts as another coder from now on (created if new).
    pub fn set_coder(&mut self, name: &str) -> StoreResult<crate::model::Coder> {
        let (id, coder) = coders::ensure(&self.conn, name)?;
        self.coder_id = id;
        self.remember_coder()?;
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

    /// Sets one setting (not an undoable action: settings are preferences).
    pub fn update_setting(&self, key: &str, value: serde_json::Value) -> StoreResult<()> {
        let mut settings = self.settings()?;
        settings.insert(key.to_string(), value);
        self.conn.execute(
            "UPDATE project SET settings = ?1",
            [serde_json::Value::Object(settings).to_string()],
        )?;
        Ok(())
    }

    /// Runs one user action: one transaction, one undo step labelled `label`. If `f` fails,
    /// nothing it did is kept.
    pub fn action<T>(
        &mut self,
        label: &str,
        f: impl FnOnce(&Tx) -> StoreResult<T>,
    ) -> StoreResult<T> {
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
        tx.commit()?;
        Ok(out)
    }

    /// Runs a bulk action in one transaction without recording an undo step (imports of a
    /// whole corpus, merges): the caller makes a backup first. The undo-capture triggers are
    /// off meanwhile: even idle, a trigger makes SQLite keep a statement journal, copying
    /// every page each insert touches into a temporary file (half the time of a corpus
    /// import went there).
    pub fn bulk_action<T>(&mut self, f: impl FnOnce(&Tx) -> StoreResult<T>) -> StoreResult<T> {
        let coder_id = self.coder_id;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        history::remove_triggers(&tx)?;
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
                return Err(e);
            }
        };
        history::install_triggers(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Undoes the last action; returns its label, or `None` when there is nothing to undo.
    pub fn undo(&mut self) -> StoreResult<Option<String>> {
        history::replay(&mut self.conn, history::Stack::Undo)
    }

    /// Redoes the last undone action; returns its label.
    pub fn redo(&mut self) -> StoreResult<Option<String>> {
        history::replay(&mut self.conn, history::Stack::Redo)
    }

    /// Label of the action [`Project::undo`] would undo.
    pub fn undo_label(&self) -> StoreResult<Option<String>> {
        history::top_label(&self.conn, history::Stack::Undo)
    }

    /// Label of the action [`Project::redo`] would redo.
    pub fn redo_label(&self) -> StoreResult<Option<String>> {
        history::top_label(&self.conn, history::Stack::Redo)
    }

    /// Checkpoints the WAL into the main file (so a copied file is complete).
    pub fn checkpoint(&self) -> StoreResult<()> {
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(())
    }

    /// Writes a consistent copy of the project to `dest` with SQLite's online backup API.
    pub fn backup_to(&self, dest: &Path) -> StoreResult<()> {
        let mut out = Connection::open(dest)?;
        let backup = rusqlite::backup::Backup::new(&self.conn, &mut out)?;
        backup.run_to_completion(256, std::time::Duration::from_millis(0), None)?;
        drop(backup);
        out.execute_batch("PRAGMA journal_mode = DELETE;")?;
        Ok(())
    }
}

fn last_coder(conn: &Connection) -> StoreResult<Option<String>> {
    let text: String = conn.query_row("SELECT settings FROM project", [], |r| r.get(0))?;
    let settings: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    Ok(settings
        .get("last_coder")
        .and_then(|v| v.as_str())
        .map(str::to_string))
}

fn check_sqlite_header(path: &Path) -> StoreResult<()> {
    use std::io::Read;
    let shown = path.display().to_string();
    let mut header = [0u8; 16];
    let mut file = std::fs::File::open(path).map_err(|e| StoreError::Io {
        path: shown.clone(),
        source: e,
    })?;
    let read = file.read(&mut header).map_err(|e| StoreError::Io {
        path: shown.clone(),
        source: e,
    })?;
    if read < 16 || &header != b"SQLite format 3\0" {
        return Err(StoreError::NotAProject {
            path: shown,
            reason: "not an SQLite database".into(),
        });
    }
    Ok(())
}

/// Converts a stored `i64` to `usize` for offsets (negative values, impossible by the
/// schema's CHECK, become 0).
pub(crate) fn to_usize(v: i64) -> usize {
    usize::try_from(v).unwrap_or(0)
}
