//! `search` (passages, counts, concordance) and `code apply-search`: the lexical search of
//! the application layer ([`crate::app::lexical`]) on the command line.

use std::path::PathBuf;

use super::{open_project, print_json};
use crate::app::lexical::{self, AutocodeRequest, SearchRequest, SearchScope};
use crate::lexical::kwic::KwicSort;
use crate::lexical::units::Unit;
use crate::lexical::{Query, Scope, Width};

/// Where a search looks, as the options `search` and `code apply-search` share.
#[derive(Debug, Clone, clap::Args)]
pub struct ScopeArgs {
    /// Limit the search: `documents=A,B`, `attribute NAME=VALUE` (respondent's or
    /// document's), `code PATH` (hits inside passages coded with it or a sub-code);
    /// repeatable.
    #[arg(long, num_args = 1..=2, value_names = ["KIND", "VALUE"])]
    pub scope: Vec<String>,
    /// Unit inside which AND and NOT are judged: sentence, paragraph (default), turn or
    /// document.
    #[arg(long, value_parser = parse_within, default_value = "paragraph")]
    pub within: Scope,
}

fn parse_within(s: &str) -> Result<Scope, String> {
    match s.trim().to_lowercase().as_str() {
        "sentence" | "phrase" => Ok(Scope::Sentence),
        "paragraph" | "paragraphe" => Ok(Scope::Paragraph),
        "turn" | "tour" => Ok(Scope::Turn),
        "document" => Ok(Scope::Document),
        _ => Err(format!(
            "« {s} » should be sentence, paragraph, turn or document"
        )),
    }
}

fn parse_unit(s: &str) -> Result<Unit, String> {
    match s.trim().to_lowercase().as_str() {
        "word" | "mot" => Ok(Unit::Word),
        "sentence" | "phrase" => Ok(Unit::Sentence),
        "paragraph" | "paragraphe" => Ok(Unit::Paragraph),
        "turn" | "tour" => Ok(Unit::Turn),
        _ => Err(format!(
            "« {s} » should be word, sentence, paragraph or turn"
        )),
    }
}

fn parse_sort(s: &str) -> Result<KwicSort, String> {
    match s.trim().to_lowercase().as_str() {
        "left" | "gauche" => Ok(KwicSort::Left),
        "right" | "droite" => Ok(KwicSort::Right),
        "document" => Ok(KwicSort::Document),
        _ => Err(format!("« {s} » should be left, right or document")),
    }
}

impl ScopeArgs {
    /// The scope the `--scope` values say (read in order: a kind, then its value, either
    /// as two values or joined by `=`).
    pub fn scope(&self) -> anyhow::Result<SearchScope> {
        let mut scope = SearchScope::default();
        let mut values = self.scope.iter();
        while let Some(first) = values.next() {
            let (kind, value) = match first.split_once(['=', ' ']) {
                Some((k, v))
                    if matches!(k.trim(), "documents" | "document" | "code" | "attribute") =>
                {
                    (k.trim().to_string(), v.trim().to_string())
                }
                _ => {
                    let value = values
                        .next()
                        .ok_or_else(|| anyhow::anyhow!("--scope {first}: a value should follow"))?;
                    (first.trim().to_string(), value.trim().to_string())
                }
            };
            match kind.as_str() {
                "documents" | "document" => scope.documents.extend(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .map(str::to_string),
                ),
                "attribute" => scope
                    .attributes
                    .push(super::corpus::parse_key_value(&value).map_err(anyhow::Error::msg)?),
                "code" => scope.codes.push(value),
                other => anyhow::bail!(
                    "--scope {other}: should be documents=A,B, attribute NAME=VALUE or code PATH"
                ),
            }
        }
        Ok(scope)
    }
}

/// Arguments of `fouille search`.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// Project file.
    pub project: PathBuf,
    /// The query: words, "a phrase", prefix*, AND/ET, OR/OU, NOT/SAUF, parentheses,
    /// NEAR(a b, 5) (accents, case and œ/æ ignored; see the README).
    pub query: String,
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Most passages to show (the counts count them all).
    #[arg(long, default_value_t = 100)]
    pub limit: usize,
    /// Chars of context on each side.
    #[arg(long, default_value_t = 60)]
    pub context: usize,
    /// Show a concordance (key word in context), aligned on the match.
    #[arg(long)]
    pub kwic: bool,
    /// Concordance order: document (default), left or right context.
    #[arg(long, value_parser = parse_sort)]
    pub sort: Option<KwicSort>,
    /// Write the concordance to a table file (.csv, .xlsx, .ods or .md).
    #[arg(long)]
    pub export: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Parses the query, or shows it with the wrong token underlined (on stderr) and fails.
fn parse_query(query: &str) -> anyhow::Result<()> {
    if let Err(e) = Query::parse(query) {
        let pad: String = query.chars().take(e.at).map(|_| ' ').collect();
        let marks = "^".repeat(e.token.chars().count().max(1));
        eprintln!("  {query}\n  {pad}{marks}");
        return Err(crate::app::AppError::Query(e).into());
    }
    Ok(())
}

pub(super) fn search(args: SearchArgs) -> anyhow::Result<()> {
    parse_query(&args.query)?;
    let project = open_project(&args.project, None)?;
    let request = SearchRequest {
        query: args.query.clone(),
        scope: args.scope.scope()?,
        within: args.scope.within,
        context: Width::Chars(args.context),
        limit: args.limit,
    };
    if args.kwic || args.export.is_some() || args.sort.is_some() {
        return concordance(&project, &args, &request);
    }
    let results = lexical::search(project.conn(), &request)?;
    if args.json {
        return print_json(&results);
    }
    let flat = |s: &str| s.replace('\n', " ");
    for p in &results.passages {
        println!(
            "{} · {} [{}..{}]: …{}[{}]{}…",
            p.document,
            p.respondent.as_deref().unwrap_or("—"),
            p.start,
            p.end,
            flat(&p.before),
            flat(&p.matched),
            flat(&p.after)
        );
    }
    println!(
        "{} passages ({} shown) in {} documents, {} respondents",
        results.total,
        results.passages.len(),
        results.documents.len(),
        results.respondents.len()
    );
    for c in &results.documents {
        println!("  {}: {}", c.name, c.hits);
    }
    for c in &results.respondents {
        println!("  {} (respondent): {}", c.name, c.hits);
    }
    Ok(())
}

fn concordance(
    project: &crate::store::Project,
    args: &SearchArgs,
    request: &SearchRequest,
) -> anyhow::Result<()> {
    let lines = lexical::concordance(project.conn(), request, args.sort.unwrap_or_default())?;
    if let Some(path) = &args.export {
        let format = crate::export::tables::TableFormat::from_path(path).ok_or_else(|| {
            anyhow::anyhow!(
                "cannot tell the format of {} from its extension (.csv, .xlsx, .ods, .md)",
                path.display()
            )
        })?;
        let table = lexical::concordance_table(&args.query, &lines, super::output_language());
        let csv = crate::export::tables::CsvOptions::default();
        for written in crate::app::report::write_tables(&[table], format, path, &csv)? {
            println!("wrote {}", written.display());
        }
        return Ok(());
    }
    if args.json {
        return print_json(&lines);
    }
    let width = lines
        .iter()
        .map(|l| l.line.left.chars().count())
        .max()
        .unwrap_or(0);
    for l in &lines {
        let pad = width - l.line.left.chars().count();
        println!(
            "{}{} [{}] {}   ({} · {})",
            " ".repeat(pad),
            l.line.left,
            l.line.matched,
            l.line.right,
            l.document,
            l.respondent.as_deref().unwrap_or("—")
        );
    }
    println!("{} lines", lines.len());
    Ok(())
}

/// Arguments of `fouille code apply-search`.
#[derive(Debug, clap::Args)]
pub struct ApplySearchArgs {
    /// Project file.
    pub project: PathBuf,
    /// The query (as for `fouille search`).
    pub query: String,
    /// Code path (a partial path will do when only one code's path ends so) or GUID.
    #[arg(long)]
    pub code: String,
    /// What each hit is widened to: word, sentence, paragraph or turn.
    #[arg(long, value_parser = parse_unit, default_value = "sentence")]
    pub unit: Unit,
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Coder name (default: the last coder of the project).
    #[arg(long)]
    pub coder: Option<String>,
    /// Only say how many codings would be made.
    #[arg(long)]
    pub dry_run: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub(super) fn apply_search(args: ApplySearchArgs) -> anyhow::Result<()> {
    parse_query(&args.query)?;
    let mut project = open_project(&args.project, args.coder.as_deref())?;
    let mut search = SearchRequest::new(&args.query);
    search.scope = args.scope.scope()?;
    search.within = args.scope.within;
    let request = AutocodeRequest {
        search,
        code: args.code.clone(),
        unit: args.unit,
        only: None,
    };
    let (plan, made) = if args.dry_run {
        (lexical::plan_autocode(&project, &request)?, None)
    } else {
        let (plan, done) = lexical::autocode(&mut project, &request)?;
        (plan, Some(done))
    };
    if args.json {
        return print_json(&serde_json::json!({
            "hits": plan.hits, "ranges": plan.codings.len(), "new": plan.new,
            "already": plan.codings.len() - plan.new, "code": plan.code_path,
            "dry_run": args.dry_run, "codings": plan.codings,
        }));
    }
    let already = plan.codings.len() - plan.new;
    if let Some(done) = made.and_then(|d| d.message) {
        println!("{}", super::words(&project, &done)?);
    } else {
        println!(
            "{} hits → {} passages; {} codings would be made with « {} » ({} already coded)",
            plan.hits,
            plan.codings.len(),
            plan.new,
            plan.code_path,
            already
        );
    }
    Ok(())
}
