//! Document texts read on demand, by content hash. Snapshots do not hold texts (a corpus
//! can weigh hundreds of megabytes): a merge reads only the few it needs, those of edited
//! transcripts (to rebase codings) and of documents the target does not hold yet.

use rusqlite::Connection;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::store::{StoreError, StoreResult, documents};

/// Reads texts by content hash from project files (opened read-only, once each, when
/// first needed). A text is looked up by its hash, never by a row: a file that changed
/// since it was read still gives the right text, or none.
pub struct TextReader {
    sources: Vec<PathBuf>,
    conns: Vec<Option<Connection>>,
    cache: HashMap<String, Arc<str>>,
}

impl TextReader {
    /// A reader over these project files, tried in order.
    pub fn new(sources: &[PathBuf]) -> TextReader {
        let mut unique: Vec<PathBuf> = Vec::new();
        for s in sources {
            if !unique.contains(s) {
                unique.push(s.clone());
            }
        }
        TextReader {
            conns: unique.iter().map(|_| None).collect(),
            sources: unique,
            cache: HashMap::new(),
        }
    }

    fn conn(&mut self, i: usize) -> StoreResult<&Connection> {
        if self.conns[i].is_none() {
            self.conns[i] = Some(crate::store::reader::open_read_only(&self.sources[i])?);
        }
        self.conns[i]
            .as_ref()
            .ok_or_else(|| StoreError::Invalid("text source not open".into()))
    }

    /// The text whose content hash is `hash`, if one of the files holds it.
    pub fn get(&mut self, hash: &str) -> StoreResult<Option<Arc<str>>> {
        if let Some(t) = self.cache.get(hash) {
            return Ok(Some(t.clone()));
        }
        for i in 0..self.sources.len() {
            let found = documents::text_by_hash(self.conn(i)?, hash)?;
            if let Some(text) = found {
                let text: Arc<str> = Arc::from(text);
                self.cache.insert(hash.to_string(), text.clone());
                return Ok(Some(text));
            }
        }
        Ok(None)
    }

    /// The text whose content hash is `hash`; an error when no file holds it any more
    /// (a project changed during the merge).
    pub fn require(&mut self, hash: &str) -> StoreResult<Arc<str>> {
        self.get(hash)?.ok_or_else(|| {
            StoreError::Invalid(format!(
                "the text {} is no longer in the projects merged (changed during the merge?): merge again",
                &hash[..hash.len().min(12)]
            ))
        })
    }

    /// Forgets the texts read so far (they can be large).
    pub fn clear_cache(&mut self) {
        self.cache.clear();
    }
}
