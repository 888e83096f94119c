//! `import`, `import-survey`, `documents`, `respondents`.

use std::path::PathBuf;

use super::{ListArgs, open_project, print_json};
use crate::app::import::{ImportRequest, import_files};
use crate::import::files::{self, FileOutcome, ImportOptions, SurveyColumns};
use crate::import::qdpx::RefiImportOptions;
use crate::model::{AttributeScope, DocumentId, RespondentId};
use crate::store::{attributes, documents, respondents};

/// Arguments of `fouille import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Project file.
    pub project: PathBuf,
    /// Files to import.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Link the documents to this respondent (created if new).
    #[arg(long)]
    pub respondent: Option<String>,
    /// Attribute KEY=VALUE (on the respondent if given, else on the documents).
    #[arg(long = "attr", value_parser = parse_key_value)]
    pub attributes: Vec<(String, String)>,
    /// For .qdpx/.qdc files: rebuild a code tree flattened into names like `Parent::Child`.
    #[arg(long)]
    pub rebuild_tree: bool,
    /// For .qdpx files: read sources kept outside the archive (`relative://`,
    /// `absolute://`) from this folder and the folders under it; none are read otherwise.
    #[arg(long, value_name = "DIR")]
    pub allow_external_sources: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `fouille import-survey`.
#[derive(Debug, clap::Args)]
pub struct ImportSurveyArgs {
    /// Project file.
    pub project: PathBuf,
    /// The CSV file.
    pub file: PathBuf,
    /// Column holding the respondent id.
    #[arg(long)]
    pub id_column: String,
    /// Open-answer columns, comma-separated.
    #[arg(long, value_delimiter = ',', required = true)]
    pub answer_columns: Vec<String>,
    /// Attribute columns, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub attribute_columns: Vec<String>,
    /// Skip the rows that cannot be read (an unclosed quote, a wrong number of cells, an
    /// empty or repeated id) and list them, instead of refusing the file.
    #[arg(long)]
    pub lenient: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Parses `KEY=VALUE`.
pub fn parse_key_value(s: &str) -> Result<(String, String), String> {
    let (k, v) = s
        .split_once('=')
        .ok_or_else(|| format!("« {s} » should be KEY=VALUE"))?;
    if k.trim().is_empty() {
        return Err(format!("« {s} » has an empty key"));
    }
    Ok((k.trim().to_string(), v.trim().to_string()))
}

pub(super) fn import(args: ImportArgs) -> anyhow::Result<()> {
    let mut project = open_project(&args.project, None)?;
    let request = ImportRequest {
        files: args.files,
        documents: ImportOptions {
            respondent: args.respondent,
            attributes: args.attributes,
            ..Default::default()
        },
        refi: RefiImportOptions {
            rebuild_tree: args.rebuild_tree,
            allow_external_sources: args.allow_external_sources,
        },
    };
    let outcome = import_files(&mut project, &request)?;
    if args.json {
        // One JSON value, as before: the REFI-QDA reports, or the documents' outcomes.
        return if outcome.documents.is_empty() && !outcome.refi.is_empty() {
            match outcome.refi.as_slice() {
                [one] => print_json(one),
                many => print_json(&many),
            }
        } else {
            print_json(&outcome.documents)
        };
    }
    for report in &outcome.refi {
        print!("{report}");
    }
    for o in &outcome.documents {
        match o {
            FileOutcome::Imported {
                path, name, format, ..
            } => println!("imported {path} as « {name} » ({format})"),
            FileOutcome::Duplicate { path, existing } => {
                println!(
                    "skipped {path}: the same text is already in the project as « {existing} »"
                )
            }
        }
    }
    Ok(())
}

pub(super) fn import_survey(args: ImportSurveyArgs) -> anyhow::Result<()> {
    let mut project = open_project(&args.project, None)?;
    let columns = SurveyColumns {
        id_column: args.id_column,
        answer_columns: args.answer_columns,
        attribute_columns: args.attribute_columns,
    };
    let options = files::SurveyOptions {
        lenient: args.lenient,
    };
    let mut progress = super::Progress::new("importing");
    let outcome =
        files::import_survey(&mut project, &args.file, &columns, options, &mut |share| {
            progress.show(share)
        })?;
    progress.done();
    if args.json {
        return print_json(&outcome);
    }
    println!(
        "imported {}: {} respondents, {} answers ({} empty cells skipped; read as {})",
        args.file.display(),
        outcome.respondents,
        outcome.answers,
        outcome.empty_answers,
        outcome.detected
    );
    if outcome.skipped_count > 0 {
        println!("{} rows were skipped:", outcome.skipped_count);
        for row in &outcome.skipped {
            println!("  {}", row.reason);
        }
        if outcome.skipped_count > outcome.skipped.len() {
            println!(
                "  … and {} more",
                outcome.skipped_count - outcome.skipped.len()
            );
        }
    }
    if let Some(backup) = &outcome.backup {
        println!("backup made before the import: {backup}");
    }
    Ok(())
}

pub(super) fn documents(args: ListArgs) -> anyhow::Result<()> {
    let project = open_project(&args.project, None)?;
    let docs = documents::list(project.conn())?;
    let counts = crate::store::codings::list(project.conn())?
        .into_iter()
        .fold(
            std::collections::HashMap::<DocumentId, usize>::new(),
            |mut m, c| {
                *m.entry(c.document_guid).or_default() += 1;
                m
            },
        );
    let names: std::collections::HashMap<RespondentId, String> = respondents::list(project.conn())?
        .into_iter()
        .map(|r| (r.guid, r.name))
        .collect();
    if args.json {
        let rows: Vec<_> = docs
            .iter()
            .map(|d| {
                serde_json::json!({
                    "guid": d.guid, "name": d.name, "kind": d.kind, "chars": d.char_len,
                    "codings": counts.get(&d.guid).copied().unwrap_or(0),
                    "respondent": d.respondent_guid.as_ref().and_then(|r| names.get(r)),
                    "respondent_guid": d.respondent_guid, "origin": d.origin, "media_path": d.media_path,
                    "content_hash": d.content_hash,
                })
            })
            .collect();
        return print_json(&rows);
    }
    for d in &docs {
        println!(
            "{}  {:<40} {:<13} {:>7} chars {:>4} codings  {}",
            d.guid,
            d.name,
            d.kind.as_str(),
            d.char_len,
            counts.get(&d.guid).copied().unwrap_or(0),
            d.respondent_guid
                .as_ref()
                .and_then(|r| names.get(r))
                .map(String::as_str)
                .unwrap_or("")
        );
    }
    println!("{} documents", docs.len());
    Ok(())
}

pub(super) fn respondents(args: ListArgs) -> anyhow::Result<()> {
    let project = open_project(&args.project, None)?;
    let list = respondents::list(project.conn())?;
    let values = attributes::values(project.conn(), AttributeScope::Respondent)?;
    if args.json {
        let rows: Vec<_> = list
            .iter()
            .map(|r| {
                serde_json::json!({
                    "guid": r.guid, "name": r.name, "pseudonym": r.pseudonym, "consent": r.consent,
                    "attributes": values.get(r.guid.as_str()).cloned().unwrap_or_default(),
                })
            })
            .collect();
        return print_json(&rows);
    }
    for r in &list {
        let attrs = values
            .get(r.guid.as_str())
            .map(|m| {
                m.iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        println!(
            "{}  {:<24} {:<16} {:<9} {attrs}",
            r.guid,
            r.name,
            r.pseudonym,
            r.consent.as_str()
        );
    }
    println!("{} respondents", list.len());
    Ok(())
}
