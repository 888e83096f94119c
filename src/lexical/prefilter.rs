//! Which documents can hold a hit of a query, decided cheaply: an FTS5 `MATCH` string for
//! the app's `doc_fts` index (over `fouille_fold(text)`, tokenizer `unicode61
//! remove_diacritics 2`), and a test on a document's set of folded words. Both only rule
//! documents out: a document they keep is then read with [`Query::hits`].
//!
//! NOT never rules a document out (AND and NOT are judged per paragraph, sentence or turn,
//! so a document holding the excluded word can still have a unit without it), and an OR
//! rules out only if each of its operands does.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use super::frequency::FastHasher;
use super::query::{Node, Query, Term};
use super::token::scan_words;

/// The distinct folded words of one document, sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordSet {
    words: Vec<Box<str>>,
}

impl WordSet {
    /// The words of `text`.
    pub fn from_text(text: &str) -> WordSet {
        // Distinct words first: a transcript repeats its few thousand words many times, and
        // sorting every occurrence would cost far more than hashing it.
        let mut distinct: HashSet<Box<str>, BuildHasherDefault<FastHasher>> = HashSet::default();
        let mut buffer = String::new();
        scan_words(text, &mut buffer, |_, folded| {
            if !distinct.contains(folded) {
                distinct.insert(Box::from(folded));
            }
        });
        WordSet::from_sorted(distinct.into_iter().collect())
    }

    /// A set of words already folded (an index's vocabulary of the document, say).
    pub fn from_folded<S: AsRef<str>>(words: impl IntoIterator<Item = S>) -> WordSet {
        WordSet::from_sorted(words.into_iter().map(|w| Box::from(w.as_ref())).collect())
    }

    fn from_sorted(mut words: Vec<Box<str>>) -> WordSet {
        words.sort_unstable();
        words.dedup();
        WordSet { words }
    }

    /// Whether the folded word is in the set.
    pub fn contains(&self, folded: &str) -> bool {
        self.words.binary_search_by(|w| (**w).cmp(folded)).is_ok()
    }

    /// Whether a word of the set starts with `prefix` (folded).
    pub fn has_prefix(&self, prefix: &str) -> bool {
        let at = self.words.partition_point(|w| (**w) < *prefix);
        self.words.get(at).is_some_and(|w| w.starts_with(prefix))
    }

    /// Number of distinct words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether the set has no word.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

impl Query {
    /// False when a document with these words certainly has no hit; true when it may.
    pub fn could_match(&self, words: &WordSet) -> bool {
        could_match(self.root(), words)
    }

    /// An FTS5 `MATCH` expression selecting a superset of the documents with a hit, or
    /// `None` when the query constrains nothing FTS5 can check (a NOT alone, or words
    /// outside ASCII after folding, which FTS5's own folding might spell otherwise).
    pub fn fts5_filter(&self) -> Option<String> {
        filter(self.root())
    }

    /// Every term of the query, negated ones included, in query order (to list or
    /// highlight what is looked for).
    pub fn terms(&self) -> Vec<&Term> {
        let mut out = Vec::new();
        collect_terms(self.root(), &mut out);
        out
    }
}

fn collect_terms<'q>(node: &'q Node, out: &mut Vec<&'q Term>) {
    match node {
        Node::Term(t) => out.push(t),
        Node::Near { a, b, .. } => out.extend([a, b]),
        Node::And(items) | Node::Or(items) => items.iter().for_each(|n| collect_terms(n, out)),
        Node::Not(inner) => collect_terms(inner, out),
    }
}

fn could_match(node: &Node, words: &WordSet) -> bool {
    let term = |t: &Term| {
        t.words.iter().all(|w| {
            if w.prefix {
                words.has_prefix(&w.folded)
            } else {
                words.contains(&w.folded)
            }
        })
    };
    match node {
        Node::Term(t) => term(t),
        Node::Near { a, b, .. } => term(a) && term(b),
        Node::And(items) => items
            .iter()
            .filter(|n| !matches!(n, Node::Not(_)))
            .all(|n| could_match(n, words)),
        Node::Or(items) => items.iter().any(|n| could_match(n, words)),
        Node::Not(_) => true,
    }
}

/// Whether FTS5 folds and splits this folded word as we do: plain ASCII letters and digits.
fn fts_safe(folded: &str) -> bool {
    folded
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

fn filter(node: &Node) -> Option<String> {
    match node {
        Node::Term(t) => term_filter(t),
        Node::Near { a, b, max_between } => match (whole_phrase(a), whole_phrase(b)) {
            // FTS5's NEAR counts the tokens between the phrases, as the query language does.
            (Some(a), Some(b)) => Some(format!("NEAR({a} {b}, {max_between})")),
            _ => join(vec![term_filter(a), term_filter(b)], " AND "),
        },
        Node::And(items) => join(
            items
                .iter()
                .filter(|n| !matches!(n, Node::Not(_)))
                .map(filter)
                .collect(),
            " AND ",
        ),
        Node::Or(items) => {
            let parts: Option<Vec<String>> = items.iter().map(filter).collect();
            parts.map(|p| format!("({})", p.join(" OR ")))
        }
        Node::Not(_) => None,
    }
}

/// The AND or OR of the parts that constrain something (AND: those that are `Some`).
fn join(parts: Vec<Option<String>>, op: &str) -> Option<String> {
    let parts: Vec<String> = parts.into_iter().flatten().collect();
    match parts.len() {
        0 => None,
        1 => parts.into_iter().next(),
        _ => Some(format!("({})", parts.join(op))),
    }
}

/// A term as one FTS5 phrase, when it can be: every word FTS-safe, a prefix only last.
fn whole_phrase(t: &Term) -> Option<String> {
    let (last, init) = t.words.split_last()?;
    let safe = t.words.iter().all(|w| fts_safe(&w.folded)) && init.iter().all(|w| !w.prefix);
    if !safe {
        return None;
    }
    let words: Vec<&str> = t.words.iter().map(|w| w.folded.as_str()).collect();
    Some(format!(
        "\"{}\"{}",
        words.join(" "),
        if last.prefix { "*" } else { "" }
    ))
}

/// A term as a phrase, or else the AND of those of its words FTS5 can check.
fn term_filter(t: &Term) -> Option<String> {
    whole_phrase(t).or_else(|| {
        let words = t
            .words
            .iter()
            .filter(|w| fts_safe(&w.folded))
            .map(|w| {
                Some(format!(
                    "\"{}\"{}",
                    w.folded,
                    if w.prefix { "*" } else { "" }
                ))
            })
            .collect();
        join(words, " AND ")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fts(q: &str) -> Option<String> {
        Query::parse(q).unwrap().fts5_filter()
    }

    #[test]
    fn fts5_strings() {
        assert_eq!(fts("Cœur").as_deref(), Some("\"coeur\""));
        assert_eq!(
            fts("l’État admin*").as_deref(),
            Some("(\"l etat\" AND \"admin\"*)")
        );
        assert_eq!(
            fts("\"service public*\"").as_deref(),
            Some("\"service public\"*")
        );
        assert_eq!(
            fts("\"service* public\"").as_deref(),
            Some("(\"service\"* AND \"public\")")
        );
        assert_eq!(
            fts("NEAR(\"service public\" usager, 3)").as_deref(),
            Some("NEAR(\"service public\" \"usager\", 3)")
        );
        assert_eq!(
            fts("a OU (b ET NOT c)").as_deref(),
            Some("(\"a\" OR \"b\")")
        );
        assert_eq!(fts("a OU NOT c"), None);
        assert_eq!(fts("NOT c"), None);
        assert_eq!(fts("straße"), None);
        assert_eq!(fts("straße ET rue").as_deref(), Some("\"rue\""));
        assert_eq!(fts("\"la straße\"").as_deref(), Some("\"la\""));
    }

    #[test]
    fn word_sets() {
        let set = WordSet::from_text("Le cœur du métier, l’État.");
        assert!(set.contains("coeur") && set.has_prefix("met") && !set.has_prefix("x"));
        let could = |q: &str| Query::parse(q).unwrap().could_match(&set);
        assert!(could("coeur ET metier"));
        assert!(!could("coeur ET usager"));
        assert!(could("usager OU etat"));
        assert!(could("coeur SAUF metier"));
        assert!(could("NOT usager"));
        assert!(!could("NEAR(coeur usager)"));
        assert!(!could("\"le usager\""));
        assert!(could("l’etat"));
    }
}
