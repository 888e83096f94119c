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

    /// Writes `<name>text</name>` (only `<`, `>` and `&` escaped in the text).
    pub fn text_element(&mut self, name: &str, text: &str) -> io::Result<()> {
        self.start(name, &[])?;
        let cleaned = clean(text);
        let escaped = quick_xml::escape::partial_escape(cleaned.as_ref());
        self.writer
            .write_event(Event::Text(BytesText::from_escaped(escaped)))?;
        self.end(name)
    }

    /// Finishes the document and returns the inner writer.
    pub fn finish(self) -> W {
        self.writer.into_inner()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped_and_cleaned() {
        let mut out = XmlOut::new(Vec::new()).unwrap();
        out.start("A", &[("name", "a \"b\" <c> & d\u{1}")]).unwrap();
        out.text_element("T", "x < y & 'z' \"w\"\u{0}\u{fffe} 😅")
            .unwrap();
        out.end("A").unwrap();
        let xml = String::from_utf8(out.finish()).unwrap();
        assert!(
            xml.contains(r#"name="a &quot;b&quot; &lt;c&gt; &amp; d""#),
            "{xml}"
        );
        assert!(xml.contains("<T>x &lt; y &amp; 'z' \"w\" 😅</T>"), "{xml}");
    }
}
