//! `export --format qdpx|qdc`, the REFI-QDA side of `import`, and `new --from`.

use std::path::{Path, PathBuf};

use super::{open_project, print_json};
use crate::export::qdpx::{ExportOptions, export_qdc, export_qdpx};
use crate::import::qdpx::{ImportReport, RefiImportOptions, new_project_from};

/// Formats of `fouille export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// A whole project for NVivo, ATLAS.ti, MAXQDA, QualCoder… (REFI-QDA project).
    Qdpx,
    /// The codebook alone (REFI-QDA codebook).
    Qdc,
}

/// Arguments of `fouille export`: a REFI-QDA project or codebook, or (as a subcommand of
/// its own, with its options) another format.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ExportArgs {
    /// Formats with options of their own.
    #[command(subcommand)]
    pub to: Option<ExportTo>,
    /// Project file.
    #[arg(required = true)]
    pub project: Option<PathBuf>,
    /// Format (default: from the extension of the output file).
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,
    /// File to write (replaced if it exists).
    #[arg(short = 'o', long = "output", required = true)]
    pub output: Option<PathBuf>,
    /// Keep respondents who withdrew their consent, and their documents (left out by default).
    #[arg(long)]
    pub include_withdrawn: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `fouille export <format> …`: formats with options of their own.
#[derive(Debug, clap::Subcommand)]
pub enum ExportTo {
    /// A corpus for IRaMuTeQ: plain UTF-8 text, one text per coded excerpt (or per
    /// document), each after a starred line of variables (`**** *resp_… *territory_…
    /// *code_…`). Respondents who withdrew consent are left out.
    Iramuteq(super::iramuteq::IramuteqArgs),
}

fn format_of(args: &ExportArgs, output: &Path) -> anyhow::Result<ExportFormat> {
    if let Some(f) = args.format {
        return Ok(f);
    }
    match output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("qdpx") => Ok(ExportFormat::Qdpx),
        Some("qdc") => Ok(ExportFormat::Qdc),
        _ => anyhow::bail!(
            "say --format qdpx or --format qdc (or name the output file .qdpx or .qdc)"
        ),
    }
}

pub(super) fn export(args: ExportArgs) -> anyhow::Result<()> {
    let (project_path, output) = match (&args.to, &args.project, &args.output) {
        (Some(ExportTo::Iramuteq(to)), _, _) => return super::iramuteq::export(to),
        (None, Some(project), Some(output)) => (project.clone(), output.clone()),
        // clap requires both without a subcommand.
        _ => anyhow::bail!("give the project and -o FILE"),
    };
    let format = format_of(&args, &output)?;
    let project = open_project(&project_path, None)?;
    match format {
        ExportFormat::Qdpx => {
            let options = ExportOptions {
                include_withdrawn: args.include_withdrawn,
            };
            let summary = export_qdpx(project.conn(), &output, &options)?;
            if args.json {
                return print_json(&summary);
            }
            println!(
                "exported {}: {} sources, {} codes, {} codings, {} cases, {} variables, {} notes, {} users",
                output.display(),
                summary.sources,
                summary.codes,
                summary.codings,
                summary.cases,
                summary.variables,
                summary.notes,
                summary.users
            );
            if summary.withdrawn_documents_left_out > 0 {
                println!(
                    "left out {} documents of respondents who withdrew their consent (--include-withdrawn keeps them)",
                    summary.withdrawn_documents_left_out
                );
            }
            if summary.memos_left_out > 0 {
                println!(
                    "left out {} memos about what was left out",
                    summary.memos_left_out
                );
            }
        }
        ExportFormat::Qdc => {
            let codes = export_qdc(project.conn(), &output)?;
            if args.json {
                return print_json(&serde_json::json!({ "codes": codes }));
            }
            println!("exported {}: {codes} codes", output.display());
        }
    }
    Ok(())
}

fn print_report(report: &ImportReport, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(report);
    }
    print!("{report}");
    Ok(())
}

/// `fouille new PROJECT --from FILE`.
pub(super) fn new_from(
    path: &Path,
    from: &Path,
    name: Option<&str>,
    coder: Option<&str>,
    options: &RefiImportOptions,
    json: bool,
) -> anyhow::Result<()> {
    let report = new_project_from(path, from, name, coder, options)?;
    print_report(&report, json)?;
    if !json {
        println!("created {}", path.display());
    }
    Ok(())
}
