//! Merging copies of a project coded apart (see [`crate::team`] for the rules).
//!
//! [`merge_snapshots`] is the pure merge; [`merge_files`] writes its result as a new
//! project (built under a temporary name and renamed at the end, so a failure leaves
//! nothing), [`merge_into`] folds other copies into an open project after a backup, in one
//! transaction.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::rebase::{OffsetMap, Placement};
use super::report::{Dropped, Entity, EntityCounts, InputSummary, MergeReport, Rebased, Superseded, Version};
use super::snapshot::{CoderRow, CodingRow, Interner, Snapshot, Versioned, load, open_read_only};
use super::{TeamError, TeamResult, unify, write};
use crate::model::text::slice_chars;
use crate::store::{Project, StoreError};

/// What a merge may do besides choosing between versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergeOptions {
    /// Merge codes with different GUIDs but the same name path and kind (otherwise they
    /// are only listed in the report as "same code?").
    pub unify_codes: bool,
    /// Restore a deleted code when live codings (made by another coder) still use it, so
    /// no coding is hidden.
    pub restore_codes_in_use: bool,
    /// Break cycles in the code tree (one coder moved X under Y, another Y under X) by
    /// moving one code of each cycle to the top level.
    pub break_cycles: bool,
    /// Delete live codings that repeat another exactly (same document, code, range and
    /// coder: the same interview imported twice and coded twice).
    pub drop_duplicate_codings: bool,
    /// The merge's time (ms): the `modified_at` of the edits the options above make.
    pub now_ms: i64,
}

impl MergeOptions {
    /// Only choose between versions and canonicalise: no edit of the merge's own. This is
    /// the merge the laws (idempotent, order-free, associative) are proved on.
    pub fn pure() -> MergeOptions {
        MergeOptions { unify_codes: false, restore_codes_in_use: false, break_cycles: false, drop_duplicate_codings: false, now_ms: 0 }
    }
}

impl Default for MergeOptions {
    /// Restore codes in use, break cycles, drop duplicate codings, do not unify codes, now.
    fn default() -> MergeOptions {
        MergeOptions { unify_codes: false, restore_codes_in_use: true, break_cycles: true, drop_duplicate_codings: true, now_ms: crate::model::now_ms() }
    }
}

/// The versions of one row across the inputs.
#[derive(Debug, Clone)]
pub(crate) struct Chosen<R> {
    /// The winning version.
    pub winner: R,
    /// Inputs (bits) holding the winning version.
    pub holders: u64,
    /// Inputs holding any version.
    pub present: u64,
    /// Distinct superseded versions and the inputs holding each.
    pub others: Vec<(R, u64)>,
}

/// Collects versions and keeps the greatest of each key.
pub(crate) struct Chooser<K, R> {
    map: HashMap<K, Chosen<R>>,
}

impl<K: Hash + Eq, R: Versioned> Chooser<K, R> {
    pub(crate) fn new() -> Self {
        Chooser { map: HashMap::new() }
    }

    fn push_other(others: &mut Vec<(R, u64)>, row: R, bits: u64) {
        match others.iter_mut().find(|(o, _)| o.same_version(&row)) {
            Some((_, b)) => *b |= bits,
            None => others.push((row, bits)),
        }
    }

    /// Offers the version `row` of `key` held by input `input`.
    pub(crate) fn offer(&mut self, input: usize, key: K, row: R) {
        let bit = 1u64 << input;
        match self.map.entry(key) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(Chosen { winner: row, holders: bit, present: bit, others: Vec::new() });
            }
            std::collections::hash_map::Entry::Occupied(mut e) => {
                let c = e.get_mut();
                c.present |= bit;
                match row.version_cmp(&c.winner) {
                    std::cmp::Ordering::Equal => {
                        c.holders |= bit;
                        if row.source() < c.winner.source() {
                            c.winner.set_source(row.source());
                        }
                    }
                    std::cmp::Ordering::Greater => {
                        let old = std::mem::replace(&mut c.winner, row);
                        let old_holders = std::mem::replace(&mut c.holders, bit);
                        Self::push_other(&mut c.others, old, old_holders);
                    }
                    std::cmp::Ordering::Less => Self::push_other(&mut c.others, row, bit),
                }
            }
        }
    }

    pub(crate) fn finish(self) -> HashMap<K, Chosen<R>> {
        self.map
    }
}

fn choose<K: Hash + Eq, R: Versioned>(rows: impl Iterator<Item = (usize, K, R)>) -> HashMap<K, Chosen<R>> {
    let mut chooser = Chooser::new();
    for (i, k, r) in rows {
        chooser.offer(i, k, r);
    }
    chooser.finish()
}

fn winners<K: Hash + Eq + Clone, R: Clone>(chosen: &HashMap<K, Chosen<R>>) -> HashMap<K, R> {
    chosen.iter().map(|(k, c)| (k.clone(), c.winner.clone())).collect()
}

/// Merges snapshots: a pure function of the set of inputs (their order does not matter).
/// Returns the merged project and the report (its `output` left empty).
pub fn merge_snapshots(inputs: &[Snapshot], options: &MergeOptions) -> TeamResult<(Snapshot, MergeReport)> {
    if inputs.len() > 64 {
        return Err(TeamError::Invalid("at most 64 projects can be merged at once".into()));
    }
    let mut report = MergeReport { merged_at: options.now_ms, ..MergeReport::default() };
    let mut out = Snapshot::default();
    out.project = inputs
        .iter()
        .filter_map(|s| s.project.as_ref())
        .max_by(|a, b| (a.modified_at, &a.name, &a.settings).cmp(&(b.modified_at, &b.name, &b.settings)))
        .cloned();
    if let Some(p) = out.project.as_mut() {
        p.created_at = inputs.iter().filter_map(|s| s.project.as_ref()).map(|p| p.created_at).min().unwrap_or(p.created_at);
    }

    let mut coders: BTreeMap<String, CoderRow> = BTreeMap::new();
    for c in inputs.iter().flat_map(|s| s.coders.values()) {
        match coders.get_mut(&c.guid) {
            Some(e) if (&c.name, c.created_at) < (&e.name, e.created_at) => *e = c.clone(),
            Some(_) => {}
            None => {
                coders.insert(c.guid.clone(), c.clone());
            }
        }
    }
    unify::coder_names(&mut coders, &mut report);
    out.coders = coders.into_iter().collect();

    let respondents = choose(
        inputs.iter().enumerate().flat_map(|(i, s)| s.respondents.values().map(move |r| (i, r.guid.clone(), r.clone()))),
    );
    out.respondents = winners(&respondents);

    let documents = choose(
        inputs.iter().enumerate().flat_map(|(i, s)| s.documents.values().map(move |r| (i, r.guid.clone(), r.clone()))),
    );
    out.documents = winners(&documents);
    let doc_map = unify::documents(&mut out.documents, &mut report);

    let attributes = choose(
        inputs.iter().enumerate().flat_map(|(i, s)| s.attributes.values().map(move |r| (i, r.guid.clone(), r.clone()))),
    );
    out.attributes = winners(&attributes);
    let attr_map = unify::attributes(&mut out.attributes, &mut report);
    let values = choose(inputs.iter().enumerate().flat_map(|(i, s)| {
        let (doc_map, attr_map) = (&doc_map, &attr_map);
        s.values.values().map(move |v| {
            let mut v = v.clone();
            if let Some(a) = attr_map.get(&v.attribute) {
                v.attribute = a.clone();
            }
            if let Some(d) = doc_map.get(&v.owner) {
                v.owner = d.clone();
            }
            (i, (v.attribute.clone(), v.owner.clone()), v)
        })
    }));
    out.values = winners(&values);

    let codes = choose(inputs.iter().enumerate().flat_map(|(i, s)| s.codes.values().map(move |r| (i, r.guid.clone(), r.clone()))));
    out.codes = winners(&codes);

    let codings = merge_codings(inputs, &doc_map, &mut out, &mut report);

    let memos = choose(inputs.iter().enumerate().flat_map(|(i, s)| {
        let doc_map = &doc_map;
        s.memos.values().map(move |m| {
            let mut m = m.clone();
            if m.target_kind == "document" {
                if let Some(d) = doc_map.get(&m.target_guid) {
                    m.target_guid = d.clone();
                }
            }
            (i, m.guid.clone(), m)
        })
    }));
    out.memos = winners(&memos);

    for (original, replacement) in inputs.iter().flat_map(|s| s.pseudonyms.iter()) {
        match out.pseudonyms.get_mut(original) {
            Some(existing) if existing != replacement => {
                report.warnings.push(format!(
                    "pseudonyme de « {original} » : « {existing} » et « {replacement} » — the smaller is kept"
                ));
                if replacement < existing {
                    *existing = replacement.clone();
                }
            }
            Some(_) => {}
            None => {
                out.pseudonyms.insert(original.clone(), replacement.clone());
            }
        }
    }

    unify::break_cycles(&mut out.codes, options.break_cycles.then_some(options.now_ms), &mut report);
    if options.unify_codes {
        unify::unify_codes(&mut out, options.now_ms, &mut report);
    } else {
        unify::offer_codes(&out, &mut report);
    }
    if options.restore_codes_in_use {
        unify::restore_codes_in_use(&mut out, options.now_ms, &mut report);
    }
    if options.drop_duplicate_codings {
        unify::dedupe_codings(&mut out, options.now_ms, &mut report);
    }
    unify::hidden_warnings(&out, &mut report);

    let names = Names::new(&out);
    let labels: Vec<String> = inputs.iter().map(|s| s.label.clone()).collect();
    let ctx = Ctx { names: &names, labels: &labels };
    superseded(&respondents, Entity::Respondent, &ctx, |r, _| format!("« {} » ({}, {})", r.name, r.pseudonym, r.consent), &mut report);
    superseded(&documents, Entity::Document, &ctx, |d, _| format!("« {} » ({} car., texte {})", d.name, d.char_len, &d.content_hash[..d.content_hash.len().min(8)]), &mut report);
    superseded(&attributes, Entity::Attribute, &ctx, |a, _| format!("« {} » ({}, {})", a.name, a.scope, a.value_type), &mut report);
    superseded(&values, Entity::AttributeValue, &ctx, |v, n| format!("{} de {} = « {} »", n.attribute(&v.attribute), n.owner(&v.owner), v.value), &mut report);
    superseded(&codes, Entity::Code, &ctx, |c, n| {
        format!("« {} » ({}) sous « {} », {}", c.name, c.kind, c.parent.as_deref().map(|p| n.code(p)).unwrap_or_default(), c.color)
    }, &mut report);
    superseded(&codings, Entity::Coding, &ctx, |c, n| n.coding(c), &mut report);
    superseded(&memos, Entity::Memo, &ctx, |m, _| format!("sur {} {} : « {} »", m.target_kind, m.target_guid, short(&m.text, 80)), &mut report);
    report.superseded.sort_by(|a, b| (a.entity, &a.what, &a.guid, a.lost.modified_at).cmp(&(b.entity, &b.what, &b.guid, b.lost.modified_at)));

    for (i, s) in inputs.iter().enumerate() {
        let bit = 1u64 << i;
        let only = |present: u64| present == bit;
        let mut summary = InputSummary {
            label: s.label.clone(),
            project_name: s.project.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
            live: live_counts(s),
            ..InputSummary::default()
        };
        let o = &mut summary.only_here;
        o.respondents = respondents.values().filter(|c| only(c.present)).count();
        o.documents = documents.values().filter(|c| only(c.present)).count();
        o.attributes = attributes.values().filter(|c| only(c.present)).count();
        o.codes = codes.values().filter(|c| only(c.present)).count();
        o.codings = codings.values().filter(|c| only(c.present)).count();
        o.memos = memos.values().filter(|c| only(c.present)).count();
        o.coders = s.coders.keys().filter(|g| inputs.iter().enumerate().all(|(j, t)| j == i || !t.coders.contains_key(*g))).count();
        summary.new_codes = codes.iter().filter(|(_, c)| only(c.present) && !c.winner.deleted).map(|(g, _)| names.code(g)).collect();
        summary.new_codes.sort();
        summary.new_documents =
            documents.values().filter(|c| only(c.present) && !c.winner.deleted).map(|c| c.winner.name.clone()).collect();
        summary.new_documents.sort();
        report.inputs.push(summary);
    }
    report.result = live_counts(&out);
    report.unified.sort_by(|a, b| (a.entity, &a.what, &a.kept_guid).cmp(&(b.entity, &b.what, &b.kept_guid)));
    report.dropped.sort_by(|a, b| (a.entity, &a.what, &a.guid).cmp(&(b.entity, &b.what, &b.guid)));
    report.rebased.sort_by(|a, b| (&a.document, &a.document_guid).cmp(&(&b.document, &b.document_guid)));
    report.restored.sort();
    report.warnings.sort();
    Ok((out, report))
}

/// Chooses codings after mapping their documents and rebasing their offsets onto the
/// winning text; drops the live codings that cannot be placed.
fn merge_codings(
    inputs: &[Snapshot],
    doc_map: &HashMap<String, String>,
    out: &mut Snapshot,
    report: &mut MergeReport,
) -> HashMap<Arc<str>, Chosen<CodingRow>> {
    let texts: HashMap<&str, &Arc<str>> =
        inputs.iter().flat_map(|s| s.documents.values()).map(|d| (d.content_hash.as_str(), &d.text)).collect();
    let mut cache: HashMap<(Arc<str>, String), OffsetMap> = HashMap::new();
    let mut placed: HashMap<(Arc<str>, i64, i64), bool> = HashMap::new();
    let mut interner = Interner::default();
    let mut chooser = Chooser::new();
    for (i, s) in inputs.iter().enumerate() {
        for c in s.codings.values() {
            let mut v = c.clone();
            if let Some(canonical) = doc_map.get(&*v.document) {
                v.document = interner.get(canonical);
            }
            if let Some(doc) = out.documents.get(&*v.document) {
                if *v.base_hash != *doc.content_hash {
                    let key = (v.base_hash.clone(), doc.content_hash.clone());
                    let map = cache.entry(key).or_insert_with(|| match texts.get(&*v.base_hash) {
                        Some(old) => OffsetMap::between(old, &doc.text),
                        None => OffsetMap::default(),
                    });
                    let (start, end) = (usize::try_from(v.start_char).unwrap_or(0), usize::try_from(v.end_char).unwrap_or(0));
                    let placement = map.place(start, end);
                    if let Placement::Exact(s, e) | Placement::Adjusted(s, e) = placement {
                        v.start_char = s as i64;
                        v.end_char = e as i64;
                        v.base_hash = interner.get(&doc.content_hash);
                        placed.insert((v.guid.clone(), v.start_char, v.end_char), matches!(placement, Placement::Exact(..)));
                    }
                }
            }
            chooser.offer(i, v.guid.clone(), v);
        }
    }
    let chosen = chooser.finish();
    let mut rebased: BTreeMap<String, Rebased> = BTreeMap::new();
    let names = Names::new(out);
    for (guid, c) in &chosen {
        let w = &c.winner;
        let Some(doc) = out.documents.get(&*w.document) else {
            out.codings.insert(guid.clone(), w.clone());
            continue;
        };
        let stats = || Rebased { document_guid: doc.guid.clone(), document: doc.name.clone(), exact: 0, adjusted: 0, unplaced: 0 };
        if *w.base_hash != *doc.content_hash {
            if w.deleted {
                out.codings.insert(guid.clone(), w.clone());
                continue;
            }
            rebased.entry(doc.guid.clone()).or_insert_with(stats).unplaced += 1;
            let quote = texts
                .get(&*w.base_hash)
                .and_then(|t| slice_chars(t, usize::try_from(w.start_char).unwrap_or(0), usize::try_from(w.end_char).unwrap_or(0)))
                .unwrap_or("");
            report.dropped.push(Dropped {
                entity: Entity::Coding,
                guid: guid.to_string(),
                what: format!("{} : « {} »", names.coding(w), short(quote, 120)),
                reason: "le texte du document a été modifié à cet endroit : codage non replacé, à recoder — the text was edited there: the coding could not be placed, recode it".into(),
            });
            continue;
        }
        if let Some(exact) = placed.get(&(guid.clone(), w.start_char, w.end_char)) {
            let entry = rebased.entry(doc.guid.clone()).or_insert_with(stats);
            if *exact {
                entry.exact += 1;
            } else {
                entry.adjusted += 1;
            }
        }
        out.codings.insert(guid.clone(), w.clone());
    }
    report.rebased.extend(rebased.into_values());
    chosen
}

fn short(text: &str, max_chars: usize) -> String {
    let mut out: String = text.chars().take(max_chars).collect();
    if text.chars().count() > max_chars {
        out.push('…');
    }
    out.replace('\n', " ")
}

fn live_counts(s: &Snapshot) -> EntityCounts {
    EntityCounts {
        coders: s.coders.len(),
        respondents: s.respondents.values().filter(|r| !r.deleted).count(),
        documents: s.documents.values().filter(|r| !r.deleted).count(),
        attributes: s.attributes.values().filter(|r| !r.deleted).count(),
        codes: s.codes.values().filter(|r| !r.deleted).count(),
        codings: s.codings.values().filter(|r| !r.deleted).count(),
        memos: s.memos.values().filter(|r| !r.deleted).count(),
    }
}

/// Names of the merged rows, to describe rows in the report.
pub(crate) struct Names {
    code_paths: HashMap<String, String>,
    documents: HashMap<String, String>,
    coders: HashMap<String, String>,
    attributes: HashMap<String, String>,
    respondents: HashMap<String, String>,
}

impl Names {
    pub(crate) fn new(s: &Snapshot) -> Names {
        Names {
            code_paths: unify::code_paths(&s.codes),
            documents: s.documents.values().map(|d| (d.guid.clone(), d.name.clone())).collect(),
            coders: s.coders.values().map(|c| (c.guid.clone(), c.name.clone())).collect(),
            attributes: s.attributes.values().map(|a| (a.guid.clone(), a.name.clone())).collect(),
            respondents: s.respondents.values().map(|r| (r.guid.clone(), r.name.clone())).collect(),
        }
    }
    pub(crate) fn code(&self, guid: &str) -> String {
        self.code_paths.get(guid).cloned().unwrap_or_else(|| guid.to_string())
    }
    pub(crate) fn document(&self, guid: &str) -> String {
        self.documents.get(guid).cloned().unwrap_or_else(|| guid.to_string())
    }
    pub(crate) fn coder(&self, guid: &str) -> String {
        self.coders.get(guid).cloned().unwrap_or_else(|| guid.to_string())
    }
    fn attribute(&self, guid: &str) -> String {
        self.attributes.get(guid).cloned().unwrap_or_else(|| guid.to_string())
    }
    fn owner(&self, guid: &str) -> String {
        self.respondents.get(guid).or_else(|| self.documents.get(guid)).cloned().unwrap_or_else(|| guid.to_string())
    }
    pub(crate) fn coding(&self, c: &CodingRow) -> String {
        format!(
            "« {} » sur « {} » [{}..{}] par {}",
            self.code(&c.code),
            self.document(&c.document),
            c.start_char,
            c.end_char,
            self.coder(&c.created_by)
        )
    }
}

struct Ctx<'a> {
    names: &'a Names,
    labels: &'a [String],
}

impl Ctx<'_> {
    fn labels_of(&self, bits: u64) -> Vec<String> {
        self.labels
            .iter()
            .enumerate()
            .filter(|(i, _)| bits & (1u64 << i) != 0)
            .map(|(_, l)| if l.is_empty() { "(ce projet — this project)".to_string() } else { l.clone() })
            .collect()
    }
}

trait KeyText {
    fn key_text(&self) -> String;
}
impl KeyText for String {
    fn key_text(&self) -> String {
        self.clone()
    }
}
impl KeyText for Arc<str> {
    fn key_text(&self) -> String {
        self.to_string()
    }
}
impl KeyText for (String, String) {
    fn key_text(&self) -> String {
        format!("{}/{}", self.0, self.1)
    }
}

fn superseded<K: KeyText, R: Versioned>(
    chosen: &HashMap<K, Chosen<R>>,
    entity: Entity,
    ctx: &Ctx,
    describe: impl Fn(&R, &Names) -> String,
    report: &mut MergeReport,
) {
    for (key, c) in chosen {
        for (other, bits) in &c.others {
            let version = |r: &R, bits: u64| Version {
                from: ctx.labels_of(bits),
                modified_at: r.modified_at(),
                deleted: r.deleted(),
                summary: describe(r, ctx.names),
            };
            report.superseded.push(Superseded {
                entity,
                guid: key.key_text(),
                what: describe(&c.winner, ctx.names),
                kept: version(&c.winner, c.holders),
                lost: version(other, *bits),
                both_changed: other.created_at().is_none_or(|created| other.modified_at() > created),
            });
        }
    }
}

fn unique_labels(paths: &[PathBuf]) -> Vec<String> {
    let names: Vec<String> =
        paths.iter().map(|p| p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default()).collect();
    names
        .iter()
        .zip(paths)
        .map(|(n, p)| if names.iter().filter(|m| *m == n).count() > 1 { p.display().to_string() } else { n.clone() })
        .collect()
}

fn load_inputs(inputs: &[PathBuf]) -> TeamResult<Vec<Snapshot>> {
    let labels = unique_labels(inputs);
    inputs
        .iter()
        .zip(labels)
        .map(|(path, label)| {
            let conn = open_read_only(path)?;
            load(&conn, &label)
        })
        .collect()
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_partial(partial: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal", ".lock"] {
        let _ = std::fs::remove_file(sibling(partial, suffix));
    }
}

/// Merges project files into a new project `out` (which must not exist). The project is
/// written under a temporary name in one transaction and renamed when complete: on any
/// failure nothing is left behind.
pub fn merge_files(out: &Path, inputs: &[PathBuf], options: &MergeOptions) -> TeamResult<MergeReport> {
    if out.exists() {
        return Err(TeamError::Invalid(format!("{} already exists: choose a new file to merge into", out.display())));
    }
    if inputs.is_empty() {
        return Err(TeamError::Invalid("nothing to merge".into()));
    }
    let snapshots = load_inputs(inputs)?;
    let (merged, mut report) = merge_snapshots(&snapshots, options)?;
    report.output = out.display().to_string();
    let partial = sibling(out, ".partial");
    remove_partial(&partial);
    let result = (|| -> TeamResult<()> {
        let name = merged.project.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| "Fusion".into());
        let mut project = Project::create(&partial, &name, Some(&format!("fouille-merge-{}", crate::model::new_guid())))?;
        project.bulk_action(|tx| write::write_snapshot(tx.conn, &merged, true))?;
        project.checkpoint()?;
        drop(project);
        std::fs::rename(&partial, out).map_err(|e| TeamError::Io { path: out.display().to_string(), source: e })?;
        Ok(())
    })();
    if let Err(e) = result {
        remove_partial(&partial);
        return Err(e);
    }
    Ok(report)
}

/// Where [`merge_into`] puts its backup: beside the project, named with the time.
pub fn backup_path(project: &Path, now_ms: i64) -> PathBuf {
    let stem = project.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "projet".into());
    let stamp = chrono::DateTime::from_timestamp_millis(now_ms)
        .map(|d| d.format("%Y%m%d-%H%M%S-%3f").to_string())
        .unwrap_or_default();
    project.with_file_name(format!("{stem}.avant-fusion-{stamp}.fouille"))
}

/// Merges project files into an open project: a backup is written first
/// ([`backup_path`]), then the whole merge is applied in one transaction (all or nothing).
/// The undo history is cleared (the backup is the way back). The report's `backup` names
/// the backup.
pub fn merge_into(project: &mut Project, inputs: &[PathBuf], options: &MergeOptions) -> TeamResult<MergeReport> {
    if inputs.is_empty() {
        return Err(TeamError::Invalid("nothing to merge".into()));
    }
    let mut snapshots = vec![load(project.conn(), "")?];
    snapshots.extend(load_inputs(inputs)?);
    let (merged, mut report) = merge_snapshots(&snapshots, options)?;
    let backup = backup_path(project.path(), crate::model::now_ms());
    project.checkpoint()?;
    project.backup_to(&backup)?;
    project.bulk_action(|tx| {
        write::write_snapshot(tx.conn, &merged, false)?;
        tx.conn.execute_batch("DELETE FROM history; DELETE FROM history_steps;")?;
        Ok::<(), StoreError>(())
    })?;
    report.output = project.path().display().to_string();
    report.backup = Some(backup.display().to_string());
    Ok(report)
}
