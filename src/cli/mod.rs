//! The command line: clap definitions and one file per group of subcommands. Every listing
//! has `--json`; errors go to stderr with a non-zero exit code (handled in `main.rs`).

mod analysis;
mod bench;
mod codes;
mod corpus;
mod crash;
mod iramuteq;
mod lexical;
mod media;
mod project;
mod refi;
mod report;
mod retrieve;
mod safety;
mod team;
mod team_folder;
mod transcribe;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};

use crate::store::{OpenOptions, Project, StalePolicy};

/// Fouille: field surveys and interview coding.
#[derive(Debug, Parser)]
#[command(name = "fouille", version, about, long_about = None)]
pub struct Cli {
    /// Options for every subcommand.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do; none opens the desktop app.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options that apply to whichever subcommand runs.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct GlobalArgs {
    /// Open a project that a session which is gone left open, even from another machine
    /// (a project open in a living process is never taken).
    #[arg(long, global = true)]
    pub take_over: bool,
    /// Language: fr or en. Reports and tables are French unless it says otherwise;
    /// messages follow it, else the LANG variable, else English.
    #[arg(long, global = true, value_parser = parse_language)]
    pub lang: Option<crate::model::Lang>,
}

fn parse_language(s: &str) -> Result<crate::model::Lang, String> {
    crate::model::Lang::parse(s).ok_or_else(|| format!("« {s} »: fr or en"))
}

/// The language of reports, tables and the labels they hold: `--lang`, else French.
pub fn output_language() -> crate::model::Lang {
    GLOBAL
        .get()
        .and_then(|g| g.lang)
        .unwrap_or(crate::model::Lang::Fr)
}

/// The language of this run's messages: `--lang`, else the `LANG` variable (French when
/// it starts with `fr`), else English.
pub fn language() -> crate::i18n::Language {
    if let Some(lang) = GLOBAL.get().and_then(|g| g.lang) {
        return lang;
    }
    let french = std::env::var("LANG").is_ok_and(|l| l.to_ascii_lowercase().starts_with("fr"));
    if french {
        crate::i18n::Language::Fr
    } else {
        crate::i18n::Language::En
    }
}

/// The catalogue in this run's language.
pub fn tr() -> &'static crate::i18n::I18n {
    static TR: std::sync::OnceLock<crate::i18n::I18n> = std::sync::OnceLock::new();
    TR.get_or_init(|| crate::i18n::I18n::new(language()))
}

/// An error as this run's user reads it: in French, the core's errors come from the
/// catalogue; in English, their own words (which name the command-line options).
pub fn describe_error(error: &anyhow::Error) -> String {
    use crate::app::AppError;
    // Their own words are for the tests; people read the catalogue's, in either language.
    if let Some(
        e @ (AppError::Query(_) | AppError::QuoteAbsent { .. } | AppError::QuoteAmbiguous { .. }),
    ) = error.downcast_ref::<AppError>()
    {
        return crate::i18n::errors::app(tr(), e);
    }
    if language() == crate::i18n::Language::Fr {
        if let Some(e) = error.downcast_ref::<crate::store::StoreError>() {
            return crate::i18n::errors::store(tr(), e);
        }
        if let Some(e) = error.downcast_ref::<crate::app::AppError>() {
            return crate::i18n::errors::app(tr(), e);
        }
        if let Some(e) = error.downcast_ref::<crate::team::folder::FolderError>() {
            return crate::i18n::errors::folder(tr(), e);
        }
        if let Some(e) = error.downcast_ref::<crate::import::files::ImportError>() {
            return crate::i18n::errors::import(tr(), e);
        }
        if let Some(e) = error.downcast_ref::<crate::import::qdpx::RefiError>() {
            return crate::i18n::errors::refi(tr(), e);
        }
        if let Some(e) = error.downcast_ref::<crate::team::TeamError>() {
            return crate::i18n::errors::team(tr(), e);
        }
        if let Some(e) = error.downcast_ref::<crate::analysis::AnalysisError>() {
            return crate::i18n::errors::analysis(tr(), e);
        }
        if let Some(e) = error.downcast_ref::<crate::export::tables::TableExportError>() {
            return crate::i18n::errors::tables(tr(), e);
        }
        if let Some(e) = error.downcast_ref::<crate::export::report::ReportError>() {
            return crate::i18n::errors::report(tr(), e);
        }
        if let Some(e) = error.downcast_ref::<crate::export::qdpx::ExportError>() {
            return crate::i18n::errors::refi_export(tr(), e);
        }
    }
    format!("{error:#}")
}

/// The options of this run (set once by [`run`]).
static GLOBAL: std::sync::OnceLock<GlobalArgs> = std::sync::OnceLock::new();

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
        /// Build the project from a REFI-QDA project (.qdpx) or codebook (.qdc).
        #[arg(long, conflicts_with = "template")]
        from: Option<PathBuf>,
        /// With --from: rebuild a code tree flattened into names like `Parent::Child`.
        #[arg(long, requires = "from")]
        rebuild_tree: bool,
        /// With --from: read sources kept outside the archive (`relative://`,
        /// `absolute://`) from this folder and the folders under it; none are read otherwise.
        #[arg(long, requires = "from", value_name = "DIR")]
        allow_external_sources: Option<PathBuf>,
        /// With --from: print the import report as JSON.
        #[arg(long, requires = "from")]
        json: bool,
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
    /// Import documents (txt, md, docx, odt, srt, vtt, noScribe html), or REFI-QDA projects (.qdpx) and
    /// codebooks (.qdc) from NVivo, ATLAS.ti, MAXQDA, QualCoder (merged by GUID).
    Import(corpus::ImportArgs),
    /// Export the project for other tools: REFI-QDA project (qdpx) or codebook (qdc), or
    /// `export iramuteq` for a corpus of starred texts.
    Export(refi::ExportArgs),
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
    /// Search the texts with a query (words, "phrases", AND/OR/NOT, prefix*, NEAR): the
    /// passages found in context, counted by document and respondent, or a concordance.
    Search(lexical::SearchArgs),
    /// Analysis tables (frequencies, matrix, crosstab, cooccurrence, controversies,
    /// orientations, quotes, respondent-matrix, words), printed or written as CSV, XLSX,
    /// ODS or Markdown.
    Table(analysis::TableArgs),
    /// Export a coded report (HTML, Markdown, DOCX, ODT), optionally pseudonymised.
    Report(report::ReportArgs),
    /// Manage the pseudonym list (identifying strings replaced in pseudonymised exports).
    #[command(subcommand)]
    Pseudonym(report::PseudonymCommand),
    /// Attach an audio file (wav, mp3, ogg, flac, m4a) to a document.
    AttachMedia(media::AttachMediaArgs),
    /// Export a timestamped transcript as subtitles (srt, vtt) or text.
    Transcript(media::TranscriptArgs),
    /// Replace a document's text with a corrected version; codings follow the text.
    EditText(media::EditTextArgs),
    /// Transcribe recordings on this machine with a Whisper model folder you have.
    Transcribe(transcribe::TranscribeArgs),
    /// Label a transcript's speaker turns (each paragraph a turn, the speakers alternating).
    LabelTurns(transcribe::LabelTurnsArgs),
    /// Re-import a corrected file into an existing document; codings follow the text.
    Reimport(media::ReimportArgs),
    /// Check the project's integrity and invariants (non-zero exit on a problem).
    Check {
        /// Project file.
        project: PathBuf,
        /// Rebuild the search index if it is out of step.
        #[arg(long)]
        repair: bool,
    },
    /// Make a backup of a project now (SQLite online backup, rotated).
    Backup {
        /// Project file.
        project: PathBuf,
        /// Why (shown in the list).
        #[arg(long, default_value = "manual")]
        reason: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List a project's backups, newest first.
    Backups(ListArgs),
    /// Restore a backup into a project (the current state is backed up first).
    Restore {
        /// Project file.
        project: PathBuf,
        /// Backup file to restore.
        backup: PathBuf,
    },
    /// Crash-safety test: run children that code and import, SIGKILL them at random moments
    /// and check that every committed coding survived.
    #[command(hide = true)]
    CrashTest {
        /// How many times a child is killed (SIGKILL) mid-work.
        #[arg(long, default_value_t = 100)]
        kills: usize,
        /// Instead of killing, copy the project file alone this many times while a child
        /// works, and check every copy.
        #[arg(long)]
        copies: Option<usize>,
        /// Seed of the kill times and of the children's actions (same seed, same run).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Folder for the project and the commit log (default: a temporary folder).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Fuzz the importers and offset conversions with mutated real files.
    #[command(hide = true)]
    Fuzz {
        /// Target (all, txt, docx, odt, srt, vtt, csv, offsets).
        #[arg(long, default_value = "all")]
        target: String,
        /// Time given to each target, in minutes (fractions allowed).
        #[arg(long, default_value_t = 1.0)]
        minutes: f64,
        /// Most inputs per target.
        #[arg(long, default_value_t = usize::MAX)]
        runs: usize,
        /// Seed of the mutations (same seed, same inputs).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// The child of `crash-test` (runs until killed).
    #[command(hide = true)]
    CrashChild {
        /// Project file.
        project: PathBuf,
        /// File where the child writes each coding once committed, for the parent to check.
        #[arg(long)]
        log: PathBuf,
        /// Seed of the child's actions.
        #[arg(long)]
        seed: u64,
        /// Pause after each action, at most this many ms (a person's pace); 0 works flat out.
        #[arg(long, default_value_t = 0)]
        pace_ms: u64,
    },
    /// Benchmark: generate a corpus and time import, open, search, retrieval…
    Bench(bench::BenchArgs),
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
    /// Merge copies of a project coded apart (by identity: GUIDs, never names or
    /// positions), with a report of what was added, unified, superseded and dropped.
    Merge(team::MergeArgs),
    /// Inter-coder agreement: percent agreement, Cohen's kappa, Krippendorff's alpha.
    Agreement(team::AgreementArgs),
    /// Settle a disagreement: one coder takes another's coding of a range (undoable).
    AcceptVersion(team::AcceptArgs),
    /// Work as a team through a shared folder (Nextcloud, Syncthing, a network drive):
    /// join, sync, status, publish, leave.
    #[command(subcommand)]
    Team(team_folder::TeamCommand),
    /// Blinded double coding: hide other coders' codings (on), show them (off).
    Blind {
        /// on, off or status.
        #[arg(value_enum)]
        switch: team::BlindSwitch,
        /// Project file.
        project: PathBuf,
    },
    /// Measure frame times of the document view on a generated document (developers).
    #[command(hide = true)]
    BenchFrame {
        /// Length of the document, chars.
        #[arg(long, default_value_t = 300_000)]
        chars: usize,
        /// Codings laid over the document (by 24 codes and two coders).
        #[arg(long, default_value_t = 5_000)]
        codings: usize,
        /// Frames measured in each phase (scroll, select, code…).
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
    let take_over = GLOBAL.get().is_some_and(|g| g.take_over);
    let options = OpenOptions {
        stale: if take_over {
            StalePolicy::TakeOverAny
        } else {
            StalePolicy::TakeOverLocal
        },
        coder: coder.map(str::to_string),
    };
    let project = Project::open_with(path, &options)?;
    for warning in project.opened.warnings(path) {
        eprintln!("warning: {warning}");
    }
    if let Some(warning) = crate::store::lock::shared_folder_warning(path) {
        eprintln!("warning: {warning}");
    }
    Ok(project)
}

/// A progress line on stderr for long commands, shown only to a person at a terminal (a
/// script reading stderr gets no carriage returns).
pub struct Progress {
    label: &'static str,
    shown: Option<u32>,
    terminal: bool,
}

impl Progress {
    /// A progress line labelled `label`.
    pub fn new(label: &'static str) -> Progress {
        use std::io::IsTerminal;
        Progress {
            label,
            shown: None,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    /// Shows `share` (0 to 1) as a percentage, when it changed.
    pub fn show(&mut self, share: f32) {
        let percent = (share.clamp(0.0, 1.0) * 100.0) as u32;
        if self.terminal && self.shown != Some(percent) {
            eprint!("\r{}: {percent:>3} %", self.label);
            self.shown = Some(percent);
        }
    }

    /// Shows 100 % and ends the progress line (nothing when it was never shown).
    pub fn done(&mut self) {
        if self.terminal && self.shown.is_some() {
            eprintln!("\r{}: 100 %", self.label);
        }
        self.shown = None;
    }
}

/// A message of the application layer in this run's language: a wording of the command
/// line's own (`cli.` + key: "fouille undo" where the app says "Ctrl+Z") when the
/// catalogue has one, else the app's; codes named by their path as stored.
pub fn words(project: &Project, message: &crate::app::message::Message) -> anyhow::Result<String> {
    use crate::app::message::Arg;
    let list = crate::store::codes::list(project.conn())?;
    let paths = crate::store::codes::paths(&list);
    let cli_key = format!("cli.{}", message.key);
    let key = if tr().t(&cli_key) != cli_key {
        cli_key.as_str()
    } else {
        message.key
    };
    Ok(message.words_as(key, tr(), &|arg| match arg {
        Arg::CodePath(guid) | Arg::PoleNote(guid) => {
            paths.get(guid).cloned().unwrap_or_else(|| guid.to_string())
        }
        Arg::Text(text) => text.clone(),
        Arg::Count(n) => n.to_string(),
    }))
}

/// Prints a value as pretty JSON.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Runs a subcommand other than `gui`.
pub fn run(
    global: GlobalArgs,
    command: Command,
    measure_frames: crate::bench::frames::MeasureFrames,
) -> anyhow::Result<()> {
    let _ = GLOBAL.set(global);
    match command {
        Command::Gui { .. } => anyhow::bail!("the gui command is handled by the binary"),
        Command::New {
            project,
            template,
            name,
            coder,
            from,
            rebuild_tree,
            allow_external_sources,
            json,
        } => match from {
            Some(from) => refi::new_from(
                &project,
                &from,
                name.as_deref(),
                coder.as_deref(),
                &crate::import::qdpx::RefiImportOptions {
                    rebuild_tree,
                    allow_external_sources,
                },
                json,
            ),
            None => project::new(
                &project,
                template.as_deref(),
                name.as_deref(),
                coder.as_deref(),
            ),
        },
        Command::Sample {
            project,
            data,
            json,
        } => project::sample(&project, data.as_deref(), json),
        Command::Import(args) => corpus::import(args),
        Command::Export(args) => refi::export(args),
        Command::ImportSurvey(args) => corpus::import_survey(args),
        Command::Documents(args) => corpus::documents(args),
        Command::Respondents(args) => corpus::respondents(args),
        Command::Codebook(args) => codes::codebook(args),
        Command::Code(cmd) => codes::run(cmd),
        Command::Excerpts(args) => retrieve::excerpts(args),
        Command::Search(args) => lexical::search(args),
        Command::Table(args) => analysis::table(args),
        Command::Report(args) => report::report(args),
        Command::Pseudonym(cmd) => report::pseudonym(cmd),
        Command::AttachMedia(args) => media::attach_media(args),
        Command::Transcript(args) => media::transcript(args),
        Command::EditText(args) => media::edit_text(args),
        Command::Transcribe(args) => transcribe::transcribe(args),
        Command::LabelTurns(args) => transcribe::label_turns(args),
        Command::Reimport(args) => media::reimport(args),
        Command::Check { project, repair } => project::check(&project, repair),
        Command::Backup {
            project,
            reason,
            json,
        } => safety::backup_now(&project, &reason, json),
        Command::Backups(args) => safety::list_backups(&args.project, args.json),
        Command::Restore { project, backup } => safety::restore(&project, &backup),
        Command::CrashTest {
            copies: Some(copies),
            seed,
            dir,
            json,
            ..
        } => crash::copy_test(copies, seed, dir.as_deref(), json),
        Command::CrashTest {
            kills,
            seed,
            dir,
            json,
            ..
        } => crash::crash_test(kills, seed, dir.as_deref(), json),
        Command::Fuzz {
            target,
            minutes,
            runs,
            seed,
            json,
        } => safety::fuzz(&target, minutes, runs, seed, json),
        Command::CrashChild {
            project,
            log,
            seed,
            pace_ms,
        } => crash::crash_child(&project, &log, seed, pace_ms),
        Command::Bench(args) => bench::bench(args, measure_frames),
        Command::Undo { project } => project::undo_redo(&project, true),
        Command::Redo { project } => project::undo_redo(&project, false),
        Command::Merge(args) => team::merge(args),
        Command::Agreement(args) => team::agreement(args),
        Command::AcceptVersion(args) => team::accept_version(args),
        Command::Blind { switch, project } => team::blind_cmd(switch, &project),
        Command::Team(command) => team_folder::run(command),
        Command::BenchFrame {
            chars,
            codings,
            frames,
            json,
        } => {
            let options = crate::bench::frames::FrameOptions {
                chars,
                codings,
                frames,
                ..Default::default()
            };
            let report = measure_frames(options).map_err(anyhow::Error::msg)?;
            if json {
                print_json(&report)
            } else {
                print!("{report}");
                Ok(())
            }
        }
    }
}
