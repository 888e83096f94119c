//! Merging copies of a project coded apart (see [`crate::team`] for the rules).
//!
//! [`merge_snapshots`] is the pure merge; [`merge_files`] writes its result as a new
//! project (a copy of the largest input that receives the differences, built under a
//! temporary name and renamed at the end, so a failure leaves nothing), [`merge_into`]
//! folds other copies into an open project after a backup, in one transaction.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::choose::{Chosen, choose, winners};
use super::describe::{Ctx, Names, live_counts, short, superseded};
use super::fasthash::FastMap;
use super::place::{CodingOutcome, merge_codings};
use super::report::{Entity, InputSummary, MergeReport};
use super::snapshot::{
    AttributeRow, CodeRow, CoderRow, DocumentRow, MemoRow, RespondentRow, Snapshot, ValueRow,
    Versioned, load, open_read_only,
};
use super::{TeamError, TeamResult, unify, write};
use crate::store::sync::copy;
use crate::store::{Project, StoreError, history};

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
        MergeOptions {
            unify_codes: false,
            restore_codes_in_use: false,
            break_cycles: false,
            drop_duplicate_codings: false,
            now_ms: 0,
        }
    }
}

impl Default for MergeOptions {
    /// Restore codes in use, break cycles, drop duplicate codings, do not unify codes, now.
    fn default() -> MergeOptions {
        MergeOptions {
            unify_codes: false,
            restore_codes_in_use: true,
            break_cycles: true,
            drop_duplicate_codings: true,
            now_ms: crate::model::now_ms(),
        }
    }
}

/// Most projects one merge takes (the input a row came from is kept as a bit of a 64-bit
/// mask).
const MAX_INPUTS: usize = 64;

/// Merges snapshots: a pure function of the set of inputs (their order does not matter).
/// Returns the merged project and the report (its `output` left empty).
pub fn merge_snapshots(
    inputs: &[Snapshot],
    options: &MergeOptions,
) -> TeamResult<(Snapshot, MergeReport)> {
    if inputs.len() > MAX_INPUTS {
        return Err(TeamError::TooManyInputs { max: MAX_INPUTS });
    }
    let mut report = MergeReport {
        merged_at: options.now_ms,
        ..MergeReport::default()
    };
    let mut out = start_output(inputs);
    out.coders = merge_coders(inputs, &mut report);
    let versions = choose_versions(inputs, &mut out, &mut report)?;
    out.pseudonyms = merge_pseudonyms(inputs, &mut report);
    apply_options(&mut out, options, &mut report);

    let names = Names::new(&out);
    let labels: Vec<String> = inputs.iter().map(|s| s.label.clone()).collect();
    let ctx = Ctx {
        names: &names,
        labels: &labels,
    };
    report_superseded(&versions, &ctx, &mut report);
    for (i, s) in inputs.iter().enumerate() {
        report
            .inputs
            .push(summarise_input(inputs, i, s, &versions, &names));
    }
    report.result = live_counts(&out);
    sort_report(&mut report);
    Ok((out, report))
}

/// The merged snapshot before any table is merged: the project row of the latest change
/// (dated from the earliest creation) and every input's text sources.
fn start_output(inputs: &[Snapshot]) -> Snapshot {
    let mut out = Snapshot {
        project: inputs
            .iter()
            .filter_map(|s| s.project.as_ref())
            .max_by(|a, b| {
                (a.modified_at, &a.name, &a.settings).cmp(&(b.modified_at, &b.name, &b.settings))
            })
            .cloned(),
        text_sources: inputs
            .iter()
            .flat_map(|s| s.text_sources.iter().cloned())
            .collect(),
        ..Snapshot::default()
    };
    if let Some(p) = out.project.as_mut() {
        p.created_at = inputs
            .iter()
            .filter_map(|s| s.project.as_ref())
            .map(|p| p.created_at)
            .min()
            .unwrap_or(p.created_at);
    }
    out
}

/// Coders have no versions: of two rows with one GUID the smaller (name, creation) is
/// kept; names shared by different GUIDs are then told apart.
fn merge_coders(inputs: &[Snapshot], report: &mut MergeReport) -> HashMap<String, CoderRow> {
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
    unify::coder_names(&mut coders, report);
    coders.into_iter().collect()
}

/// Every version of every row of each table, the winners chosen: what the report
/// describes after the merge.
struct Versions {
    respondents: FastMap<String, Chosen<RespondentRow>>,
    documents: FastMap<String, Chosen<DocumentRow>>,
    attributes: FastMap<String, Chosen<AttributeRow>>,
    values: FastMap<(String, String), Chosen<ValueRow>>,
    codes: FastMap<String, Chosen<CodeRow>>,
    codings: CodingOutcome,
    memos: FastMap<String, Chosen<MemoRow>>,
}

/// Chooses between the versions of the rows of one table, keyed by `guid`.
fn choose_each<R: Versioned>(
    inputs: &[Snapshot],
    rows: impl Fn(&Snapshot) -> &HashMap<String, R>,
    guid: impl Fn(&R) -> &String,
) -> FastMap<String, Chosen<R>> {
    let guid = &guid;
    choose(inputs.iter().enumerate().flat_map(|(i, s)| {
        rows(s)
            .values()
            .map(move |r| (i, guid(r).clone(), r.clone()))
    }))
}

/// Chooses the winning version of every row, table by table, into `out`, and folds
/// duplicates: documents with the same text, attributes with the same scope and name.
/// References to folded rows (attribute values, codings, memos on a document) follow
/// the row kept.
fn choose_versions(
    inputs: &[Snapshot],
    out: &mut Snapshot,
    report: &mut MergeReport,
) -> TeamResult<Versions> {
    let respondents = choose_each(inputs, |s| &s.respondents, |r| &r.guid);
    out.respondents = winners(&respondents);
    let documents = choose_each(inputs, |s| &s.documents, |d| &d.guid);
    out.documents = winners(&documents);
    let doc_map = unify::documents(&mut out.documents, report);
    let attributes = choose_each(inputs, |s| &s.attributes, |a| &a.guid);
    out.attributes = winners(&attributes);
    let attr_map = unify::attributes(&mut out.attributes, report);
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
    let codes = choose_each(inputs, |s| &s.codes, |c| &c.guid);
    out.codes = winners(&codes);
    let codings = merge_codings(inputs, &doc_map, out, report)?;
    let memos = choose(inputs.iter().enumerate().flat_map(|(i, s)| {
        let doc_map = &doc_map;
        s.memos.values().map(move |m| {
            let mut m = m.clone();
            if m.target_kind == "document"
                && let Some(d) = doc_map.get(&m.target_guid)
            {
                m.target_guid = d.clone();
            }
            (i, m.guid.clone(), m)
        })
    }));
    out.memos = winners(&memos);
    Ok(Versions {
        respondents,
        documents,
        attributes,
        values,
        codes,
        codings,
        memos,
    })
}

/// The pseudonym lists joined; when two inputs replace one original differently, the
/// smaller replacement is kept and a warning says so.
fn merge_pseudonyms(inputs: &[Snapshot], report: &mut MergeReport) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for (original, replacement) in inputs.iter().flat_map(|s| s.pseudonyms.iter()) {
        match out.get_mut(original) {
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
                out.insert(original.clone(), replacement.clone());
            }
        }
    }
    out
}

/// The edits a merge makes of its own (see [`MergeOptions`]), then the warnings about
/// codings a deleted code or document would hide.
fn apply_options(out: &mut Snapshot, options: &MergeOptions, report: &mut MergeReport) {
    unify::break_cycles(
        &mut out.codes,
        options.break_cycles.then_some(options.now_ms),
        report,
    );
    if options.unify_codes {
        unify::unify_codes(out, options.now_ms, report);
    } else {
        unify::offer_codes(out, report);
    }
    if options.restore_codes_in_use {
        unify::restore_codes_in_use(out, options.now_ms, report);
    }
    if options.drop_duplicate_codings {
        unify::dedupe_codings(out, options.now_ms, report);
    }
    unify::hidden_warnings(out, report);
}

/// Lists in the report every version that lost, table by table, each described in words.
fn report_superseded(v: &Versions, ctx: &Ctx, report: &mut MergeReport) {
    superseded(
        v.respondents.iter(),
        Entity::Respondent,
        ctx,
        |r, _| format!("« {} » ({}, {})", r.name, r.pseudonym, r.consent),
        report,
    );
    superseded(
        v.documents.iter(),
        Entity::Document,
        ctx,
        |d, _| {
            format!(
                "« {} » ({} car., texte {})",
                d.name,
                d.char_len,
                &d.content_hash[..d.content_hash.len().min(8)]
            )
        },
        report,
    );
    superseded(
        v.attributes.iter(),
        Entity::Attribute,
        ctx,
        |a, _| format!("« {} » ({}, {})", a.name, a.scope, a.value_type),
        report,
    );
    superseded(
        v.values.iter(),
        Entity::AttributeValue,
        ctx,
        |v, n| {
            format!(
                "{} de {} = « {} »",
                n.attribute(&v.attribute),
                n.owner(&v.owner),
                v.value
            )
        },
        report,
    );
    superseded(
        v.codes.iter(),
        Entity::Code,
        ctx,
        |c, n| {
            format!(
                "« {} » ({}) sous « {} », {}",
                c.name,
                c.kind,
                c.parent.as_deref().map(|p| n.code(p)).unwrap_or_default(),
                c.color
            )
        },
        report,
    );
    superseded(
        v.codings.differing.iter().map(|(k, c)| (k, c)),
        Entity::Coding,
        ctx,
        |c, n| n.coding(c),
        report,
    );
    superseded(
        v.memos.iter(),
        Entity::Memo,
        ctx,
        |m, _| {
            format!(
                "sur {} {} : « {} »",
                m.target_kind,
                m.target_guid,
                short(&m.text, 80)
            )
        },
        report,
    );
}

/// What input `i` (`s`) brought: its live rows, the rows found in it alone, its new codes
/// and documents.
fn summarise_input(
    inputs: &[Snapshot],
    i: usize,
    s: &Snapshot,
    v: &Versions,
    names: &Names,
) -> InputSummary {
    let bit = 1u64 << i;
    let only = |present: u64| present == bit;
    let mut summary = InputSummary {
        label: s.label.clone(),
        project_name: s
            .project
            .as_ref()
            .map(|p| p.name.clone())
            .unwrap_or_default(),
        live: live_counts(s),
        ..InputSummary::default()
    };
    let o = &mut summary.only_here;
    o.respondents = v.respondents.values().filter(|c| only(c.present)).count();
    o.documents = v.documents.values().filter(|c| only(c.present)).count();
    o.attributes = v.attributes.values().filter(|c| only(c.present)).count();
    o.codes = v.codes.values().filter(|c| only(c.present)).count();
    o.codings = v.codings.only_here[i];
    o.memos = v.memos.values().filter(|c| only(c.present)).count();
    o.coders = s
        .coders
        .keys()
        .filter(|g| {
            inputs
                .iter()
                .enumerate()
                .all(|(j, t)| j == i || !t.coders.contains_key(*g))
        })
        .count();
    summary.new_codes = v
        .codes
        .iter()
        .filter(|(_, c)| only(c.present) && !c.winner.deleted)
        .map(|(g, _)| names.code(g))
        .collect();
    summary.new_codes.sort();
    summary.new_documents = v
        .documents
        .values()
        .filter(|c| only(c.present) && !c.winner.deleted)
        .map(|c| c.winner.name.clone())
        .collect();
    summary.new_documents.sort();
    summary
}

/// Sorts every list of the report, so that it reads the same whatever the inputs' order.
fn sort_report(report: &mut MergeReport) {
    report.superseded.sort_by(|a, b| {
        (a.entity, &a.what, &a.guid, a.lost.modified_at).cmp(&(
            b.entity,
            &b.what,
            &b.guid,
            b.lost.modified_at,
        ))
    });
    report
        .unified
        .sort_by(|a, b| (a.entity, &a.what, &a.kept_guid).cmp(&(b.entity, &b.what, &b.kept_guid)));
    report
        .dropped
        .sort_by(|a, b| (a.entity, &a.what, &a.guid).cmp(&(b.entity, &b.what, &b.guid)));
    report
        .rebased
        .sort_by(|a, b| (&a.document, &a.document_guid).cmp(&(&b.document, &b.document_guid)));
    report.restored.sort();
    report.warnings.sort();
}

fn unique_labels(paths: &[PathBuf]) -> Vec<String> {
    let names: Vec<String> = paths
        .iter()
        .map(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default()
        })
        .collect();
    names
        .iter()
        .zip(paths)
        .map(|(n, p)| {
            if names.iter().filter(|m| *m == n).count() > 1 {
                p.display().to_string()
            } else {
                n.clone()
            }
        })
        .collect()
}

fn load_inputs(inputs: &[PathBuf], labels: &[String]) -> TeamResult<Vec<Snapshot>> {
    inputs
        .iter()
        .zip(labels)
        .map(|(path, label)| {
            let conn = open_read_only(path)?;
            load(&conn, label)
        })
        .collect()
}

/// Starts the merged project as a copy of one input (its texts, search index and rows are
/// mostly what the merge keeps: only the differences are then written). The copy's rows
/// made in that input are stamped with its label, as the merge records them; returns the
/// input's snapshot read back from the copy: exactly what the copy holds.
fn start_from_copy(input: &Path, label: &str, partial: &Path) -> TeamResult<Snapshot> {
    let source = open_read_only(input)?;
    // The copy is private until renamed (a failure deletes it): no journal for the
    // relabelling, whose rows are written once, in place.
    let conn = copy::copy_unjournaled(&source, partial)?;
    drop(source);
    copy::label_own_rows(&conn, label)?;
    let mut snapshot = load(&conn, label)?;
    snapshot.text_sources = vec![input.to_path_buf()];
    Ok(snapshot)
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

/// Merges project files into a new project `out` (which must not exist). The project
/// starts as a copy of the largest input (its texts, search index and rows are mostly what
/// the merge keeps) and receives the differences; it is built under a temporary name and
/// renamed when complete: on any failure nothing is left behind. The result is the same
/// whichever input is copied (row ids aside, which are private to a file).
pub fn merge_files(
    out: &Path,
    inputs: &[PathBuf],
    options: &MergeOptions,
) -> TeamResult<MergeReport> {
    if out.exists() {
        let path = out.display().to_string();
        return Err(StoreError::Exists { path }.into());
    }
    if inputs.is_empty() {
        return Err(TeamError::NothingToMerge);
    }
    let labels = unique_labels(inputs);
    // The largest input is copied: the merge mostly keeps it.
    let sizes: Vec<u64> = inputs
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .collect();
    let base = (0..inputs.len())
        .max_by_key(|&i| (sizes[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    let partial = sibling(out, ".partial");
    remove_partial(&partial);
    let result = (|| -> TeamResult<MergeReport> {
        let mut snapshots = Vec::with_capacity(inputs.len());
        for (i, (path, label)) in inputs.iter().zip(&labels).enumerate() {
            snapshots.push(if i == base {
                start_from_copy(path, label, &partial)?
            } else {
                load(&*open_read_only(path)?, label)?
            });
        }
        let (merged, mut report) = merge_snapshots(&snapshots, options)?;
        report.output = out.display().to_string();
        let base = snapshots.swap_remove(base);
        drop(snapshots);
        let mut project = Project::open_with(
            &partial,
            &crate::store::OpenOptions {
                coder: Some(format!("fouille-merge-{}", crate::model::new_guid())),
                ..Default::default()
            },
        )?;
        // Private until renamed: the merge's pages are written once, in place, without a
        // journal (a failure deletes the file); the project is in WAL mode again after.
        copy::journal_off(project.conn())?;
        project.bulk_action(|tx| {
            write::write_snapshot(tx.conn, &merged, &base, true)?;
            copy::set_project_guid(tx.conn, &crate::model::new_guid())?;
            crate::store::team_folder::strip_local(tx.conn)?;
            history::clear(tx.conn)?;
            Ok::<(), StoreError>(())
        })?;
        drop(project);
        copy::journal_to_wal(&partial)?;
        // On disk before it takes its name.
        std::fs::File::open(&partial)
            .and_then(|f| f.sync_all())
            .map_err(|e| TeamError::Io {
                path: partial.display().to_string(),
                source: e,
            })?;
        std::fs::rename(&partial, out).map_err(|e| TeamError::Io {
            path: out.display().to_string(),
            source: e,
        })?;
        Ok(report)
    })();
    if result.is_err() {
        remove_partial(&partial);
    }
    result
}

/// Where [`merge_into`] puts its backup: beside the project, named with the time.
pub fn backup_path(project: &Path, now_ms: i64) -> PathBuf {
    let stem = project
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "projet".into());
    let stamp = chrono::DateTime::from_timestamp_millis(now_ms)
        .map(|d| d.format("%Y%m%d-%H%M%S-%3f").to_string())
        .unwrap_or_default();
    project.with_file_name(format!("{stem}.avant-fusion-{stamp}.fouille"))
}

/// Merges project files into an open project: a backup is written first
/// ([`backup_path`]), then the whole merge is applied in one transaction (all or nothing).
/// The undo history is cleared (the backup is the way back). The report's `backup` names
/// the backup.
pub fn merge_into(
    project: &mut Project,
    inputs: &[PathBuf],
    options: &MergeOptions,
) -> TeamResult<MergeReport> {
    if inputs.is_empty() {
        return Err(TeamError::NothingToMerge);
    }
    let mut snapshots = vec![load(project.conn(), "")?];
    snapshots.extend(load_inputs(inputs, &unique_labels(inputs))?);
    let backup = backup_path(project.path(), crate::model::now_ms());
    project.checkpoint()?;
    project.backup_to(&backup)?;
    let mut report = write_merged(project, &snapshots, options)?;
    report.backup = Some(backup.display().to_string());
    Ok(report)
}

/// Merges project files into an open project one after the other, holding the project's
/// snapshot, the result so far and one input's snapshot at a time (a team folder of thirty
/// members never holds thirty snapshots), and writes the result once, in one transaction.
/// Each input's rows are recorded as coming from its label. No backup is made here (the
/// caller makes one); the undo history is cleared, as by [`merge_into`]. Returns, per
/// input, its report or why it could not be read (a damaged page): such an input is left
/// out and the others are merged.
pub fn merge_each_into(
    project: &mut Project,
    inputs: &[(PathBuf, String)],
    options: &MergeOptions,
) -> TeamResult<Vec<TeamResult<MergeReport>>> {
    let base = load(project.conn(), "")?;
    let mut merged = base.clone();
    let mut reports = Vec::with_capacity(inputs.len());
    for (path, label) in inputs {
        let input = match open_read_only(path).and_then(|conn| load(&conn, label)) {
            Ok(input) => input,
            Err(e) => {
                reports.push(Err(e));
                continue;
            }
        };
        let (next, mut report) = merge_snapshots(&[merged, input], options)?;
        report.output = project.path().display().to_string();
        reports.push(Ok(report));
        merged = next;
    }
    project.bulk_action(|tx| {
        write::write_snapshot(tx.conn, &merged, &base, false)?;
        history::clear(tx.conn)
    })?;
    Ok(reports)
}

/// Merges `snapshots` (the open project's first) and writes the result into the project.
fn write_merged(
    project: &mut Project,
    snapshots: &[Snapshot],
    options: &MergeOptions,
) -> TeamResult<MergeReport> {
    let (merged, mut report) = merge_snapshots(snapshots, options)?;
    project.bulk_action(|tx| {
        write::write_snapshot(tx.conn, &merged, &snapshots[0], false)?;
        history::clear(tx.conn)
    })?;
    report.output = project.path().display().to_string();
    Ok(report)
}
