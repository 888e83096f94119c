//! Memo targets: which object each note is about (a `NoteRef` on the project, a code, a
//! source, a selection or a coding, or a `Link` from the note), and the memos to write.

use std::collections::{HashMap, HashSet};

use super::foreign::Foreign;
use super::locate::Archive;
use super::plan::{Plan, PlannedMemo};
use super::report::{ImportReport, NotImported};
use crate::model::{CodeId, CodingId, DocumentId, MemoId, MemoTarget, RespondentId};

/// Resolves the target of every note and reads its text. A note about nothing that is
/// imported goes to the project; a note about several objects goes to the first one.
pub(super) fn plan_memos(
    foreign: &Foreign,
    plan: &Plan,
    first_coding_of_selection: &HashMap<String, String>,
    archive: Option<&mut Archive>,
    report: &mut ImportReport,
) -> Vec<PlannedMemo> {
    let planned = Planned::of(plan, first_coding_of_selection);
    let mut targets = note_ref_targets(foreign, &planned);
    targets.extend(link_targets(foreign, &planned, report));
    let mut target_map: HashMap<&str, &MemoTarget> = HashMap::new();
    let mut extra = 0;
    for (note, target) in &targets {
        if target_map.contains_key(note.as_str()) {
            extra += 1;
        } else {
            target_map.insert(note, target);
        }
    }
    if extra > 0 {
        report.remarks.push(format!(
            "{extra} notes were attached to several objects: each memo went to the first one"
        ));
    }
    read_memos(foreign, &target_map, archive, report)
}

/// The GUIDs of what the plan imports, which a note may be about.
struct Planned<'p> {
    codes: HashSet<&'p str>,
    documents: HashSet<&'p str>,
    codings: HashSet<&'p str>,
    respondents: HashSet<&'p str>,
    /// Selection GUID → its first coding: a note about a selection is about that coding.
    first_coding_of_selection: &'p HashMap<String, String>,
}

impl<'p> Planned<'p> {
    fn of(plan: &'p Plan, first_coding_of_selection: &'p HashMap<String, String>) -> Self {
        Planned {
            codes: plan.codes.iter().map(|c| c.guid.as_str()).collect(),
            documents: plan.documents.iter().map(|d| d.guid.as_str()).collect(),
            codings: plan
                .documents
                .iter()
                .flat_map(|d| d.codings.iter().map(|c| c.guid.as_str()))
                .collect(),
            respondents: plan.respondents.iter().map(|r| r.guid.as_str()).collect(),
            first_coding_of_selection,
        }
    }

    /// The imported object `guid` names, if any (a selection names its first coding).
    fn target_of(&self, guid: &str) -> Option<MemoTarget> {
        if self.codes.contains(guid) {
            Some(MemoTarget::Code(CodeId::new(guid)))
        } else if self.documents.contains(guid) {
            Some(MemoTarget::Document(DocumentId::new(guid)))
        } else if self.codings.contains(guid) {
            Some(MemoTarget::Coding(CodingId::new(guid)))
        } else if self.respondents.contains(guid) {
            Some(MemoTarget::Respondent(RespondentId::new(guid)))
        } else {
            self.first_coding_of_selection
                .get(guid)
                .filter(|c| self.codings.contains(c.as_str()))
                .map(|c| MemoTarget::Coding(CodingId::new(c)))
        }
    }
}

/// (note GUID, target) for every `NoteRef`, in file order. A `NoteRef` on a selection or
/// coding that is not imported goes to its source's document when that one is.
fn note_ref_targets(foreign: &Foreign, planned: &Planned<'_>) -> Vec<(String, MemoTarget)> {
    let mut targets: Vec<(String, MemoTarget)> = Vec::new();
    for n in &foreign.project_note_refs {
        targets.push((n.clone(), MemoTarget::Project));
    }
    for c in &foreign.codes {
        for n in &c.note_refs {
            targets.push((n.clone(), MemoTarget::Code(CodeId::new(c.guid.as_str()))));
        }
    }
    for s in &foreign.sources {
        let doc = planned
            .documents
            .contains(s.guid.as_str())
            .then(|| MemoTarget::Document(DocumentId::new(s.guid.as_str())));
        let about = |guid: &str| planned.target_of(guid).or(doc.clone());
        for n in &s.note_refs {
            targets.extend(doc.clone().map(|t| (n.clone(), t)));
        }
        for sel in &s.selections {
            for n in &sel.note_refs {
                targets.extend(about(&sel.guid).map(|t| (n.clone(), t)));
            }
            for coding in &sel.codings {
                for n in &coding.note_refs {
                    targets.extend(about(&coding.guid).map(|t| (n.clone(), t)));
                }
            }
        }
        for coding in &s.whole_codings {
            for n in &coding.note_refs {
                targets.extend(about(&coding.guid).map(|t| (n.clone(), t)));
            }
        }
    }
    targets
}

/// (note GUID, target) for every link between a note and an imported object, either way
/// round; other links are reported as not imported.
fn link_targets(
    foreign: &Foreign,
    planned: &Planned<'_>,
    report: &mut ImportReport,
) -> Vec<(String, MemoTarget)> {
    let notes: HashSet<&str> = foreign.notes.iter().map(|n| n.guid.as_str()).collect();
    let mut targets = Vec::new();
    for link in &foreign.links {
        match (&link.origin, &link.target) {
            (Some(o), Some(t)) if notes.contains(o.as_str()) && planned.target_of(t).is_some() => {
                targets.extend(planned.target_of(t).map(|t| (o.clone(), t)));
            }
            (Some(o), Some(t)) if notes.contains(t.as_str()) && planned.target_of(o).is_some() => {
                targets.extend(planned.target_of(o).map(|x| (t.clone(), x)));
            }
            _ => report.not_imported.push(NotImported {
                what: "link".into(),
                name: link.name.clone(),
                reason: "links between objects are not imported (only links from a note)".into(),
            }),
        }
    }
    targets
}

/// Reads each note's text (its name when the text is blank) into a memo on its target;
/// a note whose text cannot be read is reported as not imported.
fn read_memos(
    foreign: &Foreign,
    target_map: &HashMap<&str, &MemoTarget>,
    mut archive: Option<&mut Archive>,
    report: &mut ImportReport,
) -> Vec<PlannedMemo> {
    let mut memos = Vec::new();
    for note in &foreign.notes {
        let text = match archive.as_deref_mut() {
            Some(a) => a.load(&note.text, &note.guid),
            None => Err("no archive".into()),
        };
        let text = match text {
            Ok(t) => t.text,
            Err(reason) => {
                report.not_imported.push(NotImported {
                    what: "note".into(),
                    name: note.name.clone(),
                    reason,
                });
                continue;
            }
        };
        let text = if text.trim().is_empty() {
            note.name.trim().to_string()
        } else {
            text
        };
        let target = target_map
            .get(note.guid.as_str())
            .map(|t| (*t).clone())
            .unwrap_or(MemoTarget::Project);
        memos.push(PlannedMemo {
            guid: MemoId::new(note.guid.clone()),
            target,
            text,
            stamp: note.stamp.clone(),
        });
    }
    memos
}
