//! `excerpts`.

use std::path::PathBuf;

use super::corpus::parse_key_value;
use super::{open_project, print_json};
use crate::store::excerpts::ExcerptFilter;
use crate::store::{coders, codes, respondents};

/// Arguments of `fouille excerpts`.
#[derive(Debug, clap::Args)]
pub struct ExcerptArgs {
    /// Project file.
    pub project: PathBuf,
    /// Code path or GUID (with its sub-codes); repeatable.
    #[arg(long)]
    pub code: Vec<String>,
    /// Respondent name, pseudonym or GUID; repeatable.
    #[arg(long)]
    pub respondent: Vec<String>,
    /// Attribute condition KEY=VALUE; repeatable (all must hold).
    #[arg(long = "attr", value_parser = parse_key_value)]
    pub attributes: Vec<(String, String)>,
    /// Coder name; repeatable.
    #[arg(long)]
    pub coder: Vec<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub(super) fn excerpts(args: ExcerptArgs) -> anyhow::Result<()> {
    let project = open_project(&args.project, None)?;
    let conn = project.conn();
    let filter = ExcerptFilter {
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
        respondents: args
            .respondent
            .iter()
            .map(|r| respondents::find(conn, r).map(|r| r.guid))
            .collect::<Result<_, _>>()?,
        documents: Vec::new(),
        attributes: args.attributes,
    };
    let list = crate::store::excerpts::excerpts(conn, &filter)?;
    if args.json {
        let rows: Vec<_> = list
            .iter()
            .map(|e| {
                serde_json::json!({
                    "coding_guid": e.coding.guid, "code": e.code_path, "code_guid": e.coding.code_guid,
                    "document": e.document_name, "document_guid": e.coding.document_guid,
                    "respondent": e.respondent_name, "start": e.coding.start_char, "end": e.coding.end_char,
                    "coder": e.coder_name, "text": e.text, "memo": e.memo,
                })
            })
            .collect();
        return print_json(&rows);
    }
    for e in &list {
        println!(
            "── {} · {} [{}..{}] · {} · {}",
            e.document_name,
            e.respondent_name.as_deref().unwrap_or("—"),
            e.coding.start_char,
            e.coding.end_char,
            e.code_path,
            e.coder_name
        );
        println!("   « {} »", e.text);
        if !e.memo.is_empty() {
            println!("   memo: {}", e.memo);
        }
    }
    println!("{} excerpts", list.len());
    Ok(())
}
