//! The codebook in REFI-QDA form: nested `Code` elements (inside `project.qde` or a `.qdc`
//! file) and the `fouille:kind=…` sets that carry code kinds.

use std::collections::HashMap;
use std::io::{self, Write};

use super::xml_out::XmlOut;
use crate::model::{Code, CodeId, CodeKind};
use crate::refi::{CODEBOOK_NAMESPACE, KIND_SET_PREFIX, ORIGIN, derived_guid};

/// Deepest code tree written (deeper codes are cut off: the store never makes them).
const MAX_DEPTH: usize = 64;

/// A set of codes to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeSet {
    /// Derived GUID (stable across exports).
    pub guid: String,
    /// Name, `fouille:kind=<kind>`.
    pub name: String,
    /// Description for people who see the set in another tool.
    pub description: String,
    /// GUIDs of the codes of that kind (`MemberCode`s).
    pub members: Vec<String>,
}

/// One set per kind that REFI-QDA cannot say by itself (controversy, pole, orientation,
/// piste), in that order, for the kinds that have codes.
pub fn kind_sets(codes: &[Code], project_guid: &str) -> Vec<CodeSet> {
    [CodeKind::Controversy, CodeKind::Pole, CodeKind::Orientation, CodeKind::Piste]
        .into_iter()
        .filter_map(|kind| {
            let members: Vec<String> = codes.iter().filter(|c| c.kind == kind).map(|c| c.guid.to_string()).collect();
            (!members.is_empty()).then(|| CodeSet {
                guid: derived_guid(project_guid, &format!("{KIND_SET_PREFIX}{}", kind.as_str())),
                name: format!("{KIND_SET_PREFIX}{}", kind.as_str()),
                description: format!(
                    "Fouille : codes de type « {kind} ». Gardez cet ensemble : Fouille s'en sert pour retrouver le type des codes. \
                     / Fouille: codes of kind \"{kind}\". Keep this set: Fouille uses it to restore code kinds."
                ),
                members,
            })
        })
        .collect()
}

/// Writes the `Code` elements of `codes` (in tree order) nested under their parents. In a
/// project file, `note_refs` gives each code's memo GUIDs (`NoteRef`); a `.qdc` has none.
pub fn write_codes<W: Write>(
    out: &mut XmlOut<W>,
    codes: &[Code],
    note_refs: Option<&HashMap<String, Vec<String>>>,
) -> io::Result<()> {
    let known: std::collections::HashSet<&str> = codes.iter().map(|c| c.guid.as_str()).collect();
    let mut children: HashMap<Option<&str>, Vec<&Code>> = HashMap::new();
    for code in codes {
        let parent = code
            .parent_guid
            .as_ref()
            .map(CodeId::as_str)
            .filter(|p| known.contains(p));
        children.entry(parent).or_default().push(code);
    }
    fn write_level<W: Write>(
        out: &mut XmlOut<W>,
        parent: Option<&str>,
        children: &HashMap<Option<&str>, Vec<&Code>>,
        note_refs: Option<&HashMap<String, Vec<String>>>,
        depth: usize,
    ) -> io::Result<()> {
        let Some(kids) = children.get(&parent) else {
            return Ok(());
        };
        if depth > MAX_DEPTH {
            return Ok(());
        }
        for code in kids {
            let codable = if code.kind.is_codable() {
                "true"
            } else {
                "false"
            };
            let attrs = [
                ("guid", code.guid.as_str()),
                ("name", code.name.as_str()),
                ("isCodable", codable),
                ("color", code.color.as_str()),
            ];
            let attrs = if crate::store::codes::normalize_color(&code.color).is_some() {
                &attrs[..]
            } else {
                &attrs[..3]
            };
            let notes = note_refs
                .and_then(|n| n.get(code.guid.as_str()))
                .filter(|n| !n.is_empty());
            let has_children = children
                .get(&Some(code.guid.as_str()))
                .is_some_and(|k| !k.is_empty());
            if code.description.is_empty() && notes.is_none() && !has_children {
                out.empty("Code", attrs)?;
                continue;
            }
            out.start("Code", attrs)?;
            if !code.description.is_empty() {
                out.text_element("Description", &code.description)?;
            }
            for note in notes.into_iter().flatten() {
                out.empty("NoteRef", &[("targetGUID", note)])?;
            }
            write_level(
                out,
                Some(code.guid.as_str()),
                children,
                note_refs,
                depth + 1,
            )?;
            out.end("Code")?;
        }
        Ok(())
    }
    write_level(out, None, &children, note_refs, 0)
}

/// Writes a whole `.qdc` codebook (codes in tree order, at least one) with its kind sets.
pub fn write_qdc<W: Write>(codes: &[Code], project_guid: &str, w: W) -> io::Result<W> {
    let mut out = XmlOut::new(w)?;
    out.start(
        "CodeBook",
        &[("xmlns", CODEBOOK_NAMESPACE), ("origin", ORIGIN)],
    )?;
    out.start("Codes", &[])?;
    write_codes(&mut out, codes, None)?;
    out.end("Codes")?;
    let sets = kind_sets(codes, project_guid);
    if !sets.is_empty() {
        out.start("Sets", &[])?;
        for set in &sets {
            out.start("Set", &[("guid", &set.guid), ("name", &set.name)])?;
            out.text_element("Description", &set.description)?;
            for member in &set.members {
                out.empty("MemberCode", &[("guid", member)])?;
            }
            out.end("Set")?;
        }
        out.end("Sets")?;
    }
    out.end("CodeBook")?;
    Ok(out.finish())
}
