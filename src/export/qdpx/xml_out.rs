//! A thin streaming XML writer over quick-xml: elements with attributes, escaped text, and
//! characters that XML 1.0 cannot carry dropped.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::borrow::Cow;
use std::io::{self, Write};

/// Whether XML 1.0 can carry `c` (control characters other than tab and line breaks, and
/// U+FFFE/U+FFFF, cannot).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{fffd}' | '\u{10000}'..)
}

/// `text` without the characters XML 1.0 cannot carry.
pub fn clean(text: &str) -> Cow<'_, str> {
    if text.chars().all(xml_char) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|c| xml_char(*c)).collect())
    }
}

/// A streaming XML writer.
pub struct XmlOut<W: Write> {
    writer: Writer<W>,
}

impl<W: Write> XmlOut<W> {
    /// Starts a document (XML declaration, UTF-8), indented by two spaces.
    pub fn new(inner: W) -> io::Result<XmlOut<W>> {
        let mut writer = Writer::new_with_indent(inner, b' ', 2);
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
        Ok(XmlOut { writer })
    }

    fn element<'a>(name: &'a str, attrs: &[(&str, &str)]) -> BytesStart<'a> {
        let mut start = BytesStart::new(name);
        for (key, value) in attrs {
            start.push_attribute((*key, clean(value).as_ref()));
        }
        start
    }

    /// Opens an element.
    pub fn start(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.writer
            .write_event(Event::Start(Self::element(name, attrs)))
    }

    /// Writes an empty element.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.writer
            .write_event(Event::Empty(Self::element(name, attrs)))
    }

    /// Closes an element.
    pub fn end(&mut self, name: &str) -> io::Result<()> {
        self.writer.write_event(Event::End(BytesEnd::new(name)))
    }

    /// Writes `<name>text</name>`.
    pub fn text_element(&mut self, name: &str, text: &str) -> io::Result<()> {
        self.start(name, &[])?;
        self.writer
            .write_event(Event::Text(BytesText::new(&clean(text))))?;
        self.end(name)
    }

    /// Finishes the document and returns the inner writer.
    pub fn finish(self) -> W {
        self.writer.into_inner()
    }
}
