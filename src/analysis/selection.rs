//! The resolved filter ([`Selection`]): the live codings an analysis considers, with the
//! codes, documents, respondents, attribute values and texts needed to describe them, and the
//! helpers every table uses (counted codes with rollup, attribute values, labels, texts).

use std::collections::{BTreeMap, BTreeSet};

use super::texts::map_texts;
use super::{AnalysisError, AnalysisResult, Lang};
use crate::model::text::{CharIndex, slice_chars};
use crate::model::{
    Attribute, AttributeScope, Code, CodeKind, CoderId, DocumentInfo, Respondent, RespondentId,
};
use crate::store::Rule;

/// One considered coding: its range, and the positions of its code, document and coder in
/// the selection (indices, no strings: a selection holds 100,000 of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    /// Row id of the coding in the store (`codings.id`).
    pub id: i64,
    /// Start, char offset, inclusive.
    pub start_char: usize,
    /// End, char offset, exclusive.
    pub end_char: usize,
    /// Index of its code in [`Selection::codes`].
    pub code: usize,
    /// Index of its document in [`Selection::documents`].
    pub doc: usize,
    /// Index of its author in [`Selection::coders`].
    pub coder: usize,
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
    /// A char index of each loaded text (slicing excerpts without walking the text).
    pub char_indexes: Vec<CharIndex>,
    /// Text of passages read by [`Selection::load_quotes`], by `(document, start, end)`.
    pub quotes: std::collections::HashMap<(usize, usize, usize), String>,
    /// Where the paragraphs of each document start, when read by
    /// [`Selection::load_paragraphs`] (empty otherwise).
    pub paragraphs: Vec<Vec<usize>>,
    /// Every live respondent by GUID.
    pub respondents: BTreeMap<RespondentId, Respondent>,
    /// Every live attribute.
    pub attributes: Vec<Attribute>,
    /// Respondent GUID → attribute name → value.
    pub respondent_values: BTreeMap<String, BTreeMap<String, String>>,
    /// Document GUID → attribute name → value.
    pub document_values: BTreeMap<String, BTreeMap<String, String>>,
    /// Coder GUID → name.
    pub coder_names: BTreeMap<CoderId, String>,
    /// GUIDs of the coders of the considered codings ([`Item::coder`] indexes them).
    pub coders: Vec<CoderId>,
    /// The considered codings, by document then start.
    pub items: Vec<Item>,
    /// What the filter kept and left out, in words (copied under every table).
    pub notes: Vec<String>,
    /// Language of labels.
    pub lang: Lang,
    /// Whether the filter named codes (the word table then counts the coded passages only).
    pub code_filter: bool,
    /// Word counts by value of the `by` attribute, read by [`Selection::prepare`] for the
    /// word table (one group named "" without `by`).
    pub words: Vec<(String, crate::lexical::frequency::WordCounts)>,
    /// Name respondents by pseudonym (when they have one).
    pub pseudonyms: bool,
    /// When each considered coding was made and its memos, by [`Item::id`]: read by
    /// [`Selection::prepare`] for the quote table only (empty otherwise).
    pub coding_notes: std::collections::HashMap<i64, crate::store::excerpts::CodingNote>,
    /// For each document, the first document of its respondent (`usize::MAX` without one),
    /// worked out on first use by [`Selection::count_respondents`].
    pub(super) respondent_owner: std::sync::OnceLock<Vec<usize>>,
    /// For each code, the items coded with exactly it, worked out on first use by
    /// [`Selection::items_of_code`].
    pub(super) code_items: std::sync::OnceLock<Vec<Vec<usize>>>,
}

impl Selection {
    /// Reads the text of every document holding a considered coding (once), in one pass
    /// over the documents table.
    pub fn load_texts(&mut self, conn: &rusqlite::Connection) -> AnalysisResult<()> {
        let docs: Vec<usize> = self.items.iter().map(|i| i.doc).collect();
        self.load_texts_of(conn, &docs)
    }

    /// Reads the texts of these documents (indices in [`Selection::documents`]) not read
    /// yet, in one pass over the documents table.
    pub fn load_texts_of(
        &mut self,
        conn: &rusqlite::Connection,
        docs: &[usize],
    ) -> AnalysisResult<()> {
        if self.texts.len() != self.documents.len() {
            self.texts = vec![String::new(); self.documents.len()];
        }
        if self.char_indexes.len() != self.documents.len() {
            self.char_indexes = vec![CharIndex::default(); self.documents.len()];
        }
        let mut needed = vec![false; self.documents.len()];
        for &d in docs {
            if d < needed.len() && self.texts[d].is_empty() {
                needed[d] = true;
            }
        }
        let loaded = map_texts(conn, &self.documents, &needed, |_, bytes| {
            std::str::from_utf8(bytes)
                .ok()
                .map(|text| (CharIndex::new(text), text.to_string()))
        })?;
        for (d, text) in loaded {
            let Some((index, text)) = text else {
                let document = self.documents[d].name.clone();
                return Err(crate::store::StoreError::from(Rule::TextNotUtf8 { document }).into());
            };
            self.char_indexes[d] = index;
            self.texts[d] = text;
        }
        Ok(())
    }

    /// Reads where the paragraphs (lines) of every document holding a considered coding
    /// start, streaming the texts without keeping them (what the co-occurrence by
    /// paragraph needs).
    pub fn load_paragraphs(&mut self, conn: &rusqlite::Connection) -> AnalysisResult<()> {
        let mut needed = vec![false; self.documents.len()];
        for item in &self.items {
            needed[item.doc] = true;
        }
        let mut starts = vec![Vec::new(); self.documents.len()];
        for (d, found) in map_texts(conn, &self.documents, &needed, |_, bytes| {
            crate::model::text::line_start_chars(bytes)
        })? {
            starts[d] = found;
        }
        self.paragraphs = starts;
        Ok(())
    }

    /// Takes paragraph starts read elsewhere, by document GUID (see
    /// [`super::texts::paragraphs_by_guid`]).
    pub fn set_paragraphs(&mut self, mut by_guid: std::collections::HashMap<String, Vec<usize>>) {
        self.paragraphs = self
            .documents
            .iter()
            .map(|d| by_guid.remove(d.guid.as_str()).unwrap_or_default())
            .collect();
    }

    /// Where the paragraphs of document `doc` start (char offsets), from
    /// [`Selection::load_paragraphs`] or else from its loaded text.
    pub fn paragraph_starts(&self, doc: usize) -> std::borrow::Cow<'_, [usize]> {
        match self.paragraphs.get(doc) {
            Some(starts) if !starts.is_empty() => std::borrow::Cow::Borrowed(starts),
            _ => std::borrow::Cow::Owned(paragraph_starts(
                self.texts.get(doc).map(String::as_str).unwrap_or(""),
            )),
        }
    }

    /// Reads the text of these `(document, start, end)` ranges, streaming the documents'
    /// texts without keeping them: [`Selection::text_range`] then answers for exactly these
    /// ranges (what tables quoting a few passages of many documents need).
    pub fn load_quotes(
        &mut self,
        conn: &rusqlite::Connection,
        ranges: &[(usize, usize, usize)],
    ) -> AnalysisResult<()> {
        let mut by_doc: BTreeMap<usize, Vec<(usize, usize)>> = BTreeMap::new();
        for &(d, s, e) in ranges {
            if !self.quotes.contains_key(&(d, s, e)) {
                by_doc.entry(d).or_default().push((s, e));
            }
        }
        let mut needed = vec![false; self.documents.len()];
        for &d in by_doc.keys() {
            if let Some(n) = needed.get_mut(d) {
                *n = true;
            }
        }
        let found = map_texts(conn, &self.documents, &needed, |d, bytes| {
            quote_ranges(bytes, by_doc.get(&d).map(Vec::as_slice).unwrap_or(&[]))
        })?;
        for (d, quotes) in found {
            for ((s, e), quote) in quotes {
                self.quotes.insert((d, s, e), quote);
            }
        }
        Ok(())
    }

    /// Loads what a table kind reads besides the codings: nothing for the counts, the
    /// paragraph starts for co-occurrence by paragraph, the quoted passages for the
    /// controversy and orientation tables, every coded text with the codings' dates and
    /// memos for the quote table.
    pub fn prepare(
        &mut self,
        conn: &rusqlite::Connection,
        kind: super::TableKind,
        options: &super::TableOptions,
    ) -> AnalysisResult<()> {
        use super::TableKind;
        match kind {
            TableKind::Frequencies
            | TableKind::Matrix
            | TableKind::RespondentMatrix
            | TableKind::Crosstab => Ok(()),
            TableKind::Quotes => {
                self.coding_notes = crate::store::excerpts::coding_notes(conn)?;
                self.load_texts(conn)
            }
            TableKind::Cooccurrence => match options.cooccurrence {
                super::CooccurrenceMode::Paragraph => self.load_paragraphs(conn),
                super::CooccurrenceMode::Overlap => Ok(()),
            },
            TableKind::Controversies => {
                let ranges = super::balance::quoted_ranges(self);
                self.load_quotes(conn, &ranges)
            }
            TableKind::Orientations => {
                let ranges = super::orientations::quoted_ranges(self);
                self.load_quotes(conn, &ranges)
            }
            TableKind::Words => {
                self.words = super::words::count(self, conn, options.by.as_deref())?;
                Ok(())
            }
        }
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
            AttributeScope::Respondent => self
                .respondent_values
                .get(d.respondent_guid.as_ref()?.as_str())?,
            AttributeScope::Document => self.document_values.get(d.guid.as_str())?,
        };
        values
            .get(&attribute.name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }

    /// The value of `attribute` for a respondent (respondent attributes only).
    pub fn respondent_attribute(
        &self,
        attribute: &Attribute,
        respondent: &RespondentId,
    ) -> Option<&str> {
        if attribute.scope != AttributeScope::Respondent {
            return None;
        }
        self.respondent_values
            .get(respondent.as_str())?
            .get(&attribute.name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }

    /// GUID of the respondent of a considered coding, if its document has one.
    pub fn respondent_of(&self, item: &Item) -> Option<&RespondentId> {
        self.documents.get(item.doc)?.respondent_guid.as_ref()
    }

    /// How a respondent is named in tables: the pseudonym when asked for and set, else the
    /// name.
    pub fn respondent_label(&self, guid: &RespondentId) -> String {
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
        self.text_range(item.doc, item.start_char, item.end_char)
    }

    /// GUID of the coder of a considered coding.
    pub fn coder_of(&self, item: &Item) -> &str {
        self.coders
            .get(item.coder)
            .map(CoderId::as_str)
            .unwrap_or("")
    }

    /// Chars `[start, end)` of a document's text (empty when out of range or not loaded).
    pub fn text_range(&self, doc: usize, start_char: usize, end_char: usize) -> &str {
        if let Some(quote) = self.quotes.get(&(doc, start_char, end_char)) {
            return quote;
        }
        let Some(text) = self.texts.get(doc) else {
            return "";
        };
        match self.char_indexes.get(doc) {
            Some(index) if index.len_chars() > 0 || text.is_empty() => {
                index.slice(text, start_char, end_char)
            }
            _ => slice_chars(text, start_char, end_char),
        }
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
            if rollup {
                for c in self.counted_codes(item, rollup) {
                    out[c].push(i);
                }
            } else {
                // Its own code only: no list of codes to build per item.
                out[item.code].push(i);
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

    /// Indices of the items coded with exactly `code` (no rollup), in corpus order.
    pub fn items_of_code(&self, code: usize) -> &[usize] {
        self.code_items
            .get_or_init(|| self.buckets(false))
            .get(code)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Number of distinct respondents of a set of items (documents of one respondent counted
    /// once; documents without one not at all). Compares document indices, not GUIDs.
    pub fn count_respondents(&self, items: &[usize]) -> usize {
        // Documents of the same respondent share the index of the first one (worked out once).
        let owner = self.respondent_owner.get_or_init(|| {
            let mut first_doc: BTreeMap<&RespondentId, usize> = BTreeMap::new();
            let mut owner = vec![usize::MAX; self.documents.len()];
            for (d, doc) in self.documents.iter().enumerate() {
                if let Some(r) = doc.respondent_guid.as_ref() {
                    owner[d] = *first_doc.entry(r).or_insert(d);
                }
            }
            owner
        });
        let mut seen: Vec<usize> = items
            .iter()
            .map(|&i| owner[self.items[i].doc])
            .filter(|&o| o != usize::MAX)
            .collect();
        seen.sort_unstable();
        seen.dedup();
        seen.len()
    }

    /// Distinct respondents of a set of items, sorted.
    pub fn respondents_of(&self, items: &[usize]) -> BTreeSet<&RespondentId> {
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

/// The quotes of `ranges` (char offsets) in a text streamed as bytes, each with its range
/// (see [`crate::model::text::slices`]; an invalid or out-of-range slice quotes as empty).
fn quote_ranges(bytes: &[u8], ranges: &[(usize, usize)]) -> Vec<((usize, usize), String)> {
    crate::model::text::slices(bytes, ranges)
        .into_iter()
        .zip(ranges)
        .map(|(quote, &range)| (range, quote.unwrap_or("").to_string()))
        .collect()
}

/// Where the paragraphs (lines) of `text` start: `starts[k]` is the char offset where
/// paragraph `k` starts.
pub fn paragraph_starts(text: &str) -> Vec<usize> {
    crate::model::text::line_start_chars(text.as_bytes())
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
