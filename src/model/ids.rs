//! Typed identities: one type per kind of row, each holding the row's GUID as text (lowercase
//! hyphenated UUID, see [`super::new_guid`]). A function that takes a [`DocumentId`] and a
//! [`CodeId`] cannot be handed them swapped; the text inside is the same as before, so the
//! project file, REFI-QDA and JSON output are unchanged (`serde` sees a plain string).
//!
//! An identity is made once, at an edge: read from the project's rows (the store's `FromSql`),
//! found by name or typed GUID (the command line, the app's selections), read from a REFI-QDA
//! file ([`DocumentId::parse`] normalises a foreign GUID), or made new
//! ([`DocumentId::generate`]). Inside, it travels as the type.

use serde::{Deserialize, Serialize};
use std::borrow::Borrow;
use std::fmt;

macro_rules! guid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A new identity: a fresh UUID v4 in the project's form.
            pub fn generate() -> $name {
                $name(super::new_guid())
            }

            /// Wraps text taken to be a GUID already in the project's form — one this program
            /// made or stored, or one a user typed that a lookup will then check. Nothing is
            /// normalised; a foreign GUID goes through `parse` instead.
            pub fn new(guid: impl Into<String>) -> $name {
                $name(guid.into())
            }

            /// Reads a GUID from outside (REFI-QDA, a user's input): braces and upper case are
            /// normalised away; `None` when the text is not a UUID.
            pub fn parse(raw: &str) -> Option<$name> {
                super::normalize_guid(raw).map($name)
            }

            /// Reads a GUID a user typed: normalised like `parse` when it is a UUID, else kept
            /// as typed (trimmed), so that the lookup it is for reports it as not found.
            pub fn from_input(raw: &str) -> $name {
                $name::parse(raw).unwrap_or_else(|| $name(raw.trim().to_string()))
            }

            /// The GUID as text, for formats, messages and maps keyed by text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The GUID as an owned string.
            pub fn into_string(self) -> String {
                self.0
            }

            /// Whether the text is empty: only an author (a [`CoderId`]) may be unknown, and
            /// then it is empty rather than absent, as the project file stores it.
            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        /// Lets a map keyed by this identity be searched with a `&str` (hashing and equality
        /// are the text's own).
        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl From<&$name> for String {
            fn from(id: &$name) -> String {
                id.0.clone()
            }
        }
    };
}

guid_id!(
    /// A document of the corpus (`documents.guid`).
    DocumentId
);
guid_id!(
    /// A code of the codebook (`codes.guid`).
    CodeId
);
guid_id!(
    /// A coding, i.e. one coded excerpt (`codings.guid`).
    CodingId
);
guid_id!(
    /// A respondent, i.e. a case (`respondents.guid`).
    RespondentId
);
guid_id!(
    /// A coder, the author of codings, codes and memos (`coders.guid`). Empty where the author
    /// of a code or memo is unknown (rows imported without one).
    CoderId
);
guid_id!(
    /// A memo (`memos.guid`).
    MemoId
);

/// The unknown author: what a code or memo imported without one carries.
impl Default for CoderId {
    fn default() -> CoderId {
        CoderId(String::new())
    }
}
