//! The synthesis part of a report: the analysis tables and charts that go with a chosen
//! grouping, computed on the same population as the excerpts (same coders and codes;
//! respondents who withdrew consent left out). Codes are named by their own name, not their
//! path, as a reader expects; a name two codes share gets its parent's name before it.

use std::collections::HashMap;

use rusqlite::Connection;

use super::model::{GroupBy, ReportOptions};
use super::svg::{self, Chart};
use crate::analysis::charts::{HeatmapSource, balance_series, frequency_series, heatmap};
use crate::analysis::crosstab::CrosstabSpec;
use crate::analysis::filter::AnalysisFilter;
use crate::analysis::selection::Selection;
use crate::analysis::{
    AnalysisResult, Cell, CountUnit, PercentMode, Table, TableKind, TableOptions, compute_on,
};
use crate::model::{CodeId, CoderId};

/// Most bars in the frequency chart.
pub const MAX_BARS: usize = 25;

/// Tables and charts for a report. `by` names an attribute for the break-downs (e.g.
/// `territory`); without it, no cross-tab or heat map is drawn.
pub fn synthesis(
    conn: &Connection,
    options: &ReportOptions,
    by: Option<&str>,
) -> AnalysisResult<(Vec<Table>, Vec<Chart>)> {
    let filter = AnalysisFilter {
        coders: options.coders.iter().map(CoderId::to_string).collect(),
        codes: options.codes.iter().map(CodeId::to_string).collect(),
        ..Default::default()
    };
    let sel = filter.resolve(conn, options.lang)?;
    let table_options = TableOptions {
        by: by.map(str::to_string),
        pseudonyms: true,
        ..Default::default()
    };
    let mut tables = compute_on(&sel, TableKind::Frequencies, &table_options)?;
    match options.group_by {
        GroupBy::Controversy => {
            tables.extend(compute_on(&sel, TableKind::Controversies, &table_options)?)
        }
        GroupBy::Orientation => {
            tables.extend(compute_on(&sel, TableKind::Orientations, &table_options)?)
        }
        GroupBy::Code => {
            if by.is_some() {
                tables.extend(compute_on(&sel, TableKind::Crosstab, &table_options)?);
            }
        }
    }
    let names = code_labels(&sel);
    for table in &mut tables {
        name_codes(table, &names);
    }
    Ok((tables, charts(&sel, options, by, &names)?))
}

/// The charts: the most frequent codes, the controversies' balance (unless grouped by
/// orientation), and with `by` the codes × attribute heat map; codes named by `names`.
fn charts(
    sel: &Selection,
    options: &ReportOptions,
    by: Option<&str>,
    names: &HashMap<String, String>,
) -> AnalysisResult<Vec<Chart>> {
    let lang = options.lang;
    let mut charts = Vec::new();
    let mut bars: Vec<_> = frequency_series(sel, false)
        .into_iter()
        .filter(|b| b.value > 0.0)
        .collect();
    bars.sort_by(|a, b| b.value.total_cmp(&a.value));
    bars.truncate(MAX_BARS);
    if !bars.is_empty() {
        charts.push(Chart::Bars(svg::BarChart {
            title: lang
                .pick(
                    "Extraits par code (les plus fréquents)",
                    "Excerpts per code (most frequent)",
                )
                .to_string(),
            bars: bars
                .into_iter()
                .map(|b| svg::Bar {
                    label: names.get(&b.path).cloned().unwrap_or(b.label),
                    value: b.value,
                    color: b.color,
                })
                .collect(),
        }));
    }
    let balance = balance_series(sel);
    if !balance.is_empty() && options.group_by != GroupBy::Orientation {
        charts.push(Chart::Diverging(svg::DivergingChart {
            title: lang
                .pick("Équilibre des controverses", "Balance of the controversies")
                .to_string(),
            rows: balance
                .into_iter()
                .map(|b| svg::DivergingRow {
                    label: b.controversy,
                    left_value: b.count_a as f64,
                    right_value: b.count_b as f64,
                    left_label: b.pole_a,
                    right_label: b.pole_b,
                    left_color: b.color_a,
                    right_color: b.color_b,
                })
                .collect(),
        }));
    }
    if let Some(attribute) = by {
        let spec = CrosstabSpec {
            attribute: attribute.to_string(),
            rollup: false,
            unit: CountUnit::default(),
            percent: PercentMode::default(),
        };
        let grid = heatmap(sel, &HeatmapSource::Crosstab(spec), false)?;
        let keep: Vec<usize> = (0..grid.row_labels.len())
            .filter(|&i| grid.values[i].iter().any(|v| *v > 0.0))
            .collect();
        if !keep.is_empty() {
            charts.push(Chart::Heat(svg::HeatMap {
                title: grid.title.clone(),
                row_labels: keep
                    .iter()
                    .map(|&i| {
                        let label = &grid.row_labels[i];
                        names.get(label).unwrap_or(label).clone()
                    })
                    .collect(),
                column_labels: grid.column_labels.clone(),
                values: keep.iter().map(|&i| grid.values[i].clone()).collect(),
                color: "#1f618d".into(),
            }));
        }
    }
    Ok(charts)
}

/// How a reader calls each code, by path: its own name, or when several codes share that
/// name, as many of its ancestors' names before it (joined by « › ») as tell them apart.
pub fn code_labels(sel: &Selection) -> HashMap<String, String> {
    let chain = |i: usize| -> Vec<&str> {
        let mut names = vec![sel.codes[i].name.as_str()];
        let mut at = sel.parents.get(i).copied().flatten();
        while let Some(p) = at {
            names.push(sel.codes[p].name.as_str());
            at = sel.parents.get(p).copied().flatten();
        }
        names
    };
    let chains: Vec<Vec<&str>> = (0..sel.codes.len()).map(chain).collect();
    let label = |i: usize, depth: usize| -> String {
        let mut parts: Vec<&str> = chains[i].iter().take(depth).copied().collect();
        parts.reverse();
        parts.join(" › ")
    };
    let deepest = chains.iter().map(Vec::len).max().unwrap_or(0);
    // How many codes each label names, with `depth` names per label.
    let counts: Vec<HashMap<String, usize>> = (1..=deepest)
        .map(|depth| {
            let mut count = HashMap::new();
            for i in 0..chains.len() {
                *count.entry(label(i, depth)).or_insert(0) += 1;
            }
            count
        })
        .collect();
    (0..chains.len())
        .map(|i| {
            let depth = (1..=chains[i].len())
                .find(|&d| counts[d - 1].get(&label(i, d)) == Some(&1))
                .unwrap_or(chains[i].len());
            (sel.code_paths[i].clone(), label(i, depth))
        })
        .collect()
}

/// Writes each cell holding a code's path as [`code_labels`] names the code.
fn name_codes(table: &mut Table, names: &HashMap<String, String>) {
    for cell in table.rows.iter_mut().flatten() {
        if let Cell::Text(text) = cell
            && let Some(name) = names.get(text.as_str())
        {
            *text = name.clone();
        }
    }
}
