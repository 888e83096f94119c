//! `fouille team join|status|sync|publish|leave`: working as a team through a shared folder.

use std::path::PathBuf;

use super::{open_project, print_json, tr};
use crate::team::folder::{self, GatherOutcome, SkipReason};
use crate::team::merge::MergeOptions;

/// `fouille team …`.
#[derive(Debug, clap::Subcommand)]
pub enum TeamCommand {
    /// Join a shared folder (Nextcloud, Syncthing, network drive…): publish there and
    /// gather the other members' work. PROJECT is created when it does not exist.
    Join {
        /// Project file (kept outside the folder).
        project: PathBuf,
        /// The shared folder.
        folder: PathBuf,
        /// Your name as coder (default: your user name).
        #[arg(long)]
        coder: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Members, their last publish, what the last gathers brought, leftovers of sync tools.
    Status {
        /// Project file.
        project: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Gather the other members' files, then publish yours.
    Sync {
        /// Project file.
        project: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Publish your copy into the folder (without gathering).
    Publish {
        /// Project file.
        project: PathBuf,
    },
    /// Stop publishing and gathering; your file stays in the folder unless --remove-file.
    Leave {
        /// Project file.
        project: PathBuf,
        /// Also remove your file from the folder.
        #[arg(long)]
        remove_file: bool,
    },
}

/// Runs a `fouille team` subcommand.
pub fn run(command: TeamCommand) -> anyhow::Result<()> {
    match command {
        TeamCommand::Join {
            project,
            folder,
            coder,
            json,
        } => join(&project, &folder, coder.as_deref(), json),
        TeamCommand::Status { project, json } => status(&project, json),
        TeamCommand::Sync { project, json } => sync(&project, json),
        TeamCommand::Publish { project } => {
            let project = open_project(&project, None)?;
            let membership = folder::membership(&project)?;
            let path = folder::publish::publish(&project, &membership)?;
            println!(
                "{}",
                tr().f(
                    "cli.team.published",
                    &[("file", &path.display().to_string())]
                )
            );
            Ok(())
        }
        TeamCommand::Leave {
            project,
            remove_file,
        } => {
            let project = open_project(&project, None)?;
            let membership = folder::leave(&project, remove_file)?;
            println!(
                "{}",
                tr().f("cli.team.left", &[("folder", &membership.folder)])
            );
            Ok(())
        }
    }
}

fn join(
    path: &std::path::Path,
    shared: &std::path::Path,
    coder: Option<&str>,
    json: bool,
) -> anyhow::Result<()> {
    if !path.exists() {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        drop(crate::store::Project::create(path, &name, coder)?);
    }
    let mut project = open_project(path, coder)?;
    let membership = folder::join(&project, shared)?;
    let outcome = folder::sync(&mut project, &merge_options())?;
    if json {
        return print_json(&serde_json::json!({ "membership": membership, "sync": outcome }));
    }
    println!(
        "{}",
        tr().f(
            "cli.team.joined",
            &[
                ("folder", &membership.folder),
                ("file", &membership.file_name)
            ]
        )
    );
    print_gather(&outcome.gather);
    Ok(())
}

fn sync(path: &std::path::Path, json: bool) -> anyhow::Result<()> {
    let mut project = open_project(path, None)?;
    let outcome = folder::sync(&mut project, &merge_options())?;
    if json {
        return print_json(&outcome);
    }
    print_gather(&outcome.gather);
    println!(
        "{}",
        tr().f("cli.team.published", &[("file", &outcome.published)])
    );
    Ok(())
}

fn status(path: &std::path::Path, json: bool) -> anyhow::Result<()> {
    let project = open_project(path, None)?;
    let status = folder::status(&project)?;
    if json {
        return print_json(&status);
    }
    println!(
        "{}",
        tr().f("cli.team.folder", &[("folder", &status.membership.folder)])
    );
    for member in &status.members {
        let when = member
            .published_at
            .map(folder::local_minute)
            .unwrap_or_default();
        let brought = member
            .last_gather
            .as_ref()
            .map(|g| folder::brought_line(tr(), &g.brought))
            .unwrap_or_default();
        let you = if member.is_self {
            format!(" {}", tr().t("cli.team.you"))
        } else {
            String::new()
        };
        println!("  {}{you} — {when} {brought}", member.name);
    }
    for debris in &status.debris {
        print_debris(&debris.file_name, debris.kind);
    }
    Ok(())
}

/// The merge options of a gather: the same as `fouille merge`'s defaults.
fn merge_options() -> MergeOptions {
    MergeOptions::default()
}

fn print_gather(outcome: &GatherOutcome) {
    for merged in &outcome.merged {
        let line = folder::brought_line(
            tr(),
            &crate::team::folder::gather::brought(&merged.report, &merged.file_name),
        );
        println!("  {} : {line}", merged.member);
    }
    if outcome.merged.is_empty() {
        println!("{}", tr().t("cli.team.nothing_new"));
    }
    for skipped in &outcome.skipped {
        let key = match skipped.reason {
            SkipReason::Changing => "cli.team.skip_changing",
            SkipReason::Incomplete => "cli.team.skip_incomplete",
            SkipReason::Unreadable(_) => "cli.team.skip_unreadable",
        };
        eprintln!("{}", tr().f(key, &[("file", &skipped.file_name)]));
    }
    for debris in &outcome.debris {
        print_debris(&debris.file_name, debris.kind);
    }
    if let Some(backup) = &outcome.backup {
        println!("{}", tr().f("cli.team.backup", &[("file", backup)]));
    }
}

fn print_debris(file: &str, kind: folder::Debris) {
    let key = match kind {
        folder::Debris::ConflictCopy => "cli.team.debris_conflict",
        folder::Debris::Transfer => "cli.team.debris_transfer",
        folder::Debris::OfficeLock => "cli.team.debris_office",
        folder::Debris::ProjectSidecar => "cli.team.debris_sidecar",
    };
    eprintln!("{}", tr().f(key, &[("file", file)]));
}
