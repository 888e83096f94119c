//! `codebook` and `code add|apply|rename|move|merge|delete|remove`.

use std::path::PathBuf;

use super::{ListArgs, open_project, print_json};
use crate::model::{CodeKind, MemoTarget};
use crate::store::codes::{self, NewCode};
use crate::store::{codings, documents, memos};

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
    /// Code an excerpt (char offsets, end exclusive).
    Apply {
        /// Project file.
        project: PathBuf,
        /// Document name or GUID.
        #[arg(long)]
        document: String,
        /// Start char offset.
        #[arg(long)]
        start: usize,
        /// End char offset (exclusive).
        #[arg(long)]
        end: usize,
        /// Code path or GUID.
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
            let mut new = NewCode::new(&name, kind, parent.as_deref());
            new.color = color;
            new.description = description;
            let guid = p.action("Add code", |tx| codes::insert(tx, new))?;
            println!("{guid}");
        }
        CodeCommand::Apply {
            project,
            document,
            start,
            end,
            code,
            coder,
            memo,
            json,
        } => {
            let mut p = open_project(&project, coder.as_deref())?;
            let doc = documents::find(p.conn(), &document)?;
            let code = codes::resolve(p.conn(), &code)?;
            let guid = p.action("Code excerpt", |tx| {
                let guid = codings::apply(tx, &doc.guid, &code.guid, start, end)?;
                if let Some(m) = memo.as_deref().filter(|m| !m.trim().is_empty()) {
                    memos::set(tx, &MemoTarget::Coding(guid.clone()), m)?;
                }
                Ok(guid)
            })?;
            if json {
                print_json(&serde_json::json!({ "guid": guid }))?;
            } else {
                println!("{guid}");
            }
        }
        CodeCommand::Rename {
            project,
            code,
            name,
        } => {
            let mut p = open_project(&project, None)?;
            let c = codes::resolve(p.conn(), &code)?;
            p.action("Rename code", |tx| codes::rename(tx, &c.guid, &name))?;
            println!("renamed « {} » to « {name} »", c.name);
        }
        CodeCommand::Move {
            project,
            code,
            parent,
        } => {
            let mut p = open_project(&project, None)?;
            let c = codes::resolve(p.conn(), &code)?;
            let parent = match parent {
                Some(path) => Some(codes::resolve(p.conn(), &path)?.guid),
                None => None,
            };
            p.action("Move code", |tx| {
                codes::move_to(tx, &c.guid, parent.as_deref(), None)
            })?;
            println!("moved « {} »", c.name);
        }
        CodeCommand::Merge {
            project,
            from,
            into,
        } => {
            let mut p = open_project(&project, None)?;
            let a = codes::resolve(p.conn(), &from)?;
            let b = codes::resolve(p.conn(), &into)?;
            let moved = p.action("Merge codes", |tx| codes::merge(tx, &a.guid, &b.guid))?;
            println!(
                "merged « {} » into « {} » ({moved} codings moved)",
                a.name, b.name
            );
        }
        CodeCommand::Delete { project, code } => {
            let mut p = open_project(&project, None)?;
            let c = codes::resolve(p.conn(), &code)?;
            let removed = p.action("Delete code", |tx| codes::delete(tx, &c.guid))?;
            println!(
                "deleted « {} » and {removed} codings (fouille undo to restore)",
                c.name
            );
        }
        CodeCommand::Remove { project, coding } => {
            let mut p = open_project(&project, None)?;
            p.action("Remove coding", |tx| codings::remove(tx, &coding))?;
            println!("removed coding {coding}");
        }
        CodeCommand::Template { project, template } => {
            let mut p = open_project(&project, None)?;
            let t = crate::templates::by_id(&template)
                .ok_or_else(|| anyhow::anyhow!("unknown template « {template} »"))?;
            let added = p.action("Load codebook template", |tx| {
                crate::templates::load(tx, &t)
            })?;
            println!("{added} codes added from « {} »", t.name.fr);
        }
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
