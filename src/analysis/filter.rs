//! The filter every table shares ([`AnalysisFilter`]) and how it resolves to a
//! [`Selection`]: the live codings considered, with the codes, documents, respondents,
//! attribute values and texts needed to describe them.
//!
//! Rules:
//! - only live codings of live codes and documents count (tombstones never do);
//! - coders: a coding counts if its author is one of the coders (all when empty);
//! - documents: a document counts if it is one of those named (all when empty);
//! - attribute conditions `name = value`, matched without regard to case on the
//!   document's respondent's attributes or on the document's own: the same name given several
//!   times means *any* of those values, different names must *all* hold;
//! - codes: only these codes and their descendants are shown and counted (all when empty);
//! - documents of respondents who withdrew their consent are left out unless
//!   `include_withdrawn` (a note says how many).

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::selection::{Item, Selection, same_name};
use super::{AnalysisResult, Lang};
use crate::model::{AttributeScope, CodeId, CoderId, Consent, DocumentId};
use crate::store::{attributes, coders, codes, codings, documents, respondents};

/// Which codings an analysis considers. Empty lists mean "all".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalysisFilter {
    /// Coder names or GUIDs.
    pub coders: Vec<String>,
    /// Attribute conditions `(name, value)` on the respondent's or the document's attributes.
    pub attributes: Vec<(String, String)>,
    /// Document names or GUIDs.
    pub documents: Vec<String>,
    /// Code paths or GUIDs, each with its descendants.
    pub codes: Vec<String>,
    /// Keep documents of respondents who withdrew their consent.
    pub include_withdrawn: bool,
}

impl AnalysisFilter {
    /// Whether the filter keeps everything.
    pub fn is_empty(&self) -> bool {
        self.coders.is_empty()
            && self.attributes.is_empty()
            && self.documents.is_empty()
            && self.codes.is_empty()
    }

    /// Resolves the filter against a project. Unknown coders, documents, codes or attribute
    /// names are errors (a typo must not silently give an empty table); unknown attribute
    /// values simply match nothing.
    pub fn resolve(&self, conn: &Connection, lang: Lang) -> AnalysisResult<Selection> {
        let mut sel = self.resolve_without_texts(conn, lang)?;
        sel.load_texts(conn)?;
        Ok(sel)
    }

    /// Like [`AnalysisFilter::resolve`] without reading the documents' texts (the tables that
    /// count need none; call [`Selection::load_texts`] before those that quote).
    pub fn resolve_without_texts(
        &self,
        conn: &Connection,
        lang: Lang,
    ) -> AnalysisResult<Selection> {
        let mut sel = Selection {
            lang,
            code_filter: !self.codes.is_empty(),
            ..Selection::default()
        };
        let mut notes = Vec::new();

        // Codes.
        let all_codes = codes::list(conn)?;
        let shown: Option<HashSet<CodeId>> = if self.codes.is_empty() {
            None
        } else {
            let mut set = HashSet::new();
            let mut named = Vec::new();
            for key in &self.codes {
                let code = codes::resolve(conn, key)?;
                named.push(codes::path_of(&all_codes, &code.guid));
                set.extend(codes::with_descendants(&all_codes, &code.guid));
            }
            notes.push(format!(
                "{} {}",
                lang.pick("Codes (avec sous-codes) :", "Codes (with sub-codes):"),
                named.join(" ; ")
            ));
            Some(set)
        };
        let paths = codes::paths(&all_codes);
        sel.codes = all_codes
            .into_iter()
            .filter(|c| shown.as_ref().is_none_or(|s| s.contains(&c.guid)))
            .collect();
        let code_index: HashMap<&CodeId, usize> = sel
            .codes
            .iter()
            .enumerate()
            .map(|(i, c)| (&c.guid, i))
            .collect();
        sel.code_paths = sel
            .codes
            .iter()
            .map(|c| paths.get(&c.guid).cloned().unwrap_or_default())
            .collect();
        sel.parents = sel
            .codes
            .iter()
            .map(|c| {
                c.parent_guid
                    .as_ref()
                    .and_then(|p| code_index.get(p).copied())
            })
            .collect();

        // Coders.
        let coder_set: Option<HashSet<CoderId>> = if self.coders.is_empty() {
            None
        } else {
            let mut set = HashSet::new();
            let mut names = Vec::new();
            for key in &self.coders {
                let coder = coders::find(conn, key)?;
                names.push(coder.name.clone());
                set.insert(coder.guid);
            }
            notes.push(format!(
                "{} {}",
                lang.pick("Codeurs :", "Coders:"),
                names.join(", ")
            ));
            Some(set)
        };
        sel.coder_names = coders::list(conn)?
            .into_iter()
            .map(|c| (c.guid, c.name))
            .collect();

        // Attributes and respondents.
        sel.attributes = attributes::list(conn, None)?;
        sel.respondent_values = attributes::values(conn, AttributeScope::Respondent)?;
        sel.document_values = attributes::values(conn, AttributeScope::Document)?;
        sel.respondents = respondents::list(conn)?
            .into_iter()
            .map(|r| (r.guid.clone(), r))
            .collect();
        // Lower-cased name → lower-cased values (for matching) and the values as typed.
        let mut conditions: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut shown: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (key, value) in &self.attributes {
            let key = key.trim();
            if !sel.attributes.iter().any(|a| same_name(&a.name, key)) {
                return Err(sel.unknown_attribute(key));
            }
            conditions
                .entry(key.to_lowercase())
                .or_default()
                .push(value.trim().to_lowercase());
            shown
                .entry(key.to_string())
                .or_default()
                .push(value.trim().to_string());
        }
        if !shown.is_empty() {
            let parts: Vec<String> = shown
                .iter()
                .map(|(k, vs)| format!("{k} = {}", vs.join(" | ")))
                .collect();
            notes.push(format!(
                "{} {}",
                lang.pick("Attributs :", "Attributes:"),
                parts.join(" ; ")
            ));
        }

        // Documents.
        let doc_set: Option<HashSet<DocumentId>> = if self.documents.is_empty() {
            None
        } else {
            let mut set = HashSet::new();
            for key in &self.documents {
                set.insert(documents::find(conn, key)?.guid);
            }
            notes.push(format!(
                "{} {}",
                lang.pick("Documents choisis :", "Documents chosen:"),
                set.len()
            ));
            Some(set)
        };
        let empty = BTreeMap::new();
        let mut withdrawn_docs = 0usize;
        let mut withdrawn_people = BTreeSet::new();
        for doc in documents::list(conn)? {
            if doc_set.as_ref().is_some_and(|s| !s.contains(&doc.guid)) {
                continue;
            }
            let respondent = doc
                .respondent_guid
                .as_ref()
                .and_then(|g| sel.respondents.get(g));
            let rv = doc
                .respondent_guid
                .as_ref()
                .and_then(|g| sel.respondent_values.get(g.as_str()))
                .unwrap_or(&empty);
            let dv = sel.document_values.get(doc.guid.as_str()).unwrap_or(&empty);
            let holds = conditions.iter().all(|(key, values)| {
                let has = |m: &BTreeMap<String, String>| {
                    m.iter().any(|(name, v)| {
                        name.to_lowercase() == *key && values.contains(&v.trim().to_lowercase())
                    })
                };
                has(rv) || has(dv)
            });
            if !holds {
                continue;
            }
            if !self.include_withdrawn
                && respondent.is_some_and(|r| r.consent == Consent::Withdrawn)
            {
                withdrawn_docs += 1;
                withdrawn_people.extend(doc.respondent_guid.clone());
                continue;
            }
            sel.documents.push(doc);
        }
        if withdrawn_docs > 0 {
            let people = withdrawn_people.len();
            notes.push(match lang {
                Lang::Fr => format!(
                    "{withdrawn_docs} document(s) de {people} répondant(s) ayant retiré leur consentement exclu(s)"
                ),
                Lang::En => format!(
                    "{withdrawn_docs} document(s) of {people} respondent(s) who withdrew consent left out"
                ),
            });
        }
        let doc_index: HashMap<&str, usize> = sel
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.guid.as_str(), i))
            .collect();

        // Codings: integers only, mapped to indices through the row ids.
        let doc_ids = codings::id_guids::<DocumentId>(conn)?;
        let code_ids = codings::id_guids::<CodeId>(conn)?;
        let coder_ids = codings::id_guids::<CoderId>(conn)?;
        let doc_of: HashMap<i64, usize> = doc_ids
            .iter()
            .filter_map(|(id, guid)| doc_index.get(guid.as_str()).map(|&d| (*id, d)))
            .collect();
        let code_of: HashMap<i64, usize> = code_ids
            .iter()
            .filter_map(|(id, guid)| code_index.get(guid).map(|&c| (*id, c)))
            .collect();
        let mut coder_of: HashMap<i64, usize> = HashMap::new();
        let mut items = Vec::new();
        for row in codings::live_rows(conn)? {
            let (Some(&doc), Some(&code)) =
                (doc_of.get(&row.document_id), code_of.get(&row.code_id))
            else {
                continue;
            };
            let coder = match coder_of.get(&row.coder_id) {
                Some(&k) => k,
                None => {
                    let guid = coder_ids.get(&row.coder_id).cloned().unwrap_or_default();
                    let k = sel.coders.len();
                    sel.coders.push(guid);
                    coder_of.insert(row.coder_id, k);
                    k
                }
            };
            if coder_set
                .as_ref()
                .is_some_and(|s| !s.contains(&sel.coders[coder]))
            {
                continue;
            }
            items.push(Item {
                id: row.id,
                start_char: row.start_char,
                end_char: row.end_char,
                code,
                doc,
                coder,
            });
        }
        items.sort_unstable_by_key(|i| (i.doc, i.start_char, i.end_char, i.code, i.id));
        sel.texts = vec![String::new(); sel.documents.len()];
        sel.items = items;
        sel.notes = notes;
        Ok(sel)
    }
}
