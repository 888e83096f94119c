//! Code co-occurrence: which codes are found together.
//!
//! - **overlap**: the cell (A, B) counts the pairs of distinct excerpts, one counted for A
//!   and one for B, in the same document, sharing at least one character;
//! - **paragraph**: the cell (A, B) counts the paragraphs holding an excerpt counted for A
//!   and a different excerpt counted for B. A paragraph is a line of the stored text (the
//!   text between two line breaks: importers put one paragraph, speech turn or subtitle per
//!   line); an excerpt belongs to every paragraph it touches.
//!
//! The diagonal holds each code's own total: its excerpts (overlap) or the paragraphs it
//! touches (paragraph). With `rollup`, an excerpt also counts for the ancestors of its code.
//! Codes without any excerpt kept are left out of the table (a note says how many).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::charts::Heatmap;
use super::selection::Selection;
use super::table::{Cell, Table};

/// What "together" means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CooccurrenceMode {
    /// The excerpts share at least one character.
    #[default]
    Overlap,
    /// The excerpts touch the same paragraph (line).
    Paragraph,
}

impl CooccurrenceMode {
    /// Parses `overlap` / `paragraph`.
    pub fn parse(s: &str) -> Option<CooccurrenceMode> {
        match s.trim().to_lowercase().as_str() {
            "overlap" | "chevauchement" => Some(CooccurrenceMode::Overlap),
            "paragraph" | "paragraphe" => Some(CooccurrenceMode::Paragraph),
            _ => None,
        }
    }
}

/// Paragraphs `[first, last]` touched by chars `[start, end)`.
fn paragraph_span(starts: &[usize], start: usize, end: usize) -> (usize, usize) {
    let index = |offset: usize| starts.partition_point(|&s| s <= offset).saturating_sub(1);
    (index(start), index(end.saturating_sub(1).max(start)))
}

/// The full co-occurrence counts between every code (square, indexed like
/// [`Selection::codes`]).
pub fn cooccurrence_counts(
    sel: &Selection,
    mode: CooccurrenceMode,
    rollup: bool,
) -> Vec<Vec<usize>> {
    let n = sel.codes.len();
    let mut counts = vec![vec![0usize; n]; n];
    // The codes each item counts for, flattened: item i counts for
    // `flat[offsets[i]..offsets[i + 1]]` (no allocation per item).
    let mut flat: Vec<usize> = Vec::with_capacity(sel.items.len());
    let mut offsets: Vec<usize> = Vec::with_capacity(sel.items.len() + 1);
    offsets.push(0);
    for it in &sel.items {
        let start = flat.len();
        flat.push(it.code);
        if rollup {
            // Like `Selection::counted_codes`: ancestors, stopping at a cycle.
            let mut current = sel.parents.get(it.code).copied().flatten();
            while let Some(p) = current {
                if flat[start..].contains(&p) || flat.len() - start > 64 {
                    break;
                }
                flat.push(p);
                current = sel.parents.get(p).copied().flatten();
            }
        }
        offsets.push(flat.len());
    }
    let counted = |i: usize| &flat[offsets[i]..offsets[i + 1]];
    // Items are sorted by document, then start: each document's items are one run.
    let mut by_doc: Vec<(usize, Vec<usize>)> = Vec::new();
    for (i, it) in sel.items.iter().enumerate() {
        match by_doc.last_mut() {
            Some((doc, items)) if *doc == it.doc => items.push(i),
            _ => by_doc.push((it.doc, vec![i])),
        }
    }
    match mode {
        CooccurrenceMode::Overlap => {
            for i in 0..sel.items.len() {
                for &a in counted(i) {
                    counts[a][a] += 1;
                }
            }
            for (_, items) in &by_doc {
                // Items are sorted by start within a document.
                for (k, &x) in items.iter().enumerate() {
                    let end_x = sel.items[x].end_char;
                    for &y in &items[k + 1..] {
                        if sel.items[y].start_char >= end_x {
                            break;
                        }
                        // Ordered pairs (x in a, y in b) and (y in a, x in b).
                        for (p, q) in [(x, y), (y, x)] {
                            for &a in counted(p) {
                                for &b in counted(q) {
                                    if a != b {
                                        counts[a][b] += 1;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        CooccurrenceMode::Paragraph => {
            for (doc, items) in &by_doc {
                let doc = *doc;
                let starts = sel.paragraph_starts(doc);
                // Paragraph → items touching it.
                let mut in_paragraph: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
                for &i in items {
                    let c = &sel.items[i];
                    let (first, last) = paragraph_span(&starts, c.start_char, c.end_char);
                    for p in first..=last {
                        in_paragraph.entry(p).or_default().push(i);
                    }
                }
                for members in in_paragraph.values() {
                    // Code → items of this paragraph counted for it.
                    let mut holders: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
                    for &i in members {
                        for &a in counted(i) {
                            holders.entry(a).or_default().push(i);
                        }
                    }
                    for (&a, xs) in &holders {
                        counts[a][a] += 1;
                        for (&b, ys) in &holders {
                            let distinct = xs.len() > 1 || ys.len() > 1 || xs[0] != ys[0];
                            if a != b && distinct {
                                counts[a][b] += 1;
                            }
                        }
                    }
                }
            }
        }
    }
    counts
}

/// The co-occurrence matrix for a heatmap (codes with at least one excerpt).
pub fn cooccurrence_grid(sel: &Selection, mode: CooccurrenceMode, rollup: bool) -> Heatmap {
    let counts = cooccurrence_counts(sel, mode, rollup);
    let codes: Vec<usize> = sel
        .row_codes(rollup)
        .into_iter()
        .filter(|&c| counts[c][c] > 0)
        .collect();
    Heatmap {
        title: match mode {
            CooccurrenceMode::Overlap => sel.lang.pick(
                "Co-occurrences (extraits qui se chevauchent)",
                "Co-occurrence (overlapping excerpts)",
            ),
            CooccurrenceMode::Paragraph => sel.lang.pick(
                "Co-occurrences (même paragraphe)",
                "Co-occurrence (same paragraph)",
            ),
        }
        .to_string(),
        row_labels: codes.iter().map(|&c| sel.code_paths[c].clone()).collect(),
        row_colors: codes.iter().map(|&c| sel.codes[c].color.clone()).collect(),
        column_labels: codes.iter().map(|&c| sel.code_paths[c].clone()).collect(),
        values: codes
            .iter()
            .map(|&a| codes.iter().map(|&b| counts[a][b] as f64).collect())
            .collect(),
    }
}

/// The co-occurrence table.
pub fn cooccurrence(sel: &Selection, mode: CooccurrenceMode, rollup: bool) -> Table {
    let l = sel.lang;
    let grid = cooccurrence_grid(sel, mode, rollup);
    let mut header = vec![l.pick("Code", "Code").to_string()];
    header.extend(grid.column_labels.iter().cloned());
    let mut table = Table::new(grid.title.clone(), header);
    for (label, line) in grid.row_labels.iter().zip(&grid.values) {
        let mut row = vec![Cell::from(label.as_str())];
        row.extend(line.iter().map(|v| Cell::Int(*v as i64)));
        table.rows.push(row);
    }
    let left_out = sel.row_codes(rollup).len() - grid.row_labels.len();
    let mut notes = vec![match mode {
        CooccurrenceMode::Overlap => l
            .pick(
                "Cellule : paires d'extraits distincts qui partagent au moins un caractère ; diagonale : extraits du code.",
                "Cell: pairs of distinct excerpts sharing at least one character; diagonal: the code's excerpts.",
            )
            .to_string(),
        CooccurrenceMode::Paragraph => l
            .pick(
                "Cellule : paragraphes (lignes) où figurent les deux codes ; diagonale : paragraphes du code.",
                "Cell: paragraphs (lines) holding both codes; diagonal: the code's paragraphs.",
            )
            .to_string(),
    }];
    if left_out > 0 {
        notes.push(match l {
            super::Lang::Fr => format!("{left_out} code(s) sans extrait retenu omis."),
            super::Lang::En => format!("{left_out} code(s) without any excerpt kept left out."),
        });
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
    table.notes = sel.notes_with(notes);
    table
}
