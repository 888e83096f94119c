//! Retrieval: the coded excerpts of a project with their exact text, document, respondent,
//! coder and memo, filtered by code (with descendants), document, coder or respondent
//! attribute — what the retrieval panel, reports and `fouille excerpts` show.

use rusqlite::Connection;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

use super::StoreResult;
use super::codings::{COLUMNS, FROM, from_row, id_guids};
use crate::model::{AttributeScope, CodeId, CoderId, Coding, DocumentId, RespondentId};

/// Which excerpts to retrieve. Empty lists mean "all".
#[derive(Debug, Clone, Default)]
pub struct ExcerptFilter {
    /// Code GUIDs (each with its descendants).
    pub codes: Vec<CodeId>,
    /// Coder GUIDs.
    pub coders: Vec<CoderId>,
    /// Respondent GUIDs.
    pub respondents: Vec<RespondentId>,
    /// Document GUIDs.
    pub documents: Vec<DocumentId>,
    /// Attribute conditions `name = value` (on the respondent's or the document's
    /// attributes), all of which must hold.
    pub attributes: Vec<(String, String)>,
}

/// A coded excerpt with everything needed to show or export it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Excerpt {
    /// The coding, with its offsets into the document's stored text.
    pub coding: Coding,
    /// Path of its code in the codebook, `Parent/Child`.
    pub code_path: String,
    /// Name of the document, as lists show it.
    pub document_name: String,
    /// Respondent GUID.
    pub respondent_guid: Option<RespondentId>,
    /// Real name of that respondent (reports pseudonymise it when asked).
    pub respondent_name: Option<String>,
    /// Name of the coder who made the coding.
    pub coder_name: String,
    /// The coded text, exactly.
    pub text: String,
    /// Memos on the coding, joined.
    pub memo: String,
}

/// Retrieves coded excerpts matching `filter`, in document order.
pub fn excerpts(conn: &Connection, filter: &ExcerptFilter) -> StoreResult<Vec<Excerpt>> {
    let codes = super::codes::list(conn)?;
    let paths = super::codes::paths(&codes);
    let mut sql = format!(
        "SELECT {COLUMNS}, g.document_id {FROM} WHERE g.deleted = 0 AND c.deleted = 0 AND d.deleted = 0"
    );
    if !filter.codes.is_empty() {
        let mut ids = Vec::new();
        for g in filter
            .codes
            .iter()
            .flat_map(|g| super::codes::with_descendants(&codes, g))
        {
            ids.push(super::codes::id_of(conn, &g)?.to_string());
        }
        sql.push_str(&format!(" AND g.code_id IN ({})", ids.join(",")));
    }
    if !filter.coders.is_empty() {
        let mut ids = Vec::new();
        for g in &filter.coders {
            if let Some(id) = super::coders::id_of(conn, g)? {
                ids.push(id.to_string());
            }
        }
        sql.push_str(&format!(
            " AND g.created_by IN ({})",
            if ids.is_empty() {
                "-1".into()
            } else {
                ids.join(",")
            }
        ));
    }
    sql.push_str(" ORDER BY d.sort_order, d.id, g.start_char, g.end_char");
    let coders: HashMap<CoderId, String> = super::coders::list(conn)?
        .into_iter()
        .map(|c| (c.guid, c.name))
        .collect();
    let docs: HashMap<DocumentId, crate::model::DocumentInfo> = super::documents::list(conn)?
        .into_iter()
        .map(|d| (d.guid.clone(), d))
        .collect();
    let respondents: HashMap<RespondentId, String> = super::respondents::list(conn)?
        .into_iter()
        .map(|r| (r.guid, r.name))
        .collect();
    let needs_attrs = !filter.attributes.is_empty();
    let resp_values = if needs_attrs {
        super::attributes::values(conn, AttributeScope::Respondent)?
    } else {
        BTreeMap::new()
    };
    let doc_values = if needs_attrs {
        super::attributes::values(conn, AttributeScope::Document)?
    } else {
        BTreeMap::new()
    };
    let empty = BTreeMap::new();
    let doc_ok = |d: &crate::model::DocumentInfo| {
        let rv = d
            .respondent_guid
            .as_ref()
            .and_then(|r| resp_values.get(r.as_str()))
            .unwrap_or(&empty);
        let dv = doc_values.get(d.guid.as_str()).unwrap_or(&empty);
        let attrs_ok = filter.attributes.iter().all(|(k, v)| {
            let matches = |m: &BTreeMap<String, String>| {
                m.iter().any(|(name, value)| {
                    name.eq_ignore_ascii_case(k) && value.eq_ignore_ascii_case(v)
                })
            };
            matches(rv) || matches(dv)
        });
        let resp_ok = filter.respondents.is_empty()
            || d.respondent_guid
                .as_ref()
                .is_some_and(|r| filter.respondents.contains(r));
        let docs_ok = filter.documents.is_empty() || filter.documents.contains(&d.guid);
        attrs_ok && resp_ok && docs_ok
    };
    // Only the documents the filter keeps are queried (the attribute filter often leaves a
    // third of a code's codings: no need to join and read the others).
    if needs_attrs || !filter.respondents.is_empty() || !filter.documents.is_empty() {
        let kept: Vec<String> = id_guids::<DocumentId>(conn)?
            .into_iter()
            .filter(|(_, guid)| docs.get(guid.as_str()).is_some_and(&doc_ok))
            .map(|(id, _)| id.to_string())
            .collect();
        sql = sql.replace(
            " ORDER BY d.sort_order",
            &format!(
                " AND g.document_id IN ({}) ORDER BY d.sort_order",
                if kept.is_empty() {
                    "-1".into()
                } else {
                    kept.join(",")
                }
            ),
        );
    }
    // Codings grouped by document (the query orders them so).
    let mut groups: Vec<(i64, Vec<Coding>)> = Vec::new();
    let mut doc_verdicts: HashMap<i64, bool> = HashMap::new();
    {
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let doc_id: i64 = r.get(9)?;
            let keep = *doc_verdicts.entry(doc_id).or_insert_with(|| {
                r.get_ref(1)
                    .ok()
                    .and_then(|v| v.as_str().ok())
                    .and_then(|g| docs.get(g))
                    .is_some_and(&doc_ok)
            });
            if !keep {
                continue;
            }
            let coding = from_row(r)?;
            match groups.last_mut() {
                Some((id, list)) if *id == doc_id => list.push(coding),
                _ => groups.push((doc_id, vec![coding])),
            }
        }
    }
    let memos = super::memos::coding_memo_texts(conn)?;
    let quotes = quote_groups(conn, &groups)?;
    let mut out = Vec::new();
    for ((_, list), texts) in groups.into_iter().zip(quotes) {
        for (coding, text) in list.into_iter().zip(texts) {
            let doc = docs.get(&coding.document_guid);
            let respondent_guid = doc.and_then(|d| d.respondent_guid.clone());
            out.push(Excerpt {
                code_path: paths.get(&coding.code_guid).cloned().unwrap_or_default(),
                document_name: doc.map(|d| d.name.clone()).unwrap_or_default(),
                respondent_name: respondent_guid
                    .as_ref()
                    .and_then(|r| respondents.get(r).cloned()),
                respondent_guid,
                coder_name: coders.get(&coding.created_by).cloned().unwrap_or_default(),
                memo: memos.get(&coding.guid).cloned().unwrap_or_default(),
                text,
                coding,
            });
        }
    }
    Ok(out)
}

/// The quotes of the codings of each group (one document's, in order), in the order of
/// `groups`. With a project file and no open transaction, half of the documents are read
/// on another core, on a read-only connection of its own (it sees the same committed
/// state).
fn quote_groups(conn: &Connection, groups: &[(i64, Vec<Coding>)]) -> StoreResult<Vec<Vec<String>>> {
    let Some(path) = super::reader::reader_path(conn).filter(|_| groups.len() >= 8) else {
        return quote_each(conn, groups.iter());
    };
    std::thread::scope(|s| {
        let other = s.spawn(|| {
            let own = super::reader::open_reader(&path)?;
            quote_each(&own, groups.iter().skip(1).step_by(2))
        });
        let mine = quote_each(conn, groups.iter().step_by(2))?;
        let theirs = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        let mut mine = mine.into_iter();
        let mut theirs = theirs.into_iter();
        Ok((0..groups.len())
            .filter_map(|i| {
                if i % 2 == 0 {
                    mine.next()
                } else {
                    theirs.next()
                }
            })
            .collect())
    })
}

/// The quotes of the codings of each group, read on `conn`. Each text is read as bytes and
/// walked once, a block at a time, to every excerpt's bounds; only the excerpts are
/// checked as UTF-8 (checking and walking whole interviews cost more than the query).
fn quote_each<'g>(
    conn: &Connection,
    groups: impl Iterator<Item = &'g (i64, Vec<Coding>)>,
) -> StoreResult<Vec<Vec<String>>> {
    let mut stmt = conn.prepare_cached("SELECT text FROM documents WHERE id = ?1")?;
    let mut out = Vec::new();
    for (doc_id, list) in groups {
        let ranges: Vec<(usize, usize)> = list.iter().map(|c| (c.start_char, c.end_char)).collect();
        out.push(stmt.query_row([doc_id], |r| {
            let bytes = match r.get_ref(0)? {
                rusqlite::types::ValueRef::Text(b) | rusqlite::types::ValueRef::Blob(b) => b,
                _ => &[],
            };
            Ok(crate::model::text::slices(bytes, &ranges)
                .into_iter()
                .map(|quote| quote.unwrap_or("").to_string())
                .collect::<Vec<String>>())
        })?);
    }
    Ok(out)
}

/// When a coding was made and the memos written on it: what a table listing every excerpt
/// shows beside its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodingNote {
    /// When the coding was made, ms since the Unix epoch, UTC.
    pub created_at: i64,
    /// The memos on the coding, oldest first, separated by a blank line (empty: none).
    pub memo: String,
}

/// The [`CodingNote`] of every live coding, by coding row id (`codings.id`, what the
/// analysis selection holds for each excerpt).
pub fn coding_notes(conn: &Connection) -> StoreResult<HashMap<i64, CodingNote>> {
    let memos = super::memos::coding_memo_texts(conn)?;
    let mut stmt =
        conn.prepare_cached("SELECT id, guid, created_at FROM codings WHERE deleted = 0")?;
    let mut rows = stmt.query([])?;
    let mut out = HashMap::new();
    while let Some(r) = rows.next()? {
        let guid: String = r.get(1)?;
        out.insert(
            r.get::<_, i64>(0)?,
            CodingNote {
                created_at: r.get(2)?,
                memo: memos.get(guid.as_str()).cloned().unwrap_or_default(),
            },
        );
    }
    Ok(out)
}
