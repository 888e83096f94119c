//! OpenDocument text (`.odt`): the text of `content.xml`.
//!
//! One line per paragraph or heading (`text:p`, `text:h`, list items included); a table
//! row is one line with its cells separated by a tab. Inside a paragraph, text split
//! across spans and links is concatenated; whitespace in the XML is collapsed as ODF
//! prescribes, and the explicit `text:s` (with its `text:c` count), `text:tab` and
//! `text:line-break` give spaces, tabs and line breaks. Comments (`office:annotation`),
//! tracked changes (deleted text), notes and index templates are skipped. Entities from
//! a DTD are never expanded.

use super::FormatError;
use super::docx::LineBuilder;
use super::encoding::{decode_xml_part, resolve_xml_reference, xml_error};
use super::safe_zip::{SafeZip, ZipLimits};
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

const CONTENT_PART: &str = "content.xml";

const OFFICE_NS: &str = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
const TEXT_NS: &str = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const TABLE_NS: &str = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
const SVG_NS: &str = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0";

/// The most spaces one `text:s` may stand for (the count comes from the file).
const MAX_SPACES: usize = 10_000;

/// Extracts the text of an `.odt` file: paragraphs and headings separated by `\n`, table
/// rows as lines of tab-separated cells.
pub fn extract_text(bytes: &[u8]) -> Result<String, FormatError> {
    let mut zip = SafeZip::open(bytes, ZipLimits::default())?;
    let part = zip
        .find_case_insensitive(CONTENT_PART)
        .ok_or(FormatError::NotOpenDocument)?;
    let xml_bytes = zip.read(&part)?;
    let xml = decode_xml_part(&xml_bytes, &part)?;
    content_xml_to_text(&xml, &part)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    /// `office:text`, the body of a text document.
    Body,
    Paragraph,
    Space,
    Tab,
    LineBreak,
    Table,
    Row,
    Cell,
    Skipped,
    Other,
}

fn classify(namespace: &ResolveResult<'_>, local_name: &str) -> Tag {
    let ns = match namespace {
        ResolveResult::Bound(ns) => ns.0,
        _ => return Tag::Other,
    };
    match (ns, local_name) {
        (OFFICE_NS, "text") => Tag::Body,
        (OFFICE_NS, "annotation") => Tag::Skipped,
        (TEXT_NS, "p" | "h") => Tag::Paragraph,
        (TEXT_NS, "s") => Tag::Space,
        (TEXT_NS, "tab") => Tag::Tab,
        (TEXT_NS, "line-break") => Tag::LineBreak,
        (TEXT_NS, "tracked-changes" | "note" | "sequence-decls") => Tag::Skipped,
        // Templates of generated indexes (table of contents…): the index body is kept.
        (TEXT_NS, name) if name.ends_with("-source") => Tag::Skipped,
        (TABLE_NS, "table") => Tag::Table,
        (TABLE_NS, "table-row") => Tag::Row,
        (TABLE_NS, "table-cell" | "covered-table-cell") => Tag::Cell,
        (SVG_NS, "title" | "desc") => Tag::Skipped,
        _ => Tag::Other,
    }
}

/// The number of spaces a `text:s` stands for (`text:c`, default 1, capped).
fn space_count(element: &BytesStart<'_>) -> usize {
    element
        .attributes()
        .flatten()
        .find(|attr| attr.key.local_name().as_ref() == "c")
        .and_then(|attr| {
            attr.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .and_then(|v| v.trim().parse::<usize>().ok())
        })
        .unwrap_or(1)
        .clamp(1, MAX_SPACES)
}

/// Paragraph text with ODF whitespace collapsing: runs of XML whitespace become one
/// space, dropped at the start and end of a paragraph.
struct OdtText {
    builder: LineBuilder,
    /// For each open paragraph: whether collapsed whitespace is waiting to be written.
    pending_space: Vec<bool>,
}

impl OdtText {
    fn start_paragraph(&mut self) {
        self.builder.start_paragraph();
        self.pending_space.push(false);
    }

    fn end_paragraph(&mut self) {
        self.pending_space.pop();
        self.builder.end_paragraph();
    }

    fn flush_space(&mut self) {
        if let Some(pending) = self.pending_space.last_mut()
            && *pending
        {
            *pending = false;
            self.builder.push_str(" ");
        }
    }

    /// Text from the XML: whitespace collapsed.
    fn push_xml_text(&mut self, text: &str) {
        if !self.builder.in_paragraph() {
            return;
        }
        for c in text.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r') {
                let has_text = self.builder.paragraph_mut().is_some_and(|p| !p.is_empty());
                if has_text && let Some(pending) = self.pending_space.last_mut() {
                    *pending = true;
                }
            } else {
                self.flush_space();
                if let Some(paragraph) = self.builder.paragraph_mut() {
                    paragraph.push(c);
                }
            }
        }
    }

    /// Explicit characters (`text:s`, `text:tab`, `text:line-break`), written as they are.
    fn push_explicit(&mut self, text: &str) {
        self.flush_space();
        self.builder.push_str(text);
    }
}

fn content_xml_to_text(xml: &str, part: &str) -> Result<String, FormatError> {
    let mut reader = NsReader::from_str(xml);
    let mut out = OdtText {
        builder: LineBuilder::default(),
        pending_space: Vec::new(),
    };
    let mut skip_depth = 0usize;
    let mut in_body = false;
    let mut saw_body = false;
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
                    Tag::Paragraph => out.start_paragraph(),
                    Tag::Table => out.builder.start_table(),
                    Tag::Row => out.builder.start_row(),
                    Tag::Cell => out.builder.start_cell(),
                    Tag::Space => out.push_explicit(&" ".repeat(space_count(&element))),
                    Tag::Tab => out.push_explicit("\t"),
                    Tag::LineBreak => out.push_explicit("\n"),
                    Tag::Other => {}
                }
            }
            Event::Empty(element) => {
                if skip_depth > 0 {
                    continue;
                }
                let local = element.local_name();
                match classify(&namespace, local.as_ref()) {
                    Tag::Body => saw_body = true,
                    _ if !in_body => {}
                    Tag::Space => out.push_explicit(&" ".repeat(space_count(&element))),
                    Tag::Tab => out.push_explicit("\t"),
                    Tag::LineBreak => out.push_explicit("\n"),
                    Tag::Paragraph => {
                        out.start_paragraph();
                        out.end_paragraph();
                    }
                    Tag::Cell => {
                        out.builder.start_cell();
                        out.builder.end_cell();
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
                    Tag::Paragraph => out.end_paragraph(),
                    Tag::Table => out.builder.end_table(),
                    Tag::Row => out.builder.end_row(),
                    Tag::Cell => out.builder.end_cell(),
                    _ => {}
                }
            }
            Event::Text(text) => {
                if skip_depth == 0 && in_body {
                    out.push_xml_text(&text.xml10_content());
                }
            }
            Event::CData(data) => {
                if skip_depth == 0 && in_body {
                    out.push_xml_text(&data.xml10_content());
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = resolve_xml_reference(&reference, part)?;
                if skip_depth == 0 && in_body {
                    out.push_xml_text(&resolved);
                }
            }
            Event::DocType(_) | Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !saw_body {
        return Err(FormatError::OpenDocumentWithoutText);
    }
    Ok(out.builder.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(inner: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="{OFFICE_NS}" xmlns:text="{TEXT_NS}" xmlns:table="{TABLE_NS}" xmlns:svg="{SVG_NS}" xmlns:dc="http://purl.org/dc/elements/1.1/">
<office:automatic-styles><style:style xmlns:style="urn:x" style:name="P1"/></office:automatic-styles>
<office:body><office:text><text:sequence-decls><text:sequence-decl text:name="Table"/></text:sequence-decls>
{inner}
</office:text></office:body></office:document-content>"#
        )
    }

    fn text_of(inner: &str) -> Result<String, FormatError> {
        content_xml_to_text(&doc(inner), "content.xml")
    }

    #[test]
    fn paragraphs_headings_spans_and_spaces() {
        let xml = r#"<text:h text:outline-level="1">Entretien</text:h>
            <text:p>Deux <text:s text:c="2"/>espaces<text:tab/>tab <text:span text:style-name="T1">gras</text:span> <text:a xlink:href="x" xmlns:xlink="urn:l">lien</text:a>.</text:p>
            <text:p/>
            <text:p>a<text:line-break/>b<text:s/></text:p>
            <text:p>
                Texte   indenté
                sur deux lignes
            </text:p>"#;
        assert_eq!(
            text_of(xml).unwrap(),
            "Entretien\nDeux   espaces\ttab gras lien.\n\na\nb \nTexte indenté sur deux lignes"
        );
    }

    #[test]
    fn spans_split_words_are_concatenated() {
        let xml = r#"<text:p>ré<text:span>pon</text:span>se <text:span>œ</text:span></text:p>"#;
        assert_eq!(text_of(xml).unwrap(), "réponse œ");
    }

    #[test]
    fn lists_tables_annotations_and_changes() {
        let xml = r#"<text:tracked-changes><text:changed-region text:id="c1"><text:deletion>
              <office:change-info><dc:creator>A</dc:creator></office:change-info><text:p>supprimé</text:p>
            </text:deletion></text:changed-region></text:tracked-changes>
            <text:list><text:list-item><text:p>Un</text:p></text:list-item>
              <text:list-item><text:p>Deux<office:annotation><dc:creator>Moi</dc:creator><text:p>commentaire</text:p></office:annotation></text:p></text:list-item></text:list>
            <table:table><table:table-column/>
              <table:table-row><table:table-cell><text:p>A1</text:p></table:table-cell><table:table-cell><text:p>B1</text:p></table:table-cell></table:table-row>
              <table:table-row><table:table-cell/><table:covered-table-cell/><table:table-cell><text:p>C2</text:p><text:p>suite</text:p></table:table-cell></table:table-row>
            </table:table>
            <text:p>Fin<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>note</text:p></text:note-body></text:note></text:p>"#;
        assert_eq!(text_of(xml).unwrap(), "Un\nDeux\nA1\tB1\n\t\tC2 suite\nFin");
    }

    #[test]
    fn huge_space_count_is_capped() {
        let text = text_of(r#"<text:p>a<text:s text:c="4000000000"/>b</text:p>"#).unwrap();
        assert_eq!(text.chars().count(), MAX_SPACES + 2);
    }

    #[test]
    fn spreadsheet_content_is_refused() {
        let xml = format!(
            r#"<office:document-content xmlns:office="{OFFICE_NS}"><office:body><office:spreadsheet/></office:body></office:document-content>"#
        );
        let err = content_xml_to_text(&xml, "content.xml").unwrap_err();
        assert!(
            err.to_string().starts_with("not an OpenDocument text"),
            "{err}"
        );
    }

    #[test]
    fn unknown_entity_is_an_error() {
        let err = text_of("<text:p>&bomb;</text:p>").unwrap_err();
        assert!(err.to_string().contains("« &bomb; »"), "{err}");
    }
}
