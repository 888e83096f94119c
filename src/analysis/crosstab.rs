//! The code × attribute cross-tab (e.g. controversies by organisation type or territory).
//!
//! Rows: codes (with `rollup`, parents count their sub-codes' excerpts); columns: the values
//! of one attribute (respondent attributes first, else document attributes), sorted, then
//! "(none)" for excerpts whose respondent or document has no value, then the total.
//!
//! Unit:
//! - *excerpts*: a cell counts the excerpts of the code whose document (or its respondent)
//!   has that value;
//! - *respondents*: a cell counts the distinct respondents with at least one such excerpt.
//!
//! The total row counts everything kept in that column (each excerpt, or each respondent
//! with at least one kept excerpt, once, whatever its code), and the total column everything
//! of that code in any column. Row percentages divide by the row total, column percentages by
//! the total row (the share of that group's excerpts, or of that group's respondents).

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

use super::charts::Heatmap;
use super::selection::{Selection, sort_values};
use super::table::{Cell, Table};
use super::{AnalysisResult, Lang};

/// What the cross-tab cells count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountUnit {
    /// Excerpts.
    #[default]
    Excerpts,
    /// Distinct respondents.
    Respondents,
}

/// Counts or percentages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PercentMode {
    /// Plain counts.
    #[default]
    Counts,
    /// Each cell as a share of its row total.
    Row,
    /// Each cell as a share of its column total.
    Column,
}

/// What to cross.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CrosstabSpec {
    /// The attribute name.
    pub attribute: String,
    /// Roll sub-codes up into parents.
    pub rollup: bool,
    /// Excerpts or respondents.
    pub unit: CountUnit,
    /// Counts or percentages.
    pub percent: PercentMode,
}

/// The cross-tab in numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct CrosstabData {
    /// The attribute's name as defined.
    pub attribute: String,
    /// Column labels (values, then "(none)" if needed).
    pub columns: Vec<String>,
    /// Row codes (indices in [`Selection::codes`]).
    pub codes: Vec<usize>,
    /// Counts, rows × columns.
    pub counts: Vec<Vec<usize>>,
    /// Total of each row.
    pub row_totals: Vec<usize>,
    /// Total of each column.
    pub column_totals: Vec<usize>,
    /// Grand total.
    pub grand_total: usize,
}

/// Computes the counts of the cross-tab.
pub fn crosstab_data(sel: &Selection, spec: &CrosstabSpec) -> AnalysisResult<CrosstabData> {
    let attribute = sel.find_attribute(&spec.attribute)?.clone();
    let none = sel.none_label();
    // The value and column of each document holding a kept item (a document's excerpts
    // all share its value): the loops over excerpts then only read indices.
    let mut doc_used = vec![false; sel.documents.len()];
    for it in &sel.items {
        doc_used[it.doc] = true;
    }
    let doc_value: Vec<Option<&str>> = (0..sel.documents.len())
        .map(|d| {
            if doc_used[d] {
                sel.attribute_value(&attribute, d)
            } else {
                None
            }
        })
        .collect();
    let mut values: Vec<String> = doc_value
        .iter()
        .flatten()
        .map(|v| v.to_string())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    sort_values(&mut values);
    let has_none = (0..sel.documents.len()).any(|d| doc_used[d] && doc_value[d].is_none());
    let mut column_of: BTreeMap<Option<&str>, usize> = BTreeMap::new();
    for (i, v) in values.iter().enumerate() {
        column_of.insert(Some(v.as_str()), i);
    }
    let mut columns = values.clone();
    if has_none {
        column_of.insert(None, columns.len());
        columns.push(none);
    }
    let doc_column: Vec<usize> = doc_value
        .iter()
        .map(|v| column_of.get(v).copied().unwrap_or(0))
        .collect();
    let col = |i: usize| doc_column[sel.items[i].doc];
    let n = columns.len();
    // Counts a set of items per column and overall, in the chosen unit.
    let count = |items: &mut dyn Iterator<Item = usize>| -> (Vec<usize>, usize) {
        match spec.unit {
            CountUnit::Excerpts => {
                let mut per = vec![0; n];
                let mut total = 0;
                for i in items {
                    per[col(i)] += 1;
                    total += 1;
                }
                (per, total)
            }
            CountUnit::Respondents => {
                let mut per = vec![BTreeSet::new(); n];
                let mut all = BTreeSet::new();
                for i in items {
                    if let Some(r) = sel.respondent_of(&sel.items[i]) {
                        per[col(i)].insert(r);
                        all.insert(r);
                    }
                }
                (per.iter().map(BTreeSet::len).collect(), all.len())
            }
        }
    };
    let buckets = sel.buckets(spec.rollup);
    let codes = sel.row_codes(spec.rollup);
    let mut counts = Vec::with_capacity(codes.len());
    let mut row_totals = Vec::with_capacity(codes.len());
    for &code in &codes {
        let (per, total) = count(&mut buckets[code].iter().copied());
        counts.push(per);
        row_totals.push(total);
    }
    let (column_totals, grand_total) = count(&mut (0..sel.items.len()));
    Ok(CrosstabData {
        attribute: attribute.name,
        columns,
        codes,
        counts,
        row_totals,
        column_totals,
        grand_total,
    })
}

fn share(part: usize, whole: usize) -> Cell {
    if whole == 0 {
        Cell::Empty
    } else {
        Cell::Percent(part as f64 * 100.0 / whole as f64)
    }
}

/// The cross-tab as numbers for a heatmap (counts, or the chosen percentages).
pub fn crosstab_grid(sel: &Selection, spec: &CrosstabSpec) -> AnalysisResult<Heatmap> {
    let data = crosstab_data(sel, spec)?;
    let values = data
        .counts
        .iter()
        .enumerate()
        .map(|(r, line)| {
            line.iter()
                .enumerate()
                .map(|(c, &v)| match spec.percent {
                    PercentMode::Counts => v as f64,
                    PercentMode::Row => share(v, data.row_totals[r]).as_f64().unwrap_or(0.0),
                    PercentMode::Column => share(v, data.column_totals[c]).as_f64().unwrap_or(0.0),
                })
                .collect()
        })
        .collect();
    Ok(Heatmap {
        title: title(sel.lang, &data.attribute),
        row_labels: data
            .codes
            .iter()
            .map(|&c| sel.code_paths[c].clone())
            .collect(),
        row_colors: data
            .codes
            .iter()
            .map(|&c| sel.codes[c].color.clone())
            .collect(),
        column_labels: data.columns,
        values,
    })
}

fn title(l: Lang, attribute: &str) -> String {
    format!("{} {attribute}", l.pick("Codes ×", "Codes ×"))
}

/// The cross-tab table.
pub fn crosstab(sel: &Selection, spec: &CrosstabSpec) -> AnalysisResult<Table> {
    let l = sel.lang;
    let data = crosstab_data(sel, spec)?;
    let mut header = vec![l.pick("Code", "Code").to_string()];
    header.extend(data.columns.iter().cloned());
    header.push(l.pick("Total", "Total").to_string());
    let mut table = Table::new(title(l, &data.attribute), header);
    let cell = |part: usize, row_total: usize, column_total: usize| match spec.percent {
        PercentMode::Counts => Cell::from(part),
        PercentMode::Row => share(part, row_total),
        PercentMode::Column => share(part, column_total),
    };
    for (r, &code) in data.codes.iter().enumerate() {
        let mut row = vec![Cell::from(sel.code_paths[code].as_str())];
        for (c, &v) in data.counts[r].iter().enumerate() {
            row.push(cell(v, data.row_totals[r], data.column_totals[c]));
        }
        row.push(cell(
            data.row_totals[r],
            data.row_totals[r],
            data.grand_total,
        ));
        table.rows.push(row);
    }
    let mut total_row = vec![Cell::from(l.pick("Total", "Total"))];
    for &v in &data.column_totals {
        total_row.push(cell(v, data.grand_total, v));
    }
    total_row.push(cell(data.grand_total, data.grand_total, data.grand_total));
    table.rows.push(total_row);
    let mut notes = vec![match spec.unit {
        CountUnit::Excerpts => l.pick("Unité : extraits.", "Unit: excerpts.").to_string(),
        CountUnit::Respondents => l
            .pick(
                "Unité : répondants distincts (ayant au moins un extrait retenu).",
                "Unit: distinct respondents (with at least one excerpt kept).",
            )
            .to_string(),
    }];
    match spec.percent {
        PercentMode::Counts => {}
        PercentMode::Row => notes.push(
            l.pick(
                "Pourcentages en ligne (part du total de la ligne).",
                "Row percentages (share of the row total).",
            )
            .to_string(),
        ),
        PercentMode::Column => notes.push(
            l.pick(
                "Pourcentages en colonne (part du total de la colonne).",
                "Column percentages (share of the column total).",
            )
            .to_string(),
        ),
    }
    if spec.rollup {
        notes.push(
            l.pick(
                "Les codes parents comptent aussi les extraits de leurs sous-codes.",
                "Parent codes also count the excerpts of their sub-codes.",
            )
            .to_string(),
        );
    }
    table.notes = sel.notes_with(notes);
    Ok(table)
}
