//! Coders: the people who code.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Named, Rule, StoreError, StoreResult, Thing};
use crate::model::{Coder, CoderId};

/// Finds a coder by name, creating it if new. Returns its row id and itself.
pub fn ensure(conn: &Connection, name: &str) -> StoreResult<(i64, Coder)> {
    let name = crate::model::text::clean_name(name);
    let name = name.as_ref();
    if name.is_empty() {
        return Err(Rule::EmptyName(Named::Coder).into());
    }
    if let Some(found) = conn
        .query_row(
            "SELECT id, guid, name FROM coders WHERE name = ?1",
            [name],
            |r| {
                Ok((
                    r.get(0)?,
                    Coder {
                        guid: r.get(1)?,
                        name: r.get(2)?,
                    },
                ))
            },
        )
        .optional()?
    {
        return Ok(found);
    }
    let guid = CoderId::generate();
    conn.execute(
        "INSERT INTO coders (guid, name, created_at) VALUES (?1, ?2, ?3)",
        params![guid, name, crate::model::now_ms()],
    )?;
    Ok((
        conn.last_insert_rowid(),
        Coder {
            guid,
            name: name.to_string(),
        },
    ))
}

/// Inserts a coder with a known GUID (imports, merges), or returns the existing row id of
/// that GUID. A different coder already using the name gets the name suffixed.
pub fn ensure_with_guid(conn: &Connection, guid: &CoderId, name: &str) -> StoreResult<i64> {
    if let Some(id) = id_of(conn, guid)? {
        return Ok(id);
    }
    let mut candidate = crate::model::text::clean_name(name).into_owned();
    if candidate.is_empty() {
        candidate = "?".into();
    }
    let mut n = 2;
    while conn
        .query_row("SELECT 1 FROM coders WHERE name = ?1", [&candidate], |_| {
            Ok(())
        })
        .optional()?
        .is_some()
    {
        candidate = format!("{} ({n})", crate::model::text::clean_name(name));
        n += 1;
    }
    conn.execute(
        "INSERT INTO coders (guid, name, created_at) VALUES (?1, ?2, ?3)",
        params![guid, candidate, crate::model::now_ms()],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Row id of a coder GUID.
pub fn id_of(conn: &Connection, guid: &CoderId) -> StoreResult<Option<i64>> {
    Ok(conn
        .query_row("SELECT id FROM coders WHERE guid = ?1", [guid], |r| {
            r.get(0)
        })
        .optional()?)
}

/// A coder by row id.
pub fn by_id(conn: &Connection, id: i64) -> StoreResult<Coder> {
    conn.query_row("SELECT guid, name FROM coders WHERE id = ?1", [id], |r| {
        Ok(Coder {
            guid: r.get(0)?,
            name: r.get(1)?,
        })
    })
    .optional()?
    .ok_or_else(|| StoreError::not_found(Thing::Coder, format!("#{id}")))
}

/// A coder by GUID.
pub fn get(conn: &Connection, guid: &CoderId) -> StoreResult<Coder> {
    conn.query_row(
        "SELECT guid, name FROM coders WHERE guid = ?1",
        [guid],
        |r| {
            Ok(Coder {
                guid: r.get(0)?,
                name: r.get(1)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| StoreError::not_found(Thing::Coder, guid))
}

/// A coder by name or GUID, as a user typed it.
pub fn find(conn: &Connection, name_or_guid: &str) -> StoreResult<Coder> {
    conn.query_row(
        "SELECT guid, name FROM coders WHERE guid = ?1 OR name = ?1 ORDER BY guid = ?1 DESC LIMIT 1",
        [name_or_guid.trim()],
        |r| Ok(Coder { guid: r.get(0)?, name: r.get(1)? }),
    )
    .optional()?
    .ok_or_else(|| StoreError::not_found(Thing::Coder, name_or_guid))
}

/// Every coder, by name.
pub fn list(conn: &Connection) -> StoreResult<Vec<Coder>> {
    let mut stmt = conn.prepare("SELECT guid, name FROM coders ORDER BY name")?;
    let rows = stmt.query_map([], |r| {
        Ok(Coder {
            guid: r.get(0)?,
            name: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
