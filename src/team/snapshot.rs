//! A project as plain sets of rows keyed by GUID, with every reference written as a GUID:
//! what the merge reads, computes and writes. Row ids never appear here.

use rusqlite::{Connection, OpenFlags};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::fasthash::FastMap;
pub use super::rows::{
    AttributeRow, CodeRow, CoderRow, CodingRow, DocumentRow, MemoRow, ProjectRow, RespondentRow,
    ValueRow, Versioned,
};
use super::{TeamError, TeamResult};
use crate::store::schema::{OLDEST_READABLE, SCHEMA_VERSION, schema_version};
use crate::store::sync::read::{self, IdTable, WriteLock};
use crate::store::{NotAProjectReason, StoreError};

/// A whole project as rows keyed by GUID.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Provenance label: the file name rows read from it are recorded as coming from
    /// (empty for the project a merge goes into).
    pub label: String,
    /// The project row (`None` when it could not be read): its name, dates and settings.
    pub project: Option<ProjectRow>,
    /// Coders by GUID (a coder row has no tombstone).
    pub coders: HashMap<String, CoderRow>,
    /// Respondents by GUID, tombstones included.
    pub respondents: HashMap<String, RespondentRow>,
    /// Documents by GUID, tombstones included, without their texts.
    pub documents: HashMap<String, DocumentRow>,
    /// Attribute definitions by GUID, tombstones included.
    pub attributes: HashMap<String, AttributeRow>,
    /// Attribute values by (attribute GUID, owner GUID).
    pub values: HashMap<(String, String), ValueRow>,
    /// Codes by GUID, tombstones included.
    pub codes: HashMap<String, CodeRow>,
    /// Codings by GUID (many: a fast hash).
    pub codings: FastMap<Arc<str>, CodingRow>,
    /// Memos by GUID, tombstones included.
    pub memos: HashMap<String, MemoRow>,
    /// Pseudonyms: original → replacement.
    pub pseudonyms: BTreeMap<String, String>,
    /// Project files holding the documents' texts, read by content hash when the merge
    /// needs one ([`TextReader`](super::texts::TextReader)): the file the snapshot was read
    /// from, and for a merged snapshot those of its inputs.
    pub text_sources: Vec<PathBuf>,
}

/// Shares equal strings (coding references) while loading.
#[derive(Default)]
pub(crate) struct Interner(FastMap<String, Arc<str>>);

impl Interner {
    pub(crate) fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.0.get(s) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(s);
        self.0.insert(s.to_string(), a.clone());
        a
    }
}

/// A project file opened for reading (see [`open_read_only`]).
pub struct ReadOnlyProject {
    conn: Connection,
}

impl std::ops::Deref for ReadOnlyProject {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.conn
    }
}

/// Opens a project file for reading and checks its schema version. While another process
/// is writing into the file (an import half-way), the error is [`StoreError::Locked`]
/// naming it, and the caller waits and tries again: an input is never read from the state
/// before a write under way. A file this process cannot write is read as it is (nobody can
/// write it).
pub fn open_read_only(path: &Path) -> TeamResult<ReadOnlyProject> {
    let shown = path.display().to_string();
    if !path.is_file() {
        return Err(TeamError::Io {
            path: shown,
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such project file"),
        });
    }
    crate::store::vfs::register();
    let conn = match Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) {
        Ok(conn) => {
            wait_for_no_writer(&conn, path)?;
            conn
        }
        Err(_) => crate::store::reader::open_read_only(path)?,
    };
    check_input(conn, path).map(|conn| ReadOnlyProject { conn })
}

/// Fails at once, naming the writer, while another process is in a long operation on the
/// file (its lock file says so: an import reading its files before it writes) or holds the
/// file's write lock; otherwise takes the write lock and lets it go (every write committed
/// so far is then visible to the reads that follow). A file that turns out read-only needs
/// no such check.
fn wait_for_no_writer(conn: &Connection, path: &Path) -> TeamResult<()> {
    let busy = |holder: String| -> TeamError {
        StoreError::Locked {
            path: path.display().to_string(),
            holder,
        }
        .into()
    };
    if let Some(holder) = crate::store::lock::live_holder(path).filter(|h| h.busy.is_some()) {
        return Err(busy(holder.to_string()));
    }
    conn.busy_timeout(std::time::Duration::ZERO)?;
    match read::probe_write_lock(conn)? {
        WriteLock::Free | WriteLock::ReadOnly => Ok(()),
        WriteLock::Held => Err(busy(
            crate::store::lock::live_holder(path)
                .map(|h| h.to_string())
                .unwrap_or_else(|| "another process".into()),
        )),
    }
}

/// Checks that an opened input is a Fouille project this build can merge.
fn check_input(conn: Connection, path: &Path) -> TeamResult<Connection> {
    let shown = path.display().to_string();
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    if !read::has_project_table(&conn, &shown)? {
        return Err(StoreError::NotAProject {
            path: shown,
            reason: NotAProjectReason::NoFouilleTables,
        }
        .into());
    }
    let version = schema_version(&conn)?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerVersion {
            found: version,
            supported: SCHEMA_VERSION,
        }
        .into());
    }
    if version < OLDEST_READABLE {
        return Err(TeamError::OlderSchema {
            path: shown.to_string(),
            version,
        });
    }
    Ok(conn)
}

/// Reads a project file into a snapshot labelled with the file name.
pub fn load_file(path: &Path) -> TeamResult<Snapshot> {
    let conn = open_read_only(path)?;
    let label = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    load(&conn, &label)
}

/// Reads a project from a connection, in one read transaction. Rows without provenance
/// get `label` as their source project. Document texts are not read: the connection's file
/// is recorded as their source.
pub fn load(conn: &Connection, label: &str) -> TeamResult<Snapshot> {
    read::in_one_read(conn, || load_inner(conn, label))
}

/// Rows made in the project read (no provenance stored) are recorded as coming from it,
/// under the snapshot's `label`.
fn own_rows_from(label: &str, source_project: &mut String) {
    if source_project.is_empty() {
        *source_project = label.to_string();
    }
}

fn load_inner(conn: &Connection, label: &str) -> TeamResult<Snapshot> {
    let mut snap = Snapshot {
        label: label.to_string(),
        text_sources: conn
            .path()
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .into_iter()
            .collect(),
        ..Snapshot::default()
    };
    snap.project = read::project_row(conn)?;
    read::each_coder(conn, |row| {
        snap.coders.insert(row.guid.clone(), row);
    })?;
    read::each_respondent(conn, |mut row| {
        own_rows_from(label, &mut row.source_project);
        snap.respondents.insert(row.guid.clone(), row);
    })?;
    read::each_document(conn, |mut row| {
        own_rows_from(label, &mut row.source_project);
        snap.documents.insert(row.guid.clone(), row);
    })?;
    read::each_attribute(conn, |row| {
        snap.attributes.insert(row.guid.clone(), row);
    })?;
    read::each_value(conn, |row| {
        snap.values
            .insert((row.attribute.clone(), row.owner.clone()), row);
    })?;
    read::each_code(conn, |mut row| {
        own_rows_from(label, &mut row.source_project);
        snap.codes.insert(row.guid.clone(), row);
    })?;
    load_codings(conn, label, &mut snap.codings)?;
    read::each_memo(conn, |mut row| {
        own_rows_from(label, &mut row.source_project);
        snap.memos.insert(row.guid.clone(), row);
    })?;
    read::each_pseudonym(conn, |(original, replacement)| {
        snap.pseudonyms.insert(original, replacement);
    })?;
    Ok(snap)
}

/// Row id → shared GUID of every row of `table`.
fn shared_guids(
    conn: &Connection,
    table: IdTable,
    interner: &mut Interner,
) -> TeamResult<FastMap<i64, Arc<str>>> {
    let mut out = FastMap::default();
    read::each_id_guid(conn, table, |id, guid| {
        out.insert(id, interner.get(guid));
    })?;
    Ok(out)
}

/// Reads the codings into `codings`. They are many: their references are read as row ids
/// and mapped to shared GUIDs here rather than joined row by row; a coding whose document,
/// code or coder row is missing is left out.
fn load_codings(
    conn: &Connection,
    label: &str,
    codings: &mut FastMap<Arc<str>, CodingRow>,
) -> TeamResult<()> {
    let mut interner = Interner::default();
    let label_arc = interner.get(label);
    // Row id → (GUID, content hash): a coding's offsets refer to its document's text.
    let mut documents: FastMap<i64, (Arc<str>, Arc<str>)> = FastMap::default();
    read::each_document_hash(conn, |id, guid, hash| {
        documents.insert(id, (interner.get(guid), interner.get(hash)));
    })?;
    let codes = shared_guids(conn, IdTable::Codes, &mut interner)?;
    let coders = shared_guids(conn, IdTable::Coders, &mut interner)?;
    codings.reserve(read::coding_count(conn)?);
    read::each_coding(conn, |g| {
        let (Some(document), Some(code), Some(coder)) = (
            documents.get(&g.document_id),
            codes.get(&g.code_id),
            coders.get(&g.created_by),
        ) else {
            return;
        };
        let row = CodingRow {
            guid: Arc::from(g.guid),
            document: document.0.clone(),
            code: code.clone(),
            start_char: g.start_char,
            end_char: g.end_char,
            created_by: coder.clone(),
            created_at: g.created_at,
            modified_at: g.modified_at,
            deleted: g.deleted,
            source_project: if g.source_project.is_empty() {
                label_arc.clone()
            } else {
                interner.get(g.source_project)
            },
            base_hash: document.1.clone(),
        };
        codings.insert(row.guid.clone(), row);
    })?;
    Ok(())
}
