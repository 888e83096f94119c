//! Planning the sources (part of [`super::plan::build`]): each text read, the way its
//! positions were counted chosen, its selections converted to chars of the stored text
//! and its codings planned. Each text is held once (it moves into the plan); its chars and
//! position tables live only while that source is looked at.

use std::collections::{HashMap, HashSet};

use super::foreign::{Selection, Source};
use super::locate::{Archive, LoadedText};
use super::plan::{Plan, PlannedCoding, PlannedDocument};
use super::positions::{self, Basis, CharProbe, Choice, Positions, SourceScores, TextTraits};
use super::report::{ImportReport, NotImported, SourcePositions};
use super::variables::{Variables, canonical};
use crate::model::text::{PositionScheme, count_char_starts};
use crate::model::{CodeId, CodingId, DocumentId, DocumentKind, RespondentId};

/// Whether a note is about a selection or one of its codings (the memos need it).
fn about_noted(sel: &Selection) -> bool {
    !sel.note_refs.is_empty() || sel.codings.iter().any(|c| !c.note_refs.is_empty())
}

/// The foreign (start, end) of a source's selections.
fn selections_of(source: &Source) -> Vec<(i64, i64)> {
    source.selections.iter().map(|s| (s.start, s.end)).collect()
}

/// What the selections of one source came to, for the report.
#[derive(Default)]
struct Tally {
    /// Selection ends (converted) on a word boundary.
    on_boundary: usize,
    /// Selections that begin or end inside a word.
    cuts: usize,
    /// Selections left with nothing once cut to the text.
    outside: usize,
    /// Selections reaching outside the text, described (`guid at 3–90 → 3–80`).
    cut_to_text: Vec<String>,
}

/// Plans the documents of a file's sources into `plan`, and gathers on the way what the
/// codebook and the memos need afterwards.
pub(super) struct SourcePlanner<'p, 'f> {
    /// The writing tool's order of preference among position readings.
    pub(super) preference: Vec<PositionScheme>,
    /// Fouille wrote the file: its positions are chars, read as written.
    pub(super) trusted: bool,
    /// GUIDs that memo targets may be looked up by (see `plan::memo_lookups`).
    pub(super) looked_up: HashSet<String>,
    /// Source GUID → kind, from the sets.
    pub(super) document_kinds: &'p HashMap<&'f str, DocumentKind>,
    /// Source GUID → values from « attribute: value » sets.
    pub(super) set_values: &'p HashMap<&'f str, Vec<(String, String)>>,
    /// Source GUID → respondent GUID.
    pub(super) respondent_of: &'p HashMap<&'f str, RespondentId>,
    /// The file's variables as attributes.
    pub(super) variables: &'p Variables,
    /// The plan the documents go into (the rest of it is already planned).
    pub(super) plan: &'p mut Plan,
    /// A document's own entries in « not imported », which come after those of the
    /// sources that could not be read, as when all texts were read first.
    pub(super) deferred: Vec<NotImported>,
    /// GUIDs of the codes that have codings.
    pub(super) coded: HashSet<String>,
    /// Selection GUID → GUID of its first coding, for the selections in `looked_up`.
    pub(super) first_coding_of_selection: HashMap<String, String>,
}

impl SourcePlanner<'_, '_> {
    /// Reads each source's text from `archive` and plans its document. Positions written
    /// by Fouille need no reading chosen over the whole file: each source is planned as
    /// soon as its text is read, so the texts and the file's selections are never all held
    /// at once. Otherwise every text is read and scored first, and the file's majority
    /// reading settles ties.
    pub(super) fn plan_all(
        &mut self,
        sources: &mut [Source],
        mut archive: Option<&mut Archive>,
        report: &mut ImportReport,
    ) {
        let mut loaded = Vec::new();
        for index in 0..sources.len() {
            let source = &sources[index];
            let result = match archive.as_deref_mut() {
                Some(a) => a.load(&source.text, &source.guid),
                None => Err("no archive".into()),
            };
            match result {
                Ok(text) => {
                    let traits = TextTraits::of(&text.text, text.had_bom);
                    if self.trusted {
                        let scores = positions::unscored(traits);
                        let source = &mut sources[index];
                        self.plan_document(source, text, scores, PositionScheme::NATIVE, report);
                        prune(source);
                    } else {
                        let len = count_char_starts(text.text.as_bytes());
                        let scores =
                            positions::score(&text.text, len, traits, &selections_of(source));
                        loaded.push((index, text, scores));
                    }
                }
                Err(reason) => report.not_imported.push(unreadable(source, reason)),
            }
        }
        if !loaded.is_empty() {
            let all_scores: Vec<SourceScores> = loaded.iter().map(|(_, _, s)| s.clone()).collect();
            let majority = positions::majority(&all_scores, &self.preference);
            for (index, text, scores) in loaded {
                self.plan_document(&mut sources[index], text, scores, majority, report);
                prune(&mut sources[index]);
            }
        }
    }

    /// Plans the document of one source whose text is read: its positions read the way
    /// `scores` and the file's `majority` choose, its codings, and its line in the report.
    fn plan_document(
        &mut self,
        source: &mut Source,
        text: LoadedText,
        scores: SourceScores,
        majority: PositionScheme,
        report: &mut ImportReport,
    ) {
        let selections = selections_of(source);
        let char_len = count_char_starts(text.text.as_bytes());
        let choice = self.choose(&scores, majority, !selections.is_empty());
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
        let mut doc = self.document(source, report);
        if let Some(remark) = &text.remark {
            report
                .remarks
                .push(format!("source « {} »: {remark}", doc.name));
        }
        let tally = self.plan_selections(source, &mut doc, &converted, &selections, &map, chars);
        self.plan_whole_codings(source, &mut doc, char_len);
        self.report_tally(&doc, &tally, &map, report);
        report.sources.push(SourcePositions {
            name: doc.name.clone(),
            guid: doc.guid.to_string(),
            text_from: text.from.clone(),
            scheme: choice.effective.describe(),
            basis: choice.basis.as_str().into(),
            selections: source.selections.len(),
            ends_on_word_boundaries: tally.on_boundary,
            ends_on_word_boundaries_if_standard: if standard {
                tally.on_boundary
            } else {
                positions::ends_on_boundaries(&Positions::Native(char_len), chars, &selections)
            },
            mid_word_cuts: tally.cuts,
        });
        doc.text = text.text;
        self.plan.documents.push(doc);
    }

    /// The reading of one source's positions; a file written by Fouille is read as chars.
    fn choose(&self, scores: &SourceScores, majority: PositionScheme, any: bool) -> Choice {
        let mut choice = positions::choose(scores, majority, &self.preference, any);
        if self.trusted {
            choice.scheme = PositionScheme::NATIVE;
            choice.effective = PositionScheme::NATIVE;
            if any {
                choice.basis = Basis::Origin;
            }
        }
        choice
    }

    /// The document of `source` without its text and codings: name (numbered when the
    /// file gives none), kind, respondent and values. A value that does not fit its
    /// variable's type is left out with a remark.
    fn document(&self, source: &Source, report: &mut ImportReport) -> PlannedDocument {
        let mut doc = PlannedDocument {
            guid: DocumentId::new(source.guid.as_str()),
            name: if source.name.trim().is_empty() {
                format!("Document {}", self.plan.documents.len() + 1)
            } else {
                source.name.trim().to_string()
            },
            kind: self
                .document_kinds
                .get(source.guid.as_str())
                .copied()
                .unwrap_or(match source.element.as_str() {
                    "AudioSource" | "VideoSource" => DocumentKind::Transcript,
                    _ => DocumentKind::Interview,
                }),
            text: String::new(),
            respondent: self.respondent_of.get(source.guid.as_str()).cloned(),
            stamp: source.stamp.clone(),
            values: self
                .set_values
                .get(source.guid.as_str())
                .cloned()
                .unwrap_or_default(),
            codings: Vec::new(),
        };
        for v in &source.values {
            if let Some((_, Some(a))) = self.variables.by_guid.get(&v.variable) {
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
        doc
    }

    /// Plans the codings of each selection of `source` at its `converted` chars, and counts
    /// how the selections fell on the text.
    fn plan_selections(
        &mut self,
        source: &mut Source,
        doc: &mut PlannedDocument,
        converted: &[Option<(usize, usize)>],
        selections: &[(i64, i64)],
        map: &Positions,
        chars: &CharProbe<'_>,
    ) -> Tally {
        let mut tally = Tally::default();
        for ((sel, converted), &(raw_start, raw_end)) in
            source.selections.iter_mut().zip(converted).zip(selections)
        {
            let Some((start, end)) = *converted else {
                tally.outside += 1;
                continue;
            };
            if positions::reaches_outside(map, raw_start, raw_end) {
                tally.cut_to_text.push(format!(
                    "{} at {raw_start}–{raw_end} → {start}–{end}",
                    sel.guid
                ));
            }
            tally.on_boundary += usize::from(chars.is_word_boundary(start))
                + usize::from(chars.is_word_boundary(end));
            if positions::cuts_a_word(chars, start, end) {
                tally.cuts += 1;
            }
            self.plan_codings(sel, doc, start, end);
        }
        tally
    }

    /// Plans the codings of one selection at `start..end`; they take the selection's
    /// author and dates where they have none.
    fn plan_codings(
        &mut self,
        sel: &mut Selection,
        doc: &mut PlannedDocument,
        start: usize,
        end: usize,
    ) {
        // A selection that no note is about is not needed after this (see `prune`): its
        // codings' strings move into the plan instead of being copied.
        let keep = about_noted(sel);
        for coding in &mut sel.codings {
            if self.looked_up.contains(sel.guid.as_str())
                && !self.first_coding_of_selection.contains_key(&sel.guid)
            {
                self.first_coding_of_selection
                    .insert(sel.guid.clone(), coding.guid.clone());
            }
            if !self.coded.contains(&coding.code) {
                self.coded.insert(coding.code.clone());
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
                guid: CodingId::new(guid),
                code: CodeId::new(code),
                start,
                end,
                stamp,
            });
        }
    }

    /// Plans the codings of the whole source, over all its `char_len` chars (none when the
    /// text is empty: a coding needs at least one char).
    fn plan_whole_codings(&mut self, source: &Source, doc: &mut PlannedDocument, char_len: usize) {
        if char_len == 0 {
            return;
        }
        for coding in &source.whole_codings {
            if !self.coded.contains(&coding.code) {
                self.coded.insert(coding.code.clone());
            }
            doc.codings.push(PlannedCoding {
                guid: CodingId::new(coding.guid.as_str()),
                code: CodeId::new(coding.code.as_str()),
                start: 0,
                end: char_len,
                stamp: coding.stamp.clone(),
            });
        }
    }

    /// Reports the selections of `doc` that fell outside its text or were cut to it, and
    /// counts those that cut a word.
    fn report_tally(
        &mut self,
        doc: &PlannedDocument,
        tally: &Tally,
        map: &Positions,
        report: &mut ImportReport,
    ) {
        if tally.outside > 0 {
            self.deferred.push(NotImported {
                what: "selections".into(),
                name: doc.name.clone(),
                reason: format!(
                    "{} selections fall outside the text or are empty",
                    tally.outside
                ),
            });
        }
        if !tally.cut_to_text.is_empty() {
            let more = tally.cut_to_text.len().saturating_sub(10);
            let mut listed = tally.cut_to_text[..tally.cut_to_text.len().min(10)].join(", ");
            if more > 0 {
                listed.push_str(&format!(" and {more} more"));
            }
            report.remarks.push(format!(
                "source « {} » ({} positions long): selections reaching outside its text were cut to it: {listed}",
                doc.name,
                positions::Lookup::foreign_len(map)
            ));
        }
        report.mid_word_cuts += tally.cuts;
    }
}

/// What the memos still need of a source once its document is planned: the selections
/// that notes are about. The others are dropped, their memory going to the next ones.
fn prune(source: &mut Source) {
    source.selections.retain(about_noted);
    source.selections.shrink_to_fit();
}

/// The report's entry for a source whose text cannot be read: its codings go too.
fn unreadable(source: &Source, reason: String) -> NotImported {
    let codings: usize = source
        .selections
        .iter()
        .map(|s| s.codings.len())
        .sum::<usize>()
        + source.whole_codings.len();
    NotImported {
        what: "source".into(),
        name: source.name.clone(),
        reason: format!("{reason}; its {codings} codings are not imported either"),
    }
}
