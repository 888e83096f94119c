//! Helpers of the report tests: the sample project opened, and readers that check what an
//! export wrote (XML parsed by quick-xml, balanced HTML tags, whole words).

use std::path::{Path, PathBuf};

use fouille::export::report::{self, ReportFormat};
use fouille::store::Project;
use quick_xml::events::Event;

use super::archive::unzip;
use super::project::embedded_sample;

/// The bundled sample project, built in `dir` and opened.
pub fn open_sample(dir: &Path) -> Project {
    Project::open(&embedded_sample(dir)).expect("sample opens")
}

/// Parses an XML document with quick-xml (end names checked) and returns its text content,
/// entities resolved. Panics on malformed XML.
pub fn xml_text(xml: &str, part: &str) -> String {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut text = String::new();
    let mut depth = 0i64;
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("{part}: malformed XML: {e}"))
        {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                text.push(' ');
            }
            Event::Empty(_) => text.push(' '),
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                if let Some(c) = r.resolve_char_ref().unwrap() {
                    text.push(c);
                } else {
                    let name: &str = &r;
                    let resolved = quick_xml::escape::resolve_predefined_entity(name)
                        .unwrap_or_else(|| panic!("{part}: unknown entity &{name};"));
                    text.push_str(resolved);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "{part}: unbalanced elements");
    text
}

/// HTML tags must balance (void elements aside); `<style>` content is skipped. Returns the
/// text outside tags.
pub fn check_html_balanced(html: &str) -> String {
    const VOID: &[&str] = &[
        "meta", "br", "hr", "img", "input", "link", "rect", "line", "path", "circle",
    ];
    let mut stack: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        let after = &rest[lt..];
        let gt = after.find('>').expect("an unclosed tag");
        let tag = &after[1..gt];
        rest = &after[gt + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack
                .pop()
                .unwrap_or_else(|| panic!("</{name}> closes nothing"));
            assert_eq!(open, name.trim(), "mismatched </{name}>");
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(!name.is_empty(), "a stray < in the HTML: <{tag}>");
        if name == "style" {
            let end = rest.find("</style>").expect("unclosed <style>");
            rest = &rest[end + "</style>".len()..];
            continue;
        }
        if tag.ends_with('/') || VOID.contains(&name.as_str()) {
            continue;
        }
        stack.push(name);
    }
    text.push_str(rest);
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    text
}

/// Whether `needle` occurs in `hay` as a whole word (no letter or digit on either side).
pub fn has_word(hay: &str, needle: &str) -> bool {
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        let at = from + i;
        let before = hay[..at].chars().next_back();
        let after = hay[at + needle.len()..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return true;
        }
        from = at + needle.len();
    }
    false
}

/// Renders a report in every format into `dir`; returns each file's path and its texts
/// (the whole file for HTML/MD, every zip entry for DOCX/ODT but the PNG drawings of the
/// charts, whose words are in the SVG and the alt text beside them).
pub fn export_all(
    report: &report::Report,
    dir: &Path,
    stem: &str,
) -> Vec<(PathBuf, Vec<(String, String)>)> {
    let mut out = Vec::new();
    for format in ReportFormat::ALL {
        let path = dir.join(format!("{stem}.{}", format.extension()));
        report::write(report, format, &path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let parts = match format {
            ReportFormat::Html | ReportFormat::Markdown => {
                vec![(String::new(), String::from_utf8(bytes).unwrap())]
            }
            ReportFormat::Docx | ReportFormat::Odt => unzip(&bytes)
                .into_iter()
                .filter(|(name, _)| !name.ends_with(".png"))
                .map(|(name, data)| (name, String::from_utf8(data).expect("UTF-8 parts")))
                .collect(),
        };
        out.push((path, parts));
    }
    out
}
