//! A small, safe XML tree for REFI-QDA documents.
//!
//! quick-xml never expands entities declared in a DTD; on top of that a `DOCTYPE` that
//! declares entities is refused outright (the "billion laughs" family), an unknown entity
//! reference is an error, and the tree depth is bounded. Elements keep their local name;
//! elements outside the document's namespace (vendor extensions) are dropped and counted.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use crate::import::FormatError;
use crate::import::encoding::{resolve_xml_reference, xml_error};

/// Deepest element nesting accepted.
const MAX_DEPTH: usize = 256;

/// An element. Names and values borrow the document text when they can (a large project
/// has millions of attributes: one allocation each would cost more than the parse).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Node<'a> {
    /// Local name: the namespace prefix removed (`qda:Code` → `Code`).
    pub name: Cow<'a, str>,
    /// Attributes (local names), values unescaped and normalised.
    pub attrs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    /// Child elements in the document's namespace.
    pub children: Vec<Node<'a>>,
    /// The element's own text (text, CDATA and references directly inside it).
    pub text: String,
}

impl<'a> Node<'a> {
    /// An attribute's value.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_ref())
    }

    /// Child elements named `name`.
    pub fn all<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Node<'a>> + 's {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The first child named `name`.
    pub fn first(&self, name: &str) -> Option<&Node<'a>> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Text of the first child named `name`.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.first(name).map(|n| n.text.as_str())
    }
}

/// A parsed document: its root, the root's namespace, and how many foreign elements were
/// dropped.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    /// Root element.
    pub root: Node<'a>,
    /// Namespace of the root (empty when none).
    pub namespace: String,
    /// Elements in other namespaces, dropped with their content.
    pub foreign_elements: usize,
}

/// Whether a `DOCTYPE` declares entities (which we refuse).
fn declares_entities(doctype: &str) -> bool {
    doctype.to_ascii_uppercase().contains("<!ENTITY")
}

/// `part` (bytes read from `xml`) as a slice of `xml` itself, so that it outlives the
/// parser's event; a copy when it is not such a slice.
fn borrow_from<'a>(xml: &'a str, part: &str) -> Cow<'a, str> {
    let start = (part.as_ptr() as usize).wrapping_sub(xml.as_ptr() as usize);
    match start
        .checked_add(part.len())
        .and_then(|end| xml.get(start..end))
    {
        Some(slice) if slice.as_ptr() == part.as_ptr() => Cow::Borrowed(slice),
        _ => Cow::Owned(part.to_string()),
    }
}

/// Keeps a name or value read from the document: borrowed from the document text when
/// parsing a string, owned when parsing a stream.
type Keep<'k, 'a> = &'k dyn Fn(&str) -> Cow<'a, str>;

fn element<'a>(
    keep: Keep<'_, 'a>,
    start: &BytesStart<'_>,
    part: &str,
) -> Result<Node<'a>, FormatError> {
    let mut attrs = Vec::new();
    for attr in start.attributes().with_checks(false) {
        let attr = attr.map_err(|e| FormatError::BadAttribute {
            part: part.to_string(),
            detail: e.to_string(),
        })?;
        if AsRef::<str>::as_ref(&attr.key).starts_with("xmlns") {
            continue;
        }
        let local = attr.key.local_name();
        let key = keep(local.as_ref());
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| FormatError::UnreadableAttribute {
                part: part.to_string(),
                key: key.to_string(),
                detail: e.to_string(),
            })?;
        let value = match value {
            Cow::Borrowed(v) => keep(v),
            Cow::Owned(v) => Cow::Owned(v),
        };
        attrs.push((key, value));
    }
    let local = start.local_name();
    Ok(Node {
        name: keep(local.as_ref()),
        attrs,
        children: Vec::new(),
        text: String::new(),
    })
}

/// Parses `xml` (already decoded) into a tree. `part` names the file in messages.
pub fn parse<'a>(xml: &'a str, part: &str) -> Result<Document<'a>, FormatError> {
    parse_with(xml, part, &mut |_, node| Some(node))
}

/// What is done with each element as soon as it is complete: it gets its open ancestors
/// (root first) and returns the element to keep it in the tree, or `None` when it has
/// used it.
pub type Take<'t, 'a> = &'t mut dyn FnMut(&[Node<'a>], Node<'a>) -> Option<Node<'a>>;

/// Parses `xml` like [`parse`], handing each element to `take` as soon as it is complete,
/// with its open ancestors (root first): `take` returns the element to keep it in the
/// tree, or `None` when it has used it (so a large document can be read piece by piece
/// without holding its whole tree). The root itself is always kept.
pub fn parse_with<'a>(
    xml: &'a str,
    part: &str,
    take: Take<'_, 'a>,
) -> Result<Document<'a>, FormatError> {
    let mut reader = NsReader::from_str(xml);
    let mut tree = Tree::default();
    let keep = |s: &str| borrow_from(xml, s);
    loop {
        let position = reader.buffer_position();
        let (resolved, event) = reader
            .read_resolved_event()
            .map_err(|e| xml_error(part, position, e))?;
        if tree.event(&resolved, event, &keep, part, take)? {
            return tree.finish(part);
        }
    }
}

/// Parses a stream of UTF-8 XML like [`parse_with`], never holding the whole document:
/// names and values are copied out of the stream (the names REFI-QDA uses most are
/// shared, not copied).
pub fn parse_stream_with(
    input: impl std::io::BufRead,
    part: &str,
    take: Take<'_, 'static>,
) -> Result<Document<'static>, FormatError> {
    let mut reader = NsReader::from_reader(input);
    let mut tree = Tree::default();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let position = reader.buffer_position();
        let (resolved, event) = reader
            .read_resolved_event_into(&mut buf)
            .map_err(|e| xml_error(part, position, e))?;
        if tree.event(&resolved, event, &common_name, part, take)? {
            return tree.finish(part);
        }
    }
}

/// `s` as a shared string when it is one of the names REFI-QDA projects repeat on
/// every selection and coding, else a copy.
fn common_name(s: &str) -> Cow<'static, str> {
    const COMMON: &[&str] = &[
        "guid",
        "targetGUID",
        "name",
        "startPosition",
        "endPosition",
        "creatingUser",
        "creationDateTime",
        "modifiedDateTime",
        "PlainTextSelection",
        "Coding",
        "CodeRef",
        "NoteRef",
        "TextSource",
        "plainTextPath",
        "Description",
        "VariableValue",
        "VariableRef",
        "TextValue",
        "SourceRef",
        "Code",
        "isCodable",
        "color",
    ];
    match COMMON.iter().find(|c| **c == s) {
        Some(c) => Cow::Borrowed(c),
        None => Cow::Owned(s.to_string()),
    }
}

/// A tree being built from parse events.
#[derive(Default)]
struct Tree<'a> {
    /// Open elements, root first.
    stack: Vec<Node<'a>>,
    root: Option<Node<'a>>,
    /// Depth inside a dropped foreign element (0: not inside one).
    foreign_depth: usize,
    foreign_elements: usize,
    namespace: Option<Vec<u8>>,
}

impl<'a> Tree<'a> {
    /// Adds one event; whether it was the end of the document.
    fn event(
        &mut self,
        resolved: &ResolveResult<'_>,
        event: Event<'_>,
        keep: Keep<'_, 'a>,
        part: &str,
        take: Take<'_, 'a>,
    ) -> Result<bool, FormatError> {
        let ns: &[u8] = match resolved {
            ResolveResult::Bound(ns) => AsRef::<str>::as_ref(ns).as_bytes(),
            _ => b"",
        };
        match event {
            Event::DocType(doctype) => {
                let text: &str = doctype.as_ref();
                if declares_entities(text) {
                    return Err(FormatError::DoctypeEntities {
                        part: part.to_string(),
                    });
                }
            }
            Event::Start(_) | Event::Empty(_) if self.root.is_some() => {
                return Err(FormatError::ContentAfterRoot {
                    part: part.to_string(),
                });
            }
            Event::Start(ref start) | Event::Empty(ref start) => {
                let is_empty = matches!(event, Event::Empty(_));
                if self.foreign_depth > 0 {
                    if !is_empty {
                        self.foreign_depth += 1;
                    }
                    return Ok(false);
                }
                let root_ns = self.namespace.get_or_insert_with(|| ns.to_vec());
                if root_ns.as_slice() != ns {
                    self.foreign_elements += 1;
                    if !is_empty {
                        self.foreign_depth = 1;
                    }
                    return Ok(false);
                }
                if self.stack.len() >= MAX_DEPTH {
                    return Err(FormatError::TooDeep {
                        part: part.to_string(),
                        max: MAX_DEPTH,
                    });
                }
                let node = element(keep, start, part)?;
                if is_empty {
                    self.complete(node, take);
                } else {
                    self.stack.push(node);
                }
            }
            Event::End(_) => {
                if self.foreign_depth > 0 {
                    self.foreign_depth -= 1;
                    return Ok(false);
                }
                if let Some(mut node) = self.stack.pop() {
                    node.children.shrink_to_fit();
                    self.complete(node, take);
                }
            }
            Event::Text(text) => self.push_text(&text.xml10_content()),
            Event::CData(data) => self.push_text(&data.xml10_content()),
            Event::GeneralRef(reference) => {
                let resolved = resolve_xml_reference(&reference, part)?;
                self.push_text(&resolved);
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => return Ok(true),
        }
        Ok(false)
    }

    /// Adds text to the open element (none inside a foreign one).
    fn push_text(&mut self, text: &str) {
        if self.foreign_depth == 0
            && let Some(node) = self.stack.last_mut()
        {
            node.text.push_str(text);
        }
    }

    /// Hands `node`, just completed, to `take` (with its open ancestors, root first); what
    /// `take` gives back goes into the tree.
    fn complete(&mut self, node: Node<'a>, take: Take<'_, 'a>) {
        if self.stack.is_empty() {
            self.root = Some(node);
        } else if let Some(node) = take(&self.stack, node)
            && let Some(parent) = self.stack.last_mut()
        {
            parent.children.push(node);
        }
    }

    /// The document, once every event is in.
    fn finish(self, part: &str) -> Result<Document<'a>, FormatError> {
        if !self.stack.is_empty() {
            return Err(FormatError::Truncated {
                part: part.to_string(),
            });
        }
        let root = self.root.ok_or_else(|| FormatError::NoRoot {
            part: part.to_string(),
        })?;
        Ok(Document {
            root,
            namespace: String::from_utf8_lossy(&self.namespace.unwrap_or_default()).into_owned(),
            foreign_elements: self.foreign_elements,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_text_and_foreign_elements() {
        let xml = r#"<?xml version="1.0"?><P xmlns="urn:a" xmlns:x="urn:x" name="a &amp; b">
            <C guid="1">t&#233;&lt;<![CDATA[x]]></C><x:ext><C/></x:ext><C/></P>"#;
        let doc = parse(xml, "p.qde").unwrap();
        assert_eq!(doc.namespace, "urn:a");
        assert_eq!(doc.root.attr("name"), Some("a & b"));
        assert_eq!(doc.root.children.len(), 2);
        assert_eq!(doc.root.children[0].text, "té<x");
        assert_eq!(doc.foreign_elements, 1);
        // Plain names and values borrow the document instead of being copied: a large
        // project has millions of attributes, one allocation each would cost more than
        // the parse.
        assert!(matches!(doc.root.children[0].name, Cow::Borrowed("C")));
        assert!(matches!(
            doc.root.children[0].attrs[0].1,
            Cow::Borrowed("1")
        ));
    }

    #[test]
    fn entities_are_refused() {
        let xml = r#"<?xml version="1.0"?><!DOCTYPE P [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><P>&b;</P>"#;
        let err = parse(xml, "p.qde").unwrap_err();
        assert!(err.to_string().contains("billion laughs"), "{err}");
        let err = parse("<P>&b;</P>", "p.qde").unwrap_err();
        assert!(err.to_string().contains("« &b; »"), "{err}");
    }

    #[test]
    fn truncated_document() {
        let err = parse("<P><C>", "p.qde").unwrap_err();
        assert!(err.to_string().contains("p.qde"), "{err}");
    }
}
