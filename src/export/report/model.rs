//! The report model: a plain [`Report`] built from the store and [`ReportOptions`] by
//! [`super::build::build_report`]
//! (sections → groups → excerpts, the codebook, the synthesis tables and charts), which every
//! renderer formats. Consent and pseudonymisation are applied here, once, so no renderer can
//! forget them.

use serde::Serialize;

use super::labels::Lang;
use super::svg::Chart;
use crate::analysis::{Cell, Table};
use crate::model::{CodeId, CodeKind, CoderId, RespondentId};

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
            "controversy" | "controversies" | "controverse" | "controverses" => {
                Some(GroupBy::Controversy)
            }
            "orientation" | "orientations" => Some(GroupBy::Orientation),
            _ => None,
        }
    }
}

/// What to put in a report.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// How sections and groups are cut: by code (the default), controversy or orientation.
    pub group_by: GroupBy,
    /// Replace names and identifying strings by pseudonyms everywhere.
    pub pseudonymise: bool,
    /// Attributes (respondent or document, by name, case-insensitive) shown with each excerpt.
    pub attributes: Vec<String>,
    /// Only these codes (GUIDs, each with its descendants); empty: all.
    pub codes: Vec<CodeId>,
    /// Only these coders (GUIDs); empty: all.
    pub coders: Vec<CoderId>,
    /// Language of the fixed words.
    pub lang: Lang,
    /// Title; default « Rapport de codage — PROJECT ».
    pub title: Option<String>,
    /// Include the codebook with descriptions.
    pub include_codebook: bool,
    /// The generation time written in the report (ms); `None`: now. Tests fix it.
    pub generated_at_ms: Option<i64>,
    /// Add an appendix giving, for the synthesis tables that quote passages, where each
    /// passage starts and ends in its document (char offsets). The tables themselves never
    /// show offsets: readers do not need them.
    pub appendix_offsets: bool,
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
            appendix_offsets: false,
        }
    }
}

/// One excerpt as the report shows it. Codings of the same code on the same range by
/// several coders are shown once, with every coder and memo.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportExcerpt {
    /// The coded text as stored between `start_char` and `end_char` (names replaced when
    /// pseudonymised).
    pub text: String,
    /// Name of the document it comes from (pseudonymised with the rest when asked).
    pub document: String,
    /// Respondent name, or their pseudonym when the report is pseudonymised.
    pub respondent: Option<String>,
    /// The chosen attributes: (name, value), in the order asked, missing values left out.
    pub attributes: Vec<(String, String)>,
    /// Coders who coded this range with this code.
    pub coders: Vec<String>,
    /// Texts of the memos on these codings, whichever coder wrote them.
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
    /// Heading: in a code section, the code's path from the section's code (levels joined by
    /// « › »); else the pole's or piste's name, or the label for the section's code itself.
    pub title: String,
    /// The code's full path.
    pub code_path: String,
    /// The code's kind (theme, pole, piste…).
    pub kind: CodeKind,
    /// The code's colour `#rrggbb`.
    pub color: String,
    /// The code's description; empty for the section's own code, already shown with the section.
    pub description: String,
    /// Excerpts in document order.
    pub excerpts: Vec<ReportExcerpt>,
    /// Number of distinct respondents among the excerpts.
    pub respondents: usize,
}

/// A section: a top-level code, a controversy or an orientation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// Heading: the name of the top-level code, controversy or orientation.
    pub title: String,
    /// Kind of the code heading the section.
    pub kind: CodeKind,
    /// That code's colour, `#rrggbb`.
    pub color: String,
    /// Description of the code.
    pub description: String,
    /// Its groups, in codebook order; with a code filter, sections whose groups are all empty are
    /// left out.
    pub groups: Vec<Group>,
}

/// One code of the codebook.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodebookEntry {
    /// The code's own name (last part of `path`).
    pub name: String,
    /// Full path from the top of the codebook, names joined by `/`.
    pub path: String,
    /// Depth in the tree (0 for a top-level code).
    pub depth: usize,
    /// The code's kind, printed with the words of [`super::labels::Labels::kinds`].
    pub kind: CodeKind,
    /// The code's colour, `#rrggbb`.
    pub color: String,
    /// The code's description; empty if none was written.
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
    /// Excerpts shown from those respondents, each marked as pending consent.
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
    /// The project's name, printed under the title.
    pub project_name: String,
    /// Who made the report (the acting coder; the file's metadata creator).
    pub author: String,
    /// Generation date-time, ISO 8601 UTC (file metadata).
    pub generated_at: String,
    /// Generation date-time as the report's readers write it.
    pub generated_at_display: String,
    /// Whether names were replaced by pseudonyms; the overview states it either way.
    pub pseudonymised: bool,
    /// The grouping used, stated in the overview.
    pub group_by: GroupBy,
    /// Sentences for the overview (counts, consent, filters, pseudonymisation).
    pub notices: Vec<String>,
    /// The counts behind the overview's sentences.
    pub stats: ReportStats,
    /// Overview table: one row per group, with its excerpts and distinct respondents.
    pub overview: Table,
    /// Sections of excerpts, in codebook order.
    pub sections: Vec<Section>,
    /// The codebook (empty when not asked).
    pub codebook: Vec<CodebookEntry>,
    /// Synthesis tables given by the caller, without their offset columns.
    pub tables: Vec<Table>,
    /// The appendix's tables (empty unless asked): for each synthesis table with offset
    /// columns, its short columns and the offsets, its running text (quotes) left out.
    pub appendix: Vec<Table>,
    /// Charts given by the caller.
    pub charts: Vec<Chart>,
    /// GUIDs of respondents left out (withdrawn consent), for callers that compute their own
    /// tables. Never rendered.
    #[serde(skip)]
    pub excluded_respondents: Vec<RespondentId>,
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
                    e.attributes
                        .iter_mut()
                        .for_each(|(k, v)| (*k, *v) = (f(k), f(v)));
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
        self.appendix.iter_mut().for_each(|t| map_table(t, f));
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
        let coder_label = if self.coders.len() > 1 {
            labels.coders
        } else {
            labels.coder
        };
        out.push((coder_label.to_string(), self.coders.join(", ")));
        out
    }
}

impl Group {
    /// « 3 extrait(s) · 2 répondant·e(s) ».
    pub fn count_line(&self, lang: Lang) -> String {
        match lang {
            Lang::Fr => format!(
                "{} extrait(s) · {} répondant·e(s)",
                self.excerpts.len(),
                self.respondents
            ),
            Lang::En => format!(
                "{} excerpt(s) · {} respondent(s)",
                self.excerpts.len(),
                self.respondents
            ),
        }
    }
}
