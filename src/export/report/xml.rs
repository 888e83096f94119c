//! Escaping shared by the XML-based renderers (HTML, SVG, DOCX, ODT).

/// Whether XML 1.0 allows a char in a document (`#x9 | #xA | #xD | [#x20-#xD7FF] |
/// [#xE000-#xFFFD] | [#x10000-#x10FFFF]`).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Removes the chars XML 1.0 forbids (control chars, U+FFFE, U+FFFF) and carriage returns
/// (texts are stored with LF line ends).
pub fn clean(text: &str) -> String {
    text.chars()
        .filter(|&c| is_xml_char(c) && c != '\r')
        .collect()
}

/// Escapes text for XML content or a quoted attribute, after [`clean`]ing it.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if is_xml_char(c) && c != '\r' => out.push(c),
            _ => {}
        }
    }
    out
}

/// A colour safe to write in an attribute: `#rrggbb`, or grey when `raw` is not a colour.
pub fn safe_color(raw: &str) -> String {
    crate::store::codes::normalize_color(raw).unwrap_or_else(|| "#888888".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    // control characters are stripped, markup is escaped
    #[test]
    fn escapes_and_strips_control_chars() {
        assert_eq!(
            escape("a<b>&\"c'\u{0}\u{1b}\r\n\u{FFFE}é😅"),
            "a&lt;b&gt;&amp;&quot;c&#39;\né😅"
        );
        assert_eq!(safe_color("\"><script>"), "#888888");
        assert_eq!(safe_color("#ABC"), "#aabbcc");
    }
}
