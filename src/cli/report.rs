//! `report` (coded reports in HTML, Markdown, DOCX, ODT) and `pseudonym add|list|remove`.

use std::path::PathBuf;

use super::{open_project, print_json};
use crate::export::pseudonymise::Pseudonymiser;
use crate::export::report::{GroupBy, ReportFormat, ReportOptions};
use crate::store::{coders, codes, pseudonyms};

/// Arguments of `fouille report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Project file.
    pub project: PathBuf,
    /// Attribute for the break-down table and heat map (e.g. `territory`).
    #[arg(long)]
    pub by: Option<String>,
    /// Leave out the synthesis tables and charts.
    #[arg(long)]
    pub no_synthesis: bool,
    /// html, md, docx or odt (default: from the output file's extension).
    #[arg(long)]
    pub format: Option<String>,
    /// File to write (replaced if it exists; the format follows its extension).
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    /// Group excerpts by code, controversy (then pole) or orientation (then piste).
    #[arg(long = "group-by", default_value = "code")]
    pub group_by: String,
    /// Replace names by pseudonyms everywhere (excerpts, memos, tables, file metadata):
    /// each respondent's full name, first name alone, last name alone and upper-case
    /// surname become their pseudonym (or « Répondant·e N »), and every entry of the
    /// project's pseudonym list (`fouille pseudonym add`) its replacement; whole words,
    /// case-sensitive, longest first.
    #[arg(long, alias = "pseudonymize")]
    pub pseudonymise: bool,
    /// Attributes shown with each excerpt, comma-separated (e.g. role,territory).
    #[arg(long, value_delimiter = ',')]
    pub attributes: Vec<String>,
    /// Only this code (path or GUID, with its sub-codes); repeatable.
    #[arg(long)]
    pub code: Vec<String>,
    /// Only this coder; repeatable.
    #[arg(long)]
    pub coder: Vec<String>,
    /// Title (default: « Rapport de codage — PROJECT »).
    #[arg(long)]
    pub title: Option<String>,
    /// Leave the codebook out.
    #[arg(long)]
    pub no_codebook: bool,
    /// Add an appendix: `offsets` gives where each passage quoted by the synthesis tables
    /// starts and ends in its document (char offsets, as in the CSV/XLSX/ODS tables); the
    /// report's own tables never show them.
    #[arg(long, value_parser = ["offsets"])]
    pub appendix: Vec<String>,
}

/// `fouille pseudonym …`: the project's list of identifying strings and their replacements.
#[derive(Debug, clap::Subcommand)]
pub enum PseudonymCommand {
    /// Add an entry (or change its replacement): ORIGINAL is replaced by REPLACEMENT in
    /// pseudonymised exports (whole words, case-sensitive).
    Add {
        /// Project file.
        project: PathBuf,
        /// The identifying string (a person, an organisation, a place…).
        original: String,
        /// What to write instead.
        replacement: String,
    },
    /// List the entries.
    List {
        /// Project file.
        project: PathBuf,
        /// Show every rule applied, respondents' names and their parts included.
        #[arg(long)]
        all: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove an entry.
    Remove {
        /// Project file.
        project: PathBuf,
        /// The original (the identifying string) whose entry is removed.
        original: String,
    },
}

pub(super) fn report(args: ReportArgs) -> anyhow::Result<()> {
    let format = match &args.format {
        Some(f) => ReportFormat::parse(f)
            .ok_or_else(|| anyhow::anyhow!("unknown format « {f} » (html, md, docx or odt)"))?,
        None => ReportFormat::from_path(&args.output).ok_or_else(|| {
            anyhow::anyhow!(
                "give --format html|md|docx|odt (the output's extension does not name one)"
            )
        })?,
    };
    let group_by = GroupBy::parse(&args.group_by).ok_or_else(|| {
        anyhow::anyhow!(
            "unknown grouping « {} » (code, controversy or orientation)",
            args.group_by
        )
    })?;
    let lang = super::output_language();
    let project = open_project(&args.project, None)?;
    let conn = project.conn();
    let options = ReportOptions {
        group_by,
        pseudonymise: args.pseudonymise,
        attributes: args
            .attributes
            .iter()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect(),
        codes: args
            .code
            .iter()
            .map(|c| codes::resolve(conn, c).map(|c| c.guid))
            .collect::<Result<_, _>>()?,
        coders: args
            .coder
            .iter()
            .map(|c| coders::find(conn, c).map(|c| c.guid))
            .collect::<Result<_, _>>()?,
        lang,
        title: args.title.clone(),
        include_codebook: !args.no_codebook,
        generated_at_ms: None,
        appendix_offsets: args.appendix.iter().any(|a| a == "offsets"),
    };
    let request = crate::app::report::ReportRequest {
        options,
        by: args.by.clone(),
        synthesis: !args.no_synthesis,
        format,
        path: args.output.clone(),
    };
    let built = crate::app::report::export_report(&project, &request)?;
    println!(
        "wrote {} ({}): {} excerpts in {} sections{}",
        args.output.display(),
        format.extension(),
        built.stats.excerpts,
        built.sections,
        if args.pseudonymise {
            ", pseudonymised"
        } else {
            ""
        }
    );
    if built.stats.withdrawn_respondents > 0 {
        println!(
            "left out: {} respondent(s) who withdrew consent",
            built.stats.withdrawn_respondents
        );
    }
    if built.stats.pending_respondents > 0 {
        println!(
            "included with consent pending: {} respondent(s)",
            built.stats.pending_respondents
        );
    }
    Ok(())
}

pub(super) fn pseudonym(cmd: PseudonymCommand) -> anyhow::Result<()> {
    match cmd {
        PseudonymCommand::Add {
            project,
            original,
            replacement,
        } => {
            let mut project = open_project(&project, None)?;
            let added = project.action("action.pseudonym_add", |tx| {
                pseudonyms::add(tx, &original, &replacement)
            })?;
            println!(
                "{} « {} » → « {} »",
                if added { "added" } else { "updated" },
                original.trim(),
                replacement.trim()
            );
        }
        PseudonymCommand::Remove { project, original } => {
            let mut project = open_project(&project, None)?;
            project.action("action.pseudonym_remove", |tx| {
                pseudonyms::remove(tx, &original)
            })?;
            println!("removed « {} »", original.trim());
        }
        PseudonymCommand::List { project, all, json } => {
            let project = open_project(&project, None)?;
            let rows: Vec<(String, String)> = if all {
                Pseudonymiser::from_project(project.conn(), super::output_language())?.rules()
            } else {
                pseudonyms::list(project.conn())?
                    .into_iter()
                    .map(|p| (p.original, p.replacement))
                    .collect()
            };
            if json {
                let out: Vec<_> = rows
                    .iter()
                    .map(|(o, r)| serde_json::json!({ "original": o, "replacement": r }))
                    .collect();
                return print_json(&out);
            }
            for (o, r) in &rows {
                println!("{o}  →  {r}");
            }
            println!("{} entries", rows.len());
        }
    }
    Ok(())
}
