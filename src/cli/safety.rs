//! `backup`, `backups`, `restore` and `fuzz`.

use std::path::Path;
use std::time::Duration;

use super::{open_project, print_json};
use crate::store::backup;

pub(super) fn backup_now(path: &Path, reason: &str, json: bool) -> anyhow::Result<()> {
    let project = open_project(path, None)?;
    let dest = project.backup(reason)?;
    if json {
        return print_json(&serde_json::json!({ "backup": dest }));
    }
    println!("backup written to {}", dest.display());
    Ok(())
}

pub(super) fn list_backups(path: &Path, json: bool) -> anyhow::Result<()> {
    let list = backup::list(path)?;
    if json {
        return print_json(&list);
    }
    for b in &list {
        println!(
            "{}  {:<16} {:>9} bytes  {}",
            b.created,
            b.reason,
            b.size_bytes,
            b.path.display()
        );
    }
    println!(
        "{} backups in {}",
        list.len(),
        backup::backup_dir(path).display()
    );
    Ok(())
}

pub(super) fn restore(path: &Path, from: &Path) -> anyhow::Result<()> {
    let saved = backup::restore(path, from)?;
    println!(
        "restored {} from {} (the previous state is saved as {})",
        path.display(),
        from.display(),
        saved.display()
    );
    Ok(())
}

pub(super) fn fuzz(
    target: &str,
    minutes: f64,
    runs: usize,
    seed: u64,
    json: bool,
) -> anyhow::Result<()> {
    let targets: Vec<&str> = if target == "all" {
        crate::fuzz::TARGETS.to_vec()
    } else {
        vec![
            crate::fuzz::TARGETS
                .iter()
                .copied()
                .find(|t| *t == target)
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "unknown fuzz target « {target} » (all, {})",
                        crate::fuzz::TARGETS.join(", ")
                    )
                })?,
        ]
    };
    let budget = Duration::from_secs_f64((minutes * 60.0).max(0.0));
    let report = crate::fuzz::fuzz(&targets, budget, runs, seed, Path::new("fuzz-crashes"));
    if json {
        print_json(&report)?;
    } else {
        for (t, n) in &report.runs {
            println!("{t:<8} {n} inputs");
        }
    }
    if !report.failures.is_empty() {
        for f in &report.failures {
            eprintln!("failure: {f}");
        }
        anyhow::bail!("{} failing inputs", report.failures.len());
    }
    Ok(())
}
