//! `fouille check`: every page against its checksum, SQLite's own integrity check, and the
//! data model's invariants (lengths and hashes of texts, GUIDs, excerpts inside their
//! documents, controversies with their two poles…). On a damaged file it names what the
//! damage touches: which documents, which excerpts.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{StoreResult, damage, vfs};
use crate::model::CodeKind;

/// Checks a project file that may be too damaged to open as a project: read-only, page by
/// page, naming the documents and excerpts on damaged pages, then the invariants on what
/// can still be read. Returns the problems found (empty when the file is sound).
pub fn check_file(path: &Path) -> StoreResult<Vec<String>> {
    vfs::register();
    let scan = damage::scan_pages(path, true).map_err(|e| super::StoreError::Io {
        path: path.display().to_string(),
        source: e,
    })?;
    let conn = forensic_connection(path)?;
    let mut problems = Vec::new();
    if let Some(found) = scan.damage() {
        problems.push(found.to_string());
        problems.extend(locate_damage(path, &conn, &scan.bad_pages)?);
    }
    match invariants(&conn) {
        Ok(found) => problems.extend(found),
        Err(e) => problems.push(format!("the rest cannot be checked: {e}")),
    }
    Ok(problems)
}

/// A read-only connection that reads a damaged file as it is: checksums not checked (to
/// read around the damage), no lock, no journal.
fn forensic_connection(path: &Path) -> StoreResult<Connection> {
    let conn = Connection::open_with_flags(
        super::open::immutable_uri(path),
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    damage::set_verification(&conn, false)?;
    Ok(conn)
}

/// What damaged pages hold: the tables and indexes, and within the documents and codings
/// tables the rows that cannot be read whole (tried on a connection of its own, whose page
/// cache holds nothing read without checks).
fn locate_damage(path: &Path, forensic: &Connection, pages: &[u32]) -> StoreResult<Vec<String>> {
    let owners = damage::owners_of_pages(forensic, pages)?;
    let checking = Connection::open_with_flags(
        super::open::immutable_uri(path),
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let mut out = Vec::new();
    let mut tables: Vec<&str> = owners.iter().map(|(_, name)| name.as_str()).collect();
    tables.sort_unstable();
    tables.dedup();
    for table in tables {
        let pages: Vec<String> = owners
            .iter()
            .filter(|(_, n)| n == table)
            .map(|(p, _)| p.to_string())
            .collect();
        out.push(format!("damaged pages {} hold {table}", pages.join(", ")));
        let describe = match table {
            "documents" => DESCRIBE_DOCUMENT,
            "codings" => DESCRIBE_CODING,
            "codes" => DESCRIBE_CODE,
            "memos" => "SELECT 'memo ' || guid FROM memos WHERE id = ?1",
            "respondents" => {
                "SELECT 'respondent « ' || name || ' »' FROM respondents WHERE id = ?1"
            }
            _ => continue,
        };
        let rows = damage::unreadable_rows(&checking, forensic, table, describe)?;
        out.extend(
            rows.into_iter()
                .map(|r| format!("{r}: cannot be read whole (on a damaged page)")),
        );
    }
    Ok(out)
}

const DESCRIBE_DOCUMENT: &str = "SELECT 'document « ' || name || ' » (' || (SELECT count(*) FROM codings g WHERE g.document_id = d.id AND g.deleted = 0) || ' excerpts coded in it)' FROM documents d WHERE id = ?1";
const DESCRIBE_CODING: &str = "SELECT 'excerpt ' || start_char || '–' || end_char || ' of « ' || coalesce((SELECT name FROM documents d WHERE d.id = g.document_id), '?') || ' » coded « ' || coalesce((SELECT name FROM codes c WHERE c.id = g.code_id), '?') || ' »' FROM codings g WHERE id = ?1";
const DESCRIBE_CODE: &str = "SELECT 'code « ' || name || ' »' FROM codes WHERE id = ?1";

/// Runs every check on an open project; returns the problems found (empty when the
/// project is sound).
pub fn check(conn: &Connection) -> StoreResult<Vec<String>> {
    let mut problems = Vec::new();
    if let Some(path) = conn.path().filter(|p| !p.is_empty()) {
        let path = Path::new(path);
        let scan = damage::scan_pages(path, true).map_err(|e| super::StoreError::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        if let Some(found) = scan.damage() {
            problems.push(found.to_string());
            problems.extend(locate_damage(
                path,
                &forensic_connection(path)?,
                &scan.bad_pages,
            )?);
        }
    }
    problems.extend(invariants(conn)?);
    Ok(problems)
}

/// SQLite's integrity check and the data model's invariants.
fn invariants(conn: &Connection) -> StoreResult<Vec<String>> {
    let mut problems = Vec::new();
    let integrity: Vec<String> = {
        let mut stmt = conn.prepare("PRAGMA integrity_check")?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?
    };
    if integrity != ["ok"] {
        problems.extend(integrity.into_iter().map(|m| format!("integrity: {m}")));
    }
    let fk: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
        r.get(0)
    })?;
    if fk > 0 {
        problems.push(format!("{fk} rows point to missing rows (foreign keys)"));
    }
    let guid_re = |g: &str| uuid::Uuid::parse_str(g).is_ok_and(|u| u.hyphenated().to_string() == g);
    for table in [
        "coders",
        "respondents",
        "documents",
        "attributes",
        "codes",
        "codings",
        "memos",
    ] {
        let mut stmt = conn.prepare(&format!("SELECT guid FROM {table}"))?;
        let bad: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .filter_map(Result::ok)
            .filter(|g| !guid_re(g))
            .collect();
        if !bad.is_empty() {
            problems.push(format!(
                "{table}: {} GUIDs are not lowercase hyphenated UUIDs (e.g. {})",
                bad.len(),
                bad[0]
            ));
        }
    }
    let mut stmt = conn.prepare(
        "SELECT d.name, d.text, d.char_len, d.content_hash, (SELECT count(*) FROM codings g WHERE g.document_id = d.id AND g.deleted = 0)
         FROM documents d WHERE d.deleted = 0",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        // Read as bytes: on a damaged file a text may not even be UTF-8 any more.
        let lossy = |i: usize| -> rusqlite::Result<(String, bool)> {
            let bytes = r.get_ref(i)?.as_bytes_or_null()?.unwrap_or_default();
            Ok(match std::str::from_utf8(bytes) {
                Ok(text) => (text.to_string(), true),
                Err(_) => (String::from_utf8_lossy(bytes).into_owned(), false),
            })
        };
        let (name, _) = lossy(0)?;
        let (text, text_is_utf8) = lossy(1)?;
        let (len, hash, excerpts): (i64, String, i64) = (r.get(2)?, r.get(3)?, r.get(4)?);
        if !text_is_utf8 {
            problems.push(format!(
                "document « {name} »: its text is no longer valid UTF-8 (damaged): its {excerpts} excerpts may be shifted or empty"
            ));
            continue;
        }
        if text.chars().count() as i64 != len {
            problems.push(format!(
                "document « {name} »: stored length {len} does not match its text"
            ));
        }
        if super::documents::content_hash(&text) != hash {
            problems.push(format!(
                "document « {name} »: its text no longer matches its hash (changed outside Fouille or damaged): its {excerpts} excerpts may be shifted"
            ));
        }
        if text.contains('\r') || text.starts_with('\u{feff}') {
            problems.push(format!(
                "document « {name} »: text is not normalised (CR or BOM)"
            ));
        }
    }
    let out_of_range: i64 = conn.query_row(
        "SELECT count(*) FROM codings g JOIN documents d ON d.id = g.document_id
         WHERE g.deleted = 0 AND (g.start_char < 0 OR g.end_char > d.char_len OR g.start_char >= g.end_char)",
        [],
        |r| r.get(0),
    )?;
    if out_of_range > 0 {
        problems.push(format!(
            "{out_of_range} codings fall outside their document"
        ));
    }
    let on_folder: i64 = conn.query_row(
        "SELECT count(*) FROM codings g JOIN codes c ON c.id = g.code_id WHERE g.deleted = 0 AND c.kind = 'folder'",
        [],
        |r| r.get(0),
    )?;
    if on_folder > 0 {
        problems.push(format!("{on_folder} codings use a folder code"));
    }
    let codes = super::codes::list(conn)?;
    for code in &codes {
        let children: Vec<_> = codes
            .iter()
            .filter(|c| c.parent_guid.as_ref() == Some(&code.guid))
            .collect();
        let parent_kind = code
            .parent_guid
            .as_ref()
            .and_then(|p| codes.iter().find(|c| &c.guid == p))
            .map(|c| c.kind);
        match code.kind {
            CodeKind::Controversy => {
                let poles = children.iter().filter(|c| c.kind == CodeKind::Pole).count();
                if poles != 2 || children.len() != 2 {
                    problems.push(format!("controversy « {} » has {poles} poles and {} children (needs exactly two poles)", code.name, children.len()));
                }
            }
            CodeKind::Pole if parent_kind != Some(CodeKind::Controversy) => {
                problems.push(format!("pole « {} » is not under a controversy", code.name));
            }
            CodeKind::Piste if parent_kind != Some(CodeKind::Orientation) => {
                problems.push(format!(
                    "piste « {} » is not under an orientation",
                    code.name
                ));
            }
            _ => {}
        }
    }
    let docs: i64 = conn.query_row("SELECT count(*) FROM documents", [], |r| r.get(0))?;
    let indexed: i64 = conn.query_row("SELECT count(*) FROM doc_fts", [], |r| r.get(0))?;
    if docs != indexed {
        problems.push(format!(
            "search index holds {indexed} documents of {docs} (run `fouille check --repair`)"
        ));
    }
    Ok(problems)
}
