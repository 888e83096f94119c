//! The filter every table shares ([`AnalysisFilter`]) and what it resolves to
//! ([`Selection`]): the live codings considered, with the codes, documents, respondents,
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

use super::{AnalysisError, AnalysisResult, Lang};
use crate::model::text::slice_chars;
use crate::model::{
    Attribute, AttributeScope, Code, CodeKind, Coding, Consent, DocumentInfo, Respondent,
};
use crate::store::{attributes, codes, codings, coders, documents, respondents};

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

/// One considered coding, with the positions of its code and document in the selection.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The coding.
    pub coding: Coding,
    /// Index of its code in [`Selection::codes`].
    pub code: usize,
    /// Index of its document in [`Selection::documents`].
    pub doc: usize,
}

/// A resolved filter: everything a table needs, loaded once.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Codes shown (tree order; restricted by the filter's codes).
    pub codes: Vec<Code>,
    /// Path of each code (`Parent/Child`), same order as `codes`.
    pub code_paths: Vec<String>,
    /// Index of each code's parent in `codes`, when shown.
    pub parents: Vec<Option<usize>>,
    /// Documents considered, in corpus order.
    pub documents: Vec<DocumentInfo>,
    /// Text of each document holding a considered coding (empty otherwise).
    pub texts: Vec<String>,
    /// Every live respondent by GUID.
    pub respondents: BTreeMap<String, Respondent>,
    /// Every live attribute.
    pub attributes: Vec<Attribute>,
    /// Respondent GUID → attribute name → value.
    pub respondent_values: BTreeMap<String, BTreeMap<String, String>>,
    /// Document GUID → attribute name → value.
    pub document_values: BTreeMap<String, BTreeMap<String, String>>,
    /// Coder GUID → name.
    pub coder_names: BTreeMap<String, String>,
    /// The considered codings, by document then start.
    pub items: Vec<Item>,
    /// What the filter kept and left out, in words (copied under every table).
    pub notes: Vec<String>,
    /// Language of labels.
    pub lang: Lang,
    /// Name respondents by pseudonym (when they have one).
    pub pseudonyms: bool,
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
        let mut sel = Selection { lang, ..Selection::default() };
        let mut notes = Vec::new();

        // Codes.
        let all_codes = codes::list(conn)?;
        let shown: Option<HashSet<String>> = if self.codes.is_empty() {
            None
        } else {
            let mut set = HashSet::new();
            let mut named = Vec::new();
            for key in &self.codes {
                let code = codes::resolve(conn, key)?;
                named.push(codes::path_of(&all_codes, &code.guid));
                set.extend(codes::with_descendants(&all_codes, &code.guid));
            }
            notes.push(format!("{} {}", lang.pick("Codes (avec sous-codes) :", "Codes (with sub-codes):"), named.join(" ; ")));
            Some(set)
        };
        let paths = codes::paths(&all_codes);
        sel.codes = all_codes
            .into_iter()
            .filter(|c| shown.as_ref().is_none_or(|s| s.contains(&c.guid)))
            .collect();
        let code_index: HashMap<&str, usize> =
            sel.codes.iter().enumerate().map(|(i, c)| (c.guid.as_str(), i)).collect();
        sel.code_paths =
            sel.codes.iter().map(|c| paths.get(&c.guid).cloned().unwrap_or_default()).collect();
        sel.parents = sel
            .codes
            .iter()
            .map(|c| c.parent_guid.as_deref().and_then(|p| code_index.get(p).copied()))
            .collect();

        // Coders.
        let coder_set: Option<HashSet<String>> = if self.coders.is_empty() {
            None
        } else {
            let mut set = HashSet::new();
            let mut names = Vec::new();
            for key in &self.coders {
                let coder = coders::find(conn, key)?;
                names.push(coder.name.clone());
                set.insert(coder.guid);
            }
            notes.push(format!("{} {}", lang.pick("Codeurs :", "Coders:"), names.join(", ")));
            Some(set)
        };
        sel.coder_names = coders::list(conn)?.into_iter().map(|c| (c.guid, c.name)).collect();

        // Attributes and respondents.
        sel.attributes = attributes::list(conn, None)?;
        sel.respondent_values = attributes::values(conn, AttributeScope::Respondent)?;
        sel.document_values = attributes::values(conn, AttributeScope::Document)?;
        sel.respondents =
            respondents::list(conn)?.into_iter().map(|r| (r.guid.clone(), r)).collect();
        let mut conditions: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (key, value) in &self.attributes {
            let key = key.trim();
            if !sel.attributes.iter().any(|a| a.name.eq_ignore_ascii_case(key)) {
                return Err(sel.unknown_attribute(key));
            }
            conditions.entry(key.to_lowercase()).or_default().push(value.trim().to_lowercase());
        }
        if !conditions.is_empty() {
            let parts: Vec<String> =
                conditions.iter().map(|(k, vs)| format!("{k} = {}", vs.join(" | "))).collect();
            notes.push(format!("{} {}", lang.pick("Attributs :", "Attributes:"), parts.join(" ; ")));
        }

        // Documents.
        let doc_set: Option<HashSet<String>> = if self.documents.is_empty() {
            None
        } else {
            let mut set = HashSet::new();
            for key in &self.documents {
                set.insert(documents::find(conn, key)?.guid);
            }
            notes.push(format!("{} {}", lang.pick("Documents choisis :", "Documents chosen:"), set.len()));
            Some(set)
        };
        let empty = BTreeMap::new();
        let mut withdrawn_docs = 0usize;
        let mut withdrawn_people = BTreeSet::new();
        for doc in documents::list(conn)? {
            if doc_set.as_ref().is_some_and(|s| !s.contains(&doc.guid)) {
                continue;
            }
            let respondent = doc.respondent_guid.as_ref().and_then(|g| sel.respondents.get(g));
            let rv = doc
                .respondent_guid
                .as_ref()
                .and_then(|g| sel.respondent_values.get(g))
                .unwrap_or(&empty);
            let dv = sel.document_values.get(&doc.guid).unwrap_or(&empty);
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
        let doc_index: HashMap<&str, usize> =
            sel.documents.iter().enumerate().map(|(i, d)| (d.guid.as_str(), i)).collect();

        // Codings.
        let mut items = Vec::new();
        for coding in codings::list(conn)? {
            let (Some(&doc), Some(&code)) = (
                doc_index.get(coding.document_guid.as_str()),
                code_index.get(coding.code_guid.as_str()),
            ) else {
                continue;
            };
            if coder_set.as_ref().is_some_and(|s| !s.contains(&coding.created_by)) {
                continue;
            }
            items.push(Item { coding, code, doc });
        }
        items.sort_by_key(|i| (i.doc, i.coding.start_char, i.coding.end_char, i.code));
        sel.texts = vec![String::new(); sel.documents.len()];
        let mut needed: Vec<usize> = items.iter().map(|i| i.doc).collect();
        needed.dedup();
        for d in needed {
            sel.texts[d] = documents::text(conn, &sel.documents[d].guid)?;
        }
        sel.items = items;
        sel.notes = notes;
        Ok(sel)
    }
}

impl Selection {
    fn unknown_attribute(&self, name: &str) -> AnalysisError {
        let mut known: Vec<&str> = self.attributes.iter().map(|a| a.name.as_str()).collect();
        known.sort_unstable();
        known.dedup();
        AnalysisError::UnknownAttribute { name: name.to_string(), known: known.join(", ") }
    }

    /// The attribute named `name` (case-insensitive), respondent attributes first.
    pub fn find_attribute(&self, name: &str) -> AnalysisResult<&Attribute> {
        let name = name.trim();
        let matching = |scope| {
            self.attributes.iter().find(|a| a.scope == scope && a.name.eq_ignore_ascii_case(name))
        };
        matching(AttributeScope::Respondent)
            .or_else(|| matching(AttributeScope::Document))
            .ok_or_else(|| self.unknown_attribute(name))
    }

    /// The value of `attribute` for document `doc` (through its respondent for respondent
    /// attributes); `None` when unset.
    pub fn attribute_value(&self, attribute: &Attribute, doc: usize) -> Option<&str> {
        let d = self.documents.get(doc)?;
        let values = match attribute.scope {
            AttributeScope::Respondent => {
                self.respondent_values.get(d.respondent_guid.as_ref()?)?
            }
            AttributeScope::Document => self.document_values.get(&d.guid)?,
        };
        values.get(&attribute.name).map(String::as_str).filter(|v| !v.trim().is_empty())
    }

    /// The value of `attribute` for a respondent (respondent attributes only).
    pub fn respondent_attribute(&self, attribute: &Attribute, respondent: &str) -> Option<&str> {
        if attribute.scope != AttributeScope::Respondent {
            return None;
        }
        self.respondent_values
            .get(respondent)?
            .get(&attribute.name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }

    /// GUID of the respondent of a considered coding, if its document has one.
    pub fn respondent_of(&self, item: &Item) -> Option<&str> {
        self.documents.get(item.doc)?.respondent_guid.as_deref()
    }

    /// How a respondent is named in tables: the pseudonym when asked for and set, else the
    /// name.
    pub fn respondent_label(&self, guid: &str) -> String {
        match self.respondents.get(guid) {
            Some(r) if self.pseudonyms && !r.pseudonym.trim().is_empty() => r.pseudonym.clone(),
            Some(r) => r.name.clone(),
            None => guid.to_string(),
        }
    }

    /// The label used for "no respondent" and "no value".
    pub fn none_label(&self) -> String {
        self.lang.pick("(aucun)", "(none)").to_string()
    }

    /// Name of a coder.
    pub fn coder_name<'a>(&'a self, guid: &'a str) -> &'a str {
        self.coder_names.get(guid).map(String::as_str).unwrap_or(guid)
    }

    /// The exact text of a considered coding.
    pub fn item_text(&self, item: &Item) -> &str {
        self.text_range(item.doc, item.coding.start_char, item.coding.end_char)
    }

    /// Chars `[start, end)` of a document's text (empty when out of range or not loaded).
    pub fn text_range(&self, doc: usize, start_char: usize, end_char: usize) -> &str {
        self.texts.get(doc).and_then(|t| slice_chars(t, start_char, end_char)).unwrap_or("")
    }

    /// The codes a coding counts for: its own, and with `rollup` every shown ancestor.
    pub fn counted_codes(&self, item: &Item, rollup: bool) -> Vec<usize> {
        let mut out = vec![item.code];
        if rollup {
            let mut current = self.parents.get(item.code).copied().flatten();
            while let Some(p) = current {
                if out.contains(&p) || out.len() > 64 {
                    break;
                }
                out.push(p);
                current = self.parents.get(p).copied().flatten();
            }
        }
        out
    }

    /// For each code (by index), the indices of the items counted for it.
    pub fn buckets(&self, rollup: bool) -> Vec<Vec<usize>> {
        let mut out = vec![Vec::new(); self.codes.len()];
        for (i, item) in self.items.iter().enumerate() {
            for c in self.counted_codes(item, rollup) {
                out[c].push(i);
            }
        }
        out
    }

    /// The codes that get a row: codable ones, and folders too when rolling up.
    pub fn row_codes(&self, rollup: bool) -> Vec<usize> {
        (0..self.codes.len()).filter(|&c| rollup || self.codes[c].kind.is_codable()).collect()
    }

    /// Shown children of a code with a given kind, in tree order.
    pub fn children_of_kind(&self, code: usize, kind: CodeKind) -> Vec<usize> {
        (0..self.codes.len())
            .filter(|&c| self.parents[c] == Some(code) && self.codes[c].kind == kind)
            .collect()
    }

    /// Distinct respondents of a set of items, sorted.
    pub fn respondents_of(&self, items: &[usize]) -> BTreeSet<&str> {
        items.iter().filter_map(|&i| self.respondent_of(&self.items[i])).collect()
    }

    /// The filter notes plus `extra`.
    pub fn notes_with(&self, extra: impl IntoIterator<Item = String>) -> Vec<String> {
        self.notes.iter().cloned().chain(extra).collect()
    }
}

/// Sorts attribute values: numerically when every value is a number, else alphabetically
/// without regard to case.
pub fn sort_values(values: &mut [String]) {
    let numeric: Option<Vec<f64>> =
        values.iter().map(|v| v.trim().replace(',', ".").parse::<f64>().ok()).collect();
    if numeric.is_some() {
        values.sort_by(|a, b| {
            let fa = a.trim().replace(',', ".").parse::<f64>().unwrap_or(0.0);
            let fb = b.trim().replace(',', ".").parse::<f64>().unwrap_or(0.0);
            fa.total_cmp(&fb)
        });
    } else {
        values.sort_by_key(|v| (v.to_lowercase(), v.clone()));
    }
}
