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
use crate::analysis::{Cell, Table};
use crate::model::text::slice_chars;
use crate::model::{Coder, DocumentInfo};
use crate::store::{StoreError, StoreResult, coders, codes, codings, documents};

/// What a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// Each character.
    #[default]
    Char,
    /// Each paragraph or speaker turn.
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

/// What to measure.
#[derive(Debug, Clone, Default)]
pub struct AgreementRequest {
    /// Coder GUIDs (two or more).
    pub coders: Vec<String>,
    /// Code GUIDs, each with its sub-codes; empty: every code the coders used.
    pub codes: Vec<String>,
    /// Document GUIDs; empty: every live document one of the coders coded.
    pub documents: Vec<String>,
    /// The unit.
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
    /// Percent agreement (0–100).
    pub percent: Option<f64>,
    /// Cohen's kappa (two coders only).
    pub kappa: Option<f64>,
    /// Krippendorff's alpha (nominal).
    pub alpha: Option<f64>,
}

/// A stretch of text where coders differ about one code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disagreement {
    /// Document GUID.
    pub document_guid: String,
    /// Document name.
    pub document_name: String,
    /// Code GUID.
    pub code_guid: String,
    /// Code path.
    pub code_path: String,
    /// Start (chars, inclusive).
    pub start_char: usize,
    /// End (chars, exclusive).
    pub end_char: usize,
    /// The text of the stretch.
    pub text: String,
    /// Coders who coded it (GUIDs).
    pub coded_by: Vec<String>,
    /// Coders who did not (GUIDs; missing coders are in neither list).
    pub not_coded_by: Vec<String>,
}

/// Everything measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgreementReport {
    /// The unit.
    pub unit: UnitKind,
    /// The coders compared.
    pub coders: Vec<Coder>,
    /// The documents examined (GUID, name).
    pub documents: Vec<(String, String)>,
    /// Coders missing on a document (coder name, document name): they coded nothing there.
    pub missing: Vec<(String, String)>,
    /// One row per code.
    pub per_code: Vec<CodeAgreement>,
    /// All codes pooled.
    pub overall: CodeAgreement,
    /// The disagreements, by document and position.
    pub disagreements: Vec<Disagreement>,
}

/// Merged, sorted intervals.
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

fn load_codings(conn: &Connection, coder_guids: &[String]) -> StoreResult<Coded> {
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
        return Err(StoreError::Invalid(
            "agreement needs at least two coders".into(),
        ));
    }
    let mut coder_list = Vec::new();
    for g in &request.coders {
        coder_list.push(coders::find(conn, g)?);
    }
    let coded = load_codings(conn, &request.coders)?;
    let all_codes = codes::list(conn)?;
    let paths = codes::paths(&all_codes);
    let code_guids: Vec<String> = if request.codes.is_empty() {
        let used: HashSet<&str> = coded.spans.keys().map(|(_, c)| c.as_str()).collect();
        all_codes
            .iter()
            .filter(|c| used.contains(c.guid.as_str()))
            .map(|c| c.guid.clone())
            .collect()
    } else {
        let mut set = Vec::new();
        for g in &request.codes {
            for d in codes::with_descendants(&all_codes, g) {
                if !set.contains(&d) && all_codes.iter().any(|c| c.guid == d && c.kind.is_codable())
                {
                    set.push(d);
                }
            }
        }
        set
    };
    let docs: Vec<DocumentInfo> = documents::list(conn)?
        .into_iter()
        .filter(|d| {
            if request.documents.is_empty() {
                coded.present.iter().any(|p| p.contains(&d.guid))
            } else {
                request.documents.contains(&d.guid)
            }
        })
        .collect();
    let n = request.coders.len();
    let mut missing = Vec::new();
    for d in &docs {
        for (i, c) in coder_list.iter().enumerate() {
            if !coded.present[i].contains(&d.guid) {
                missing.push((c.name.clone(), d.name.clone()));
            }
        }
    }
    let mut overall = Tally::default();
    let mut overall_coded = vec![0.0; n];
    let mut per_code = Vec::new();
    let mut disagreements = Vec::new();
    let empty: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    // Spans by document then code, looked up without building keys.
    let mut spans_of: HashMap<&str, HashMap<&str, &Vec<Vec<(usize, usize)>>>> = HashMap::new();
    for ((doc, code), spans) in &coded.spans {
        spans_of
            .entry(doc.as_str())
            .or_default()
            .insert(code.as_str(), spans);
    }
    let mut tallies: Vec<Tally> = code_guids.iter().map(|_| Tally::default()).collect();
    let mut coded_units: Vec<Vec<f64>> = vec![vec![0.0; n]; code_guids.len()];
    // Document by document (each text read once, and only one held at a time), every code.
    for d in &docs {
        let present: Vec<bool> = (0..n).map(|i| coded.present[i].contains(&d.guid)).collect();
        let text = match request.unit {
            UnitKind::Segment => Some(documents::text(conn, &d.guid)?),
            UnitKind::Char => None,
        };
        let doc_segments = text.as_deref().map(segments).unwrap_or_default();
        let doc_spans = spans_of.get(d.guid.as_str());
        let first_disagreement = disagreements.len();
        for (k, code) in code_guids.iter().enumerate() {
            let spans = doc_spans
                .and_then(|m| m.get(code.as_str()))
                .copied()
                .unwrap_or(&empty);
            let tally = &mut tallies[k];
            let char_units: Vec<(usize, usize)>;
            let units: &[(usize, usize)] = match request.unit {
                UnitKind::Char => {
                    let mut cuts: Vec<usize> = vec![0, d.char_len];
                    for s in spans {
                        for (a, b) in s {
                            cuts.push((*a).min(d.char_len));
                            cuts.push((*b).min(d.char_len));
                        }
                    }
                    cuts.sort_unstable();
                    cuts.dedup();
                    char_units = cuts
                        .windows(2)
                        .map(|w| (w[0], w[1]))
                        .filter(|(a, b)| a < b)
                        .collect();
                    &char_units
                }
                UnitKind::Segment => &doc_segments,
            };
            let mut open: Option<Disagreement> = None;
            for &(a, b) in units {
                let values: Vec<Option<u32>> = (0..n)
                    .map(|i| {
                        present[i].then(|| {
                            let hit = match request.unit {
                                UnitKind::Char => covers(&spans[i], a),
                                UnitKind::Segment => touches(&spans[i], a, b),
                            };
                            u32::from(hit)
                        })
                    })
                    .collect();
                let weight = match request.unit {
                    UnitKind::Char => (b - a) as f64,
                    UnitKind::Segment => 1.0,
                };
                let shown: Vec<u32> = values.iter().flatten().copied().collect();
                if shown.len() >= 2 {
                    for i in 0..n {
                        if values[i] == Some(1) {
                            coded_units[k][i] += weight;
                        }
                    }
                }
                tally.add_unit(&values, weight);
                let differs = shown.len() >= 2 && shown.iter().any(|v| *v != shown[0]);
                if !differs {
                    disagreements.extend(open.take());
                    continue;
                }
                let coded_by: Vec<String> = (0..n)
                    .filter(|i| values[*i] == Some(1))
                    .map(|i| request.coders[i].clone())
                    .collect();
                let not_coded_by: Vec<String> = (0..n)
                    .filter(|i| values[*i] == Some(0))
                    .map(|i| request.coders[i].clone())
                    .collect();
                match &mut open {
                    Some(o)
                        if request.unit == UnitKind::Char
                            && o.end_char == a
                            && o.coded_by == coded_by
                            && o.not_coded_by == not_coded_by =>
                    {
                        o.end_char = b;
                    }
                    _ => {
                        disagreements.extend(open.take());
                        open = Some(Disagreement {
                            document_guid: d.guid.clone(),
                            document_name: d.name.clone(),
                            code_guid: code.clone(),
                            code_path: paths.get(code).cloned().unwrap_or_default(),
                            start_char: a,
                            end_char: b,
                            text: String::new(),
                            coded_by,
                            not_coded_by,
                        });
                    }
                }
            }
            disagreements.extend(open.take());
        }
        // The text of this document's disagreements.
        if disagreements.len() > first_disagreement {
            let text = match text {
                Some(t) => t,
                None => documents::text(conn, &d.guid)?,
            };
            let index = crate::model::text::CharIndex::new(&text);
            for dis in &mut disagreements[first_disagreement..] {
                dis.text = index
                    .slice(&text, dis.start_char, dis.end_char)
                    .unwrap_or("")
                    .to_string();
            }
        }
    }
    for (k, code) in code_guids.iter().enumerate() {
        for i in 0..n {
            overall_coded[i] += coded_units[k][i];
        }
        overall.absorb(&tallies[k]);
        per_code.push(row(
            code,
            paths.get(code).map(String::as_str).unwrap_or(""),
            &tallies[k],
            std::mem::take(&mut coded_units[k]),
        ));
    }
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
    Ok(AgreementReport {
        unit: request.unit,
        coders: coder_list,
        documents: docs
            .iter()
            .map(|d| (d.guid.clone(), d.name.clone()))
            .collect(),
        missing,
        per_code,
        overall: row("", "Ensemble — overall", &overall, overall_coded),
        disagreements,
    })
}

fn opt(v: Option<f64>) -> Cell {
    v.map(Cell::Float).unwrap_or(Cell::Empty)
}

impl AgreementReport {
    /// The coefficients, one row per code and an overall row, for the table exporters.
    pub fn table(&self) -> Table {
        let unit = match self.unit {
            UnitKind::Char => "caractères — characters",
            UnitKind::Segment => "segments",
        };
        let mut columns = vec![
            "Code".to_string(),
            format!("Unités ({unit})"),
            "Accord — agreement".to_string(),
            "Kappa de Cohen".to_string(),
            "Alpha de Krippendorff".to_string(),
        ];
        columns.extend(
            self.coders
                .iter()
                .map(|c| format!("Codé par — coded by {}", c.name)),
        );
        let mut table = Table::new("Accord inter-codeurs — Inter-coder agreement", columns);
        for r in self.per_code.iter().chain(std::iter::once(&self.overall)) {
            let mut cells = vec![
                Cell::Text(r.code_path.clone()),
                Cell::Int(r.units.round() as i64),
                r.percent.map(Cell::Percent).unwrap_or(Cell::Empty),
                opt(r.kappa),
                opt(r.alpha),
            ];
            cells.extend(r.coded.iter().map(|v| Cell::Int(v.round() as i64)));
            table.rows.push(cells);
        }
        table.notes.push(format!(
            "Codeurs — coders: {}. Documents: {}.",
            self.coders
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            self.documents.len()
        ));
        for (coder, doc) in &self.missing {
            table.notes.push(format!(
                "{coder} n’a pas codé « {doc} » (valeurs manquantes — missing values)"
            ));
        }
        if self.coders.len() != 2 {
            table.notes.push(
                "Le kappa de Cohen compare deux codeurs — Cohen's kappa needs exactly two coders."
                    .into(),
            );
        }
        table
    }

    /// The disagreements, one row each, for the table exporters.
    pub fn disagreements_table(&self) -> Table {
        let names: HashMap<&str, &str> = self
            .coders
            .iter()
            .map(|c| (c.guid.as_str(), c.name.as_str()))
            .collect();
        let who = |list: &[String]| {
            list.iter()
                .map(|g| names.get(g.as_str()).copied().unwrap_or(g))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut table = Table::new(
            "Désaccords — Disagreements",
            [
                "Document",
                "Code",
                "Début — start",
                "Fin — end",
                "Codé par — coded by",
                "Non codé par — not coded by",
                "Texte — text",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        );
        for d in &self.disagreements {
            table.rows.push(vec![
                Cell::Text(d.document_name.clone()),
                Cell::Text(d.code_path.clone()),
                Cell::from(d.start_char),
                Cell::from(d.end_char),
                Cell::Text(who(&d.coded_by)),
                Cell::Text(who(&d.not_coded_by)),
                Cell::Text(d.text.clone()),
            ]);
        }
        table
    }
}

/// The text around a disagreement (or any range), to show it in context: `context_chars`
/// before, the range, `context_chars` after.
pub fn context(
    conn: &Connection,
    document_guid: &str,
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
