//! Loading a generated corpus: through Fouille's store (the import being measured) and as
//! raw SQL inserts of the same rows (the physical floor).

use std::path::Path;

use super::corpus::{ATTRIBUTES, Corpus};
use crate::model::{AttributeScope, AttributeType, CodeId, DocumentKind};
use crate::store::codes::NewCode;
use crate::store::coding_writer::{CodingWriter, WriterRow};
use crate::store::documents::NewDocument;
use crate::store::floor::{FloorCode, FloorCoding, FloorDocument, FloorRespondent, FloorRows};
use crate::store::respondents::NewRespondent;
use crate::store::{Project, StoreResult, attributes, coders, codes, documents, respondents};

/// Imports the corpus into a new project at `path` through the store, in one transaction.
pub fn import(path: &Path, corpus: &Corpus) -> StoreResult<Project> {
    let mut project = Project::create(path, "Banc d'essai", Some(&corpus.coders[0]))?;
    project.bulk_action(|tx| {
        let mut parents: std::collections::HashMap<&str, CodeId> = std::collections::HashMap::new();
        for (guid, parent, name, kind) in &corpus.extra_codes {
            let parent_guid = if parent.is_empty() {
                None
            } else {
                if !parents.contains_key(parent.as_str()) {
                    parents.insert(parent, codes::resolve(tx.conn, parent)?.guid);
                }
                parents.get(parent.as_str()).cloned()
            };
            let mut new = NewCode::new(name, *kind, parent_guid.as_ref());
            new.guid = Some(guid.clone());
            codes::insert(tx, new)?;
        }
        let coder_ids: Vec<i64> = corpus
            .coders
            .iter()
            .map(|c| coders::ensure(tx.conn, c).map(|(id, _)| id))
            .collect::<Result<_, _>>()?;
        let attrs: Vec<String> = ATTRIBUTES
            .iter()
            .map(|name| {
                let t = match *name {
                    "age" | "seniority_years" => AttributeType::Integer,
                    "interview_date" => AttributeType::Date,
                    _ => AttributeType::Text,
                };
                attributes::define(tx, name, t, AttributeScope::Respondent, None).map(|a| a.guid)
            })
            .collect::<Result<_, _>>()?;
        for r in &corpus.respondents {
            respondents::insert(
                tx,
                NewRespondent {
                    guid: Some(r.guid.clone()),
                    name: r.name.clone(),
                    pseudonym: String::new(),
                    consent: crate::model::Consent::Given,
                },
            )?;
            for (attr, value) in attrs.iter().zip(&r.values) {
                attributes::set_value(tx, attr, r.guid.as_str(), Some(value))?;
            }
        }
        for d in &corpus.documents {
            documents::insert(
                tx,
                NewDocument {
                    guid: Some(d.guid.clone()),
                    name: d.name.clone(),
                    kind: DocumentKind::Transcript,
                    text: d.text.clone(),
                    origin: "bench".into(),
                    media_path: None,
                    respondent_guid: Some(corpus.respondents[d.respondent].guid.clone()),
                },
            )?;
        }
        let mut writer = CodingWriter::new(tx)?;
        for c in &corpus.codings {
            writer.insert(&WriterRow {
                guid: &c.guid,
                document_guid: &corpus.documents[c.document].guid,
                code_guid: &c.code_guid,
                start_char: c.start_char,
                end_char: c.end_char,
                coder_id: coder_ids[c.coder],
                created_at: tx.now_ms,
                modified_at: tx.now_ms,
                source_project: "",
            })?;
        }
        Ok(())
    })?;
    Ok(project)
}

/// Writes the same rows as [`import`] with plain prepared INSERTs (see
/// [`crate::store::floor`]): the floor an import can approach.
pub fn raw_insert(path: &Path, corpus: &Corpus) -> StoreResult<()> {
    let rows = FloorRows {
        coders: corpus.coders.iter().map(String::as_str).collect(),
        codes: corpus
            .extra_codes
            .iter()
            .map(|(guid, _, name, kind)| FloorCode {
                guid,
                name,
                kind: *kind,
            })
            .collect(),
        attributes: ATTRIBUTES.to_vec(),
        respondents: corpus
            .respondents
            .iter()
            .map(|r| FloorRespondent {
                guid: &r.guid,
                name: &r.name,
                values: &r.values,
            })
            .collect(),
        documents: corpus
            .documents
            .iter()
            .map(|d| FloorDocument {
                guid: &d.guid,
                name: &d.name,
                text: &d.text,
                char_len: d.char_len,
                respondent: d.respondent,
            })
            .collect(),
        codings: corpus
            .codings
            .iter()
            .map(|c| FloorCoding {
                guid: &c.guid,
                document: c.document,
                code: &c.code_guid,
                start_char: c.start_char,
                end_char: c.end_char,
            })
            .collect(),
    };
    crate::store::floor::raw_insert(path, &rows)
}
