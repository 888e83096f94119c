//! How a table is laid out on the pages of a DOCX or ODT report: the width of each column
//! from what it holds, and whether the table needs a landscape page.
//!
//! Each column gets a *minimum*, the widest thing that must not be broken (a number, a
//! short name or document name kept whole, the longest word of longer text, the longest
//! word of its header), and a *natural* width, its longest line. When the naturals fit the
//! page, every column gets its natural width and text columns share what is left; else
//! every column gets its minimum and the room left goes to the columns that want more, in
//! proportion to what they lack, so quotes take the slack and numbers stay narrow. A table
//! whose minimums do not fit a portrait page goes landscape; one that fits no page is set
//! in smaller type.

use super::fonts::text_width_pt;
use crate::analysis::{Cell, Table};

/// Size of the text in table cells, in points.
pub const CELL_PT: f64 = 9.0;
/// Smallest size a table too wide for a landscape page is set in.
const SMALLEST_PT: f64 = 7.0;
/// Width of the text on an A4 portrait page with 2 cm margins (17 cm), in points.
pub const PORTRAIT_PT: f64 = 17.0 * PT_PER_CM;
/// Width of the text on an A4 landscape page with 2 cm margins (25.7 cm), in points.
pub const LANDSCAPE_PT: f64 = 25.7 * PT_PER_CM;
/// Points in a centimetre.
pub const PT_PER_CM: f64 = 72.0 / 2.54;
/// Padding on each side of a cell's text, in points (both writers use it).
pub const CELL_PADDING_PT: f64 = 4.25;
/// What a column needs besides its text: padding on both sides, the border, rounding.
const COLUMN_EXTRA_PT: f64 = 2.0 * CELL_PADDING_PT + 2.0;
/// Pieces of text up to this wide (at [`CELL_PT`]) are never broken: names of people,
/// short values (a single word, such as a document's name, is never broken anyway). About
/// 3.2 cm: wider, names of codes would be kept whole too and crowd the quotes out.
const KEEP_WHOLE_PT: f64 = 90.0;
/// A column whose longest line is wider than this holds running text (quotes, notes).
const RUNNING_TEXT_PT: f64 = 300.0;
/// The narrowest a running-text column may be (6 cm): narrower, quotes become a ribbon of
/// two words per line.
const RUNNING_TEXT_MIN_PT: f64 = 6.0 * PT_PER_CM;

/// The layout of one table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableLayout {
    /// Width of each column, padding included, in points; they add up to the text width.
    pub widths_pt: Vec<f64>,
    /// Whether the table needs a landscape page.
    pub landscape: bool,
    /// Size of the text in its cells, in points.
    pub font_pt: f64,
}

impl TableLayout {
    /// The table's whole width, in points.
    pub fn width_pt(&self) -> f64 {
        self.widths_pt.iter().sum()
    }
}

/// The number of columns a writer draws: the header's, or a longer row's.
pub fn column_count(table: &Table) -> usize {
    table
        .columns
        .len()
        .max(table.rows.iter().map(Vec::len).max().unwrap_or(0))
        .max(1)
}

/// The pieces of a cell's text that are kept whole: each comma- or semicolon-separated
/// part short enough (a name in a list of coders), else its words.
pub fn units(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        for part in split_keep(line, &[", ", "; "]) {
            if text_width_pt(part.trim(), CELL_PT, false) <= KEEP_WHOLE_PT {
                out.push(part.trim().to_string());
            } else {
                out.extend(part.split_whitespace().map(str::to_string));
            }
        }
    }
    out
}

/// `line` cut after each separator (the separator stays with the part before it).
fn split_keep<'a>(line: &'a str, separators: &[&str]) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < line.len() {
        if let Some(sep) = separators.iter().find(|s| line[i..].starts_with(**s)) {
            parts.push(&line[start..i + sep.len()]);
            i += sep.len();
            start = i;
        } else {
            i += line[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    parts.push(&line[start..]);
    parts
}

/// A cell's text with no-break spaces inside the pieces [`units`] keeps whole, so that a
/// word processor breaks its lines only between them (never inside « Aurélie Nguyen »).
pub fn bind(text: &str) -> String {
    text.lines()
        .map(|line| {
            split_keep(line, &[", ", "; "])
                .into_iter()
                .map(|part| {
                    let trimmed = part.trim_end();
                    if text_width_pt(trimmed, CELL_PT, false) <= KEEP_WHOLE_PT {
                        trimmed.replace(' ', "\u{a0}") + &part[trimmed.len()..]
                    } else {
                        part.to_string()
                    }
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One column's needs at [`CELL_PT`], in points of text (padding left out).
struct Needs {
    min: f64,
    natural: f64,
    numeric: bool,
    /// Holds running text (quotes): it takes a double share of the room left, since its
    /// lines make a row tall.
    running: bool,
}

fn widest(texts: impl Iterator<Item = f64>) -> f64 {
    texts.fold(0.0, f64::max)
}

fn needs(table: &Table, i: usize) -> Needs {
    let header = table.columns.get(i).map(String::as_str).unwrap_or("");
    let cells: Vec<String> = table
        .rows
        .iter()
        .filter_map(|r| r.get(i))
        .filter(|c| !matches!(c, Cell::Empty))
        .map(Cell::display)
        .collect();
    let numeric = !cells.is_empty()
        && table
            .rows
            .iter()
            .filter_map(|r| r.get(i))
            .all(|c| !matches!(c, Cell::Text(_)));
    // Measured a little wide: the word processor's rounding must never push a word over.
    let w = |s: &str, bold: bool| text_width_pt(s, CELL_PT, bold) * 1.03 + 1.0;
    let header_min = widest(header.split_whitespace().map(|word| w(word, true)));
    let header_natural = w(header, true);
    let cell_min = widest(cells.iter().flat_map(|c| units(c)).map(|u| w(&u, false)));
    let cell_natural = widest(cells.iter().flat_map(|c| c.lines().map(|l| w(l, false))));
    let natural = header_natural.max(cell_natural);
    let mut min = header_min.max(cell_min);
    if natural > RUNNING_TEXT_PT {
        min = min.max(RUNNING_TEXT_MIN_PT);
    }
    Needs {
        min,
        natural: natural.max(min),
        numeric,
        running: natural > RUNNING_TEXT_PT,
    }
}

/// Whether `table` needs a landscape page: its columns' minimums do not fit across a
/// portrait page.
pub fn needs_landscape(table: &Table) -> bool {
    let cols = column_count(table);
    let min: f64 = (0..cols).map(|i| needs(table, i).min).sum();
    min + cols as f64 * COLUMN_EXTRA_PT > PORTRAIT_PT
}

/// The layout of `table` on a page of the given orientation (the writers put every table
/// of a part on pages of one orientation: see [`needs_landscape`]).
pub fn plan(table: &Table, landscape: bool) -> TableLayout {
    let cols = column_count(table);
    let all: Vec<Needs> = (0..cols).map(|i| needs(table, i)).collect();
    let page = if landscape { LANDSCAPE_PT } else { PORTRAIT_PT };
    let room = page - cols as f64 * COLUMN_EXTRA_PT;
    let min: f64 = all.iter().map(|n| n.min).sum();
    // Too wide for the page: smaller type (widths scale with it), down to the smallest.
    let scale = if min > room {
        (room / min).max(SMALLEST_PT / CELL_PT)
    } else {
        1.0
    };
    let text = distribute(&all, room, scale);
    TableLayout {
        widths_pt: text.iter().map(|w| w + COLUMN_EXTRA_PT).collect(),
        landscape,
        font_pt: CELL_PT * scale,
    }
}

/// Text widths of the columns, adding up to `room`.
fn distribute(all: &[Needs], room: f64, scale: f64) -> Vec<f64> {
    let min: Vec<f64> = all.iter().map(|n| n.min * scale).collect();
    let natural: Vec<f64> = all.iter().map(|n| n.natural * scale).collect();
    let (sum_min, sum_natural) = (min.iter().sum::<f64>(), natural.iter().sum::<f64>());
    if sum_min >= room {
        // Even the minimums do not fit at the smallest size: shrink them all alike.
        return min.iter().map(|m| m * room / sum_min.max(1e-9)).collect();
    }
    if sum_natural <= room {
        // Everything fits on one line: text columns share the rest of the page.
        let text_total: f64 = all
            .iter()
            .zip(&natural)
            .filter(|(n, _)| !n.numeric)
            .map(|(_, w)| w)
            .sum();
        let slack = room - sum_natural;
        return all
            .iter()
            .zip(&natural)
            .map(|(n, w)| {
                let share = if text_total > 0.0 {
                    if n.numeric { 0.0 } else { w / text_total }
                } else {
                    w / sum_natural.max(1e-9)
                };
                w + slack * share
            })
            .collect();
    }
    let want: Vec<f64> = all
        .iter()
        .zip(natural.iter().zip(&min))
        .map(|(needs, (n, m))| (n - m) * if needs.running { 2.0 } else { 1.0 })
        .collect();
    let wants: f64 = want.iter().sum();
    // A column never gets more than its natural width; what it would get beyond goes to
    // the running text.
    let mut out: Vec<f64> = min
        .iter()
        .zip(&want)
        .map(|(m, w)| m + (room - sum_min) * w / wants.max(1e-9))
        .collect();
    let mut spare = 0.0;
    for (i, w) in out.iter_mut().enumerate() {
        if !all[i].running && *w > natural[i] {
            spare += *w - natural[i];
            *w = natural[i];
        }
    }
    let running = all.iter().filter(|n| n.running).count();
    for (i, w) in out.iter_mut().enumerate() {
        if running == 0 || all[i].running {
            *w += spare / if running == 0 { all.len() } else { running } as f64;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn representative() -> Table {
        let mut t = Table::new(
            "Extraits représentatifs",
            [
                "Controverse",
                "Pôle",
                "Rang",
                "Répondant",
                "Document",
                "Accord (caractères)",
                "Extrait",
            ]
            .map(String::from)
            .to_vec(),
        );
        for rank in 1..=3 {
            t.rows.push(vec![
                Cell::from("Les coopérations institutionnelles"),
                Cell::from("Intensification des connexions"),
                Cell::from(rank as usize),
                Cell::from("Aurélie Nguyen"),
                Cell::from("11-assistante-sociale"),
                Cell::from(11_733usize),
                Cell::from("On a créé pendant le premier confinement un groupe de DRH des collectivités du département, et on s’appelait toutes les semaines pour savoir qui faisait quoi."),
            ]);
        }
        t
    }

    // numbers and names get room for their whole text, the quote takes the rest
    #[test]
    fn numbers_and_names_stay_whole_and_quotes_take_the_slack() {
        let t = representative();
        let landscape = needs_landscape(&t);
        let plan = plan(&t, landscape);
        assert!((plan.width_pt() - if landscape { LANDSCAPE_PT } else { PORTRAIT_PT }).abs() < 0.5);
        let text = |i: usize| plan.widths_pt[i] - COLUMN_EXTRA_PT;
        assert!(text(2) >= text_width_pt("Rang", CELL_PT, true));
        assert!(text(3) >= text_width_pt("Aurélie Nguyen", CELL_PT, false));
        assert!(text(4) >= text_width_pt("11-assistante-sociale", CELL_PT, false));
        assert!(text(5) >= text_width_pt("(caractères)", CELL_PT, true));
        let widest = (0..7).max_by(|a, b| text(*a).total_cmp(&text(*b))).unwrap();
        assert_eq!(widest, 6, "{plan:?}");
        assert!(
            text(2) < text(3),
            "the rank column is wider than the names: {plan:?}"
        );
    }

    // a small table stays portrait and a wide one goes landscape
    #[test]
    fn wide_tables_go_landscape() {
        let mut small = Table::new("t", vec!["Code".into(), "Extraits".into()]);
        small
            .rows
            .push(vec![Cell::from("Repli"), Cell::from(3usize)]);
        assert!(!needs_landscape(&small));
        assert!(needs_landscape(&representative()));
    }

    // a list of names breaks between them, never inside one
    #[test]
    fn bind_keeps_short_pieces_whole() {
        assert_eq!(
            bind("Claire Morel, Yann Le Gall"),
            "Claire\u{a0}Morel, Yann\u{a0}Le\u{a0}Gall"
        );
        assert_eq!(
            units("Claire Morel, Yann Le Gall"),
            ["Claire Morel,", "Yann Le Gall"]
        );
        let long = "On a créé pendant le premier confinement un groupe de DRH des collectivités";
        assert_eq!(bind(long), long);
    }
}
