//! Gathering: every other member's file in the team folder merged into this copy, one
//! file after the other and written once (a folder of thirty members never holds more than
//! one member's snapshot in memory). A member file is never trusted as it lies in the folder, where a sync tool
//! may be rewriting it: it is copied aside, and merged only when the copy is whole (the
//! length its header declares; every page's checksum is checked as the merge reads it) and
//! the file did not change while it was copied. Anything else is skipped and tried again at the next gather.

use std::path::{Path, PathBuf};

use super::names::{Debris, Entry, classify};
use super::{FolderError, FolderResult};
use crate::store::Project;
use crate::store::team_folder::{self, Brought, GatherRow, Membership};
use crate::team::merge::{MergeOptions, merge_each_into};
use crate::team::report::MergeReport;

/// What one gather did, file by file.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct GatherOutcome {
    /// Member files merged, with what each brought.
    pub merged: Vec<MemberMerge>,
    /// Member files unchanged since they were last merged.
    pub unchanged: Vec<String>,
    /// Member files not merged this time, and why; tried again at the next gather.
    pub skipped: Vec<Skipped>,
    /// Sync tools' leftovers found in the folder, never merged.
    pub debris: Vec<FoundDebris>,
    /// The backup written before the first merge of this gather, when something was merged.
    pub backup: Option<String>,
}

/// A member file merged by a gather.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MemberMerge {
    /// The file in the folder.
    pub file_name: String,
    /// Who published it.
    pub member: String,
    /// The merge's report for this file.
    pub report: MergeReport,
}

/// A member file left for the next gather.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Skipped {
    /// The file in the folder.
    pub file_name: String,
    /// Why it was left.
    pub reason: SkipReason,
}

/// Why a member file was not merged.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// It changed while it was being copied: its sync is under way.
    Changing,
    /// Shorter than its header says, or a page fails its checksum: half-synced or damaged.
    Incomplete,
    /// Not a Fouille project this build can read (the text says why).
    Unreadable(String),
}

/// A leftover found in the folder.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FoundDebris {
    /// Its name in the folder.
    pub file_name: String,
    /// What it is.
    pub kind: Debris,
}

/// Merges every member file of the folder that changed since it was last merged: each is
/// copied aside and checked first, then all the whole ones are merged in one write.
pub fn gather(
    project: &mut Project,
    membership: &Membership,
    options: &MergeOptions,
) -> FolderResult<GatherOutcome> {
    let folder = super::existing_folder(&membership.folder)?;
    let mut outcome = GatherOutcome::default();
    let mut members = Vec::new();
    for name in folder_names(&folder)? {
        match classify(&name, &membership.file_name) {
            Entry::Member => members.push(name),
            Entry::Debris(kind) => outcome.debris.push(FoundDebris {
                file_name: name,
                kind,
            }),
            Entry::Own | Entry::InProgress | Entry::Other => {}
        }
    }
    let aside = private_folder(project.path());
    let result = (|| {
        let ready = copy_changed(project, &folder, &aside, &members, &mut outcome)?;
        merge_ready(project, &ready, options, &mut outcome)
    })();
    let _ = std::fs::remove_dir_all(&aside);
    result.map(|()| outcome)
}

/// A member file copied aside, whole, waiting to be merged.
struct Ready {
    name: String,
    copy: PathBuf,
    stamp: String,
    publisher: Option<String>,
}

/// Copies aside every member file that changed since it was last merged and is whole;
/// notes the unchanged and the skipped ones.
fn copy_changed(
    project: &Project,
    folder: &Path,
    aside: &Path,
    members: &[String],
    outcome: &mut GatherOutcome,
) -> FolderResult<Vec<Ready>> {
    let mut ready = Vec::new();
    for name in members {
        let path = folder.join(name);
        let Some(stamp) = stamp(&path) else {
            continue; // gone since the folder was listed
        };
        if team_folder::seen_stamp(project.conn(), name)?.as_deref() == Some(stamp.as_str()) {
            outcome.unchanged.push(name.clone());
            continue;
        }
        let copy = aside.join(name);
        match copy_whole(&path, &copy, &stamp) {
            Ok(publisher) => ready.push(Ready {
                name: name.clone(),
                copy,
                stamp,
                publisher,
            }),
            Err(reason) => {
                let _ = std::fs::remove_file(&copy);
                outcome.skipped.push(Skipped {
                    file_name: name.clone(),
                    reason,
                });
            }
        }
    }
    Ok(ready)
}

/// Backs the project up, merges the ready files in one write and logs what each brought.
fn merge_ready(
    project: &mut Project,
    ready: &[Ready],
    options: &MergeOptions,
    outcome: &mut GatherOutcome,
) -> FolderResult<()> {
    if ready.is_empty() {
        return Ok(());
    }
    outcome.backup = Some(back_up(project)?);
    let inputs: Vec<(PathBuf, String)> = ready
        .iter()
        .map(|r| (r.copy.clone(), r.name.clone()))
        .collect();
    let reports = merge_each_into(project, &inputs, options)?;
    let now = crate::model::now_ms();
    for (file, report) in ready.iter().zip(reports) {
        let report = match report {
            Ok(report) => report,
            Err(_) => {
                outcome.skipped.push(Skipped {
                    file_name: file.name.clone(),
                    reason: SkipReason::Incomplete,
                });
                continue;
            }
        };
        let member = file
            .publisher
            .clone()
            .unwrap_or_else(|| file.name.trim_end_matches(".fouille").to_string());
        let row = GatherRow {
            gathered_at: now,
            file_name: file.name.clone(),
            member: member.clone(),
            brought: brought(&report, &file.name),
            report: report.to_markdown(),
        };
        team_folder::record_gather(project.conn(), &row, &file.stamp)?;
        outcome.merged.push(MemberMerge {
            file_name: file.name.clone(),
            member,
            report,
        });
    }
    Ok(())
}

/// What the file merged as `label` brought: the rows only it had, and the rows whose kept
/// version came from it.
pub fn brought(report: &MergeReport, label: &str) -> Brought {
    let new = report
        .inputs
        .iter()
        .find(|i| i.label == label)
        .map(|i| i.only_here.clone())
        .unwrap_or_default();
    let from_it = |s: &&crate::team::report::Superseded| s.kept.from.iter().any(|f| f == label);
    Brought {
        documents: new.documents,
        codes: new.codes,
        codings: new.codings,
        memos: new.memos,
        changed: report
            .superseded
            .iter()
            .filter(|s| !s.both_changed)
            .filter(from_it)
            .count(),
        conflicts: report.conflicts().count(),
    }
}

/// Copies a member file aside and checks the copy; returns its publisher's name.
fn copy_whole(path: &Path, copy: &Path, stamp_before: &str) -> Result<Option<String>, SkipReason> {
    if let Some(parent) = copy.parent() {
        std::fs::create_dir_all(parent).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    }
    std::fs::copy(path, copy).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    if stamp(path).as_deref() != Some(stamp_before) {
        return Err(SkipReason::Changing);
    }
    // The length against the header here; each page's checksum as the merge reads it (a
    // damaged page then fails the gather, and nothing is written).
    let scan = crate::store::damage::scan_pages(copy, false)
        .map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    if scan.pages == 0 || !scan.checksummed || !scan.is_sound() {
        return Err(SkipReason::Incomplete);
    }
    let conn = crate::team::snapshot::open_read_only(copy)
        .map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    // A file published before team folders existed has no publisher row: named by its file.
    let publisher = team_folder::publisher(&conn).unwrap_or(None);
    Ok(publisher.map(|(_, name)| name))
}

/// Size and time of last change: a file with the same stamp was not rewritten.
fn stamp(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!("{}:{}", meta.len(), modified.as_nanos()))
}

/// The names in the folder, sorted (gathers go in the same order on every machine).
fn folder_names(folder: &Path) -> FolderResult<Vec<String>> {
    let entries = std::fs::read_dir(folder).map_err(|source| FolderError::Io {
        path: folder.display().to_string(),
        source,
    })?;
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    Ok(names)
}

/// Where member files are copied before they are checked: beside the project (same disk,
/// outside the shared folder), removed after the gather.
fn private_folder(project: &Path) -> PathBuf {
    let stem = project
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    project.with_file_name(format!(".{stem}.synchro"))
}

/// The one backup a gather makes before its first merge, beside the project, replaced at
/// each gather that merges something: the way back from the last synchronisation (a gather
/// clears the undo history, as every merge does).
fn back_up(project: &Project) -> FolderResult<String> {
    let path = project.path();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "projet".into());
    let backup = path.with_file_name(format!("{stem}.avant-synchro.fouille"));
    let partial = path.with_file_name(format!(".{stem}.avant-synchro.partial"));
    let _ = std::fs::remove_file(&partial);
    project.checkpoint()?;
    project.backup_to(&partial)?;
    std::fs::rename(&partial, &backup).map_err(|source| FolderError::Io {
        path: backup.display().to_string(),
        source,
    })?;
    Ok(backup.display().to_string())
}
