//! The team folder at scale: ten members' copies of the bench project, each with its own
//! coder's edits (every 20th coding removed, ten codes renamed), published into one folder
//! and gathered into a copy that already has most of their content.

use std::path::Path;

use super::Figure;
use super::run::{BenchError, remove_project, rss_note};
use super::time_ms;
use crate::store::{OpenOptions, Project};
use crate::team::folder;
use crate::team::merge::MergeOptions;

/// Members publishing into the folder.
const MEMBERS: usize = 10;

/// Times one member's publish and a gather of every member's file.
pub(super) fn folder_phase(
    project: &Project,
    dir: &Path,
    runs: usize,
    push: &mut dyn FnMut(Figure),
) -> Result<(), BenchError> {
    let shared = dir.join("dossier-equipe");
    let _ = std::fs::remove_dir_all(&shared);
    std::fs::create_dir_all(&shared)?;
    let mut publish_times = Vec::new();
    for member in 0..MEMBERS {
        let copy = dir.join(format!("membre-{member}.fouille"));
        remove_project(&copy);
        project.backup_to(&copy)?;
        let mut member_project = open_as(&copy, &format!("Membre {member}"))?;
        member_project.bulk_action(crate::store::floor::second_coders_edits)?;
        let membership = folder::join(&member_project, &shared).map_err(err)?;
        let (times, _) = time_ms(if member == 0 { runs } else { 1 }, || {
            folder::publish::publish(&member_project, &membership).map_err(err)
        })?;
        publish_times.extend(times);
        drop(member_project);
        remove_project(&copy);
    }
    let size_mb = std::fs::metadata(project.path()).map_or(0.0, |m| m.len() as f64 / 1e6);
    push(Figure::ms(
        "team folder: publish one member's copy",
        publish_times,
        Some(1000.0),
        format!("a {size_mb:.0} MB project written whole under a temporary name, then renamed"),
    ));
    let base = dir.join("recueil.fouille");
    super::reset_peak_rss();
    let mut report = None;
    let mut times = Vec::new();
    for _ in 0..runs {
        remove_project(&base);
        project.backup_to(&base)?;
        let mut gatherer = open_as(&base, "Recueil")?;
        let membership = folder::join(&gatherer, &shared).map_err(err)?;
        let (run, outcome) = time_ms(1, || {
            folder::gather::gather(&mut gatherer, &membership, &MergeOptions::default())
                .map_err(err)
        })?;
        times.extend(run);
        report = Some(outcome);
    }
    let rss = super::peak_rss_mb();
    let outcome = report.unwrap_or_default();
    let codings: usize = outcome
        .merged
        .iter()
        .map(|m| m.report.result.codings)
        .max()
        .unwrap_or(0);
    push(Figure::ms(
        &format!("team folder: gather {MEMBERS} members' files"),
        times,
        Some(5000.0),
        format!(
            "{} files merged in one write, {} skipped; {codings} live codings after",
            outcome.merged.len(),
            outcome.skipped.len()
        ),
    ));
    if let Some(mb) = rss {
        push(Figure::mb(
            "peak RSS: team folder gather",
            mb,
            Some(400.0),
            rss_note(),
        ));
    }
    remove_project(&base);
    let _ = std::fs::remove_dir_all(&shared);
    Ok(())
}

fn open_as(path: &Path, coder: &str) -> Result<Project, BenchError> {
    Ok(Project::open_with(
        path,
        &OpenOptions {
            coder: Some(coder.into()),
            ..Default::default()
        },
    )?)
}

fn err(e: impl std::fmt::Display) -> BenchError {
    BenchError::Report(e.to_string())
}
