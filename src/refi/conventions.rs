//! The names and rules both sides of a REFI-QDA exchange use: what the export writes is
//! what the import looks for, so a project goes out to another tool and comes back whole.
//!
//! What REFI-QDA has no place for travels in standard elements whose names start with
//! `fouille:`; other tools show them as ordinary, harmless objects (a set, a variable, a
//! link) and keep them, which is what brings the information back.

use sha2::{Digest, Sha256};

/// Namespace that `project.qde` is written in (REFI-QDA 1.5 `Project.xsd`).
pub const PROJECT_NAMESPACE: &str = "urn:QDA-XML:project:1.0";
/// Namespace that a `.qdc` codebook is written in (REFI-QDA 1.5 `Codebook.xsd`).
pub const CODEBOOK_NAMESPACE: &str = "urn:QDA-XML:codebook:1.0";

/// Start of the name of a set of codes that carries a code kind (`fouille:kind=pole`):
/// REFI-QDA codes have no kind, and a set survives tools that show it as a code group.
pub const KIND_SET_PREFIX: &str = "fouille:kind=";
/// Start of the kind marker some files carry at the end of a code's description
/// (`[fouille:kind=pole]`) instead of the sets, when their tool dropped the sets.
pub const KIND_DESCRIPTION_MARKER: &str = "[fouille:kind=";
/// Start of the name of a set of sources that carries a document kind other than
/// interview (`fouille:document-kind=transcript`).
pub const DOCUMENT_KIND_SET_PREFIX: &str = "fouille:document-kind=";
/// Name of the case variable that carries a respondent's pseudonym (a respondent field in
/// Fouille, not an attribute).
pub const PSEUDONYM_VARIABLE: &str = "fouille:pseudonym";
/// Name of the case variable that carries a respondent's consent (`Consent::as_str`).
pub const CONSENT_VARIABLE: &str = "fouille:consent";
/// The whole description of a variable whose values describe documents rather than
/// respondents (REFI-QDA variables have no scope).
pub const DOCUMENT_SCOPE_MARKER: &str = "[fouille:scope=document]";
/// Name of the links from a note to a case: a `Case` has no `NoteRef`, so a memo on a
/// respondent goes out as a link.
pub const MEMO_LINK_NAME: &str = "fouille:memo";
/// The `origin` attribute of the files Fouille writes, with the version that wrote them.
pub const ORIGIN: &str = concat!("Fouille ", env!("CARGO_PKG_VERSION"));

/// Whether a file's `origin` says Fouille wrote it (any version): its positions are then
/// known to be chars of the stored text, and need no guessing.
pub fn is_fouille_origin(origin: &str) -> bool {
    origin.trim().to_lowercase().starts_with("fouille")
}

/// A GUID derived from a namespace and a key (UUID v8 from SHA-256): the same inputs always
/// give the same GUID, so objects without a row of their own (selections, sets, links,
/// the two respondent variables, copies made by a merge) keep one identity from one export
/// or import to the next.
pub fn derived_guid(namespace: &str, key: &str) -> String {
    let digest = Sha256::digest(format!("{namespace}\u{0}{key}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string()
}
