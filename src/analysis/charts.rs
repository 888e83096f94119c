//! Chart-ready series for the GUI and the SVG charts of reports: plain vectors, no drawing.
//!
//! - [`frequency_series`]: one bar per code (excerpts), with the code's colour;
//! - [`balance_series`]: one two-sided bar per controversy (pole A vs pole B);
//! - [`heatmap`]: a grid of numbers with row and column labels, for the code × respondent
//!   matrix, a cross-tab or the co-occurrence matrix.

use serde::Serialize;

use super::AnalysisResult;
use super::balance::balances;
use super::cooccurrence::{CooccurrenceMode, cooccurrence_grid};
use super::crosstab::{CrosstabSpec, crosstab_grid};
use super::frequencies::frequency_rows;
use super::matrix::matrix_grid;
use super::selection::Selection;

/// One bar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    /// Short label (the code's name).
    pub label: String,
    /// Full label (the code's path).
    pub path: String,
    /// Value.
    pub value: f64,
    /// Colour `#rrggbb`.
    pub color: String,
    /// Depth in the codebook (0 for top-level codes), for indenting.
    pub depth: usize,
}

/// One controversy as a two-sided bar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BalanceBar {
    /// The controversy's name.
    pub controversy: String,
    /// Pole A's name (empty when missing).
    pub pole_a: String,
    /// Pole B's name (empty when missing).
    pub pole_b: String,
    /// Excerpts on pole A.
    pub count_a: usize,
    /// Excerpts on pole B.
    pub count_b: usize,
    /// Pole A's colour.
    pub color_a: String,
    /// Pole B's colour.
    pub color_b: String,
}

impl BalanceBar {
    /// Share of pole A in percent (`None` when neither side has an excerpt).
    pub fn share_a(&self) -> Option<f64> {
        let total = self.count_a + self.count_b;
        (total > 0).then(|| self.count_a as f64 * 100.0 / total as f64)
    }
}

/// A grid of numbers with labels.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Heatmap {
    /// Title.
    pub title: String,
    /// Row labels (code paths).
    pub row_labels: Vec<String>,
    /// Row colours (the codes' colours).
    pub row_colors: Vec<String>,
    /// Column labels.
    pub column_labels: Vec<String>,
    /// Values, one line per row, each as long as `column_labels`.
    pub values: Vec<Vec<f64>>,
}

impl Heatmap {
    /// The largest value (0 for an empty grid).
    pub fn max_value(&self) -> f64 {
        self.values.iter().flatten().copied().fold(0.0, f64::max)
    }
}

/// Which grid [`heatmap`] draws.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeatmapSource {
    /// Code × respondent (counts, or presence 0/1).
    Matrix {
        /// Presence instead of counts.
        presence: bool,
    },
    /// Code × attribute.
    Crosstab(CrosstabSpec),
    /// Code × code.
    Cooccurrence(CooccurrenceMode),
}

/// Excerpts per code, in codebook order (folders only with `rollup`).
pub fn frequency_series(sel: &Selection, rollup: bool) -> Vec<Bar> {
    frequency_rows(sel, rollup)
        .into_iter()
        .map(|row| {
            let mut depth = 0;
            let mut current = sel.parents[row.code];
            while let Some(p) = current {
                depth += 1;
                current = if depth > 64 { None } else { sel.parents[p] };
            }
            Bar {
                label: sel.codes[row.code].name.clone(),
                path: sel.code_paths[row.code].clone(),
                value: row.excerpts as f64,
                color: sel.codes[row.code].color.clone(),
                depth,
            }
        })
        .collect()
}

/// Pole A vs pole B for every controversy.
pub fn balance_series(sel: &Selection) -> Vec<BalanceBar> {
    balances(sel)
        .into_iter()
        .map(|b| {
            let name = |k: usize| {
                b.poles
                    .get(k)
                    .map(|&p| sel.codes[p].name.clone())
                    .unwrap_or_default()
            };
            let color = |k: usize| {
                b.poles
                    .get(k)
                    .map(|&p| sel.codes[p].color.clone())
                    .unwrap_or_default()
            };
            BalanceBar {
                controversy: sel.codes[b.controversy].name.clone(),
                pole_a: name(0),
                pole_b: name(1),
                count_a: b.excerpts.first().copied().unwrap_or(0),
                count_b: b.excerpts.get(1).copied().unwrap_or(0),
                color_a: color(0),
                color_b: color(1),
            }
        })
        .collect()
}

/// A heatmap of the matrix, a cross-tab or the co-occurrences.
pub fn heatmap(sel: &Selection, source: &HeatmapSource, rollup: bool) -> AnalysisResult<Heatmap> {
    Ok(match source {
        HeatmapSource::Matrix { presence } => matrix_grid(sel, rollup, *presence),
        HeatmapSource::Crosstab(spec) => crosstab_grid(
            sel,
            &CrosstabSpec {
                rollup,
                ..spec.clone()
            },
        )?,
        HeatmapSource::Cooccurrence(mode) => cooccurrence_grid(sel, *mode, rollup),
    })
}

/// The chart shown beside a table.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub enum AnalysisChart {
    /// No chart for this table.
    #[default]
    None,
    /// Excerpts per code, or occurrences per word.
    Bars(Vec<Bar>),
    /// Pole A against pole B per controversy.
    Balance(Vec<BalanceBar>),
    /// A grid of values.
    Heat(Heatmap),
}

/// The chart of a table of `kind`, from the same selection as the table.
pub fn chart_for(
    sel: &Selection,
    kind: super::TableKind,
    options: &super::TableOptions,
) -> AnalysisResult<AnalysisChart> {
    use super::TableKind;
    Ok(match kind {
        TableKind::Frequencies => AnalysisChart::Bars(frequency_series(sel, options.rollup)),
        TableKind::Controversies => AnalysisChart::Balance(balance_series(sel)),
        TableKind::Crosstab => {
            let spec = CrosstabSpec {
                attribute: options.by.clone().unwrap_or_default(),
                rollup: options.rollup,
                unit: options.unit,
                percent: options.percent,
            };
            AnalysisChart::Heat(heatmap(
                sel,
                &HeatmapSource::Crosstab(spec),
                options.rollup,
            )?)
        }
        TableKind::Matrix => AnalysisChart::Heat(heatmap(
            sel,
            &HeatmapSource::Matrix {
                presence: options.presence,
            },
            options.rollup,
        )?),
        TableKind::Cooccurrence => AnalysisChart::Heat(heatmap(
            sel,
            &HeatmapSource::Cooccurrence(options.cooccurrence),
            options.rollup,
        )?),
        TableKind::Words => AnalysisChart::Bars(super::words::word_bars(sel, &options.words)),
        TableKind::Orientations | TableKind::Quotes | TableKind::RespondentMatrix => {
            AnalysisChart::None
        }
    })
}
