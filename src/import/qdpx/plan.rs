//! From what a file holds ([`Foreign`]) to what will be written ([`Plan`]): texts read,
//! positions converted, variables typed and scoped, cases, sets and notes resolved. All in
//! memory: nothing touches the project here.

use std::collections::{HashMap, HashSet};

use super::codebook::{PlannedCode, plan_codes};
use super::foreign::{Case, Foreign, Set, Stamp};
use super::locate::Archive;
use super::plan_sources::SourcePlanner;
use super::positions;
use super::report::{ImportReport, NotImported};
use super::targets::plan_memos;
use super::variables::{Variables, canonical, plan_variables};
use crate::model::{
    AttributeScope, AttributeType, CodeId, CodingId, Consent, DocumentId, DocumentKind, MemoId,
    MemoTarget, RespondentId,
};
use crate::refi::{DOCUMENT_KIND_SET_PREFIX, KIND_SET_PREFIX, derived_guid, is_fouille_origin};

/// An attribute to define: a REFI-QDA variable (one per scope it has values in), or the
/// attribute behind sets named « attribute: value ».
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedAttribute {
    /// The variable's GUID; derived when the attribute has none of its own (a variable's
    /// second scope, an attribute read from sets).
    pub guid: String,
    /// Unique among the attributes of its scope (numbered when the file repeats one).
    pub name: String,
    /// From `typeOfVariable`: date-times come in as text.
    pub value_type: AttributeType,
    /// Respondents or documents: a variable with values in cases and in sources gets one
    /// attribute of each scope.
    pub scope: AttributeScope,
}

/// A respondent to write, from a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedRespondent {
    /// The case's GUID.
    pub guid: RespondentId,
    /// The case's name, `Cas <n>` when it has none.
    pub name: String,
    /// From the `fouille:pseudonym` variable; empty when the file has none.
    pub pseudonym: String,
    /// From the `fouille:consent` variable; pending when absent or unreadable.
    pub consent: Consent,
    /// Values: attribute GUID → canonical value.
    pub values: Vec<(String, String)>,
}

/// A coding to write, in chars of the stored text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedCoding {
    /// The file's `Coding` GUID.
    pub guid: CodingId,
    /// GUID of the code applied.
    pub code: CodeId,
    /// First char of the excerpt.
    pub start: usize,
    /// Char after the excerpt (exclusive).
    pub end: usize,
    /// Author and dates; for a selection's coding, the selection's where the coding gives
    /// none.
    pub stamp: Stamp,
}

/// A document to write, from a source whose text could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedDocument {
    /// The source's GUID.
    pub guid: DocumentId,
    /// The source's name, trimmed; `Document <n>` when it has none.
    pub name: String,
    /// From a `fouille:document-kind=…` set, else transcript for audio and video sources,
    /// else interview.
    pub kind: DocumentKind,
    /// The text as it will be stored; taken out of the plan when written.
    pub text: String,
    /// GUID of its case, when a case names the source.
    pub respondent: Option<RespondentId>,
    /// Author and dates, as the source gives them.
    pub stamp: Stamp,
    /// Values: attribute GUID → canonical value.
    pub values: Vec<(String, String)>,
    /// The codings of its selections, then those of the whole source.
    pub codings: Vec<PlannedCoding>,
}

/// A memo to write, from a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedMemo {
    /// The note's GUID.
    pub guid: MemoId,
    /// What it is about: the first object that refers to the note, else the project.
    pub target: MemoTarget,
    /// The note's text, or its name when the text is blank.
    pub text: String,
    /// Author and dates, as the note gives them.
    pub stamp: Stamp,
}

/// Everything an import writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The project's name in the file (empty for a codebook): names a new project.
    pub name: String,
    /// Date of the file as a whole (ms): stands for the date of objects that have none.
    pub file_date: i64,
    /// The date that undated objects (codes, cases, values) are compared with in a merge:
    /// the file's `modifiedDateTime`, or the earliest possible date when it has none, so
    /// that an undated file never overwrites the project.
    pub compare_date: i64,
    /// The file's users: GUID, name (authors it mentions without naming are added when
    /// written).
    pub users: Vec<(String, String)>,
    /// Codes, parents first.
    pub codes: Vec<PlannedCode>,
    /// Attributes of both scopes, variables first, then those of sets.
    pub attributes: Vec<PlannedAttribute>,
    /// One respondent per case, in file order.
    pub respondents: Vec<PlannedRespondent>,
    /// One document per source whose text could be read, in file order.
    pub documents: Vec<PlannedDocument>,
    /// One memo per note whose text could be read, in file order.
    pub memos: Vec<PlannedMemo>,
}

/// The GUIDs that memo targets may be looked up by ([`plan_memos`]): selections and
/// codings that notes are about, and both ends of links. Only these need to know the first
/// coding of their selection.
fn memo_lookups(foreign: &Foreign) -> HashSet<String> {
    let mut out = HashSet::new();
    for source in &foreign.sources {
        for sel in &source.selections {
            if !sel.note_refs.is_empty() {
                out.insert(sel.guid.clone());
            }
            for c in &sel.codings {
                if !c.note_refs.is_empty() {
                    out.insert(c.guid.clone());
                }
            }
        }
        for c in &source.whole_codings {
            if !c.note_refs.is_empty() {
                out.insert(c.guid.clone());
            }
        }
    }
    for link in &foreign.links {
        out.extend(link.origin.iter().chain(&link.target).cloned());
    }
    out
}

/// Reads texts, converts positions and resolves everything into a [`Plan`]. `archive` is
/// `None` for a codebook.
pub fn build(
    foreign: &mut Foreign,
    mut archive: Option<&mut Archive>,
    rebuild_tree: bool,
    report: &mut ImportReport,
) -> Plan {
    let mut plan = Plan {
        name: foreign.name.clone(),
        file_date: foreign.modified_at.unwrap_or_else(crate::model::now_ms),
        compare_date: foreign.modified_at.unwrap_or(i64::MIN),
        users: foreign
            .users
            .iter()
            .map(|u| (u.guid.clone(), u.name.clone()))
            .collect(),
        ..Plan::default()
    };
    report
        .not_imported
        .extend(foreign.not_imported.iter().cloned());
    report.remarks.extend(foreign.remarks.iter().cloned());
    let variables = plan_variables(foreign, &mut plan, report);
    let sets = read_sets(&foreign.sets, &mut plan, report);
    let respondent_of = plan_cases(&foreign.cases, &variables, &mut plan, report);
    let mut sources = SourcePlanner {
        preference: positions::preference(&foreign.origin),
        trusted: is_fouille_origin(&foreign.origin),
        looked_up: memo_lookups(foreign),
        document_kinds: &sets.document_kinds,
        set_values: &sets.values,
        respondent_of: &respondent_of,
        variables: &variables,
        plan: &mut plan,
        deferred: Vec::new(),
        coded: HashSet::new(),
        first_coding_of_selection: HashMap::new(),
    };
    sources.plan_all(&mut foreign.sources, archive.as_deref_mut(), report);
    let SourcePlanner {
        deferred,
        coded,
        first_coding_of_selection,
        ..
    } = sources;
    report.not_imported.extend(deferred);

    plan.codes = plan_codes(foreign, rebuild_tree, &coded, &mut report.remarks);
    plan.memos = plan_memos(foreign, &plan, &first_coding_of_selection, archive, report);
    plan
}

/// What the sets of a file say about its sources. Sets that carry code kinds are read
/// with the codebook ([`plan_codes`]); other sets of codes or notes are not imported.
struct SetsRead<'f> {
    /// Source GUID → its kind, from a `fouille:document-kind=…` set.
    document_kinds: HashMap<&'f str, DocumentKind>,
    /// Source GUID → (attribute GUID, value), from the sets named « attribute: value »
    /// (how some tools group sources by a property).
    values: HashMap<&'f str, Vec<(String, String)>>,
}

/// Reads the sets: document kinds, and « attribute: value » sets of sources as document
/// attributes (defined in `plan`). The rest is reported as not imported.
fn read_sets<'f>(sets: &'f [Set], plan: &mut Plan, report: &mut ImportReport) -> SetsRead<'f> {
    let mut out = SetsRead {
        document_kinds: HashMap::new(),
        values: HashMap::new(),
    };
    let mut set_attributes: HashMap<String, String> = HashMap::new();
    for set in sets {
        if let Some(kind) = set
            .name
            .strip_prefix(DOCUMENT_KIND_SET_PREFIX)
            .and_then(DocumentKind::parse)
        {
            for s in &set.sources {
                out.document_kinds.insert(s, kind);
            }
        } else if set.name.starts_with(KIND_SET_PREFIX) {
        } else if let Some((attr, value)) = set
            .name
            .split_once(':')
            .filter(|_| !set.sources.is_empty() && set.codes.is_empty())
            && !attr.trim().is_empty()
        {
            let key = attr.trim().to_string();
            let guid = set_attributes
                .entry(key.to_lowercase())
                .or_insert_with(|| {
                    let guid = derived_guid("refi-set-attribute", &key.to_lowercase());
                    plan.attributes.push(PlannedAttribute {
                        guid: guid.clone(),
                        name: key.clone(),
                        value_type: AttributeType::Text,
                        scope: AttributeScope::Document,
                    });
                    guid
                })
                .clone();
            for s in &set.sources {
                out.values
                    .entry(s)
                    .or_default()
                    .push((guid.clone(), value.trim().to_string()));
            }
        } else {
            let members = set.codes.len() + set.sources.len() + set.notes.len();
            report.not_imported.push(NotImported {
                what: "set".into(),
                name: set.name.clone(),
                reason: format!(
                    "sets (groups) of codes, sources or notes are not imported ({members} members)"
                ),
            });
        }
    }
    if !set_attributes.is_empty() {
        report.remarks.push(format!(
            "{} sets named « attribute: value » were read as document attributes",
            set_attributes.len()
        ));
    }
    out
}

/// Plans one respondent per case (pseudonym and consent from their `fouille:` variables,
/// the other values typed); returns the respondent of each source, the first case that
/// names it.
fn plan_cases<'f>(
    cases: &'f [Case],
    variables: &Variables,
    plan: &mut Plan,
    report: &mut ImportReport,
) -> HashMap<&'f str, RespondentId> {
    let mut respondent_of: HashMap<&str, RespondentId> = HashMap::new();
    for (i, case) in cases.iter().enumerate() {
        let mut r = PlannedRespondent {
            guid: RespondentId::new(case.guid.clone()),
            name: if case.name.is_empty() {
                format!("Cas {}", i + 1)
            } else {
                case.name.clone()
            },
            pseudonym: String::new(),
            consent: Consent::Pending,
            values: Vec::new(),
        };
        for v in &case.values {
            if variables.pseudonym.contains(&v.variable) {
                r.pseudonym = v.value.clone();
            } else if variables.consent.contains(&v.variable) {
                r.consent = Consent::parse(&v.value).unwrap_or(Consent::Pending);
            } else if let Some((Some(a), _)) = variables.by_guid.get(&v.variable) {
                match canonical(a.value_type, &v.value) {
                    Some(value) => r.values.push((a.guid.clone(), value)),
                    None if v.value.is_empty() => {}
                    None => report.remarks.push(format!(
                        "case « {} »: « {} » is not a valid {} for « {} »: left out",
                        r.name,
                        v.value,
                        a.value_type.as_str(),
                        a.name
                    )),
                }
            }
        }
        for s in &case.source_refs {
            if respondent_of.insert(s, r.guid.clone()).is_some() {
                report.remarks.push(format!("a source belongs to several cases: linked to the first one only (case « {} » not linked)", r.name));
            }
        }
        plan.respondents.push(r);
    }
    respondent_of
}
