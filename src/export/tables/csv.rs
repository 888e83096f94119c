//! CSV, UTF-8: the header row, then the rows (title and notes are not written, so the file
//! stays one rectangle of data). Options: `;` as separator, a BOM, and decimal commas, which
//! together make French Excel read the file right ([`CsvOptions::french_excel`]). Risky text
//! cells get a `'` in front (see [`super::neutralise`]).

use serde::{Deserialize, Serialize};
use std::io::Write;

use super::ExportResult;
use super::neutralise::neutralise;
use crate::analysis::{Cell, Table};

/// How to write CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvOptions {
    /// Field separator (`,` by default, `;` for French Excel).
    pub separator: u8,
    /// Start with a UTF-8 byte order mark (so Excel knows the encoding).
    pub bom: bool,
    /// Write decimals with a comma (`42,5`).
    pub decimal_comma: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            separator: b',',
            bom: false,
            decimal_comma: false,
        }
    }
}

impl CsvOptions {
    /// `;`, BOM and decimal commas: what French Excel expects.
    pub fn french_excel() -> CsvOptions {
        CsvOptions {
            separator: b';',
            bom: true,
            decimal_comma: true,
        }
    }
}

/// A number as CSV text: whole numbers without decimals, others as Rust writes them (the
/// shortest exact form), percentages rounded to 2 decimals; non-finite numbers empty.
pub fn number_text(value: f64, decimal_comma: bool) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let text = if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    };
    if decimal_comma {
        text.replace('.', ",")
    } else {
        text
    }
}

fn cell_text(cell: &Cell, options: &CsvOptions) -> String {
    match cell {
        Cell::Text(s) => neutralise(s).into_owned(),
        Cell::Int(i) => i.to_string(),
        Cell::Float(f) => number_text(*f, options.decimal_comma),
        Cell::Percent(p) => number_text((p * 100.0).round() / 100.0, options.decimal_comma),
        Cell::Empty => String::new(),
    }
}

/// Writes one table as CSV.
pub fn write_csv<W: Write>(table: &Table, mut out: W, options: &CsvOptions) -> ExportResult<()> {
    if options.bom {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    let mut writer = ::csv::WriterBuilder::new()
        .delimiter(options.separator)
        .flexible(true)
        .from_writer(out);
    writer.write_record(table.columns.iter().map(|c| neutralise(c).into_owned()))?;
    for row in &table.rows {
        writer.write_record(row.iter().map(|c| cell_text(c, options)))?;
    }
    writer.flush()?;
    Ok(())
}

/// One table as CSV bytes.
pub fn to_csv_bytes(table: &Table, options: &CsvOptions) -> ExportResult<Vec<u8>> {
    let mut out = Vec::new();
    write_csv(table, &mut out, options)?;
    Ok(out)
}
