//! Lexical search as user actions, for both faces: the passages a query finds (with their
//! counts by document and respondent), the concordance, the word-frequency table, coding
//! every hit of a query at once, and coding a passage named by quoting it.
//!
//! A search reads the documents [`SearchScope`] keeps, those the full-text index says can
//! match only, and judges the query ([`crate::lexical`]) on each text.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::edit::Done;
use super::message::{Arg, Message, Refresh};
use super::{AppError, AppResult};
use crate::analysis::{AnalysisFilter, Cell, Lang, Selection, Table, texts::map_texts};
use crate::lexical::kwic::{self, KwicLine, KwicSort};
use crate::lexical::stopwords::StopWordEdits;
use crate::lexical::units::{self, Unit};
use crate::lexical::{Hit, Query, Scope, Span, Width};
use crate::model::{CodeId, DocumentId, RespondentId};
use crate::store::{Project, codes, codings, documents, search};

/// Which documents, and which passages of them, a search looks in. Empty lists mean all.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchScope {
    /// Document names, imported file names or GUIDs.
    pub documents: Vec<String>,
    /// Attribute conditions `(name, value)` on the respondent's or the document's attributes
    /// (the same name again means "or", different names "and").
    pub attributes: Vec<(String, String)>,
    /// Code paths or GUIDs: only hits lying wholly inside a passage coded with one of them
    /// (or a sub-code).
    pub codes: Vec<String>,
}

/// What to search for, and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchRequest {
    /// The query, in the language of [`crate::lexical::query`].
    pub query: String,
    /// Where to look.
    pub scope: SearchScope,
    /// The unit inside which AND and NOT are judged.
    pub within: Scope,
    /// Context cut around each passage.
    pub context: Width,
    /// Most passages returned (the counts count them all).
    pub limit: usize,
}

impl SearchRequest {
    /// A query over the whole project: AND and NOT judged by paragraph, 60 chars of context,
    /// at most 100 passages.
    pub fn new(query: &str) -> SearchRequest {
        SearchRequest {
            query: query.to_string(),
            scope: SearchScope::default(),
            within: Scope::Paragraph,
            context: Width::Chars(60),
            limit: 100,
        }
    }
}

/// One passage found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Passage {
    /// Document GUID.
    pub document_guid: DocumentId,
    /// Document name.
    pub document: String,
    /// GUID of the document's respondent.
    pub respondent_guid: Option<RespondentId>,
    /// Name of the document's respondent.
    pub respondent: Option<String>,
    /// First char of the passage.
    pub start: usize,
    /// Char after its last.
    pub end: usize,
    /// Context before.
    pub before: String,
    /// The passage as written.
    pub matched: String,
    /// Context after.
    pub after: String,
    /// The words and phrases matched inside it, in chars of the document.
    pub marks: Vec<Span>,
}

/// How many passages were found in one document or for one respondent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HitCount {
    /// GUID of the document or respondent.
    pub guid: String,
    /// Its name.
    pub name: String,
    /// Passages found.
    pub hits: usize,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    /// Passages found in all.
    pub total: usize,
    /// The first passages, in corpus order (at most the request's limit).
    pub passages: Vec<Passage>,
    /// Passages by document, in corpus order (documents with none left out).
    pub documents: Vec<HitCount>,
    /// Passages by respondent, by name (documents without a respondent left out).
    pub respondents: Vec<HitCount>,
}

/// The hits of a query in one document kept by the scope, and what was made of them.
struct Found<R> {
    doc: usize,
    hits: usize,
    made: R,
}

/// Resolves the scope and runs `query` on each document it keeps that the index says can
/// match; `each` gets the text and the hits inside the scope. Results in corpus order.
fn scan<R: Send>(
    conn: &rusqlite::Connection,
    query: &Query,
    scope: &SearchScope,
    within: Scope,
    each: impl Fn(usize, &str, &[Hit]) -> R + Sync,
) -> AppResult<(Selection, Vec<Found<R>>)> {
    let filter = AnalysisFilter {
        documents: resolve_documents(conn, &scope.documents)?,
        attributes: scope.attributes.clone(),
        codes: scope.codes.clone(),
        coders: Vec::new(),
        include_withdrawn: true,
    };
    let sel = filter.resolve_without_texts(conn, Lang::En)?;
    let mut coded: Vec<Vec<Span>> = vec![Vec::new(); sel.documents.len()];
    for item in &sel.items {
        coded[item.doc].push(Span::new(item.start_char, item.end_char));
    }
    let by_code = !scope.codes.is_empty();
    let candidates = match query.fts5_filter() {
        Some(f) => Some(search::documents_matching(conn, &f)?),
        None => None,
    };
    let needed: Vec<bool> = (0..sel.documents.len())
        .map(|d| {
            (!by_code || !coded[d].is_empty())
                && candidates
                    .as_ref()
                    .is_none_or(|c| c.contains(&sel.documents[d].guid))
        })
        .collect();
    let found = map_texts(conn, &sel.documents, &needed, |d, bytes| {
        let text = std::str::from_utf8(bytes).ok()?;
        let mut hits = query.hits(text, within);
        if by_code {
            hits.retain(|h| inside_any(&coded[d], h.span));
        }
        Some((hits.len(), each(d, text, &hits)))
    })?;
    let mut out: Vec<Found<R>> = Vec::with_capacity(found.len());
    for (doc, result) in found {
        let Some((hits, made)) = result else {
            return Err(not_utf8(&sel, doc));
        };
        if hits > 0 {
            out.push(Found { doc, hits, made });
        }
    }
    out.sort_by_key(|f| f.doc);
    Ok((sel, out))
}

fn not_utf8(sel: &Selection, doc: usize) -> AppError {
    crate::store::StoreError::from(crate::store::Rule::TextNotUtf8 {
        document: sel.documents[doc].name.clone(),
    })
    .into()
}

/// Whether `span` lies wholly inside one of `ranges`.
fn inside_any(ranges: &[Span], span: Span) -> bool {
    ranges
        .iter()
        .any(|r| r.start <= span.start && span.end <= r.end)
}

/// Documents named by name, imported file name or GUID, as GUIDs (see [`find_document`]).
/// (The analysis filter takes them as text, as it takes names.)
fn resolve_documents(conn: &rusqlite::Connection, keys: &[String]) -> AppResult<Vec<String>> {
    keys.iter()
        .map(|k| find_document(conn, k).map(|d| d.guid.into_string()))
        .collect()
}

/// A live document by GUID, name, or the name of the file it was imported from (with or
/// without its folders: `entretien.txt` for a document `entretien`).
pub fn find_document(
    conn: &rusqlite::Connection,
    key: &str,
) -> AppResult<crate::model::DocumentInfo> {
    let by_name = documents::find(conn, key);
    if by_name.is_ok() {
        return Ok(by_name?);
    }
    let key = key.trim();
    let file = |origin: &str| {
        std::path::Path::new(origin)
            .file_name()
            .is_some_and(|f| f.to_string_lossy() == key)
    };
    let all = documents::list(conn)?;
    let matching: Vec<_> = all
        .iter()
        .filter(|d| d.origin == key || file(&d.origin))
        .collect();
    match matching.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Ok(by_name?),
        _ => Err(
            crate::store::StoreError::from(crate::store::Rule::AmbiguousDocument {
                name: key.to_string(),
            })
            .into(),
        ),
    }
}

/// The name of a document's respondent, if it has one.
fn respondent_of(sel: &Selection, doc: usize) -> (Option<RespondentId>, Option<String>) {
    let guid = sel.documents[doc].respondent_guid.clone();
    let name = guid
        .as_ref()
        .and_then(|g| sel.respondents.get(g))
        .map(|r| r.name.clone());
    (guid, name)
}

/// A passage found, before it is named: its span, its marks, and its context before, as
/// written and after.
type Cut = (Span, Vec<Span>, [String; 3]);

/// What one document's hits give: the first passages cut, and their concordance lines
/// when asked for.
struct Made {
    passages: Vec<Cut>,
    lines: Vec<KwicLine>,
}

/// Runs a search: the first `limit` hits of each document cut with their context, as
/// passages, or with `kwic` as concordance lines.
fn run_search(
    conn: &rusqlite::Connection,
    request: &SearchRequest,
    kwic: bool,
) -> AppResult<(Selection, Vec<Found<Made>>)> {
    let query = Query::parse(&request.query)?;
    let limit = request.limit;
    scan(
        conn,
        &query,
        &request.scope,
        request.within,
        |d, text, hits| {
            let kept = &hits[..hits.len().min(limit)];
            if kwic {
                let lines = kwic::kwic_lines(text, d, kept, request.context);
                return Made {
                    passages: Vec::new(),
                    lines,
                };
            }
            let passages = kept
                .iter()
                .map(|h| {
                    let c = h.context(text, request.context);
                    (
                        h.span,
                        h.marks.clone(),
                        [c.before, c.matched, c.after].map(str::to_string),
                    )
                })
                .collect();
            Made {
                passages,
                lines: Vec::new(),
            }
        },
    )
}

/// The counts and the first `limit` passages of what [`run_search`] found (the passages
/// are taken out of `found`).
fn results_of(sel: &Selection, found: &mut [Found<Made>], limit: usize) -> SearchResults {
    let mut results = SearchResults {
        total: found.iter().map(|f| f.hits).sum(),
        passages: Vec::new(),
        documents: Vec::new(),
        respondents: Vec::new(),
    };
    let mut by_respondent: BTreeMap<(String, String), usize> = BTreeMap::new();
    for f in found {
        let doc = &sel.documents[f.doc];
        let (respondent_guid, respondent) = respondent_of(sel, f.doc);
        results.documents.push(HitCount {
            guid: doc.guid.to_string(),
            name: doc.name.clone(),
            hits: f.hits,
        });
        if let (Some(g), Some(n)) = (&respondent_guid, &respondent) {
            *by_respondent.entry((n.clone(), g.to_string())).or_default() += f.hits;
        }
        for (span, marks, [before, matched, after]) in std::mem::take(&mut f.made.passages) {
            if results.passages.len() >= limit {
                break;
            }
            results.passages.push(Passage {
                document_guid: doc.guid.clone(),
                document: doc.name.clone(),
                respondent_guid: respondent_guid.clone(),
                respondent: respondent.clone(),
                start: span.start,
                end: span.end,
                before,
                matched,
                after,
                marks,
            });
        }
    }
    results.respondents = by_respondent
        .into_iter()
        .map(|((name, guid), hits)| HitCount { guid, name, hits })
        .collect();
    results
}

/// Finds the passages of a query: the first `limit` with their context, and how many in
/// all, by document and by respondent. A malformed query is an [`AppError::Query`].
pub fn search(conn: &rusqlite::Connection, request: &SearchRequest) -> AppResult<SearchResults> {
    let (sel, mut found) = run_search(conn, request, false)?;
    Ok(results_of(&sel, &mut found, request.limit))
}

/// What the app's search panel shows of one query, from one pass over the texts: the
/// counts of [`search`], and the first `limit` passages (in corpus order) as concordance
/// lines, sorted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchOverview {
    /// The counts (its `passages` left empty: `lines` holds them).
    pub results: SearchResults,
    /// The first passages as concordance lines, sorted.
    pub lines: Vec<Concordance>,
}

/// The counts of [`search`] and its first passages as a concordance, in one pass.
pub fn search_overview(
    conn: &rusqlite::Connection,
    request: &SearchRequest,
    sort: KwicSort,
) -> AppResult<SearchOverview> {
    let (sel, mut found) = run_search(conn, request, true)?;
    let results = results_of(&sel, &mut found, request.limit);
    let mut lines: Vec<KwicLine> = found
        .into_iter()
        .flat_map(|f| f.made.lines)
        .take(request.limit)
        .collect();
    kwic::sort_lines(&mut lines, sort);
    Ok(SearchOverview {
        results,
        lines: named_lines(&sel, lines),
    })
}

/// [`search_overview`] on the project file at `path`, through a read-only connection of
/// its own: for a thread beside the one that holds the project.
pub fn search_overview_in(
    path: &std::path::Path,
    request: &SearchRequest,
    sort: KwicSort,
) -> AppResult<SearchOverview> {
    let conn = crate::store::reader::open_reader(path)?;
    search_overview(&conn, request, sort)
}

/// One concordance line with where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Concordance {
    /// Document GUID.
    pub document_guid: DocumentId,
    /// Document name.
    pub document: String,
    /// Name of the document's respondent.
    pub respondent: Option<String>,
    /// The line (its `source` is the document's place in corpus order).
    pub line: KwicLine,
}

/// The concordance of a query: every hit with `width` of context on each side, sorted.
pub fn concordance(
    conn: &rusqlite::Connection,
    request: &SearchRequest,
    sort: KwicSort,
) -> AppResult<Vec<Concordance>> {
    let query = Query::parse(&request.query)?;
    let (sel, found) = scan(
        conn,
        &query,
        &request.scope,
        request.within,
        |d, text, hits| kwic::kwic_lines(text, d, hits, request.context),
    )?;
    let mut lines: Vec<KwicLine> = found.into_iter().flat_map(|f| f.made).collect();
    kwic::sort_lines(&mut lines, sort);
    Ok(named_lines(&sel, lines))
}

/// Concordance lines with the document and respondent each comes from.
fn named_lines(sel: &Selection, lines: Vec<KwicLine>) -> Vec<Concordance> {
    lines
        .into_iter()
        .map(|line| {
            let doc = &sel.documents[line.source];
            Concordance {
                document_guid: doc.guid.clone(),
                document: doc.name.clone(),
                respondent: respondent_of(sel, line.source).1,
                line,
            }
        })
        .collect()
}

/// Sorts concordance lines again (as [`concordance`] sorts them).
pub fn sort_concordance(lines: &mut [Concordance], sort: KwicSort) {
    kwic::sort_by_line(lines, |c| &c.line, sort);
}

/// The concordance as a table for the exporters: document, respondent, left context, hit,
/// right context, start and end.
pub fn concordance_table(query: &str, lines: &[Concordance], lang: Lang) -> Table {
    let columns = [
        lang.pick("Document", "Document"),
        lang.pick("Répondant", "Respondent"),
        lang.pick("Contexte gauche", "Left context"),
        lang.pick("Occurrence", "Match"),
        lang.pick("Contexte droit", "Right context"),
        lang.pick("Début", "Start"),
        lang.pick("Fin", "End"),
    ];
    let mut table = Table::new(
        format!("{} : {query}", lang.pick("Concordance", "Concordance")),
        columns.iter().map(|c| c.to_string()).collect(),
    );
    for c in lines {
        table.rows.push(vec![
            Cell::from(c.document.as_str()),
            c.respondent.clone().map_or(Cell::Empty, Cell::Text),
            Cell::from(c.line.left.as_str()),
            Cell::from(c.line.matched.as_str()),
            Cell::from(c.line.right.as_str()),
            Cell::from(c.line.span.start),
            Cell::from(c.line.span.end),
        ]);
    }
    table
}

/// What coding every hit of a query asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AutocodeRequest {
    /// The search (its limit and context are not used).
    pub search: SearchRequest,
    /// Code path (partial when unambiguous) or GUID.
    pub code: String,
    /// What each hit is widened to before it is coded.
    pub unit: Unit,
    /// Only these hits of the search (the ones a user ticked); `None`: every hit.
    #[serde(default)]
    pub only: Option<Vec<PassageRef>>,
}

/// A passage found, named by where it lies: what a user ticks among the results.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PassageRef {
    /// Document GUID.
    pub document_guid: String,
    /// First char of the passage.
    pub start: usize,
    /// Char after its last.
    pub end: usize,
}

/// One coding an autocode makes, or found already made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedCoding {
    /// Document GUID.
    pub document_guid: DocumentId,
    /// Document name.
    pub document: String,
    /// First char.
    pub start: usize,
    /// Char after the last.
    pub end: usize,
    /// Whether the acting coder already coded exactly this range with the code.
    pub already: bool,
}

/// What an autocode does (or, previewed, would do).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AutocodePlan {
    /// GUID of the code.
    pub code_guid: CodeId,
    /// Its path.
    pub code_path: String,
    /// Passages the query found.
    pub hits: usize,
    /// The ranges they widen to, distinct, in corpus order.
    pub codings: Vec<PlannedCoding>,
    /// How many of them are new codings.
    pub new: usize,
}

/// What coding every hit of a query would do, without doing it: the hits, the distinct
/// ranges they widen to, and which of those the acting coder has already coded so.
pub fn plan_autocode(project: &Project, request: &AutocodeRequest) -> AppResult<AutocodePlan> {
    plan_autocode_on(project.conn(), project.coder()?.guid.as_str(), request)
}

/// [`plan_autocode`] on the project file at `path` for the coder of GUID `coder`, through
/// a read-only connection of its own: the preview, on a thread beside the one that holds
/// the project.
pub fn plan_autocode_in(
    path: &std::path::Path,
    coder: &str,
    request: &AutocodeRequest,
) -> AppResult<AutocodePlan> {
    let conn = crate::store::reader::open_reader(path)?;
    plan_autocode_on(&conn, coder, request)
}

/// [`plan_autocode`] for the coder of GUID `coder`.
fn plan_autocode_on(
    conn: &rusqlite::Connection,
    coder: &str,
    request: &AutocodeRequest,
) -> AppResult<AutocodePlan> {
    let query = Query::parse(&request.search.query)?;
    let code = resolve_code(conn, &request.code)?;
    let unit = request.unit;
    let (sel, found) = scan(
        conn,
        &query,
        &request.search.scope,
        request.search.within,
        |_, text, hits| {
            let cut = units::units(text, unit);
            hits.iter()
                .map(|h| (h.span, units::expand_in(&cut, h.span)))
                .collect::<Vec<_>>()
        },
    )?;
    let only: Option<BTreeSet<&PassageRef>> = request.only.as_ref().map(|o| o.iter().collect());
    let done = codings::coded_ranges_of(conn, code.guid.as_str(), coder)?;
    let mut plan = AutocodePlan {
        code_path: codes::path_of(&codes::list(conn)?, &code.guid),
        code_guid: code.guid,
        hits: 0,
        codings: Vec::new(),
        new: 0,
    };
    for f in found {
        let doc = &sel.documents[f.doc];
        let ticked = |hit: &Span| {
            only.as_ref().is_none_or(|o| {
                o.contains(&PassageRef {
                    document_guid: doc.guid.to_string(),
                    start: hit.start,
                    end: hit.end,
                })
            })
        };
        let kept: Vec<Span> = f
            .made
            .iter()
            .filter(|(hit, _)| ticked(hit))
            .map(|&(_, widened)| widened)
            .collect();
        plan.hits += kept.len();
        let ranges: BTreeSet<Span> = kept.into_iter().filter(|s| !s.is_empty()).collect();
        for span in ranges {
            let already = done.contains(&(doc.guid.to_string(), span.start, span.end));
            plan.new += usize::from(!already);
            plan.codings.push(PlannedCoding {
                document_guid: doc.guid.clone(),
                document: doc.name.clone(),
                start: span.start,
                end: span.end,
                already,
            });
        }
    }
    Ok(plan)
}

/// Codes every hit of a query, widened to its unit, as the acting coder: one action, one
/// undo step (label `action.autocode`); ranges already coded so are not coded twice.
pub fn autocode(
    project: &mut Project,
    request: &AutocodeRequest,
) -> AppResult<(AutocodePlan, Done)> {
    let plan = plan_autocode(project, request)?;
    let ranges: Vec<(DocumentId, usize, usize)> = plan
        .codings
        .iter()
        .filter(|c| !c.already)
        .map(|c| (c.document_guid.clone(), c.start, c.end))
        .collect();
    let made = if ranges.is_empty() {
        Vec::new()
    } else {
        let code = plan.code_guid.clone();
        project.action("action.autocode", |tx| {
            codings::apply_many(tx, &code, &ranges)
        })?
    };
    let message = Message::with(
        "msg.autocoded",
        vec![
            ("count", Arg::Count(made.len())),
            ("code", Arg::CodePath(plan.code_guid.clone())),
        ],
    );
    let done = Done {
        message: Some(message),
        refresh: Refresh::Codings(made),
        code: Some(plan.code_guid.clone()),
        created: None,
    };
    Ok((plan, done))
}

/// A code by GUID, full path, name, or the end of its path (`Child` or `Parent/Child`)
/// when only one code's path ends so.
pub fn resolve_code(conn: &rusqlite::Connection, key: &str) -> AppResult<crate::model::Code> {
    let direct = codes::resolve(conn, key);
    if !matches!(direct, Err(crate::store::StoreError::NotFound { .. })) {
        return Ok(direct?);
    }
    let list = codes::list(conn)?;
    let paths = codes::paths(&list);
    let tail = format!("/{}", key.trim().trim_matches('/').to_lowercase());
    let matching: Vec<_> = list
        .iter()
        .filter(|c| paths[&c.guid].to_lowercase().ends_with(&tail))
        .collect();
    match matching.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Ok(direct?),
        many => Err(
            crate::store::StoreError::from(crate::store::Rule::AmbiguousCode {
                key: key.trim().to_string(),
                paths: many.iter().map(|c| paths[&c.guid].clone()).collect(),
            })
            .into(),
        ),
    }
}

/// Where a quoted text lies in a document: its only occurrence, in chars. Absent or found
/// more than once (with each place in context) is an error.
pub fn find_quote(text: &str, document: &str, quote: &str) -> AppResult<Span> {
    if quote.trim().is_empty() {
        return Err(AppError::QuoteAbsent {
            document: document.to_string(),
            quote: quote.to_string(),
        });
    }
    let places: Vec<usize> = text.match_indices(quote).map(|(b, _)| b).collect();
    let chars = |b: usize| text[..b].chars().count();
    match places.as_slice() {
        [] => Err(AppError::QuoteAbsent {
            document: document.to_string(),
            quote: quote.to_string(),
        }),
        [b] => {
            let start = chars(*b);
            Ok(Span::new(start, start + quote.chars().count()))
        }
        many => Err(AppError::QuoteAmbiguous {
            document: document.to_string(),
            quote: quote.to_string(),
            places: many
                .iter()
                .map(|&b| {
                    let start = chars(b);
                    let hit = Hit {
                        span: Span::new(start, start + quote.chars().count()),
                        bytes: b..b + quote.len(),
                        marks: Vec::new(),
                    };
                    let c = hit.context(text, Width::Words(5));
                    format!(
                        "[{}..{}] …{}[{}]{}…",
                        hit.span.start,
                        hit.span.end,
                        c.before.replace('\n', " "),
                        c.matched.replace('\n', " "),
                        c.after.replace('\n', " ")
                    )
                })
                .collect(),
        }),
    }
}

/// Codes the one place of a document where `quote` is written (document by name, file
/// name or GUID; code by path, partial path or GUID), as [`super::edit::Edit::ApplyCode`].
pub fn code_quote(
    project: &mut Project,
    document: &str,
    quote: &str,
    code: &str,
    memo: Option<String>,
) -> AppResult<Done> {
    let doc = find_document(project.conn(), document)?;
    let code = resolve_code(project.conn(), code)?;
    let text = documents::text(project.conn(), &doc.guid)?;
    let span = find_quote(&text, &doc.name, quote)?;
    super::edit::apply(
        project,
        super::edit::Edit::ApplyCode {
            document: doc.guid,
            code: code.guid,
            start: span.start,
            end: span.end,
            memo,
        },
    )
}

/// The project setting that keeps the user's changes to the stop-word lists.
pub const STOP_WORDS_SETTING: &str = "stop_words";

/// The project's changes to the French and English stop-word lists (none when never
/// edited, or when the setting cannot be read as such: the built-in lists then apply).
pub fn stop_word_edits(conn: &rusqlite::Connection) -> crate::store::StoreResult<StopWordEdits> {
    let settings = crate::store::sync::read::project_settings(conn)?;
    Ok(settings
        .get(STOP_WORDS_SETTING)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default())
}

/// Keeps changes to the stop-word lists in the project, where the word table of both faces
/// reads them. A preference, not an undoable action (as the project's other settings).
pub fn set_stop_word_edits(project: &Project, edits: &StopWordEdits) -> AppResult<()> {
    let value = serde_json::to_value(edits).unwrap_or_default();
    Ok(project.update_setting(STOP_WORDS_SETTING, value)?)
}

/// [`concordance`] on the project file at `path`, through a read-only connection of its
/// own (an export on a thread beside the one that holds the project).
pub fn concordance_in(
    path: &std::path::Path,
    request: &SearchRequest,
    sort: KwicSort,
) -> AppResult<Vec<Concordance>> {
    let conn = crate::store::reader::open_reader(path)?;
    concordance(&conn, request, sort)
}
