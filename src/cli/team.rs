//! `merge`, `agreement`, `accept-version` and `blind`.

use std::path::PathBuf;

use super::{open_project, print_json};
use crate::model::CoderId;
use crate::store::{coders, codes, documents};
use crate::team::coverage::{AgreementRequest, UnitKind};
use crate::team::merge::{MergeOptions, merge_files, merge_into};
use crate::team::{accept, blind, coverage};

/// Arguments of `fouille merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The merged project to write (must not exist, unless --into).
    pub out: PathBuf,
    /// The copies to merge (two or more; one is enough with --into).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Write the merge report there (`.html` for HTML, otherwise Markdown).
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Merge codes with different GUIDs but the same name path and kind (otherwise they
    /// are only listed in the report).
    #[arg(long)]
    pub unify_codes: bool,
    /// Merge into OUT, an existing project (a backup is written beside it first).
    #[arg(long)]
    pub into: bool,
    /// Leave deleted codes deleted even when other coders still use them (their codings
    /// are then hidden; listed in the report).
    #[arg(long)]
    pub keep_deleted_codes: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `fouille agreement`.
#[derive(Debug, clap::Args)]
pub struct AgreementArgs {
    /// Project file.
    pub project: PathBuf,
    /// Coders to compare, by name or GUID, comma-separated (two or more).
    #[arg(long, value_delimiter = ',', required = true)]
    pub coders: Vec<String>,
    /// Code path or GUID (with its sub-codes); repeatable. Default: every code used.
    #[arg(long)]
    pub code: Vec<String>,
    /// Documents by name or GUID, comma-separated or repeated. Default: every document
    /// one of the coders coded.
    #[arg(long, value_delimiter = ',')]
    pub documents: Vec<String>,
    /// Unit: `char` (each character) or `segment` (paragraphs, speaker turns).
    #[arg(long, default_value = "char")]
    pub unit: String,
    /// List the disagreements too.
    #[arg(long)]
    pub disagreements: bool,
    /// Print JSON (coefficients and disagreements).
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `fouille accept-version`.
#[derive(Debug, clap::Args)]
pub struct AcceptArgs {
    /// Project file.
    pub project: PathBuf,
    /// Document name or GUID.
    #[arg(long)]
    pub document: String,
    /// Code path or GUID.
    #[arg(long)]
    pub code: String,
    /// First char of the range, counted in chars from 0, inclusive.
    #[arg(long)]
    pub start: usize,
    /// End char offset (exclusive).
    #[arg(long)]
    pub end: usize,
    /// The coder whose version is taken.
    #[arg(long)]
    pub from: String,
    /// The coder whose codings change.
    #[arg(long)]
    pub to: String,
}

/// `on`, `off` or `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BlindSwitch {
    /// Hide other coders' codings.
    On,
    /// Show everyone's codings.
    Off,
    /// Tell whether blinded coding is on.
    Status,
}

/// How long a merge waits for another process to finish writing into an input (a large
/// import may take minutes) before it gives up.
const INPUT_WAIT: std::time::Duration = std::time::Duration::from_secs(600);

/// Runs `merge` again while another process is writing into an input, saying so once, for
/// up to [`INPUT_WAIT`]: the merge never reads an input from before a write under way.
fn wait_for_inputs<T>(
    mut merge: impl FnMut() -> crate::team::TeamResult<T>,
) -> crate::team::TeamResult<T> {
    let started = std::time::Instant::now();
    let mut said = false;
    loop {
        match merge() {
            Err(crate::team::TeamError::Store(crate::store::StoreError::Locked {
                path,
                holder,
            })) if started.elapsed() < INPUT_WAIT => {
                if !said {
                    eprintln!("waiting for {holder} to finish writing into {path}…");
                    said = true;
                }
                std::thread::sleep(std::time::Duration::from_millis(250));
            }
            other => return other,
        }
    }
}

pub(super) fn merge(args: MergeArgs) -> anyhow::Result<()> {
    let options = MergeOptions {
        unify_codes: args.unify_codes,
        restore_codes_in_use: !args.keep_deleted_codes,
        break_cycles: true,
        drop_duplicate_codings: true,
        now_ms: crate::model::now_ms(),
    };
    if !args.into && args.inputs.len() < 2 {
        anyhow::bail!("give at least two projects to merge (or --into to merge one into OUT)");
    }
    let mut project = if args.into {
        Some(open_project(&args.out, None)?)
    } else {
        None
    };
    let report = wait_for_inputs(|| match project.as_mut() {
        Some(project) => merge_into(project, &args.inputs, &options),
        None => merge_files(&args.out, &args.inputs, &options),
    })?;
    if let Some(path) = &args.report {
        let is_html = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
        let text = if is_html {
            report.to_html()
        } else {
            report.to_markdown()
        };
        std::fs::write(path, text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    }
    if args.json {
        return print_json(&report);
    }
    println!(
        "merged into {}: {}",
        args.out.display(),
        report.summary_line()
    );
    if let Some(backup) = &report.backup {
        println!("backup: {backup}");
    }
    for c in report.conflicts().take(20) {
        println!(
            "conflict: {} {} — kept {} ({}), superseded {} ({})",
            c.entity.label(),
            c.what,
            c.kept.summary,
            c.kept.from.join(", "),
            c.lost.summary,
            c.lost.from.join(", ")
        );
    }
    for d in &report.dropped {
        println!("dropped: {} — {}", d.what, d.reason);
    }
    for w in &report.warnings {
        println!("warning: {w}");
    }
    if let Some(path) = &args.report {
        println!("report: {}", path.display());
    }
    Ok(())
}

fn fmt(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.3}")).unwrap_or_else(|| "n/a".into())
}

pub(super) fn agreement(args: AgreementArgs) -> anyhow::Result<()> {
    let project = open_project(&args.project, None)?;
    let conn = project.conn();
    let unit = UnitKind::parse(&args.unit)
        .ok_or_else(|| anyhow::anyhow!("--unit is char or segment, not « {} »", args.unit))?;
    let request = AgreementRequest {
        coders: args
            .coders
            .iter()
            .map(|c| coders::find(conn, c).map(|c| c.guid))
            .collect::<Result<_, _>>()?,
        codes: args
            .code
            .iter()
            .map(|c| codes::resolve(conn, c).map(|c| c.guid))
            .collect::<Result<_, _>>()?,
        documents: args
            .documents
            .iter()
            .map(|d| documents::find(conn, d).map(|d| d.guid))
            .collect::<Result<_, _>>()?,
        unit,
    };
    let report = coverage::agreement(conn, &request)?;
    if args.json {
        return print_json(&report);
    }
    let table = report.table();
    println!("{}", table.title);
    println!("{}", table.columns.join(" | "));
    for row in &table.rows {
        println!(
            "{}",
            row.iter()
                .map(|c| c.display())
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
    for note in &table.notes {
        println!("note: {note}");
    }
    println!(
        "overall: agreement {}, kappa {}, alpha {}; {} disagreements",
        report
            .overall
            .percent
            .map(|p| format!("{p:.1} %"))
            .unwrap_or_else(|| "n/a".into()),
        fmt(report.overall.kappa),
        fmt(report.overall.alpha),
        report.disagreements.len()
    );
    if args.disagreements {
        let names: std::collections::HashMap<&str, &str> = report
            .coders
            .iter()
            .map(|c| (c.guid.as_str(), c.name.as_str()))
            .collect();
        for d in &report.disagreements {
            let who = |l: &[CoderId]| {
                l.iter()
                    .map(|g| names.get(g.as_str()).copied().unwrap_or(g.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let text: String = d
                .text
                .chars()
                .take(100)
                .collect::<String>()
                .replace('\n', " ");
            println!(
                "{} [{}..{}] {} — coded by {} / not by {}: « {text}{} »",
                d.document_name,
                d.start_char,
                d.end_char,
                d.code_path,
                who(&d.coded_by),
                who(&d.not_coded_by),
                if d.text.chars().count() > 100 {
                    "…"
                } else {
                    ""
                }
            );
        }
    }
    Ok(())
}

pub(super) fn accept_version(args: AcceptArgs) -> anyhow::Result<()> {
    let mut project = open_project(&args.project, None)?;
    let doc = documents::find(project.conn(), &args.document)?;
    let code = codes::resolve(project.conn(), &args.code)?;
    let from = coders::find(project.conn(), &args.from)?;
    let to = coders::find(project.conn(), &args.to)?;
    let outcome = accept::accept_version(
        &mut project,
        &doc.guid,
        &code.guid,
        args.start,
        args.end,
        &from.guid,
        &to.guid,
    )?;
    println!(
        "{} now follows {} on [{}..{}] of « {} » ({}): {} added, {} resized, {} removed",
        args.to,
        args.from,
        args.start,
        args.end,
        doc.name,
        code.name,
        outcome.added,
        outcome.resized,
        outcome.removed
    );
    Ok(())
}

pub(super) fn blind_cmd(switch: BlindSwitch, path: &std::path::Path) -> anyhow::Result<()> {
    let project = open_project(path, None)?;
    match switch {
        BlindSwitch::On => {
            blind::set_blind(&project, true)?;
            println!(
                "blinded coding on: each coder sees only their own codings in {}",
                path.display()
            );
        }
        BlindSwitch::Off => {
            blind::set_blind(&project, false)?;
            println!(
                "blinded coding off: everyone's codings are visible in {}",
                path.display()
            );
        }
        BlindSwitch::Status => {
            println!(
                "blinded coding is {}",
                if blind::is_blind(project.conn())? {
                    "on"
                } else {
                    "off"
                }
            );
        }
    }
    Ok(())
}
