//! Aligned plain text for the terminal: the title, the header, a rule, the rows (numbers
//! right-aligned, text left-aligned, line breaks shown as spaces, long text cut with `…`),
//! then the notes.

use crate::analysis::{Cell, Table};

/// Widest text cell shown, in characters.
pub const MAX_CELL_CHARS: usize = 60;

fn shown(cell: &Cell, max_chars: usize) -> String {
    let flat: String = cell
        .display()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() > max_chars {
        let cut: String = flat.chars().take(max_chars.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        flat
    }
}

/// One table as aligned text; cells longer than `max_chars` are cut.
pub fn table_text(table: &Table, max_chars: usize) -> String {
    let columns = table.columns.len();
    let header: Vec<String> = table
        .columns
        .iter()
        .map(|h| shown(&Cell::Text(h.clone()), max_chars))
        .collect();
    let body: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|r| {
            (0..columns)
                .map(|c| r.get(c).map(|x| shown(x, max_chars)).unwrap_or_default())
                .collect()
        })
        .collect();
    let numeric: Vec<bool> = (0..columns)
        .map(|c| {
            table.rows.iter().any(|r| {
                matches!(
                    r.get(c),
                    Some(Cell::Int(_) | Cell::Float(_) | Cell::Percent(_))
                )
            })
        })
        .collect();
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            body.iter()
                .map(|r| r[c].chars().count())
                .chain([header[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| -> String {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(c, s)| {
                let pad = widths[c].saturating_sub(s.chars().count());
                if numeric[c] {
                    format!("{}{s}", " ".repeat(pad))
                } else {
                    format!("{s}{}", " ".repeat(pad))
                }
            })
            .collect();
        parts.join("  ").trim_end().to_string()
    };
    let mut out = format!(
        "{}\n{}\n",
        table.title,
        "═".repeat(table.title.chars().count())
    );
    out.push_str(&line(&header));
    out.push('\n');
    out.push_str(
        &widths
            .iter()
            .map(|w| "─".repeat(*w))
            .collect::<Vec<_>>()
            .join("  "),
    );
    out.push('\n');
    for row in &body {
        out.push_str(&line(row));
        out.push('\n');
    }
    for note in &table.notes {
        out.push_str(&format!("· {note}\n"));
    }
    out
}

/// Several tables, separated by an empty line.
pub fn to_text(tables: &[Table], max_chars: usize) -> String {
    tables
        .iter()
        .map(|t| table_text(t, max_chars))
        .collect::<Vec<_>>()
        .join("\n")
}
