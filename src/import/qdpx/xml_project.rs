//! Reading a `project.qde` document (see [`super::xml`]), piece by piece while it is
//! parsed when it can be: a large project's tree is then never held whole.

use super::dom::{self, Node};
use super::foreign::Foreign;
use super::xml::{Guids, PROJECT_NAMESPACES, Reader, SECTIONS, check_namespace, parse_date_time};
use crate::import::FormatError;

/// Index of `Sources` in [`SECTIONS`].
const SOURCES: usize = 4;

/// Reading a project while it is parsed: each top-level section as soon as it is complete,
/// and each child of `Sources` on its own, so that the tree of a large project is never
/// held whole. Valid only when the sections come in [`SECTIONS`] order (as REFI-QDA
/// orders them): then it reads exactly what reading the whole tree would.
struct Streamed {
    r: Reader,
    /// The last section read.
    last: Option<usize>,
    /// Sections read (a second one of a kind is ignored, as in the tree reading).
    done: [bool; SECTIONS.len()],
    /// A section came out of order: the tree must be read instead.
    out_of_order: bool,
}

impl Streamed {
    fn take<'a>(&mut self, ancestors: &[Node<'a>], node: Node<'a>) -> Option<Node<'a>> {
        if self.out_of_order {
            return Some(node);
        }
        match ancestors {
            [_root] => {
                let Some(rank) = SECTIONS.iter().position(|s| node.name == *s) else {
                    return Some(node);
                };
                if self.done[rank] {
                    return None;
                }
                if self.last.is_some_and(|last| rank < last) {
                    self.out_of_order = true;
                    return Some(node);
                }
                // `Sources` arrives here empty: its children were read one by one.
                self.r.section(SECTIONS[rank], &node);
                self.done[rank] = true;
                self.last = Some(rank);
                None
            }
            [_root, sources] if sources.name == SECTIONS[SOURCES] => {
                if self.done[SOURCES] {
                    return None;
                }
                if self.last.is_some_and(|last| last > SOURCES) {
                    self.out_of_order = true;
                    return Some(node);
                }
                self.r.source(&node);
                self.last = Some(SOURCES);
                None
            }
            _ => Some(node),
        }
    }
}

impl Streamed {
    fn new() -> Streamed {
        Streamed {
            r: Reader {
                guids: Guids::default(),
                out: Foreign::default(),
            },
            last: None,
            done: [false; SECTIONS.len()],
            out_of_order: false,
        }
    }
}

/// Reads a `project.qde` document. Its sections are read as it is parsed when they come
/// in REFI-QDA's order (the usual case, and always for Fouille's files), else from the
/// whole tree: the result is the same.
pub fn read_project(xml: &str, part: &str) -> Result<Foreign, FormatError> {
    let mut streamed = Streamed::new();
    let doc = dom::parse_with(xml, part, &mut |ancestors, node| {
        streamed.take(ancestors, node)
    })?;
    if !streamed.out_of_order {
        return project_end(streamed.r, &doc, part);
    }
    drop(doc);
    let doc = dom::parse(xml, part)?;
    let mut r = Reader {
        guids: Guids::default(),
        out: Foreign::default(),
    };
    for name in SECTIONS {
        if let Some(node) = doc.root.first(name) {
            r.section(name, node);
        }
    }
    project_end(r, &doc, part)
}

/// Reads a `project.qde` document from a stream of UTF-8, never holding it whole, when
/// its sections come in REFI-QDA's order; `Ok(None)` when they do not (it must then be
/// read whole, with [`read_project`]). Gives what [`read_project`] gives.
pub fn read_project_stream(
    input: impl std::io::BufRead,
    part: &str,
) -> Result<Option<Foreign>, FormatError> {
    let mut streamed = Streamed::new();
    let doc = dom::parse_stream_with(input, part, &mut |ancestors, node| {
        streamed.take(ancestors, node)
    })?;
    if streamed.out_of_order {
        return Ok(None);
    }
    project_end(streamed.r, &doc, part).map(Some)
}

/// What is left of a project once its sections are read: the checks of its root, its
/// attributes and notes.
fn project_end(mut r: Reader, doc: &dom::Document<'_>, part: &str) -> Result<Foreign, FormatError> {
    let remark = check_namespace(doc, PROJECT_NAMESPACES, part, "Project")?;
    let root = &doc.root;
    // Sections add no remarks, so this one still comes first.
    r.out.remarks.extend(remark);
    r.out.name = root.attr("name").unwrap_or("").trim().to_string();
    r.out.origin = root.attr("origin").unwrap_or("").trim().to_string();
    r.out.base_path = root.attr("basePath").map(str::to_string);
    r.out.modified_at = root.attr("modifiedDateTime").and_then(parse_date_time);
    r.out.project_note_refs = r.refs(root, "NoteRef");
    Ok(r.finish(doc.foreign_elements))
}

#[cfg(test)]
mod tests {
    use super::*;

    const G: &str = "5b1c0000-0000-4000-8000-0000000000";

    fn project(sections: &[String]) -> String {
        format!(
            r#"<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="Tool">{}<NoteRef targetGUID="{G}f1"/></Project>"#,
            sections.concat()
        )
    }

    #[test]
    fn sections_out_of_order_read_as_in_order() {
        // Reading piece by piece keeps a large project's tree from being held whole; it
        // must give what the whole-tree reading gives, GUIDs derived for missing ones
        // included (they depend on the reading order).
        let users = format!(r#"<Users><User guid="{G}01" name="A"/><User name="B"/></Users>"#);
        let cases = format!(
            r#"<Cases><Case name="C1"><SourceRef targetGUID="{G}a1"/></Case><Case guid="{G}c2" name="C2"/></Cases>"#
        );
        let sources = format!(
            r#"<Sources><TextSource guid="{G}a1" name="S1" plainTextPath="internal://x.txt"><PlainTextSelection startPosition="0" endPosition="3"><Coding><CodeRef targetGUID="{G}d1"/></Coding></PlainTextSelection></TextSource><TextSource name="S2"/><PictureSource name="P"/></Sources>"#
        );
        let notes = format!(
            r#"<Notes><Note name="N"><PlainTextContent>n</PlainTextContent></Note></Notes>"#
        );
        let ordered_xml = project(&[users.clone(), cases.clone(), sources.clone(), notes.clone()]);
        let ordered = read_project(&ordered_xml, "p.qde").unwrap();
        // Read as a stream, in small pieces: the same.
        let stream = std::io::BufReader::with_capacity(7, ordered_xml.as_bytes());
        assert_eq!(
            read_project_stream(stream, "p.qde").unwrap(),
            Some(ordered.clone())
        );
        assert_eq!(ordered.sources.len(), 2);
        assert_eq!(ordered.cases.len(), 2);
        assert_eq!(ordered.project_note_refs.len(), 1);
        let shuffled_xml = project(&[notes.clone(), sources.clone(), users.clone(), cases.clone()]);
        let shuffled = read_project(&shuffled_xml, "p.qde").unwrap();
        assert_eq!(shuffled, ordered);
        // A stream cannot go back: it says so, to be read whole.
        assert_eq!(
            read_project_stream(shuffled_xml.as_bytes(), "p.qde").unwrap(),
            None
        );
        // A second section of a kind is ignored either way.
        let doubled = read_project(
            &project(&[users.clone(), cases, sources.clone(), sources, notes, users]),
            "p.qde",
        )
        .unwrap();
        assert_eq!(doubled, ordered);
    }
}
