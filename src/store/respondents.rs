//! Respondents (cases): who each interviewee is, their consent and pseudonym.

use crate::model::text::clean_name;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Named, Rule, StoreError, StoreResult, Thing, Tx};
use crate::model::{Consent, Respondent, RespondentId};

/// A respondent to insert.
#[derive(Debug, Clone)]
pub struct NewRespondent {
    /// GUID to keep; new when `None`.
    pub guid: Option<RespondentId>,
    /// Real name, cleaned; refused when empty.
    pub name: String,
    /// Pseudonym shown in pseudonymised exports (empty: « Répondant·e N » is given there).
    pub pseudonym: String,
    /// Consent; `Withdrawn` keeps the respondent's excerpts out of reports.
    pub consent: Consent,
}

const COLUMNS: &str = "guid, name, pseudonym, consent, created_at, modified_at";

fn from_row(r: &Row) -> rusqlite::Result<Respondent> {
    let consent: String = r.get(3)?;
    Ok(Respondent {
        guid: r.get(0)?,
        name: r.get(1)?,
        pseudonym: r.get(2)?,
        consent: Consent::parse(&consent).unwrap_or(Consent::Pending),
        created_at: r.get(4)?,
        modified_at: r.get(5)?,
    })
}

/// Inserts a respondent; returns the GUID.
pub fn insert(tx: &Tx, new: NewRespondent) -> StoreResult<RespondentId> {
    if new.name.trim().is_empty() {
        return Err(Rule::EmptyName(Named::Respondent).into());
    }
    let guid = new.guid.unwrap_or_else(RespondentId::generate);
    tx.conn.execute(
        "INSERT INTO respondents (guid, name, pseudonym, consent, created_by, created_at, modified_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![guid, clean_name(&new.name), clean_name(&new.pseudonym), new.consent.as_str(), tx.coder_id, tx.now_ms],
    )?;
    Ok(guid)
}

/// Inserts a respondent with just a name (a new GUID, consent pending) with one cached
/// statement; returns its row id. For bulk imports, which look names up in memory.
pub fn insert_row(tx: &Tx, name: &str) -> StoreResult<i64> {
    tx.conn
        .prepare_cached(
            "INSERT INTO respondents (guid, name, created_by, created_at, modified_at)
             VALUES (?1, ?2, ?3, ?4, ?4)",
        )?
        .execute(params![
            RespondentId::generate(),
            clean_name(name),
            tx.coder_id,
            tx.now_ms
        ])?;
    Ok(tx.conn.last_insert_rowid())
}

/// Live respondents' row ids by name (when two share a name, the first created).
pub fn ids_by_name(conn: &Connection) -> StoreResult<std::collections::HashMap<String, i64>> {
    let mut stmt =
        conn.prepare("SELECT name, id FROM respondents WHERE deleted = 0 ORDER BY id DESC")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Finds a live respondent by exact name, creating one if none exists. Returns the GUID.
pub fn ensure(tx: &Tx, name: &str) -> StoreResult<RespondentId> {
    match find(tx.conn, name) {
        Ok(r) => Ok(r.guid),
        Err(StoreError::NotFound { .. }) => insert(
            tx,
            NewRespondent {
                guid: None,
                name: name.to_string(),
                pseudonym: String::new(),
                consent: Consent::Pending,
            },
        ),
        Err(e) => Err(e),
    }
}

/// Every live respondent, by name.
pub fn list(conn: &Connection) -> StoreResult<Vec<Respondent>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM respondents WHERE deleted = 0 ORDER BY name"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A respondent by GUID.
pub fn get(conn: &Connection, guid: &RespondentId) -> StoreResult<Respondent> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM respondents WHERE guid = ?1"),
        [guid],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::not_found(Thing::Respondent, guid))
}

/// Finds a live respondent by GUID, name or pseudonym.
pub fn find(conn: &Connection, key: &str) -> StoreResult<Respondent> {
    let key = key.trim();
    conn.query_row(
        &format!(
            "SELECT {COLUMNS} FROM respondents WHERE deleted = 0 AND (guid = lower(?1) OR name = ?1 OR (pseudonym = ?1 AND pseudonym != ''))
             ORDER BY guid = lower(?1) DESC, name = ?1 DESC LIMIT 1"
        ),
        [key],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::not_found(Thing::Respondent, key))
}

/// Row id of a respondent GUID.
pub fn id_of(conn: &Connection, guid: &RespondentId) -> StoreResult<i64> {
    conn.query_row("SELECT id FROM respondents WHERE guid = ?1", [guid], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or_else(|| StoreError::not_found(Thing::Respondent, guid))
}

/// Changes a respondent's name, pseudonym and consent.
pub fn update(
    tx: &Tx,
    guid: &RespondentId,
    name: &str,
    pseudonym: &str,
    consent: Consent,
) -> StoreResult<()> {
    if name.trim().is_empty() {
        return Err(Rule::EmptyName(Named::Respondent).into());
    }
    let n = tx.conn.execute(
        "UPDATE respondents SET name = ?1, pseudonym = ?2, consent = ?3, modified_at = ?4 WHERE guid = ?5",
        params![clean_name(name), clean_name(pseudonym), consent.as_str(), tx.now_ms, guid],
    )?;
    if n == 0 {
        return Err(StoreError::not_found(Thing::Respondent, guid));
    }
    Ok(())
}

/// Deletes a respondent (a tombstone); their documents stay, unlinked.
pub fn delete(tx: &Tx, guid: &RespondentId) -> StoreResult<()> {
    let id = id_of(tx.conn, guid)?;
    tx.conn.execute(
        "UPDATE documents SET respondent_id = NULL, modified_at = ?1 WHERE respondent_id = ?2",
        params![tx.now_ms, id],
    )?;
    tx.conn.execute(
        "UPDATE respondents SET deleted = 1, modified_at = ?1 WHERE id = ?2",
        params![tx.now_ms, id],
    )?;
    Ok(())
}

/// Every respondent ever recorded, deleted ones included, in creation order (row id):
/// pseudonymisation must hide the names of deleted respondents too, and numbers respondents
/// without a pseudonym in this stable order.
pub fn list_including_deleted(conn: &Connection) -> StoreResult<Vec<Respondent>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM respondents ORDER BY id"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}
