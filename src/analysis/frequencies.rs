//! Code frequencies: for each code, how many excerpts, documents, respondents and characters.
//!
//! - *excerpts*: codings counted for the code (two coders coding the same sentence give 2);
//! - *documents* and *respondents*: distinct ones holding at least one of those excerpts;
//! - *characters*: characters of text covered by those excerpts (overlaps counted once).
//!
//! With `rollup`, a code also counts the excerpts of all its descendants (and folders get a
//! row); without it, each excerpt counts only for its own code and folders are left out.

use serde::Serialize;
use std::collections::BTreeSet;

use super::passages::covered_chars;
use super::selection::Selection;
use super::table::{Cell, Table};

/// The figures of one code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrequencyRow {
    /// Index of the code in [`Selection::codes`].
    pub code: usize,
    /// Excerpts (codings).
    pub excerpts: usize,
    /// Distinct documents.
    pub documents: usize,
    /// Distinct respondents.
    pub respondents: usize,
    /// Characters covered.
    pub characters: usize,
}

/// The figures of every code that gets a row, in tree order.
pub fn frequency_rows(sel: &Selection, rollup: bool) -> Vec<FrequencyRow> {
    let buckets = sel.buckets(rollup);
    sel.row_codes(rollup)
        .into_iter()
        .map(|code| {
            let items = &buckets[code];
            let documents: BTreeSet<usize> = items.iter().map(|&i| sel.items[i].doc).collect();
            FrequencyRow {
                code,
                excerpts: items.len(),
                documents: documents.len(),
                respondents: sel.count_respondents(items),
                characters: covered_chars(sel, items),
            }
        })
        .collect()
}

/// The frequency table.
pub fn frequencies(sel: &Selection, rollup: bool) -> Table {
    let l = sel.lang;
    let mut table = Table::new(
        l.pick("Fréquences des codes", "Code frequencies"),
        vec![
            l.pick("Code", "Code").into(),
            l.pick("Type", "Kind").into(),
            l.pick("Extraits", "Excerpts").into(),
            l.pick("Documents", "Documents").into(),
            l.pick("Répondants", "Respondents").into(),
            l.pick("Caractères", "Characters").into(),
        ],
    );
    for row in frequency_rows(sel, rollup) {
        table.rows.push(vec![
            Cell::from(sel.code_paths[row.code].as_str()),
            Cell::from(
                crate::i18n::catalogue(l).t(crate::i18n::kind_key(sel.codes[row.code].kind)),
            ),
            Cell::from(row.excerpts),
            Cell::from(row.documents),
            Cell::from(row.respondents),
            Cell::from(row.characters),
        ]);
    }
    let total_docs: BTreeSet<usize> = sel.items.iter().map(|i| i.doc).collect();
    let all: Vec<usize> = (0..sel.items.len()).collect();
    table.rows.push(vec![
        Cell::from(l.pick("Total (tous codes)", "Total (all codes)")),
        Cell::Empty,
        Cell::from(sel.items.len()),
        Cell::from(total_docs.len()),
        Cell::from(sel.count_respondents(&all)),
        Cell::from(covered_chars(sel, &all)),
    ]);
    let mut notes = Vec::new();
    if rollup {
        notes.push(
            l.pick(
                "Les codes parents comptent aussi les extraits de leurs sous-codes.",
                "Parent codes also count the excerpts of their sub-codes.",
            )
            .to_string(),
        );
    }
    notes.push(
        l.pick(
            "Caractères : texte couvert par les extraits, chevauchements comptés une fois.",
            "Characters: text covered by the excerpts, overlaps counted once.",
        )
        .to_string(),
    );
    table.notes = sel.notes_with(notes);
    table
}
