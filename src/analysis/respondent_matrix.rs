//! The codes × respondents matrix as a data table for R, SPSS or a spreadsheet: one row per
//! respondent, their attributes, then one column per code holding how many excerpts of the
//! code come from the respondent's documents (with `presence`, 1 when there is at least one
//! and 0 otherwise). The numbers are [`super::matrix`]'s, turned a quarter.
//!
//! - Rows: every respondent with a considered document, excerpts or not (a respondent
//!   without one is a row of zeros, which a statistics program must see), sorted by label;
//!   documents without a respondent have no row (a note counts their excerpts).
//! - Headers are variable names every program accepts ([`super::names::data_name`]):
//!   `repondant` (`respondent` in English), each respondent attribute, each code by its own
//!   name (its parent's name in front when two codes share a name). Integer and decimal
//!   attributes are numbers.
//! - A second table, *Variables*, gives each header its label: the attribute's name, the
//!   code's path.

use std::collections::BTreeSet;

use super::matrix::{by_label, counts};
use super::names::{data_name, unique};
use super::selection::Selection;
use super::table::{Cell, Table};
use crate::model::{Attribute, AttributeScope, AttributeType};

/// The header of the respondent column, in the table's language.
pub fn respondent_column(lang: super::Lang) -> String {
    data_name(lang.pick("Répondant", "Respondent"))
}

/// A typed value as a number when its attribute is numeric, else as text.
fn value_cell(attribute: &Attribute, value: &str) -> Cell {
    let number = value.trim().replace(',', ".");
    match attribute.value_type {
        AttributeType::Integer => number.parse::<i64>().map(Cell::Int).ok(),
        AttributeType::Decimal => number.parse::<f64>().map(Cell::Float).ok(),
        _ => None,
    }
    .unwrap_or_else(|| Cell::from(value))
}

/// The code headers: each code's own name, or its parent's and its own when the name alone
/// is taken by another row code.
fn code_names(sel: &Selection, rows: &[usize]) -> Vec<String> {
    let plain: Vec<String> = rows
        .iter()
        .map(|&c| data_name(&sel.codes[c].name))
        .collect();
    rows.iter()
        .zip(&plain)
        .map(|(&c, name)| {
            let shared = plain.iter().filter(|n| *n == name).count() > 1;
            match sel.parents[c].filter(|_| shared) {
                Some(p) => data_name(&format!("{} {}", sel.codes[p].name, sel.codes[c].name)),
                None => name.clone(),
            }
        })
        .collect()
}

/// The data table and its *Variables* table (see the module docs).
pub fn respondent_matrix(sel: &Selection, rollup: bool, presence: bool) -> Vec<Table> {
    let l = sel.lang;
    let respondents: BTreeSet<&crate::model::RespondentId> = sel
        .documents
        .iter()
        .filter_map(|d| d.respondent_guid.as_ref())
        .collect();
    let respondents = by_label(sel, respondents);
    let columns: Vec<Option<&crate::model::RespondentId>> =
        respondents.iter().copied().map(Some).collect();
    let (rows, values) = counts(sel, rollup, presence, &columns);
    let attributes: Vec<&Attribute> = sel
        .attributes
        .iter()
        .filter(|a| a.scope == AttributeScope::Respondent)
        .collect();
    let mut names: Vec<String> = attributes.iter().map(|a| data_name(&a.name)).collect();
    names.extend(code_names(sel, &rows));
    let first = respondent_column(l);
    let names = unique(names, &[first.as_str()]);
    let title = if presence {
        l.pick(
            "Répondants × codes (0 ou 1)",
            "Respondents × codes (0 or 1)",
        )
    } else {
        l.pick(
            "Répondants × codes (extraits)",
            "Respondents × codes (excerpts)",
        )
    };
    let mut header = vec![first.clone()];
    header.extend(names.iter().cloned());
    let mut data = Table::new(title, header);
    for (column, guid) in respondents.iter().enumerate() {
        let mut row = vec![Cell::from(sel.respondent_label(guid))];
        row.extend(attributes.iter().map(|a| {
            sel.respondent_attribute(a, guid)
                .map_or(Cell::Empty, |v| value_cell(a, v))
        }));
        row.extend(values.iter().map(|line| Cell::Int(line[column] as i64)));
        data.rows.push(row);
    }
    data.notes = sel.notes_with(notes(sel, rollup, presence));
    let mut variables = Table::new(
        l.pick("Variables", "Variables"),
        vec![
            l.pick("Variable", "Variable").into(),
            l.pick("Libellé", "Label").into(),
        ],
    );
    variables.rows.push(vec![
        Cell::from(first),
        Cell::from(l.pick("Répondant", "Respondent")),
    ]);
    let labels = attributes
        .iter()
        .map(|a| a.name.clone())
        .chain(rows.iter().map(|&c| sel.code_paths[c].clone()));
    for (name, label) in names.iter().zip(labels) {
        variables
            .rows
            .push(vec![Cell::from(name.as_str()), Cell::from(label)]);
    }
    vec![data, variables]
}

/// What the numbers mean, and what has no row.
fn notes(sel: &Selection, rollup: bool, presence: bool) -> Vec<String> {
    let l = sel.lang;
    let mut notes = vec![
        if presence {
            l.pick(
                "1 : au moins un extrait du code chez ce répondant ; 0 : aucun.",
                "1: at least one excerpt of the code from this respondent; 0: none.",
            )
        } else {
            l.pick(
                "Nombre d'extraits du code dans les documents du répondant.",
                "Number of excerpts of the code in the respondent's documents.",
            )
        }
        .to_string(),
    ];
    if rollup {
        notes.push(
            l.pick(
                "Les codes parents comptent aussi les extraits de leurs sous-codes.",
                "Parent codes also count the excerpts of their sub-codes.",
            )
            .to_string(),
        );
    }
    let orphans = sel
        .items
        .iter()
        .filter(|i| sel.respondent_of(i).is_none())
        .count();
    if orphans > 0 {
        notes.push(match l {
            super::Lang::Fr => format!(
                "{orphans} extrait(s) de documents sans répondant ne sont dans aucune ligne."
            ),
            super::Lang::En => {
                format!("{orphans} excerpt(s) of documents without a respondent are in no row.")
            }
        });
    }
    notes
}
