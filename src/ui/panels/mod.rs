//! The panels around the document view: documents and respondents (left), codebook
//! (right), retrieval, search and memos (bottom), the menu bar and the status line.

pub mod codebook;
pub mod documents;
pub mod memos;
pub mod menu;
pub mod respondents;
pub mod retrieval;
pub mod search;
mod search_results;
pub mod status;

/// The state of every panel.
#[derive(Debug, Default)]
pub struct Panels {
    /// Documents list.
    pub documents: documents::DocumentsPanel,
    /// Respondents list.
    pub respondents: respondents::RespondentsPanel,
    /// Codebook tree.
    pub codebook: codebook::CodebookPanel,
    /// Retrieval.
    pub retrieval: retrieval::RetrievalPanel,
    /// Search.
    pub search: search::SearchPanel,
    /// Memos.
    pub memos: memos::MemosPanel,
}
