//! `export iramuteq`: a corpus for IRaMuTeQ, through [`crate::app::iramuteq`].

use std::path::PathBuf;

use super::corpus::parse_key_value;
use super::{open_project, print_json};
use crate::analysis::AnalysisFilter;
use crate::app::iramuteq::{IramuteqRequest, export_iramuteq};
use crate::export::iramuteq::{IramuteqOptions, TextUnit};

fn parse_unit(s: &str) -> Result<TextUnit, String> {
    TextUnit::parse(s).ok_or_else(|| format!("« {s} » should be excerpt or document"))
}

/// Arguments of `fouille export iramuteq`.
#[derive(Debug, clap::Args)]
pub struct IramuteqArgs {
    /// Project file.
    pub project: PathBuf,
    /// File to write (replaced if it exists), e.g. `corpus.txt`.
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    /// One text per coded excerpt (with its code as a variable) or per document.
    #[arg(long, value_parser = parse_unit, default_value = "excerpt")]
    pub per: TextUnit,
    /// Fold accents in variable names and values (`*territory_periurbain`).
    #[arg(long)]
    pub fold_accents: bool,
    /// Replace every respondent name and listed identifying string by its pseudonym, in the
    /// variables and in the texts.
    #[arg(long)]
    pub pseudonymise: bool,
    /// Only codings by this coder (name or GUID); repeatable.
    #[arg(long)]
    pub coder: Vec<String>,
    /// Attribute condition KEY=VALUE on respondents or documents; repeatable.
    #[arg(long = "attr", value_parser = parse_key_value)]
    pub attributes: Vec<(String, String)>,
    /// Only this document (name or GUID); repeatable.
    #[arg(long)]
    pub document: Vec<String>,
    /// Only this code and its sub-codes (path or GUID); repeatable.
    #[arg(long)]
    pub code: Vec<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub(super) fn export(args: &IramuteqArgs) -> anyhow::Result<()> {
    let project = open_project(&args.project, None)?;
    let request = IramuteqRequest {
        filter: AnalysisFilter {
            coders: args.coder.clone(),
            attributes: args.attributes.clone(),
            documents: args.document.clone(),
            codes: args.code.clone(),
            include_withdrawn: false,
        },
        options: IramuteqOptions {
            per: args.per,
            fold_accents: args.fold_accents,
        },
        pseudonymise: args.pseudonymise,
        lang: super::output_language(),
        path: args.output.clone(),
    };
    let outcome = export_iramuteq(&project, &request)?;
    if args.json {
        return print_json(&outcome);
    }
    println!(
        "wrote {}: {} texts, {} respondents",
        outcome.path.display(),
        outcome.texts,
        outcome.respondents
    );
    for note in &outcome.notes {
        println!("{note}");
    }
    Ok(())
}
