//! The resolved filter ([`Selection`]): the live codings an analysis considers, with the
//! codes, documents, respondents, attribute values and texts needed to describe them, and the
//! helpers every table uses (counted codes with rollup, attribute values, labels, texts).

use std::collections::{BTreeMap, BTreeSet};

use super::{AnalysisError, AnalysisResult, Lang};
use crate::model::text::slice_chars;
use crate::model::{Attribute, AttributeScope, Code, CodeKind, Coding, DocumentInfo, Respondent};

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

impl Selection {
    /// Reads the text of every document holding a considered coding (once).
    pub fn load_texts(&mut self, conn: &rusqlite::Connection) -> AnalysisResult<()> {
        if self.texts.len() != self.documents.len() {
            self.texts = vec![String::new(); self.documents.len()];
        }
        let mut needed: Vec<usize> = self.items.iter().map(|i| i.doc).collect();
        needed.dedup();
        for d in needed {
            if self.texts[d].is_empty() {
                self.texts[d] = crate::store::documents::text(conn, &self.documents[d].guid)?;
            }
        }
        Ok(())
    }

    /// The error for an attribute that does not exist, listing those that do.
    pub fn unknown_attribute(&self, name: &str) -> AnalysisError {
        let mut known: Vec<&str> = self.attributes.iter().map(|a| a.name.as_str()).collect();
        known.sort_unstable();
        known.dedup();
        AnalysisError::UnknownAttribute {
            name: name.to_string(),
            known: known.join(", "),
        }
    }

    /// The attribute named `name` (case-insensitive), respondent attributes first.
    pub fn find_attribute(&self, name: &str) -> AnalysisResult<&Attribute> {
        let name = name.trim();
        let matching = |scope| {
            self.attributes
                .iter()
                .find(|a| a.scope == scope && same_name(&a.name, name))
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
        values
            .get(&attribute.name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
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
        self.coder_names
            .get(guid)
            .map(String::as_str)
            .unwrap_or(guid)
    }

    /// The exact text of a considered coding.
    pub fn item_text(&self, item: &Item) -> &str {
        self.text_range(item.doc, item.coding.start_char, item.coding.end_char)
    }

    /// Chars `[start, end)` of a document's text (empty when out of range or not loaded).
    pub fn text_range(&self, doc: usize, start_char: usize, end_char: usize) -> &str {
        self.texts
            .get(doc)
            .and_then(|t| slice_chars(t, start_char, end_char))
            .unwrap_or("")
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
        (0..self.codes.len())
            .filter(|&c| rollup || self.codes[c].kind.is_codable())
            .collect()
    }

    /// Shown children of a code with a given kind, in tree order.
    pub fn children_of_kind(&self, code: usize, kind: CodeKind) -> Vec<usize> {
        (0..self.codes.len())
            .filter(|&c| self.parents[c] == Some(code) && self.codes[c].kind == kind)
            .collect()
    }

    /// Distinct respondents of a set of items, sorted.
    pub fn respondents_of(&self, items: &[usize]) -> BTreeSet<&str> {
        items
            .iter()
            .filter_map(|&i| self.respondent_of(&self.items[i]))
            .collect()
    }

    /// The filter notes plus `extra`.
    pub fn notes_with(&self, extra: impl IntoIterator<Item = String>) -> Vec<String> {
        self.notes.iter().cloned().chain(extra).collect()
    }
}

/// Whether two attribute names are the same without regard to case (`Rôle` = `rôle`).
pub fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// A key to sort names the French way: without regard to case or accents (`Émilie` before
/// `Zoé`), ligatures spelled out; the name itself breaks ties.
pub fn sort_key(text: &str) -> (String, String) {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let folded: String = text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase();
    (
        crate::model::text::fold_for_search(&folded),
        text.to_string(),
    )
}

/// Sorts attribute values: numerically when every value is a number, else alphabetically
/// without regard to case.
pub fn sort_values(values: &mut [String]) {
    let numeric: Option<Vec<f64>> = values
        .iter()
        .map(|v| v.trim().replace(',', ".").parse::<f64>().ok())
        .collect();
    if numeric.is_some() {
        values.sort_by(|a, b| {
            let fa = a.trim().replace(',', ".").parse::<f64>().unwrap_or(0.0);
            let fb = b.trim().replace(',', ".").parse::<f64>().unwrap_or(0.0);
            fa.total_cmp(&fb)
        });
    } else {
        values.sort_by_key(|v| sort_key(v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // issue 4
    #[test]
    fn values_sort_by_number_or_without_case_and_accents() {
        let mut names: Vec<String> = ["Zoé", "Émilie", "alain", "Élodie", "eric", "Œuvre", "Ode"]
            .map(String::from)
            .to_vec();
        sort_values(&mut names);
        assert_eq!(
            names,
            ["alain", "Élodie", "Émilie", "eric", "Ode", "Œuvre", "Zoé"]
        );
        let mut ages: Vec<String> = ["52", "9", "10,5", "100"].map(String::from).to_vec();
        sort_values(&mut ages);
        assert_eq!(ages, ["9", "10,5", "52", "100"]);
    }
}
