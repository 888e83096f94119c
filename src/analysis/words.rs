//! The word-frequency table: the most frequent words (folded: accents, case and ligatures
//! ignored, shown in their most frequent spelling) of the documents the filter keeps, or,
//! when it names codes, of the passages coded with them; optionally a column per value of
//! an attribute. Stop words (French and English, editable) are left out.

use serde::{Deserialize, Serialize};

use super::texts::map_texts;
use super::{AnalysisError, AnalysisResult, Cell, Lang, Selection, Table};
use crate::lexical::frequency::{WordCounts, WordFilter};
use crate::lexical::stopwords::StopWords;
use crate::model::text::chars_to_bytes_sorted;

/// Rows of the table when [`WordOptions::top`] is not given.
pub const DEFAULT_TOP: usize = 50;

/// Options of the word table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WordOptions {
    /// Rows shown (default [`DEFAULT_TOP`]).
    pub top: Option<usize>,
    /// Shortest word counted, in chars of its folded form (default 2).
    pub min_length: Option<usize>,
    /// Edits of the French and English stop lists, one per line (see [`stop_words`]).
    pub stop_word_edits: Vec<String>,
}

impl WordOptions {
    /// The filter these options ask for.
    pub fn filter(&self) -> WordFilter {
        WordFilter {
            stop_words: stop_words(&self.stop_word_edits),
            min_chars: self.min_length.unwrap_or(2),
            ..WordFilter::default()
        }
    }
}

/// The French and English stop words edited by `lines`: `word` or `+word` adds a word,
/// `-word` takes one out, a line `!none` starts from no list at all; blank lines and lines
/// starting `#` are skipped. Words are folded (`Être` is `etre`).
pub fn stop_words(lines: &[String]) -> StopWords {
    let mut set = StopWords::french_and_english();
    for line in lines {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line == "!none" {
            set = StopWords::none();
        } else if let Some(word) = line.strip_prefix('-') {
            set.remove(&crate::lexical::token::fold_word(word.trim()));
        } else {
            set.extend([line.strip_prefix('+').unwrap_or(line).trim()]);
        }
    }
    set
}

/// Word counts of the selection, by group: one group (named "") without `by`, else one
/// per value of the attribute `by` (documents without one: a group named "—").
pub fn count(
    sel: &Selection,
    conn: &rusqlite::Connection,
    by: Option<&str>,
) -> AnalysisResult<Vec<(String, WordCounts)>> {
    if let Some(name) = by
        && !sel
            .attributes
            .iter()
            .any(|a| a.name.eq_ignore_ascii_case(name.trim()))
    {
        return Err(sel.unknown_attribute(name));
    }
    let mut coded: Vec<Vec<(usize, usize)>> = vec![Vec::new(); sel.documents.len()];
    if sel.code_filter {
        for item in &sel.items {
            coded[item.doc].push((item.start_char, item.end_char));
        }
        for ranges in &mut coded {
            *ranges = merged(std::mem::take(ranges));
        }
    }
    let needed: Vec<bool> = (0..sel.documents.len())
        .map(|d| !sel.code_filter || !coded[d].is_empty())
        .collect();
    let counted = map_texts(conn, &sel.documents, &needed, |d, bytes| {
        let text = std::str::from_utf8(bytes).ok()?;
        let mut counts = WordCounts::new();
        if sel.code_filter {
            let bounds: Vec<usize> = coded[d].iter().flat_map(|&(s, e)| [s, e]).collect();
            let bytes = chars_to_bytes_sorted(text, &bounds);
            for pair in bytes.chunks(2) {
                if let [Some(s), Some(e)] = pair {
                    counts.add_text(&text[*s..*e]);
                }
            }
        } else {
            counts.add_text(text);
        }
        Some(counts)
    })?;
    let mut groups: std::collections::BTreeMap<String, WordCounts> = Default::default();
    for (d, counts) in counted {
        let counts = counts.ok_or_else(|| {
            AnalysisError::Store(crate::store::StoreError::Rule(
                crate::store::Rule::TextNotUtf8 {
                    document: sel.documents[d].name.clone(),
                },
            ))
        })?;
        let group = match by {
            Some(name) => value_of(sel, d, name).unwrap_or_else(|| "—".to_string()),
            None => String::new(),
        };
        groups.entry(group).or_default().merge(counts);
    }
    Ok(groups.into_iter().collect())
}

/// Sorted, overlapping or touching ranges joined.
fn merged(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    ranges.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (s, e) in ranges {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// The value of attribute `name` for document `d`: the document's own, else its
/// respondent's.
fn value_of(sel: &Selection, d: usize, name: &str) -> Option<String> {
    let doc = &sel.documents[d];
    let pick = |m: &std::collections::BTreeMap<String, String>| {
        m.iter()
            .find(|(k, v)| k.eq_ignore_ascii_case(name.trim()) && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
    };
    sel.document_values
        .get(doc.guid.as_str())
        .and_then(pick)
        .or_else(|| {
            doc.respondent_guid
                .as_ref()
                .and_then(|g| sel.respondent_values.get(g.as_str()))
                .and_then(pick)
        })
}

/// The table: word, occurrences, share of all words counted, then with `by` one column of
/// occurrences per value.
pub fn words_table(
    sel: &Selection,
    groups: &[(String, WordCounts)],
    by: Option<&str>,
    options: &WordOptions,
) -> Table {
    let lang = sel.lang;
    let mut whole = WordCounts::new();
    for (_, counts) in groups {
        whole.merge(counts.clone());
    }
    let filter = options.filter();
    let top = whole.top(options.top.unwrap_or(DEFAULT_TOP), &filter);
    let mut columns = vec![
        lang.pick("Mot", "Word").to_string(),
        lang.pick("Occurrences", "Occurrences").to_string(),
        lang.pick("% des mots", "% of words").to_string(),
    ];
    if by.is_some() {
        columns.extend(groups.iter().map(|(g, _)| g.clone()));
    }
    let mut table = Table::new(
        lang.pick("Fréquences des mots", "Word frequencies"),
        columns,
    );
    for w in &top {
        let mut row = vec![
            Cell::Text(w.display.clone()),
            Cell::Int(w.count as i64),
            Cell::Percent(w.share * 100.0),
        ];
        if by.is_some() {
            row.extend(
                groups
                    .iter()
                    .map(|(_, c)| Cell::Int(c.count(&w.word) as i64)),
            );
        }
        table.rows.push(row);
    }
    table.notes = sel.notes.clone();
    table.notes.push(notes(lang, &whole, &filter));
    table
}

/// Colour of the word chart's bars (words have no colour of their own).
const WORD_BAR_COLOR: &str = "#5b7db1";

/// The word table's words as bars (occurrences, most frequent first): the same words as
/// [`words_table`] with the same options.
pub fn word_bars(sel: &Selection, options: &WordOptions) -> Vec<super::charts::Bar> {
    let mut whole = WordCounts::new();
    for (_, counts) in &sel.words {
        whole.merge(counts.clone());
    }
    whole
        .top(options.top.unwrap_or(DEFAULT_TOP), &options.filter())
        .into_iter()
        .map(|w| super::charts::Bar {
            label: w.display.clone(),
            path: w.display,
            value: w.count as f64,
            color: WORD_BAR_COLOR.to_string(),
            depth: 0,
        })
        .collect()
}

fn notes(lang: Lang, whole: &WordCounts, filter: &WordFilter) -> String {
    match lang {
        Lang::Fr => format!(
            "{} mots comptés ({} formes) ; mots vides exclus : {} ; mots de moins de {} lettres exclus.",
            whole.total(),
            whole.distinct(),
            filter.stop_words.len(),
            filter.min_chars
        ),
        Lang::En => format!(
            "{} words counted ({} forms); stop words left out: {}; words under {} letters left out.",
            whole.total(),
            whole.distinct(),
            filter.stop_words.len(),
            filter.min_chars
        ),
    }
}
