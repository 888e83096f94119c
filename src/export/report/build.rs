//! Building a [`Report`] from the store: excerpts (withdrawn consent left out, coders'
//! identical codings merged), grouping, codebook, notices, then pseudonymisation.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::labels::Lang;
use super::model::*;
use super::svg::Chart;
use crate::analysis::{Cell, Table};
use crate::export::pseudonymise::Pseudonymiser;
use crate::model::{
    AttributeScope, Code, CodeId, CodeKind, Consent, DocumentId, MemoTarget, Respondent,
    RespondentId,
};
use crate::store::excerpts::ExcerptFilter;
use crate::store::{Project, StoreResult, attributes, codes, memos, respondents};

/// The excerpt filter a report uses (codes and coders), for callers that compute matching
/// tables. Respondents with withdrawn consent are still in it: see
/// [`Report::excluded_respondents`].
pub fn excerpt_filter(options: &ReportOptions) -> ExcerptFilter {
    ExcerptFilter {
        codes: options.codes.clone(),
        coders: options.coders.clone(),
        ..ExcerptFilter::default()
    }
}

type Key = (CodeId, DocumentId, usize, usize);

/// A merged excerpt with its code GUID, document GUID and respondent GUID.
struct Item {
    key: Key,
    excerpt: ReportExcerpt,
    respondent_guid: Option<RespondentId>,
}

/// Builds a report from a project. `tables` and `charts` (synthesis tables, e.g. from
/// `analysis`) are carried as given, except that rows and columns headed by the name of a
/// respondent whose consent is withdrawn are dropped, and pseudonymised with the rest.
pub fn build_report(
    project: &Project,
    options: &ReportOptions,
    tables: &[Table],
    charts: &[Chart],
) -> StoreResult<Report> {
    let conn = project.conn();
    let labels = options.lang.labels();
    let all_codes = codes::list(conn)?;
    let paths = codes::paths(&all_codes);
    let everyone = respondents::list_including_deleted(conn)?;
    let withdrawn: Vec<Respondent> = respondents::list(conn)?
        .into_iter()
        .filter(|r| r.consent == Consent::Withdrawn)
        .collect();
    let pseudo = if options.pseudonymise {
        Some(Pseudonymiser::from_project(conn, options.lang)?)
    } else {
        None
    };
    let mut stats = ReportStats {
        withdrawn_respondents: withdrawn.len(),
        ..ReportStats::default()
    };
    let items = collect_excerpts(project, options, &everyone, pseudo.as_ref(), &mut stats)?;
    let mut by_code: HashMap<&CodeId, Vec<&Item>> = HashMap::new();
    for item in &items {
        by_code.entry(&item.key.0).or_default().push(item);
    }
    let sections = group_sections(options, &all_codes, &paths, &by_code);
    let shown: usize = sections
        .iter()
        .flat_map(|s| &s.groups)
        .map(|g| g.excerpts.len())
        .sum();
    stats.outside_grouping = stats.excerpts.saturating_sub(shown);
    let codebook = if options.include_codebook {
        codebook_entries(project, &all_codes, &paths, &by_code)?
    } else {
        Vec::new()
    };
    let notices = notices(project, options, &paths, &stats)?;
    let withdrawn_names: HashSet<String> = withdrawn
        .iter()
        .flat_map(|r| [r.name.clone(), r.pseudonym.clone()])
        .filter(|s| !s.is_empty())
        .collect();
    let project_name = project.name()?;
    let generated_ms = options.generated_at_ms.unwrap_or_else(crate::model::now_ms);
    let mut report = Report {
        lang: options.lang,
        title: options
            .title
            .clone()
            .unwrap_or_else(|| format!("{} — {project_name}", labels.report_title)),
        project_name,
        author: project.coder()?.name,
        generated_at: crate::model::format_ms(generated_ms),
        generated_at_display: labels.date_time(options.lang, generated_ms),
        pseudonymised: options.pseudonymise,
        group_by: options.group_by,
        notices,
        stats,
        overview: Table::default(),
        sections,
        codebook,
        tables: tables
            .iter()
            .map(|t| without_offsets(&drop_withdrawn(t, &withdrawn_names)))
            .collect(),
        appendix: if options.appendix_offsets {
            tables
                .iter()
                .filter_map(|t| offsets_table(&drop_withdrawn(t, &withdrawn_names)))
                .collect()
        } else {
            Vec::new()
        },
        charts: charts.to_vec(),
        excluded_respondents: withdrawn.iter().map(|r| r.guid.clone()).collect(),
    };
    report.overview = overview_table(&report);
    if let Some(p) = &pseudo {
        report.map_text(&|s| p.apply(s));
    }
    Ok(report)
}

/// The matching excerpts, in document order: withdrawn respondents left out, the identical
/// codings of several coders merged, the chosen attributes looked up. Fills the counts.
fn collect_excerpts(
    project: &Project,
    options: &ReportOptions,
    everyone: &[Respondent],
    pseudo: Option<&Pseudonymiser>,
    stats: &mut ReportStats,
) -> StoreResult<Vec<Item>> {
    let conn = project.conn();
    let by_guid: HashMap<&RespondentId, &Respondent> =
        everyone.iter().map(|r| (&r.guid, r)).collect();
    let resp_values = attributes::values(conn, AttributeScope::Respondent)?;
    let doc_values = attributes::values(conn, AttributeScope::Document)?;
    let mut attr_names = Vec::new();
    for a in options
        .attributes
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
    {
        let found = match attributes::find(conn, AttributeScope::Respondent, a)? {
            Some(f) => Some(f),
            None => attributes::find(conn, AttributeScope::Document, a)?,
        };
        attr_names.push(found.map(|f| f.name).unwrap_or_else(|| a.to_string()));
    }
    let lookup = |m: Option<&BTreeMap<String, String>>, name: &str| {
        m.and_then(|m| {
            m.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
        })
    };
    let mut items: Vec<Item> = Vec::new();
    let mut index: HashMap<Key, usize> = HashMap::new();
    for e in crate::store::excerpts::excerpts(conn, &excerpt_filter(options))? {
        let resp = e
            .respondent_guid
            .as_ref()
            .and_then(|g| by_guid.get(g).copied());
        if resp.is_some_and(|r| r.consent == Consent::Withdrawn) {
            stats.withdrawn_codings += 1;
            continue;
        }
        let c = &e.coding;
        let key = (
            c.code_guid.clone(),
            c.document_guid.clone(),
            c.start_char,
            c.end_char,
        );
        if let Some(&i) = index.get(&key) {
            let item = &mut items[i].excerpt;
            if !item.coders.contains(&e.coder_name) {
                item.coders.push(e.coder_name.clone());
            }
            if !e.memo.is_empty() {
                item.memos.push(e.memo.clone());
            }
            continue;
        }
        let attributes = attr_names
            .iter()
            .filter_map(|n| {
                lookup(
                    e.respondent_guid
                        .as_ref()
                        .and_then(|g| resp_values.get(g.as_str())),
                    n,
                )
                .or_else(|| lookup(doc_values.get(c.document_guid.as_str()), n))
                .map(|v| (n.clone(), v))
            })
            .collect();
        let respondent = resp.map(|r| match pseudo {
            Some(p) => p.respondent_label(&r.guid).unwrap_or_default().to_string(),
            None => r.name.clone(),
        });
        let excerpt = ReportExcerpt {
            text: e.text.clone(),
            document: e.document_name.clone(),
            respondent,
            attributes,
            coders: vec![e.coder_name.clone()],
            memos: Some(e.memo.clone())
                .filter(|m| !m.is_empty())
                .into_iter()
                .collect(),
            consent_pending: resp.is_some_and(|r| r.consent == Consent::Pending),
            start_char: c.start_char,
            end_char: c.end_char,
        };
        index.insert(key.clone(), items.len());
        items.push(Item {
            key,
            excerpt,
            respondent_guid: e.respondent_guid.clone(),
        });
    }
    let mut docs = BTreeSet::new();
    let mut resps = BTreeSet::new();
    let mut pending = BTreeSet::new();
    for item in &items {
        docs.insert(item.key.1.clone());
        if let Some(r) = &item.respondent_guid {
            resps.insert(r.clone());
            if item.excerpt.consent_pending {
                pending.insert(r.clone());
                stats.pending_excerpts += 1;
            }
        }
    }
    stats.excerpts = items.len();
    stats.documents = docs.len();
    stats.respondents = resps.len();
    stats.pending_respondents = pending.len();
    Ok(items)
}

/// Sections and groups for the chosen grouping.
fn group_sections(
    options: &ReportOptions,
    all_codes: &[Code],
    paths: &HashMap<CodeId, String>,
    by_code: &HashMap<&CodeId, Vec<&Item>>,
) -> Vec<Section> {
    let labels = options.lang.labels();
    let group_of = |code: &Code, title: String| -> Group {
        let items = by_code.get(&code.guid).cloned().unwrap_or_default();
        let respondents = items
            .iter()
            .filter_map(|i| i.respondent_guid.as_ref())
            .collect::<HashSet<_>>()
            .len();
        Group {
            title,
            code_path: paths.get(&code.guid).cloned().unwrap_or_default(),
            kind: code.kind,
            color: code.color.clone(),
            description: code.description.clone(),
            excerpts: items.into_iter().map(|i| i.excerpt.clone()).collect(),
            respondents,
        }
    };
    let has_excerpts = |guid: &CodeId| by_code.get(guid).is_some_and(|v| !v.is_empty());
    let section_of = |code: &Code, groups: Vec<Group>| Section {
        title: code.name.clone(),
        kind: code.kind,
        color: code.color.clone(),
        description: code.description.clone(),
        groups,
    };
    let mut sections = Vec::new();
    if options.group_by == GroupBy::Code {
        for root in all_codes.iter().filter(|c| c.parent_guid.is_none()) {
            let mut groups = Vec::new();
            // `all_codes` is in tree order (depth first): keep it.
            let subtree: HashSet<CodeId> = codes::with_descendants(all_codes, &root.guid)
                .into_iter()
                .collect();
            for code in all_codes
                .iter()
                .filter(|c| subtree.contains(&c.guid) && has_excerpts(&c.guid))
            {
                let path = paths.get(&code.guid).cloned().unwrap_or_default();
                let relative = path
                    .strip_prefix(&format!("{}/", root.name))
                    .unwrap_or(&path)
                    .replace('/', " › ");
                let mut group = group_of(code, relative);
                if code.guid == root.guid {
                    group.description.clear();
                }
                groups.push(group);
            }
            if !groups.is_empty() {
                sections.push(section_of(root, groups));
            }
        }
        return sections;
    }
    let (head, child, itself) = if options.group_by == GroupBy::Controversy {
        (
            CodeKind::Controversy,
            CodeKind::Pole,
            labels.controversy_itself,
        )
    } else {
        (
            CodeKind::Orientation,
            CodeKind::Piste,
            labels.orientation_itself,
        )
    };
    for code in all_codes.iter().filter(|c| c.kind == head) {
        let kids: Vec<&Code> = all_codes
            .iter()
            .filter(|c| c.parent_guid.as_ref() == Some(&code.guid) && c.kind == child)
            .collect();
        let mut groups = Vec::new();
        if has_excerpts(&code.guid) || kids.is_empty() {
            let mut group = group_of(code, itself.to_string());
            group.description.clear();
            groups.push(group);
        }
        groups.extend(kids.iter().map(|c| group_of(c, c.name.clone())));
        if !options.codes.is_empty() && groups.iter().all(|g| g.excerpts.is_empty()) {
            continue;
        }
        sections.push(section_of(code, groups));
    }
    sections
}

/// Every code with its description, memos and the number of excerpts shown.
fn codebook_entries(
    project: &Project,
    all_codes: &[Code],
    paths: &HashMap<CodeId, String>,
    by_code: &HashMap<&CodeId, Vec<&Item>>,
) -> StoreResult<Vec<CodebookEntry>> {
    let code_memos = memos::list(project.conn())?;
    Ok(all_codes
        .iter()
        .map(|c| CodebookEntry {
            name: c.name.clone(),
            path: paths.get(&c.guid).cloned().unwrap_or_default(),
            depth: paths
                .get(&c.guid)
                .map(|p| p.matches('/').count())
                .unwrap_or(0),
            kind: c.kind,
            color: c.color.clone(),
            description: c.description.clone(),
            excerpts: by_code.get(&c.guid).map(Vec::len).unwrap_or(0),
            memos: code_memos
                .iter()
                .filter(|m| m.target == MemoTarget::Code(c.guid.clone()))
                .map(|m| m.text.clone())
                .collect(),
        })
        .collect())
}

/// The overview's sentences: counts, grouping, consent, filters, pseudonymisation.
fn notices(
    project: &Project,
    options: &ReportOptions,
    paths: &HashMap<CodeId, String>,
    stats: &ReportStats,
) -> StoreResult<Vec<String>> {
    let (lang, labels) = (options.lang, options.lang.labels());
    let mut notices =
        vec![labels.counts_notice(lang, stats.excerpts, stats.documents, stats.respondents)];
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
        let (r, c) = (stats.withdrawn_respondents, stats.withdrawn_codings);
        notices.push(labels.withdrawn_notice(lang, r, c));
    }
    if stats.pending_respondents > 0 {
        let (r, e) = (stats.pending_respondents, stats.pending_excerpts);
        notices.push(labels.pending_notice(lang, r, e));
    }
    if !options.codes.is_empty() {
        let names: Vec<String> = options
            .codes
            .iter()
            .map(|g| paths.get(g).cloned().unwrap_or_else(|| g.to_string()))
            .collect();
        notices.push(format!(
            "{}{}{}",
            labels.filter_codes,
            labels.colon,
            names.join(" ; ")
        ));
    }
    if !options.coders.is_empty() {
        let coders = crate::store::coders::list(project.conn())?;
        let names: Vec<String> = options
            .coders
            .iter()
            .map(|g| {
                coders
                    .iter()
                    .find(|c| &c.guid == g)
                    .map(|c| c.name.clone())
                    .unwrap_or_else(|| g.to_string())
            })
            .collect();
        notices.push(format!(
            "{}{}{}",
            labels.filter_coders,
            labels.colon,
            names.join(" ; ")
        ));
    }
    let pseudo = if options.pseudonymise {
        labels.pseudonymised
    } else {
        labels.not_pseudonymised
    };
    notices.push(pseudo.to_string());
    Ok(notices)
}

/// Drops the rows whose first cell, and the columns whose header, is exactly the name or
/// pseudonym of a respondent who withdrew consent.
fn drop_withdrawn(table: &Table, names: &HashSet<String>) -> Table {
    let keep: Vec<bool> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| i == 0 || !names.contains(c.trim()))
        .collect();
    let mut out = keep_columns(table, &keep);
    out.rows
        .retain(|row| !matches!(row.first(), Some(Cell::Text(t)) if names.contains(t.trim())));
    out
}

/// The table with the columns whose `keep` entry is false left out (columns past `keep`
/// are kept), its offset columns renumbered.
fn keep_columns(table: &Table, keep: &[bool]) -> Table {
    let kept = |i: usize| keep.get(i).copied().unwrap_or(true);
    let pick = |row: &[Cell]| -> Vec<Cell> {
        row.iter()
            .enumerate()
            .filter(|(i, _)| kept(*i))
            .map(|(_, c)| c.clone())
            .collect()
    };
    let new_index = |i: usize| (0..i).filter(|&j| kept(j)).count();
    Table {
        title: table.title.clone(),
        columns: pick_strings(&table.columns, kept),
        rows: table.rows.iter().map(|row| pick(row)).collect(),
        notes: table.notes.clone(),
        offset_columns: table
            .offset_columns
            .iter()
            .filter(|&&i| kept(i))
            .map(|&i| new_index(i))
            .collect(),
    }
}

fn pick_strings(items: &[String], kept: impl Fn(usize) -> bool) -> Vec<String> {
    items
        .iter()
        .enumerate()
        .filter(|(i, _)| kept(*i))
        .map(|(_, c)| c.clone())
        .collect()
}

/// The table as its readers see it: without the columns of char offsets.
fn without_offsets(table: &Table) -> Table {
    let keep: Vec<bool> = (0..table.columns.len())
        .map(|i| !table.offset_columns.contains(&i))
        .collect();
    keep_columns(table, &keep)
}

/// Longer than this, a cell is running text (a quote) that the appendix leaves out.
const RUNNING_TEXT_CHARS: usize = 80;

/// For a table with offset columns, the appendix's table: the same rows with the short
/// columns that name each passage and its offsets; running text left out, since the
/// report already shows it.
fn offsets_table(table: &Table) -> Option<Table> {
    if table.offset_columns.is_empty() {
        return None;
    }
    let keep: Vec<bool> = (0..table.columns.len())
        .map(|i| {
            table.offset_columns.contains(&i)
                || !table.rows.iter().any(|r| {
                    matches!(r.get(i), Some(Cell::Text(t)) if t.chars().count() > RUNNING_TEXT_CHARS)
                })
        })
        .collect();
    let mut out = keep_columns(table, &keep);
    out.notes.clear();
    Some(out)
}

/// The overview table: one row per group with its excerpts and respondents.
pub fn overview_table(report: &Report) -> Table {
    let labels = report.lang.labels();
    let mut table = Table::new(
        labels.per_group,
        vec![
            labels.section.into(),
            labels.group.into(),
            labels.excerpts_count.into(),
            labels.respondents_count.into(),
        ],
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
            let poles: Vec<&Group> = s
                .groups
                .iter()
                .filter(|g| g.kind == CodeKind::Pole)
                .collect();
            let [left, right] = poles.as_slice() else {
                return None;
            };
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
    Some(Chart::Diverging(DivergingChart {
        title: title.into(),
        rows,
    }))
}
