//! `codebook` and `code add|apply|apply-search|in-vivo|rename|move|merge|delete|remove|template`: each
//! change goes through the application layer ([`crate::app::edit`]), as in the app.

use std::path::PathBuf;

use super::{ListArgs, open_project, print_json};
use crate::app::edit::{self, Edit};
use crate::app::lexical;
use crate::model::{CodeKind, CodingId};
use crate::store::codes;
use crate::store::{Project, documents};

/// `fouille code …`
#[derive(Debug, clap::Subcommand)]
pub enum CodeCommand {
    /// Add a code.
    Add {
        /// Project file.
        project: PathBuf,
        /// Name.
        name: String,
        /// Parent code: `Parent/Child` by names, or a GUID.
        #[arg(long)]
        parent: Option<String>,
        /// theme, folder, controversy, pole, orientation or piste.
        #[arg(long, default_value = "theme")]
        kind: String,
        /// Colour #RRGGBB.
        #[arg(long)]
        color: Option<String>,
        /// Description.
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Code an excerpt, given by char offsets (end exclusive) or by quoting it.
    Apply {
        /// Project file.
        project: PathBuf,
        /// Document name, imported file name or GUID.
        #[arg(long)]
        document: String,
        /// First char to code, counted in chars from 0, inclusive.
        #[arg(long, requires = "end", conflicts_with = "quote")]
        start: Option<usize>,
        /// End char offset (exclusive).
        #[arg(long, requires = "start")]
        end: Option<usize>,
        /// The exact text to code: it must be in the document once.
        #[arg(long, required_unless_present = "start")]
        quote: Option<String>,
        /// Code path (a partial path will do when only one code's path ends so) or GUID.
        #[arg(long)]
        code: String,
        /// Coder name (default: the last coder of the project).
        #[arg(long)]
        coder: Option<String>,
        /// Memo on the coding.
        #[arg(long)]
        memo: Option<String>,
        /// Print the new coding's GUID as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Code every passage a search finds, widened to a word, sentence, paragraph or turn:
    /// one undoable step.
    ApplySearch(super::lexical::ApplySearchArgs),
    /// Code an excerpt with a code named after its words (in vivo): a top-level code of
    /// that name is reused, else made.
    InVivo {
        /// Project file.
        project: PathBuf,
        /// Document name or GUID.
        #[arg(long)]
        document: String,
        /// First char of the coding, counted in chars from 0, inclusive.
        #[arg(long)]
        start: usize,
        /// End char offset (exclusive).
        #[arg(long)]
        end: usize,
    },
    /// Rename a code.
    Rename {
        /// Project file.
        project: PathBuf,
        /// Code path or GUID.
        code: String,
        /// New name.
        name: String,
    },
    /// Move a code under another (or to the top with no --parent).
    Move {
        /// Project file.
        project: PathBuf,
        /// Code path or GUID.
        code: String,
        /// New parent path or GUID.
        #[arg(long)]
        parent: Option<String>,
    },
    /// Merge a code into another: its codings and children move there.
    Merge {
        /// Project file.
        project: PathBuf,
        /// Code to merge away.
        from: String,
        /// Code that receives it.
        into: String,
    },
    /// Delete a code, its sub-codes and their codings (undoable).
    Delete {
        /// Project file.
        project: PathBuf,
        /// Code path or GUID.
        code: String,
    },
    /// Remove one coding by GUID (undoable).
    Remove {
        /// Project file.
        project: PathBuf,
        /// Coding GUID.
        coding: String,
    },
    /// Load a built-in codebook into the project (codes already there are kept).
    Template {
        /// Project file.
        project: PathBuf,
        /// Template id (`reflexes-publics`).
        #[arg(default_value = crate::templates::REFLEXES_PUBLICS)]
        template: String,
    },
}

pub(super) fn run(cmd: CodeCommand) -> anyhow::Result<()> {
    match cmd {
        CodeCommand::Add {
            project,
            name,
            parent,
            kind,
            color,
            description,
        } => {
            let mut p = open_project(&project, None)?;
            let kind = CodeKind::parse(&kind).ok_or_else(|| {
                anyhow::anyhow!(
                    "unknown kind « {kind} » (theme, folder, controversy, pole, orientation, piste)"
                )
            })?;
            let parent = match parent {
                Some(path) => Some(codes::resolve(p.conn(), &path)?.guid),
                None => None,
            };
            let done = edit::apply(
                &mut p,
                Edit::AddCode {
                    parent,
                    name,
                    kind,
                    color,
                    description,
                },
            )?;
            println!("{}", done.created.unwrap_or_default());
        }
        CodeCommand::Apply {
            project,
            document,
            start,
            end,
            quote,
            code,
            coder,
            memo,
            json,
        } => {
            let mut p = open_project(&project, coder.as_deref())?;
            let done = match (start, end, quote) {
                (Some(start), Some(end), _) => {
                    let document = lexical::find_document(p.conn(), &document)?.guid;
                    let code = lexical::resolve_code(p.conn(), &code)?.guid;
                    edit::apply(
                        &mut p,
                        Edit::ApplyCode {
                            document,
                            code,
                            start,
                            end,
                            memo,
                        },
                    )?
                }
                (_, _, Some(quote)) => lexical::code_quote(&mut p, &document, &quote, &code, memo)?,
                _ => anyhow::bail!("give --start and --end, or --quote"),
            };
            let guid = done.created.unwrap_or_default();
            if json {
                print_json(&serde_json::json!({ "guid": guid }))?;
            } else {
                println!("{guid}");
            }
        }
        CodeCommand::ApplySearch(args) => super::lexical::apply_search(args)?,
        CodeCommand::InVivo {
            project,
            document,
            start,
            end,
        } => {
            let mut p = open_project(&project, None)?;
            let document = documents::find(p.conn(), &document)?.guid;
            apply_and_say(
                &mut p,
                Edit::InVivo {
                    document,
                    start,
                    end,
                },
            )?;
        }
        CodeCommand::Rename {
            project,
            code,
            name,
        } => {
            let mut p = open_project(&project, None)?;
            let guid = codes::resolve(p.conn(), &code)?.guid;
            apply_and_say(&mut p, Edit::RenameCode { guid, name })?;
        }
        CodeCommand::Move {
            project,
            code,
            parent,
        } => {
            let mut p = open_project(&project, None)?;
            let guid = codes::resolve(p.conn(), &code)?.guid;
            let parent = match parent {
                Some(path) => Some(codes::resolve(p.conn(), &path)?.guid),
                None => None,
            };
            apply_and_say(
                &mut p,
                Edit::MoveCode {
                    guid,
                    parent,
                    position: None,
                },
            )?;
        }
        CodeCommand::Merge {
            project,
            from,
            into,
        } => {
            let mut p = open_project(&project, None)?;
            let from = codes::resolve(p.conn(), &from)?.guid;
            let into = codes::resolve(p.conn(), &into)?.guid;
            apply_and_say(&mut p, Edit::MergeCode { from, into })?;
        }
        CodeCommand::Delete { project, code } => {
            let mut p = open_project(&project, None)?;
            let guid = codes::resolve(p.conn(), &code)?.guid;
            apply_and_say(&mut p, Edit::DeleteCode(guid))?;
        }
        CodeCommand::Remove { project, coding } => {
            let mut p = open_project(&project, None)?;
            apply_and_say(&mut p, Edit::RemoveCoding(CodingId::from_input(&coding)))?;
        }
        CodeCommand::Template { project, template } => {
            let mut p = open_project(&project, None)?;
            crate::templates::by_id(&template)
                .ok_or_else(|| anyhow::anyhow!("unknown template « {template} »"))?;
            apply_and_say(&mut p, Edit::LoadTemplate(template))?;
        }
    }
    Ok(())
}

/// Applies an edit and prints what it tells the user, in this run's language.
fn apply_and_say(project: &mut Project, change: Edit) -> anyhow::Result<()> {
    let done = edit::apply(project, change)?;
    if let Some(message) = &done.message {
        println!("{}", super::words(project, message)?);
    }
    Ok(())
}

pub(super) fn codebook(args: ListArgs) -> anyhow::Result<()> {
    let project = open_project(&args.project, None)?;
    let list = codes::list(project.conn())?;
    let counts = codes::coding_counts(project.conn())?;
    let paths = codes::paths(&list);
    if args.json {
        let rows: Vec<_> = list
            .iter()
            .map(|c| {
                serde_json::json!({
                    "guid": c.guid, "path": paths[&c.guid], "name": c.name, "kind": c.kind,
                    "parent_guid": c.parent_guid, "color": c.color, "description": c.description,
                    "codings": counts.get(&c.guid).copied().unwrap_or(0),
                })
            })
            .collect();
        return print_json(&rows);
    }
    for c in &list {
        let depth = paths[&c.guid].matches('/').count();
        println!(
            "{}{} [{}] {} ({} codings)",
            "  ".repeat(depth),
            c.name,
            c.kind,
            c.color,
            counts.get(&c.guid).copied().unwrap_or(0)
        );
    }
    Ok(())
}
