//! Writing documents and their codings (part of [`super::write`]): a document with the same
//! text is merged, one whose text differs comes in as a copy; codings go in with one
//! prepared statement, exact duplicates skipped.

use rusqlite::Connection;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::plan::{PlannedCoding, PlannedDocument};
use super::report::NotImported;
use super::write::Writer;
use crate::model::{CodeId, CodingId, DocumentId, RespondentId};
use crate::refi::derived_guid;
use crate::store::bulk::{self, CodingRow, DocumentRow, ProvenanceTable, RowState};
use crate::store::documents::content_hash;
use crate::store::{StoreResult, codes, documents, respondents};

impl Writer<'_, '_> {
    /// Writes a document; returns its GUID in the project and whether its codings get new
    /// GUIDs, or `None` when it stays out (deleted here).
    fn document(
        &mut self,
        d: &PlannedDocument,
        text: String,
        states: &HashMap<String, RowState>,
    ) -> StoreResult<Option<(DocumentId, bool)>> {
        let respondent = d
            .respondent
            .clone()
            .filter(|r| self.respondents.contains(r));
        let hash = content_hash(&text);
        let mut guid = d.guid.clone();
        let mut copy = false;
        if states.contains_key(guid.as_str())
            && documents::get(self.tx.conn, &guid)?.content_hash != hash
        {
            guid = DocumentId::new(derived_guid(d.guid.as_str(), &format!("text:{hash}")));
            copy = true;
            self.report.remarks.push(format!(
                "document « {} »: its text differs from the project's: imported as a separate document",
                d.name
            ));
        }
        // `states` was read before this import wrote anything: a document already written
        // by it (the file names it twice) is found by GUID, and kept as written.
        let existing = states.get(guid.as_str()).copied().or_else(|| {
            documents::id_of(self.tx.conn, &guid)
                .ok()
                .map(|id| RowState {
                    id,
                    modified_at: i64::MAX,
                    deleted: false,
                })
        });
        let Some(state) = existing else {
            self.add_document(d, &guid, text, hash, respondent)?;
            return Ok(Some((guid, copy)));
        };
        let stays_in = self.merge_document(d, &guid, state, respondent)?;
        Ok(stays_in.then_some((guid, copy)))
    }

    /// Merges a document the project has (row `state`, GUID `guid`) with the file's: name
    /// and respondent updated when the file's version is newer and differs (or revives a
    /// tombstone), values merged. Returns false when it stays deleted here.
    fn merge_document(
        &mut self,
        d: &PlannedDocument,
        guid: &DocumentId,
        state: RowState,
        respondent: Option<RespondentId>,
    ) -> StoreResult<bool> {
        let created = d.stamp.created_at.unwrap_or(self.plan.file_date);
        let modified = d.stamp.modified_at.unwrap_or(created);
        let creator = self.coder(d.stamp.created_by.as_ref());
        let ours = documents::get(self.tx.conn, guid)?;
        let stated = d
            .stamp
            .modified_at
            .or(d.stamp.created_at)
            .unwrap_or(self.plan.compare_date);
        let newer = stated > state.modified_at;
        if state.deleted && !newer {
            self.report.kept.documents += 1;
            self.report.not_imported.push(NotImported {
                what: "document".into(),
                name: d.name.clone(),
                reason: "deleted in this project after the file was made: kept deleted, with its codings".into(),
            });
            return Ok(false);
        }
        let differs = ours.name != d.name || ours.respondent_guid != respondent;
        if newer && (differs || state.deleted) {
            let t = self.as_tx(creator, modified);
            documents::rename(&t, guid, &d.name)?;
            documents::set_respondent(&t, guid, respondent.as_ref())?;
            bulk::set_provenance(
                &t,
                ProvenanceTable::Documents,
                guid.as_str(),
                None,
                ours.created_at,
                modified,
                self.label,
                true,
            )?;
            self.report.updated.documents += 1;
        } else {
            self.report.kept.documents += 1;
        }
        self.set_values(guid.as_str(), &d.values, false)?;
        Ok(true)
    }

    /// Adds a document the project does not have, as `guid`, with its `text` (whose
    /// content hash is `hash`) and values: the row `documents::insert` then
    /// `bulk::set_provenance` would leave, in one statement.
    fn add_document(
        &mut self,
        d: &PlannedDocument,
        guid: &DocumentId,
        text: String,
        hash: String,
        respondent: Option<RespondentId>,
    ) -> StoreResult<()> {
        let created = d.stamp.created_at.unwrap_or(self.plan.file_date);
        let modified = d.stamp.modified_at.unwrap_or(created);
        let creator = self.coder(d.stamp.created_by.as_ref());
        // The plan's text is normally already normalised (then neither copied nor hashed
        // again).
        let (text, stored_hash) =
            if text.starts_with(crate::model::text::BOM) || text.contains('\r') {
                let normalised = crate::model::text::normalize_text(&text);
                let hash = content_hash(&normalised);
                (normalised, hash)
            } else {
                (text, hash)
            };
        let respondent_id = match &respondent {
            Some(g) => Some(respondents::id_of(self.tx.conn, g)?),
            None => None,
        };
        let sort_order = match self.next_order {
            Some(order) => order,
            None => bulk::next_document_order(self.tx.conn)?,
        };
        self.next_order = Some(sort_order + 1);
        let t = self.as_tx(creator, created);
        bulk::insert_document(
            &t,
            &DocumentRow {
                guid,
                name: &d.name,
                kind: d.kind,
                text: &text,
                char_len: crate::model::text::count_char_starts(text.as_bytes()),
                content_hash: &stored_hash,
                origin: self.label,
                respondent_id,
                sort_order,
                created_by: creator,
                created_at: created,
                modified_at: modified,
                source_project: self.label,
            },
        )?;
        self.report.added.documents += 1;
        self.set_values(guid.as_str(), &d.values, true)?;
        Ok(())
    }

    /// Writes the documents and their codings; `texts` are the documents' texts, in plan
    /// order (taken out of the plan: each is dropped once written). New codings go in
    /// together at the end, with one prepared statement.
    pub(super) fn documents_and_codings(&mut self, texts: Vec<String>) -> StoreResult<()> {
        let states = bulk::row_states(self.tx.conn, ProvenanceTable::Documents)?;
        let mut batch = CodingBatch::read(self.tx.conn, self.label)?;
        let plan = self.plan;
        for (d, text) in plan.documents.iter().zip(texts) {
            let Some((guid, copy)) = self.document(d, text, &states)? else {
                continue;
            };
            if copy {
                self.renamed.insert(d.guid.to_string(), guid.to_string());
            }
            let document_id = documents::id_of(self.tx.conn, &guid)?;
            for c in &d.codings {
                self.coding(c, &guid, copy, document_id, &mut batch)?;
            }
        }
        self.report.added.codings += bulk::insert_codings(self.tx, &batch.rows)?;
        if batch.missing_code > 0 {
            self.report.not_imported.push(NotImported {
                what: "codings".into(),
                name: String::new(),
                reason: format!(
                    "{} codings use a code that is not in the codebook (or is deleted here)",
                    batch.missing_code
                ),
            });
        }
        if batch.folder_code > 0 {
            self.report.not_imported.push(NotImported {
                what: "codings".into(),
                name: String::new(),
                reason: format!(
                    "{} codings use a code that is a folder here (not codable)",
                    batch.folder_code
                ),
            });
        }
        Ok(())
    }

    /// Writes or batches one coding of the document `guid` (row `document_id`; a `copy`
    /// when its text differs from ours, its codings then get derived GUIDs). A coding the
    /// project has is updated when the file's version is newer, else kept; an exact
    /// duplicate of a live coding is kept; a new one joins `batch`.
    fn coding(
        &mut self,
        c: &PlannedCoding,
        guid: &DocumentId,
        copy: bool,
        document_id: i64,
        batch: &mut CodingBatch,
    ) -> StoreResult<()> {
        let Some(&(code_id, is_codable)) = batch.codable.get(&c.code) else {
            batch.missing_code += 1;
            return Ok(());
        };
        if !is_codable {
            batch.folder_code += 1;
            return Ok(());
        }
        let coding_guid = if copy {
            CodingId::new(derived_guid(c.guid.as_str(), &format!("copy:{guid}")))
        } else {
            c.guid.clone()
        };
        if copy {
            self.renamed
                .insert(c.guid.to_string(), coding_guid.to_string());
        }
        let created = c.stamp.created_at.unwrap_or(self.plan.file_date);
        let row = CodingRow {
            guid: coding_guid,
            document_id,
            code_id,
            start_char: c.start,
            end_char: c.end,
            created_by: self.coder(c.stamp.created_by.as_ref()),
            created_at: created,
            modified_at: c.stamp.modified_at.unwrap_or(created).max(created),
            source_project: batch.source_project.clone(),
        };
        let key = (
            document_id,
            code_id,
            c.start as i64,
            c.end as i64,
            row.created_by,
        );
        let stated = c
            .stamp
            .modified_at
            .or(c.stamp.created_at)
            .unwrap_or(self.plan.compare_date);
        if let Some(state) = batch.states.get(row.guid.as_str()) {
            if stated > state.modified_at {
                bulk::update_coding(self.tx, &row)?;
                batch.keys.insert(key);
                self.report.updated.codings += 1;
            } else {
                self.report.kept.codings += 1;
            }
        } else if !batch.keys.insert(key) {
            self.report.kept.codings += 1;
        } else {
            batch.rows.push(row);
        }
        Ok(())
    }
}

/// The codings of an import, checked against the project as it was before and gathered
/// across documents, to be inserted at the end in one batch.
struct CodingBatch {
    /// Code GUID → (row id, codable), for the live codes.
    codable: HashMap<CodeId, (i64, bool)>,
    /// Every coding row of the project (live or not): GUID → state.
    states: HashMap<String, RowState>,
    /// The (document, code, start, end, coder) of every live coding, and of those this
    /// import writes: a coding with the same key is a duplicate.
    keys: HashSet<(i64, i64, i64, i64, i64)>,
    /// The file's name, shared by every row of the import.
    source_project: Arc<str>,
    /// New codings to insert.
    rows: Vec<CodingRow>,
    /// Codings left out: their code is not in the codebook (or deleted here).
    missing_code: usize,
    /// Codings left out: their code is a folder here.
    folder_code: usize,
}

impl CodingBatch {
    /// Reads what the checks need from the project; `label` names the file.
    fn read(conn: &Connection, label: &str) -> StoreResult<CodingBatch> {
        let states = bulk::row_states(conn, ProvenanceTable::Codings)?;
        let code_states = bulk::row_states(conn, ProvenanceTable::Codes)?;
        let codable = codes::list(conn)?
            .into_iter()
            .filter_map(|c| {
                code_states
                    .get(c.guid.as_str())
                    .map(|s| (c.guid.clone(), (s.id, c.kind.is_codable())))
            })
            .collect();
        Ok(CodingBatch {
            codable,
            states,
            keys: bulk::live_coding_keys(conn)?,
            source_project: label.into(),
            rows: Vec::new(),
            missing_code: 0,
            folder_code: 0,
        })
    }
}
