//! Typed attributes (variables) of respondents and documents, and their values.

use rusqlite::{Connection, OptionalExtension, Row, params};
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

use super::{Named, Rule, StoreError, StoreResult, Thing, Tx};
use crate::model::{Attribute, AttributeScope, AttributeType, DocumentId, RespondentId};

fn from_row(r: &Row) -> rusqlite::Result<Attribute> {
    let t: String = r.get(2)?;
    let s: String = r.get(3)?;
    Ok(Attribute {
        guid: r.get(0)?,
        name: r.get(1)?,
        value_type: AttributeType::parse(&t).unwrap_or(AttributeType::Text),
        scope: AttributeScope::parse(&s).unwrap_or(AttributeScope::Respondent),
    })
}

/// Defines an attribute, or returns the existing one of that scope and name (an error if
/// its type differs).
pub fn define(
    tx: &Tx,
    name: &str,
    value_type: AttributeType,
    scope: AttributeScope,
    guid: Option<&str>,
) -> StoreResult<Attribute> {
    let name = crate::model::text::clean_name(name);
    let name = name.as_ref();
    if name.is_empty() {
        return Err(Rule::EmptyName(Named::Attribute).into());
    }
    if let Some(existing) = find(tx.conn, scope, name)? {
        if existing.value_type != value_type {
            return Err(Rule::AttributeTypeClash {
                name: name.to_string(),
                existing: existing.value_type,
            }
            .into());
        }
        return Ok(existing);
    }
    let guid = guid
        .map(str::to_string)
        .unwrap_or_else(crate::model::new_guid);
    let order: i64 = tx.conn.query_row(
        "SELECT coalesce(max(sort_order), 0) + 1 FROM attributes",
        [],
        |r| r.get(0),
    )?;
    tx.conn.execute(
        "INSERT INTO attributes (guid, name, value_type, scope, sort_order, created_at, modified_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![guid, name, value_type.as_str(), scope.as_str(), order, tx.now_ms],
    )?;
    Ok(Attribute {
        guid,
        name: name.to_string(),
        value_type,
        scope,
    })
}

/// Row id of an attribute GUID (bulk writers address values by row id).
pub fn id_of(conn: &Connection, guid: &str) -> StoreResult<i64> {
    conn.query_row("SELECT id FROM attributes WHERE guid = ?1", [guid], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or_else(|| StoreError::not_found(Thing::Attribute, guid))
}

/// Whether any attribute row has this GUID, a tombstone included: a new attribute cannot
/// take it, since GUIDs are never reused.
pub fn guid_taken(conn: &Connection, guid: &str) -> StoreResult<bool> {
    let count: i64 = conn
        .prepare_cached("SELECT count(*) FROM attributes WHERE guid = ?1")?
        .query_row([guid], |r| r.get(0))?;
    Ok(count > 0)
}

/// Live attributes, optionally of one scope, in definition order.
pub fn list(conn: &Connection, scope: Option<AttributeScope>) -> StoreResult<Vec<Attribute>> {
    let mut stmt = conn.prepare_cached(
        "SELECT guid, name, value_type, scope FROM attributes
         WHERE deleted = 0 AND (?1 IS NULL OR scope = ?1) ORDER BY sort_order",
    )?;
    let rows = stmt.query_map([scope.map(|s| s.as_str())], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A live attribute by scope and name (case-insensitive).
pub fn find(
    conn: &Connection,
    scope: AttributeScope,
    name: &str,
) -> StoreResult<Option<Attribute>> {
    Ok(conn
        .query_row(
            "SELECT guid, name, value_type, scope FROM attributes
             WHERE deleted = 0 AND scope = ?1 AND lower(name) = lower(?2)",
            params![scope.as_str(), name.trim()],
            from_row,
        )
        .optional()?)
}

fn owner_id(conn: &Connection, scope: AttributeScope, owner_guid: &str) -> StoreResult<i64> {
    match scope {
        AttributeScope::Respondent => {
            super::respondents::id_of(conn, &RespondentId::new(owner_guid))
        }
        AttributeScope::Document => super::documents::id_of(conn, &DocumentId::new(owner_guid)),
    }
}

/// Sets (or with `None` clears) the value of an attribute for one respondent or document;
/// the value is checked against the attribute's type and stored canonically. The owner is
/// a [`crate::model::RespondentId`] or a [`crate::model::DocumentId`] (or its text), as the
/// attribute's scope says.
pub fn set_value(
    tx: &Tx,
    attribute_guid: &str,
    owner_guid: impl AsRef<str>,
    value: Option<&str>,
) -> StoreResult<()> {
    let owner_guid = owner_guid.as_ref();
    let (attr_id, attr) = tx
        .conn
        .query_row(
            "SELECT id, guid, name, value_type, scope FROM attributes WHERE guid = ?1",
            [attribute_guid],
            |r| {
                let t: String = r.get(3)?;
                let s: String = r.get(4)?;
                Ok((
                    r.get::<_, i64>(0)?,
                    Attribute {
                        guid: r.get(1)?,
                        name: r.get(2)?,
                        value_type: AttributeType::parse(&t).unwrap_or(AttributeType::Text),
                        scope: AttributeScope::parse(&s).unwrap_or(AttributeScope::Respondent),
                    },
                ))
            },
        )
        .optional()?
        .ok_or_else(|| StoreError::not_found(Thing::Attribute, attribute_guid))?;
    let owner = owner_id(tx.conn, attr.scope, owner_guid)?;
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => {
            tx.conn.execute(
                "DELETE FROM attribute_values WHERE attribute_id = ?1 AND owner_id = ?2",
                params![attr_id, owner],
            )?;
        }
        Some(raw) => {
            let value = attr
                .value_type
                .canonical_value(raw)
                .map_err(|problem| Rule::BadValue {
                    attribute: attr.name.clone(),
                    problem,
                })?;
            tx.conn.execute(
                "INSERT INTO attribute_values (attribute_id, owner_id, value, modified_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (attribute_id, owner_id) DO UPDATE SET value = excluded.value, modified_at = excluded.modified_at
                 WHERE value IS NOT excluded.value",
                params![attr_id, owner, value, tx.now_ms],
            )?;
        }
    }
    Ok(())
}

/// Every value of a scope: owner GUID → attribute name → value.
pub fn values(
    conn: &Connection,
    scope: AttributeScope,
) -> StoreResult<BTreeMap<String, BTreeMap<String, String>>> {
    let owner_table = match scope {
        AttributeScope::Respondent => "respondents",
        AttributeScope::Document => "documents",
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT v.owner_id, o.guid, a.name, v.value FROM attribute_values v
         JOIN attributes a ON a.id = v.attribute_id AND a.deleted = 0 AND a.scope = ?1
         JOIN {owner_table} o ON o.id = v.owner_id"
    ))?;
    // The rows come attribute by attribute: gathered by owner row id (an integer), each
    // owner's GUID read once, instead of a GUID string made and looked up for every value.
    let mut by_owner: HashMap<i64, (String, BTreeMap<String, String>)> = HashMap::new();
    let mut rows = stmt.query([scope.as_str()])?;
    while let Some(r) = rows.next()? {
        let owner = match by_owner.entry(r.get(0)?) {
            Entry::Occupied(found) => found.into_mut(),
            Entry::Vacant(new) => new.insert((r.get(1)?, BTreeMap::new())),
        };
        owner.1.insert(r.get(2)?, r.get(3)?);
    }
    Ok(by_owner.into_values().collect())
}

/// The values of one respondent or document (its identity or the identity's text): attribute
/// name → value.
pub fn values_of(
    conn: &Connection,
    scope: AttributeScope,
    owner_guid: impl AsRef<str>,
) -> StoreResult<BTreeMap<String, String>> {
    Ok(values(conn, scope)?
        .remove(owner_guid.as_ref())
        .unwrap_or_default())
}

/// Deletes an attribute (a tombstone) and its values.
pub fn delete(tx: &Tx, attribute_guid: &str) -> StoreResult<()> {
    let id: i64 = tx
        .conn
        .query_row(
            "SELECT id FROM attributes WHERE guid = ?1",
            [attribute_guid],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| StoreError::not_found(Thing::Attribute, attribute_guid))?;
    tx.conn
        .execute("DELETE FROM attribute_values WHERE attribute_id = ?1", [id])?;
    tx.conn.execute(
        "UPDATE attributes SET deleted = 1, modified_at = ?1 WHERE id = ?2",
        params![tx.now_ms, id],
    )?;
    Ok(())
}
