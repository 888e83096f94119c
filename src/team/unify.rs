//! What the merge does after choosing versions: pure canonicalisation (documents imported
//! twice, attributes defined twice, coder names) and the merge's own edits, stamped with
//! the merge's time (unifying codes, restoring codes in use, breaking cycles in the code
//! tree, deleting duplicate codings).

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::Arc;

use super::report::{Dropped, Entity, MergeReport, Unified};
use super::snapshot::{AttributeRow, CodeRow, CoderRow, DocumentRow, Snapshot};

/// Gives coders that share a name (different people, or the same person set up twice)
/// distinct names: the smallest GUID keeps the name, the others get « (2) », « (3) »…
pub(super) fn coder_names(coders: &mut BTreeMap<String, CoderRow>, report: &mut MergeReport) {
    let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in coders.values() {
        by_name
            .entry(c.name.clone())
            .or_default()
            .push(c.guid.clone());
    }
    let mut taken: HashSet<String> = by_name.keys().cloned().collect();
    for (name, guids) in by_name {
        for guid in guids.iter().skip(1) {
            let mut n = 2;
            let mut candidate = format!("{name} ({n})");
            while taken.contains(&candidate) {
                n += 1;
                candidate = format!("{name} ({n})");
            }
            taken.insert(candidate.clone());
            report.warnings.push(format!(
                "deux codeurs différents s’appellent « {name} » : le codeur {guid} devient « {candidate} » — two coders share a name; one was renamed"
            ));
            if let Some(c) = coders.get_mut(guid) {
                c.name = candidate;
            }
        }
    }
}

/// Folds live documents with the same text (the same interview imported twice) into the
/// one with the smallest GUID. Returns folded GUID → kept GUID.
pub(super) fn documents(
    docs: &mut HashMap<String, DocumentRow>,
    report: &mut MergeReport,
) -> HashMap<String, String> {
    let mut by_hash: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in docs.values().filter(|d| !d.deleted) {
        by_hash
            .entry(d.content_hash.clone())
            .or_default()
            .push(d.guid.clone());
    }
    let mut map = HashMap::new();
    for (_, mut guids) in by_hash {
        if guids.len() < 2 {
            continue;
        }
        guids.sort();
        let keep = guids[0].clone();
        let mut names = Vec::new();
        for other in &guids[1..] {
            if let Some(d) = docs.remove(other) {
                names.push(d.name);
            }
            map.insert(other.clone(), keep.clone());
        }
        let kept_name = docs.get(&keep).map(|d| d.name.clone()).unwrap_or_default();
        report.unified.push(Unified {
            entity: Entity::Document,
            kept_guid: keep,
            what: format!("« {kept_name} » (aussi — also: {})", names.join(", ")),
            merged_guids: guids[1..].to_vec(),
            reason: "même texte (empreinte SHA-256) : le même entretien importé deux fois ; les codages de tous sont réunis sur un seul document — same text: one interview imported twice; all codings kept on one document".into(),
            applied: true,
        });
    }
    map
}

/// Folds live attributes of the same scope and name into the one with the smallest GUID
/// (the store allows one live attribute per scope and name). Returns folded → kept.
pub(super) fn attributes(
    attrs: &mut HashMap<String, AttributeRow>,
    report: &mut MergeReport,
) -> HashMap<String, String> {
    let mut groups: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for a in attrs.values().filter(|a| !a.deleted) {
        groups
            .entry((a.scope.clone(), a.name.clone()))
            .or_default()
            .push(a.guid.clone());
    }
    let mut map = HashMap::new();
    for ((scope, name), mut guids) in groups {
        if guids.len() < 2 {
            continue;
        }
        guids.sort();
        let keep = guids[0].clone();
        let kept_type = attrs
            .get(&keep)
            .map(|a| a.value_type.clone())
            .unwrap_or_default();
        for other in &guids[1..] {
            if let Some(a) = attrs.remove(other)
                && a.value_type != kept_type
            {
                report.warnings.push(format!(
                    "attribut « {name} » : types {kept_type} et {} ; le type {kept_type} est gardé — two types for one attribute",
                    a.value_type
                ));
            }
            map.insert(other.clone(), keep.clone());
        }
        report.unified.push(Unified {
            entity: Entity::Attribute,
            kept_guid: keep,
            what: format!("« {name} » ({scope})"),
            merged_guids: guids[1..].to_vec(),
            reason: "même nom, même portée — same name and scope".into(),
            applied: true,
        });
    }
    map
}

/// The `/`-separated name path of every code (deleted ones included).
pub(crate) fn code_paths(codes: &HashMap<String, CodeRow>) -> HashMap<String, String> {
    codes
        .keys()
        .map(|g| {
            let mut parts = Vec::new();
            let mut current = codes.get(g);
            while let Some(c) = current {
                parts.push(c.name.as_str());
                if parts.len() > 64 {
                    break;
                }
                current = c.parent.as_deref().and_then(|p| codes.get(p));
            }
            parts.reverse();
            (g.clone(), parts.join("/"))
        })
        .collect()
}

/// Finds cycles in the code tree (one coder moved X under Y while another moved Y under
/// X). With `repair_at` (the merge's time), in each cycle the code whose last change is
/// the oldest goes to the top level, an edit stamped with that time; without, the cycle is
/// only reported.
pub(super) fn break_cycles(
    codes: &mut HashMap<String, CodeRow>,
    repair_at: Option<i64>,
    report: &mut MergeReport,
) {
    let mut guids: Vec<String> = codes.keys().cloned().collect();
    guids.sort();
    let mut done: HashSet<String> = HashSet::new();
    for start in guids {
        let mut path: Vec<String> = Vec::new();
        let mut on_path: HashSet<String> = HashSet::new();
        let mut current = Some(start);
        let mut cycle: Option<Vec<String>> = None;
        while let Some(g) = current {
            if done.contains(&g) {
                break;
            }
            if on_path.contains(&g) {
                let at = path.iter().position(|p| *p == g).unwrap_or(0);
                cycle = Some(path[at..].to_vec());
                break;
            }
            on_path.insert(g.clone());
            path.push(g.clone());
            current = codes
                .get(&g)
                .and_then(|c| c.parent.clone())
                .filter(|p| codes.contains_key(p));
        }
        done.extend(path);
        if let Some(members) = cycle {
            let detach = members
                .iter()
                .filter_map(|g| codes.get(g))
                .min_by(|a, b| (a.modified_at, &a.guid).cmp(&(b.modified_at, &b.guid)))
                .map(|c| c.guid.clone());
            let Some(g) = detach.and_then(|g| codes.get_mut(&g)) else {
                continue;
            };
            match repair_at {
                Some(now_ms) => {
                    g.parent = None;
                    g.modified_at = now_ms;
                    report.warnings.push(format!(
                        "les codes {} s’incluaient l’un l’autre après fusion ; « {} » est remis au premier niveau — codes moved inside each other; one was moved to the top level",
                        members.join(", "),
                        g.name
                    ));
                }
                None => report.warnings.push(format!(
                    "les codes {} s’incluent l’un l’autre : déplacez l’un d’eux — codes moved inside each other: move one of them",
                    members.join(", ")
                )),
            }
        }
    }
}

fn live_groups(codes: &HashMap<String, CodeRow>) -> BTreeMap<(String, String), Vec<String>> {
    let paths = code_paths(codes);
    let mut groups: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for c in codes.values().filter(|c| !c.deleted) {
        groups
            .entry((
                paths.get(&c.guid).cloned().unwrap_or_default(),
                c.kind.clone(),
            ))
            .or_default()
            .push(c.guid.clone());
    }
    groups.retain(|_, g| g.len() > 1);
    for g in groups.values_mut() {
        g.sort();
    }
    groups
}

/// Lists live codes with different GUIDs but the same name path and kind, as offers.
pub(super) fn offer_codes(out: &Snapshot, report: &mut MergeReport) {
    for ((path, kind), guids) in live_groups(&out.codes) {
        report.unified.push(Unified {
            entity: Entity::Code,
            kept_guid: guids[0].clone(),
            what: format!("« {path} » ({kind})"),
            merged_guids: guids[1..].to_vec(),
            reason: "même chemin, même type : sans doute le même code ; fusionnez-les avec --unify-codes ou `fouille code merge` — same name path and kind: probably one code".into(),
            applied: false,
        });
    }
}

/// Merges live codes with the same name path and kind into the smallest GUID, level by
/// level (their children meet under the kept code and are unified in turn). An edit of the
/// merge's own, stamped `now_ms`: the folded codes are deleted, their codings, children and
/// memos move to the kept code.
pub(super) fn unify_codes(out: &mut Snapshot, now_ms: i64, report: &mut MergeReport) {
    let mut map: HashMap<String, String> = HashMap::new();
    let mut queue: VecDeque<Option<String>> = VecDeque::from([None]);
    let paths_before = code_paths(&out.codes);
    while let Some(parent) = queue.pop_front() {
        let mut groups: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        for c in out
            .codes
            .values()
            .filter(|c| !c.deleted && c.parent == parent)
        {
            groups
                .entry((c.name.clone(), c.kind.clone()))
                .or_default()
                .push(c.guid.clone());
        }
        for ((_, kind), mut guids) in groups {
            guids.sort();
            let keep = guids[0].clone();
            for other in &guids[1..] {
                if let Some(c) = out.codes.get_mut(other) {
                    c.deleted = true;
                    c.modified_at = now_ms;
                }
                for child in out
                    .codes
                    .values_mut()
                    .filter(|c| !c.deleted && c.parent.as_deref() == Some(other.as_str()))
                {
                    child.parent = Some(keep.clone());
                    child.modified_at = now_ms;
                }
                map.insert(other.clone(), keep.clone());
            }
            if guids.len() > 1 {
                report.unified.push(Unified {
                    entity: Entity::Code,
                    kept_guid: keep.clone(),
                    what: format!("« {} » ({kind})", paths_before.get(&keep).cloned().unwrap_or_default()),
                    merged_guids: guids[1..].to_vec(),
                    reason: "même chemin, même type : codes fusionnés (--unify-codes) — same name path and kind: codes merged".into(),
                    applied: true,
                });
            }
            queue.push_back(Some(keep));
        }
    }
    if map.is_empty() {
        return;
    }
    let arcs: HashMap<&str, Arc<str>> = map
        .iter()
        .map(|(k, v)| (k.as_str(), Arc::from(v.as_str())))
        .collect();
    for c in out.codings.values_mut().filter(|c| !c.deleted) {
        if let Some(keep) = arcs.get(&*c.code) {
            c.code = keep.clone();
            c.modified_at = now_ms;
        }
    }
    for m in out
        .memos
        .values_mut()
        .filter(|m| !m.deleted && m.target_kind == "code")
    {
        if let Some(keep) = map.get(&m.target_guid) {
            m.target_guid = keep.clone();
            m.modified_at = now_ms;
        }
    }
}

/// Restores deleted codes (and their deleted ancestors) that live codings of live
/// documents still use: one coder deleted the code while another kept coding with it.
/// An edit of the merge's own, stamped `now_ms`.
pub(super) fn restore_codes_in_use(out: &mut Snapshot, now_ms: i64, report: &mut MergeReport) {
    let mut uses: BTreeMap<String, usize> = BTreeMap::new();
    for c in out.codings.values().filter(|c| !c.deleted) {
        let doc_live = out.documents.get(&*c.document).is_some_and(|d| !d.deleted);
        let code_deleted = out.codes.get(&*c.code).is_some_and(|k| k.deleted);
        if doc_live && code_deleted {
            *uses.entry(c.code.to_string()).or_default() += 1;
        }
    }
    if uses.is_empty() {
        return;
    }
    let paths = code_paths(&out.codes);
    for (guid, count) in uses {
        let mut current = Some(guid.clone());
        let mut guard = 0;
        while let Some(g) = current {
            guard += 1;
            let Some(code) = out.codes.get_mut(&g).filter(|_| guard < 64) else {
                break;
            };
            if code.deleted {
                code.deleted = false;
                code.modified_at = now_ms;
            }
            current = code.parent.clone();
        }
        report.restored.push(format!(
            "« {} » : supprimé d’un côté, encore utilisé par {count} codage(s) de l’autre ; restauré — deleted on one side, still used by {count} coding(s): restored",
            paths.get(&guid).cloned().unwrap_or(guid)
        ));
    }
}

/// Deletes live codings that repeat another one exactly (same document, code, range and
/// coder: the same interview imported twice and coded twice); the smallest GUID stays and
/// memos on the deleted ones move to it. An edit of the merge's own, stamped `now_ms`.
pub(super) fn dedupe_codings(out: &mut Snapshot, now_ms: i64, report: &mut MergeReport) {
    type Key = (Arc<str>, Arc<str>, i64, i64, Arc<str>);
    let mut kept: super::fasthash::FastMap<Key, Arc<str>> =
        super::fasthash::FastMap::with_capacity_and_hasher(out.codings.len(), Default::default());
    let mut dropped: Vec<(Arc<str>, Key)> = Vec::new();
    for c in out.codings.values().filter(|c| !c.deleted) {
        let key = (
            c.document.clone(),
            c.code.clone(),
            c.start_char,
            c.end_char,
            c.created_by.clone(),
        );
        match kept.get_mut(&key) {
            Some(k) if c.guid < *k => dropped.push((std::mem::replace(k, c.guid.clone()), key)),
            Some(_) => dropped.push((c.guid.clone(), key)),
            None => {
                kept.insert(key, c.guid.clone());
            }
        }
    }
    let dropped: Vec<(Arc<str>, Arc<str>)> = dropped
        .into_iter()
        .map(|(g, key)| (g, kept[&key].clone()))
        .collect();
    if dropped.is_empty() {
        return;
    }
    let names = super::describe::Names::new(out);
    let mut map: HashMap<String, String> = HashMap::new();
    for (guid, kept) in dropped {
        if let Some(c) = out.codings.get_mut(&guid) {
            c.deleted = true;
            c.modified_at = now_ms;
            report.dropped.push(Dropped {
                entity: Entity::Coding,
                guid: guid.to_string(),
                what: names.coding(c),
                reason: format!("doublon exact du codage {kept} (même document, code, passage et codeur) : supprimé — exact duplicate: deleted"),
            });
        }
        map.insert(guid.to_string(), kept.to_string());
    }
    for m in out
        .memos
        .values_mut()
        .filter(|m| !m.deleted && m.target_kind == "coding")
    {
        if let Some(kept) = map.get(&m.target_guid) {
            m.target_guid = kept.clone();
            m.modified_at = now_ms;
        }
    }
}

/// Warns about live codings the project will not show: on a deleted document or code.
pub(super) fn hidden_warnings(out: &Snapshot, report: &mut MergeReport) {
    let names = super::describe::Names::new(out);
    let mut on_deleted_doc: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut on_deleted_code: BTreeMap<(String, String), usize> = BTreeMap::new();
    for c in out.codings.values().filter(|c| !c.deleted) {
        if out.documents.get(&*c.document).is_some_and(|d| d.deleted) {
            *on_deleted_doc
                .entry((names.document(&c.document), names.coder(&c.created_by)))
                .or_default() += 1;
        } else if out.codes.get(&*c.code).is_some_and(|k| k.deleted) {
            *on_deleted_code
                .entry((names.code(&c.code), names.coder(&c.created_by)))
                .or_default() += 1;
        }
    }
    for ((doc, coder), n) in on_deleted_doc {
        report.warnings.push(format!(
            "{n} codage(s) de {coder} portent sur le document supprimé « {doc} » : gardés mais masqués — codings on a deleted document: kept, hidden"
        ));
    }
    for ((code, coder), n) in on_deleted_code {
        report.warnings.push(format!(
            "{n} codage(s) de {coder} utilisent le code supprimé « {code} » : gardés mais masqués — codings with a deleted code: kept, hidden"
        ));
    }
    for c in out.codes.values().filter(|c| !c.deleted) {
        if c.parent
            .as_deref()
            .and_then(|p| out.codes.get(p))
            .is_some_and(|p| p.deleted)
        {
            report.warnings.push(format!(
                "le code « {} » est vivant sous un parent supprimé — a live code under a deleted parent",
                names.code(&c.guid)
            ));
        }
    }
}
