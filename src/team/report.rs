//! The merge report: what was added, unified, superseded (conflicts), rebased and dropped,
//! and why; as data (serde), Markdown or HTML. French first, English after a dash.

use serde::Serialize;
use std::fmt::Write as _;

/// Rows per kind: live rows (tombstones left out) in a project, or rows found in one
/// input only, as [`InputSummary`] says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EntityCounts {
    /// Number of coders (a coder has no tombstone: every coder counts).
    pub coders: usize,
    /// Number of respondents.
    pub respondents: usize,
    /// Number of documents.
    pub documents: usize,
    /// Number of attribute definitions (not their values).
    pub attributes: usize,
    /// Number of codes, folders and poles included.
    pub codes: usize,
    /// Number of codings.
    pub codings: usize,
    /// Number of memos.
    pub memos: usize,
}

/// The kinds of rows a merge handles, in the order the report lists them (their order
/// sorts the report's lists).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    /// A row of `coders`, keyed by GUID.
    Coder,
    /// A row of `respondents`, keyed by GUID.
    Respondent,
    /// A row of `documents`, keyed by GUID.
    Document,
    /// An attribute definition, keyed by GUID.
    Attribute,
    /// An attribute value, keyed by `attribute GUID/owner GUID`.
    AttributeValue,
    /// A row of `codes`, keyed by GUID.
    Code,
    /// A row of `codings`, keyed by GUID.
    Coding,
    /// A row of `memos`, keyed by GUID.
    Memo,
    /// An entry of the pseudonym list, keyed by the original string.
    Pseudonym,
}

impl Entity {
    /// French label, then English.
    pub fn label(self) -> &'static str {
        match self {
            Entity::Coder => "codeur — coder",
            Entity::Respondent => "répondant — respondent",
            Entity::Document => "document",
            Entity::Attribute => "attribut — attribute",
            Entity::AttributeValue => "valeur d’attribut — attribute value",
            Entity::Code => "code",
            Entity::Coding => "codage — coding",
            Entity::Memo => "mémo — memo",
            Entity::Pseudonym => "pseudonyme — pseudonym",
        }
    }
}

/// One input of the merge.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct InputSummary {
    /// File name (the provenance recorded on its rows).
    pub label: String,
    /// The name of the project inside the file (not the file name).
    pub project_name: String,
    /// Live rows in this input.
    pub live: EntityCounts,
    /// Rows (by GUID) found in no other input: what this input adds.
    pub only_here: EntityCounts,
    /// Paths of the live codes found only here.
    pub new_codes: Vec<String>,
    /// Names of the live documents found only here.
    pub new_documents: Vec<String>,
}

/// One version of a row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Version {
    /// Inputs holding this version.
    pub from: Vec<String>,
    /// When this version was made, UTC ms: the later version wins.
    pub modified_at: i64,
    /// Whether the version is a deletion.
    pub deleted: bool,
    /// What the row says in this version.
    pub summary: String,
}

/// A row whose versions differ between inputs: the kept one and a superseded one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Superseded {
    /// What table the row is from.
    pub entity: Entity,
    /// GUID (or key) of the row.
    pub guid: String,
    /// The row, in words.
    pub what: String,
    /// The version kept (the later change).
    pub kept: Version,
    /// A version that lost (one [`Superseded`] per distinct losing version).
    pub lost: Version,
    /// Whether the superseded version was itself a change (made after the row's
    /// creation): then both sides changed the row, a real conflict; otherwise one side
    /// simply kept the original.
    pub both_changed: bool,
}

/// Rows recognised as one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unified {
    /// What table the rows are from.
    pub entity: Entity,
    /// The GUID the rows share from now on: the smallest of them.
    pub kept_guid: String,
    /// The row, in words.
    pub what: String,
    /// The GUIDs folded into it.
    pub merged_guids: Vec<String>,
    /// Why they are the same.
    pub reason: String,
    /// Whether they were merged (false: only offered, e.g. codes without `--unify-codes`).
    pub applied: bool,
}

/// Codings moved onto another version of a document's text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rebased {
    /// GUID of the document whose text changed.
    pub document_guid: String,
    /// The document's display name.
    pub document: String,
    /// Codings placed on the same text.
    pub exact: usize,
    /// Codings placed with text changed inside them.
    pub adjusted: usize,
    /// Codings that could not be placed (listed in `dropped`).
    pub unplaced: usize,
}

/// A row left out of the result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dropped {
    /// What table the row is from.
    pub entity: Entity,
    /// GUID of the row left out.
    pub guid: String,
    /// The row, in words.
    pub what: String,
    /// Why it was left out, in French then English.
    pub reason: String,
}

/// Everything a merge did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MergeReport {
    /// The project written or merged into.
    pub output: String,
    /// When the merge ran, UTC ms (also the time of the edits the merge made itself).
    pub merged_at: i64,
    /// One summary per input, in the order given (for a merge into an open project, that
    /// project first).
    pub inputs: Vec<InputSummary>,
    /// Live rows in the result.
    pub result: EntityCounts,
    /// Superseded versions (conflicts and one-sided updates).
    pub superseded: Vec<Superseded>,
    /// Rows recognised as the same.
    pub unified: Vec<Unified>,
    /// Documents whose codings were rebased onto another version of the text.
    pub rebased: Vec<Rebased>,
    /// Rows left out or deleted by the merge: codings that could not be placed on an
    /// edited text, exact duplicate codings.
    pub dropped: Vec<Dropped>,
    /// Deleted codes restored because codings still use them.
    pub restored: Vec<String>,
    /// Things to look at.
    pub warnings: Vec<String>,
    /// The backup made before merging into an open project.
    pub backup: Option<String>,
}

/// A time in ms as ISO 8601 UTC with milliseconds (two changes a few ms apart differ).
fn format_ms(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
        .unwrap_or_default()
}

fn escape_md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn counts_row(c: &EntityCounts) -> Vec<String> {
    [
        c.documents,
        c.respondents,
        c.codes,
        c.codings,
        c.memos,
        c.attributes,
        c.coders,
    ]
    .iter()
    .map(|n| n.to_string())
    .collect()
}

const COUNT_HEADERS: [&str; 7] = [
    "documents",
    "répondants",
    "codes",
    "codages",
    "mémos",
    "attributs",
    "codeurs",
];

/// A document in neutral form (headings, paragraphs, tables), rendered to Markdown or HTML.
enum Block {
    Heading(u8, String),
    Para(String),
    Table(Vec<String>, Vec<Vec<String>>),
    List(Vec<String>),
}

impl MergeReport {
    /// Superseded versions where both sides had changed the row.
    pub fn conflicts(&self) -> impl Iterator<Item = &Superseded> {
        self.superseded.iter().filter(|s| s.both_changed)
    }

    /// One line for a terminal.
    pub fn summary_line(&self) -> String {
        let r = &self.result;
        format!(
            "{} documents, {} codes, {} codings, {} memos; {} conflicts, {} other superseded versions, {} unified, {} dropped",
            r.documents,
            r.codes,
            r.codings,
            r.memos,
            self.conflicts().count(),
            self.superseded.len() - self.conflicts().count(),
            self.unified.iter().filter(|u| u.applied).count(),
            self.dropped.len()
        )
    }

    /// The report as neutral blocks, section by section, for [`MergeReport::to_markdown`]
    /// and [`MergeReport::to_html`].
    fn blocks(&self) -> Vec<Block> {
        let mut b = Vec::new();
        self.title_blocks(&mut b);
        self.input_blocks(&mut b);
        self.added_blocks(&mut b);
        self.superseded_blocks(&mut b);
        self.unified_blocks(&mut b);
        self.rebased_blocks(&mut b);
        self.dropped_blocks(&mut b);
        if !self.restored.is_empty() {
            b.push(Block::Heading(2, "Codes restaurés — Restored codes".into()));
            b.push(Block::List(self.restored.clone()));
        }
        if !self.warnings.is_empty() {
            b.push(Block::Heading(2, "À vérifier — To check".into()));
            b.push(Block::List(self.warnings.clone()));
        }
        b
    }

    /// The title, the merge's time and the backup made before it.
    fn title_blocks(&self, b: &mut Vec<Block>) {
        b.push(Block::Heading(
            1,
            format!("Rapport de fusion — Merge report: {}", self.output),
        ));
        b.push(Block::Para(format!(
            "Fusion du {} — merged at {}.",
            format_ms(self.merged_at),
            format_ms(self.merged_at)
        )));
        if let Some(backup) = &self.backup {
            b.push(Block::Para(format!(
                "Copie de sauvegarde avant fusion — backup before merging: {backup}"
            )));
        }
    }

    /// The live rows of each input, and of the result.
    fn input_blocks(&self, b: &mut Vec<Block>) {
        b.push(Block::Heading(2, "Projets fusionnés — Inputs".into()));
        let mut header = vec!["fichier — file".to_string(), "projet — project".to_string()];
        header.extend(COUNT_HEADERS.iter().map(|h| h.to_string()));
        let mut rows: Vec<Vec<String>> = self
            .inputs
            .iter()
            .map(|i| {
                let mut row = vec![input_label(i), i.project_name.clone()];
                row.extend(counts_row(&i.live));
                row
            })
            .collect();
        let mut total = vec!["**résultat — result**".to_string(), String::new()];
        total.extend(counts_row(&self.result));
        rows.push(total);
        b.push(Block::Table(header, rows));
    }

    /// What each input alone brought: counts, then the names of its new codes and
    /// documents.
    fn added_blocks(&self, b: &mut Vec<Block>) {
        b.push(Block::Heading(
            2,
            "Ajouts — Added (rows found in one input only)".into(),
        ));
        let mut header = vec!["fichier — file".to_string()];
        header.extend(COUNT_HEADERS.iter().map(|h| h.to_string()));
        b.push(Block::Table(
            header,
            self.inputs
                .iter()
                .map(|i| {
                    let mut row = vec![input_label(i)];
                    row.extend(counts_row(&i.only_here));
                    row
                })
                .collect(),
        ));
        for i in &self.inputs {
            if !i.new_codes.is_empty() {
                b.push(Block::Para(format!(
                    "Nouveaux codes de {} — new codes: {}",
                    i.label,
                    i.new_codes.join(" · ")
                )));
            }
            if !i.new_documents.is_empty() {
                b.push(Block::Para(format!(
                    "Nouveaux documents de {} — new documents: {}",
                    i.label,
                    i.new_documents.join(" · ")
                )));
            }
        }
    }

    /// The superseded versions: conflicts (both sides changed the row), then one-sided
    /// updates.
    fn superseded_blocks(&self, b: &mut Vec<Block>) {
        let conflicts: Vec<&Superseded> = self.conflicts().collect();
        b.push(Block::Heading(
            2,
            format!("Conflits — Conflicts ({})", conflicts.len()),
        ));
        b.push(Block::Para(
            "Rangées modifiées des deux côtés : la modification la plus récente l’emporte. — Rows changed on both sides: the later change wins."
                .into(),
        ));
        b.push(superseded_table(&conflicts));
        let updates: Vec<&Superseded> =
            self.superseded.iter().filter(|s| !s.both_changed).collect();
        b.push(Block::Heading(
            2,
            format!(
                "Mises à jour d’un seul côté — One-sided updates ({})",
                updates.len()
            ),
        ));
        b.push(superseded_table(&updates));
    }

    /// Rows recognised as one, merged or only offered.
    fn unified_blocks(&self, b: &mut Vec<Block>) {
        b.push(Block::Heading(
            2,
            format!("Unifiés — Unified ({})", self.unified.len()),
        ));
        b.push(Block::Table(
            vec![
                "type".into(),
                "gardé — kept".into(),
                "fusionnés — folded in".into(),
                "raison — reason".into(),
                "appliqué — applied".into(),
            ],
            self.unified
                .iter()
                .map(|u| {
                    vec![
                        u.entity.label().into(),
                        format!("{} ({})", u.what, u.kept_guid),
                        u.merged_guids.join(", "),
                        u.reason.clone(),
                        if u.applied {
                            "oui — yes".into()
                        } else {
                            "proposé — offered".into()
                        },
                    ]
                })
                .collect(),
        ));
    }

    /// Codings moved onto edited texts, when there are any.
    fn rebased_blocks(&self, b: &mut Vec<Block>) {
        if self.rebased.is_empty() {
            return;
        }
        b.push(Block::Heading(2, "Textes modifiés — Edited texts".into()));
        b.push(Block::Table(
            vec![
                "document".into(),
                "placés à l’identique — exact".into(),
                "ajustés — adjusted".into(),
                "non placés — unplaced".into(),
            ],
            self.rebased
                .iter()
                .map(|r| {
                    vec![
                        r.document.clone(),
                        r.exact.to_string(),
                        r.adjusted.to_string(),
                        r.unplaced.to_string(),
                    ]
                })
                .collect(),
        ));
    }

    /// Rows left out of the result, and why.
    fn dropped_blocks(&self, b: &mut Vec<Block>) {
        b.push(Block::Heading(
            2,
            format!("Écartés — Dropped ({})", self.dropped.len()),
        ));
        b.push(Block::Table(
            vec![
                "type".into(),
                "rangée — row".into(),
                "raison — reason".into(),
            ],
            self.dropped
                .iter()
                .map(|d| {
                    vec![
                        d.entity.label().into(),
                        format!("{} ({})", d.what, d.guid),
                        d.reason.clone(),
                    ]
                })
                .collect(),
        ));
    }

    /// The report as Markdown.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        for block in self.blocks() {
            match block {
                Block::Heading(level, text) => {
                    let _ = writeln!(out, "{} {}\n", "#".repeat(level as usize), escape_md(&text));
                }
                Block::Para(text) => {
                    let _ = writeln!(out, "{}\n", escape_md(&text));
                }
                Block::List(items) => {
                    for item in items {
                        let _ = writeln!(out, "- {}", escape_md(&item));
                    }
                    out.push('\n');
                }
                Block::Table(header, rows) => {
                    if rows.is_empty() {
                        out.push_str("_aucun — none_\n\n");
                        continue;
                    }
                    let _ = writeln!(
                        out,
                        "| {} |",
                        header
                            .iter()
                            .map(|h| escape_md(h))
                            .collect::<Vec<_>>()
                            .join(" | ")
                    );
                    let _ = writeln!(out, "|{}|", vec!["---"; header.len()].join("|"));
                    for row in rows {
                        let _ = writeln!(
                            out,
                            "| {} |",
                            row.iter()
                                .map(|c| escape_md(c))
                                .collect::<Vec<_>>()
                                .join(" | ")
                        );
                    }
                    out.push('\n');
                }
            }
        }
        out
    }

    /// The report as a standalone HTML page.
    pub fn to_html(&self) -> String {
        let mut out = String::from(
            "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Rapport de fusion — Merge report</title>\n<style>body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:.3em .5em;vertical-align:top;text-align:left}th{background:#eee}</style></head><body>\n",
        );
        for block in self.blocks() {
            match block {
                Block::Heading(level, text) => {
                    let _ = writeln!(
                        out,
                        "<h{level}>{}</h{level}>",
                        escape_html(&text.replace("**", ""))
                    );
                }
                Block::Para(text) => {
                    let _ = writeln!(out, "<p>{}</p>", escape_html(&text));
                }
                Block::List(items) => {
                    out.push_str("<ul>\n");
                    for item in items {
                        let _ = writeln!(out, "<li>{}</li>", escape_html(&item));
                    }
                    out.push_str("</ul>\n");
                }
                Block::Table(header, rows) => {
                    if rows.is_empty() {
                        out.push_str("<p><em>aucun — none</em></p>\n");
                        continue;
                    }
                    out.push_str("<table>\n<tr>");
                    for h in &header {
                        let _ = write!(out, "<th>{}</th>", escape_html(h));
                    }
                    out.push_str("</tr>\n");
                    for row in rows {
                        out.push_str("<tr>");
                        for c in row {
                            let _ = write!(out, "<td>{}</td>", escape_html(&c.replace("**", "")));
                        }
                        out.push_str("</tr>\n");
                    }
                    out.push_str("</table>\n");
                }
            }
        }
        out.push_str("</body></html>\n");
        out
    }
}

/// How an input is named in the report's tables: its file name, or "this project" for
/// the project merged into.
fn input_label(i: &InputSummary) -> String {
    if i.label.is_empty() {
        "(ce projet — this project)".into()
    } else {
        i.label.clone()
    }
}

fn version_cell(v: &Version) -> String {
    format!(
        "{}{} — {} ({})",
        if v.deleted {
            "[supprimé — deleted] "
        } else {
            ""
        },
        v.summary,
        format_ms(v.modified_at),
        v.from.join(", ")
    )
}

fn superseded_table(list: &[&Superseded]) -> Block {
    Block::Table(
        vec![
            "type".into(),
            "rangée — row".into(),
            "gardé — kept".into(),
            "remplacé — superseded".into(),
        ],
        list.iter()
            .map(|s| {
                vec![
                    s.entity.label().into(),
                    format!("{} ({})", s.what, s.guid),
                    version_cell(&s.kept),
                    version_cell(&s.lost),
                ]
            })
            .collect(),
    )
}
