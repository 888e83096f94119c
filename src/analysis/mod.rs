//! Analysis: pure functions from the store to plain [`Table`]s (frequencies, matrices,
//! cross-tabs, co-occurrence, controversy balance, orientation evidence).
//!
//! Every table starts from a [`Selection`]: an [`AnalysisFilter`] (coders, attribute
//! conditions, documents, codes) resolved once against the store into the live codings it
//! keeps, with the codes, documents, respondents and texts needed to describe them. The table
//! functions are then pure functions of the selection, so the GUI, the CLI and the exporters
//! all show the same numbers. [`compute`] is the one entry point taking a [`TableKind`].

pub mod balance;
pub mod charts;
pub mod cooccurrence;
pub mod crosstab;
pub mod filter;
pub mod frequencies;
pub mod matrix;
pub mod names;
pub mod orientations;
pub mod passages;
pub mod quotes;
pub mod respondent_matrix;
pub mod selection;
pub mod table;
pub mod texts;
pub mod words;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::store::StoreError;

pub use cooccurrence::CooccurrenceMode;
pub use crosstab::{CountUnit, PercentMode};
pub use filter::AnalysisFilter;
pub use selection::{Item, Selection};
pub use table::{Cell, Table};

/// Errors of the analysis.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// The store failed, or something named does not exist.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An attribute named in a filter or a `by` option does not exist.
    #[error("unknown attribute « {name} » (known: {known})")]
    UnknownAttribute {
        /// The name asked for.
        name: String,
        /// The attributes that exist, comma-separated.
        known: String,
    },
    /// A cross-tab asked for without the attribute to break down by.
    #[error("the cross-tab needs an attribute (--by)")]
    CrosstabNeedsAttribute,
    /// The thread reading half of the texts stopped before it finished.
    #[error("reading the texts failed")]
    TextReaderStopped,
}

/// Result of the analysis.
pub type AnalysisResult<T> = Result<T, AnalysisError>;

pub use crate::model::Lang;

/// The tables Fouille computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// Excerpts, documents, respondents and characters per code.
    Frequencies,
    /// Code × respondent matrix.
    Matrix,
    /// Code × attribute cross-tab.
    Crosstab,
    /// Code × code co-occurrence.
    Cooccurrence,
    /// Controversy balance (pole A vs pole B).
    Controversies,
    /// Orientation evidence (orientations and their pistes).
    Orientations,
    /// One row per coded excerpt with its code, respondent, attributes, document, coder,
    /// memo, date and exact text.
    Quotes,
    /// Respondents × codes as data: one row per respondent, attributes, then a count (or
    /// 0/1) per code.
    RespondentMatrix,
    /// The most frequent words of the texts (or of the passages coded with the filter's
    /// codes), stop words left out.
    Words,
}

impl TableKind {
    /// Every table, in the order the Analysis screen offers them.
    pub const ALL: [TableKind; 9] = [
        TableKind::Frequencies,
        TableKind::Matrix,
        TableKind::Crosstab,
        TableKind::Cooccurrence,
        TableKind::Controversies,
        TableKind::Orientations,
        TableKind::Words,
        TableKind::Quotes,
        TableKind::RespondentMatrix,
    ];
    /// Stable name used by the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            TableKind::Frequencies => "frequencies",
            TableKind::Matrix => "matrix",
            TableKind::Crosstab => "crosstab",
            TableKind::Cooccurrence => "cooccurrence",
            TableKind::Controversies => "controversies",
            TableKind::Orientations => "orientations",
            TableKind::Quotes => "quotes",
            TableKind::RespondentMatrix => "respondent-matrix",
            TableKind::Words => "words",
        }
    }
    /// Parses a stable name (`_` taken for `-`).
    pub fn parse(s: &str) -> Option<TableKind> {
        let s = s.trim().replace('_', "-");
        TableKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Options of [`compute`] (each table reads the ones that concern it).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TableOptions {
    /// Attribute to break down by: required for the cross-tab, optional for controversies
    /// (adds a table by attribute value), the role attribute for orientations (default
    /// `role`, left empty when the project has none).
    pub by: Option<String>,
    /// Roll children up into their parents (frequencies, matrices, cross-tab,
    /// co-occurrence).
    pub rollup: bool,
    /// Matrices (code × respondent, respondents × codes): presence 0/1 instead of counts.
    pub presence: bool,
    /// Cross-tab: counts or row/column percentages.
    pub percent: PercentMode,
    /// Cross-tab: count excerpts or respondents.
    pub unit: CountUnit,
    /// Co-occurrence: overlapping excerpts or same paragraph.
    pub cooccurrence: CooccurrenceMode,
    /// Name respondents by their pseudonym (when they have one).
    pub pseudonyms: bool,
    /// Word table: rows, shortest word, stop words.
    pub words: words::WordOptions,
}

/// Computes a table kind: resolves the filter, loads what the kind reads besides the codings
/// ([`Selection::prepare`]), then builds the table(s). Most kinds give one
/// table; controversies give the balance, the balance by attribute (with `by`) and the
/// representative excerpts; orientations give the summary and the supporting excerpts.
pub fn compute(
    conn: &Connection,
    kind: TableKind,
    filter: &AnalysisFilter,
    options: &TableOptions,
    lang: Lang,
) -> AnalysisResult<Vec<Table>> {
    let selection = select(conn, kind, filter, options, lang)?;
    compute_on(&selection, kind, options)
}

/// The excerpts `filter` keeps, resolved once with what a table of `kind` needs read (the
/// start of every paragraph for co-occurrence by paragraph, read on the other core while
/// the filter resolves): what [`compute_on`] and the charts work from.
pub fn select(
    conn: &Connection,
    kind: TableKind,
    filter: &AnalysisFilter,
    options: &TableOptions,
    lang: Lang,
) -> AnalysisResult<Selection> {
    let paragraphs =
        kind == TableKind::Cooccurrence && options.cooccurrence == CooccurrenceMode::Paragraph;
    let mut selection = match texts::second_connection(conn).filter(|_| paragraphs) {
        // Reading where every paragraph starts (the whole corpus) on the other core while
        // the filter resolves.
        Some(path) => {
            let (selection, starts) = std::thread::scope(|s| {
                let starts = s.spawn(|| texts::paragraphs_by_guid(&path));
                let selection = filter.resolve_without_texts(conn, lang);
                (selection, starts.join())
            });
            let mut selection = selection?;
            match starts {
                Ok(Ok(starts)) => selection.set_paragraphs(starts),
                _ => selection.prepare(conn, kind, options)?,
            }
            selection
        }
        None => {
            let mut selection = filter.resolve_without_texts(conn, lang)?;
            selection.prepare(conn, kind, options)?;
            selection
        }
    };
    selection.pseudonyms = options.pseudonyms;
    Ok(selection)
}

/// Like [`compute`], on an already resolved selection.
pub fn compute_on(
    sel: &Selection,
    kind: TableKind,
    options: &TableOptions,
) -> AnalysisResult<Vec<Table>> {
    Ok(match kind {
        TableKind::Frequencies => vec![frequencies::frequencies(sel, options.rollup)],
        TableKind::Matrix => vec![matrix::matrix(sel, options.rollup, options.presence)],
        TableKind::RespondentMatrix => {
            respondent_matrix::respondent_matrix(sel, options.rollup, options.presence)
        }
        TableKind::Quotes => vec![quotes::quote_table(sel)],
        TableKind::Crosstab => {
            let by = options
                .by
                .as_deref()
                .ok_or(AnalysisError::CrosstabNeedsAttribute)?;
            let spec = crosstab::CrosstabSpec {
                attribute: by.to_string(),
                rollup: options.rollup,
                unit: options.unit,
                percent: options.percent,
            };
            vec![crosstab::crosstab(sel, &spec)?]
        }
        TableKind::Cooccurrence => vec![cooccurrence::cooccurrence(
            sel,
            options.cooccurrence,
            options.rollup,
        )],
        TableKind::Controversies => balance::balance_tables(sel, options.by.as_deref())?,
        TableKind::Orientations => orientations::orientation_tables(sel, options.by.as_deref())?,
        TableKind::Words => vec![words::words_table(
            sel,
            &sel.words,
            options.by.as_deref(),
            &options.words,
        )],
    })
}
