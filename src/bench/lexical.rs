//! The lexical phase of a bench run: a phrase, a boolean query and NEAR (the first 100
//! passages, counted in full), word frequencies of the corpus and of one code, and coding
//! about 10,000 hits at once (on a copy: the measured project is never modified).

use std::path::Path;

use super::Figure;
use super::run::{BenchError, remove_project};
use super::time_ms;
use crate::analysis::{AnalysisFilter, Lang, TableKind, TableOptions, compute};
use crate::app::lexical::{self, AutocodeRequest, SearchRequest, SearchScope};
use crate::lexical::units::Unit;
use crate::store::Project;

fn app(e: crate::app::AppError) -> BenchError {
    BenchError::Report(e.to_string())
}

/// Times one query: the first 100 passages with context and every count.
fn query(
    project: &Project,
    name: &str,
    text: &str,
    target: f64,
    runs: usize,
    push: &mut dyn FnMut(Figure),
) -> Result<(), BenchError> {
    let request = SearchRequest::new(text);
    let (times, found) =
        time_ms(runs.max(5), || lexical::search(project.conn(), &request)).map_err(app)?;
    push(Figure::ms(
        name,
        times,
        Some(target),
        format!(
            "{text} : {} passages in {} documents (first 100 with context)",
            found.total,
            found.documents.len()
        ),
    ));
    Ok(())
}

/// Times the lexical search, word frequencies and autocode on the project at `path`;
/// `busy_code` names the code of the one-code word table (the busiest one when `None`).
pub(super) fn lexical_phase(
    path: &Path,
    busy_code: Option<&str>,
    dir: &Path,
    runs: usize,
    push: &mut dyn FnMut(Figure),
) -> Result<(), BenchError> {
    let project = Project::open(path)?;
    let phrase = "\"coopération partenaires\"";
    query(&project, "lexical: phrase", phrase, 50.0, runs, push)?;
    let boolean = "(mairie OR guichet) AND confiance NOT budget";
    query(&project, "lexical: boolean", boolean, 50.0, runs, push)?;
    let near = "NEAR(rituel pilotage, 5)";
    query(&project, "lexical: NEAR", near, 200.0, runs, push)?;

    let words = |filter: &AnalysisFilter| {
        compute(
            project.conn(),
            TableKind::Words,
            filter,
            &TableOptions::default(),
            Lang::En,
        )
    };
    let (times, _) = time_ms(runs.max(3), || words(&AnalysisFilter::default()))?;
    push(Figure::ms(
        "lexical: word frequencies, corpus",
        times,
        Some(1000.0),
        "top 50 folded words of every document, FR+EN stop words left out",
    ));
    let code = match busy_code {
        Some(c) => c.to_string(),
        None => crate::store::stats::busiest_code(project.conn())?
            .ok_or_else(|| BenchError::Report("the project has no coding".into()))?,
    };
    let one_code = AnalysisFilter {
        codes: vec![code.clone()],
        ..Default::default()
    };
    let (times, _) = time_ms(runs.max(3), || words(&one_code))?;
    push(Figure::ms(
        "lexical: word frequencies, one code",
        times,
        Some(200.0),
        format!("the passages coded « {code} »"),
    ));
    drop(project);
    autocode(path, &code, dir, runs, push)
}

/// The documents, in corpus order, whose hits of `query` first add up to `wanted`.
fn scope_for_hits(
    project: &Project,
    query: &str,
    wanted: usize,
) -> Result<(SearchScope, usize), BenchError> {
    let mut request = SearchRequest::new(query);
    request.limit = 0;
    let found = lexical::search(project.conn(), &request).map_err(app)?;
    let (mut scope, mut hits) = (SearchScope::default(), 0);
    for d in found.documents {
        if hits >= wanted {
            break;
        }
        hits += d.hits;
        scope.documents.push(d.guid);
    }
    Ok((scope, hits))
}

/// Times coding about 10,000 hits by sentence, on a copy of the project, each run undone
/// before the next.
fn autocode(
    path: &Path,
    code: &str,
    dir: &Path,
    runs: usize,
    push: &mut dyn FnMut(Figure),
) -> Result<(), BenchError> {
    let copy = dir.join("lexical-autocode.fouille");
    remove_project(&copy);
    std::fs::copy(path, &copy)?;
    let mut project = Project::open(&copy)?;
    let word = "rituel";
    let (scope, hits) = scope_for_hits(&project, word, 10_000)?;
    let mut search = SearchRequest::new(word);
    search.scope = scope;
    let request = AutocodeRequest {
        search,
        code: code.to_string(),
        unit: Unit::Sentence,
        only: None,
    };
    let mut times = Vec::new();
    let mut made = 0;
    for _ in 0..runs.max(3) {
        let t = std::time::Instant::now();
        let (plan, _) = lexical::autocode(&mut project, &request).map_err(app)?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        made = plan.new;
        project.undo()?;
    }
    drop(project);
    remove_project(&copy);
    push(Figure::ms(
        "lexical: autocode 10,000 hits",
        times,
        Some(2000.0),
        format!("« {word} »: {hits} hits by sentence → {made} codings, one undoable action"),
    ));
    Ok(())
}
