//! What the UI shows, read from the store once and refreshed only after a command changed
//! something: drawing a frame never queries the database.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::import::files::QUESTION_ATTRIBUTE;
use crate::model::{
    Attribute, AttributeScope, Code, CodeId, CodeKind, Coder, CoderId, Coding, CodingId,
    DocumentId, DocumentInfo, DocumentKind, Memo, MemoTarget, Respondent, RespondentId,
};
use crate::store::{
    Project, StoreResult, attributes, coders, codes, codings, documents, memos, respondents,
};

/// One code of the codebook with what the tree shows about it.
#[derive(Debug, Clone)]
pub struct CodeEntry {
    /// The code as stored.
    pub code: Code,
    /// Depth in the tree (0 at the top).
    pub depth: usize,
    /// `/`-separated path of stored names.
    pub path: String,
    /// Its own live codings.
    pub count: usize,
    /// Its codings and those of its descendants.
    pub total: usize,
    /// GUIDs of its children, in order.
    pub children: Vec<CodeId>,
}

/// The survey grid's index: questions as columns, respondents as rows.
#[derive(Debug, Clone, Default)]
pub struct SurveyIndex {
    /// The questions, in the order first met.
    pub questions: Vec<String>,
    /// One row per respondent who answered: respondent GUID and, per question, the answer
    /// document's GUID.
    pub rows: Vec<(RespondentId, Vec<Option<DocumentId>>)>,
}

/// The lists read from the open project.
#[derive(Debug, Clone, Default)]
pub struct ProjectCache {
    /// Bumped on every refresh: views compare it to know when to rebuild.
    pub version: u64,
    /// The project's name, for the title bar.
    pub project_name: String,
    /// The acting coder (`None` only before the first refresh).
    pub coder: Option<Coder>,
    /// Every coder of the project, by name.
    pub coders: Vec<Coder>,
    /// Documents in corpus order.
    pub documents: Vec<DocumentInfo>,
    /// Live codings per document (all coders).
    pub document_codings: HashMap<DocumentId, usize>,
    /// Live codings per document by the acting coder.
    pub document_my_codings: HashMap<DocumentId, usize>,
    /// Respondents by name.
    pub respondents: Vec<Respondent>,
    /// Attribute definitions, of respondents and of documents, in their order.
    pub attributes: Vec<Attribute>,
    /// Respondent GUID → attribute name → value.
    pub respondent_values: BTreeMap<String, BTreeMap<String, String>>,
    /// Document GUID → attribute name → value.
    pub document_values: BTreeMap<String, BTreeMap<String, String>>,
    /// The codebook in tree order.
    pub codes: Vec<CodeEntry>,
    /// Code GUID → index in `codes`.
    pub code_index: HashMap<CodeId, usize>,
    /// Every live memo.
    pub memos: Vec<Memo>,
    /// Coding GUID → indexes of its memos in `memos`.
    pub coding_memos: HashMap<CodingId, Vec<usize>>,
    /// Where the codings that have memos are: coding GUID → (document, start, end).
    pub coding_locations: HashMap<CodingId, (DocumentId, usize, usize)>,
    /// The survey grid's questions and rows.
    pub survey: SurveyIndex,
    /// Text of each survey answer (short texts shown in the grid).
    pub answer_texts: HashMap<DocumentId, String>,
    /// Distinct codes applied to each document, in text order.
    pub document_codes: HashMap<DocumentId, Vec<CodeId>>,
    /// Label of the action undo would undo.
    pub undo_label: Option<String>,
    /// Label of the action redo would redo.
    pub redo_label: Option<String>,
    /// The project's changes to the stop-word lists of the word table.
    pub stop_words: crate::lexical::stopwords::StopWordEdits,
}

impl ProjectCache {
    /// Reads everything from the project.
    pub fn load(project: &Project, version: u64) -> StoreResult<ProjectCache> {
        let conn = project.conn();
        let coder = project.coder()?;
        let all_codes = codes::list(conn)?;
        let counts = code_counts(project)?;
        let paths = codes::paths(&all_codes);
        // With blinded coding on, the documents' counts (document list, survey grid) are the
        // acting coder's only.
        let blind_coder = crate::team::blind::is_blind(conn)?.then(|| coder.guid.clone());
        let mut cache = ProjectCache {
            version,
            project_name: project.name()?,
            document_my_codings: codings::counts_by_document(conn, Some(&coder.guid))?,
            coder: Some(coder),
            coders: coders::list(conn)?,
            documents: documents::list(conn)?,
            // With blinded coding on, the documents' counts (document list, survey grid)
            // are the acting coder's only.
            document_codings: codings::counts_by_document(conn, blind_coder.as_ref())?,
            respondents: respondents::list(conn)?,
            attributes: attributes::list(conn, None)?,
            respondent_values: attributes::values(conn, AttributeScope::Respondent)?,
            document_values: attributes::values(conn, AttributeScope::Document)?,
            memos: memos::list(conn)?,
            undo_label: project.undo_label()?,
            redo_label: project.redo_label()?,
            stop_words: crate::app::lexical::stop_word_edits(conn)?,
            ..ProjectCache::default()
        };
        cache.codes = code_entries(all_codes, &counts, &paths);
        cache.code_index = cache
            .codes
            .iter()
            .enumerate()
            .map(|(i, e)| (e.code.guid.clone(), i))
            .collect();
        for (i, memo) in cache.memos.iter().enumerate() {
            if let MemoTarget::Coding(g) = &memo.target {
                cache.coding_memos.entry(g.clone()).or_default().push(i);
                if let Ok(c) = codings::get(conn, g) {
                    cache
                        .coding_locations
                        .insert(g.clone(), (c.document_guid, c.start_char, c.end_char));
                }
            }
        }
        cache.survey = survey_index(&cache.documents, &cache.document_values);
        for doc in cache
            .documents
            .iter()
            .filter(|d| d.kind == DocumentKind::SurveyAnswer)
        {
            cache
                .answer_texts
                .insert(doc.guid.clone(), documents::text(conn, &doc.guid)?);
        }
        for (doc, code) in codings::codes_by_document(conn)? {
            cache.document_codes.entry(doc).or_default().push(code);
        }
        Ok(cache)
    }

    /// Reads again only what a coding changes: the codebook with its counts, the
    /// documents' counts and codes, the undo labels. Much cheaper than [`Self::load`].
    pub fn reload_codings(&mut self, project: &Project, version: u64) -> StoreResult<()> {
        let conn = project.conn();
        let all_codes = codes::list(conn)?;
        let counts = code_counts(project)?;
        let paths = codes::paths(&all_codes);
        self.codes = code_entries(all_codes, &counts, &paths);
        self.code_index = self
            .codes
            .iter()
            .enumerate()
            .map(|(i, e)| (e.code.guid.clone(), i))
            .collect();
        let coder = self.coder.as_ref().map(|c| c.guid.clone());
        self.document_codings = codings::counts_by_document(
            conn,
            if crate::team::blind::is_blind(conn)? {
                coder.as_ref()
            } else {
                None
            },
        )?;
        self.document_my_codings = codings::counts_by_document(conn, coder.as_ref())?;
        self.document_codes.clear();
        for (doc, code) in codings::codes_by_document(conn)? {
            self.document_codes.entry(doc).or_default().push(code);
        }
        self.undo_label = project.undo_label()?;
        self.redo_label = project.redo_label()?;
        self.version = version;
        Ok(())
    }

    /// A code by GUID.
    pub fn code(&self, guid: &CodeId) -> Option<&CodeEntry> {
        self.code_index.get(guid).map(|&i| &self.codes[i])
    }

    /// A document by GUID.
    pub fn document(&self, guid: &DocumentId) -> Option<&DocumentInfo> {
        self.documents.iter().find(|d| &d.guid == guid)
    }

    /// A respondent by GUID.
    pub fn respondent(&self, guid: &RespondentId) -> Option<&Respondent> {
        self.respondents.iter().find(|r| &r.guid == guid)
    }

    /// A coder's name by GUID.
    pub fn coder_name(&self, guid: &CoderId) -> &str {
        self.coders
            .iter()
            .find(|c| &c.guid == guid)
            .map(|c| c.name.as_str())
            .unwrap_or("?")
    }

    /// Whether the project holds survey answers.
    pub fn has_survey(&self) -> bool {
        !self.survey.questions.is_empty()
    }

    /// For a pole: its controversy and which side it is (0 or 1).
    pub fn pole_side(&self, guid: &CodeId) -> Option<(&CodeEntry, usize)> {
        let entry = self.code(guid)?;
        if entry.code.kind != CodeKind::Pole {
            return None;
        }
        let parent = self.code(entry.code.parent_guid.as_ref()?)?;
        let side = parent.children.iter().position(|c| c == guid)?;
        Some((parent, side))
    }

    /// Attribute values of a document's respondent and of the document itself, merged.
    pub fn values_of_document(&self, doc: &DocumentInfo) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        if let Some(values) = doc
            .respondent_guid
            .as_ref()
            .and_then(|r| self.respondent_values.get(r.as_str()))
        {
            out.extend(values.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        if let Some(values) = self.document_values.get(doc.guid.as_str()) {
            out.extend(values.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        out
    }

    /// Every attribute name with the distinct values it takes (for filters), sorted.
    pub fn attribute_choices(&self) -> BTreeMap<String, BTreeSet<String>> {
        let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for values in self
            .respondent_values
            .values()
            .chain(self.document_values.values())
        {
            for (k, v) in values {
                if k != QUESTION_ATTRIBUTE {
                    out.entry(k.clone()).or_default().insert(v.clone());
                }
            }
        }
        out
    }
}

/// The open document: its text and codings.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentContent {
    /// Document GUID.
    pub guid: DocumentId,
    /// Hash of the text (the text is read again only when it changes).
    pub content_hash: String,
    /// The text, as stored.
    pub text: String,
    /// Its live codings (every coder).
    pub codings: Vec<Coding>,
    /// The cache version it was read at.
    pub version: u64,
    /// Set for one sync when only some codings changed since `version` was the first
    /// number: the view may patch its highlights instead of rebuilding them.
    pub patch: Option<(u64, Vec<CodingId>)>,
}

impl DocumentContent {
    /// Reads a document; keeps `previous`'s text when the document's text did not change.
    pub fn load(
        project: &Project,
        guid: &DocumentId,
        previous: Option<DocumentContent>,
        version: u64,
    ) -> StoreResult<DocumentContent> {
        let conn = project.conn();
        let info = documents::get(conn, guid)?;
        let text = match previous {
            Some(p) if &p.guid == guid && p.content_hash == info.content_hash => p.text,
            _ => documents::text(conn, guid)?,
        };
        Ok(DocumentContent {
            guid: guid.clone(),
            content_hash: info.content_hash,
            text,
            codings: codings::for_document(conn, guid)?,
            version,
            patch: None,
        })
    }
}

/// Live codings per code: everyone's, or with blinded coding on only the acting coder's.
fn code_counts(project: &Project) -> StoreResult<HashMap<CodeId, usize>> {
    let conn = project.conn();
    if !crate::team::blind::is_blind(conn)? {
        return codes::coding_counts(conn);
    }
    let filter = crate::store::excerpts::ExcerptFilter {
        coders: vec![project.coder()?.guid],
        ..Default::default()
    };
    let mut counts: HashMap<CodeId, usize> = HashMap::new();
    for e in crate::store::excerpts::excerpts(conn, &filter)? {
        *counts.entry(e.coding.code_guid).or_default() += 1;
    }
    Ok(counts)
}

fn code_entries(
    all: Vec<Code>,
    counts: &HashMap<CodeId, usize>,
    paths: &HashMap<CodeId, String>,
) -> Vec<CodeEntry> {
    let index: HashMap<CodeId, usize> = all
        .iter()
        .enumerate()
        .map(|(i, c)| (c.guid.clone(), i))
        .collect();
    let mut entries: Vec<CodeEntry> = all
        .iter()
        .map(|c| CodeEntry {
            code: c.clone(),
            depth: 0,
            path: paths
                .get(&c.guid)
                .cloned()
                .unwrap_or_else(|| c.name.clone()),
            count: counts.get(&c.guid).copied().unwrap_or(0),
            total: 0,
            children: Vec::new(),
        })
        .collect();
    for i in 0..entries.len() {
        if let Some(&p) = entries[i]
            .code
            .parent_guid
            .as_ref()
            .and_then(|p| index.get(p))
        {
            entries[i].depth = entries[p].depth + 1;
            let guid = entries[i].code.guid.clone();
            entries[p].children.push(guid);
        }
    }
    // Tree order puts descendants after their ancestor: sum from the end.
    for i in (0..entries.len()).rev() {
        entries[i].total += entries[i].count;
        if let Some(&p) = entries[i]
            .code
            .parent_guid
            .as_ref()
            .and_then(|p| index.get(p))
        {
            let t = entries[i].total;
            entries[p].total += t;
        }
    }
    entries
}

fn survey_index(
    documents: &[DocumentInfo],
    values: &BTreeMap<String, BTreeMap<String, String>>,
) -> SurveyIndex {
    let mut questions: Vec<String> = Vec::new();
    let mut by_respondent: BTreeMap<RespondentId, BTreeMap<String, DocumentId>> = BTreeMap::new();
    let mut order: Vec<RespondentId> = Vec::new();
    for doc in documents
        .iter()
        .filter(|d| d.kind == DocumentKind::SurveyAnswer)
    {
        let Some(question) = values
            .get(doc.guid.as_str())
            .and_then(|v| v.get(QUESTION_ATTRIBUTE))
        else {
            continue;
        };
        let Some(respondent) = &doc.respondent_guid else {
            continue;
        };
        if !questions.contains(question) {
            questions.push(question.clone());
        }
        if !by_respondent.contains_key(respondent) {
            order.push(respondent.clone());
        }
        by_respondent
            .entry(respondent.clone())
            .or_default()
            .insert(question.clone(), doc.guid.clone());
    }
    let rows = order
        .into_iter()
        .map(|r| {
            let answers = &by_respondent[&r];
            let cells = questions.iter().map(|q| answers.get(q).cloned()).collect();
            (r, cells)
        })
        .collect();
    SurveyIndex { questions, rows }
}
