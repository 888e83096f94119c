//! Loading a generated corpus: through Fouille's store (the import being measured) and as
//! raw SQL inserts of the same rows (the physical floor).

use rusqlite::{Connection, params};
use std::path::Path;

use super::corpus::{ATTRIBUTES, Corpus};
use crate::model::{AttributeScope, AttributeType, DocumentKind, text::fold_for_search};
use crate::store::codes::NewCode;
use crate::store::coding_writer::{CodingWriter, WriterRow};
use crate::store::documents::NewDocument;
use crate::store::respondents::NewRespondent;
use crate::store::{Project, StoreResult, attributes, coders, codes, documents, respondents};

/// Imports the corpus into a new project at `path` through the store, in one transaction.
pub fn import(path: &Path, corpus: &Corpus) -> StoreResult<Project> {
    let mut project = Project::create(path, "Banc d'essai", Some(&corpus.coders[0]))?;
    project.bulk_action(|tx| {
        let mut parents: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
        for (guid, parent, name, kind) in &corpus.extra_codes {
            let parent_guid = if parent.is_empty() {
                None
            } else {
                if !parents.contains_key(parent.as_str()) {
                    parents.insert(parent, codes::resolve(tx.conn, parent)?.guid);
                }
                parents.get(parent.as_str()).cloned()
            };
            let mut new = NewCode::new(name, *kind, parent_guid.as_deref());
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
                attributes::set_value(tx, attr, &r.guid, Some(value))?;
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

/// Inserts the same rows with plain prepared INSERTs into a file with the same schema, in
/// one transaction with the project's SQLite settings, and no checks, no triggers, no
/// lookups: the floor an import can approach. The search index rows are inserted too, since
/// the import builds them.
pub fn raw_insert(path: &Path, corpus: &Corpus) -> StoreResult<()> {
    drop(Project::create(path, "Plancher", Some(&corpus.coders[0]))?);
    let mut conn = Connection::open(path)?;
    conn.execute_batch(
        // The project's own settings (page cache included), so the floor is not slowed by
        // a smaller cache than the import gets.
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -32000;",
    )?;
    let tx = conn.transaction()?;
    let now = crate::model::now_ms();
    {
        let mut code = tx.prepare("INSERT INTO codes (guid, parent_id, name, kind, color, created_at, modified_at) VALUES (?1, NULL, ?2, ?3, '#888888', ?4, ?4)")?;
        for (guid, _, name, kind) in &corpus.extra_codes {
            code.execute(params![guid, name, kind.as_str(), now])?;
        }
        let mut coder = tx
            .prepare("INSERT OR IGNORE INTO coders (guid, name, created_at) VALUES (?1, ?2, ?3)")?;
        for (i, c) in corpus.coders.iter().enumerate() {
            coder.execute(params![format!("00000000-0000-4000-8000-{i:012}"), c, now])?;
        }
        let mut attr = tx.prepare("INSERT INTO attributes (guid, name, value_type, scope, created_at, modified_at) VALUES (?1, ?2, 'text', 'respondent', ?3, ?3)")?;
        let mut attr_ids = Vec::new();
        for (i, name) in ATTRIBUTES.iter().enumerate() {
            attr.execute(params![
                format!("00000000-0000-4000-9000-{i:012}"),
                name,
                now
            ])?;
            attr_ids.push(tx.last_insert_rowid());
        }
        let mut resp = tx.prepare("INSERT INTO respondents (guid, name, consent, created_at, modified_at) VALUES (?1, ?2, 'given', ?3, ?3)")?;
        let mut value = tx.prepare("INSERT INTO attribute_values (attribute_id, owner_id, value, modified_at) VALUES (?1, ?2, ?3, ?4)")?;
        let mut resp_ids = Vec::new();
        for r in &corpus.respondents {
            resp.execute(params![r.guid, r.name, now])?;
            let id = tx.last_insert_rowid();
            resp_ids.push(id);
            for (a, v) in attr_ids.iter().zip(&r.values) {
                value.execute(params![a, id, v, now])?;
            }
        }
        let mut doc = tx.prepare(
            "INSERT INTO documents (guid, name, kind, text, char_len, content_hash, origin, respondent_id, created_at, modified_at)
             VALUES (?1, ?2, 'transcript', ?3, ?4, ?5, 'bench', ?6, ?7, ?7)",
        )?;
        let mut fts = tx.prepare("INSERT INTO doc_fts (rowid, text) VALUES (?1, ?2)")?;
        let mut doc_ids = Vec::new();
        for d in &corpus.documents {
            doc.execute(params![
                d.guid,
                d.name,
                d.text,
                d.char_len as i64,
                documents::content_hash(&d.text),
                resp_ids[d.respondent],
                now
            ])?;
            let id = tx.last_insert_rowid();
            fts.execute(params![id, fold_for_search(&d.text)])?;
            doc_ids.push(id);
        }
        let code_id: std::collections::HashMap<String, i64> = {
            let mut stmt = tx.prepare("SELECT guid, id FROM codes")?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?
        };
        let mut coding = tx.prepare(
            "INSERT INTO codings (guid, document_id, code_id, start_char, end_char, created_by, created_at, modified_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?6)",
        )?;
        for c in &corpus.codings {
            coding.execute(params![
                c.guid,
                doc_ids[c.document],
                code_id[&c.code_guid],
                c.start_char as i64,
                c.end_char as i64,
                now
            ])?;
        }
    }
    tx.commit()?;
    Ok(())
}
