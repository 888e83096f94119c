//! Writes a merged snapshot into a project, inside the caller's transaction: rows are
//! upserted by GUID (row ids of existing rows are kept, unchanged rows are not touched),
//! rows absent from the snapshot are removed, attribute values and pseudonyms are
//! rewritten.

use rusqlite::{Connection, params};
use std::collections::{HashMap, HashSet};

use super::snapshot::Snapshot;
use crate::store::{StoreError, StoreResult, history};

fn ids(conn: &Connection, table: &str) -> StoreResult<HashMap<String, i64>> {
    let mut stmt = conn.prepare(&format!("SELECT guid, id FROM {table}"))?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// `INSERT … ON CONFLICT(guid) DO UPDATE` that updates only when a column differs; a plain
/// `INSERT` into a fresh project (nothing to conflict with, and faster).
fn upsert_sql(table: &str, cols: &[&str], fresh: bool) -> String {
    let placeholders = (1..=cols.len())
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    if fresh {
        return format!(
            "INSERT INTO {table} ({}) VALUES ({placeholders})",
            cols.join(", ")
        );
    }
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

fn id_in(map: &HashMap<String, i64>, guid: Option<&str>, what: &str) -> StoreResult<Option<i64>> {
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

fn delete_absent(
    conn: &Connection,
    table: &str,
    before: &HashMap<String, i64>,
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

/// Writes `s` into the project open on `conn` (inside a transaction). `fresh`: the project
/// was just created for this merge (its project row takes the merged name and settings).
pub(super) fn write_snapshot(conn: &Connection, s: &Snapshot, fresh: bool) -> StoreResult<()> {
    // No undo step is recorded: the capture triggers only cost time here.
    history::remove_triggers(conn)?;
    if fresh && let Some(p) = &s.project {
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
        let mut up = conn.prepare(&upsert_sql(
            "coders",
            &["guid", "name", "created_at"],
            fresh,
        ))?;
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
            fresh,
        ))?;
        for (guid, r) in sorted(&s.respondents) {
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
            fresh,
        ))?;
        for (guid, a) in sorted(&s.attributes) {
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
            fresh,
        ))?;
        for (guid, d) in sorted(&s.documents) {
            up.execute(params![
                guid,
                d.name,
                d.kind,
                &*d.text,
                d.char_len,
                d.content_hash,
                d.media_path,
                d.origin,
                id_in(&respondents, d.respondent.as_deref(), "respondent")?,
                d.sort_order,
                id_in(&coders, d.created_by.as_deref(), "coder")?,
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
            fresh,
        ))?;
        for (guid, c) in sorted(&s.codes) {
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
    // Many rows: the secondary indexes are rebuilt once at the end rather than grown row by
    // row (several times faster).
    let indexes = drop_indexes(conn, "codings")?;
    {
        let mut up = conn.prepare(&upsert_sql(
            "codings",
            &[
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
            ],
            fresh,
        ))?;
        // In GUID order, so the unique GUID index grows at its end.
        let mut list: Vec<_> = s.codings.values().collect();
        list.sort_unstable_by(|a, b| a.guid.cmp(&b.guid));
        for g in list {
            up.execute(params![
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
    conn.execute_batch(&indexes.join(";\n"))?;

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
            fresh,
        ))?;
        for (guid, m) in sorted(&s.memos) {
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
        let coding_guids: HashSet<&str> = s.codings.keys().map(|g| &**g).collect();
        delete_absent(conn, "codings", &codings_before, &|g| {
            coding_guids.contains(g)
        })?;
    }
    delete_absent(conn, "memos", &memos_before, &|g| s.memos.contains_key(g))?;
    conn.execute_batch("UPDATE codes SET parent_id = NULL WHERE parent_id IS NOT NULL AND parent_id NOT IN (SELECT id FROM codes)")?;
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
