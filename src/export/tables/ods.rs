//! ODS (OpenDocument spreadsheet), written by hand: a zip whose first entry is `mimetype`
//! (stored, uncompressed, no extra field), then `META-INF/manifest.xml`, `content.xml`
//! (`office:spreadsheet`, one `table:table` per table), `styles.xml` and `meta.xml`.
//!
//! Layout per sheet, as in XLSX: the title, the header (bold), the rows, an empty row, the
//! notes. Numbers are `office:value-type="float"`, percentages `"percentage"` (with a
//! `0.0 %` data style); text is `"string"`, neutralised against formula injection (see
//! [`super::neutralise`]), with line breaks as paragraphs, tabs as `text:tab` and runs of
//! spaces as `text:s`, so it reads back exactly.

use std::io::{Cursor, Write};
use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

use super::neutralise::neutralise;
use super::{ExportResult, sheet_names};
use crate::analysis::{Cell, Table};

/// The ODS media type (the `mimetype` entry).
pub const MIMETYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";

const NS: &str = concat!(
    r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
    r#"xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" "#,
    r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" "#,
    r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
    r#"xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" "#,
    r#"xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" "#,
    r#"xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:0.9""#,
);

const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"#;

/// Escapes text for XML content or attributes, dropping the characters XML 1.0 forbids.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// One line of text as the content of a `text:p`: tabs as `text:tab`, spaces that ODF
/// readers would collapse or drop (leading and trailing ones, those after a tab, and every
/// one after the first of a run) as `text:s`.
fn paragraph_content(line: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\t' => {
                out.push_str("<text:tab/>");
                i += 1;
            }
            ' ' => {
                let run = chars[i..].iter().take_while(|&&c| c == ' ').count();
                let at_end = i + run == chars.len();
                let literal = usize::from(i > 0 && chars[i - 1] != '\t' && !at_end);
                if literal == 1 {
                    out.push(' ');
                }
                if run > literal {
                    out.push_str(&format!("<text:s text:c=\"{}\"/>", run - literal));
                }
                i += run;
            }
            '\r' => i += 1,
            _ => {
                let start = i;
                while i < chars.len() && !matches!(chars[i], '\t' | ' ' | '\r') {
                    i += 1;
                }
                out.push_str(&xml_escape(&chars[start..i].iter().collect::<String>()));
            }
        }
    }
    out
}

fn string_cell(text: &str, style: Option<&str>) -> String {
    let safe = neutralise(text);
    let style = style
        .map(|s| format!(" table:style-name=\"{s}\""))
        .unwrap_or_default();
    let mut out = format!("<table:table-cell office:value-type=\"string\"{style}>");
    for line in safe.split('\n') {
        out.push_str(&format!("<text:p>{}</text:p>", paragraph_content(line)));
    }
    out.push_str("</table:table-cell>");
    out
}

fn number_cell(value: f64, display: &str, percent: bool) -> String {
    if !value.is_finite() {
        return "<table:table-cell/>".into();
    }
    if percent {
        format!(
            "<table:table-cell table:style-name=\"cePercent\" office:value-type=\"percentage\" office:value=\"{}\"><text:p>{}</text:p></table:table-cell>",
            value / 100.0,
            xml_escape(display)
        )
    } else {
        format!(
            "<table:table-cell office:value-type=\"float\" office:value=\"{value}\"><text:p>{}</text:p></table:table-cell>",
            xml_escape(display)
        )
    }
}

fn cell_xml(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => string_cell(s, None),
        Cell::Int(i) => number_cell(*i as f64, &i.to_string(), false),
        Cell::Float(f) => number_cell(*f, &cell.display(), false),
        Cell::Percent(p) => number_cell(*p, &cell.display(), true),
        Cell::Empty => "<table:table-cell/>".into(),
    }
}

fn row(cells: impl IntoIterator<Item = String>) -> String {
    let mut out = String::from("<table:table-row>");
    for c in cells {
        out.push_str(&c);
    }
    out.push_str("</table:table-row>");
    out
}

/// `content.xml` for the tables.
pub fn content_xml(tables: &[Table]) -> String {
    let mut styles = String::from(concat!(
        "<number:percentage-style style:name=\"NPercent\"><number:number number:decimal-places=\"1\" number:min-integer-digits=\"1\"/><number:text> %</number:text></number:percentage-style>",
        "<style:style style:name=\"cePercent\" style:family=\"table-cell\" style:data-style-name=\"NPercent\"/>",
        "<style:style style:name=\"ceBold\" style:family=\"table-cell\"><style:text-properties fo:font-weight=\"bold\"/></style:style>",
        "<style:style style:name=\"ceTitle\" style:family=\"table-cell\"><style:text-properties fo:font-weight=\"bold\" fo:font-size=\"13pt\"/></style:style>",
        "<style:style style:name=\"ceNote\" style:family=\"table-cell\"><style:text-properties fo:font-style=\"italic\"/></style:style>",
    ));
    let mut body = String::new();
    for (t, (table, name)) in tables.iter().zip(sheet_names(tables)).enumerate() {
        body.push_str(&format!(
            "<table:table table:name=\"{}\">",
            xml_escape(&name)
        ));
        let columns = table.columns.len().max(1);
        for c in 0..columns {
            let widest =
                std::iter::once(table.columns.get(c).map(|h| h.chars().count()).unwrap_or(0))
                    .chain(
                        table
                            .rows
                            .iter()
                            .map(|r| r.get(c).map(|x| x.display().chars().count()).unwrap_or(0)),
                    )
                    .max()
                    .unwrap_or(0)
                    .clamp(6, 60);
            let style = format!("co{t}x{c}");
            styles.push_str(&format!(
                "<style:style style:name=\"{style}\" style:family=\"table-column\"><style:table-column-properties style:column-width=\"{:.2}cm\"/></style:style>",
                widest as f64 * 0.21 + 0.3
            ));
            body.push_str(&format!(
                "<table:table-column table:style-name=\"{style}\"/>"
            ));
        }
        body.push_str(&row([string_cell(&table.title, Some("ceTitle"))]));
        body.push_str(&row(table
            .columns
            .iter()
            .map(|h| string_cell(h, Some("ceBold")))));
        for r in &table.rows {
            body.push_str(&row(r.iter().map(cell_xml)));
        }
        if !table.notes.is_empty() {
            body.push_str(&row(["<table:table-cell/>".to_string()]));
            for note in &table.notes {
                body.push_str(&row([string_cell(note, Some("ceNote"))]));
            }
        }
        body.push_str("</table:table>");
    }
    if tables.is_empty() {
        body.push_str("<table:table table:name=\"Table 1\"><table:table-column/><table:table-row><table:table-cell/></table:table-row></table:table>");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content {NS} office:version=\"1.3\"><office:automatic-styles>{styles}</office:automatic-styles><office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>\n"
    )
}

fn styles_xml() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-styles {NS} office:version=\"1.3\"><office:styles><style:default-style style:family=\"table-cell\"><style:text-properties fo:font-size=\"10pt\"/></style:default-style></office:styles></office:document-styles>\n"
    )
}

fn meta_xml() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-meta {NS} office:version=\"1.3\"><office:meta><meta:generator>Fouille/{}</meta:generator></office:meta></office:document-meta>\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// The ODS file as bytes.
pub fn to_ods_bytes(tables: &[Table]) -> ExportResult<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    zip.start_file("mimetype", stored)?;
    zip.write_all(MIMETYPE.as_bytes())?;
    zip.start_file("META-INF/manifest.xml", deflated)?;
    zip.write_all(MANIFEST.as_bytes())?;
    zip.start_file("content.xml", deflated)?;
    zip.write_all(content_xml(tables).as_bytes())?;
    zip.start_file("styles.xml", deflated)?;
    zip.write_all(styles_xml().as_bytes())?;
    zip.start_file("meta.xml", deflated)?;
    zip.write_all(meta_xml().as_bytes())?;
    Ok(zip.finish()?.into_inner())
}
