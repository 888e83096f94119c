//! The crash-safety test (`crash-test`): `crash-child` processes code, uncode, import and
//! back up while they are killed with SIGKILL at random moments, or while the project file
//! alone is copied at random moments (`--copies`, as a user copies it to share or back it
//! up); every committed coding must survive, in the project and in every copy.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{open_project, print_json};
use crate::bench::SplitMix;
use crate::model::{CodeKind, CodingId, DocumentKind};
use crate::store::codes::NewCode;
use crate::store::documents::NewDocument;
use crate::store::{Project, codes, codings, documents};

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
pub(super) fn crash_child(path: &Path, log: &Path, seed: u64, pace_ms: u64) -> anyhow::Result<()> {
    let mut project = open_project(path, Some("Torture"))?;
    let mut log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)?;
    let mut rng = SplitMix(seed);
    let mut mine: Vec<CodingId> = Vec::new();
    loop {
        if pace_ms > 0 {
            std::thread::sleep(Duration::from_millis(rng.below(2 * pace_ms as usize) as u64));
        }
        // Brackets each change with its checkpoint: a copy made between `rest` and the
        // next `writing` met the file at rest.
        log_line(&mut log, WRITING)?;
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
        log_line(&mut log, AT_REST)?;
    }
}

/// The child's log line before a change (the change, its commit and its checkpoint follow).
const WRITING: &str = "writing";
/// The child's log line once a change is in the project file and nothing is being written.
const AT_REST: &str = "rest";

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
    let (path, log_path) = seed_project(&dir, seed)?;
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

/// Creates the test's project (the Réflexes publics codebook, three interviews) and an
/// empty commit log in `dir`.
fn seed_project(dir: &Path, seed: u64) -> anyhow::Result<(PathBuf, PathBuf)> {
    std::fs::create_dir_all(dir)?;
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
    Ok((path, log_path))
}

/// Opens the project after a kill and checks it; returns the number of codings checked.
fn verify(path: &Path, log_path: &Path, report: &mut CrashReport) -> anyhow::Result<usize> {
    let project = Project::open(path)?;
    report
        .problems
        .extend(crate::store::check::check(project.conn())?);
    let log = std::fs::read_to_string(log_path).unwrap_or_default();
    let expected = expected_states(&log);
    report.losses += compare_codings(&project, &expected, &mut report.problems)?;
    Ok(expected.len())
}

/// What the commit log says of each coding: GUID → `Some(live)` when its state is known,
/// `None` when a removal may or may not have committed (logged "removing" without "del").
fn expected_states(log: &str) -> std::collections::HashMap<String, Option<bool>> {
    let mut expected = std::collections::HashMap::new();
    for line in log.lines() {
        match line.split_once(' ') {
            Some(("add", g)) => {
                expected.insert(g.to_string(), Some(true));
            }
            Some(("removing", g)) => {
                expected.insert(g.to_string(), None);
            }
            Some(("del", g)) => {
                expected.insert(g.to_string(), Some(false));
            }
            _ => {} // a line cut by the kill: its commit is checked by the next one
        }
    }
    expected
}

/// Counts (and describes in `problems`) the codings whose state in `project` is not the
/// expected one.
fn compare_codings(
    project: &Project,
    expected: &std::collections::HashMap<String, Option<bool>>,
    problems: &mut Vec<String>,
) -> anyhow::Result<usize> {
    let mut losses = 0;
    for (guid, state) in expected {
        let deleted = codings::deleted_state(project.conn(), &CodingId::new(guid.as_str()))?;
        let ok = match state {
            Some(live) => deleted == Some(!live),
            None => deleted.is_some(),
        };
        if !ok {
            let live = state.unwrap_or(true);
            losses += 1;
            problems.push(format!(
                "coding {guid}: expected {}, found {deleted:?}",
                if live { "live" } else { "removed" }
            ));
        }
    }
    Ok(losses)
}

/// Figures of a copy test.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CopyReport {
    /// Copies of the project file made while the child worked.
    pub copies: usize,
    /// Copies made while the child wrote nothing (the log's last line said so before the
    /// copy, and the log did not grow during it): each must open whole.
    pub at_rest: usize,
    /// Copies made while a change was being written that Fouille refused at open or that
    /// `check` found inconsistent: a file copied in the middle of a write can be torn, as
    /// any database file, and it is caught rather than opened silently wrong.
    pub torn_and_caught: usize,
    /// Copies that missed a committed coding, or copies made at rest that did not open or
    /// failed `check`.
    pub failures: usize,
    /// Committed codings checked in the last copy.
    pub codings_checked: usize,
    /// Codings checked in all copies.
    pub checks_in_all: usize,
    /// Each failure in a line: which copy or coding, and what went wrong.
    pub problems: Vec<String>,
}

/// `crash-test --copies N`: one child works at a person's pace while the project file
/// alone is copied at random moments; every copy must open, pass `check`, and hold every
/// coding committed before the copy began.
pub(super) fn copy_test(
    copies: usize,
    seed: u64,
    dir: Option<&Path>,
    json: bool,
) -> anyhow::Result<()> {
    let temp;
    let dir: PathBuf = match dir {
        Some(d) => d.to_path_buf(),
        None => {
            temp =
                std::env::temp_dir().join(format!("fouille-copies-{}-{seed}", std::process::id()));
            temp.clone()
        }
    };
    let (path, log_path) = seed_project(&dir, seed)?;
    let copies_dir = dir.join("copies");
    let _ = std::fs::remove_dir_all(&copies_dir);
    std::fs::create_dir_all(&copies_dir)?;
    let mut child = std::process::Command::new(std::env::current_exe()?)
        .args([
            "crash-child",
            &path.display().to_string(),
            "--log",
            &log_path.display().to_string(),
        ])
        // Four actions a second on average: faster than anyone codes, and slow enough that
        // a copy mostly meets the file at rest, as a user's copy does. A copy that lands
        // inside a checkpoint (the log's pages being written into the file) can catch it
        // half-way, as with any database file: flat out (a pace of 40 ms on a loaded
        // machine) about one copy in a hundred did.
        .args(["--seed", &seed.to_string(), "--pace-ms", "250"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    let mut rng = SplitMix(seed ^ 0xC097);
    let mut report = CopyReport::default();
    let result = (|| -> anyhow::Result<()> {
        for i in 0..copies {
            std::thread::sleep(Duration::from_millis(20 + rng.below(180) as u64));
            if let Some(status) = child.try_wait()? {
                anyhow::bail!("the child stopped by itself ({status})");
            }
            let before = std::fs::read_to_string(&log_path).unwrap_or_default();
            let copy = copies_dir.join(format!("copie-{i}.fouille"));
            std::fs::copy(&path, &copy)?;
            let after = std::fs::read_to_string(&log_path).unwrap_or_default();
            let at_rest = before.lines().last() == Some(AT_REST) && after.len() == before.len();
            check_copy(&copy, &before, &after, at_rest, &mut report);
        }
        Ok(())
    })();
    let _ = child.kill();
    let _ = child.wait();
    result?;
    if json {
        print_json(&report)?;
    } else {
        println!(
            "{} copies of the project file made while it was being worked on ({} at rest, {} torn by a write and caught), {} failed; {} committed codings checked in the last copy ({} in all)",
            report.copies,
            report.at_rest,
            report.torn_and_caught,
            report.failures,
            report.codings_checked,
            report.checks_in_all
        );
    }
    if report.failures > 0 {
        for p in &report.problems {
            eprintln!("problem: {p}");
        }
        anyhow::bail!("{} of {} copies failed", report.failures, report.copies);
    }
    Ok(())
}

/// Checks one copy: it holds what the log said was committed before the copy began (a
/// removal logged while the copy was made may or may not be in it); made at rest, it must
/// also open and pass `check`; made during a write, it may instead be refused or found
/// inconsistent (caught), never open with a coding missing.
fn check_copy(
    copy: &Path,
    log_before: &str,
    log_after: &str,
    at_rest: bool,
    report: &mut CopyReport,
) {
    report.copies += 1;
    report.at_rest += usize::from(at_rest);
    let mut expected = expected_states(log_before);
    for line in log_after.get(log_before.len()..).unwrap_or("").lines() {
        if let Some(("removing" | "del", g)) = line.split_once(' ')
            && let Some(state) = expected.get_mut(g)
        {
            *state = None;
        }
    }
    let name = copy.display();
    let mut problems = Vec::new();
    let mut caught = Vec::new();
    match Project::open(copy) {
        Err(e) => caught.push(format!("{name} does not open: {e}")),
        Ok(project) => {
            match crate::store::check::check(project.conn()) {
                Ok(found) => caught.extend(found.into_iter().map(|p| format!("{name}: {p}"))),
                Err(e) => caught.push(format!("{name}: check failed: {e}")),
            }
            if caught.is_empty()
                && let Err(e) = compare_codings(&project, &expected, &mut problems)
            {
                problems.push(format!("{name}: {e}"));
            }
        }
    }
    report.codings_checked = expected.len();
    report.checks_in_all += expected.len();
    if !caught.is_empty() {
        if at_rest {
            problems.extend(caught);
        } else {
            report.torn_and_caught += 1;
        }
    }
    if !problems.is_empty() {
        report.failures += 1;
        report.problems.extend(problems);
    }
}
