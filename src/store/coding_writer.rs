//! A coding writer for imports of whole corpora (benchmarks, generators): prepared statements and id
//! caches, so each row costs one INSERT, with the same checks as the one-by-one functions
//! (offsets inside the document, codable code).

use rusqlite::{CachedStatement, params};
use std::collections::HashMap;

use super::{Rule, StoreError, StoreResult, Thing, Tx};
use crate::model::{CodeId, CodingId, DocumentId};

/// One coding row to write as it is (GUID, provenance and timestamps kept).
#[derive(Debug, Clone)]
pub struct WriterRow<'a> {
    /// GUID.
    pub guid: &'a CodingId,
    /// Document GUID.
    pub document_guid: &'a DocumentId,
    /// Code GUID.
    pub code_guid: &'a CodeId,
    /// First char of the excerpt (chars into the stored text), inclusive.
    pub start_char: usize,
    /// End char offset (exclusive).
    pub end_char: usize,
    /// `coders.id` of its author: the caller resolved the GUID once for the whole batch.
    pub coder_id: i64,
    /// Creation time (ms).
    pub created_at: i64,
    /// Last change (ms).
    pub modified_at: i64,
    /// Source project file (merges), or empty.
    pub source_project: &'a str,
}

/// Writes many codings inside one transaction.
pub struct CodingWriter<'c> {
    insert: CachedStatement<'c>,
    documents: HashMap<DocumentId, (i64, usize)>,
    codes: HashMap<CodeId, (i64, bool)>,
}

impl<'c> CodingWriter<'c> {
    /// Prepares the writer and loads the id caches of live documents and codes.
    pub fn new(tx: &'c Tx<'c>) -> StoreResult<CodingWriter<'c>> {
        let mut documents = HashMap::new();
        {
            let mut stmt = tx
                .conn
                .prepare("SELECT guid, id, char_len FROM documents WHERE deleted = 0")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                documents.insert(
                    r.get::<_, DocumentId>(0)?,
                    (r.get(1)?, super::to_usize(r.get(2)?)),
                );
            }
        }
        let mut codes = HashMap::new();
        {
            let mut stmt = tx
                .conn
                .prepare("SELECT guid, id, kind FROM codes WHERE deleted = 0")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                codes.insert(
                    r.get::<_, CodeId>(0)?,
                    (r.get(1)?, r.get::<_, String>(2)? != "folder"),
                );
            }
        }
        let insert = tx.conn.prepare_cached(
            "INSERT INTO codings (guid, document_id, code_id, start_char, end_char, created_by, created_at, modified_at, source_project)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        Ok(CodingWriter {
            insert,
            documents,
            codes,
        })
    }

    /// Forgets the cached documents and codes (call after inserting new ones).
    pub fn refresh(&mut self, tx: &Tx) -> StoreResult<()> {
        let mut stmt = tx
            .conn
            .prepare("SELECT guid, id, char_len FROM documents WHERE deleted = 0")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            self.documents.insert(
                r.get::<_, DocumentId>(0)?,
                (r.get(1)?, super::to_usize(r.get(2)?)),
            );
        }
        let mut stmt = tx
            .conn
            .prepare("SELECT guid, id, kind FROM codes WHERE deleted = 0")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            self.codes.insert(
                r.get::<_, CodeId>(0)?,
                (r.get(1)?, r.get::<_, String>(2)? != "folder"),
            );
        }
        Ok(())
    }

    /// Writes one coding after checking its document, code and range.
    pub fn insert(&mut self, row: &WriterRow) -> StoreResult<()> {
        let &(doc_id, len) = self
            .documents
            .get(row.document_guid)
            .ok_or_else(|| StoreError::not_found(Thing::Document, row.document_guid))?;
        let &(code_id, codable) = self
            .codes
            .get(row.code_guid)
            .ok_or_else(|| StoreError::not_found(Thing::Code, row.code_guid))?;
        if !codable {
            let code = row.code_guid.to_string();
            return Err(Rule::NotCodable { code }.into());
        }
        super::codings::check_range(row.start_char, row.end_char, len)?;
        self.insert.execute(params![
            row.guid,
            doc_id,
            code_id,
            row.start_char as i64,
            row.end_char as i64,
            row.coder_id,
            row.created_at,
            row.modified_at,
            row.source_project
        ])?;
        Ok(())
    }
}
