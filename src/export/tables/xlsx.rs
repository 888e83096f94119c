//! XLSX workbooks (rust_xlsxwriter): one sheet per table, the title in the first row, the
//! header in the second (bold, frozen), the rows, then the notes in italics after an empty row.
//! Text is always written as a string, never as a formula, and risky text gets a `'` in
//! front (see [`super::neutralise`]); numbers are numbers, percentages are numbers with a
//! percent format.

use rust_xlsxwriter::{Format, Workbook};

use super::neutralise::neutralise;
use super::{ExportResult, sheet_names, truncate_utf16};
use crate::analysis::{Cell, Table};

/// Excel's limit for the text of one cell, in UTF-16 units.
const MAX_CELL_UTF16: usize = 32_767;
/// Widest column, in characters.
const MAX_COLUMN_CHARS: usize = 60;

/// A text as Excel accepts it: neutralised and cut to Excel's cell limit (with `…`).
fn cell_string(text: &str) -> String {
    let safe = neutralise(text);
    if safe.encode_utf16().count() <= MAX_CELL_UTF16 {
        safe.into_owned()
    } else {
        format!("{}…", truncate_utf16(&safe, MAX_CELL_UTF16 - 1))
    }
}

/// The workbook as bytes.
pub fn to_xlsx_bytes(tables: &[Table]) -> ExportResult<Vec<u8>> {
    let mut workbook = Workbook::new();
    let title_format = Format::new().set_bold().set_font_size(13);
    let header_format = Format::new().set_bold().set_text_wrap();
    let percent_format = Format::new().set_num_format("0.0%");
    let wrap_format = Format::new().set_text_wrap();
    let note_format = Format::new().set_italic();
    let names = sheet_names(tables);
    for (table, name) in tables.iter().zip(&names) {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name.as_str())?;
        sheet.write_string_with_format(0, 0, cell_string(&table.title), &title_format)?;
        for (c, header) in table.columns.iter().enumerate() {
            sheet.write_string_with_format(1, col(c)?, cell_string(header), &header_format)?;
        }
        let mut widths: Vec<usize> = table
            .columns
            .iter()
            .map(|h| h.chars().count().min(MAX_COLUMN_CHARS))
            .collect();
        for (r, row) in table.rows.iter().enumerate() {
            let r = row_index(r + 2)?;
            for (c, cell) in row.iter().enumerate() {
                let cc = col(c)?;
                let shown = cell.display().chars().count();
                if let Some(w) = widths.get_mut(c) {
                    *w = (*w).max(shown.min(MAX_COLUMN_CHARS));
                }
                match cell {
                    Cell::Text(s) if shown > MAX_COLUMN_CHARS => {
                        sheet.write_string_with_format(r, cc, cell_string(s), &wrap_format)?;
                    }
                    Cell::Text(s) => {
                        sheet.write_string(r, cc, cell_string(s))?;
                    }
                    Cell::Int(i) => {
                        sheet.write_number(r, cc, *i as f64)?;
                    }
                    Cell::Float(f) if f.is_finite() => {
                        sheet.write_number(r, cc, *f)?;
                    }
                    Cell::Percent(p) if p.is_finite() => {
                        sheet.write_number_with_format(r, cc, p / 100.0, &percent_format)?;
                    }
                    Cell::Float(_) | Cell::Percent(_) | Cell::Empty => {}
                }
            }
        }
        for (r, note) in (table.rows.len() + 3..).zip(&table.notes) {
            sheet.write_string_with_format(row_index(r)?, 0, cell_string(note), &note_format)?;
        }
        for (c, w) in widths.iter().enumerate() {
            sheet.set_column_width(col(c)?, (*w).max(6) as f64 + 2.0)?;
        }
        sheet.set_freeze_panes(2, 0)?;
    }
    if tables.is_empty() {
        workbook.add_worksheet();
    }
    Ok(workbook.save_to_buffer()?)
}

fn col(c: usize) -> ExportResult<u16> {
    u16::try_from(c).map_err(|_| super::TableExportError::TooManyColumns(c))
}

fn row_index(r: usize) -> ExportResult<u32> {
    u32::try_from(r).map_err(|_| super::TableExportError::TooManyRows(r))
}
