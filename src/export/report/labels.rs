//! The fixed words of a report, in French (the default) and English.

pub use crate::model::Lang;

impl Lang {
    /// The words of this language.
    pub fn labels(self) -> &'static Labels {
        match self {
            Lang::Fr => &FR,
            Lang::En => &EN,
        }
    }
}

/// Fixed words of a report.
#[derive(Debug)]
pub struct Labels {
    /// Start of the default title, followed by « — » and the project's name.
    pub report_title: &'static str,
    /// Words before the generation date under the title (« Généré le », "Generated on").
    pub generated_on: &'static str,
    /// What follows a label before its value (« : » in French, with a no-break space).
    pub colon: &'static str,
    /// Heading of the overview part (counts, notices and the per-group table).
    pub overview: &'static str,
    /// Title of the overview table.
    pub per_group: &'static str,
    /// Heading of the excerpts part.
    pub excerpts: &'static str,
    /// Heading of the codebook.
    pub codebook: &'static str,
    /// Heading of the synthesis tables.
    pub tables: &'static str,
    /// Heading of the charts.
    pub charts: &'static str,
    /// Caption label before an excerpt's document name.
    pub document: &'static str,
    /// Caption label before an excerpt's respondent (or pseudonym).
    pub respondent: &'static str,
    /// Caption label before the coder of an excerpt coded by one coder.
    pub coder: &'static str,
    /// Caption label before the coders of an excerpt that several coders coded alike.
    pub coders: &'static str,
    /// Label before a memo's text, under an excerpt or a codebook entry.
    pub memo: &'static str,
    /// Column heading of the codebook table: the code's name.
    pub code: &'static str,
    /// Column heading of the codebook table: the code's kind, in words from `kinds`.
    pub kind: &'static str,
    /// Column heading of the codebook table: the code's description.
    pub description: &'static str,
    /// Column heading for excerpt counts (overview and codebook tables).
    pub excerpts_count: &'static str,
    /// Column heading of the overview table: distinct respondents per group.
    pub respondents_count: &'static str,
    /// "No excerpt" for an empty group.
    pub no_excerpt: &'static str,
    /// Marker on an excerpt whose respondent's consent is pending.
    pub consent_pending: &'static str,
    /// Overview sentence when excerpts are grouped by code.
    pub grouped_by_code: &'static str,
    /// Overview sentence when excerpts are grouped by controversy, then pole.
    pub grouped_by_controversy: &'static str,
    /// Overview sentence when excerpts are grouped by orientation, then piste.
    pub grouped_by_orientation: &'static str,
    /// Excerpts coded on an orientation itself rather than on one of its pistes.
    pub orientation_itself: &'static str,
    /// Excerpts coded on a controversy itself rather than on a pole.
    pub controversy_itself: &'static str,
    /// Group column of the overview table.
    pub group: &'static str,
    /// Section column of the overview table.
    pub section: &'static str,
    /// Overview sentence stating that names were replaced by pseudonyms.
    pub pseudonymised: &'static str,
    /// Overview sentence warning that the report contains real names.
    pub not_pseudonymised: &'static str,
    /// Words before the list of codes the report was limited to (overview notice).
    pub filter_codes: &'static str,
    /// Words before the list of coders the report was limited to (overview notice).
    pub filter_coders: &'static str,
    /// Memos about a code, in the codebook.
    pub code_memos: &'static str,
    /// Value of a chart in a table fallback.
    pub value: &'static str,
    /// Heading of the table of contents (DOCX, ODT).
    pub contents: &'static str,
    /// Word before a table's number in its caption (« Tableau 3 — … »).
    pub table_caption: &'static str,
    /// Word before a figure's number in its caption (« Figure 2 — … »).
    pub figure_caption: &'static str,
    /// What separates a caption's number from its title.
    pub caption_dash: &'static str,
    /// Heading of the optional appendix giving where the tables' passages lie in their
    /// documents.
    pub appendix_offsets: &'static str,
    /// The sentence under that heading saying what the start and end columns count.
    pub appendix_offsets_note: &'static str,
    /// Kinds of codes, in [`crate::model::CodeKind::ALL`] order.
    pub kinds: [&'static str; 6],
}

static FR: Labels = Labels {
    report_title: "Rapport de codage",
    generated_on: "Généré le",
    colon: "\u{a0}: ",
    overview: "Vue d’ensemble",
    per_group: "Extraits par groupe",
    excerpts: "Extraits codés",
    codebook: "Grille de codage",
    tables: "Tableaux de synthèse",
    charts: "Graphiques",
    document: "Document",
    respondent: "Répondant·e",
    coder: "Codeur·se",
    coders: "Codeur·ses",
    memo: "Mémo",
    code: "Code",
    kind: "Type",
    description: "Description",
    excerpts_count: "Extraits",
    respondents_count: "Répondant·es",
    no_excerpt: "Aucun extrait.",
    consent_pending: "consentement en attente",
    grouped_by_code: "Extraits regroupés par code.",
    grouped_by_controversy: "Extraits regroupés par controverse, puis par pôle.",
    grouped_by_orientation: "Extraits regroupés par orientation, puis par piste.",
    orientation_itself: "L’orientation en général",
    controversy_itself: "La controverse en général",
    group: "Groupe",
    section: "Partie",
    pseudonymised: "Rapport pseudonymisé : les noms des répondant·es et les chaînes identifiantes de la liste du projet sont remplacés par des pseudonymes.",
    not_pseudonymised: "Rapport non pseudonymisé : il contient des noms réels.",
    filter_codes: "Codes retenus",
    filter_coders: "Codeur·ses retenu·es",
    code_memos: "Mémos",
    value: "Valeur",
    contents: "Sommaire",
    table_caption: "Tableau",
    figure_caption: "Figure",
    caption_dash: " — ",
    appendix_offsets: "Annexe — positions des passages cités",
    appendix_offsets_note: "Début et Fin donnent la place de chaque passage dans le texte du document, en caractères : le premier caractère du document est le caractère 0, et le caractère Fin n’appartient plus au passage. Les exports en tableur (CSV, XLSX, ODS) portent les mêmes colonnes.",
    kinds: [
        "thème",
        "dossier",
        "controverse",
        "pôle",
        "orientation",
        "piste",
    ],
};

static EN: Labels = Labels {
    report_title: "Coding report",
    generated_on: "Generated on",
    colon: ": ",
    overview: "Overview",
    per_group: "Excerpts per group",
    excerpts: "Coded excerpts",
    codebook: "Codebook",
    tables: "Synthesis tables",
    charts: "Charts",
    document: "Document",
    respondent: "Respondent",
    coder: "Coder",
    coders: "Coders",
    memo: "Memo",
    code: "Code",
    kind: "Kind",
    description: "Description",
    excerpts_count: "Excerpts",
    respondents_count: "Respondents",
    no_excerpt: "No excerpt.",
    consent_pending: "consent pending",
    grouped_by_code: "Excerpts grouped by code.",
    grouped_by_controversy: "Excerpts grouped by controversy, then by pole.",
    grouped_by_orientation: "Excerpts grouped by orientation, then by piste.",
    orientation_itself: "The orientation in general",
    controversy_itself: "The controversy in general",
    group: "Group",
    section: "Section",
    pseudonymised: "Pseudonymised report: respondents' names and the identifying strings of the project's list are replaced by pseudonyms.",
    not_pseudonymised: "Not pseudonymised: this report contains real names.",
    filter_codes: "Codes selected",
    filter_coders: "Coders selected",
    code_memos: "Memos",
    value: "Value",
    contents: "Contents",
    table_caption: "Table",
    figure_caption: "Figure",
    caption_dash: " — ",
    appendix_offsets: "Appendix — positions of the quoted passages",
    appendix_offsets_note: "Start and End give where each passage lies in its document's text, in characters: the document's first character is character 0, and the End character is no longer part of the passage. Spreadsheet exports (CSV, XLSX, ODS) carry the same columns.",
    kinds: [
        "theme",
        "folder",
        "controversy",
        "pole",
        "orientation",
        "piste",
    ],
};

impl Labels {
    /// The word for a code kind.
    pub fn kind_name(&self, kind: crate::model::CodeKind) -> &'static str {
        let i = crate::model::CodeKind::ALL
            .iter()
            .position(|k| *k == kind)
            .unwrap_or(0);
        self.kinds[i]
    }
    /// A date-time in ms as readers of this language write it (UTC).
    pub fn date_time(&self, lang: Lang, ms: i64) -> String {
        let Some(d) = chrono::DateTime::from_timestamp_millis(ms) else {
            return String::new();
        };
        match lang {
            Lang::Fr => d.format("%d/%m/%Y à %H:%M UTC").to_string(),
            Lang::En => d.format("%Y-%m-%d %H:%M UTC").to_string(),
        }
    }
    /// The sentence stating how many respondents were left out for withdrawn consent.
    pub fn withdrawn_notice(&self, lang: Lang, respondents: usize, excerpts: usize) -> String {
        match lang {
            Lang::Fr => format!(
                "{respondents} répondant·e(s) ayant retiré son consentement, et ses {excerpts} codage(s), sont exclu·es de ce rapport."
            ),
            Lang::En => format!(
                "{respondents} respondent(s) who withdrew consent, and their {excerpts} coding(s), are left out of this report."
            ),
        }
    }
    /// The sentence stating how many included respondents have pending consent.
    pub fn pending_notice(&self, lang: Lang, respondents: usize, excerpts: usize) -> String {
        match lang {
            Lang::Fr => format!(
                "{respondents} répondant·e(s) n’ont pas encore donné leur consentement (en attente) : leurs {excerpts} extrait(s) sont inclus et signalés « {} ».",
                self.consent_pending
            ),
            Lang::En => format!(
                "{respondents} respondent(s) have not yet given consent (pending): their {excerpts} excerpt(s) are included and marked “{}”.",
                self.consent_pending
            ),
        }
    }
    /// The sentence counting what the report holds.
    pub fn counts_notice(
        &self,
        lang: Lang,
        excerpts: usize,
        documents: usize,
        respondents: usize,
    ) -> String {
        match lang {
            Lang::Fr => format!(
                "{excerpts} extrait(s) codé(s), tiré(s) de {documents} document(s) et de {respondents} répondant·e(s)."
            ),
            Lang::En => format!(
                "{excerpts} coded excerpt(s) from {documents} document(s) and {respondents} respondent(s)."
            ),
        }
    }
    /// The sentence counting excerpts that the chosen grouping does not show.
    pub fn outside_grouping_notice(&self, lang: Lang, excerpts: usize) -> String {
        match lang {
            Lang::Fr => format!(
                "{excerpts} extrait(s) codé(s) hors de ce regroupement ne sont pas repris ici (voir le regroupement par code)."
            ),
            Lang::En => format!(
                "{excerpts} excerpt(s) coded outside this grouping are not shown here (see the grouping by code)."
            ),
        }
    }
}
