//! Lexical search: a query language over the words of the interviews, its hits as passages,
//! concordances, word frequencies and keyness, and the units (word, sentence, paragraph,
//! speaker turn) a passage found can be widened to before it is coded.
//!
//! Everything here is a pure function of texts: no SQL, no UI, no I/O. Offsets are chars
//! (Unicode scalar values) of the stored text, start inclusive, end exclusive, as everywhere
//! in Fouille; byte offsets, where given too, say so in their name.
//!
//! - [`token`]: the words of a text and their folded forms (accents, case, œ/æ);
//! - [`query`]: the query language ([`Query::parse`]) and its typed errors;
//! - [`eval`]: the hits of a query in one text ([`Query::hits`]) and their context;
//! - [`prefilter`]: which documents can match (an FTS5 `MATCH` string, a word-set test);
//! - [`kwic`]: concordance lines and their sorts;
//! - [`frequency`]: word counts, top words and keyness of a subset;
//! - [`stopwords`]: the French and English stop-word lists, and sets of them;
//! - [`units`]: sentences, paragraphs, speaker turns, and widening a range to them.

pub mod eval;
pub mod frequency;
pub mod kwic;
pub mod prefilter;
pub mod query;
pub mod stopwords;
pub mod token;
pub mod units;

#[cfg(test)]
mod reference;

pub use eval::{Context, Hit, Scope, Width};
pub use query::{Node, Query, QueryError, QueryErrorKind, Term, TermWord};
pub use token::Tokens;

/// A stretch of a text in chars (Unicode scalar values): `start` inclusive, `end` exclusive.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Span {
    /// First char, inclusive.
    pub start: usize,
    /// End char, exclusive.
    pub end: usize,
}

impl Span {
    /// The span `[start, end)`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// Its length in chars (0 if reversed).
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether it holds no char.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Char offsets of byte offsets of `text` (each on a char boundary), in one forward walk;
/// `offsets` must be sorted ascending.
pub(crate) fn chars_of_bytes(text: &str, offsets: &[usize]) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(offsets.len());
    let (mut byte, mut chars) = (0usize, 0usize);
    for &wanted in offsets {
        let wanted = wanted.min(bytes.len());
        if wanted > byte {
            // A char starts at every byte that is not a UTF-8 continuation byte.
            chars += bytes[byte..wanted]
                .iter()
                .filter(|&&b| (b as i8) >= -64)
                .count();
            byte = wanted;
        }
        out.push(chars);
    }
    out
}
