//! Controversy balance: for each controversy (a code of kind `controversy` whose two
//! children of kind `pole` are the sides of the tension), how many excerpts and respondents
//! take each side, overall and by the values of a chosen attribute, with the most
//! representative passages of each side (see [`super::passages`] for how they are chosen).
//!
//! Excerpts coded on the controversy itself take no side: they are counted apart ("no
//! side") and left out of the shares. Shares: pole A / (A + B) and pole B / (A + B).

use serde::Serialize;
use std::collections::BTreeSet;

use super::passages::{REPRESENTATIVE_COUNT, coder_list, passages, representative};
use super::selection::{Selection, sort_values};
use super::table::{Cell, Table};
use super::{AnalysisResult, Lang};
use crate::model::CodeKind;

/// The balance of one controversy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ControversyBalance {
    /// Index of the controversy in [`Selection::codes`].
    pub controversy: usize,
    /// Its poles (at most two, in codebook order).
    pub poles: Vec<usize>,
    /// Excerpts per pole.
    pub excerpts: Vec<usize>,
    /// Distinct respondents per pole.
    pub respondents: Vec<usize>,
    /// Excerpts coded on the controversy itself.
    pub no_side: usize,
}

/// Item indices coded with exactly `code`.
fn items_of(sel: &Selection, code: usize) -> Vec<usize> {
    sel.items_of_code(code).to_vec()
}

/// The balance of every shown controversy, in codebook order.
pub fn balances(sel: &Selection) -> Vec<ControversyBalance> {
    (0..sel.codes.len())
        .filter(|&c| sel.codes[c].kind == CodeKind::Controversy)
        .map(|c| {
            let poles: Vec<usize> = sel
                .children_of_kind(c, CodeKind::Pole)
                .into_iter()
                .take(2)
                .collect();
            let per_pole: Vec<Vec<usize>> = poles.iter().map(|&p| items_of(sel, p)).collect();
            ControversyBalance {
                controversy: c,
                excerpts: per_pole.iter().map(Vec::len).collect(),
                respondents: per_pole
                    .iter()
                    .map(|items| sel.count_respondents(items))
                    .collect(),
                poles,
                no_side: items_of(sel, c).len(),
            }
        })
        .collect()
}

fn share(part: usize, whole: usize) -> Cell {
    if whole == 0 {
        Cell::Empty
    } else {
        Cell::Percent(part as f64 * 100.0 / whole as f64)
    }
}

fn pole_name(sel: &Selection, b: &ControversyBalance, k: usize) -> Cell {
    b.poles
        .get(k)
        .map(|&p| Cell::from(sel.codes[p].name.as_str()))
        .unwrap_or(Cell::Empty)
}

fn count(v: &[usize], k: usize) -> usize {
    v.get(k).copied().unwrap_or(0)
}

/// The overall balance table.
pub fn balance_table(sel: &Selection) -> Table {
    let l = sel.lang;
    let mut table = Table::new(
        l.pick("Équilibre des controverses", "Controversy balance"),
        [
            l.pick("Controverse", "Controversy"),
            l.pick("Pôle A", "Pole A"),
            l.pick("Extraits A", "Excerpts A"),
            l.pick("Répondants A", "Respondents A"),
            l.pick("Pôle B", "Pole B"),
            l.pick("Extraits B", "Excerpts B"),
            l.pick("Répondants B", "Respondents B"),
            l.pick("Sans pôle", "No side"),
            l.pick("% A", "% A"),
            l.pick("% B", "% B"),
        ]
        .map(String::from)
        .to_vec(),
    );
    for b in balances(sel) {
        let (a, bb) = (count(&b.excerpts, 0), count(&b.excerpts, 1));
        table.rows.push(vec![
            Cell::from(sel.codes[b.controversy].name.as_str()),
            pole_name(sel, &b, 0),
            Cell::from(a),
            Cell::from(count(&b.respondents, 0)),
            pole_name(sel, &b, 1),
            Cell::from(bb),
            Cell::from(count(&b.respondents, 1)),
            Cell::from(b.no_side),
            share(a, a + bb),
            share(bb, a + bb),
        ]);
    }
    table.notes = sel.notes_with([l
        .pick(
            "% A = extraits A / (A + B). « Sans pôle » : extraits codés sur la controverse elle-même.",
            "% A = excerpts A / (A + B). “No side”: excerpts coded on the controversy itself.",
        )
        .to_string()]);
    table
}

/// The balance by the values of an attribute: one row per controversy and value.
pub fn balance_by_table(sel: &Selection, attribute: &str) -> AnalysisResult<Table> {
    let l = sel.lang;
    let attr = sel.find_attribute(attribute)?.clone();
    let none = sel.none_label();
    // A document's excerpts share its value: looked up once per document, not per excerpt.
    let doc_value: Vec<Option<&str>> = (0..sel.documents.len())
        .map(|d| sel.attribute_value(&attr, d))
        .collect();
    let value_of = |i: usize| doc_value[sel.items[i].doc];
    let mut values: Vec<String> = (0..sel.items.len())
        .filter_map(value_of)
        .map(str::to_string)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    sort_values(&mut values);
    let mut groups: Vec<Option<String>> = values.into_iter().map(Some).collect();
    if (0..sel.items.len()).any(|i| value_of(i).is_none()) {
        groups.push(None);
    }
    let mut table = Table::new(
        format!(
            "{} {}",
            l.pick("Équilibre des controverses par", "Controversy balance by"),
            attr.name
        ),
        vec![
            l.pick("Controverse", "Controversy").to_string(),
            attr.name.clone(),
            l.pick("Pôle A", "Pole A").to_string(),
            l.pick("Extraits A", "Excerpts A").to_string(),
            l.pick("Pôle B", "Pole B").to_string(),
            l.pick("Extraits B", "Excerpts B").to_string(),
            l.pick("% A", "% A").to_string(),
            l.pick("% B", "% B").to_string(),
        ],
    );
    for b in balances(sel) {
        let per_pole: Vec<Vec<usize>> = b.poles.iter().map(|&p| items_of(sel, p)).collect();
        for group in &groups {
            let in_group = |items: &Vec<usize>| {
                items
                    .iter()
                    .filter(|&&i| value_of(i) == group.as_deref())
                    .count()
            };
            let counts: Vec<usize> = per_pole.iter().map(in_group).collect();
            let (a, bb) = (count(&counts, 0), count(&counts, 1));
            table.rows.push(vec![
                Cell::from(sel.codes[b.controversy].name.as_str()),
                Cell::from(group.clone().unwrap_or_else(|| none.clone())),
                pole_name(sel, &b, 0),
                Cell::from(a),
                pole_name(sel, &b, 1),
                Cell::from(bb),
                share(a, a + bb),
                share(bb, a + bb),
            ]);
        }
    }
    table.notes = sel.notes_with([match attr.scope {
        crate::model::AttributeScope::Respondent => l
            .pick(
                "Valeur de l'attribut du répondant.",
                "Value of the respondent's attribute.",
            )
            .to_string(),
        crate::model::AttributeScope::Document => l
            .pick(
                "Valeur de l'attribut du document.",
                "Value of the document's attribute.",
            )
            .to_string(),
    }]);
    Ok(table)
}

/// The passages quoted by [`representative_table`] as `(document, start, end)`: the only
/// text the controversy tables need (see [`Selection::load_quotes`]).
pub fn quoted_ranges(sel: &Selection) -> Vec<(usize, usize, usize)> {
    balances(sel)
        .iter()
        .flat_map(|b| b.poles.clone())
        .flat_map(|pole| {
            let found = passages(sel, &items_of(sel, pole));
            representative(sel, &found, REPRESENTATIVE_COUNT)
                .into_iter()
                .map(|p| (p.doc, p.start_char, p.end_char))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The most representative passages of each pole.
pub fn representative_table(sel: &Selection) -> Table {
    let l = sel.lang;
    let mut table = Table::new(
        l.pick(
            "Extraits représentatifs des pôles",
            "Representative excerpts of each pole",
        ),
        [
            l.pick("Controverse", "Controversy"),
            l.pick("Pôle", "Pole"),
            l.pick("Rang", "Rank"),
            l.pick("Répondant", "Respondent"),
            l.pick("Document", "Document"),
            l.pick("Début", "Start"),
            l.pick("Fin", "End"),
            l.pick("Codeurs", "Coders"),
            l.pick("Accord (caractères)", "Agreement (characters)"),
            l.pick("Extrait", "Excerpt"),
        ]
        .map(String::from)
        .to_vec(),
    );
    for b in balances(sel) {
        for &pole in &b.poles {
            let found = passages(sel, &items_of(sel, pole));
            for (rank, p) in representative(sel, &found, REPRESENTATIVE_COUNT)
                .into_iter()
                .enumerate()
            {
                let doc = &sel.documents[p.doc];
                table.rows.push(vec![
                    Cell::from(sel.codes[b.controversy].name.as_str()),
                    Cell::from(sel.codes[pole].name.as_str()),
                    Cell::from(rank + 1),
                    Cell::from(
                        doc.respondent_guid
                            .as_ref()
                            .map(|r| sel.respondent_label(r))
                            .unwrap_or_else(|| sel.none_label()),
                    ),
                    Cell::from(doc.name.as_str()),
                    Cell::from(p.start_char),
                    Cell::from(p.end_char),
                    Cell::from(coder_list(sel, p)),
                    Cell::from(p.agreement_chars),
                    Cell::from(sel.text_range(p.doc, p.start_char, p.end_char)),
                ]);
            }
        }
    }
    // « Début » and « Fin » above.
    table.offset_columns = vec![5, 6];
    table.notes = sel.notes_with([representative_note(l)]);
    table
}

fn representative_note(l: Lang) -> String {
    match l {
        Lang::Fr => format!(
            "Au plus {REPRESENTATIVE_COUNT} passages par pôle (extraits qui se chevauchent fusionnés), classés par nombre de codeurs, puis caractères codés par tous ces codeurs (accord), puis longueur ; un passage par répondant d'abord."
        ),
        Lang::En => format!(
            "At most {REPRESENTATIVE_COUNT} passages per pole (overlapping excerpts merged), ranked by number of coders, then characters coded by all of them (agreement), then length; one passage per respondent first."
        ),
    }
}

/// The controversy tables: the balance, the balance by `by` (when given) and the
/// representative passages.
pub fn balance_tables(sel: &Selection, by: Option<&str>) -> AnalysisResult<Vec<Table>> {
    let mut out = vec![balance_table(sel)];
    if let Some(by) = by {
        out.push(balance_by_table(sel, by)?);
    }
    out.push(representative_table(sel));
    Ok(out)
}
