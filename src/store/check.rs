//! `fouille check`: SQLite's own integrity check plus the invariants of DESIGN §2.

use rusqlite::Connection;

use super::StoreResult;
use crate::model::CodeKind;

/// Runs every check; returns the problems found (empty when the project is sound).
pub fn check(conn: &Connection) -> StoreResult<Vec<String>> {
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
        "SELECT d.name, d.text, d.char_len, d.content_hash FROM documents d WHERE d.deleted = 0",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (name, text, len, hash): (String, String, i64, String) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        if text.chars().count() as i64 != len {
            problems.push(format!(
                "document « {name} »: stored length {len} does not match its text"
            ));
        }
        if super::documents::content_hash(&text) != hash {
            problems.push(format!(
                "document « {name} »: content hash does not match its text"
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
            .filter(|c| c.parent_guid.as_deref() == Some(&code.guid))
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
