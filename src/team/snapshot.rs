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
use crate::store::StoreError;
use crate::store::schema::{OLDEST_READABLE, SCHEMA_VERSION, schema_version};

/// A whole project as rows keyed by GUID.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Provenance label: the file name rows read from it are recorded as coming from
    /// (empty for the project a merge goes into).
    pub label: String,
    /// The project row.
    pub project: Option<ProjectRow>,
    /// Coders by GUID.
    pub coders: HashMap<String, CoderRow>,
    /// Respondents by GUID.
    pub respondents: HashMap<String, RespondentRow>,
    /// Documents by GUID.
    pub documents: HashMap<String, DocumentRow>,
    /// Attributes by GUID.
    pub attributes: HashMap<String, AttributeRow>,
    /// Attribute values by (attribute GUID, owner GUID).
    pub values: HashMap<(String, String), ValueRow>,
    /// Codes by GUID.
    pub codes: HashMap<String, CodeRow>,
    /// Codings by GUID (many: a fast hash).
    pub codings: FastMap<Arc<str>, CodingRow>,
    /// Memos by GUID.
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
    match conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;") {
        Ok(()) => Ok(()),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => {
            Err(StoreError::Locked {
                path: path.display().to_string(),
                holder: crate::store::lock::live_holder(path)
                    .map(|h| h.to_string())
                    .unwrap_or_else(|| "another process".into()),
            }
            .into())
        }
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ReadOnly) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Checks that an opened input is a Fouille project this build can merge.
fn check_input(conn: Connection, path: &Path) -> TeamResult<Connection> {
    let shown = path.display().to_string();
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let has_project: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='project'",
            [],
            |r| r.get(0),
        )
        .map_err(|e| StoreError::NotAProject {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
    if has_project == 0 {
        return Err(StoreError::NotAProject {
            path: shown,
            reason: "no Fouille tables".into(),
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
        return Err(TeamError::Invalid(format!(
            "{shown} was saved by an older Fouille (schema {version}): open it once in Fouille to upgrade it, then merge"
        )));
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
    conn.execute_batch("SAVEPOINT fouille_snapshot")?;
    let out = load_inner(conn, label);
    conn.execute_batch("RELEASE fouille_snapshot")?;
    out
}

/// A text column without copying it.
fn text_ref<'r>(r: &'r rusqlite::Row, i: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(i)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn source_or(label: &str, stored: String) -> String {
    if stored.is_empty() {
        label.to_string()
    } else {
        stored
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
    snap.project = conn
        .query_row(
            "SELECT guid, name, created_at, modified_at, settings FROM project",
            [],
            |r| {
                Ok(ProjectRow {
                    guid: r.get(0)?,
                    name: r.get(1)?,
                    created_at: r.get(2)?,
                    modified_at: r.get(3)?,
                    settings: r.get(4)?,
                })
            },
        )
        .ok();
    let mut stmt = conn.prepare("SELECT guid, name, created_at FROM coders")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let row = CoderRow {
            guid: r.get(0)?,
            name: r.get(1)?,
            created_at: r.get(2)?,
        };
        snap.coders.insert(row.guid.clone(), row);
    }
    let mut stmt = conn.prepare(
        "SELECT r.guid, r.name, r.pseudonym, r.consent, k.guid, r.created_at, r.modified_at, r.deleted, r.source_project
         FROM respondents r LEFT JOIN coders k ON k.id = r.created_by",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let row = RespondentRow {
            guid: r.get(0)?,
            name: r.get(1)?,
            pseudonym: r.get(2)?,
            consent: r.get(3)?,
            created_by: r.get(4)?,
            created_at: r.get(5)?,
            modified_at: r.get(6)?,
            deleted: r.get(7)?,
            source_project: source_or(label, r.get(8)?),
        };
        snap.respondents.insert(row.guid.clone(), row);
    }
    let mut stmt = conn.prepare(
        "SELECT d.guid, d.name, d.kind, d.char_len, d.content_hash, d.media_path, d.origin, r.guid,
                d.sort_order, k.guid, d.created_at, d.modified_at, d.deleted, d.source_project
         FROM documents d LEFT JOIN respondents r ON r.id = d.respondent_id LEFT JOIN coders k ON k.id = d.created_by",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let row = DocumentRow {
            guid: r.get(0)?,
            name: r.get(1)?,
            kind: r.get(2)?,
            char_len: r.get(3)?,
            content_hash: r.get(4)?,
            media_path: r.get(5)?,
            origin: r.get(6)?,
            respondent: r.get(7)?,
            sort_order: r.get(8)?,
            created_by: r.get(9)?,
            created_at: r.get(10)?,
            modified_at: r.get(11)?,
            deleted: r.get(12)?,
            source_project: source_or(label, r.get(13)?),
        };
        snap.documents.insert(row.guid.clone(), row);
    }
    let mut stmt = conn.prepare(
        "SELECT guid, name, value_type, scope, sort_order, created_at, modified_at, deleted FROM attributes",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let row = AttributeRow {
            guid: r.get(0)?,
            name: r.get(1)?,
            value_type: r.get(2)?,
            scope: r.get(3)?,
            sort_order: r.get(4)?,
            created_at: r.get(5)?,
            modified_at: r.get(6)?,
            deleted: r.get(7)?,
        };
        snap.attributes.insert(row.guid.clone(), row);
    }
    let mut stmt = conn.prepare(
        "SELECT a.guid, CASE a.scope WHEN 'document' THEN d.guid ELSE r.guid END, v.value, v.modified_at
         FROM attribute_values v JOIN attributes a ON a.id = v.attribute_id
         LEFT JOIN documents d ON d.id = v.owner_id LEFT JOIN respondents r ON r.id = v.owner_id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let Some(owner) = r.get::<_, Option<String>>(1)? else {
            continue;
        };
        let row = ValueRow {
            attribute: r.get(0)?,
            owner,
            value: r.get(2)?,
            modified_at: r.get(3)?,
        };
        snap.values
            .insert((row.attribute.clone(), row.owner.clone()), row);
    }
    let mut stmt = conn.prepare(
        "SELECT c.guid, p.guid, c.name, c.kind, c.color, c.description, c.sort_order, k.guid, c.created_at,
                c.modified_at, c.deleted, c.source_project
         FROM codes c LEFT JOIN codes p ON p.id = c.parent_id LEFT JOIN coders k ON k.id = c.created_by",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let row = CodeRow {
            guid: r.get(0)?,
            parent: r.get(1)?,
            name: r.get(2)?,
            kind: r.get(3)?,
            color: r.get(4)?,
            description: r.get(5)?,
            sort_order: r.get(6)?,
            created_by: r.get(7)?,
            created_at: r.get(8)?,
            modified_at: r.get(9)?,
            deleted: r.get(10)?,
            source_project: source_or(label, r.get(11)?),
        };
        snap.codes.insert(row.guid.clone(), row);
    }
    // Codings are many: their references are read as row ids and mapped to shared GUIDs
    // here rather than joined row by row.
    let mut interner = Interner::default();
    let label_arc = interner.get(label);
    let arcs =
        |sql: &str, interner: &mut Interner| -> TeamResult<FastMap<i64, (Arc<str>, Arc<str>)>> {
            let mut stmt = conn.prepare(sql)?;
            let mut rows = stmt.query([])?;
            let mut out = FastMap::default();
            while let Some(r) = rows.next()? {
                out.insert(
                    r.get(0)?,
                    (interner.get(text_ref(r, 1)?), interner.get(text_ref(r, 2)?)),
                );
            }
            Ok(out)
        };
    let documents = arcs(
        "SELECT id, guid, content_hash FROM documents",
        &mut interner,
    )?;
    let codes = arcs("SELECT id, guid, guid FROM codes", &mut interner)?;
    let coders = arcs("SELECT id, guid, guid FROM coders", &mut interner)?;
    snap.codings.reserve(
        conn.query_row("SELECT count(*) FROM codings", [], |r| r.get::<_, i64>(0))? as usize,
    );
    let mut stmt = conn.prepare(
        "SELECT guid, document_id, code_id, start_char, end_char, created_by, created_at, modified_at, deleted,
                source_project
         FROM codings",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (Some(document), Some(code), Some(coder)) = (
            documents.get(&r.get::<_, i64>(1)?),
            codes.get(&r.get::<_, i64>(2)?),
            coders.get(&r.get::<_, i64>(5)?),
        ) else {
            continue;
        };
        let source = text_ref(r, 9)?;
        let row = CodingRow {
            guid: Arc::from(text_ref(r, 0)?),
            document: document.0.clone(),
            code: code.0.clone(),
            start_char: r.get(3)?,
            end_char: r.get(4)?,
            created_by: coder.0.clone(),
            created_at: r.get(6)?,
            modified_at: r.get(7)?,
            deleted: r.get(8)?,
            source_project: if source.is_empty() {
                label_arc.clone()
            } else {
                interner.get(source)
            },
            base_hash: document.1.clone(),
        };
        snap.codings.insert(row.guid.clone(), row);
    }
    let mut stmt = conn.prepare(
        "SELECT m.guid, m.target_kind, m.target_guid, m.text, k.guid, m.created_at, m.modified_at, m.deleted, m.source_project
         FROM memos m LEFT JOIN coders k ON k.id = m.created_by",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let row = MemoRow {
            guid: r.get(0)?,
            target_kind: r.get(1)?,
            target_guid: r.get(2)?,
            text: r.get(3)?,
            created_by: r.get(4)?,
            created_at: r.get(5)?,
            modified_at: r.get(6)?,
            deleted: r.get(7)?,
            source_project: source_or(label, r.get(8)?),
        };
        snap.memos.insert(row.guid.clone(), row);
    }
    let mut stmt = conn.prepare("SELECT original, replacement FROM pseudonyms")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        snap.pseudonyms.insert(r.get(0)?, r.get(1)?);
    }
    Ok(snap)
}
