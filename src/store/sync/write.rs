//! The bulk writes of a merge, inside the caller's transaction: rows upserted by GUID (an
//! existing row keeps its row id, and is rewritten only when a column differs), rows
//! deleted by row id, references to deleted rows cleared, attribute values and pseudonyms
//! replaced. Each writer prepares its statement once and runs it row by row.

use rusqlite::{Connection, Statement, params};

use super::{
    AttributeRow, CodeRow, CoderRow, DocumentRow, MemoRow, ProjectRow, RespondentRow, StoredCoding,
    SyncTable,
};
use crate::store::StoreResult;

/// GUID → row id of every row of `table`, tombstones included, in the map the caller
/// chooses.
pub fn guid_ids<M: FromIterator<(String, i64)>>(
    conn: &Connection,
    table: SyncTable,
) -> StoreResult<M> {
    let mut stmt = conn.prepare(&format!("SELECT guid, id FROM {}", table.name()))?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Deletes the rows of `table` with these row ids (the caller clears the references to
/// them first, where the schema has some).
pub fn delete_by_id(conn: &Connection, table: SyncTable, ids: &[i64]) -> StoreResult<()> {
    let mut stmt = conn.prepare(&format!("DELETE FROM {} WHERE id = ?1", table.name()))?;
    for id in ids {
        stmt.execute([id])?;
    }
    Ok(())
}

/// `INSERT … ON CONFLICT(guid) DO UPDATE` that updates only when a column differs, so an
/// unchanged row costs no page write.
fn upsert_sql(table: &str, cols: &[&str]) -> String {
    let rest: Vec<&&str> = cols.iter().filter(|c| **c != "guid").collect();
    let sets = rest
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let changed = rest
        .iter()
        .map(|c| format!("{table}.{c} IS NOT excluded.{c}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    format!(
        "{} ON CONFLICT(guid) DO UPDATE SET {sets} WHERE {changed}",
        insert_sql(table, cols)
    )
}

/// A plain `INSERT` of these columns, as `?1`, `?2`… in order.
fn insert_sql(table: &str, cols: &[&str]) -> String {
    let placeholders = (1..=cols.len())
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "INSERT INTO {table} ({}) VALUES ({placeholders})",
        cols.join(", ")
    )
}

/// Gives the project row a merged result's name, dates and settings (its GUID stays).
pub fn set_project_row(conn: &Connection, p: &ProjectRow) -> StoreResult<()> {
    conn.execute(
        "UPDATE project SET name = ?1, created_at = ?2, modified_at = ?3, settings = ?4",
        params![p.name, p.created_at, p.modified_at, p.settings],
    )?;
    Ok(())
}

/// Upserts coders `(GUID, row)`, in the order given. Coder names are unique: a coder whose
/// name changes is first renamed to a placeholder made of its GUID, so that two coders
/// swapping names never collide half-way.
pub fn write_coders(conn: &Connection, coders: &[(&String, &CoderRow)]) -> StoreResult<()> {
    let mut current = conn.prepare("SELECT name FROM coders WHERE guid = ?1")?;
    let mut park = conn.prepare("UPDATE coders SET name = ?1 WHERE guid = ?2")?;
    for (guid, c) in coders {
        let name: Option<String> = current.query_row([guid], |r| r.get(0)).ok();
        if name.is_some_and(|n| n != c.name) {
            park.execute(params![format!("\u{1}{guid}"), guid])?;
        }
    }
    let mut up = conn.prepare(&upsert_sql("coders", &["guid", "name", "created_at"]))?;
    for (guid, c) in coders {
        up.execute(params![guid, c.name, c.created_at])?;
    }
    Ok(())
}

/// Upserts respondents by GUID.
pub struct RespondentWriter<'c>(Statement<'c>);

impl<'c> RespondentWriter<'c> {
    /// Prepares the statement once, for every row written through this writer.
    pub fn new(conn: &'c Connection) -> StoreResult<Self> {
        Ok(RespondentWriter(conn.prepare(&upsert_sql(
            "respondents",
            &[
                "guid",
                "name",
                "pseudonym",
                "consent",
                "created_by",
                "created_at",
                "modified_at",
                "deleted",
                "source_project",
            ],
        ))?))
    }

    /// Writes `r` under `guid`; `created_by` is its author's row id.
    pub fn write(
        &mut self,
        guid: &str,
        r: &RespondentRow,
        created_by: Option<i64>,
    ) -> StoreResult<()> {
        self.0.execute(params![
            guid,
            r.name,
            r.pseudonym,
            r.consent,
            created_by,
            r.created_at,
            r.modified_at,
            r.deleted,
            r.source_project
        ])?;
        Ok(())
    }
}

/// Removes every attribute value (a merge writes them all again once owners are settled).
pub fn clear_attribute_values(conn: &Connection) -> StoreResult<()> {
    conn.execute("DELETE FROM attribute_values", [])?;
    Ok(())
}

/// Upserts attribute definitions by GUID.
pub struct AttributeWriter<'c>(Statement<'c>);

impl<'c> AttributeWriter<'c> {
    /// Prepares the statement once, for every row written through this writer.
    pub fn new(conn: &'c Connection) -> StoreResult<Self> {
        Ok(AttributeWriter(conn.prepare(&upsert_sql(
            "attributes",
            &[
                "guid",
                "name",
                "value_type",
                "scope",
                "sort_order",
                "created_at",
                "modified_at",
                "deleted",
            ],
        ))?))
    }

    /// Writes `a` under `guid` (left as it is when no column differs).
    pub fn write(&mut self, guid: &str, a: &AttributeRow) -> StoreResult<()> {
        self.0.execute(params![
            guid,
            a.name,
            a.value_type,
            a.scope,
            a.sort_order,
            a.created_at,
            a.modified_at,
            a.deleted
        ])?;
        Ok(())
    }
}

/// Writes documents by GUID: with their text when the project lacks it, or only their
/// other columns when the project holds that text already (the text is then neither read
/// nor rewritten, and the search index is not touched).
pub struct DocumentWriter<'c> {
    upsert: Statement<'c>,
    meta: Statement<'c>,
}

/// A document's references, as row ids of the project written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentLinks {
    /// `respondents.id` of the respondent interviewed.
    pub respondent: Option<i64>,
    /// `coders.id` of the author.
    pub created_by: Option<i64>,
}

impl<'c> DocumentWriter<'c> {
    /// Prepares the statements once, for every row written through this writer.
    pub fn new(conn: &'c Connection) -> StoreResult<Self> {
        let upsert = conn.prepare(&upsert_sql(
            "documents",
            &[
                "guid",
                "name",
                "kind",
                "text",
                "char_len",
                "content_hash",
                "media_path",
                "origin",
                "respondent_id",
                "sort_order",
                "created_by",
                "created_at",
                "modified_at",
                "deleted",
                "source_project",
            ],
        ))?;
        let meta = conn.prepare(
            "UPDATE documents SET name = ?2, kind = ?3, char_len = ?4, content_hash = ?5, media_path = ?6,
                    origin = ?7, respondent_id = ?8, sort_order = ?9, created_by = ?10, created_at = ?11,
                    modified_at = ?12, deleted = ?13, source_project = ?14
             WHERE guid = ?1",
        )?;
        Ok(DocumentWriter { upsert, meta })
    }

    /// Writes `d` under `guid` with `text`, whose hash is `d.content_hash`.
    pub fn write_with_text(
        &mut self,
        guid: &str,
        d: &DocumentRow,
        text: &str,
        links: DocumentLinks,
    ) -> StoreResult<()> {
        self.upsert.execute(params![
            guid,
            d.name,
            d.kind,
            text,
            d.char_len,
            d.content_hash,
            d.media_path,
            d.origin,
            links.respondent,
            d.sort_order,
            links.created_by,
            d.created_at,
            d.modified_at,
            d.deleted,
            d.source_project
        ])?;
        Ok(())
    }

    /// Rewrites every column of the existing document `guid` but its text, which must
    /// already be the one `d.content_hash` names.
    pub fn write_keeping_text(
        &mut self,
        guid: &str,
        d: &DocumentRow,
        links: DocumentLinks,
    ) -> StoreResult<()> {
        self.meta.execute(params![
            guid,
            d.name,
            d.kind,
            d.char_len,
            d.content_hash,
            d.media_path,
            d.origin,
            links.respondent,
            d.sort_order,
            links.created_by,
            d.created_at,
            d.modified_at,
            d.deleted,
            d.source_project
        ])?;
        Ok(())
    }
}

/// Upserts codes by GUID, then sets their parents once every code has a row id.
pub struct CodeWriter<'c> {
    upsert: Statement<'c>,
    parent: Statement<'c>,
}

impl<'c> CodeWriter<'c> {
    /// Prepares the statements once, for every row written through this writer.
    pub fn new(conn: &'c Connection) -> StoreResult<Self> {
        let upsert = conn.prepare(&upsert_sql(
            "codes",
            &[
                "guid",
                "name",
                "kind",
                "color",
                "description",
                "sort_order",
                "created_by",
                "created_at",
                "modified_at",
                "deleted",
                "source_project",
            ],
        ))?;
        let parent = conn
            .prepare("UPDATE codes SET parent_id = ?1 WHERE guid = ?2 AND parent_id IS NOT ?1")?;
        Ok(CodeWriter { upsert, parent })
    }

    /// Writes `c` under `guid`, its parent aside (see [`CodeWriter::set_parent`]);
    /// `created_by` is its author's row id.
    pub fn write(&mut self, guid: &str, c: &CodeRow, created_by: Option<i64>) -> StoreResult<()> {
        self.upsert.execute(params![
            guid,
            c.name,
            c.kind,
            c.color,
            c.description,
            c.sort_order,
            created_by,
            c.created_at,
            c.modified_at,
            c.deleted,
            c.source_project
        ])?;
        Ok(())
    }

    /// Sets the parent (a row id; `None`: top level) of the code `guid`, when it differs.
    pub fn set_parent(&mut self, guid: &str, parent_id: Option<i64>) -> StoreResult<()> {
        self.parent.execute(params![parent_id, guid])?;
        Ok(())
    }
}

/// The columns of a coding, in [`StoredCoding`]'s order.
const CODING_COLUMNS: [&str; 10] = [
    "guid",
    "document_id",
    "code_id",
    "start_char",
    "end_char",
    "created_by",
    "created_at",
    "modified_at",
    "deleted",
    "source_project",
];

/// Writes codings by GUID: a plain insert for a coding the project does not hold (most of
/// them, in a merge that adds a coder's work), an upsert for the others.
pub struct CodingWriter<'c> {
    upsert: Statement<'c>,
    insert: Statement<'c>,
}

impl<'c> CodingWriter<'c> {
    /// Prepares the statements (after any [`drop_indexes`]: they are planned without them).
    pub fn new(conn: &'c Connection) -> StoreResult<Self> {
        Ok(CodingWriter {
            upsert: conn.prepare(&upsert_sql("codings", &CODING_COLUMNS))?,
            insert: conn.prepare(&insert_sql("codings", &CODING_COLUMNS))?,
        })
    }

    /// Writes `g`: `exists` says whether the project holds a coding with its GUID already.
    pub fn write(&mut self, g: &StoredCoding, exists: bool) -> StoreResult<()> {
        let stmt = if exists {
            &mut self.upsert
        } else {
            &mut self.insert
        };
        stmt.execute(params![
            g.guid,
            g.document_id,
            g.code_id,
            g.start_char,
            g.end_char,
            g.created_by,
            g.created_at,
            g.modified_at,
            g.deleted,
            g.source_project
        ])?;
        Ok(())
    }
}

/// The secondary indexes of a table, dropped by [`drop_indexes`] while many rows go in;
/// [`DroppedIndexes::restore`] builds them again.
#[must_use = "the indexes must be restored"]
pub struct DroppedIndexes(Vec<String>);

/// Drops the explicit indexes of `table`: when many rows go in, building each index once at
/// the end is several times faster than growing it row by row.
pub fn drop_indexes(conn: &Connection, table: SyncTable) -> StoreResult<DroppedIndexes> {
    let mut stmt = conn.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL")?;
    let found: Vec<(String, String)> = stmt
        .query_map([table.name()], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (name, _) in &found {
        conn.execute_batch(&format!("DROP INDEX main.\"{name}\""))?;
    }
    Ok(DroppedIndexes(
        found.into_iter().map(|(_, sql)| sql).collect(),
    ))
}

impl DroppedIndexes {
    /// No index dropped: for a write too small to gain from dropping them.
    pub fn none() -> DroppedIndexes {
        DroppedIndexes(Vec::new())
    }

    /// Builds the dropped indexes again.
    pub fn restore(self, conn: &Connection) -> StoreResult<()> {
        if !self.0.is_empty() {
            conn.execute_batch(&self.0.join(";\n"))?;
        }
        Ok(())
    }
}

/// Upserts memos by GUID.
pub struct MemoWriter<'c>(Statement<'c>);

impl<'c> MemoWriter<'c> {
    /// Prepares the statement once, for every row written through this writer.
    pub fn new(conn: &'c Connection) -> StoreResult<Self> {
        Ok(MemoWriter(conn.prepare(&upsert_sql(
            "memos",
            &[
                "guid",
                "target_kind",
                "target_guid",
                "text",
                "created_by",
                "created_at",
                "modified_at",
                "deleted",
                "source_project",
            ],
        ))?))
    }

    /// Writes `m` under `guid`; `created_by` is its author's row id.
    pub fn write(&mut self, guid: &str, m: &MemoRow, created_by: Option<i64>) -> StoreResult<()> {
        self.0.execute(params![
            guid,
            m.target_kind,
            m.target_guid,
            m.text,
            created_by,
            m.created_at,
            m.modified_at,
            m.deleted,
            m.source_project
        ])?;
        Ok(())
    }
}

/// Moves the codes whose parent row is gone to the top level.
pub fn clear_missing_parents(conn: &Connection) -> StoreResult<()> {
    conn.execute_batch("UPDATE codes SET parent_id = NULL WHERE parent_id IS NOT NULL AND parent_id NOT IN (SELECT id FROM codes)")?;
    Ok(())
}

/// Clears the author of respondents, documents, codes and memos whose coder row is gone
/// (read as no author, which is how a snapshot holds them).
pub fn clear_missing_authors(conn: &Connection) -> StoreResult<()> {
    for table in ["respondents", "documents", "codes", "memos"] {
        conn.execute_batch(&format!(
            "UPDATE {table} SET created_by = NULL WHERE created_by IS NOT NULL AND created_by NOT IN (SELECT id FROM coders)"
        ))?;
    }
    Ok(())
}

/// Moves the children of these codes (row ids) to the top level, before the codes go.
pub fn detach_children(conn: &Connection, code_ids: &[i64]) -> StoreResult<()> {
    let mut orphan = conn.prepare("UPDATE codes SET parent_id = NULL WHERE parent_id = ?1")?;
    for id in code_ids {
        orphan.execute([id])?;
    }
    Ok(())
}

/// Unlinks the documents of these respondents (row ids), before the respondents go.
pub fn unlink_documents(conn: &Connection, respondent_ids: &[i64]) -> StoreResult<()> {
    let mut unlink =
        conn.prepare("UPDATE documents SET respondent_id = NULL WHERE respondent_id = ?1")?;
    for id in respondent_ids {
        unlink.execute([id])?;
    }
    Ok(())
}

/// Unlinks the documents whose respondent row is gone.
pub fn clear_missing_respondents(conn: &Connection) -> StoreResult<()> {
    conn.execute_batch("UPDATE documents SET respondent_id = NULL WHERE respondent_id IS NOT NULL AND respondent_id NOT IN (SELECT id FROM respondents)")?;
    Ok(())
}

/// Inserts attribute values (after [`clear_attribute_values`]).
pub struct ValueWriter<'c>(Statement<'c>);

impl<'c> ValueWriter<'c> {
    /// Prepares the statement once, for every row written through this writer.
    pub fn new(conn: &'c Connection) -> StoreResult<Self> {
        Ok(ValueWriter(conn.prepare("INSERT INTO attribute_values (attribute_id, owner_id, value, modified_at) VALUES (?1, ?2, ?3, ?4)")?))
    }

    /// Writes the value of attribute `attribute_id` for the respondent or document
    /// `owner_id` (row ids); `modified_at` in UTC ms.
    pub fn write(
        &mut self,
        attribute_id: i64,
        owner_id: i64,
        value: &str,
        modified_at: i64,
    ) -> StoreResult<()> {
        self.0
            .execute(params![attribute_id, owner_id, value, modified_at])?;
        Ok(())
    }
}

/// Replaces the pseudonym list with `pseudonyms` (original, replacement), in their order.
pub fn replace_pseudonyms<'p>(
    conn: &Connection,
    pseudonyms: impl IntoIterator<Item = (&'p String, &'p String)>,
) -> StoreResult<()> {
    conn.execute("DELETE FROM pseudonyms", [])?;
    let mut insert =
        conn.prepare("INSERT INTO pseudonyms (original, replacement) VALUES (?1, ?2)")?;
    for (original, replacement) in pseudonyms {
        insert.execute(params![original, replacement])?;
    }
    Ok(())
}
