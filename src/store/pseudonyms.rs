//! The project's pseudonym list: identifying strings (people mentioned, organisations,
//! places…) and what exports write instead when asked to pseudonymise
//! (see `export::pseudonymise`). Respondents' own names need no entry: their pseudonym is
//! on the respondent.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{Rule, StoreError, StoreResult, Thing, Tx};

/// One entry of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pseudonym {
    /// The identifying string, as it appears in texts (matched case-sensitively, whole words).
    pub original: String,
    /// What exports write instead.
    pub replacement: String,
}

/// Every entry, by original.
pub fn list(conn: &Connection) -> StoreResult<Vec<Pseudonym>> {
    let mut stmt =
        conn.prepare_cached("SELECT original, replacement FROM pseudonyms ORDER BY original")?;
    let rows = stmt.query_map([], |r| {
        Ok(Pseudonym {
            original: r.get(0)?,
            replacement: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Adds an entry, or changes the replacement of an existing one. Returns `true` when the
/// original was new. Both sides are trimmed; the original must not be blank.
pub fn add(tx: &Tx, original: &str, replacement: &str) -> StoreResult<bool> {
    let original = original.trim();
    let replacement = replacement.trim();
    if original.is_empty() {
        return Err(Rule::PseudonymEmpty.into());
    }
    if original == replacement {
        let original = original.to_string();
        return Err(Rule::PseudonymItself { original }.into());
    }
    let existed = tx
        .conn
        .query_row(
            "SELECT 1 FROM pseudonyms WHERE original = ?1",
            [original],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    tx.conn.execute(
        "INSERT INTO pseudonyms (original, replacement) VALUES (?1, ?2)
         ON CONFLICT (original) DO UPDATE SET replacement = excluded.replacement
         WHERE replacement IS NOT excluded.replacement",
        params![original, replacement],
    )?;
    Ok(!existed)
}

/// Removes the entry of an original.
pub fn remove(tx: &Tx, original: &str) -> StoreResult<()> {
    let n = tx.conn.execute(
        "DELETE FROM pseudonyms WHERE original = ?1",
        [original.trim()],
    )?;
    if n == 0 {
        return Err(StoreError::not_found(
            Thing::PseudonymEntry,
            original.trim(),
        ));
    }
    Ok(())
}
