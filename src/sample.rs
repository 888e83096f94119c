//! The bundled sample project: a fictional French field survey (`sample-data/`), coded with
//! the Réflexes publics codebook by two coders, so every feature has real data to show.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::import::files::{ImportError, SurveyColumns, import_survey_bytes};
use crate::model::{
    AttributeScope, AttributeType, CodeKind, Consent, DocumentId, DocumentKind, MemoTarget,
};
use crate::store::codes::NewCode;
use crate::store::documents::NewDocument;
use crate::store::respondents::NewRespondent;
use crate::store::{
    Project, Rule, StoreError, Tx, attributes, coders, codes, codings, documents, memos,
    respondents,
};

include!(concat!(env!("OUT_DIR"), "/sample_files.rs"));

/// Errors while building the sample.
#[derive(Debug, thiserror::Error)]
pub enum SampleError {
    /// A sample file is missing or malformed.
    #[error("sample data: {0}")]
    Data(String),
    /// Import failure.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// Store failure.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What the sample holds once built.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct SampleStats {
    /// Interview documents.
    pub interviews: usize,
    /// Survey answer documents.
    pub survey_answers: usize,
    /// Respondents.
    pub respondents: usize,
    /// Codes in the codebook.
    pub codes: usize,
    /// Codings.
    pub codings: usize,
    /// Memos.
    pub memos: usize,
}

/// The sample files compiled into the binary: relative path → bytes.
pub fn embedded_files() -> BTreeMap<String, Vec<u8>> {
    SAMPLE_FILES
        .iter()
        .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
        .collect()
}

/// Reads a sample-data directory: relative path (with `/`) → bytes.
pub fn files_from_dir(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, SampleError> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(root, &path, out)?;
            } else if let Ok(rel) = path.strip_prefix(root) {
                let key = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(key, std::fs::read(&path)?);
            }
        }
        Ok(())
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out).map_err(|e| SampleError::Data(format!("{}: {e}", dir.display())))?;
    Ok(out)
}

fn csv_rows(
    files: &BTreeMap<String, Vec<u8>>,
    name: &str,
) -> Result<Vec<BTreeMap<String, String>>, SampleError> {
    let bytes = files
        .get(name)
        .ok_or_else(|| SampleError::Data(format!("{name} is missing")))?;
    let text = crate::import::encoding::decode_text(bytes)
        .map_err(|e| SampleError::Data(format!("{name}: {e}")))?
        .text;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| SampleError::Data(format!("{name}: {e}")))?
        .clone();
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| SampleError::Data(format!("{name}: {e}")))?;
        out.push(
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.trim().to_string(), v.to_string()))
                .collect(),
        );
    }
    Ok(out)
}

fn field<'a>(row: &'a BTreeMap<String, String>, key: &str) -> &'a str {
    row.get(key).map(|s| s.trim()).unwrap_or("")
}

/// Builds the coded sample project at `path` (which must not exist) from sample files. The
/// project is built under a temporary name and renamed when complete, so a failure leaves
/// nothing behind.
pub fn build_sample(
    path: &Path,
    files: &BTreeMap<String, Vec<u8>>,
) -> Result<SampleStats, SampleError> {
    if path.exists() {
        let path = path.display().to_string();
        return Err(StoreError::Exists { path }.into());
    }
    let mut partial = path.as_os_str().to_os_string();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let _ = std::fs::remove_file(&partial);
    let result = build_into(&partial, files);
    match result {
        Ok(stats) => {
            std::fs::rename(&partial, path).map_err(|e| StoreError::Io {
                path: path.display().to_string(),
                source: e,
            })?;
            Ok(stats)
        }
        Err(e) => {
            for suffix in ["", "-wal", "-shm", ".lock"] {
                let mut p = partial.as_os_str().to_os_string();
                p.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(p));
            }
            Err(e)
        }
    }
}

fn build_into(path: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<SampleStats, SampleError> {
    let mut project =
        Project::create(path, "Réflexes publics — échantillon", Some("Claire Morel"))?;
    let respondent_rows = csv_rows(files, "respondents.csv")?;
    let extra_codes = csv_rows(files, "codebook-extra.csv")?;
    let coding_rows = csv_rows(files, "codings.csv")?;
    let mut parsed = Vec::new();
    for row in &respondent_rows {
        let file = field(row, "file");
        let key = format!("interviews/{file}");
        let bytes = files
            .get(&key)
            .ok_or_else(|| SampleError::Data(format!("{key} is missing")))?;
        let ext = Path::new(file)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("");
        let doc = crate::import::parse_by_extension(ext, bytes)
            .map_err(|e| SampleError::Data(format!("{key}: {e}")))?;
        parsed.push((row, file.to_string(), doc));
    }
    project.bulk_action(|tx| {
        crate::templates::load(tx, &crate::templates::reflexes_publics())?;
        for row in &extra_codes {
            let full = field(row, "path");
            let (parent, name) = match full.rsplit_once('/') {
                Some((p, n)) => (Some(codes::resolve(tx.conn, p)?.guid), n),
                None => (None, full),
            };
            let kind = CodeKind::parse(field(row, "kind")).unwrap_or(CodeKind::Theme);
            let mut new = NewCode::new(name, kind, parent.as_ref());
            new.color = Some(field(row, "color").to_string()).filter(|c| !c.is_empty());
            new.description = field(row, "description").to_string();
            codes::insert(tx, new)?;
        }
        let mut attrs = BTreeMap::new();
        for (name, t) in [
            ("role", AttributeType::Text),
            ("organisation_type", AttributeType::Text),
            ("territory", AttributeType::Text),
            ("interview_date", AttributeType::Date),
            ("interviewer", AttributeType::Text),
        ] {
            attrs.insert(
                name,
                attributes::define(tx, name, t, AttributeScope::Respondent, None)?.guid,
            );
        }
        for (row, file, doc) in &parsed {
            let respondent = respondents::insert(
                tx,
                NewRespondent {
                    guid: None,
                    name: field(row, "name").to_string(),
                    pseudonym: field(row, "pseudonym").to_string(),
                    consent: Consent::parse(field(row, "consent")).unwrap_or(Consent::Pending),
                },
            )?;
            for (name, guid) in &attrs {
                attributes::set_value(tx, guid, respondent.as_str(), Some(field(row, name)))?;
            }
            let stem = Path::new(file)
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            documents::insert(
                tx,
                NewDocument {
                    guid: None,
                    name: stem,
                    kind: if doc.is_transcript {
                        DocumentKind::Transcript
                    } else {
                        DocumentKind::Interview
                    },
                    text: doc.text.clone(),
                    origin: format!("sample-data/interviews/{file}"),
                    media_path: None,
                    respondent_guid: Some(respondent),
                },
            )?;
        }
        apply_sample_codings(tx, &coding_rows)?;
        Ok(())
    })?;
    if let Some(bytes) = files.get("survey.csv") {
        let columns = SurveyColumns {
            id_column: "id".into(),
            answer_columns: vec![
                "q1_difficultes".into(),
                "q2_cooperation".into(),
                "q3_suggestion".into(),
            ],
            attribute_columns: vec!["age".into(), "service".into(), "territoire".into()],
        };
        import_survey_bytes(
            &mut project,
            bytes,
            &PathBuf::from("sample-data/survey.csv"),
            &columns,
        )?;
    }
    crate::store::history::clear(project.conn())?;
    project.checkpoint()?;
    let counts = crate::store::stats::counts(project.conn())?;
    Ok(SampleStats {
        interviews: counts.interviews,
        survey_answers: counts.survey_answers,
        respondents: counts.respondents,
        codes: counts.codes,
        codings: counts.codings,
        memos: counts.memos,
    })
}

fn apply_sample_codings(tx: &Tx, rows: &[BTreeMap<String, String>]) -> Result<(), StoreError> {
    let docs = documents::list(tx.conn)?;
    let mut texts: BTreeMap<String, (DocumentId, String)> = BTreeMap::new();
    for d in &docs {
        if let Some(file) = d.origin.strip_prefix("sample-data/interviews/") {
            texts.insert(
                file.to_string(),
                (d.guid.clone(), documents::text(tx.conn, &d.guid)?),
            );
        }
    }
    for (i, row) in rows.iter().enumerate() {
        let line = i + 2;
        let file = field(row, "file");
        let (doc_guid, text) = texts.get(file).ok_or_else(|| Rule::SampleFileUnknown {
            line,
            file: file.to_string(),
        })?;
        let quote = field(row, "quote");
        let Some(byte_start) = text.find(quote).filter(|_| !quote.is_empty()) else {
            return Err(Rule::SampleQuoteMissing {
                line,
                file: file.to_string(),
                quote: quote.to_string(),
            }
            .into());
        };
        let start = text[..byte_start].chars().count();
        let end = start + quote.chars().count();
        let code = codes::resolve(tx.conn, field(row, "code"))?;
        let (coder_id, _) = coders::ensure(tx.conn, field(row, "coder"))?;
        let as_coder = Tx {
            conn: tx.conn,
            coder_id,
            now_ms: tx.now_ms,
        };
        let guid = codings::apply(&as_coder, doc_guid, &code.guid, start, end)?;
        let memo = field(row, "memo");
        if !memo.is_empty() {
            memos::add(&as_coder, &MemoTarget::Coding(guid), memo, None)?;
        }
    }
    Ok(())
}
