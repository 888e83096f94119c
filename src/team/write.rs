//! Writes a merged snapshot into a project, inside the caller's transaction, as the
//! difference from what the project holds (its own snapshot, `base`): rows equal to the
//! base are not touched, the others are upserted by GUID (row ids of existing rows are
//! kept), rows absent from the snapshot are removed, attribute values and pseudonyms are
//! rewritten. Texts are written only for documents whose text the project does not hold.

use rusqlite::{Connection, params};
use std::collections::{HashMap, HashSet};

use super::fasthash::{FastHash, FastMap};
use super::snapshot::{CodingRow, Snapshot};
use super::texts::TextReader;
use crate::store::{StoreError, StoreResult, history};

fn ids(conn: &Connection, table: &str) -> StoreResult<FastMap<String, i64>> {
    let mut stmt = conn.prepare(&format!("SELECT guid, id FROM {table}"))?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// `INSERT … ON CONFLICT(guid) DO UPDATE` that updates only when a column differs.
fn upsert_sql(table: &str, cols: &[&str]) -> String {
    let placeholders = (1..=cols.len())
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ");
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
        "INSERT INTO {table} ({}) VALUES ({placeholders}) ON CONFLICT(guid) DO UPDATE SET {sets} WHERE {changed}",
        cols.join(", ")
    )
}

/// Drops the explicit indexes of a table; returns their `CREATE INDEX` statements.
fn drop_indexes(conn: &Connection, table: &str) -> StoreResult<Vec<String>> {
    let mut stmt = conn.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL")?;
    let found: Vec<(String, String)> = stmt
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (name, _) in &found {
        conn.execute_batch(&format!("DROP INDEX main.\"{name}\""))?;
    }
    Ok(found.into_iter().map(|(_, sql)| sql).collect())
}

fn id_in(map: &FastMap<String, i64>, guid: Option<&str>, what: &str) -> StoreResult<Option<i64>> {
    match guid {
        None => Ok(None),
        Some(g) => map
            .get(g)
            .copied()
            .map(Some)
            .ok_or_else(|| StoreError::NotFound(format!("{what} {g}"))),
    }
}

fn sorted<K: Ord, V>(map: &HashMap<K, V>) -> Vec<(&K, &V)> {
    let mut v: Vec<_> = map.iter().collect();
    v.sort_by(|a, b| a.0.cmp(b.0));
    v
}

/// The rows of `map` that differ from (or are missing in) `base`, in key order.
fn changed<'a, K: Ord + std::hash::Hash + Eq, V: PartialEq>(
    map: &'a HashMap<K, V>,
    base: &HashMap<K, V>,
) -> Vec<(&'a K, &'a V)> {
    let mut v: Vec<_> = map
        .iter()
        .filter(|(k, row)| base.get(*k) != Some(*row))
        .collect();
    v.sort_by(|a, b| a.0.cmp(b.0));
    v
}

fn delete_absent(
    conn: &Connection,
    table: &str,
    before: &FastMap<String, i64>,
    keep: &dyn Fn(&str) -> bool,
) -> StoreResult<Vec<i64>> {
    let mut gone: Vec<i64> = before
        .iter()
        .filter(|(g, _)| !keep(g))
        .map(|(_, id)| *id)
        .collect();
    gone.sort();
    let mut stmt = conn.prepare(&format!("DELETE FROM {table} WHERE id = ?1"))?;
    for id in &gone {
        stmt.execute([id])?;
    }
    Ok(gone)
}

/// Whether two versions of a coding are stored alike (the text they were read against
/// aside: it is not stored).
fn same_coding(a: &CodingRow, b: &CodingRow) -> bool {
    (
        &a.document,
        &a.code,
        a.start_char,
        a.end_char,
        &a.created_by,
        a.created_at,
        a.modified_at,
        a.deleted,
        &a.source_project,
    ) == (
        &b.document,
        &b.code,
        b.start_char,
        b.end_char,
        &b.created_by,
        b.created_at,
        b.modified_at,
        b.deleted,
        &b.source_project,
    )
}

/// Writes `s` into the project open on `conn` (inside a transaction). `base` is what the
/// project holds now, read from it (every row as stored, provenance included): only the
/// differences are written. `set_project`: the project row takes the merged name, dates
/// and settings (a project made for this merge).
pub(super) fn write_snapshot(
    conn: &Connection,
    s: &Snapshot,
    base: &Snapshot,
    set_project: bool,
) -> StoreResult<()> {
    // No undo step is recorded: the capture triggers only cost time here.
    history::remove_triggers(conn)?;
    if set_project && let Some(p) = &s.project {
        conn.execute(
            "UPDATE project SET name = ?1, created_at = ?2, modified_at = ?3, settings = ?4",
            params![p.name, p.created_at, p.modified_at, p.settings],
        )?;
    }
    // Coders: drop the ones absent (only the placeholder of a fresh project), move names
    // out of the way, then upsert.
    let before = ids(conn, "coders")?;
    delete_absent(conn, "coders", &before, &|g| s.coders.contains_key(g))?;
    {
        let mut current = conn.prepare("SELECT name FROM coders WHERE guid = ?1")?;
        let mut park = conn.prepare("UPDATE coders SET name = ?1 WHERE guid = ?2")?;
        for (guid, c) in sorted(&s.coders) {
            let name: Option<String> = current.query_row([guid], |r| r.get(0)).ok();
            if name.is_some_and(|n| n != c.name) {
                park.execute(params![format!("\u{1}{guid}"), guid])?;
            }
        }
        let mut up = conn.prepare(&upsert_sql("coders", &["guid", "name", "created_at"]))?;
        for (guid, c) in sorted(&s.coders) {
            up.execute(params![guid, c.name, c.created_at])?;
        }
    }
    let coders = ids(conn, "coders")?;

    let respondents_before = ids(conn, "respondents")?;
    {
        let mut up = conn.prepare(&upsert_sql(
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
        ))?;
        for (guid, r) in changed(&s.respondents, &base.respondents) {
            up.execute(params![
                guid,
                r.name,
                r.pseudonym,
                r.consent,
                id_in(&coders, r.created_by.as_deref(), "coder")?,
                r.created_at,
                r.modified_at,
                r.deleted,
                r.source_project
            ])?;
        }
    }
    let respondents = ids(conn, "respondents")?;

    conn.execute("DELETE FROM attribute_values", [])?;
    let attributes_before = ids(conn, "attributes")?;
    delete_absent(conn, "attributes", &attributes_before, &|g| {
        s.attributes.contains_key(g)
    })?;
    {
        let mut up = conn.prepare(&upsert_sql(
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
        ))?;
        for (guid, a) in changed(&s.attributes, &base.attributes) {
            up.execute(params![
                guid,
                a.name,
                a.value_type,
                a.scope,
                a.sort_order,
                a.created_at,
                a.modified_at,
                a.deleted
            ])?;
        }
    }
    let attributes = ids(conn, "attributes")?;

    let documents_before = ids(conn, "documents")?;
    {
        let mut up = conn.prepare(&upsert_sql(
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
        // A document whose text the project holds already keeps it (the text is neither read
        // nor rewritten, and the search index is not touched).
        let mut meta = conn.prepare(
            "UPDATE documents SET name = ?2, kind = ?3, char_len = ?4, content_hash = ?5, media_path = ?6,
                    origin = ?7, respondent_id = ?8, sort_order = ?9, created_by = ?10, created_at = ?11,
                    modified_at = ?12, deleted = ?13, source_project = ?14
             WHERE guid = ?1",
        )?;
        let mut texts = TextReader::new(&s.text_sources);
        for (guid, d) in changed(&s.documents, &base.documents) {
            let respondent = id_in(&respondents, d.respondent.as_deref(), "respondent")?;
            let created_by = id_in(&coders, d.created_by.as_deref(), "coder")?;
            if base
                .documents
                .get(guid)
                .is_some_and(|b| b.content_hash == d.content_hash)
            {
                meta.execute(params![
                    guid,
                    d.name,
                    d.kind,
                    d.char_len,
                    d.content_hash,
                    d.media_path,
                    d.origin,
                    respondent,
                    d.sort_order,
                    created_by,
                    d.created_at,
                    d.modified_at,
                    d.deleted,
                    d.source_project
                ])?;
                continue;
            }
            let text = texts.require(&d.content_hash)?;
            texts.clear_cache();
            up.execute(params![
                guid,
                d.name,
                d.kind,
                &*text,
                d.char_len,
                d.content_hash,
                d.media_path,
                d.origin,
                respondent,
                d.sort_order,
                created_by,
                d.created_at,
                d.modified_at,
                d.deleted,
                d.source_project
            ])?;
        }
    }
    let documents = ids(conn, "documents")?;

    let codes_before = ids(conn, "codes")?;
    {
        let mut up = conn.prepare(&upsert_sql(
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
        for (guid, c) in changed(&s.codes, &base.codes) {
            up.execute(params![
                guid,
                c.name,
                c.kind,
                c.color,
                c.description,
                c.sort_order,
                id_in(&coders, c.created_by.as_deref(), "coder")?,
                c.created_at,
                c.modified_at,
                c.deleted,
                c.source_project
            ])?;
        }
    }
    let codes = ids(conn, "codes")?;
    {
        let mut parent = conn
            .prepare("UPDATE codes SET parent_id = ?1 WHERE guid = ?2 AND parent_id IS NOT ?1")?;
        for (guid, c) in sorted(&s.codes) {
            parent.execute(params![id_in(&codes, c.parent.as_deref(), "code")?, guid])?;
        }
    }

    let codings_before = ids(conn, "codings")?;
    // In GUID order, so the unique GUID index grows at its end.
    let mut list: Vec<_> = s
        .codings
        .values()
        .filter(|c| base.codings.get(&c.guid).is_none_or(|b| !same_coding(b, c)))
        .collect();
    list.sort_unstable_by(|a, b| a.guid.cmp(&b.guid));
    // Many rows: the secondary indexes are rebuilt once at the end rather than grown row by
    // row (several times faster).
    let indexes = if list.len() > 20_000 {
        drop_indexes(conn, "codings")?
    } else {
        Vec::new()
    };
    {
        let cols = [
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
        let mut up = conn.prepare(&upsert_sql("codings", &cols))?;
        // A coding the project does not hold is simply inserted.
        let mut insert = conn.prepare(&format!(
            "INSERT INTO codings ({}) VALUES ({})",
            cols.join(", "),
            (1..=cols.len())
                .map(|i| format!("?{i}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))?;
        for g in list {
            let stmt = if codings_before.contains_key(&*g.guid) {
                &mut up
            } else {
                &mut insert
            };
            stmt.execute(params![
                &*g.guid,
                id_in(&documents, Some(&g.document), "document")?,
                id_in(&codes, Some(&g.code), "code")?,
                g.start_char,
                g.end_char,
                id_in(&coders, Some(&g.created_by), "coder")?,
                g.created_at,
                g.modified_at,
                g.deleted,
                &*g.source_project
            ])?;
        }
    }
    if !indexes.is_empty() {
        conn.execute_batch(&indexes.join(";\n"))?;
    }

    let memos_before = ids(conn, "memos")?;
    {
        let mut up = conn.prepare(&upsert_sql(
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
        ))?;
        for (guid, m) in changed(&s.memos, &base.memos) {
            up.execute(params![
                guid,
                m.target_kind,
                m.target_guid,
                m.text,
                id_in(&coders, m.created_by.as_deref(), "coder")?,
                m.created_at,
                m.modified_at,
                m.deleted,
                m.source_project
            ])?;
        }
    }

    // Rows absent from the merge: folded documents, dropped codings.
    if !codings_before.is_empty() {
        let coding_guids: HashSet<&str, FastHash> = s.codings.keys().map(|g| &**g).collect();
        delete_absent(conn, "codings", &codings_before, &|g| {
            coding_guids.contains(g)
        })?;
    }
    delete_absent(conn, "memos", &memos_before, &|g| s.memos.contains_key(g))?;
    conn.execute_batch("UPDATE codes SET parent_id = NULL WHERE parent_id IS NOT NULL AND parent_id NOT IN (SELECT id FROM codes)")?;
    // Rows left untouched keep their references: those to rows the project lacked (read as
    // none) are written as none, as they are in the snapshot.
    for table in ["respondents", "documents", "codes", "memos"] {
        conn.execute_batch(&format!(
            "UPDATE {table} SET created_by = NULL WHERE created_by IS NOT NULL AND created_by NOT IN (SELECT id FROM coders)"
        ))?;
    }
    {
        let gone: Vec<i64> = codes_before
            .iter()
            .filter(|(g, _)| !s.codes.contains_key(*g))
            .map(|(_, id)| *id)
            .collect();
        let mut orphan = conn.prepare("UPDATE codes SET parent_id = NULL WHERE parent_id = ?1")?;
        for id in &gone {
            orphan.execute([id])?;
        }
        delete_absent(conn, "codes", &codes_before, &|g| s.codes.contains_key(g))?;
    }
    delete_absent(conn, "documents", &documents_before, &|g| {
        s.documents.contains_key(g)
    })?;
    {
        let gone: Vec<i64> = respondents_before
            .iter()
            .filter(|(g, _)| !s.respondents.contains_key(*g))
            .map(|(_, id)| *id)
            .collect();
        let mut unlink =
            conn.prepare("UPDATE documents SET respondent_id = NULL WHERE respondent_id = ?1")?;
        for id in &gone {
            unlink.execute([id])?;
        }
        delete_absent(conn, "respondents", &respondents_before, &|g| {
            s.respondents.contains_key(g)
        })?;
    }
    conn.execute_batch("UPDATE documents SET respondent_id = NULL WHERE respondent_id IS NOT NULL AND respondent_id NOT IN (SELECT id FROM respondents)")?;

    {
        let mut insert = conn.prepare("INSERT INTO attribute_values (attribute_id, owner_id, value, modified_at) VALUES (?1, ?2, ?3, ?4)")?;
        let mut list: Vec<_> = s.values.values().collect();
        list.sort_by(|a, b| (&a.attribute, &a.owner).cmp(&(&b.attribute, &b.owner)));
        for v in list {
            let Some(attribute) = s.attributes.get(&v.attribute) else {
                continue;
            };
            let Some(&attribute_id) = attributes.get(&v.attribute) else {
                continue;
            };
            let owners = if attribute.scope == "document" {
                &documents
            } else {
                &respondents
            };
            let Some(&owner_id) = owners.get(&v.owner) else {
                continue;
            };
            insert.execute(params![attribute_id, owner_id, v.value, v.modified_at])?;
        }
    }
    conn.execute("DELETE FROM pseudonyms", [])?;
    {
        let mut insert =
            conn.prepare("INSERT INTO pseudonyms (original, replacement) VALUES (?1, ?2)")?;
        for (original, replacement) in &s.pseudonyms {
            insert.execute(params![original, replacement])?;
        }
    }
    history::install_triggers(conn)?;
    Ok(())
}
