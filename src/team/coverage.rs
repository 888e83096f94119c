//! Agreement between coders on a project: units built from the codings, coefficients per
//! code and overall, the disagreements to review, and the tables to export.
//!
//! For each code and document, each coder's codings of that code are merged into the set
//! of characters they cover. At **character** level every character of the document is a
//! unit (coded / not coded by each coder), as NVivo and QualCoder count; the document is
//! cut at every coding boundary into stretches whose characters all have the same values,
//! and each stretch counts with its length. At **segment** level each paragraph (text
//! between blank lines, cut again before a line that opens a speaker turn such as
//! `Nadia : …`) is a unit, coded by a coder when one of their codings of the code touches
//! it.
//!
//! A coder who has no coding at all on a document is *missing* there (they did not code
//! it): their values are missing for its units, which kappa leaves out and alpha handles.
//! "Overall" pools the units of every code (each code × unit is a unit).

use rusqlite::Connection;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

use super::agreement::Tally;
use crate::model::text::slice_chars;
use crate::model::{Code, CodeId, Coder, CoderId, DocumentId, DocumentInfo};
use crate::store::{Rule, StoreResult, coders, codes, codings, documents};

mod tables;

/// What a unit of agreement is: what each coder is counted as having coded or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// Each character of the text, counted as NVivo and QualCoder count.
    #[default]
    Char,
    /// Each paragraph or speaker turn, coded when a coding touches it (see [`segments`]).
    Segment,
}

impl UnitKind {
    /// Parses `char` or `segment` (French accepted).
    pub fn parse(s: &str) -> Option<UnitKind> {
        match s.trim().to_lowercase().as_str() {
            "char" | "chars" | "character" | "caractère" | "caractere" => Some(UnitKind::Char),
            "segment" | "segments" | "paragraph" | "paragraphe" | "turn" | "tour" => {
                Some(UnitKind::Segment)
            }
            _ => None,
        }
    }
}

/// What [`agreement`] measures: whose codings, of which codes, on which documents.
#[derive(Debug, Clone, Default)]
pub struct AgreementRequest {
    /// Coder GUIDs (two or more).
    pub coders: Vec<CoderId>,
    /// Code GUIDs, each with its sub-codes; empty: every code the coders used.
    pub codes: Vec<CodeId>,
    /// Document GUIDs; empty: every live document one of the coders coded.
    pub documents: Vec<DocumentId>,
    /// What a unit is (characters or segments).
    pub unit: UnitKind,
}

/// Agreement on one code (or overall).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeAgreement {
    /// Code GUID (empty for the overall row).
    pub code_guid: String,
    /// Code path ("Ensemble — overall" for the overall row).
    pub code_path: String,
    /// Pairable units (characters or segments valued by two coders or more).
    pub units: f64,
    /// Pairable units coded, by coder (in the order of the request).
    pub coded: Vec<f64>,
    /// Share of the pairable units on which every coder agrees, 0–100 (`None`: no
    /// pairable unit).
    pub percent: Option<f64>,
    /// Cohen's kappa, -1–1 (`None` with other than two coders, or when both used one
    /// value throughout).
    pub kappa: Option<f64>,
    /// Krippendorff's alpha, nominal, ≤ 1 (`None` when the values show no variation).
    pub alpha: Option<f64>,
}

/// A stretch of text where coders differ about one code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disagreement {
    /// GUID of the document.
    pub document_guid: DocumentId,
    /// The document's display name.
    pub document_name: String,
    /// GUID of the code.
    pub code_guid: CodeId,
    /// The code's path in the codebook (`Parent/Child`).
    pub code_path: String,
    /// Start, char offset into the document's text, inclusive.
    pub start_char: usize,
    /// End, char offset, exclusive.
    pub end_char: usize,
    /// The text of the stretch.
    pub text: String,
    /// Coders who coded it (GUIDs).
    pub coded_by: Vec<CoderId>,
    /// Coders who did not (GUIDs; missing coders are in neither list).
    pub not_coded_by: Vec<CoderId>,
}

/// Everything [`agreement`] measured, and on what.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgreementReport {
    /// What a unit was (characters or segments).
    pub unit: UnitKind,
    /// The coders compared, in the order of the request (the order of `coded`).
    pub coders: Vec<Coder>,
    /// The documents examined (GUID, name).
    pub documents: Vec<(DocumentId, String)>,
    /// Coders missing on a document (coder name, document name): they coded nothing there.
    pub missing: Vec<(String, String)>,
    /// One row per code measured, in codebook order.
    pub per_code: Vec<CodeAgreement>,
    /// Every code's units pooled (each code × unit is a unit).
    pub overall: CodeAgreement,
    /// The disagreements, by document and position.
    pub disagreements: Vec<Disagreement>,
}

/// The union of char intervals (start inclusive, end exclusive): sorted, overlapping and
/// touching ones joined.
fn union(mut spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    spans.sort();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (s, e) in spans {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

fn covers(spans: &[(usize, usize)], pos: usize) -> bool {
    let i = spans.partition_point(|(_, e)| *e <= pos);
    spans.get(i).is_some_and(|(s, _)| *s <= pos)
}

fn touches(spans: &[(usize, usize)], start: usize, end: usize) -> bool {
    let i = spans.partition_point(|(_, e)| *e <= start);
    spans.get(i).is_some_and(|(s, _)| *s < end)
}

fn is_speaker_label(line: &str) -> bool {
    let Some((label, _)) = line
        .trim_start()
        .split_once(" :")
        .or_else(|| line.trim_start().split_once(": "))
    else {
        return false;
    };
    let n = label.chars().count();
    (1..=40).contains(&n)
        && label
            .chars()
            .all(|c| c.is_alphabetic() || " -'’.".contains(c))
}

/// The segments of a text (char ranges): paragraphs between blank lines, cut again before
/// each line that opens a speaker turn (`Name : …`).
pub fn segments(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    let mut at = 0;
    for line in text.split('\n') {
        let len = line.chars().count();
        if line.trim().is_empty() {
            out.extend(current.take());
        } else {
            if is_speaker_label(line) {
                out.extend(current.take());
            }
            current = Some(match current {
                Some((s, _)) => (s, at + len),
                None => (at, at + len),
            });
        }
        at += len + 1;
    }
    out.extend(current);
    out
}

/// (document GUID, code GUID) → coder index → merged intervals.
type SpansByDocumentAndCode = HashMap<(String, String), Vec<Vec<(usize, usize)>>>;

struct Coded {
    /// (document GUID, code GUID) → coder index → intervals.
    spans: SpansByDocumentAndCode,
    /// Documents each coder coded something on.
    present: Vec<HashSet<String>>,
}

fn load_codings(conn: &Connection, coder_guids: &[CoderId]) -> StoreResult<Coded> {
    let index: HashMap<&str, usize> = coder_guids
        .iter()
        .enumerate()
        .map(|(i, g)| (g.as_str(), i))
        .collect();
    let mut spans: SpansByDocumentAndCode = HashMap::new();
    let mut present = vec![HashSet::new(); coder_guids.len()];
    codings::each_live_span(conn, |span| {
        let Some(&i) = index.get(span.coder_guid) else {
            return;
        };
        present[i].insert(span.document_guid.to_string());
        let entry = spans
            .entry((span.document_guid.to_string(), span.code_guid.to_string()))
            .or_insert_with(|| vec![Vec::new(); coder_guids.len()]);
        entry[i].push((span.start_char, span.end_char));
    })?;
    for per_coder in spans.values_mut() {
        for s in per_coder.iter_mut() {
            *s = union(std::mem::take(s));
        }
    }
    Ok(Coded { spans, present })
}

fn row(code_guid: &str, code_path: &str, tally: &Tally, coded: Vec<f64>) -> CodeAgreement {
    CodeAgreement {
        code_guid: code_guid.to_string(),
        code_path: code_path.to_string(),
        units: tally.pairable_units(),
        coded,
        percent: tally.percent_agreement(),
        kappa: tally.cohen_kappa(),
        alpha: tally.krippendorff_alpha(),
    }
}

/// Measures agreement between coders.
pub fn agreement(conn: &Connection, request: &AgreementRequest) -> StoreResult<AgreementReport> {
    if request.coders.len() < 2 {
        return Err(Rule::TooFewCoders.into());
    }
    let mut coder_list = Vec::new();
    for g in &request.coders {
        coder_list.push(coders::get(conn, g)?);
    }
    let coded = load_codings(conn, &request.coders)?;
    let all_codes = codes::list(conn)?;
    let paths = codes::paths(&all_codes);
    let code_guids = codes_to_measure(request, &coded, &all_codes);
    let docs = documents_to_measure(conn, request, &coded)?;
    let missing = missing_coders(&docs, &coder_list, &coded);
    let mut sums = Sums::new(request.coders.len(), code_guids.len());
    let job = Job {
        request,
        code_guids: &code_guids,
        paths: &paths,
        spans_of: spans_by_document(&coded),
    };
    // Document by document (each text read once, and only one held at a time), every code.
    for d in &docs {
        let present: Vec<bool> = (0..request.coders.len())
            .map(|i| coded.present[i].contains(d.guid.as_str()))
            .collect();
        measure_document(conn, &job, d, &present, &mut sums)?;
    }
    let (per_code, overall) = sums.rows(&code_guids, &paths);
    let mut disagreements = sums.disagreements;
    sort_by_position(&docs, &mut disagreements);
    Ok(AgreementReport {
        unit: request.unit,
        coders: coder_list,
        documents: docs
            .iter()
            .map(|d| (d.guid.clone(), d.name.clone()))
            .collect(),
        missing,
        per_code,
        overall,
        disagreements,
    })
}

/// The codes measured (GUIDs): those asked for with their codable descendants, or every
/// code the coders used, in codebook order.
fn codes_to_measure(request: &AgreementRequest, coded: &Coded, all_codes: &[Code]) -> Vec<CodeId> {
    if request.codes.is_empty() {
        let used: HashSet<&str> = coded.spans.keys().map(|(_, c)| c.as_str()).collect();
        return all_codes
            .iter()
            .filter(|c| used.contains(c.guid.as_str()))
            .map(|c| c.guid.clone())
            .collect();
    }
    let mut set = Vec::new();
    for g in &request.codes {
        for d in codes::with_descendants(all_codes, g) {
            if !set.contains(&d) && all_codes.iter().any(|c| c.guid == d && c.kind.is_codable()) {
                set.push(d);
            }
        }
    }
    set
}

/// The live documents measured: those asked for, or every one a coder coded something
/// on, in corpus order.
fn documents_to_measure(
    conn: &Connection,
    request: &AgreementRequest,
    coded: &Coded,
) -> StoreResult<Vec<DocumentInfo>> {
    Ok(documents::list(conn)?
        .into_iter()
        .filter(|d| {
            if request.documents.is_empty() {
                coded.present.iter().any(|p| p.contains(d.guid.as_str()))
            } else {
                request.documents.contains(&d.guid)
            }
        })
        .collect())
}

/// (coder name, document name) for each coder who coded nothing on a document measured.
fn missing_coders(docs: &[DocumentInfo], coders: &[Coder], coded: &Coded) -> Vec<(String, String)> {
    let mut missing = Vec::new();
    for d in docs {
        for (i, c) in coders.iter().enumerate() {
            if !coded.present[i].contains(d.guid.as_str()) {
                missing.push((c.name.clone(), d.name.clone()));
            }
        }
    }
    missing
}

/// Each coder's merged intervals (by coder index) of a code on a document.
type CoderSpans = Vec<Vec<(usize, usize)>>;

/// Spans by document then code, looked up without building keys.
fn spans_by_document(coded: &Coded) -> HashMap<&str, HashMap<&str, &CoderSpans>> {
    let mut spans_of: HashMap<&str, HashMap<&str, &CoderSpans>> = HashMap::new();
    for ((doc, code), spans) in &coded.spans {
        spans_of
            .entry(doc.as_str())
            .or_default()
            .insert(code.as_str(), spans);
    }
    spans_of
}

/// What is measured, fixed for the whole run.
struct Job<'a> {
    request: &'a AgreementRequest,
    /// The codes, in the order of the report's rows.
    code_guids: &'a [CodeId],
    /// Code GUID → path, to name codes in disagreements.
    paths: &'a HashMap<CodeId, String>,
    spans_of: HashMap<&'a str, HashMap<&'a str, &'a CoderSpans>>,
}

/// What measuring accumulates, document after document.
struct Sums {
    /// One tally per code (in the order of the codes measured).
    tallies: Vec<Tally>,
    /// Per code, per coder: the pairable units they coded (weighted).
    coded_units: Vec<Vec<f64>>,
    /// Number of coders compared.
    coders: usize,
    /// The disagreements found so far, by document, then code, then position.
    disagreements: Vec<Disagreement>,
}

impl Sums {
    fn new(coders: usize, codes: usize) -> Sums {
        Sums {
            tallies: (0..codes).map(|_| Tally::default()).collect(),
            coded_units: vec![vec![0.0; coders]; codes],
            coders,
            disagreements: Vec::new(),
        }
    }

    /// One row per code, then the overall row (every code's units pooled).
    fn rows(
        &mut self,
        code_guids: &[CodeId],
        paths: &HashMap<CodeId, String>,
    ) -> (Vec<CodeAgreement>, CodeAgreement) {
        let n = self.coders;
        let mut overall = Tally::default();
        let mut overall_coded = vec![0.0; n];
        let mut per_code = Vec::new();
        for (k, code) in code_guids.iter().enumerate() {
            for i in 0..n {
                overall_coded[i] += self.coded_units[k][i];
            }
            overall.absorb(&self.tallies[k]);
            per_code.push(row(
                code.as_str(),
                paths.get(code).map(String::as_str).unwrap_or(""),
                &self.tallies[k],
                std::mem::take(&mut self.coded_units[k]),
            ));
        }
        let overall = row("", "Ensemble — overall", &overall, overall_coded);
        (per_code, overall)
    }
}

/// Measures every code on document `d` (`present`: which coders coded anything on it),
/// then quotes the text of the disagreements found there.
fn measure_document(
    conn: &Connection,
    job: &Job,
    d: &DocumentInfo,
    present: &[bool],
    sums: &mut Sums,
) -> StoreResult<()> {
    let text = match job.request.unit {
        UnitKind::Segment => Some(documents::text(conn, &d.guid)?),
        UnitKind::Char => None,
    };
    let doc_segments = text.as_deref().map(segments).unwrap_or_default();
    let doc_spans = job.spans_of.get(d.guid.as_str());
    let empty: CoderSpans = vec![Vec::new(); job.request.coders.len()];
    let first_disagreement = sums.disagreements.len();
    for (k, code) in job.code_guids.iter().enumerate() {
        let spans = doc_spans
            .and_then(|m| m.get(code.as_str()))
            .copied()
            .unwrap_or(&empty);
        let char_units: Vec<(usize, usize)>;
        let units: &[(usize, usize)] = match job.request.unit {
            UnitKind::Char => {
                char_units = char_units_of(spans, d.char_len);
                &char_units
            }
            UnitKind::Segment => &doc_segments,
        };
        let place = Place {
            unit: job.request.unit,
            coders: &job.request.coders,
            document: d,
            code_guid: code,
            code_path: job.paths.get(code).map(String::as_str).unwrap_or(""),
        };
        measure_code(&place, k, spans, present, units, sums);
    }
    // The text of this document's disagreements.
    if sums.disagreements.len() > first_disagreement {
        let text = match text {
            Some(t) => t,
            None => documents::text(conn, &d.guid)?,
        };
        let index = crate::model::text::CharIndex::new(&text);
        for dis in &mut sums.disagreements[first_disagreement..] {
            dis.text = index
                .slice(&text, dis.start_char, dis.end_char)
                .unwrap_or("")
                .to_string();
        }
    }
    Ok(())
}

/// The character units of a document of `char_len` chars: the stretches between every
/// coder's coding boundaries, whose characters all have the same values.
fn char_units_of(spans: &CoderSpans, char_len: usize) -> Vec<(usize, usize)> {
    let mut cuts: Vec<usize> = vec![0, char_len];
    for s in spans {
        for (a, b) in s {
            cuts.push((*a).min(char_len));
            cuts.push((*b).min(char_len));
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .map(|w| (w[0], w[1]))
        .filter(|(a, b)| a < b)
        .collect()
}

/// Where a code is being measured: what a disagreement found there records.
struct Place<'a> {
    unit: UnitKind,
    /// The coders' GUIDs, by coder index.
    coders: &'a [CoderId],
    document: &'a DocumentInfo,
    code_guid: &'a CodeId,
    code_path: &'a str,
}

/// Tallies code number `k` over `units` of one document, and records its disagreements
/// (adjacent characters that differ alike make one disagreement).
fn measure_code(
    place: &Place,
    k: usize,
    spans: &CoderSpans,
    present: &[bool],
    units: &[(usize, usize)],
    sums: &mut Sums,
) {
    let mut open: Option<Disagreement> = None;
    for &(a, b) in units {
        let values = unit_values(place.unit, spans, present, a, b);
        let weight = match place.unit {
            UnitKind::Char => (b - a) as f64,
            UnitKind::Segment => 1.0,
        };
        let shown: Vec<u32> = values.iter().flatten().copied().collect();
        if shown.len() >= 2 {
            for (i, v) in values.iter().enumerate() {
                if *v == Some(1) {
                    sums.coded_units[k][i] += weight;
                }
            }
        }
        sums.tallies[k].add_unit(&values, weight);
        let differs = shown.len() >= 2 && shown.iter().any(|v| *v != shown[0]);
        if differs {
            follow_disagreement(place, &mut open, &mut sums.disagreements, &values, (a, b));
        } else {
            sums.disagreements.extend(open.take());
        }
    }
    sums.disagreements.extend(open.take());
}

/// Each coder's value on the unit `[a, b)`: 1 coded, 0 not coded, `None` for a coder
/// missing on the document.
fn unit_values(
    unit: UnitKind,
    spans: &CoderSpans,
    present: &[bool],
    a: usize,
    b: usize,
) -> Vec<Option<u32>> {
    (0..present.len())
        .map(|i| {
            present[i].then(|| {
                let hit = match unit {
                    UnitKind::Char => covers(&spans[i], a),
                    UnitKind::Segment => touches(&spans[i], a, b),
                };
                u32::from(hit)
            })
        })
        .collect()
}

/// A unit `[a, b)` where coders differ: extends the `open` disagreement when it ends there
/// with the same coders on each side (characters only), else closes it into `done` and
/// opens another.
fn follow_disagreement(
    place: &Place,
    open: &mut Option<Disagreement>,
    done: &mut Vec<Disagreement>,
    values: &[Option<u32>],
    (a, b): (usize, usize),
) {
    let coders_valued = |value: u32| -> Vec<CoderId> {
        (0..values.len())
            .filter(|i| values[*i] == Some(value))
            .map(|i| place.coders[i].clone())
            .collect()
    };
    let coded_by = coders_valued(1);
    let not_coded_by = coders_valued(0);
    match open {
        Some(o)
            if place.unit == UnitKind::Char
                && o.end_char == a
                && o.coded_by == coded_by
                && o.not_coded_by == not_coded_by =>
        {
            o.end_char = b;
        }
        _ => {
            done.extend(open.take());
            *open = Some(Disagreement {
                document_guid: place.document.guid.clone(),
                document_name: place.document.name.clone(),
                code_guid: place.code_guid.clone(),
                code_path: place.code_path.to_string(),
                start_char: a,
                end_char: b,
                text: String::new(),
                coded_by,
                not_coded_by,
            });
        }
    }
}

/// Sorts disagreements by document (in the order measured), position, then code path.
fn sort_by_position(docs: &[DocumentInfo], disagreements: &mut [Disagreement]) {
    let order: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.guid.as_str(), i))
        .collect();
    disagreements.sort_by(|a, b| {
        (
            order.get(a.document_guid.as_str()),
            a.start_char,
            a.end_char,
            &a.code_path,
        )
            .cmp(&(
                order.get(b.document_guid.as_str()),
                b.start_char,
                b.end_char,
                &b.code_path,
            ))
    });
}

/// The text around a disagreement (or any range), to show it in context: `context_chars`
/// before, the range, `context_chars` after.
pub fn context(
    conn: &Connection,
    document_guid: &DocumentId,
    start_char: usize,
    end_char: usize,
    context_chars: usize,
) -> StoreResult<(String, String, String)> {
    let text = documents::text(conn, document_guid)?;
    let len = text.chars().count();
    let (s, e) = (start_char.min(len), end_char.min(len));
    let before = slice_chars(&text, s.saturating_sub(context_chars), s)
        .unwrap_or("")
        .to_string();
    let inside = slice_chars(&text, s, e).unwrap_or("").to_string();
    let after = slice_chars(&text, e, (e + context_chars).min(len))
        .unwrap_or("")
        .to_string();
    Ok((before, inside, after))
}
