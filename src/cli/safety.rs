//! `backup`, `backups`, `restore`, and the crash-safety test (`crash-test`, which runs
//! `crash-child` processes and kills them with SIGKILL at random moments).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{open_project, print_json};
use crate::bench::SplitMix;
use crate::model::{CodeKind, DocumentKind};
use crate::store::codes::NewCode;
use crate::store::documents::NewDocument;
use crate::store::{Project, backup, codes, codings, documents};

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

const WORDS: &[&str] = &[
    "accueil",
    "usagers",
    "cœur",
    "métier",
    "été",
    "résilience",
    "CCAS",
    "😅",
    "équipe",
    "élus",
    "données",
    "rituels",
];

fn generated_text(rng: &mut SplitMix, words: usize) -> String {
    let mut out = String::new();
    for i in 0..words {
        out.push_str(WORDS[rng.below(WORDS.len())]);
        out.push(if i % 17 == 16 { '\n' } else { ' ' });
    }
    out
}

/// Appends one line to the crash log in a single write: `writeln!` on a file writes each
/// formatted piece separately, so a child killed between two pieces left half a line that
/// the next child's line then continued (seen as codings lost).
fn log_line(log: &mut std::fs::File, line: &str) -> std::io::Result<()> {
    log.write_all(format!("{line}\n").as_bytes())
}

/// The child: codes, uncodes, imports and backs up in a loop, logging each committed change
/// (`add GUID`, `del GUID`) to `log` right after its commit. Runs until killed.
pub(super) fn crash_child(path: &Path, log: &Path, seed: u64) -> anyhow::Result<()> {
    let mut project = open_project(path, Some("Torture"))?;
    let mut log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)?;
    let mut rng = SplitMix(seed);
    let mut mine: Vec<String> = Vec::new();
    loop {
        let docs = documents::list(project.conn())?;
        let codes_list: Vec<_> = codes::list(project.conn())?
            .into_iter()
            .filter(|c| c.kind.is_codable())
            .collect();
        match rng.below(20) {
            0 => {
                let text = generated_text(&mut rng, 300);
                let n = rng.next_u64();
                project.action("import", |tx| {
                    documents::insert(
                        tx,
                        NewDocument {
                            guid: None,
                            name: format!("doc-{n:x}"),
                            kind: DocumentKind::Interview,
                            text,
                            origin: "crash-test".into(),
                            media_path: None,
                            respondent_guid: None,
                        },
                    )
                })?;
            }
            1 | 2 if !mine.is_empty() => {
                let guid = mine.swap_remove(rng.below(mine.len()));
                // Logged before the commit too: killed between the commit and the second
                // line, the coding may be either live or removed.
                log_line(&mut log, &format!("removing {guid}"))?;
                project.action("remove", |tx| codings::remove(tx, &guid))?;
                log_line(&mut log, &format!("del {guid}"))?;
            }
            3 => {
                let name = format!("thème {}", rng.next_u64() % 1000);
                let _ = project.action("add code", |tx| {
                    codes::insert(tx, NewCode::new(&name, CodeKind::Theme, None))
                });
            }
            4 => {
                project.backup("crash-test")?;
            }
            _ if !docs.is_empty() && !codes_list.is_empty() => {
                let doc = &docs[rng.below(docs.len())];
                let code = &codes_list[rng.below(codes_list.len())];
                let start = rng.below(doc.char_len.saturating_sub(2));
                let end = (start + 1 + rng.below(80)).min(doc.char_len);
                let batch = 1 + rng.below(3);
                let guids = project.action("code", |tx| {
                    let mut out = Vec::new();
                    for i in 0..batch {
                        let s = (start + i).min(end - 1);
                        out.push(codings::apply(tx, &doc.guid, &code.guid, s, end)?);
                    }
                    Ok(out)
                })?;
                for g in guids {
                    if !mine.contains(&g) {
                        log_line(&mut log, &format!("add {g}"))?;
                        mine.push(g);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Figures of a crash test.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CrashReport {
    /// Children killed with SIGKILL.
    pub kills: usize,
    /// Committed codings checked after the last kill (present, or removed if logged so).
    pub codings_checked: usize,
    /// Checks made after each kill, summed.
    pub checks_after_kills: usize,
    /// Committed codings missing or in the wrong state.
    pub losses: usize,
    /// Problems found by integrity and invariant checks.
    pub problems: Vec<String>,
}

pub(super) fn crash_test(
    kills: usize,
    seed: u64,
    dir: Option<&Path>,
    json: bool,
) -> anyhow::Result<()> {
    let temp;
    let dir: PathBuf = match dir {
        Some(d) => d.to_path_buf(),
        None => {
            temp =
                std::env::temp_dir().join(format!("fouille-crash-{}-{seed}", std::process::id()));
            temp.clone()
        }
    };
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("crash.fouille");
    let log_path = dir.join("commits.log");
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(&log_path);
    {
        let mut p = Project::create(&path, "Crash test", Some("Torture"))?;
        p.bulk_action(|tx| crate::templates::load(tx, &crate::templates::reflexes_publics()))?;
        let mut rng = SplitMix(seed);
        for i in 0..3 {
            let text = generated_text(&mut rng, 400);
            p.action("seed", |tx| {
                documents::insert(
                    tx,
                    NewDocument {
                        guid: None,
                        name: format!("entretien {i}"),
                        kind: DocumentKind::Interview,
                        text,
                        origin: "crash-test".into(),
                        media_path: None,
                        respondent_guid: None,
                    },
                )
            })?;
        }
    }
    let exe = std::env::current_exe()?;
    let mut rng = SplitMix(seed ^ 0xC0FFEE);
    let mut report = CrashReport::default();
    for i in 0..kills {
        let mut child = std::process::Command::new(&exe)
            .args([
                "crash-child",
                &path.display().to_string(),
                "--log",
                &log_path.display().to_string(),
                "--seed",
            ])
            .arg((seed.wrapping_mul(1000) + i as u64).to_string())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()?;
        std::thread::sleep(Duration::from_millis(30 + rng.below(400) as u64));
        if let Some(status) = child.try_wait()? {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                use std::io::Read;
                let _ = e.read_to_string(&mut err);
            }
            anyhow::bail!("the child stopped by itself ({status}): {err}");
        }
        child.kill()?;
        child.wait()?;
        report.kills += 1;
        let checked = verify(&path, &log_path, &mut report)?;
        report.checks_after_kills += checked;
        report.codings_checked = checked;
    }
    if json {
        print_json(&report)?;
    } else {
        println!(
            "{} kills, {} committed codings checked at the end ({} checks in all), {} losses, {} problems",
            report.kills,
            report.codings_checked,
            report.checks_after_kills,
            report.losses,
            report.problems.len()
        );
    }
    if report.losses > 0 || !report.problems.is_empty() {
        for p in &report.problems {
            eprintln!("problem: {p}");
        }
        anyhow::bail!(
            "the crash test found {} losses and {} problems",
            report.losses,
            report.problems.len()
        );
    }
    Ok(())
}

/// Opens the project after a kill and checks it; returns the number of codings checked.
fn verify(path: &Path, log_path: &Path, report: &mut CrashReport) -> anyhow::Result<usize> {
    let project = Project::open(path)?;
    report
        .problems
        .extend(crate::store::check::check(project.conn())?);
    let log = std::fs::read_to_string(log_path).unwrap_or_default();
    // GUID → Some(live) when its state is known, None when a removal may or may not have
    // committed (the kill fell between "removing" and "del").
    let mut expected: std::collections::HashMap<&str, Option<bool>> =
        std::collections::HashMap::new();
    for line in log.lines() {
        match line.split_once(' ') {
            Some(("add", g)) => {
                expected.insert(g, Some(true));
            }
            Some(("removing", g)) => {
                expected.insert(g, None);
            }
            Some(("del", g)) => {
                expected.insert(g, Some(false));
            }
            _ => {} // a line cut by the kill: its commit is checked by the next one
        }
    }
    let mut stmt = project
        .conn()
        .prepare("SELECT deleted FROM codings WHERE guid = ?1")?;
    for (guid, state) in &expected {
        let deleted: Option<bool> = stmt.query_row([guid], |r| r.get(0)).ok();
        let ok = match state {
            Some(live) => deleted == Some(!live),
            None => deleted.is_some(),
        };
        if !ok {
            let live = state.unwrap_or(true);
            report.losses += 1;
            report.problems.push(format!(
                "coding {guid}: expected {}, found {deleted:?}",
                if live { "live" } else { "removed" }
            ));
        }
    }
    Ok(expected.len())
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
