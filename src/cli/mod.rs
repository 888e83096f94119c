//! The command line: clap definitions and one file per group of subcommands. Every listing
//! has `--json`; errors go to stderr with a non-zero exit code (handled in `main.rs`).

mod codes;
mod corpus;
mod project;
mod retrieve;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};

use crate::store::{OpenOptions, Project, StalePolicy};

/// Fouille: field surveys and interview coding.
#[derive(Debug, Parser)]
#[command(name = "fouille", version, about, long_about = None)]
pub struct Cli {
    /// What to do; none opens the desktop app.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the desktop app (on PROJECT, or the last project, or the sample).
    Gui {
        /// Project to open.
        project: Option<PathBuf>,
    },
    /// Create a new project.
    New {
        /// Project file to create (`.fouille`).
        project: PathBuf,
        /// Load a built-in codebook (`reflexes-publics`).
        #[arg(long)]
        template: Option<String>,
        /// Project name (default: the file name).
        #[arg(long)]
        name: Option<String>,
        /// Your name as coder (default: your user name).
        #[arg(long)]
        coder: Option<String>,
    },
    /// Build the coded sample project (the bundled French field survey).
    Sample {
        /// Project file to create.
        project: PathBuf,
        /// Read the sample from this folder instead of the bundled copy.
        #[arg(long)]
        data: Option<PathBuf>,
        /// Print the counts as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Import documents (txt, md, docx, odt, srt, vtt; format from the extension).
    Import(corpus::ImportArgs),
    /// Import a survey CSV: one row per respondent, one document per open answer.
    ImportSurvey(corpus::ImportSurveyArgs),
    /// List documents.
    Documents(ListArgs),
    /// List respondents with their attributes.
    Respondents(ListArgs),
    /// Show the codebook.
    Codebook(ListArgs),
    /// Edit the codebook and apply codes.
    #[command(subcommand)]
    Code(codes::CodeCommand),
    /// List coded excerpts (the coded text, exactly).
    Excerpts(retrieve::ExcerptArgs),
    /// Full-text search (accent-insensitive), with the matching passages.
    Search(retrieve::SearchArgs),
    /// Check the project's integrity and invariants (non-zero exit on a problem).
    Check {
        /// Project file.
        project: PathBuf,
        /// Rebuild the search index if it is out of step.
        #[arg(long)]
        repair: bool,
    },
    /// Undo the last action.
    Undo {
        /// Project file.
        project: PathBuf,
    },
    /// Redo the last undone action.
    Redo {
        /// Project file.
        project: PathBuf,
    },
    /// Measure frame times of the document view on a generated document (developers).
    #[command(hide = true)]
    BenchFrame {
        /// Length of the document, chars.
        #[arg(long, default_value_t = 300_000)]
        chars: usize,
        /// Number of codings.
        #[arg(long, default_value_t = 5_000)]
        codings: usize,
        /// Frames per phase.
        #[arg(long, default_value_t = 120)]
        frames: usize,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Arguments of the simple listings.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Project file.
    pub project: PathBuf,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Options shared by commands that open a project.
pub fn open_project(path: &Path, coder: Option<&str>) -> anyhow::Result<Project> {
    let options = OpenOptions { stale: StalePolicy::TakeOverLocal, coder: coder.map(str::to_string) };
    let project = Project::open_with(path, &options)?;
    if let Some(holder) = &project.taken_over_lock {
        eprintln!("warning: {} had been left open by {holder}, which is gone; taken over", path.display());
    }
    if let Some(warning) = crate::store::lock::shared_folder_warning(path) {
        eprintln!("warning: {warning}");
    }
    Ok(project)
}

/// Prints a value as pretty JSON.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Runs a subcommand other than `gui`.
pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Gui { .. } => anyhow::bail!("the gui command is handled by the binary"),
        Command::New { project, template, name, coder } => project::new(&project, template.as_deref(), name.as_deref(), coder.as_deref()),
        Command::Sample { project, data, json } => project::sample(&project, data.as_deref(), json),
        Command::Import(args) => corpus::import(args),
        Command::ImportSurvey(args) => corpus::import_survey(args),
        Command::Documents(args) => corpus::documents(args),
        Command::Respondents(args) => corpus::respondents(args),
        Command::Codebook(args) => codes::codebook(args),
        Command::Code(cmd) => codes::run(cmd),
        Command::Excerpts(args) => retrieve::excerpts(args),
        Command::Search(args) => retrieve::search(args),
        Command::Check { project, repair } => project::check(&project, repair),
        Command::Undo { project } => project::undo_redo(&project, true),
        Command::Redo { project } => project::undo_redo(&project, false),
        Command::BenchFrame { chars, codings, frames, json } => {
            let options = crate::ui::bench::BenchOptions { chars, codings, frames, ..Default::default() };
            let report = crate::ui::bench::frame_times(options).map_err(anyhow::Error::msg)?;
            if json {
                print_json(&report)
            } else {
                print!("{report}");
                Ok(())
            }
        }
    }
}
