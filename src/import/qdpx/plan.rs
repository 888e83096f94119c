//! From what a file holds ([`Foreign`]) to what will be written ([`Plan`]): texts read,
//! positions converted, variables typed and scoped, cases, sets and notes resolved. All in
//! memory: nothing touches the project here.

use std::collections::{HashMap, HashSet};

use super::codebook::{PlannedCode, plan_codes};
use super::foreign::{Foreign, Stamp};
use super::foreign::{Selection, Source};
use super::locate::{Archive, LoadedText};
use super::positions::{self, Basis, CharProbe, Positions, SourceScores, TextTraits};
use super::report::{ImportReport, NotImported, SourcePositions};
use super::targets::plan_memos;
use super::variables::{canonical, plan_variables};
use crate::export::qdpx::{DOCUMENT_KIND_SET_PREFIX, KIND_SET_PREFIX, derived_guid};
use crate::model::text::PositionScheme;
use crate::model::{AttributeScope, AttributeType, Consent, DocumentKind, MemoTarget};

/// An attribute to define.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedAttribute {
    /// GUID.
    pub guid: String,
    /// Name.
    pub name: String,
    /// Type.
    pub value_type: AttributeType,
    /// Scope.
    pub scope: AttributeScope,
}

/// A respondent to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedRespondent {
    /// GUID.
    pub guid: String,
    /// Name.
    pub name: String,
    /// Pseudonym.
    pub pseudonym: String,
    /// Consent.
    pub consent: Consent,
    /// Values: attribute GUID → canonical value.
    pub values: Vec<(String, String)>,
}

/// A coding to write, in chars of the stored text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedCoding {
    /// GUID.
    pub guid: String,
    /// Code GUID.
    pub code: String,
    /// Start char.
    pub start: usize,
    /// End char (exclusive).
    pub end: usize,
    /// Author and dates.
    pub stamp: Stamp,
}

/// A document to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedDocument {
    /// GUID.
    pub guid: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: DocumentKind,
    /// Stored text.
    pub text: String,
    /// Respondent GUID.
    pub respondent: Option<String>,
    /// Author and dates.
    pub stamp: Stamp,
    /// Values: attribute GUID → canonical value.
    pub values: Vec<(String, String)>,
    /// Codings.
    pub codings: Vec<PlannedCoding>,
}

/// A memo to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedMemo {
    /// GUID.
    pub guid: String,
    /// What it is about.
    pub target: MemoTarget,
    /// Text.
    pub text: String,
    /// Author and dates.
    pub stamp: Stamp,
}

/// Everything an import writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Project name in the file.
    pub name: String,
    /// Date of the file as a whole (ms): stands for the date of objects that have none.
    pub file_date: i64,
    /// The date that undated objects (codes, cases, values) are compared with in a merge:
    /// the file's `modifiedDateTime`, or the earliest possible date when it has none, so
    /// that an undated file never overwrites the project.
    pub compare_date: i64,
    /// Users: GUID, name.
    pub users: Vec<(String, String)>,
    /// Codes, parents first.
    pub codes: Vec<PlannedCode>,
    /// Attributes.
    pub attributes: Vec<PlannedAttribute>,
    /// Respondents.
    pub respondents: Vec<PlannedRespondent>,
    /// Documents.
    pub documents: Vec<PlannedDocument>,
    /// Memos.
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

/// Whether a note is about a selection or one of its codings (the memos need it).
fn about_noted(sel: &Selection) -> bool {
    !sel.note_refs.is_empty() || sel.codings.iter().any(|c| !c.note_refs.is_empty())
}

/// The foreign (start, end) of a source's selections.
fn selections_of(source: &Source) -> Vec<(i64, i64)> {
    source.selections.iter().map(|s| (s.start, s.end)).collect()
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

    // Document kinds and attribute sets.
    let mut document_kinds: HashMap<&str, DocumentKind> = HashMap::new();
    let mut set_values: HashMap<&str, Vec<(String, String)>> = HashMap::new();
    let mut set_attributes: HashMap<String, String> = HashMap::new();
    for set in &foreign.sets {
        if let Some(kind) = set
            .name
            .strip_prefix(DOCUMENT_KIND_SET_PREFIX)
            .and_then(DocumentKind::parse)
        {
            for s in &set.sources {
                document_kinds.insert(s, kind);
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
                set_values
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

    // Cases.
    let mut respondent_of: HashMap<&str, String> = HashMap::new();
    for (i, case) in foreign.cases.iter().enumerate() {
        let mut r = PlannedRespondent {
            guid: case.guid.clone(),
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
            if respondent_of.insert(s, case.guid.clone()).is_some() {
                report.remarks.push(format!("a source belongs to several cases: linked to the first one only (case « {} » not linked)", r.name));
            }
        }
        plan.respondents.push(r);
    }

    // Sources: texts, then positions. Each text is held once (it moves into the plan);
    // its chars and position tables live only while that source is looked at.
    let preference = positions::preference(&foreign.origin);
    let trusted = positions::origin_is_fouille(&foreign.origin);
    let looked_up = memo_lookups(foreign);
    // A document's own entries in « not imported » come after those of the sources that
    // could not be read, as when all texts were read first.
    let mut deferred: Vec<NotImported> = Vec::new();
    let mut coded: HashSet<String> = HashSet::new();
    let mut first_coding_of_selection: HashMap<String, String> = HashMap::new();
    let mut document = |source: &mut Source,
                        text: LoadedText,
                        scores: SourceScores,
                        majority: PositionScheme,
                        report: &mut ImportReport| {
        let selections = selections_of(source);
        let char_len = crate::model::text::count_char_starts(text.text.as_bytes());
        let mut choice = positions::choose(&scores, majority, &preference, !selections.is_empty());
        if trusted {
            choice.scheme = PositionScheme::NATIVE;
            choice.effective = PositionScheme::NATIVE;
            if !selections.is_empty() {
                choice.basis = Basis::Origin;
            }
        }
        let map = Positions::new(&text.text, char_len, choice.effective);
        let converted: Vec<Option<(usize, usize)>> = selections
            .iter()
            .map(|&(start, end)| positions::convert(&map, char_len, start, end))
            .collect();
        // The text is probed at the ends of the excerpts, and at the ends the standard
        // reading would give when another one is used (for the report).
        let standard = choice.effective == PositionScheme::NATIVE;
        let mut probed: Vec<usize> = converted
            .iter()
            .flatten()
            .flat_map(|&(start, end)| [start, end])
            .collect();
        if !standard {
            probed.extend(
                selections
                    .iter()
                    .flat_map(|&(start, end)| [start, end])
                    .filter_map(|p| usize::try_from(p).ok()),
            );
        }
        let chars = &CharProbe::new(&text.text, char_len, probed);
        let mut doc = PlannedDocument {
            guid: source.guid.clone(),
            name: if source.name.trim().is_empty() {
                format!("Document {}", plan.documents.len() + 1)
            } else {
                source.name.trim().to_string()
            },
            kind: document_kinds.get(source.guid.as_str()).copied().unwrap_or(
                match source.element.as_str() {
                    "AudioSource" | "VideoSource" => DocumentKind::Transcript,
                    _ => DocumentKind::Interview,
                },
            ),
            text: String::new(),
            respondent: respondent_of.get(source.guid.as_str()).cloned(),
            stamp: source.stamp.clone(),
            values: set_values
                .get(source.guid.as_str())
                .cloned()
                .unwrap_or_default(),
            codings: Vec::new(),
        };
        for v in &source.values {
            if let Some((_, Some(a))) = variables.by_guid.get(&v.variable) {
                match canonical(a.value_type, &v.value) {
                    Some(value) => doc.values.push((a.guid.clone(), value)),
                    None if v.value.is_empty() => {}
                    None => report.remarks.push(format!(
                        "source « {} »: « {} » is not a valid {} for « {} »: left out",
                        doc.name,
                        v.value,
                        a.value_type.as_str(),
                        a.name
                    )),
                }
            }
        }
        if let Some(remark) = &text.remark {
            report
                .remarks
                .push(format!("source « {} »: {remark}", doc.name));
        }
        let mut on_boundary = 0;
        let mut cuts = 0;
        let mut outside = 0;
        let mut cut_to_text = Vec::new();
        for ((sel, converted), &(raw_start, raw_end)) in
            source.selections.iter_mut().zip(converted).zip(&selections)
        {
            // A selection that no note is about is not needed after this (see `prune`):
            // its codings' strings move into the plan instead of being copied.
            let keep = about_noted(sel);
            let Some((start, end)) = converted else {
                outside += 1;
                continue;
            };
            if positions::reaches_outside(&map, raw_start, raw_end) {
                cut_to_text.push(format!(
                    "{} at {raw_start}–{raw_end} → {start}–{end}",
                    sel.guid
                ));
            }
            on_boundary += usize::from(chars.is_word_boundary(start))
                + usize::from(chars.is_word_boundary(end));
            if positions::cuts_a_word(chars, start, end) {
                cuts += 1;
            }
            for coding in &mut sel.codings {
                if looked_up.contains(sel.guid.as_str())
                    && !first_coding_of_selection.contains_key(&sel.guid)
                {
                    first_coding_of_selection.insert(sel.guid.clone(), coding.guid.clone());
                }
                if !coded.contains(&coding.code) {
                    coded.insert(coding.code.clone());
                }
                let (guid, code, mut stamp) = if keep {
                    (
                        coding.guid.clone(),
                        coding.code.clone(),
                        coding.stamp.clone(),
                    )
                } else {
                    (
                        std::mem::take(&mut coding.guid),
                        std::mem::take(&mut coding.code),
                        std::mem::take(&mut coding.stamp),
                    )
                };
                stamp.created_by = stamp.created_by.or_else(|| sel.stamp.created_by.clone());
                stamp.created_at = stamp.created_at.or(sel.stamp.created_at);
                stamp.modified_at = sel.stamp.modified_at.or(stamp.created_at);
                doc.codings.push(PlannedCoding {
                    guid,
                    code,
                    start,
                    end,
                    stamp,
                });
            }
        }
        if char_len > 0 {
            for coding in &source.whole_codings {
                if !coded.contains(&coding.code) {
                    coded.insert(coding.code.clone());
                }
                doc.codings.push(PlannedCoding {
                    guid: coding.guid.clone(),
                    code: coding.code.clone(),
                    start: 0,
                    end: char_len,
                    stamp: coding.stamp.clone(),
                });
            }
        }
        if outside > 0 {
            deferred.push(NotImported {
                what: "selections".into(),
                name: doc.name.clone(),
                reason: format!("{outside} selections fall outside the text or are empty"),
            });
        }
        if !cut_to_text.is_empty() {
            let more = cut_to_text.len().saturating_sub(10);
            let mut listed = cut_to_text
                .into_iter()
                .take(10)
                .collect::<Vec<_>>()
                .join(", ");
            if more > 0 {
                listed.push_str(&format!(" and {more} more"));
            }
            report.remarks.push(format!(
                "source « {} » ({} positions long): selections reaching outside its text were cut to it: {listed}",
                doc.name,
                positions::Lookup::foreign_len(&map)
            ));
        }
        report.mid_word_cuts += cuts;
        report.sources.push(SourcePositions {
            name: doc.name.clone(),
            guid: doc.guid.clone(),
            text_from: text.from.clone(),
            scheme: choice.effective.describe(),
            basis: choice.basis.as_str().into(),
            selections: source.selections.len(),
            ends_on_word_boundaries: on_boundary,
            ends_on_word_boundaries_if_standard: if standard {
                on_boundary
            } else {
                positions::ends_on_boundaries(&Positions::Native(char_len), chars, &selections)
            },
            mid_word_cuts: cuts,
        });
        doc.text = text.text;
        plan.documents.push(doc);
    };
    // What the memos still need of a source once its document is planned: the selections
    // that notes are about. The others are dropped, their memory going to the next ones.
    let prune = |source: &mut Source| {
        source.selections.retain(about_noted);
        source.selections.shrink_to_fit();
    };
    // Positions written by Fouille need no reading chosen over the whole file: each source
    // is planned as soon as its text is read, so the texts and the file's selections are
    // never all held at once. Otherwise every text is read and scored first.
    let mut loaded = Vec::new();
    for index in 0..foreign.sources.len() {
        let source = &foreign.sources[index];
        let result = match archive.as_deref_mut() {
            Some(a) => a.load(&source.text, &source.guid),
            None => Err("no archive".into()),
        };
        match result {
            Ok(text) => {
                let traits = TextTraits::of(&text.text, text.had_bom);
                if trusted {
                    let scores = positions::unscored(traits);
                    let source = &mut foreign.sources[index];
                    document(source, text, scores, PositionScheme::NATIVE, report);
                    prune(&mut foreign.sources[index]);
                } else {
                    let len = crate::model::text::count_char_starts(text.text.as_bytes());
                    let scores = positions::score(&text.text, len, traits, &selections_of(source));
                    loaded.push((index, text, scores));
                }
            }
            Err(reason) => {
                let codings: usize = source
                    .selections
                    .iter()
                    .map(|s| s.codings.len())
                    .sum::<usize>()
                    + source.whole_codings.len();
                report.not_imported.push(NotImported {
                    what: "source".into(),
                    name: source.name.clone(),
                    reason: format!("{reason}; its {codings} codings are not imported either"),
                });
            }
        }
    }
    if !loaded.is_empty() {
        let all_scores: Vec<SourceScores> = loaded.iter().map(|(_, _, s)| s.clone()).collect();
        let majority = positions::majority(&all_scores, &preference);
        for (index, text, scores) in loaded {
            document(&mut foreign.sources[index], text, scores, majority, report);
            prune(&mut foreign.sources[index]);
        }
    }
    report.not_imported.extend(deferred);

    plan.codes = plan_codes(foreign, rebuild_tree, &coded, &mut report.remarks);
    plan.memos = plan_memos(foreign, &plan, &first_coding_of_selection, archive, report);
    plan
}
