//! Creating and opening a project file, with the checks that keep a user's work from
//! being lost or hidden: the file is a whole SQLite database (not cut short, pages sound),
//! the write-ahead log found beside it is the one its last session left, no action of that
//! session went missing, and a file that cannot be written opens read-only.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::{
    LockHolder, NotAProjectReason, OpenOptions, Project, ProjectLock, ReadOnlyReason, StalePolicy,
    StoreError, StoreResult, backup, coders, damage, history, journal, schema, search, space, vfs,
};

/// Files up to this size have every page checked at open (about 30 ms for 100 MB); larger
/// ones are checked as their pages are read, and in full by `fouille check`.
const SCAN_AT_OPEN_BYTES: u64 = 256 * 1024 * 1024;

/// What opening a project found and did, for the user to be told.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OpenReport {
    /// A lock left by a session that is gone, taken over.
    pub taken_over_lock: Option<LockHolder>,
    /// The schema version found before migrating.
    pub migrated_from: i64,
    /// Actions the crashed session had committed that the project no longer holds (its
    /// write-ahead log was deleted or replaced after the crash).
    pub lost_actions: Option<i64>,
    /// A write-ahead log found beside the project that its last session did not leave: not
    /// applied to the project, but to a copy kept as this backup.
    pub journal_set_aside: Option<PathBuf>,
    /// The file got page checksums (older projects, once).
    pub checksums_added: bool,
    /// The project opened read-only, and why.
    pub read_only: Option<super::ReadOnlyReason>,
}

impl OpenReport {
    /// Warnings to show, in English (the app words them from the fields).
    pub fn warnings(&self, path: &Path) -> Vec<String> {
        let shown = path.display();
        let mut out = Vec::new();
        if let Some(holder) = &self.taken_over_lock {
            out.push(format!(
                "{shown} had been left open by {holder}, which is gone; taken over"
            ));
        }
        if let Some(lost) = self.lost_actions {
            out.push(format!(
                "{lost} action(s) of the session that crashed are missing: its journal file ({shown}-wal) was deleted or replaced before the project was opened again"
            ));
        }
        if let Some(copy) = &self.journal_set_aside {
            out.push(format!(
                "a journal file ({shown}-wal) that this project's last session did not leave was found beside it: it was not applied; the project as it would be with it is kept as the backup {} (restore it if it holds work you expect)",
                copy.display()
            ));
        }
        if let Some(reason) = &self.read_only {
            out.push(format!(
                "{shown} is read-only ({reason}): changes cannot be saved"
            ));
        }
        out
    }
}

/// Whether a project file may be written, or why not.
fn write_access(path: &Path) -> Result<(), ReadOnlyReason> {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !may_write(path) {
        return Err(ReadOnlyReason::File);
    }
    if !may_write(folder) {
        return Err(ReadOnlyReason::Folder(folder.display().to_string()));
    }
    Ok(())
}

/// Whether this process may write the project file at `path` (and the folder holding it).
pub(crate) fn can_write(path: &Path) -> bool {
    write_access(path).is_ok()
}

#[cfg(unix)]
fn may_write(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c_path) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: a valid C string. access() also answers for read-only mounts (EROFS).
    unsafe { libc::access(c_path.as_ptr(), libc::W_OK) == 0 }
}

#[cfg(not(unix))]
fn may_write(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.permissions().readonly())
}

/// Checks that `path` is a whole SQLite file before anything opens it: a file cut short is
/// damage, not "not a Fouille project".
fn preflight(path: &Path) -> StoreResult<()> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| StoreError::Io {
        path: shown.clone(),
        source: e,
    })?;
    if !meta.is_file() {
        return Err(StoreError::NotAProject {
            path: shown,
            reason: NotAProjectReason::NotAFile,
        });
    }
    let mut header = [0u8; 100];
    let read = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut header))
        .map_err(|e| StoreError::Io {
            path: shown.clone(),
            source: e,
        })?;
    if read < 16 || &header[..16] != b"SQLite format 3\0" {
        let reason = if meta.len() == 0 {
            NotAProjectReason::Empty
        } else {
            NotAProjectReason::NotSqlite
        };
        return Err(StoreError::NotAProject {
            path: shown,
            reason,
        });
    }
    if read < 100 || vfs::header_layout(&header).is_none() {
        return Err(damage::damaged(&shown, damage::Damage::HeaderCutShort));
    }
    // With no log to apply, the file must hold every page its header declares (with one,
    // a crash during a checkpoint may have left it short: the log completes it).
    if journal::log_salts(path).is_none() {
        let scan = damage::scan_pages(path, false).map_err(|e| StoreError::Io {
            path: shown.clone(),
            source: e,
        })?;
        if let Some(found) = scan.damage() {
            return Err(damage::damaged(&shown, found));
        }
    }
    Ok(())
}

/// Refuses a file cut short or with pages that fail their checksum. Runs once SQLite has
/// applied the write-ahead log: a checkpoint a crash interrupted leaves torn pages that the
/// log still holds whole, and that are rewritten by then.
fn refuse_damage(path: &Path) -> StoreResult<()> {
    match scan_if_small(path, space::file_size(path))?.damage() {
        None => Ok(()),
        Some(found) => Err(damage::damaged(&path.display().to_string(), found)),
    }
}

/// Every page checked when the file is small enough to be read at open, else only its
/// length.
fn scan_if_small(path: &Path, length: u64) -> StoreResult<damage::PageScan> {
    damage::scan_pages(path, length <= SCAN_AT_OPEN_BYTES).map_err(|e| StoreError::Io {
        path: path.display().to_string(),
        source: e,
    })
}

/// A connection's first look at the file: the Fouille tables are there and the schema is
/// one this build reads.
fn check_schema(conn: &Connection, path: &Path) -> StoreResult<i64> {
    let shown = path.display().to_string();
    let has_project: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='project'",
            [],
            |r| r.get(0),
        )
        .map_err(|e| match StoreError::from(e) {
            StoreError::Sqlite(e) => StoreError::NotAProject {
                path: shown.clone(),
                reason: NotAProjectReason::Sqlite(e.to_string()),
            },
            other => other.in_project(path),
        })?;
    let version = schema::schema_version(conn)?;
    if has_project == 0 && version == 0 {
        return Err(StoreError::NotAProject {
            path: shown,
            reason: NotAProjectReason::NoFouilleTables,
        });
    }
    if version > schema::SCHEMA_VERSION {
        return Err(StoreError::NewerVersion {
            found: version,
            supported: schema::SCHEMA_VERSION,
        });
    }
    Ok(version)
}

impl Project {
    /// Creates a new project file, with page checksums. Fails if the file exists.
    pub fn create(path: &Path, name: &str, coder: Option<&str>) -> StoreResult<Project> {
        vfs::register();
        if path.exists() {
            return Err(StoreError::Exists {
                path: path.display().to_string(),
            });
        }
        space::ensure_room(path, 1 << 20)?;
        let lock = ProjectLock::acquire(path, StalePolicy::TakeOverLocal)?;
        let mut conn = Connection::open(path)?;
        // Before the first page is written: every page gets room for its checksum.
        vfs::reserve_checksum_space(&conn)?;
        super::configure(&conn)?;
        schema::migrate(&mut conn)?;
        let now = crate::model::now_ms();
        conn.execute(
            "INSERT INTO project (id, guid, name, created_at, modified_at) VALUES (1, ?1, ?2, ?3, ?3)",
            rusqlite::params![crate::model::new_guid(), name, now],
        )?;
        let coder_name = coder
            .map(str::to_string)
            .unwrap_or_else(super::default_coder_name);
        let coder_id = coders::ensure(&conn, &coder_name)?.0;
        history::install_triggers(&conn)?;
        search::install_sync_triggers(&conn)?;
        let mut project =
            Project::assemble(conn, path, coder_id, Some(lock), OpenReport::default());
        project.remember_coder()?;
        project.settle()?;
        Ok(project)
    }

    /// Opens an existing project with default options.
    pub fn open(path: &Path) -> StoreResult<Project> {
        Project::open_with(path, &OpenOptions::default())
    }

    /// Opens an existing project: read-only when it cannot be written; refused, with the
    /// way out, when it is damaged.
    pub fn open_with(path: &Path, options: &OpenOptions) -> StoreResult<Project> {
        vfs::register();
        preflight(path)?;
        if let Err(reason) = write_access(path) {
            return Project::open_read_only(path, reason, options);
        }
        let lock = ProjectLock::acquire(path, options.stale)?;
        let mut report = OpenReport {
            taken_over_lock: lock.taken_over.clone(),
            ..OpenReport::default()
        };
        report.journal_set_aside = journal::set_aside_if_foreign(path, lock.taken_over.as_ref())?;
        journal::remove_unwritable_index(path);
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let version = check_schema(&conn, path)?;
        super::configure(&conn)?;
        // A checkpoint a crash interrupted is finished before anything else reads the file.
        super::checkpoint(&conn, "PASSIVE").map_err(|e| e.in_project(path))?;
        refuse_damage(path)?;
        if version < schema::SCHEMA_VERSION {
            space::ensure_room(path, 2 * space::file_size(path))?;
            backup::backup_connection(&conn, path, "migration", backup::KEEP_BACKUPS)?;
        }
        report.migrated_from = schema::migrate(&mut conn).map_err(|e| e.in_project(path))?;
        if !has_checksums(path) {
            conn = add_checksums(conn, path)?;
            report.checksums_added = true;
        }
        report.lost_actions = lost_actions(&conn, lock.taken_over.as_ref())?;
        let coder_name = match &options.coder {
            Some(name) => name.clone(),
            None => last_coder(&conn)?.unwrap_or_else(super::default_coder_name),
        };
        let coder_id = coders::ensure(&conn, &coder_name)?.0;
        history::install_triggers(&conn)?;
        search::install_sync_triggers(&conn)?;
        let mut project = Project::assemble(conn, path, coder_id, Some(lock), report);
        project.remember_coder()?;
        project.settle()?;
        Ok(project)
    }

    /// Opens a project that cannot be written: the file as it is (the checkpoint after
    /// every action keeps it complete), without a lock or a journal, so that even a
    /// read-only folder reads.
    fn open_read_only(
        path: &Path,
        reason: ReadOnlyReason,
        options: &OpenOptions,
    ) -> StoreResult<Project> {
        let conn = Connection::open_with_flags(
            immutable_uri(path),
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let version = check_schema(&conn, path)?;
        refuse_damage(path)?;
        if version < schema::OLDEST_READABLE {
            return Err(StoreError::ReadOnly {
                path: path.display().to_string(),
                reason,
            });
        }
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        search::register_functions(&conn)?;
        let wanted = options.coder.clone().or(last_coder(&conn)?);
        let coder_id = match wanted {
            Some(name) => conn
                .query_row(
                    "SELECT id FROM coders WHERE name = ?1",
                    [name.trim()],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or(0),
            None => 0,
        };
        let mut project = Project::assemble(conn, path, coder_id, None, OpenReport::default());
        project.opened.read_only = Some(reason.clone());
        project.read_only = Some(reason);
        Ok(project)
    }
}

/// `file:` URI of a file opened as immutable (no locks, no journal), with the characters a
/// URI gives meaning to escaped.
pub(super) fn immutable_uri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::from("file:");
    for byte in absolute.to_string_lossy().bytes() {
        match byte {
            b'%' | b'?' | b'#' | b' ' => out.push_str(&format!("%{byte:02X}")),
            _ => out.push(byte as char),
        }
    }
    out.push_str("?immutable=1");
    out
}

fn has_checksums(path: &Path) -> bool {
    let mut header = [0u8; 100];
    std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header))
        .ok()
        .and_then(|()| vfs::header_layout(&header))
        .is_some_and(|(_, reserved)| reserved == vfs::RESERVED_BYTES)
}

/// Rewrites an older project with room for a checksum on every page (once, after a
/// backup): `VACUUM` rebuilds every page, and the connection is opened again so that
/// every page it reads is checked.
fn add_checksums(conn: Connection, path: &Path) -> StoreResult<Connection> {
    space::ensure_room(path, 3 * space::file_size(path))?;
    backup::backup_connection(&conn, path, "before-checksums", backup::KEEP_BACKUPS)?;
    vfs::reserve_checksum_space(&conn)?;
    conn.execute_batch("VACUUM")?;
    super::checkpoint(&conn, "TRUNCATE")?;
    drop(conn);
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    super::configure(&conn)?;
    Ok(conn)
}

/// How many actions the session that left a stale lock committed beyond what the project
/// holds now.
fn lost_actions(conn: &Connection, previous: Option<&LockHolder>) -> StoreResult<Option<i64>> {
    let Some(recorded) = previous.and_then(|h| h.last_action) else {
        return Ok(None);
    };
    let now = super::action_count(conn)?;
    Ok((recorded > now).then_some(recorded - now))
}

/// The coder who last used the project, from its settings.
pub(super) fn last_coder(conn: &Connection) -> StoreResult<Option<String>> {
    let text: String = conn.query_row("SELECT settings FROM project", [], |r| r.get(0))?;
    let settings: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    Ok(settings
        .get("last_coder")
        .and_then(|v| v.as_str())
        .map(str::to_string))
}
