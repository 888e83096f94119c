//! Word documents (`.docx`, Office Open XML): the text of the main document part.
//!
//! One line per paragraph (`w:p`); a table row (`w:tr`) is one line with its cells
//! separated by a tab. Inside a paragraph: `w:t` text (leading and trailing whitespace
//! dropped unless `xml:space="preserve"`, as Word does), `w:tab` → tab, `w:br`/`w:cr` →
//! line break, `w:noBreakHyphen` → `-`. Deleted tracked changes (`w:delText`, moved-from
//! text), field codes (`w:instrText`), paragraph and run properties, and the fallback
//! branch of `mc:AlternateContent` are skipped. Headers, footers, footnotes and comments
//! live in other parts and are not read. Entities from a DTD are never expanded.

use super::FormatError;
use super::encoding::{decode_xml_part, resolve_xml_reference, xml_error};
use super::safe_zip::{SafeZip, ZipLimits};
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

const MAIN_PART: &str = "word/document.xml";

/// WordprocessingML namespaces: transitional (what Word and LibreOffice write) and strict.
const W_NAMESPACES: &[&str] = &[
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];
const MC_NAMESPACE: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// Extracts the text of a `.docx` file: paragraphs separated by `\n`, table rows as lines
/// of tab-separated cells.
pub fn extract_text(bytes: &[u8]) -> Result<String, FormatError> {
    let mut zip = SafeZip::open(bytes, ZipLimits::default())?;
    let part = zip
        .find_case_insensitive(MAIN_PART)
        .ok_or(FormatError::NotWord)?;
    let xml_bytes = zip.read(&part)?;
    let xml = decode_xml_part(&xml_bytes, &part)?;
    document_xml_to_text(&xml, &part)
}

/// Which elements matter, by namespace and local name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Body,
    Paragraph,
    Text,
    Tab,
    Break,
    CarriageReturn,
    NoBreakHyphen,
    Table,
    Row,
    Cell,
    /// Element whose whole content is skipped.
    Skipped,
    /// Any other element: its content is read.
    Other,
}

fn classify(namespace: &ResolveResult<'_>, local_name: &str) -> Tag {
    let ns = match namespace {
        ResolveResult::Bound(ns) => ns.0,
        _ => return Tag::Other,
    };
    if ns == MC_NAMESPACE {
        return if local_name == "Fallback" {
            Tag::Skipped
        } else {
            Tag::Other
        };
    }
    if !W_NAMESPACES.contains(&ns) {
        return Tag::Other;
    }
    match local_name {
        "body" => Tag::Body,
        "p" => Tag::Paragraph,
        "t" => Tag::Text,
        "tab" | "ptab" => Tag::Tab,
        "br" => Tag::Break,
        "cr" => Tag::CarriageReturn,
        "noBreakHyphen" => Tag::NoBreakHyphen,
        "tbl" => Tag::Table,
        "tr" => Tag::Row,
        "tc" => Tag::Cell,
        // Properties (they hold `w:tab` tab stops, not tabs), deleted and moved-away text,
        // field codes.
        "pPr" | "rPr" | "tblPr" | "trPr" | "tcPr" | "sectPr" | "tblGrid" | "delText"
        | "instrText" | "delInstrText" | "moveFrom" | "del" => Tag::Skipped,
        _ => Tag::Other,
    }
}

/// Builds lines out of paragraphs and table rows; shared with the odt reader.
#[derive(Debug, Default)]
pub(crate) struct LineBuilder {
    lines: Vec<String>,
    /// The paragraph being read, and those it interrupts (a text box inside a paragraph).
    paragraphs: Vec<String>,
    /// Open tables, innermost last: the cells of the current row and the open cell.
    tables: Vec<TableState>,
}

#[derive(Debug, Default)]
struct TableState {
    cells: Vec<String>,
    cell: Option<String>,
}

impl LineBuilder {
    /// Starts a paragraph; one already open (a text box inside it) resumes when this one ends.
    pub(crate) fn start_paragraph(&mut self) {
        self.paragraphs.push(String::new());
    }

    /// Whether a paragraph is open (text outside paragraphs is ignored).
    pub(crate) fn in_paragraph(&self) -> bool {
        !self.paragraphs.is_empty()
    }

    /// The open paragraph's text, if any.
    pub(crate) fn paragraph_mut(&mut self) -> Option<&mut String> {
        self.paragraphs.last_mut()
    }

    /// Appends text to the open paragraph (ignored outside paragraphs).
    pub(crate) fn push_str(&mut self, text: &str) {
        if let Some(paragraph) = self.paragraphs.last_mut() {
            paragraph.push_str(text);
        }
    }

    /// Ends the open paragraph: it becomes a line, or part of the open table cell.
    pub(crate) fn end_paragraph(&mut self) {
        if let Some(paragraph) = self.paragraphs.pop() {
            self.emit(paragraph);
        }
    }

    /// Starts a table, inside the open cell if any: its rows then join that cell's text.
    pub(crate) fn start_table(&mut self) {
        self.tables.push(TableState::default());
    }

    /// Ends a table (a row left open is closed first).
    pub(crate) fn end_table(&mut self) {
        self.end_row();
        self.tables.pop();
    }

    /// Starts a row of the open table.
    pub(crate) fn start_row(&mut self) {
        if let Some(table) = self.tables.last_mut() {
            table.cells.clear();
            table.cell = None;
        }
    }

    /// Ends the open row: its cells, joined by tabs, become one line.
    pub(crate) fn end_row(&mut self) {
        self.end_cell();
        let Some(table) = self.tables.last_mut() else {
            return;
        };
        if table.cells.is_empty() {
            return;
        }
        let line = std::mem::take(&mut table.cells).join("\t");
        // The row belongs to the enclosing context: an outer cell, or the document.
        let inner = self.tables.pop();
        self.emit(line);
        if let Some(inner) = inner {
            self.tables.push(inner);
        }
    }

    /// Starts a cell of the open row.
    pub(crate) fn start_cell(&mut self) {
        if let Some(table) = self.tables.last_mut() {
            table.cell = Some(String::new());
        }
    }

    /// Ends the open cell: its text becomes one cell of the row (nothing happens outside a cell).
    pub(crate) fn end_cell(&mut self) {
        if let Some(table) = self.tables.last_mut()
            && let Some(cell) = table.cell.take()
        {
            table.cells.push(cell);
        }
    }

    /// A finished paragraph or row goes into the open cell (paragraphs of a cell are
    /// joined by a space, line breaks become spaces), or else becomes a line.
    fn emit(&mut self, text: String) {
        if let Some(table) = self.tables.last_mut()
            && let Some(cell) = table.cell.as_mut()
        {
            let flat = text.replace('\n', " ");
            if !cell.is_empty() && !flat.is_empty() {
                cell.push(' ');
            }
            cell.push_str(&flat);
            return;
        }
        self.lines.push(text);
    }

    /// The lines joined by `\n`, after closing anything left open.
    pub(crate) fn finish(mut self) -> String {
        while self.in_paragraph() {
            self.end_paragraph();
        }
        while !self.tables.is_empty() {
            self.end_table();
        }
        self.lines.join("\n")
    }
}

/// Whether an element asks for whitespace to be kept (`xml:space="preserve"`).
fn preserves_space(element: &BytesStart<'_>) -> bool {
    element.attributes().flatten().any(|attr| {
        attr.key.as_ref() == "xml:space"
            && attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.as_ref() == "preserve")
                .unwrap_or(false)
    })
}

/// The `w:type` of a `w:br` (page, column or textWrapping).
fn break_type(element: &BytesStart<'_>) -> Option<String> {
    element.attributes().flatten().find_map(|attr| {
        if attr.key.local_name().as_ref() == "type" {
            attr.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        } else {
            None
        }
    })
}

/// The text of a `w:t` element being read.
struct TextRun {
    text: String,
    preserve: bool,
}

fn document_xml_to_text(xml: &str, part: &str) -> Result<String, FormatError> {
    let mut reader = NsReader::from_str(xml);
    let mut builder = LineBuilder::default();
    // Depth inside a skipped element (0 = not skipping).
    let mut skip_depth = 0usize;
    let mut in_body = false;
    let mut saw_body = false;
    let mut text_run: Option<TextRun> = None;
    loop {
        let position = reader.buffer_position();
        let (namespace, event) = reader
            .read_resolved_event()
            .map_err(|err| xml_error(part, position, err))?;
        match event {
            Event::Start(element) => {
                if skip_depth > 0 {
                    skip_depth += 1;
                    continue;
                }
                let local = element.local_name();
                match classify(&namespace, local.as_ref()) {
                    Tag::Skipped => skip_depth = 1,
                    Tag::Body => {
                        in_body = true;
                        saw_body = true;
                    }
                    _ if !in_body => {}
                    Tag::Paragraph => builder.start_paragraph(),
                    Tag::Table => builder.start_table(),
                    Tag::Row => builder.start_row(),
                    Tag::Cell => builder.start_cell(),
                    Tag::Text => {
                        text_run = Some(TextRun {
                            text: String::new(),
                            preserve: preserves_space(&element),
                        })
                    }
                    Tag::Tab => builder.push_str("\t"),
                    Tag::NoBreakHyphen => builder.push_str("-"),
                    Tag::Break => push_break(&mut builder, break_type(&element).as_deref()),
                    Tag::CarriageReturn => builder.push_str("\n"),
                    Tag::Other => {}
                }
            }
            Event::Empty(element) => {
                if skip_depth > 0 {
                    continue;
                }
                let local = element.local_name();
                let tag = classify(&namespace, local.as_ref());
                saw_body |= tag == Tag::Body;
                if !in_body {
                    continue;
                }
                match tag {
                    Tag::Tab => builder.push_str("\t"),
                    Tag::NoBreakHyphen => builder.push_str("-"),
                    Tag::Break => push_break(&mut builder, break_type(&element).as_deref()),
                    Tag::CarriageReturn => builder.push_str("\n"),
                    // An empty paragraph is an empty line; an empty cell an empty column.
                    Tag::Paragraph => {
                        builder.start_paragraph();
                        builder.end_paragraph();
                    }
                    Tag::Cell => {
                        builder.start_cell();
                        builder.end_cell();
                    }
                    _ => {}
                }
            }
            Event::End(element) => {
                if skip_depth > 0 {
                    skip_depth -= 1;
                    continue;
                }
                let local = element.local_name();
                match classify(&namespace, local.as_ref()) {
                    Tag::Body => in_body = false,
                    _ if !in_body => {}
                    Tag::Paragraph => builder.end_paragraph(),
                    Tag::Table => builder.end_table(),
                    Tag::Row => builder.end_row(),
                    Tag::Cell => builder.end_cell(),
                    Tag::Text => {
                        if let Some(run) = text_run.take() {
                            if run.preserve {
                                builder.push_str(&run.text);
                            } else {
                                builder.push_str(run.text.trim_matches(is_xml_whitespace));
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(text) => {
                if skip_depth == 0
                    && let Some(run) = text_run.as_mut()
                {
                    run.text.push_str(&text.xml10_content());
                }
            }
            Event::CData(data) => {
                if skip_depth == 0
                    && let Some(run) = text_run.as_mut()
                {
                    run.text.push_str(&data.xml10_content());
                }
            }
            Event::GeneralRef(reference) => {
                // Resolved even where it is not kept, so an unknown entity always fails.
                let resolved = resolve_xml_reference(&reference, part)?;
                if skip_depth == 0
                    && let Some(run) = text_run.as_mut()
                {
                    run.text.push_str(&resolved);
                }
            }
            // A DTD is never read: its entities stay unknown (see above).
            Event::DocType(_) | Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    // Another XML document named word/document.xml would otherwise read as an empty text.
    if !saw_body {
        return Err(FormatError::WordWithoutBody {
            part: part.to_string(),
        });
    }
    Ok(builder.finish())
}

/// A page or column break only ends a line that has text; a text-wrapping break always
/// does.
fn push_break(builder: &mut LineBuilder, kind: Option<&str>) {
    match kind {
        Some("page") | Some("column") => {
            if let Some(paragraph) = builder.paragraph_mut()
                && !paragraph.is_empty()
                && !paragraph.ends_with('\n')
            {
                paragraph.push('\n');
            }
        }
        _ => builder.push_str("\n"),
    }
}

fn is_xml_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    fn body(inner: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:mc="{MC_NAMESPACE}"><w:body>{inner}<w:sectPr><w:pgSz w:w="11906"/></w:sectPr></w:body></w:document>"#
        )
    }

    fn text_of(inner: &str) -> Result<String, FormatError> {
        document_xml_to_text(&body(inner), "word/document.xml")
    }

    #[test]
    fn paragraphs_runs_and_whitespace() {
        let xml = r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>
            <w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Nadia : </w:t></w:r>
            <w:r><w:t> bonjour </w:t></w:r><w:r><w:tab/><w:t>fin</w:t></w:r></w:p>
            <w:p/>
            <w:p><w:r><w:t>Ligne 1</w:t><w:br/><w:t>Ligne 2</w:t><w:cr/><w:t>Ligne 3</w:t></w:r></w:p>
            <w:p><w:r><w:t>anti</w:t><w:noBreakHyphen/><w:t>âge &amp; co &#x1F605;</w:t></w:r></w:p>"#;
        assert_eq!(
            text_of(xml).unwrap(),
            "Nadia : bonjour\tfin\n\nLigne 1\nLigne 2\nLigne 3\nanti-âge & co 😅"
        );
    }

    #[test]
    fn tracked_changes_and_field_codes_are_skipped() {
        let xml = r#"<w:p><w:r><w:t xml:space="preserve">Le </w:t></w:r>
            <w:del w:id="1" w:author="A"><w:r><w:delText>vieux </w:delText></w:r></w:del>
            <w:ins w:id="2" w:author="A"><w:r><w:t xml:space="preserve">nouveau </w:t></w:r></w:ins>
            <w:moveFrom w:id="3"><w:r><w:t>parti</w:t></w:r></w:moveFrom>
            <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>
            <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>
            </w:p>"#;
        assert_eq!(text_of(xml).unwrap(), "Le nouveau 3");
    }

    #[test]
    fn tables_are_rows_of_tab_separated_cells() {
        let xml = r#"<w:p><w:r><w:t>Avant</w:t></w:r></w:p>
            <w:tbl><w:tblPr/><w:tblGrid><w:gridCol/></w:tblGrid>
              <w:tr><w:tc><w:tcPr/><w:p><w:r><w:t>A1</w:t></w:r></w:p></w:tc>
                    <w:tc><w:p><w:r><w:t>B1</w:t></w:r></w:p><w:p><w:r><w:t>suite</w:t></w:r></w:p></w:tc></w:tr>
              <w:tr><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>B2</w:t><w:br/><w:t>x</w:t></w:r></w:p></w:tc></w:tr>
            </w:tbl>
            <w:p><w:r><w:t>Après</w:t></w:r></w:p>"#;
        assert_eq!(text_of(xml).unwrap(), "Avant\nA1\tB1 suite\n\tB2 x\nAprès");
    }

    #[test]
    fn nested_table_goes_into_its_cell() {
        let xml = r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>out</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>in1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>in2</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            </w:tc><w:tc><w:p><w:r><w:t>B</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;
        assert_eq!(text_of(xml).unwrap(), "out in1\tin2\tB");
    }

    #[test]
    fn alternate_content_fallback_is_skipped() {
        let xml = r#"<w:p><w:r><w:t>Texte</w:t></w:r><w:r><mc:AlternateContent>
            <mc:Choice Requires="wps"><w:t xml:space="preserve"> choisi</w:t></mc:Choice>
            <mc:Fallback><w:t>doublon</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>"#;
        assert_eq!(text_of(xml).unwrap(), "Texte choisi");
    }

    #[test]
    fn page_breaks_do_not_add_blank_lines() {
        let xml = r#"<w:p><w:r><w:br w:type="page"/></w:r><w:r><w:t>Chapitre</w:t></w:r></w:p>
            <w:p><w:r><w:t>a</w:t><w:br w:type="page"/><w:t>b</w:t></w:r></w:p>"#;
        assert_eq!(text_of(xml).unwrap(), "Chapitre\na\nb");
    }

    #[test]
    fn other_prefix_for_the_same_namespace() {
        let xml = format!(
            r#"<x:document xmlns:x="{W}"><x:body><x:p><x:r><x:t>ok</x:t></x:r></x:p></x:body></x:document>"#
        );
        assert_eq!(document_xml_to_text(&xml, "d").unwrap(), "ok");
    }

    #[test]
    fn dtd_entities_are_never_expanded() {
        let xml = format!(
            r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"#
        );
        let err = document_xml_to_text(&xml, "word/document.xml").unwrap_err();
        assert!(err.to_string().contains("« &lol2; »"), "{err}");
    }

    #[test]
    fn malformed_xml_is_an_error() {
        let err = document_xml_to_text("<w:document><w:body><w:p>", "d.xml");
        // Unclosed elements at the end are tolerated by the reader or reported; either
        // way nothing panics. Mismatched end tags are errors.
        let _ = err;
        let err = text_of("<w:p><w:r></w:p>").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("word/document.xml is not well-formed XML"),
            "{err}"
        );
    }

    #[test]
    fn missing_document_part() {
        use std::io::Write;
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        writer
            .start_file("content.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(b"<x/>").unwrap();
        let bytes = writer.finish().unwrap().into_inner();
        let err = extract_text(&bytes).unwrap_err();
        assert_eq!(
            err.to_string(),
            "not a Word document (word/document.xml missing)"
        );
    }
}
