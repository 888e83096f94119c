//! Writing documents and their codings (part of [`super::write`]): a document with the same
//! text is merged, one whose text differs comes in as a copy; codings go in with one
//! prepared statement, exact duplicates skipped.

use std::collections::HashMap;

use super::plan::PlannedDocument;
use super::report::NotImported;
use super::write::Writer;
use crate::export::qdpx::derived_guid;
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
    ) -> StoreResult<Option<(String, bool)>> {
        let created = d.stamp.created_at.unwrap_or(self.plan.file_date);
        let modified = d.stamp.modified_at.unwrap_or(created);
        let creator = self.coder(d.stamp.created_by.as_ref());
        let respondent = d
            .respondent
            .clone()
            .filter(|r| self.respondents.contains(r));
        let hash = content_hash(&text);
        let mut guid = d.guid.clone();
        let mut copy = false;
        if states.contains_key(&guid) && documents::get(self.tx.conn, &guid)?.content_hash != hash {
            guid = derived_guid(&d.guid, &format!("text:{hash}"));
            copy = true;
            self.report.remarks.push(format!(
                "document « {} »: its text differs from the project's: imported as a separate document",
                d.name
            ));
        }
        if let Some(state) = states.get(&guid).copied().or_else(|| {
            documents::id_of(self.tx.conn, &guid)
                .ok()
                .map(|id| RowState {
                    id,
                    modified_at: i64::MAX,
                    deleted: false,
                })
        }) {
            let ours = documents::get(self.tx.conn, &guid)?;
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
                return Ok(None);
            }
            let differs = ours.name != d.name || ours.respondent_guid != respondent;
            if newer && (differs || state.deleted) {
                let t = self.as_tx(creator, modified);
                documents::rename(&t, &guid, &d.name)?;
                documents::set_respondent(&t, &guid, respondent.as_deref())?;
                bulk::set_provenance(
                    &t,
                    ProvenanceTable::Documents,
                    &guid,
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
            self.set_values(&guid, &d.values, false)?;
            return Ok(Some((guid, copy)));
        }
        // The row `documents::insert` then `bulk::set_provenance` would leave, in one
        // statement: the plan's text is normally already normalised (then neither copied
        // nor hashed again).
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
                guid: &guid,
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
        self.set_values(&guid, &d.values, true)?;
        Ok(Some((guid, copy)))
    }

    /// Writes the documents and their codings; `texts` are the documents' texts, in plan
    /// order (taken out of the plan: each is dropped once written).
    pub(super) fn documents_and_codings(&mut self, texts: Vec<String>) -> StoreResult<()> {
        let states = bulk::row_states(self.tx.conn, ProvenanceTable::Documents)?;
        let coding_states = bulk::row_states(self.tx.conn, ProvenanceTable::Codings)?;
        let code_states = bulk::row_states(self.tx.conn, ProvenanceTable::Codes)?;
        let codable: HashMap<String, (i64, bool)> = codes::list(self.tx.conn)?
            .into_iter()
            .filter_map(|c| {
                code_states
                    .get(&c.guid)
                    .map(|s| (c.guid.clone(), (s.id, c.kind.is_codable())))
            })
            .collect();
        let mut keys = bulk::live_coding_keys(self.tx.conn)?;
        let source_project: std::sync::Arc<str> = self.label.into();
        let mut rows: Vec<CodingRow> = Vec::new();
        let mut missing_code = 0;
        let mut folder_code = 0;
        for (d, text) in self.plan.documents.iter().zip(texts) {
            let Some((guid, copy)) = self.document(d, text, &states)? else {
                continue;
            };
            if copy {
                self.renamed.insert(d.guid.clone(), guid.clone());
            }
            let document_id = documents::id_of(self.tx.conn, &guid)?;
            for c in &d.codings {
                let Some(&(code_id, is_codable)) = codable.get(&c.code) else {
                    missing_code += 1;
                    continue;
                };
                if !is_codable {
                    folder_code += 1;
                    continue;
                }
                let coding_guid = if copy {
                    derived_guid(&c.guid, &format!("copy:{guid}"))
                } else {
                    c.guid.clone()
                };
                if copy {
                    self.renamed.insert(c.guid.clone(), coding_guid.clone());
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
                    source_project: source_project.clone(),
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
                if let Some(state) = coding_states.get(&row.guid) {
                    if stated > state.modified_at {
                        bulk::update_coding(self.tx, &row)?;
                        keys.insert(key);
                        self.report.updated.codings += 1;
                    } else {
                        self.report.kept.codings += 1;
                    }
                } else if !keys.insert(key) {
                    self.report.kept.codings += 1;
                } else {
                    rows.push(row);
                }
            }
        }
        self.report.added.codings += bulk::insert_codings(self.tx, &rows)?;
        if missing_code > 0 {
            self.report.not_imported.push(NotImported {
                what: "codings".into(),
                name: String::new(),
                reason: format!("{missing_code} codings use a code that is not in the codebook (or is deleted here)"),
            });
        }
        if folder_code > 0 {
            self.report.not_imported.push(NotImported {
                what: "codings".into(),
                name: String::new(),
                reason: format!(
                    "{folder_code} codings use a code that is a folder here (not codable)"
                ),
            });
        }
        Ok(())
    }
}
