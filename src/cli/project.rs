//! `new`, `sample`, `check`, `undo`, `redo`.

use std::path::Path;

use super::{open_project, print_json};
use crate::store::Project;

pub(super) fn new(
    path: &Path,
    template: Option<&str>,
    name: Option<&str>,
    coder: Option<&str>,
) -> anyhow::Result<()> {
    let template = match template {
        Some(id) => Some(crate::templates::by_id(id).ok_or_else(|| {
            anyhow::anyhow!(
                "unknown template « {id} » (available: {})",
                crate::templates::REFLEXES_PUBLICS
            )
        })?),
        None => None,
    };
    let default_name = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "Projet".into());
    let mut project = Project::create(path, name.unwrap_or(&default_name), coder)?;
    if let Some(t) = template {
        let added = project.bulk_action(|tx| crate::templates::load(tx, &t))?;
        println!(
            "created {} with the « {} » codebook ({added} codes)",
            path.display(),
            t.name.fr
        );
    } else {
        println!("created {}", path.display());
    }
    Ok(())
}

pub(super) fn sample(path: &Path, data: Option<&Path>, json: bool) -> anyhow::Result<()> {
    let files = match data {
        Some(dir) => crate::sample::files_from_dir(dir)?,
        None => crate::sample::embedded_files(),
    };
    let stats = crate::sample::build_sample(path, &files)?;
    if json {
        return print_json(&stats);
    }
    println!(
        "created {}: {} interviews, {} survey answers, {} respondents, {} codes, {} codings, {} memos",
        path.display(),
        stats.interviews,
        stats.survey_answers,
        stats.respondents,
        stats.codes,
        stats.codings,
        stats.memos
    );
    Ok(())
}

pub(super) fn check(path: &Path, repair: bool) -> anyhow::Result<()> {
    // A file too damaged to open as a project is still checked, read-only, to say what the
    // damage touches.
    let (problems, advice) = match open_project(path, None) {
        Ok(project) => {
            if repair {
                crate::store::search::rebuild_index(project.conn())?;
            }
            (crate::store::check::check(project.conn())?, None)
        }
        Err(e) => match e.downcast::<crate::store::StoreError>() {
            Ok(damaged @ crate::store::StoreError::Damaged { .. }) => (
                crate::store::check::check_file(path)?,
                Some(damaged.to_string()),
            ),
            Ok(other) => return Err(other.into()),
            Err(other) => return Err(other),
        },
    };
    if problems.is_empty() {
        println!("ok: {} passes every check", path.display());
        return Ok(());
    }
    for p in &problems {
        eprintln!("problem: {p}");
    }
    if let Some(advice) = advice {
        eprintln!("{advice}");
    }
    anyhow::bail!("{} problem(s) found in {}", problems.len(), path.display())
}

pub(super) fn undo_redo(path: &Path, undo: bool) -> anyhow::Result<()> {
    let mut project = open_project(path, None)?;
    let done = if undo {
        project.undo()?
    } else {
        project.redo()?
    };
    match done {
        Some(label) => println!(
            "{}: {}",
            if undo { "undone" } else { "redone" },
            super::tr().action_label(&label)
        ),
        None => println!("nothing to {}", if undo { "undo" } else { "redo" }),
    }
    Ok(())
}
