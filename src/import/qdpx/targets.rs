//! Memo targets: which object each note is about (a `NoteRef` on the project, a code, a
//! source, a selection or a coding, or a `Link` from the note), and the memos to write.

use std::collections::{HashMap, HashSet};

use super::foreign::Foreign;
use super::locate::Archive;
use super::plan::{Plan, PlannedMemo};
use super::report::{ImportReport, NotImported};
use crate::model::MemoTarget;

/// Resolves the target of every note and reads its text.
pub(super) fn plan_memos(
    foreign: &Foreign,
    plan: &Plan,
    first_coding_of_selection: &HashMap<String, String>,
    mut archive: Option<&mut Archive>,
    report: &mut ImportReport,
) -> Vec<PlannedMemo> {
    let codes: HashSet<&str> = plan.codes.iter().map(|c| c.guid.as_str()).collect();
    let documents: HashSet<&str> = plan.documents.iter().map(|d| d.guid.as_str()).collect();
    let codings: HashSet<&str> = plan
        .documents
        .iter()
        .flat_map(|d| d.codings.iter().map(|c| c.guid.as_str()))
        .collect();
    let respondents: HashSet<&str> = plan.respondents.iter().map(|r| r.guid.as_str()).collect();
    let target_of = |guid: &str| -> Option<MemoTarget> {
        if codes.contains(guid) {
            Some(MemoTarget::Code(guid.into()))
        } else if documents.contains(guid) {
            Some(MemoTarget::Document(guid.into()))
        } else if codings.contains(guid) {
            Some(MemoTarget::Coding(guid.into()))
        } else if respondents.contains(guid) {
            Some(MemoTarget::Respondent(guid.into()))
        } else {
            first_coding_of_selection
                .get(guid)
                .filter(|c| codings.contains(c.as_str()))
                .map(|c| MemoTarget::Coding(c.clone()))
        }
    };
    let mut targets: Vec<(String, MemoTarget)> = Vec::new();
    for n in &foreign.project_note_refs {
        targets.push((n.clone(), MemoTarget::Project));
    }
    for c in &foreign.codes {
        for n in &c.note_refs {
            targets.push((n.clone(), MemoTarget::Code(c.guid.clone())));
        }
    }
    for s in &foreign.sources {
        let doc = documents
            .contains(s.guid.as_str())
            .then(|| MemoTarget::Document(s.guid.clone()));
        for n in &s.note_refs {
            targets.extend(doc.clone().map(|t| (n.clone(), t)));
        }
        for sel in &s.selections {
            for n in &sel.note_refs {
                targets.extend(target_of(&sel.guid).or(doc.clone()).map(|t| (n.clone(), t)));
            }
            for coding in &sel.codings {
                for n in &coding.note_refs {
                    targets.extend(
                        target_of(&coding.guid)
                            .or(doc.clone())
                            .map(|t| (n.clone(), t)),
                    );
                }
            }
        }
        for coding in &s.whole_codings {
            for n in &coding.note_refs {
                targets.extend(
                    target_of(&coding.guid)
                        .or(doc.clone())
                        .map(|t| (n.clone(), t)),
                );
            }
        }
    }
    let notes: HashSet<&str> = foreign.notes.iter().map(|n| n.guid.as_str()).collect();
    for link in &foreign.links {
        match (&link.origin, &link.target) {
            (Some(o), Some(t)) if notes.contains(o.as_str()) && target_of(t).is_some() => {
                targets.extend(target_of(t).map(|t| (o.clone(), t)));
            }
            (Some(o), Some(t)) if notes.contains(t.as_str()) && target_of(o).is_some() => {
                targets.extend(target_of(o).map(|x| (t.clone(), x)));
            }
            _ => report.not_imported.push(NotImported {
                what: "link".into(),
                name: link.name.clone(),
                reason: "links between objects are not imported (only links from a note)".into(),
            }),
        }
    }
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
            guid: note.guid.clone(),
            target,
            text,
            stamp: note.stamp.clone(),
        });
    }
    memos
}
