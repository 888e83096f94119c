//! The synthesis part of a report: the analysis tables and charts that go with a chosen
//! grouping, computed on the same population as the excerpts (same coders and codes;
//! respondents who withdrew consent left out).

use rusqlite::Connection;

use super::model::{GroupBy, ReportOptions};
use super::svg::{self, Chart};
use crate::analysis::charts::{HeatmapSource, balance_series, frequency_series, heatmap};
use crate::analysis::crosstab::CrosstabSpec;
use crate::analysis::filter::AnalysisFilter;
use crate::analysis::{
    AnalysisResult, CountUnit, PercentMode, Table, TableKind, TableOptions, compute_on,
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
    let lang = options.lang;
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
    let mut charts = Vec::new();
    let mut bars: Vec<_> = frequency_series(&sel, false)
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
                    label: b.path,
                    value: b.value,
                    color: b.color,
                })
                .collect(),
        }));
    }
    let balance = balance_series(&sel);
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
        let grid = heatmap(&sel, &HeatmapSource::Crosstab(spec), false)?;
        let keep: Vec<usize> = (0..grid.row_labels.len())
            .filter(|&i| grid.values[i].iter().any(|v| *v > 0.0))
            .collect();
        if !keep.is_empty() {
            charts.push(Chart::Heat(svg::HeatMap {
                title: grid.title.clone(),
                row_labels: keep.iter().map(|&i| grid.row_labels[i].clone()).collect(),
                column_labels: grid.column_labels.clone(),
                values: keep.iter().map(|&i| grid.values[i].clone()).collect(),
                color: "#1f618d".into(),
            }));
        }
    }
    Ok((tables, charts))
}
