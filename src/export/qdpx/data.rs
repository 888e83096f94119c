//! Everything an export writes, read from the project in a handful of queries (one per
//! table: never one per coding).

use rusqlite::Connection;
use std::collections::{BTreeMap, HashMap, HashSet};

use super::ExportOptions;
use crate::model::{
    Attribute, AttributeScope, Code, Coder, Coding, Consent, DocumentInfo, Memo, MemoTarget,
    Respondent,
};
use crate::store::bulk::{ProvenanceTable, creators};
use crate::store::{
    StoreResult, attributes, coders, codes, codings, documents, memos, respondents,
};

/// The rows of one export, already filtered (consent) and in output order.
#[derive(Debug, Clone)]
pub struct ExportData {
    /// Project name.
    pub name: String,
    /// Project GUID (namespace of derived GUIDs).
    pub guid: String,
    /// Project creation time (ms).
    pub created_at: i64,
    /// Latest change of any exported row (ms).
    pub modified_at: i64,
    /// Coders.
    pub coders: Vec<Coder>,
    /// Codes in tree order.
    pub codes: Vec<Code>,
    /// Attributes (both scopes).
    pub attributes: Vec<Attribute>,
    /// Respondent values: respondent GUID → attribute name → value.
    pub respondent_values: BTreeMap<String, BTreeMap<String, String>>,
    /// Document values: document GUID → attribute name → value.
    pub document_values: BTreeMap<String, BTreeMap<String, String>>,
    /// Respondents exported.
    pub respondents: Vec<Respondent>,
    /// Documents exported, in corpus order.
    pub documents: Vec<DocumentInfo>,
    /// Author of each document: document GUID → coder GUID.
    pub document_creators: HashMap<String, String>,
    /// Codings of exported documents, by document then start.
    pub codings: Vec<Coding>,
    /// Memos whose target is exported.
    pub memos: Vec<Memo>,
    /// Documents left out (withdrawn consent).
    pub withdrawn_documents_left_out: usize,
    /// Memos left out (their target was left out or is gone).
    pub memos_left_out: usize,
}

impl ExportData {
    /// Reads the project.
    pub fn load(conn: &Connection, options: &ExportOptions) -> StoreResult<ExportData> {
        let (name, guid, created_at): (String, String, i64) =
            conn.query_row("SELECT name, guid, created_at FROM project", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        let mut modified_at: i64 = conn.query_row(
            "SELECT max(m) FROM (SELECT max(modified_at) AS m FROM codes UNION ALL SELECT max(modified_at) FROM codings
             UNION ALL SELECT max(modified_at) FROM documents UNION ALL SELECT max(modified_at) FROM respondents
             UNION ALL SELECT max(modified_at) FROM memos UNION ALL SELECT max(modified_at) FROM attributes
             UNION ALL SELECT max(modified_at) FROM attribute_values)",
            [],
            |r| r.get::<_, Option<i64>>(0),
        )?
        .unwrap_or(created_at);
        modified_at = modified_at.max(created_at);
        let all_respondents = respondents::list(conn)?;
        let withdrawn: HashSet<String> = all_respondents
            .iter()
            .filter(|r| r.consent == Consent::Withdrawn && !options.include_withdrawn)
            .map(|r| r.guid.clone())
            .collect();
        let respondents: Vec<Respondent> = all_respondents
            .into_iter()
            .filter(|r| !withdrawn.contains(&r.guid))
            .collect();
        let all_documents = documents::list(conn)?;
        let total_documents = all_documents.len();
        let documents: Vec<DocumentInfo> = all_documents
            .into_iter()
            .filter(|d| {
                d.respondent_guid
                    .as_ref()
                    .is_none_or(|r| !withdrawn.contains(r))
            })
            .collect();
        let document_set: HashSet<&str> = documents.iter().map(|d| d.guid.as_str()).collect();
        let order: HashMap<&str, usize> = documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.guid.as_str(), i))
            .collect();
        let mut codings: Vec<Coding> = codings::list(conn)?
            .into_iter()
            .filter(|c| document_set.contains(c.document_guid.as_str()))
            .collect();
        codings.sort_by_key(|c| {
            (
                order
                    .get(c.document_guid.as_str())
                    .copied()
                    .unwrap_or(usize::MAX),
                c.start_char,
                c.end_char,
            )
        });
        let codes = codes::list(conn)?;
        let code_set: HashSet<&str> = codes.iter().map(|c| c.guid.as_str()).collect();
        let coding_set: HashSet<&str> = codings.iter().map(|c| c.guid.as_str()).collect();
        let respondent_set: HashSet<&str> = respondents.iter().map(|r| r.guid.as_str()).collect();
        let all_memos = memos::list(conn)?;
        let total_memos = all_memos.len();
        let memos: Vec<Memo> = all_memos
            .into_iter()
            .filter(|m| match &m.target {
                MemoTarget::Project => true,
                MemoTarget::Document(g) => document_set.contains(g.as_str()),
                MemoTarget::Respondent(g) => respondent_set.contains(g.as_str()),
                MemoTarget::Code(g) => code_set.contains(g.as_str()),
                MemoTarget::Coding(g) => coding_set.contains(g.as_str()),
            })
            .collect();
        let mut respondent_values = attributes::values(conn, AttributeScope::Respondent)?;
        respondent_values.retain(|g, _| respondent_set.contains(g.as_str()));
        let mut document_values = attributes::values(conn, AttributeScope::Document)?;
        document_values.retain(|g, _| document_set.contains(g.as_str()));
        let document_creators = creators(conn, ProvenanceTable::Documents)?;
        // Only the coders whose work is exported: a project made from another tool's file
        // holds the coder who imported it, who coded nothing and is nobody to the readers.
        let mut coders = coders::list(conn)?;
        let referenced: std::collections::HashSet<&str> = codings
            .iter()
            .map(|c| c.created_by.as_str())
            .chain(memos.iter().map(|m| m.created_by.as_str()))
            .chain(
                documents
                    .iter()
                    .filter_map(|d| document_creators.get(&d.guid).map(String::as_str)),
            )
            .collect();
        coders.retain(|c| referenced.contains(c.guid.as_str()));
        Ok(ExportData {
            name,
            guid,
            created_at,
            modified_at,
            coders,
            attributes: attributes::list(conn, None)?,
            respondent_values,
            document_values,
            withdrawn_documents_left_out: total_documents - documents.len(),
            memos_left_out: total_memos - memos.len(),
            document_creators,
            respondents,
            documents,
            codings,
            codes,
            memos,
        })
    }
}
