//! The report model: a plain [`Report`] built from the store and [`ReportOptions`]
//! (sections → groups → excerpts, the codebook, the synthesis tables and charts), which every
//! renderer formats. Consent and pseudonymisation are applied here, once, so no renderer can
//! forget them.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::Serialize;

use super::labels::Lang;
use super::svg::Chart;
use crate::analysis::{Cell, Table};
use crate::export::pseudonymise::Pseudonymiser;
use crate::model::{AttributeScope, CodeKind, Consent, MemoTarget, Respondent};
use crate::store::codings::{self, ExcerptFilter};
use crate::store::{Project, StoreResult, attributes, codes, memos, respondents};

/// How excerpts are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum GroupBy {
    /// One section per top-level code, one group per code that has excerpts.
    #[default]
    Code,
    /// One section per controversy, one group per pole (both poles, even empty).
    Controversy,
    /// One section per orientation, one group for the orientation itself and one per piste.
    Orientation,
}

impl GroupBy {
    /// Parses `code`, `controversy` or `orientation` (French names accepted).
    pub fn parse(s: &str) -> Option<GroupBy> {
        match s.trim().to_lowercase().as_str() {
            "code" | "codes" => Some(GroupBy::Code),
            "controversy" | "controversies" | "controverse" | "controverses" => Some(GroupBy::Controversy),
            "orientation" | "orientations" => Some(GroupBy::Orientation),
            _ => None,
        }
    }
}

/// What to put in a report.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Grouping of the excerpts.
    pub group_by: GroupBy,
    /// Replace names and identifying strings by pseudonyms everywhere.
    pub pseudonymise: bool,
    /// Attributes (respondent or document, by name, case-insensitive) shown with each excerpt.
    pub attributes: Vec<String>,
    /// Only these codes (GUIDs, each with its descendants); empty: all.
    pub codes: Vec<String>,
    /// Only these coders (GUIDs); empty: all.
    pub coders: Vec<String>,
    /// Language of the fixed words.
    pub lang: Lang,
    /// Title; default « Rapport de codage — PROJECT ».
    pub title: Option<String>,
    /// Include the codebook with descriptions.
    pub include_codebook: bool,
    /// The generation time written in the report (ms); `None`: now. Tests fix it.
    pub generated_at_ms: Option<i64>,
}

impl Default for ReportOptions {
    fn default() -> ReportOptions {
        ReportOptions {
            group_by: GroupBy::Code,
            pseudonymise: false,
            attributes: Vec::new(),
            codes: Vec::new(),
            coders: Vec::new(),
            lang: Lang::Fr,
            title: None,
            include_codebook: true,
            generated_at_ms: None,
        }
    }
}

/// One excerpt as the report shows it. Codings of the same code on the same range by
/// several coders are shown once, with every coder and memo.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportExcerpt {
    /// The coded text, exactly.
    pub text: String,
    /// Document name.
    pub document: String,
    /// Respondent name, or their pseudonym when the report is pseudonymised.
    pub respondent: Option<String>,
    /// The chosen attributes: (name, value), in the order asked, missing values left out.
    pub attributes: Vec<(String, String)>,
    /// Coders who coded this range with this code.
    pub coders: Vec<String>,
    /// Memos on these codings.
    pub memos: Vec<String>,
    /// The respondent's consent is pending.
    pub consent_pending: bool,
    /// Start in the document (chars).
    pub start_char: usize,
    /// End in the document (chars, exclusive).
    pub end_char: usize,
}

/// A group of excerpts: one code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// Heading.
    pub title: String,
    /// The code's full path.
    pub code_path: String,
    /// The code's kind.
    pub kind: CodeKind,
    /// The code's colour `#rrggbb`.
    pub color: String,
    /// The code's description.
    pub description: String,
    /// Excerpts in document order.
    pub excerpts: Vec<ReportExcerpt>,
    /// Number of distinct respondents among the excerpts.
    pub respondents: usize,
}

/// A section: a top-level code, a controversy or an orientation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// Heading.
    pub title: String,
    /// Kind of the code heading the section.
    pub kind: CodeKind,
    /// Colour.
    pub color: String,
    /// Description of the code.
    pub description: String,
    /// Groups.
    pub groups: Vec<Group>,
}

/// One code of the codebook.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodebookEntry {
    /// Name.
    pub name: String,
    /// Full path.
    pub path: String,
    /// Depth in the tree (0 for a top-level code).
    pub depth: usize,
    /// Kind.
    pub kind: CodeKind,
    /// Colour.
    pub color: String,
    /// Description.
    pub description: String,
    /// Excerpts in this report coded with it (not rolled up).
    pub excerpts: usize,
    /// Memos on the code.
    pub memos: Vec<String>,
}

/// Counts stated in the report.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReportStats {
    /// Excerpts shown (after merging coders' identical codings).
    pub excerpts: usize,
    /// Distinct documents among them.
    pub documents: usize,
    /// Distinct respondents among them.
    pub respondents: usize,
    /// Respondents of the project whose consent is withdrawn (left out).
    pub withdrawn_respondents: usize,
    /// Codings left out because of withdrawn consent.
    pub withdrawn_codings: usize,
    /// Included respondents whose consent is pending.
    pub pending_respondents: usize,
    /// Excerpts of those respondents.
    pub pending_excerpts: usize,
    /// Excerpts coded outside the chosen grouping (not shown).
    pub outside_grouping: usize,
}

/// A whole report, ready to render.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Language of the fixed words.
    pub lang: Lang,
    /// Title (also the file's metadata title).
    pub title: String,
    /// Project name.
    pub project_name: String,
    /// Who made the report (the acting coder; the file's metadata creator).
    pub author: String,
    /// Generation date-time, ISO 8601 UTC.
    pub generated_at: String,
    /// Whether names were replaced.
    pub pseudonymised: bool,
    /// Grouping.
    pub group_by: GroupBy,
    /// Sentences for the overview (counts, consent, filters, pseudonymisation).
    pub notices: Vec<String>,
    /// Counts.
    pub stats: ReportStats,
    /// Excerpts per group.
    pub overview: Table,
    /// Sections of excerpts.
    pub sections: Vec<Section>,
    /// The codebook (empty when not asked).
    pub codebook: Vec<CodebookEntry>,
    /// Synthesis tables given by the caller.
    pub tables: Vec<Table>,
    /// Charts given by the caller.
    pub charts: Vec<Chart>,
    /// GUIDs of respondents left out (withdrawn consent), for callers that compute their own
    /// tables. Never rendered.
    #[serde(skip)]
    pub excluded_respondents: Vec<String>,
}

/// The excerpt filter a report uses (codes and coders), for callers that compute matching
/// tables. Respondents with withdrawn consent are still in it: see
/// [`Report::excluded_respondents`].
pub fn excerpt_filter(options: &ReportOptions) -> ExcerptFilter {
    ExcerptFilter { codes: options.codes.clone(), coders: options.coders.clone(), ..ExcerptFilter::default() }
}

type Key = (String, String, usize, usize);

/// Builds a report from a project. `tables` and `charts` (synthesis tables, e.g. from
/// `analysis`) are carried as given, except that rows and columns headed by the name of a
/// respondent whose consent is withdrawn are dropped, and pseudonymised with the rest.
pub fn build_report(project: &Project, options: &ReportOptions, tables: &[Table], charts: &[Chart]) -> StoreResult<Report> {
    let conn = project.conn();
    let labels = options.lang.labels();
    let all_codes = codes::list(conn)?;
    let paths = codes::paths(&all_codes);
    let everyone = respondents::list_including_deleted(conn)?;
    let by_guid: HashMap<&str, &Respondent> = everyone.iter().map(|r| (r.guid.as_str(), r)).collect();
    let withdrawn: Vec<&Respondent> = respondents::list(conn)?
        .into_iter()
        .filter_map(|r| by_guid.get(r.guid.as_str()).copied())
        .filter(|r| r.consent == Consent::Withdrawn)
        .collect();
    let pseudo = if options.pseudonymise { Some(Pseudonymiser::from_project(conn, options.lang)?) } else { None };

    let mut stats = ReportStats { withdrawn_respondents: withdrawn.len(), ..ReportStats::default() };
    let resp_values = attributes::values(conn, AttributeScope::Respondent)?;
    let doc_values = attributes::values(conn, AttributeScope::Document)?;
    let attr_names: Vec<String> = options
        .attributes
        .iter()
        .filter(|a| !a.trim().is_empty())
        .map(|a| {
            let found = attributes::find(conn, AttributeScope::Respondent, a)
                .ok()
                .flatten()
                .or_else(|| attributes::find(conn, AttributeScope::Document, a).ok().flatten());
            found.map(|f| f.name).unwrap_or_else(|| a.trim().to_string())
        })
        .collect();

    let mut merged: Vec<(Key, ReportExcerpt, Option<String>)> = Vec::new();
    let mut index: HashMap<Key, usize> = HashMap::new();
    for e in codings::excerpts(conn, &excerpt_filter(options))? {
        let resp = e.respondent_guid.as_deref().and_then(|g| by_guid.get(g).copied());
        if resp.is_some_and(|r| r.consent == Consent::Withdrawn) {
            stats.withdrawn_codings += 1;
            continue;
        }
        let key = (e.coding.code_guid.clone(), e.coding.document_guid.clone(), e.coding.start_char, e.coding.end_char);
        if let Some(&i) = index.get(&key) {
            let item = &mut merged[i].1;
            if !item.coders.contains(&e.coder_name) {
                item.coders.push(e.coder_name.clone());
            }
            if !e.memo.is_empty() {
                item.memos.push(e.memo.clone());
            }
            continue;
        }
        let find_value = |name: &str| {
            let lookup = |m: Option<&std::collections::BTreeMap<String, String>>| {
                m.and_then(|m| m.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone()))
            };
            lookup(e.respondent_guid.as_ref().and_then(|g| resp_values.get(g)))
                .or_else(|| lookup(doc_values.get(&e.coding.document_guid)))
        };
        let respondent = resp.map(|r| match &pseudo {
            Some(p) => p.respondent_label(&r.guid).unwrap_or_default().to_string(),
            None => r.name.clone(),
        });
        let excerpt = ReportExcerpt {
            text: e.text.clone(),
            document: e.document_name.clone(),
            respondent,
            attributes: attr_names.iter().filter_map(|n| find_value(n).map(|v| (n.clone(), v))).collect(),
            coders: vec![e.coder_name.clone()],
            memos: if e.memo.is_empty() { Vec::new() } else { vec![e.memo.clone()] },
            consent_pending: resp.is_some_and(|r| r.consent == Consent::Pending),
            start_char: e.coding.start_char,
            end_char: e.coding.end_char,
        };
        index.insert(key.clone(), merged.len());
        merged.push((key, excerpt, e.respondent_guid.clone()));
    }

    let mut docs = BTreeSet::new();
    let mut resps = BTreeSet::new();
    let mut pending = BTreeSet::new();
    for (key, ex, resp) in &merged {
        docs.insert(key.1.clone());
        if let Some(r) = resp {
            resps.insert(r.clone());
            if ex.consent_pending {
                pending.insert(r.clone());
                stats.pending_excerpts += 1;
            }
        }
    }
    stats.excerpts = merged.len();
    stats.documents = docs.len();
    stats.respondents = resps.len();
    stats.pending_respondents = pending.len();

    let mut by_code: HashMap<&str, Vec<(&ReportExcerpt, Option<&str>)>> = HashMap::new();
    for (key, ex, resp) in &merged {
        by_code.entry(key.0.as_str()).or_default().push((ex, resp.as_deref()));
    }
    let group_of = |code: &crate::model::Code, title: String| -> Group {
        let items = by_code.get(code.guid.as_str()).cloned().unwrap_or_default();
        let respondents = items.iter().filter_map(|(_, r)| *r).collect::<HashSet<_>>().len();
        Group {
            title,
            code_path: paths.get(&code.guid).cloned().unwrap_or_default(),
            kind: code.kind,
            color: code.color.clone(),
            description: code.description.clone(),
            excerpts: items.into_iter().map(|(e, _)| e.clone()).collect(),
            respondents,
        }
    };
    let has_excerpts = |guid: &str| by_code.get(guid).is_some_and(|v| !v.is_empty());
    let children = |guid: String| all_codes.iter().filter(move |c| c.parent_guid.as_deref() == Some(guid.as_str()));
    let filtered = !options.codes.is_empty();
    let mut sections = Vec::new();
    let mut shown = 0usize;
    let section_of = |code: &crate::model::Code, groups: Vec<Group>| Section {
        title: code.name.clone(),
        kind: code.kind,
        color: code.color.clone(),
        description: code.description.clone(),
        groups,
    };
    match options.group_by {
        GroupBy::Code => {
            for root in all_codes.iter().filter(|c| c.parent_guid.is_none()) {
                let mut groups = Vec::new();
                for guid in codes::with_descendants(&all_codes, &root.guid) {
                    let Some(code) = all_codes.iter().find(|c| c.guid == guid) else { continue };
                    if !has_excerpts(&guid) {
                        continue;
                    }
                    let path = paths.get(&guid).cloned().unwrap_or_default();
                    let relative = path.strip_prefix(&format!("{}/", root.name)).unwrap_or(&path).replace('/', " › ");
                    let mut group = group_of(code, relative);
                    if guid == root.guid {
                        group.description.clear();
                    }
                    groups.push(group);
                }
                if !groups.is_empty() {
                    sections.push(section_of(root, groups));
                }
            }
        }
        GroupBy::Controversy | GroupBy::Orientation => {
            let (head, child, itself) = if options.group_by == GroupBy::Controversy {
                (CodeKind::Controversy, CodeKind::Pole, labels.controversy_itself)
            } else {
                (CodeKind::Orientation, CodeKind::Piste, labels.orientation_itself)
            };
            for code in all_codes.iter().filter(|c| c.kind == head) {
                let mut groups = Vec::new();
                if has_excerpts(&code.guid) || children(code.guid.clone()).all(|c| c.kind != child) {
                    let mut group = group_of(code, itself.to_string());
                    group.description.clear();
                    groups.push(group);
                }
                groups.extend(children(code.guid.clone()).filter(|c| c.kind == child).map(|c| group_of(c, c.name.clone())));
                if filtered && groups.iter().all(|g| g.excerpts.is_empty()) {
                    continue;
                }
                sections.push(section_of(code, groups));
            }
        }
    }
    for s in &sections {
        for g in &s.groups {
            shown += g.excerpts.len();
        }
    }
    stats.outside_grouping = stats.excerpts.saturating_sub(shown);

    let codebook = if options.include_codebook {
        let code_memos = memos::list(conn)?;
        all_codes
            .iter()
            .map(|c| CodebookEntry {
                name: c.name.clone(),
                path: paths.get(&c.guid).cloned().unwrap_or_default(),
                depth: paths.get(&c.guid).map(|p| p.matches('/').count()).unwrap_or(0),
                kind: c.kind,
                color: c.color.clone(),
                description: c.description.clone(),
                excerpts: by_code.get(c.guid.as_str()).map(Vec::len).unwrap_or(0),
                memos: code_memos
                    .iter()
                    .filter(|m| m.target == MemoTarget::Code(c.guid.clone()))
                    .map(|m| m.text.clone())
                    .collect(),
            })
            .collect()
    } else {
        Vec::new()
    };

    let project_name = project.name()?;
    let lang = options.lang;
    let mut notices = vec![labels.counts_notice(lang, stats.excerpts, stats.documents, stats.respondents)];
    notices.push(
        match options.group_by {
            GroupBy::Code => labels.grouped_by_code,
            GroupBy::Controversy => labels.grouped_by_controversy,
            GroupBy::Orientation => labels.grouped_by_orientation,
        }
        .to_string(),
    );
    if stats.outside_grouping > 0 {
        notices.push(labels.outside_grouping_notice(lang, stats.outside_grouping));
    }
    if stats.withdrawn_respondents > 0 {
        notices.push(labels.withdrawn_notice(lang, stats.withdrawn_respondents, stats.withdrawn_codings));
    }
    if stats.pending_respondents > 0 {
        notices.push(labels.pending_notice(lang, stats.pending_respondents, stats.pending_excerpts));
    }
    if !options.codes.is_empty() {
        let names: Vec<String> = options.codes.iter().map(|g| paths.get(g).cloned().unwrap_or_else(|| g.clone())).collect();
        notices.push(format!("{} : {}", labels.filter_codes, names.join(" ; ")));
    }
    if !options.coders.is_empty() {
        let coders = crate::store::coders::list(conn)?;
        let names: Vec<String> = options
            .coders
            .iter()
            .map(|g| coders.iter().find(|c| &c.guid == g).map(|c| c.name.clone()).unwrap_or_else(|| g.clone()))
            .collect();
        notices.push(format!("{} : {}", labels.filter_coders, names.join(" ; ")));
    }
    notices.push(if options.pseudonymise { labels.pseudonymised } else { labels.not_pseudonymised }.to_string());

    let withdrawn_names: HashSet<String> = withdrawn.iter().flat_map(|r| [r.name.clone(), r.pseudonym.clone()]).filter(|s| !s.is_empty()).collect();
    let mut report = Report {
        lang,
        title: options.title.clone().unwrap_or_else(|| format!("{} — {project_name}", labels.report_title)),
        project_name,
        author: project.coder()?.name,
        generated_at: crate::model::format_ms(options.generated_at_ms.unwrap_or_else(crate::model::now_ms)),
        pseudonymised: options.pseudonymise,
        group_by: options.group_by,
        notices,
        stats,
        overview: Table::default(),
        sections,
        codebook,
        tables: tables.iter().map(|t| drop_withdrawn(t, &withdrawn_names)).collect(),
        charts: charts.to_vec(),
        excluded_respondents: withdrawn.iter().map(|r| r.guid.clone()).collect(),
    };
    report.overview = overview_table(&report);
    if let Some(p) = &pseudo {
        report.map_text(&|s| p.apply(s));
    }
    Ok(report)
}

/// Drops the rows whose first cell, and the columns whose header, is exactly the name or
/// pseudonym of a respondent who withdrew consent.
fn drop_withdrawn(table: &Table, names: &HashSet<String>) -> Table {
    let keep: Vec<bool> = table.columns.iter().enumerate().map(|(i, c)| i == 0 || !names.contains(c.trim())).collect();
    let pick = |row: &[Cell]| -> Vec<Cell> {
        row.iter().enumerate().filter(|(i, _)| keep.get(*i).copied().unwrap_or(true)).map(|(_, c)| c.clone()).collect()
    };
    Table {
        title: table.title.clone(),
        columns: table.columns.iter().zip(&keep).filter(|(_, k)| **k).map(|(c, _)| c.clone()).collect(),
        rows: table
            .rows
            .iter()
            .filter(|row| !matches!(row.first(), Some(Cell::Text(t)) if names.contains(t.trim())))
            .map(|row| pick(row))
            .collect(),
        notes: table.notes.clone(),
    }
}

/// The overview table: one row per group with its excerpts and respondents.
pub fn overview_table(report: &Report) -> Table {
    let labels = report.lang.labels();
    let mut table = Table::new(
        labels.overview,
        vec![labels.section.into(), labels.group.into(), labels.excerpts_count.into(), labels.respondents_count.into()],
    );
    for s in &report.sections {
        for g in &s.groups {
            table.rows.push(vec![
                Cell::Text(s.title.clone()),
                Cell::Text(g.title.clone()),
                Cell::from(g.excerpts.len()),
                Cell::from(g.respondents),
            ]);
        }
    }
    table
}

/// A diverging chart of each controversy's balance between its two poles, from a report
/// grouped by controversy (`None` for other groupings).
pub fn controversy_balance_chart(report: &Report) -> Option<Chart> {
    use super::svg::{DivergingChart, DivergingRow};
    if report.group_by != GroupBy::Controversy {
        return None;
    }
    let rows = report
        .sections
        .iter()
        .filter_map(|s| {
            let poles: Vec<&Group> = s.groups.iter().filter(|g| g.kind == CodeKind::Pole).collect();
            let [left, right] = poles.as_slice() else { return None };
            Some(DivergingRow {
                label: s.title.clone(),
                left_value: left.excerpts.len() as f64,
                right_value: right.excerpts.len() as f64,
                left_label: left.title.clone(),
                right_label: right.title.clone(),
                left_color: left.color.clone(),
                right_color: right.color.clone(),
            })
        })
        .collect();
    let title = match report.lang {
        Lang::Fr => "Équilibre des controverses (extraits par pôle)",
        Lang::En => "Balance of the controversies (excerpts per pole)",
    };
    Some(Chart::Diverging(DivergingChart { title: title.into(), rows }))
}

fn map_table(t: &mut Table, f: &dyn Fn(&str) -> String) {
    t.title = f(&t.title);
    t.columns.iter_mut().for_each(|c| *c = f(c));
    t.notes.iter_mut().for_each(|n| *n = f(n));
    for row in &mut t.rows {
        for cell in row {
            if let Cell::Text(s) = cell {
                *s = f(s);
            }
        }
    }
}

impl Report {
    /// Applies `f` to every text the report holds (titles, names, excerpts, memos,
    /// attributes, codebook, tables, charts, metadata): used to pseudonymise.
    pub fn map_text(&mut self, f: &dyn Fn(&str) -> String) {
        self.title = f(&self.title);
        self.project_name = f(&self.project_name);
        self.author = f(&self.author);
        self.notices.iter_mut().for_each(|n| *n = f(n));
        map_table(&mut self.overview, f);
        for s in &mut self.sections {
            s.title = f(&s.title);
            s.description = f(&s.description);
            for g in &mut s.groups {
                g.title = f(&g.title);
                g.code_path = f(&g.code_path);
                g.description = f(&g.description);
                for e in &mut g.excerpts {
                    e.text = f(&e.text);
                    e.document = f(&e.document);
                    e.respondent = e.respondent.as_deref().map(f);
                    e.attributes.iter_mut().for_each(|(k, v)| (*k, *v) = (f(k), f(v)));
                    e.coders.iter_mut().for_each(|c| *c = f(c));
                    e.memos.iter_mut().for_each(|m| *m = f(m));
                }
            }
        }
        for c in &mut self.codebook {
            c.name = f(&c.name);
            c.path = f(&c.path);
            c.description = f(&c.description);
            c.memos.iter_mut().for_each(|m| *m = f(m));
        }
        self.tables.iter_mut().for_each(|t| map_table(t, f));
        self.charts.iter_mut().for_each(|c| c.map_text(f));
    }
}

impl ReportExcerpt {
    /// The (label, value) pairs shown under an excerpt: document, respondent, the chosen
    /// attributes, coder(s).
    pub fn caption(&self, lang: Lang) -> Vec<(String, String)> {
        let labels = lang.labels();
        let mut out = vec![(labels.document.to_string(), self.document.clone())];
        if let Some(r) = &self.respondent {
            out.push((labels.respondent.to_string(), r.clone()));
        }
        out.extend(self.attributes.iter().cloned());
        let coder_label = if self.coders.len() > 1 { labels.coders } else { labels.coder };
        out.push((coder_label.to_string(), self.coders.join(", ")));
        out
    }
}

impl Group {
    /// « 3 extrait(s) · 2 répondant·e(s) ».
    pub fn count_line(&self, lang: Lang) -> String {
        match lang {
            Lang::Fr => format!("{} extrait(s) · {} répondant·e(s)", self.excerpts.len(), self.respondents),
            Lang::En => format!("{} excerpt(s) · {} respondent(s)", self.excerpts.len(), self.respondents),
        }
    }
}
