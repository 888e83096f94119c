//! The code × respondent matrix: for each code (rows) and respondent (columns), how many
//! excerpts of the code come from the respondent's documents, or with `presence` 1 when
//! there is at least one and 0 otherwise.
//!
//! Columns: respondents with at least one considered excerpt, by name (or pseudonym), then
//! "(none)" for excerpts in documents without a respondent, then the row total (with
//! `presence`, the number of respondents).
//!
//! The same counts, one row per respondent and with their attributes, are the data table
//! of [`super::respondent_matrix`].

use std::collections::{BTreeMap, BTreeSet};

use super::charts::Heatmap;
use super::selection::{Selection, sort_key};
use super::table::{Cell, Table};
use crate::model::RespondentId;

/// Respondents (GUIDs) sorted by the label tables show for them.
pub(super) fn by_label<'a>(
    sel: &Selection,
    respondents: BTreeSet<&'a RespondentId>,
) -> Vec<&'a RespondentId> {
    let mut out: Vec<&RespondentId> = respondents.into_iter().collect();
    out.sort_by_cached_key(|r| (sort_key(&sel.respondent_label(r)), r.to_string()));
    out
}

/// For each code that gets a row, its excerpts (or with `presence` 1 when it has any) in
/// each column: a respondent's documents, or (`None`) the documents without a respondent.
/// Returns the row codes and one line of values per row code.
pub(super) fn counts(
    sel: &Selection,
    rollup: bool,
    presence: bool,
    columns: &[Option<&RespondentId>],
) -> (Vec<usize>, Vec<Vec<f64>>) {
    let column_of: BTreeMap<Option<&RespondentId>, usize> =
        columns.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    let doc_column: Vec<Option<usize>> = sel
        .documents
        .iter()
        .map(|d| column_of.get(&d.respondent_guid.as_ref()).copied())
        .collect();
    let buckets = sel.buckets(rollup);
    let rows = sel.row_codes(rollup);
    let mut values = Vec::with_capacity(rows.len());
    for &code in &rows {
        let mut line = vec![0.0; columns.len()];
        for &i in &buckets[code] {
            if let Some(c) = doc_column[sel.items[i].doc] {
                line[c] = if presence { 1.0 } else { line[c] + 1.0 };
            }
        }
        values.push(line);
    }
    (rows, values)
}

/// The matrix as numbers (rows: codes that get a row; columns: respondents).
pub fn matrix_grid(sel: &Selection, rollup: bool, presence: bool) -> Heatmap {
    let none = sel.none_label();
    // Column keys: Some(respondent) sorted by label, then None.
    let mut columns: Vec<Option<&RespondentId>> = Vec::new();
    // Distinct respondents first (a sort key per respondent, not per excerpt), then one
    // column index per document: the loop over excerpts only reads indices.
    let mut distinct: BTreeSet<&RespondentId> = BTreeSet::new();
    let mut has_none = false;
    for item in &sel.items {
        match sel.respondent_of(item) {
            Some(r) => {
                distinct.insert(r);
            }
            None => has_none = true,
        }
    }
    columns.extend(by_label(sel, distinct).into_iter().map(Some));
    if has_none {
        columns.push(None);
    }
    let (rows, values) = counts(sel, rollup, presence, &columns);
    Heatmap {
        title: if presence {
            sel.lang.pick(
                "Codes × répondants (présence)",
                "Codes × respondents (presence)",
            )
        } else {
            sel.lang.pick("Codes × répondants", "Codes × respondents")
        }
        .to_string(),
        row_labels: rows.iter().map(|&c| sel.code_paths[c].clone()).collect(),
        row_colors: rows.iter().map(|&c| sel.codes[c].color.clone()).collect(),
        column_labels: columns
            .iter()
            .map(|c| {
                c.map(|r| sel.respondent_label(r))
                    .unwrap_or_else(|| none.clone())
            })
            .collect(),
        values,
    }
}

/// The code × respondent matrix table.
pub fn matrix(sel: &Selection, rollup: bool, presence: bool) -> Table {
    let l = sel.lang;
    let grid = matrix_grid(sel, rollup, presence);
    let mut columns = vec![l.pick("Code", "Code").to_string()];
    columns.extend(grid.column_labels.iter().cloned());
    columns.push(if presence {
        l.pick("Répondants", "Respondents").to_string()
    } else {
        l.pick("Total", "Total").to_string()
    });
    let mut table = Table::new(grid.title.clone(), columns);
    for (label, line) in grid.row_labels.iter().zip(&grid.values) {
        let mut row = vec![Cell::from(label.as_str())];
        row.extend(line.iter().map(|v| Cell::Int(*v as i64)));
        row.push(Cell::Int(line.iter().sum::<f64>() as i64));
        table.rows.push(row);
    }
    let all: Vec<usize> = (0..sel.items.len()).collect();
    let respondents_with = sel.count_respondents(&all);
    let mut notes = Vec::new();
    if presence {
        notes.push(
            l.pick(
                "1 : au moins un extrait du code chez ce répondant ; 0 : aucun.",
                "1: at least one excerpt of the code from this respondent; 0: none.",
            )
            .to_string(),
        );
    }
    if rollup {
        notes.push(
            l.pick(
                "Les codes parents comptent aussi les extraits de leurs sous-codes.",
                "Parent codes also count the excerpts of their sub-codes.",
            )
            .to_string(),
        );
    }
    notes.push(match l {
        super::Lang::Fr => {
            format!("{respondents_with} colonne(s) : répondants ayant au moins un extrait retenu.")
        }
        super::Lang::En => {
            format!("{respondents_with} column(s): respondents with at least one excerpt kept.")
        }
    });
    table.notes = sel.notes_with(notes);
    table
}
