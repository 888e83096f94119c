//! Turning a foreign codebook into Fouille codes: kinds restored (from the `fouille:kind=…`
//! sets or a description marker, else from `isCodable`), tree rules checked (a kind that
//! breaks them becomes a theme, and the report says so), names made valid (no `/`, unique
//! among siblings), colours normalised, and on request a tree flattened into names like
//! `Parent::Child` rebuilt.

use std::collections::{HashMap, HashSet};

use super::foreign::{Code, Foreign};
use crate::model::{CodeId, CodeKind};
use crate::refi::{KIND_DESCRIPTION_MARKER, KIND_SET_PREFIX, derived_guid};
use crate::store::codes::normalize_color;

/// Separator of flattened code paths.
pub const FLAT_SEPARATOR: &str = "::";

/// A code ready to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedCode {
    /// The file's GUID; derived for a folder added to rebuild a flattened tree.
    pub guid: CodeId,
    /// The parent's GUID; `None` at the top.
    pub parent: Option<CodeId>,
    /// The name made valid: `/` replaced by `∕`, never empty, unique among its siblings.
    pub name: String,
    /// From a kind set or a description marker, else from `isCodable` (or a pole, under a
    /// controversy); a theme when the tree rules refuse it.
    pub kind: CodeKind,
    /// `#rrggbb`, or `None` for the palette.
    pub color: Option<String>,
    /// Description (marker removed).
    pub description: String,
    /// GUIDs of the notes about it (its `NoteRef`s).
    pub note_refs: Vec<String>,
}

/// Removes a trailing `[fouille:kind=…]` marker from a description; returns the kind too.
fn take_marker(description: &str) -> (String, Option<CodeKind>) {
    let trimmed = description.trim_end();
    if let Some(open) = trimmed.rfind(KIND_DESCRIPTION_MARKER)
        && trimmed.ends_with(']')
    {
        let kind =
            CodeKind::parse(&trimmed[open + KIND_DESCRIPTION_MARKER.len()..trimmed.len() - 1]);
        if kind.is_some() {
            return (trimmed[..open].trim_end().to_string(), kind);
        }
    }
    (description.to_string(), None)
}

/// Rebuilds codes named `A::B::C` into `C` under `B` under `A`, reusing codes that already
/// have those names and adding folders where none does.
fn rebuild_tree(codes: Vec<Code>, remarks: &mut Vec<String>) -> Vec<Code> {
    let mut by_path: HashMap<(Option<String>, String), String> = codes
        .iter()
        .map(|c| ((c.parent.clone(), c.name.clone()), c.guid.clone()))
        .collect();
    let mut out: Vec<Code> = Vec::new();
    let mut added = 0;
    let mut rebuilt = 0;
    for mut code in codes {
        if !code.name.contains(FLAT_SEPARATOR) {
            out.push(code);
            continue;
        }
        let parts: Vec<String> = code
            .name
            .split(FLAT_SEPARATOR)
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        let Some((last, ancestors)) = parts.split_last() else {
            out.push(code);
            continue;
        };
        let mut parent = code.parent.clone();
        for part in ancestors {
            let key = (parent.clone(), part.clone());
            let guid = match by_path.get(&key) {
                Some(g) => g.clone(),
                None => {
                    let guid = derived_guid(
                        parent.as_deref().unwrap_or("root"),
                        &format!("rebuilt:{part}"),
                    );
                    out.push(Code {
                        guid: guid.clone(),
                        parent: parent.clone(),
                        name: part.clone(),
                        codable: false,
                        color: None,
                        description: String::new(),
                        note_refs: Vec::new(),
                    });
                    by_path.insert(key, guid.clone());
                    added += 1;
                    guid
                }
            };
            parent = Some(guid);
        }
        code.parent = parent;
        code.name = last.clone();
        rebuilt += 1;
        out.push(code);
    }
    if rebuilt > 0 {
        remarks.push(format!(
            "tree rebuilt from names with « {FLAT_SEPARATOR} »: {rebuilt} codes placed, {added} folders added"
        ));
    }
    // Parents before children (a parent named later in the file moves up).
    let known: HashSet<String> = out.iter().map(|c| c.guid.clone()).collect();
    let mut children: HashMap<Option<String>, Vec<Code>> = HashMap::new();
    let mut roots_order = Vec::new();
    for c in out {
        let parent = c.parent.clone().filter(|p| known.contains(p));
        if parent.is_none() {
            roots_order.push(c.guid.clone());
        }
        children.entry(parent).or_default().push(c);
    }
    let mut ordered = Vec::new();
    let mut stack: Vec<Code> = children
        .remove(&None)
        .unwrap_or_default()
        .into_iter()
        .rev()
        .collect();
    while let Some(c) = stack.pop() {
        if let Some(kids) = children.remove(&Some(c.guid.clone())) {
            stack.extend(kids.into_iter().rev());
        }
        ordered.push(c);
    }
    ordered
}

/// Plans the codes of `foreign`. `coded` holds the GUIDs of codes that have codings.
pub fn plan_codes(
    foreign: &Foreign,
    rebuild: bool,
    coded: &HashSet<String>,
    remarks: &mut Vec<String>,
) -> Vec<PlannedCode> {
    let mut codes = foreign.codes.clone();
    if rebuild {
        codes = rebuild_tree(codes, remarks);
    } else {
        let flat = codes
            .iter()
            .filter(|c| c.name.contains(FLAT_SEPARATOR))
            .count();
        if flat > 0 {
            remarks.push(format!(
                "{flat} codes have names like « Parent{FLAT_SEPARATOR}Child »: import again with --rebuild-tree to rebuild the tree"
            ));
        }
    }
    let mut set_kind: HashMap<String, CodeKind> = HashMap::new();
    for set in &foreign.sets {
        if let Some(kind) = set
            .name
            .strip_prefix(KIND_SET_PREFIX)
            .and_then(CodeKind::parse)
        {
            for member in &set.codes {
                set_kind.insert(member.clone(), kind);
            }
        }
    }
    let mut planned: Vec<PlannedCode> = Vec::with_capacity(codes.len());
    let mut renamed = 0;
    let mut bad_colors = 0;
    for code in codes {
        let (description, marker) = take_marker(&code.description);
        let explicit = set_kind.get(&code.guid).copied().or(marker);
        let kind = explicit.unwrap_or(if code.codable {
            CodeKind::Theme
        } else {
            CodeKind::Folder
        });
        let mut name = code.name.replace('/', "∕");
        if name.trim().is_empty() {
            name = "Code sans nom".into();
        }
        if name != code.name {
            renamed += 1;
        }
        let color = code.color.as_deref().and_then(|c| {
            let n = normalize_color(c);
            if n.is_none() {
                bad_colors += 1;
            }
            n
        });
        planned.push(PlannedCode {
            guid: CodeId::new(code.guid),
            parent: code.parent.map(CodeId::new),
            name,
            kind,
            color,
            description,
            note_refs: code.note_refs,
        });
        // A code under a controversy with no kind of its own is a pole.
        if explicit.is_none()
            && let Some(parent) = planned.last().and_then(|c| c.parent.clone())
            && planned
                .iter()
                .any(|p| p.guid == parent && p.kind == CodeKind::Controversy)
            && let Some(last) = planned.last_mut()
        {
            last.kind = CodeKind::Pole;
        }
    }
    if renamed > 0 {
        remarks.push(format!(
            "{renamed} code names had a « / » (or were empty) and were adjusted"
        ));
    }
    if bad_colors > 0 {
        remarks.push(format!(
            "{bad_colors} code colours were not #RGB or #RRGGBB: default colours given"
        ));
    }
    fix_kinds(&mut planned, coded, remarks);
    unique_sibling_names(&mut planned, remarks);
    planned
}

/// Makes kinds follow the tree rules; what breaks them becomes a theme.
fn fix_kinds(codes: &mut [PlannedCode], coded: &HashSet<String>, remarks: &mut Vec<String>) {
    let mut demoted: Vec<String> = Vec::new();
    loop {
        let kinds: HashMap<CodeId, CodeKind> =
            codes.iter().map(|c| (c.guid.clone(), c.kind)).collect();
        let mut children: HashMap<&str, Vec<CodeKind>> = HashMap::new();
        for c in codes.iter() {
            if let Some(p) = &c.parent {
                children.entry(p.as_str()).or_default().push(c.kind);
            }
        }
        let mut changes = Vec::new();
        for (i, c) in codes.iter().enumerate() {
            let parent_kind = c.parent.as_ref().and_then(|p| kinds.get(p)).copied();
            let kids = children.get(c.guid.as_str()).cloned().unwrap_or_default();
            let ok = match c.kind {
                CodeKind::Controversy => {
                    kids.len() == 2 && kids.iter().all(|k| *k == CodeKind::Pole)
                }
                CodeKind::Pole => parent_kind == Some(CodeKind::Controversy) && kids.is_empty(),
                CodeKind::Piste => parent_kind == Some(CodeKind::Orientation),
                CodeKind::Folder => !coded.contains(c.guid.as_str()),
                CodeKind::Theme | CodeKind::Orientation => true,
            };
            if !ok {
                changes.push(i);
            }
        }
        if changes.is_empty() {
            break;
        }
        for i in changes {
            demoted.push(format!("« {} » ({})", codes[i].name, codes[i].kind));
            codes[i].kind = CodeKind::Theme;
        }
    }
    if !demoted.is_empty() {
        remarks.push(format!(
            "{} codes could not keep their kind under the codebook's rules and became themes: {}",
            demoted.len(),
            demoted.join(", ")
        ));
    }
}

/// Suffixes names taken by an earlier sibling: « Name (2) ».
fn unique_sibling_names(codes: &mut [PlannedCode], remarks: &mut Vec<String>) {
    let mut taken: HashSet<(Option<CodeId>, String)> = HashSet::new();
    let mut changed = 0;
    for c in codes.iter_mut() {
        let mut name = c.name.clone();
        let mut n = 2;
        while !taken.insert((c.parent.clone(), name.clone())) {
            name = format!("{} ({n})", c.name);
            n += 1;
        }
        if name != c.name {
            changed += 1;
            c.name = name;
        }
    }
    if changed > 0 {
        remarks.push(format!(
            "{changed} codes shared a name with a sibling and were numbered"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_is_taken_off() {
        assert_eq!(
            take_marker("Un côté. [fouille:kind=pole]"),
            ("Un côté.".to_string(), Some(CodeKind::Pole))
        );
        assert_eq!(
            take_marker("[fouille:kind=nope]"),
            ("[fouille:kind=nope]".to_string(), None)
        );
    }
}
