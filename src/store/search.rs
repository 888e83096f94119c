//! Full-text search: an FTS5 index over document text (`unicode61 remove_diacritics 2`,
//! with œ→oe and æ→ae folded on both sides), kept in sync by triggers, and passages in
//! context located in the original text.

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use super::StoreResult;
use crate::model::text::fold_for_search;

/// Registers the SQL function `fouille_fold(text)` and the FTS sync triggers on a
/// connection.
pub fn register_functions(conn: &Connection) -> StoreResult<()> {
    conn.create_scalar_function(
        "fouille_fold",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            // The text as SQLite holds it, checked as UTF-8 without a first copy.
            Ok(match ctx.get_raw(0) {
                rusqlite::types::ValueRef::Text(bytes) => Some(fold_for_search(
                    crate::model::text::utf8(bytes)
                        .map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))?,
                )),
                rusqlite::types::ValueRef::Null => None,
                _ => Some(fold_for_search(&ctx.get::<String>(0)?)),
            })
        },
    )?;
    Ok(())
}

/// Installs the temporary triggers that keep `doc_fts` in step with `documents`.
pub fn install_sync_triggers(conn: &Connection) -> StoreResult<()> {
    conn.execute_batch(
        "CREATE TEMP TRIGGER IF NOT EXISTS fts_documents_insert AFTER INSERT ON main.documents BEGIN
           INSERT INTO main.doc_fts (rowid, text) VALUES (new.id, fouille_fold(new.text));
         END;
         CREATE TEMP TRIGGER IF NOT EXISTS fts_documents_update AFTER UPDATE OF text ON main.documents BEGIN
           DELETE FROM main.doc_fts WHERE rowid = old.id;
           INSERT INTO main.doc_fts (rowid, text) VALUES (new.id, fouille_fold(new.text));
         END;
         CREATE TEMP TRIGGER IF NOT EXISTS fts_documents_delete AFTER DELETE ON main.documents BEGIN
           DELETE FROM main.doc_fts WHERE rowid = old.id;
         END;",
    )?;
    Ok(())
}

/// Puts the index in batch mode for a bulk action: documents inserted from now on are
/// indexed all at once by [`end_batch`], instead of one by one by trigger. (FTS5 writes
/// its buffer out at every statement that fires a trigger into it: one small segment per
/// document, merged again and again, was a fifth of a survey import.) Documents that
/// existed before keep being indexed as they change. Returns the last row id before.
pub fn begin_batch(conn: &Connection) -> StoreResult<i64> {
    let last: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM main.documents", [], |r| {
        r.get(0)
    })?;
    conn.execute_batch(&format!(
        "DROP TRIGGER IF EXISTS temp.fts_documents_insert;
         DROP TRIGGER IF EXISTS temp.fts_documents_update;
         DROP TRIGGER IF EXISTS temp.fts_documents_delete;
         CREATE TEMP TRIGGER fts_documents_update AFTER UPDATE OF text ON main.documents WHEN old.id <= {last} BEGIN
           DELETE FROM main.doc_fts WHERE rowid = old.id;
           INSERT INTO main.doc_fts (rowid, text) VALUES (new.id, fouille_fold(new.text));
         END;
         CREATE TEMP TRIGGER fts_documents_delete AFTER DELETE ON main.documents WHEN old.id <= {last} BEGIN
           DELETE FROM main.doc_fts WHERE rowid = old.id;
         END;"
    ))?;
    Ok(last)
}

/// Indexes the documents inserted since [`begin_batch`] (in one statement) and puts the
/// row-by-row triggers back.
pub fn end_batch(conn: &Connection, last: i64) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO main.doc_fts (rowid, text) SELECT id, fouille_fold(text) FROM main.documents WHERE id > ?1",
        [last],
    )?;
    conn.execute_batch(
        "DROP TRIGGER IF EXISTS temp.fts_documents_update;
         DROP TRIGGER IF EXISTS temp.fts_documents_delete;",
    )?;
    install_sync_triggers(conn)
}

/// Rebuilds the whole index from the documents (repair).
pub fn rebuild_index(conn: &Connection) -> StoreResult<()> {
    conn.execute_batch(
        "DELETE FROM doc_fts;
         INSERT INTO doc_fts (rowid, text) SELECT id, fouille_fold(text) FROM documents;",
    )?;
    Ok(())
}

/// Folds one char for matching: diacritics removed, lower case, ligatures split.
fn fold_char(c: char, out: &mut String) {
    match c {
        'œ' | 'Œ' => out.push_str("oe"),
        'æ' | 'Æ' => out.push_str("ae"),
        _ => {
            for d in c.nfd() {
                if !('\u{300}'..='\u{36f}').contains(&d) {
                    out.extend(d.to_lowercase());
                }
            }
        }
    }
}

/// Folds text for matching and maps each folded char back to its char offset in `text`.
pub fn fold_for_match(text: &str) -> (Vec<char>, Vec<usize>) {
    let mut folded = Vec::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len());
    let mut buf = String::new();
    for (i, c) in text.chars().enumerate() {
        buf.clear();
        fold_char(c, &mut buf);
        for f in buf.chars() {
            folded.push(f);
            map.push(i);
        }
    }
    (folded, map)
}

/// The words of a query, folded.
pub fn query_terms(query: &str) -> Vec<String> {
    let mut folded = String::new();
    for c in query.chars() {
        fold_char(c, &mut folded);
    }
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// One passage that matches a search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    /// Document GUID.
    pub document_guid: crate::model::DocumentId,
    /// Name of the document, as lists show it.
    pub document_name: String,
    /// Start of the matched word, char offset.
    pub start_char: usize,
    /// End of the matched word, char offset (exclusive).
    pub end_char: usize,
    /// Up to ~60 chars of context before.
    pub before: String,
    /// The matched text as written.
    pub matched: String,
    /// Up to ~60 chars of context after.
    pub after: String,
}

/// Finds passages matching every word of `query` (accent-insensitive, prefix match), best
/// documents first; at most `max_hits` passages in all.
pub fn search(conn: &Connection, query: &str, max_hits: usize) -> StoreResult<Vec<SearchHit>> {
    let terms = query_terms(query);
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let fts_query = terms
        .iter()
        .map(|t| format!("\"{t}\"*"))
        .collect::<Vec<_>>()
        .join(" AND ");
    let mut stmt = conn.prepare_cached(
        "SELECT d.guid, d.name, d.text FROM doc_fts JOIN documents d ON d.id = doc_fts.rowid
         WHERE doc_fts MATCH ?1 AND d.deleted = 0 ORDER BY rank LIMIT 200",
    )?;
    let mut rows = stmt.query([fts_query])?;
    let mut hits = Vec::new();
    while let Some(row) = rows.next()? {
        let (guid, name, text): (crate::model::DocumentId, String, String) =
            (row.get(0)?, row.get(1)?, row.get(2)?);
        let chars: Vec<char> = text.chars().collect();
        let (folded, map) = fold_for_match(&text);
        for (start, end) in find_terms(&folded, &map, &terms) {
            let ctx_start = start.saturating_sub(60);
            let ctx_end = (end + 60).min(chars.len());
            hits.push(SearchHit {
                document_guid: guid.clone(),
                document_name: name.clone(),
                start_char: start,
                end_char: end,
                before: chars[ctx_start..start].iter().collect(),
                matched: chars[start..end].iter().collect(),
                after: chars[end..ctx_end].iter().collect(),
            });
            if hits.len() >= max_hits {
                return Ok(hits);
            }
        }
    }
    Ok(hits)
}

/// Char ranges (in the original text) of words starting with any of `terms`.
fn find_terms(folded: &[char], map: &[usize], terms: &[String]) -> Vec<(usize, usize)> {
    let terms: Vec<Vec<char>> = terms.iter().map(|t| t.chars().collect()).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < folded.len() {
        let at_word_start =
            folded[i].is_alphanumeric() && (i == 0 || !folded[i - 1].is_alphanumeric());
        if at_word_start {
            let mut word_end = i;
            while word_end < folded.len() && folded[word_end].is_alphanumeric() {
                word_end += 1;
            }
            if terms.iter().any(|t| folded[i..word_end].starts_with(t)) {
                let start = map[i];
                let end = map[word_end - 1] + 1;
                if out.last().is_none_or(|&(_, e)| start >= e) {
                    out.push((start, end));
                }
            }
            i = word_end;
        } else {
            i += 1;
        }
    }
    out
}

/// GUIDs of the live documents whose index entry matches an FTS5 `MATCH` expression (as
/// [`crate::lexical::Query::fts5_filter`] writes them: folded words, quoted).
pub fn documents_matching(
    conn: &Connection,
    fts5_filter: &str,
) -> StoreResult<std::collections::HashSet<crate::model::DocumentId>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.guid FROM doc_fts JOIN documents d ON d.id = doc_fts.rowid
         WHERE doc_fts MATCH ?1 AND d.deleted = 0",
    )?;
    let rows = stmt.query_map([fts5_filter], |r| r.get::<_, crate::model::DocumentId>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// An index shaped like the project's `doc_fts`, in memory and holding nothing: where
/// [`scratch_matches`] checks one text against an FTS5 expression.
pub fn scratch_index() -> StoreResult<Connection> {
    let conn = Connection::open_in_memory()?;
    conn.execute_batch(
        "CREATE VIRTUAL TABLE doc_fts USING fts5(text, tokenize=\"unicode61 remove_diacritics 2\");",
    )?;
    Ok(conn)
}

/// Whether `text`, folded and indexed alone in a [`scratch_index`], matches `fts5_filter`.
pub fn scratch_matches(conn: &Connection, text: &str, fts5_filter: &str) -> StoreResult<bool> {
    conn.execute("DELETE FROM doc_fts", [])?;
    conn.execute(
        "INSERT INTO doc_fts (rowid, text) VALUES (1, ?1)",
        [fold_for_search(text)],
    )?;
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM doc_fts WHERE doc_fts MATCH ?1",
        [fts5_filter],
        |r| r.get(0),
    )?;
    Ok(n == 1)
}
