//! Reading `project.qde` and `.qdc` documents into plain structures ([`Foreign`]), coping
//! with what real files do: GUIDs in braces or upper case, dates with or without a zone,
//! namespace variants, empty containers, elements in any order.

use std::collections::{HashMap, HashSet};

use super::dom::{self, Node};
use super::foreign::{
    Case, Code, Coding, Foreign, Link, Note, Selection, Set, Source, Stamp, TextRef, User, Value,
    Variable,
};
use super::report::NotImported;
use crate::import::FormatError;
use crate::refi::{CODEBOOK_NAMESPACE, PROJECT_NAMESPACE, derived_guid};

/// Namespace variants accepted for a project (the standard one first): files in the wild
/// write `1:0` for `1.0` (MAXQDA's codebooks among them).
pub(super) const PROJECT_NAMESPACES: &[&str] = &[PROJECT_NAMESPACE, "urn:QDA-XML:project:1:0"];
/// Namespace variants accepted for a codebook, the project's among them: the codebook
/// is the same `CodeBook` element in both schemas.
const CODEBOOK_NAMESPACES: &[&str] = &[
    CODEBOOK_NAMESPACE,
    "urn:QDA-XML:codebook:1:0",
    PROJECT_NAMESPACE,
    "urn:QDA-XML:project:1:0",
];

/// Parses an `xsd:dateTime` (zone optional, UTC assumed) or a date into ms.
pub fn parse_date_time(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(raw) {
        return Some(d.timestamp_millis());
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(d) = chrono::NaiveDateTime::parse_from_str(raw, format) {
            return Some(d.and_utc().timestamp_millis());
        }
    }
    chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc().timestamp_millis())
}

/// Whether `raw` is a GUID already as [`crate::model::normalize_guid`] writes it: 36
/// chars, lower-case hex digits in groups of 8-4-4-4-12.
fn is_normal_guid(raw: &str) -> bool {
    raw.len() == 36
        && raw.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => matches!(b, b'0'..=b'9' | b'a'..=b'f'),
        })
}

/// The top-level sections of a project, in the order they are read (REFI-QDA's order).
pub(super) const SECTIONS: [&str; 9] = [
    "Users",
    "CodeBook",
    "Variables",
    "Cases",
    "Sources",
    "Notes",
    "Links",
    "Sets",
    "Graphs",
];

/// Normalises GUIDs as they are read: braces and case removed; a value that is not a UUID
/// gets a GUID derived from it (so references to it still match); a GUID met twice for two
/// objects of one kind gets a derived one the second time. A GUID met for objects of two
/// kinds (a code and a source) is noted: references could not tell which one they mean.
#[derive(Debug, Default)]
pub(super) struct Guids {
    invalid: HashSet<String>,
    missing: usize,
    /// The kind of every GUID met: as numbers when they are normal (nearly always: 16
    /// bytes instead of a string each), else as strings.
    seen: HashMap<u128, &'static str>,
    seen_other: HashMap<String, &'static str>,
    duplicates: usize,
    /// GUIDs met for objects of two kinds: (GUID, first kind, second kind, second name).
    pub(super) across_kinds: Vec<(String, &'static str, &'static str, String)>,
}

impl Guids {
    fn reference(&mut self, raw: &str) -> String {
        // Most files (and all of Fouille's) already write GUIDs the normal way.
        if is_normal_guid(raw) {
            return raw.to_string();
        }
        crate::model::normalize_guid(raw).unwrap_or_else(|| {
            self.invalid.insert(raw.trim().to_string());
            derived_guid("refi-invalid-guid", raw.trim())
        })
    }

    /// How many GUIDs were met.
    fn seen_count(&self) -> usize {
        self.seen.len() + self.seen_other.len()
    }

    /// Notes a GUID of a kind; returns the kind it was met with before, if any.
    fn remember(&mut self, kind: &'static str, guid: &str) -> Option<&'static str> {
        match uuid::Uuid::parse_str(guid) {
            Ok(u) if is_normal_guid(guid) => self.seen.insert(u.as_u128(), kind),
            _ => self.seen_other.insert(guid.to_string(), kind),
        }
    }

    fn of(&mut self, kind: &'static str, node: &Node<'_>) -> String {
        let raw = node.attr("guid").unwrap_or("");
        let guid = if raw.trim().is_empty() {
            self.missing += 1;
            derived_guid(
                "refi-missing-guid",
                &format!("{kind}:{}", self.seen_count()),
            )
        } else {
            self.reference(raw)
        };
        match self.remember(kind, &guid) {
            None => return guid,
            Some(before) if before != kind => {
                // Only the kinds references name can be confused (some tools give a
                // selection and its coding one GUID, which no reference can mistake).
                const NAMED: [&str; 6] = ["code", "source", "case", "variable", "user", "note"];
                if NAMED.contains(&before) && NAMED.contains(&kind) {
                    let name = node.attr("name").unwrap_or("").to_string();
                    self.across_kinds.push((guid.clone(), before, kind, name));
                }
                return guid;
            }
            Some(_) => {}
        }
        self.duplicates += 1;
        let fresh = derived_guid(&guid, &format!("duplicate:{}", self.seen_count()));
        self.remember(kind, &fresh);
        fresh
    }
}

pub(super) struct Reader {
    pub(super) guids: Guids,
    pub(super) out: Foreign,
}

impl Reader {
    pub(super) fn refs(&mut self, node: &Node<'_>, element: &str) -> Vec<String> {
        node.all(element)
            .filter_map(|n| n.attr("targetGUID").or(n.attr("guid")))
            .map(|g| self.guids.reference(g))
            .collect::<Vec<_>>()
    }

    fn stamp(&mut self, node: &Node<'_>) -> Stamp {
        Stamp {
            created_by: node.attr("creatingUser").map(|g| self.guids.reference(g)),
            created_at: node.attr("creationDateTime").and_then(parse_date_time),
            modified_at: node.attr("modifiedDateTime").and_then(parse_date_time),
        }
    }

    fn skip(&mut self, what: &str, node: &Node<'_>, reason: &str) {
        self.out.not_imported.push(NotImported {
            what: what.to_string(),
            name: node.attr("name").unwrap_or("").to_string(),
            reason: reason.to_string(),
        });
    }

    fn codes(&mut self, parent: Option<&str>, node: &Node<'_>, depth: usize) {
        for code in node.all("Code") {
            let guid = self.guids.of("code", code);
            let note_refs = self.refs(code, "NoteRef");
            self.out.codes.push(Code {
                guid: guid.clone(),
                parent: parent.map(str::to_string),
                name: code.attr("name").unwrap_or("").trim().to_string(),
                codable: code
                    .attr("isCodable")
                    .is_none_or(|v| !matches!(v.trim(), "false" | "0")),
                color: code.attr("color").map(str::to_string),
                description: code.child_text("Description").unwrap_or("").to_string(),
                note_refs,
            });
            if depth < 64 {
                self.codes(Some(&guid), code, depth + 1);
            }
        }
    }

    fn values(&mut self, node: &Node<'_>) -> Vec<Value> {
        let mut out = Vec::new();
        for value in node.all("VariableValue") {
            let Some(variable) = value
                .first("VariableRef")
                .and_then(|r| r.attr("targetGUID"))
            else {
                continue;
            };
            let variable = self.guids.reference(variable);
            let text = value
                .children
                .iter()
                .find(|c| c.name.ends_with("Value"))
                .map(|c| c.text.trim().to_string());
            if let Some(text) = text {
                out.push(Value {
                    variable,
                    value: text,
                });
            }
        }
        out
    }

    fn codings(&mut self, node: &Node<'_>) -> Vec<Coding> {
        // Sized exactly: a selection nearly always has one coding, and a growing list
        // would reserve four (half the parsed project's memory at 100,000 codings).
        let mut out = Vec::with_capacity(node.all("Coding").count());
        for (i, coding) in node.all("Coding").enumerate() {
            let Some(code) = coding.first("CodeRef").and_then(|r| r.attr("targetGUID")) else {
                continue;
            };
            let code = self.guids.reference(code);
            let guid = if coding.attr("guid").is_some() {
                self.guids.of("coding", coding)
            } else {
                let owner = node.attr("guid").unwrap_or("");
                derived_guid(owner, &format!("coding:{i}:{code}"))
            };
            out.push(Coding {
                guid,
                code,
                stamp: self.stamp(coding),
                note_refs: self.refs(coding, "NoteRef"),
            });
        }
        out
    }

    fn text_source(&mut self, node: &Node<'_>, element: &str, name: &str) -> Source {
        let mut selections = Vec::new();
        for sel in node.all("PlainTextSelection") {
            let guid = self.guids.of("selection", sel);
            let start = sel
                .attr("startPosition")
                .and_then(|v| v.trim().parse::<i64>().ok());
            let end = sel
                .attr("endPosition")
                .and_then(|v| v.trim().parse::<i64>().ok());
            let (Some(start), Some(end)) = (start, end) else {
                self.skip("selection", sel, "no usable startPosition/endPosition");
                continue;
            };
            let codings = self.codings(sel);
            selections.push(Selection {
                guid,
                start,
                end,
                stamp: self.stamp(sel),
                codings,
                note_refs: self.refs(sel, "NoteRef"),
            });
        }
        selections.shrink_to_fit();
        Source {
            guid: self.guids.of("source", node),
            name: name.to_string(),
            element: element.to_string(),
            text: TextRef {
                inline: node.first("PlainTextContent").map(|n| n.text.clone()),
                plain_path: node
                    .attr("plainTextPath")
                    .map(str::to_string)
                    .filter(|p| !p.trim().is_empty()),
                rich_path: node
                    .attr("richTextPath")
                    .map(str::to_string)
                    .filter(|p| !p.trim().is_empty()),
            },
            stamp: self.stamp(node),
            whole_codings: self.codings(node),
            note_refs: self.refs(node, "NoteRef"),
            values: self.values(node),
            selections,
        }
    }

    fn sources(&mut self, node: &Node<'_>) {
        for source in &node.children {
            self.source(source);
        }
    }

    /// Reads one child of `Sources`.
    pub(super) fn source(&mut self, source: &Node<'_>) {
        {
            let name = source.attr("name").unwrap_or("").to_string();
            match source.name.as_ref() {
                "TextSource" => {
                    let s = self.text_source(source, "TextSource", &name);
                    self.out.sources.push(s);
                }
                "PDFSource" => match source.first("Representation") {
                    Some(rep) => {
                        let s = self.text_source(rep, "PDFSource", &name);
                        self.out.sources.push(s);
                        self.skip("PDF source", source, "the PDF itself and its regions (PDFSelection) are not imported; its text representation is");
                    }
                    None => self.skip(
                        "PDF source",
                        source,
                        "PDF documents are not supported (no text representation in the file)",
                    ),
                },
                "PictureSource" => self.skip(
                    "picture",
                    source,
                    "pictures and picture selections are not supported",
                ),
                "AudioSource" | "VideoSource" => {
                    let what = if source.name == "AudioSource" {
                        "audio"
                    } else {
                        "video"
                    };
                    for (i, transcript) in source.all("Transcript").enumerate() {
                        let label = if i == 0 {
                            name.clone()
                        } else {
                            format!("{name} ({})", i + 1)
                        };
                        let mut s = self.text_source(transcript, &source.name, &label);
                        if transcript.all("TranscriptSelection").next().is_some() {
                            self.skip(
                                &format!("{what} transcript selections"),
                                source,
                                "selections of a transcript by sync points are not imported",
                            );
                        }
                        s.element = source.name.to_string();
                        self.out.sources.push(s);
                    }
                    self.skip(
                        what,
                        source,
                        "the media and its time selections are not imported (its transcripts are)",
                    );
                }
                other => self.skip(other, source, "unknown source type"),
            }
        }
    }

    fn sets(&mut self, node: &Node<'_>) {
        for set in node.all("Set") {
            let codes = set
                .all("MemberCode")
                .filter_map(|m| m.attr("targetGUID").or(m.attr("guid")))
                .map(|g| self.guids.reference(g))
                .collect();
            let sources = self.refs(set, "MemberSource");
            let notes = self.refs(set, "MemberNote");
            self.out.sets.push(Set {
                name: set.attr("name").unwrap_or("").trim().to_string(),
                description: set.child_text("Description").unwrap_or("").to_string(),
                codes,
                sources,
                notes,
            });
        }
    }

    /// Reads one top-level section of a project (one of [`SECTIONS`]).
    pub(super) fn section(&mut self, name: &str, node: &Node<'_>) {
        match name {
            "Users" => self.users(node),
            "CodeBook" => {
                if let Some(codes) = node.first("Codes") {
                    self.codes(None, codes, 0);
                }
            }
            "Variables" => self.variables(node),
            "Cases" => self.cases(node),
            "Sources" => self.sources(node),
            "Notes" => self.notes(node),
            "Links" => self.links(node),
            "Sets" => self.sets(node),
            "Graphs" => {
                for graph in node.all("Graph") {
                    self.skip("graph", graph, "graphs (networks, maps) are not imported");
                }
            }
            _ => {}
        }
    }

    /// `Users`: a user's name, else its `id` (some tools write only that).
    fn users(&mut self, node: &Node<'_>) {
        for user in node.all("User") {
            let guid = self.guids.of("user", user);
            let name = user
                .attr("name")
                .or(user.attr("id"))
                .unwrap_or("")
                .trim()
                .to_string();
            self.out.users.push(User { guid, name });
        }
    }

    /// `Variables`, their type `Text` when the file says none.
    fn variables(&mut self, node: &Node<'_>) {
        for variable in node.all("Variable") {
            let guid = self.guids.of("variable", variable);
            self.out.variables.push(Variable {
                guid,
                name: variable.attr("name").unwrap_or("").trim().to_string(),
                type_name: variable
                    .attr("typeOfVariable")
                    .unwrap_or("Text")
                    .trim()
                    .to_string(),
                description: variable.child_text("Description").unwrap_or("").to_string(),
            });
        }
    }

    /// `Cases`, with their values and sources; codes and selections inside a case are
    /// counted as not imported.
    fn cases(&mut self, node: &Node<'_>) {
        for case in node.all("Case") {
            let guid = self.guids.of("case", case);
            let values = self.values(case);
            let source_refs = self.refs(case, "SourceRef");
            if case.all("CodeRef").next().is_some() || case.all("SelectionRef").next().is_some() {
                self.skip(
                    "case codes and selections",
                    case,
                    "codes applied to a case and selections in a case are not imported",
                );
            }
            self.out.cases.push(Case {
                guid,
                name: case.attr("name").unwrap_or("").trim().to_string(),
                values,
                source_refs,
            });
        }
    }

    /// `Notes`, their text inline or in the archive (read later); selections inside a
    /// note are counted as not imported.
    fn notes(&mut self, node: &Node<'_>) {
        for note in node.all("Note") {
            let guid = self.guids.of("note", note);
            if note.all("PlainTextSelection").next().is_some() {
                self.skip(
                    "coded note text",
                    note,
                    "selections and codings inside a note are not imported (the note is)",
                );
            }
            let stamp = self.stamp(note);
            let path = |name| {
                note.attr(name)
                    .map(str::to_string)
                    .filter(|p: &String| !p.trim().is_empty())
            };
            self.out.notes.push(Note {
                guid,
                name: note.attr("name").unwrap_or("").to_string(),
                text: TextRef {
                    inline: note.first("PlainTextContent").map(|n| n.text.clone()),
                    plain_path: path("plainTextPath"),
                    rich_path: path("richTextPath"),
                },
                stamp,
            });
        }
    }

    /// `Links`, by their two ends (which ones matter is decided with the memos).
    fn links(&mut self, node: &Node<'_>) {
        for link in node.all("Link") {
            let origin = link.attr("originGUID").map(|g| self.guids.reference(g));
            let target = link.attr("targetGUID").map(|g| self.guids.reference(g));
            self.out.links.push(Link {
                name: link.attr("name").unwrap_or("").to_string(),
                origin,
                target,
            });
        }
    }

    pub(super) fn finish(mut self, foreign_elements: usize) -> Foreign {
        self.out.guids_across_kinds = std::mem::take(&mut self.guids.across_kinds)
            .into_iter()
            .map(|(guid, first, second, name)| {
                let named = if name.is_empty() {
                    String::new()
                } else {
                    format!(" « {name} »")
                };
                format!("GUID {guid} names both a {first} and a {second}{named}")
            })
            .collect();
        let odd = self.guids.invalid.len() + self.guids.missing;
        if odd > 0 {
            self.out.remarks.push(format!(
                "{odd} GUIDs were missing or not UUIDs: stable GUIDs were derived from them"
            ));
        }
        if self.guids.duplicates > 0 {
            self.out.remarks.push(format!(
                "{} GUIDs were used twice: the second objects got new GUIDs",
                self.guids.duplicates
            ));
        }
        if foreign_elements > 0 {
            self.out.not_imported.push(NotImported {
                what: "extension elements".into(),
                name: String::new(),
                reason: format!("{foreign_elements} elements in other namespaces (vendor extensions) were ignored"),
            });
        }
        self.out
    }
}

pub(super) fn check_namespace(
    doc: &dom::Document<'_>,
    accepted: &[&str],
    part: &str,
    expected_root: &str,
) -> Result<Option<String>, FormatError> {
    if doc.root.name != expected_root {
        return Err(FormatError::WrongRoot {
            part: part.to_string(),
            found: doc.root.name.to_string(),
            expected: expected_root.to_string(),
        });
    }
    if doc.namespace.is_empty() {
        return Ok(Some(format!(
            "{part} declares no namespace (expected {}): read anyway",
            accepted[0]
        )));
    }
    if accepted
        .iter()
        .any(|ns| ns.eq_ignore_ascii_case(&doc.namespace))
    {
        return Ok((doc.namespace != accepted[0])
            .then(|| format!("{part} uses the namespace variant {}", doc.namespace)));
    }
    Err(FormatError::WrongNamespace {
        part: part.to_string(),
        root: expected_root.to_string(),
        found: doc.namespace.clone(),
        expected: accepted[0].to_string(),
    })
}

pub use super::xml_project::{read_project, read_project_stream};

/// Reads a `.qdc` codebook document.
pub fn read_codebook(xml: &str, part: &str) -> Result<Foreign, FormatError> {
    let doc = dom::parse(xml, part)?;
    let remark = check_namespace(&doc, CODEBOOK_NAMESPACES, part, "CodeBook")?;
    let mut r = Reader {
        guids: Guids::default(),
        out: Foreign::default(),
    };
    r.out.remarks.extend(remark);
    r.out.origin = doc.root.attr("origin").unwrap_or("").trim().to_string();
    if let Some(codes) = doc.root.first("Codes") {
        r.codes(None, codes, 0);
    }
    if let Some(sets) = doc.root.first("Sets") {
        r.sets(sets);
    }
    Ok(r.finish(doc.foreign_elements))
}
