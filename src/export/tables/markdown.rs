//! Markdown: each table as a `##` heading, a pipe table (numeric columns right-aligned) and
//! its notes in italics. Cell text is escaped so it cannot break the table or turn into
//! markup: Markdown punctuation is backslash-escaped and line breaks become `<br>`.

use crate::analysis::{Cell, Table};

/// Escapes text for a pipe-table cell.
pub fn escape_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '|' | '<' | '>' | '*' | '_' | '`' | '[' | ']' | '#' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c if c.is_control() && c != '\t' => {}
            '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn is_numeric_column(table: &Table, c: usize) -> bool {
    let mut any = false;
    for row in &table.rows {
        match row.get(c) {
            Some(Cell::Int(_) | Cell::Float(_) | Cell::Percent(_)) => any = true,
            Some(Cell::Empty) | None => {}
            Some(Cell::Text(_)) => return false,
        }
    }
    any
}

/// One table as Markdown.
pub fn table_markdown(table: &Table) -> String {
    let mut out = format!("## {}\n\n", escape_cell(&table.title));
    let columns = table.columns.len().max(1);
    let header: Vec<String> = (0..columns)
        .map(|c| escape_cell(table.columns.get(c).map(String::as_str).unwrap_or("")))
        .collect();
    out.push_str(&format!("| {} |\n", header.join(" | ")));
    let rule: Vec<&str> = (0..columns)
        .map(|c| {
            if is_numeric_column(table, c) {
                "---:"
            } else {
                "---"
            }
        })
        .collect();
    out.push_str(&format!("| {} |\n", rule.join(" | ")));
    for row in &table.rows {
        let cells: Vec<String> = (0..columns)
            .map(|c| escape_cell(&row.get(c).map(Cell::display).unwrap_or_default()))
            .collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    if !table.notes.is_empty() {
        out.push('\n');
        for note in &table.notes {
            out.push_str(&format!("*{}*\n\n", escape_cell(note)));
        }
    } else {
        out.push('\n');
    }
    out
}

/// Several tables, one after another.
pub fn to_markdown(tables: &[Table]) -> String {
    tables
        .iter()
        .map(table_markdown)
        .collect::<Vec<_>>()
        .join("\n")
}
