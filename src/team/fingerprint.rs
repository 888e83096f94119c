//! A project's content as sorted text lines, one per entity, by GUID: what two projects
//! must share to hold "the same content". Row ids (private to a file), the project row
//! (each file has its own GUID) and the provenance column `source_project` (where a row
//! was merged from, not what it says) are left out; everything else is in, tombstones
//! included.

use rusqlite::Connection;
use std::path::Path;

use super::TeamResult;

const QUERIES: &[(&str, &str)] = &[
    ("coder", "SELECT guid, name, created_at FROM coders"),
    (
        "respondent",
        "SELECT r.guid, r.name, r.pseudonym, r.consent, k.guid, r.created_at, r.modified_at, r.deleted
         FROM respondents r LEFT JOIN coders k ON k.id = r.created_by",
    ),
    (
        "document",
        "SELECT d.guid, d.name, d.kind, d.content_hash, d.char_len, d.media_path, d.origin, r.guid, d.sort_order,
                k.guid, d.created_at, d.modified_at, d.deleted
         FROM documents d LEFT JOIN respondents r ON r.id = d.respondent_id LEFT JOIN coders k ON k.id = d.created_by",
    ),
    ("attribute", "SELECT guid, name, value_type, scope, sort_order, created_at, modified_at, deleted FROM attributes"),
    (
        "value",
        "SELECT a.guid, CASE a.scope WHEN 'document' THEN d.guid ELSE r.guid END, v.value, v.modified_at
         FROM attribute_values v JOIN attributes a ON a.id = v.attribute_id
         LEFT JOIN documents d ON d.id = v.owner_id LEFT JOIN respondents r ON r.id = v.owner_id",
    ),
    (
        "code",
        "SELECT c.guid, p.guid, c.name, c.kind, c.color, c.description, c.sort_order, k.guid, c.created_at,
                c.modified_at, c.deleted
         FROM codes c LEFT JOIN codes p ON p.id = c.parent_id LEFT JOIN coders k ON k.id = c.created_by",
    ),
    (
        "coding",
        "SELECT g.guid, d.guid, c.guid, g.start_char, g.end_char, k.guid, g.created_at, g.modified_at, g.deleted
         FROM codings g JOIN documents d ON d.id = g.document_id JOIN codes c ON c.id = g.code_id
         JOIN coders k ON k.id = g.created_by",
    ),
    (
        "memo",
        "SELECT m.guid, m.target_kind, m.target_guid, m.text, k.guid, m.created_at, m.modified_at, m.deleted
         FROM memos m LEFT JOIN coders k ON k.id = m.created_by",
    ),
    ("pseudonym", "SELECT original, replacement FROM pseudonyms"),
];

/// Every entity of the project as one line `kind|field|field…` (text fields quoted),
/// sorted.
pub fn project_fingerprint(conn: &Connection) -> TeamResult<Vec<String>> {
    let mut out = Vec::new();
    for (kind, sql) in QUERIES {
        let mut stmt = conn.prepare(sql)?;
        let n = stmt.column_count();
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let mut line = (*kind).to_string();
            for i in 0..n {
                line.push('|');
                match r.get_ref(i)? {
                    rusqlite::types::ValueRef::Null => line.push('∅'),
                    rusqlite::types::ValueRef::Integer(v) => line.push_str(&v.to_string()),
                    rusqlite::types::ValueRef::Real(v) => line.push_str(&v.to_string()),
                    rusqlite::types::ValueRef::Text(t) => {
                        line.push_str(&format!("{:?}", String::from_utf8_lossy(t)))
                    }
                    rusqlite::types::ValueRef::Blob(b) => line.push_str(&format!("{b:?}")),
                }
            }
            out.push(line);
        }
    }
    out.sort();
    Ok(out)
}

/// The fingerprint of a project file, read without opening it as a project (nothing is
/// written to it).
pub fn file_fingerprint(path: &Path) -> TeamResult<Vec<String>> {
    let conn = super::snapshot::open_read_only(path)?;
    project_fingerprint(&conn)
}
