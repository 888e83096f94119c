//! Everything an export writes, read from the project in a handful of queries (one per
//! table: never one per coding).

use rusqlite::Connection;
use std::collections::{BTreeMap, HashMap, HashSet};

use super::ExportOptions;
use crate::model::{
    Attribute, AttributeScope, Code, Coder, Coding, Consent, DocumentInfo, Memo, MemoTarget,
    Respondent, RespondentId,
};
use crate::store::bulk::{ProvenanceTable, creators};
use crate::store::refi::{ProjectHeader, latest_change, project_header};
use crate::store::{
    StoreResult, attributes, coders, codes, codings, documents, memos, respondents,
};

/// The rows of one export, already filtered (consent) and in output order.
#[derive(Debug, Clone)]
pub struct ExportData {
    /// The name the user gave the project (the `Project` element's `name`).
    pub name: String,
    /// Project GUID (namespace of derived GUIDs).
    pub guid: String,
    /// When the project file was created (ms).
    pub created_at: i64,
    /// Latest change of any row, tombstones included, and never before `created_at` (ms).
    pub modified_at: i64,
    /// Only the coders who made an exported coding, memo or document.
    pub coders: Vec<Coder>,
    /// Every live code, parents before their children (the order `Code` elements nest in).
    pub codes: Vec<Code>,
    /// Every live attribute, of respondents and of documents, in definition order.
    pub attributes: Vec<Attribute>,
    /// Respondent values: respondent GUID → attribute name → value.
    pub respondent_values: BTreeMap<String, BTreeMap<String, String>>,
    /// Document values: document GUID → attribute name → value.
    pub document_values: BTreeMap<String, BTreeMap<String, String>>,
    /// All respondents but those who withdrew their consent (unless the options keep them).
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
    /// Reads the project: what `options` leaves out (withdrawn consent) is left out here,
    /// with what depends on it (codings, memos, values, coders), and counted.
    pub fn load(conn: &Connection, options: &ExportOptions) -> StoreResult<ExportData> {
        let ProjectHeader {
            name,
            guid,
            created_at,
        } = project_header(conn)?;
        let modified_at = latest_change(conn)?.unwrap_or(created_at).max(created_at);
        let (respondents, withdrawn) = exported_respondents(conn, options)?;
        let respondent_set: HashSet<&str> = respondents.iter().map(|r| r.guid.as_str()).collect();
        let all_documents = documents::list(conn)?;
        let total_documents = all_documents.len();
        let documents = exported_documents(all_documents, &withdrawn);
        let document_set: HashSet<&str> = documents.iter().map(|d| d.guid.as_str()).collect();
        let codings = exported_codings(conn, &documents)?;
        let codes = codes::list(conn)?;
        let all_memos = memos::list(conn)?;
        let total_memos = all_memos.len();
        let memos = exported_memos(all_memos, &codes, &codings, &document_set, &respondent_set);
        let mut respondent_values = attributes::values(conn, AttributeScope::Respondent)?;
        respondent_values.retain(|g, _| respondent_set.contains(g.as_str()));
        let mut document_values = attributes::values(conn, AttributeScope::Document)?;
        document_values.retain(|g, _| document_set.contains(g.as_str()));
        let document_creators = creators(conn, ProvenanceTable::Documents)?;
        let coders = exported_coders(conn, &codings, &memos, &documents, &document_creators)?;
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

/// The respondents to export, and the GUIDs of those left out: all of them, but those who
/// withdrew their consent unless `options` keeps them.
fn exported_respondents(
    conn: &Connection,
    options: &ExportOptions,
) -> StoreResult<(Vec<Respondent>, HashSet<RespondentId>)> {
    let (respondents, withdrawn): (Vec<Respondent>, Vec<Respondent>) = respondents::list(conn)?
        .into_iter()
        .partition(|r| r.consent != Consent::Withdrawn || options.include_withdrawn);
    Ok((respondents, withdrawn.into_iter().map(|r| r.guid).collect()))
}

/// The documents to export, in corpus order: all but those of a respondent left out
/// (`withdrawn`).
fn exported_documents(
    all_documents: Vec<DocumentInfo>,
    withdrawn: &HashSet<RespondentId>,
) -> Vec<DocumentInfo> {
    all_documents
        .into_iter()
        .filter(|d| {
            d.respondent_guid
                .as_ref()
                .is_none_or(|r| !withdrawn.contains(r))
        })
        .collect()
}

/// The codings of `documents`, sorted by document (in their order), then start and end.
fn exported_codings(conn: &Connection, documents: &[DocumentInfo]) -> StoreResult<Vec<Coding>> {
    let order: HashMap<&str, usize> = documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.guid.as_str(), i))
        .collect();
    let mut codings: Vec<Coding> = codings::list(conn)?
        .into_iter()
        .filter(|c| order.contains_key(c.document_guid.as_str()))
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
    Ok(codings)
}

/// The memos whose target is exported (the project, or an exported document, respondent,
/// code or coding).
fn exported_memos(
    all_memos: Vec<Memo>,
    codes: &[Code],
    codings: &[Coding],
    documents: &HashSet<&str>,
    respondents: &HashSet<&str>,
) -> Vec<Memo> {
    let code_set: HashSet<&str> = codes.iter().map(|c| c.guid.as_str()).collect();
    let coding_set: HashSet<&str> = codings.iter().map(|c| c.guid.as_str()).collect();
    all_memos
        .into_iter()
        .filter(|m| match &m.target {
            MemoTarget::Project => true,
            MemoTarget::Document(g) => documents.contains(g.as_str()),
            MemoTarget::Respondent(g) => respondents.contains(g.as_str()),
            MemoTarget::Code(g) => code_set.contains(g.as_str()),
            MemoTarget::Coding(g) => coding_set.contains(g.as_str()),
        })
        .collect()
}

/// Only the coders whose work is exported: a project made from another tool's file holds
/// the coder who imported it, who coded nothing and is nobody to the readers.
fn exported_coders(
    conn: &Connection,
    codings: &[Coding],
    memos: &[Memo],
    documents: &[DocumentInfo],
    document_creators: &HashMap<String, String>,
) -> StoreResult<Vec<Coder>> {
    let mut coders = coders::list(conn)?;
    let referenced: HashSet<&str> = codings
        .iter()
        .map(|c| c.created_by.as_str())
        .chain(memos.iter().map(|m| m.created_by.as_str()))
        .chain(
            documents
                .iter()
                .filter_map(|d| document_creators.get(d.guid.as_str()).map(String::as_str)),
        )
        .collect();
    coders.retain(|c| referenced.contains(c.guid.as_str()));
    Ok(coders)
}
