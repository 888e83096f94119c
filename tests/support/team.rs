//! Helpers of the team tests: a fixed clock, copies of a project for each coder,
//! fingerprint comparison, the bundled interviews.

use fouille::model::{CodeId, CodeKind, CodingId, DocumentId, DocumentKind};
use fouille::store::codes::NewCode;
use fouille::store::documents::NewDocument;
use fouille::store::{OpenOptions, Project, StoreResult, Tx, codes, codings, documents};
use fouille::team::snapshot::open_read_only;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// A fixed clock for the tests: every action is stamped explicitly.
pub const T0: i64 = 1_750_000_000_000;

/// Runs one action at time `t` as the project's acting coder (no undo step).
pub fn at<T>(p: &mut Project, t: i64, f: impl FnOnce(&Tx) -> StoreResult<T>) -> StoreResult<T> {
    p.bulk_action(|tx| {
        f(&Tx {
            conn: tx.conn,
            coder_id: tx.coder_id,
            now_ms: t,
        })
    })
}

/// Closes `p` and copies its file to each destination (a coder's copy).
pub fn distribute(p: Project, dests: &[&Path]) {
    p.checkpoint().unwrap();
    let from = p.path().to_path_buf();
    drop(p);
    for d in dests {
        std::fs::copy(&from, d).unwrap();
    }
}

/// Opens a copy as a coder.
pub fn open_as(path: &Path, coder: &str) -> Project {
    Project::open_with(
        path,
        &OpenOptions {
            coder: Some(coder.into()),
            ..OpenOptions::default()
        },
    )
    .unwrap()
}

/// Asserts two fingerprints are equal, showing the lines that differ.
pub fn assert_same(left: &[String], right: &[String], what: &str) {
    if left != right {
        let l: HashSet<&String> = left.iter().collect();
        let r: HashSet<&String> = right.iter().collect();
        let only_left: Vec<_> = left.iter().filter(|x| !r.contains(x)).take(8).collect();
        let only_right: Vec<_> = right.iter().filter(|x| !l.contains(x)).take(8).collect();
        panic!(
            "{what}: fingerprints differ\nonly left: {only_left:#?}\nonly right: {only_right:#?}"
        );
    }
}

/// The first `n` interviews of the bundled sample, parsed by the real importers.
pub fn interviews(n: usize) -> Vec<(String, String)> {
    let files = fouille::sample::embedded_files();
    files
        .iter()
        .filter(|(k, _)| k.starts_with("interviews/"))
        .take(n)
        .map(|(k, bytes)| {
            let ext = Path::new(k)
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("");
            let parsed = fouille::import::parse_by_extension(ext, bytes).unwrap();
            (k.trim_start_matches("interviews/").to_string(), parsed.text)
        })
        .collect()
}

pub fn code(p: &Project, path: &str) -> CodeId {
    codes::resolve(p.conn(), path).unwrap().guid
}

pub fn doc_guids(p: &Project) -> Vec<DocumentId> {
    documents::list(p.conn())
        .unwrap()
        .into_iter()
        .map(|d| d.guid)
        .collect()
}

/// Codes `[start, start + len)` of document `doc` with `code` at time `t`.
pub fn apply(
    p: &mut Project,
    t: i64,
    doc: &DocumentId,
    code: &CodeId,
    start: usize,
    len: usize,
) -> CodingId {
    let (doc, code) = (doc.clone(), code.clone());
    at(p, t, |tx| {
        codings::apply(tx, &doc, &code, start, start + len)
    })
    .unwrap()
}

/// Live codings of a project file: GUID → (document, code, start, end, coder name).
pub fn live_codings(path: &Path) -> BTreeMap<CodingId, (DocumentId, CodeId, usize, usize, String)> {
    let conn = open_read_only(path).unwrap();
    let coder_names: BTreeMap<fouille::model::CoderId, String> =
        fouille::store::coders::list(&conn)
            .unwrap()
            .into_iter()
            .map(|c| (c.guid, c.name))
            .collect();
    codings::list(&conn)
        .unwrap()
        .into_iter()
        .map(|c| {
            (
                c.guid,
                (
                    c.document_guid,
                    c.code_guid,
                    c.start_char,
                    c.end_char,
                    coder_names[&c.created_by].clone(),
                ),
            )
        })
        .collect()
}

/// A project with one document and one code, created by « Lead » at `T0`.
pub fn single_doc_project(path: &Path, text: &str) -> (Project, DocumentId, CodeId) {
    let mut p = Project::create(path, "Transcriptions", Some("Lead")).unwrap();
    let (doc, code) = at(&mut p, T0, |tx| {
        let doc = documents::insert(
            tx,
            NewDocument {
                guid: None,
                name: "entretien-07".into(),
                kind: DocumentKind::Transcript,
                text: text.into(),
                origin: String::new(),
                media_path: None,
                respondent_guid: None,
            },
        )?;
        let code = codes::insert(tx, NewCode::new("Réorganisation", CodeKind::Theme, None))?;
        Ok((doc, code))
    })
    .unwrap();
    (p, doc, code)
}

/// Imports a text as interview `name` at time `t`; returns its GUID.
pub fn import(p: &mut Project, t: i64, name: &str, text: &str) -> DocumentId {
    at(p, t, |tx| {
        documents::insert(
            tx,
            NewDocument {
                guid: None,
                name: name.into(),
                kind: DocumentKind::Interview,
                text: text.into(),
                origin: format!("{name}.txt"),
                media_path: None,
                respondent_guid: None,
            },
        )
    })
    .unwrap()
}
