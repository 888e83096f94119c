//! What the REFI-QDA export asks of the project that no table module answers: the
//! project row itself, and the date of its latest change, which a `project.qde` states.

use rusqlite::Connection;

use super::StoreResult;

/// The project row, as a REFI-QDA `Project` element names and dates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectHeader {
    /// The name the user gave the project.
    pub name: String,
    /// The project's GUID, also the namespace of the GUIDs an export derives.
    pub guid: String,
    /// When the project file was created (ms).
    pub created_at: i64,
}

/// Reads the project row (there is exactly one).
pub fn project_header(conn: &Connection) -> StoreResult<ProjectHeader> {
    Ok(
        conn.query_row("SELECT name, guid, created_at FROM project", [], |r| {
            Ok(ProjectHeader {
                name: r.get(0)?,
                guid: r.get(1)?,
                created_at: r.get(2)?,
            })
        })?,
    )
}

/// The latest `modified_at` (ms) over codes, codings, documents, respondents, memos,
/// attributes and attribute values, tombstones included (a deletion is a change); `None`
/// in a project that has none of these rows.
pub fn latest_change(conn: &Connection) -> StoreResult<Option<i64>> {
    Ok(conn.query_row(
        "SELECT max(m) FROM (SELECT max(modified_at) AS m FROM codes UNION ALL SELECT max(modified_at) FROM codings
         UNION ALL SELECT max(modified_at) FROM documents UNION ALL SELECT max(modified_at) FROM respondents
         UNION ALL SELECT max(modified_at) FROM memos UNION ALL SELECT max(modified_at) FROM attributes
         UNION ALL SELECT max(modified_at) FROM attribute_values)",
        [],
        |r| r.get::<_, Option<i64>>(0),
    )?)
}
