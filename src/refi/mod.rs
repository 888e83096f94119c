//! REFI-QDA, the exchange standard of qualitative analysis tools, as Fouille speaks it:
//! what the import ([`crate::import::qdpx`]) and the export ([`crate::export::qdpx`]) must
//! agree on, kept here so that neither reads the other.
//!
//! - [`conventions`]: the namespaces, the `fouille:` names that carry what REFI-QDA has no
//!   place for (code and document kinds, pseudonym and consent, attribute scope, memos on
//!   respondents), the `origin` Fouille writes, and GUIDs derived from stable ones;
//! - [`RefiKind`] and [`kind_of`]: whether a file is a project or a codebook.

pub mod conventions;
mod kind;

pub use conventions::{
    CODEBOOK_NAMESPACE, CONSENT_VARIABLE, DOCUMENT_KIND_SET_PREFIX, DOCUMENT_SCOPE_MARKER,
    KIND_DESCRIPTION_MARKER, KIND_SET_PREFIX, MEMO_LINK_NAME, ORIGIN, PROJECT_NAMESPACE,
    PSEUDONYM_VARIABLE, derived_guid, is_fouille_origin,
};
pub use kind::{RefiKind, kind_of};
