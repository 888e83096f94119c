//! The hits of a [`Query`] in one text: passages, each with the words to highlight.
//!
//! Semantics, on the text's words (see [`super::token`]):
//!
//! - a **word**, **prefix** or **phrase** gives one hit per occurrence (occurrences may
//!   overlap: `"ha ha"` twice in `ha ha ha`);
//! - **NEAR(a b, k)** gives one hit per pair of an occurrence of `a` and an occurrence of
//!   `b` that share no word and have at most `k` words between them, in either order,
//!   whatever lies between (line breaks and turns included); the hit runs from the first
//!   word of the pair to the last, and highlights the two occurrences;
//! - **OR** gives the union of its operands' hits;
//! - **AND** and **NOT** are judged inside a context unit, the [`Scope`] (a paragraph by
//!   default). A hit belongs to the unit its first word is in. A unit satisfies `a AND b
//!   AND NOT c` when it holds a hit of `a`, a hit of `b` and no hit of `c`; each unit that
//!   does gives one hit, from the first word of its positive operands' hits to the last,
//!   highlighting all their highlights. A NOT alone (`NOT c`, or `x OR NOT c`) gives every
//!   unit without `c`, from its first word to its last, with nothing highlighted; units
//!   without words are never hits.
//!
//! Wherever two hits cover the same words, they are one hit highlighting both sets of
//! words. Hits come sorted by start, then end.

use std::cell::OnceCell;
use std::ops::Range;

use super::query::{Node, Query, Term};
use super::token::{Tokens, is_diacritic, is_word_char};
use super::{Span, units};

/// The unit inside which AND and NOT are judged.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Scope {
    /// A sentence ([`super::units`]: never across a line break; a speaker label belongs to
    /// the sentence after it).
    Sentence,
    /// A paragraph: one line of the stored text (importers write one paragraph, speech turn
    /// or subtitle per line; the analyses' co-occurrence by paragraph counts the same way).
    #[default]
    Paragraph,
    /// A speaker's turn ([`super::units`]).
    Turn,
    /// The whole text.
    Document,
}

/// One passage that matches.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Hit {
    /// The passage, in chars: from its first matched (or, for a NOT alone, first) word to
    /// its last.
    pub span: Span,
    /// The same passage in bytes of the text.
    pub bytes: Range<usize>,
    /// The words and phrases to highlight, in chars: sorted, overlaps merged (a phrase is
    /// one stretch, line break and punctuation included). Empty for a NOT alone.
    pub marks: Vec<Span>,
}

/// How much context to cut around a hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Width {
    /// This many chars on each side.
    Chars(usize),
    /// This many words on each side, with what lies between them and the hit.
    Words(usize),
}

/// A hit with its context, as slices of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context<'t> {
    /// The text just before the hit.
    pub before: &'t str,
    /// The hit itself.
    pub matched: &'t str,
    /// The text just after the hit.
    pub after: &'t str,
    /// Chars of the whole, from the start of `before` to the end of `after`.
    pub span: Span,
}

impl Hit {
    /// The passage's text; `text` must be the text it was found in (else: empty).
    pub fn matched<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.bytes.clone()).unwrap_or_default()
    }

    /// The passage with `width` of context on each side, cut on char boundaries; `text`
    /// must be the text it was found in.
    pub fn context<'t>(&self, text: &'t str, width: Width) -> Context<'t> {
        let (start, end) = (
            self.bytes.start.min(text.len()),
            self.bytes.end.min(text.len()),
        );
        let (from, to) = match width {
            Width::Chars(n) => (chars_back(text, start, n), chars_forward(text, end, n)),
            Width::Words(n) => (words_back(text, start, n), words_forward(text, end, n)),
        };
        let before = text.get(from..start).unwrap_or_default();
        let after = text.get(end..to).unwrap_or_default();
        Context {
            before,
            matched: text.get(start..end).unwrap_or_default(),
            after,
            span: Span::new(
                self.span.start.saturating_sub(before.chars().count()),
                self.span.end + after.chars().count(),
            ),
        }
    }
}

/// Byte offset `n` chars before byte `at` (or 0).
fn chars_back(text: &str, at: usize, n: usize) -> usize {
    if n == 0 {
        return at;
    }
    text[..at]
        .char_indices()
        .rev()
        .nth(n - 1)
        .map_or(0, |(b, _)| b)
}

/// Byte offset `n` chars after byte `at` (or the end).
fn chars_forward(text: &str, at: usize, n: usize) -> usize {
    text[at..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(b, _)| at + b)
}

fn in_word(c: char) -> bool {
    is_word_char(c) || is_diacritic(c)
}

/// Byte offset of the start of the `n`-th word before byte `at` (or 0 if fewer).
fn words_back(text: &str, at: usize, n: usize) -> usize {
    if n == 0 {
        return at;
    }
    let (mut seen, mut inside) = (0, false);
    for (b, c) in text[..at].char_indices().rev() {
        if in_word(c) {
            inside = true;
        } else if inside {
            inside = false;
            seen += 1;
            if seen == n {
                return b + c.len_utf8();
            }
        }
    }
    0
}

/// Byte offset of the end of the `n`-th word after byte `at` (or the end).
fn words_forward(text: &str, at: usize, n: usize) -> usize {
    if n == 0 {
        return at;
    }
    let (mut seen, mut inside) = (0, false);
    for (b, c) in text[at..].char_indices() {
        if in_word(c) {
            inside = true;
        } else if inside {
            inside = false;
            seen += 1;
            if seen == n {
                return at + b;
            }
        }
    }
    text.len()
}

impl Query {
    /// The hits of this query in `text`, AND and NOT judged within `scope`.
    pub fn hits(&self, text: &str, scope: Scope) -> Vec<Hit> {
        self.hits_in(&Tokens::new(text), scope)
    }

    /// The hits of this query in a text already split into words.
    pub fn hits_in(&self, tokens: &Tokens<'_>, scope: Scope) -> Vec<Hit> {
        let eval = Eval {
            tokens,
            scope,
            units: OnceCell::new(),
        };
        eval.node(self.root())
            .iter()
            .map(|h| to_hit(tokens, h))
            .collect()
    }
}

/// An occurrence: words `first..=last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Occ {
    first: u32,
    last: u32,
}

/// A hit on word indices.
#[derive(Debug, Clone)]
struct WordHit {
    span: Occ,
    marks: Marks,
}

/// What a [`WordHit`] highlights (kept unboxed for the single words that are most hits).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Marks {
    /// Its own span.
    Own,
    /// Two occurrences (a NEAR pair).
    Pair(Occ, Occ),
    /// Any number, sorted, without duplicates.
    List(Vec<Occ>),
}

impl WordHit {
    fn push_marks(&self, out: &mut Vec<Occ>) {
        match &self.marks {
            Marks::Own => out.push(self.span),
            Marks::Pair(a, b) => out.extend([*a, *b]),
            Marks::List(list) => out.extend_from_slice(list),
        }
    }
}

struct Eval<'a, 't> {
    tokens: &'a Tokens<'t>,
    scope: Scope,
    /// The unit of each word, numbered in text order; computed on the first AND or NOT.
    units: OnceCell<Vec<u32>>,
}

impl Eval<'_, '_> {
    fn node(&self, node: &Node) -> Vec<WordHit> {
        match node {
            Node::Term(term) => self.occurrences(term).into_iter().map(own).collect(),
            Node::Near { a, b, max_between } => self.near(a, b, *max_between),
            Node::Or(items) => normalise(items.iter().flat_map(|n| self.node(n)).collect()),
            Node::And(items) => {
                let (neg, pos): (Vec<&Node>, Vec<&Node>) =
                    items.iter().partition(|n| matches!(n, Node::Not(_)));
                let neg: Vec<&Node> = neg
                    .into_iter()
                    .map(|n| match n {
                        Node::Not(inner) => inner.as_ref(),
                        other => other,
                    })
                    .collect();
                self.and(&pos, &neg)
            }
            Node::Not(inner) => self.and(&[], &[inner.as_ref()]),
        }
    }

    /// Occurrences of a word, prefix or phrase, in text order.
    fn occurrences(&self, term: &Term) -> Vec<Occ> {
        let (n, k) = (self.tokens.len(), term.words.len());
        if k == 0 || k > n {
            return Vec::new();
        }
        let (head, rest) = term.words.split_first().expect("a term has a word");
        let mut out = Vec::new();
        for i in 0..=n - k {
            if head.matches(self.tokens.folded(i))
                && rest
                    .iter()
                    .enumerate()
                    .all(|(j, w)| w.matches(self.tokens.folded(i + 1 + j)))
            {
                out.push(Occ {
                    first: i as u32,
                    last: (i + k - 1) as u32,
                });
            }
        }
        out
    }

    fn near(&self, a: &Term, b: &Term, max_between: u32) -> Vec<WordHit> {
        let (xs, ys) = (self.occurrences(a), self.occurrences(b));
        let mut out = Vec::new();
        // All of `ys` have the same length, so they are sorted by last word as well as by
        // first: both windows are found by binary search.
        for &x in &xs {
            let after = ys.partition_point(|y| y.first <= x.last);
            for &y in ys[after..]
                .iter()
                .take_while(|y| y.first - x.last - 1 <= max_between)
            {
                out.push(pair(x, y));
            }
            let before = ys.partition_point(|y| y.last < x.first);
            for &y in ys[..before]
                .iter()
                .rev()
                .take_while(|y| x.first - y.last - 1 <= max_between)
            {
                out.push(pair(y, x));
            }
        }
        normalise(out)
    }

    fn units(&self) -> &[u32] {
        self.units
            .get_or_init(|| unit_of_words(self.tokens, self.scope))
    }

    /// Units holding a hit of every `pos` and none of `neg` (see the module doc).
    fn and(&self, pos: &[&Node], neg: &[&Node]) -> Vec<WordHit> {
        let pos_hits: Vec<Vec<WordHit>> = pos.iter().map(|n| self.node(n)).collect();
        if pos_hits.iter().any(Vec::is_empty) {
            return Vec::new();
        }
        let units = self.units();
        let unit_count = units.last().map_or(0, |&u| u as usize + 1);
        let unit_of = |h: &WordHit| units[h.span.first as usize] as usize;
        // present[u] = how many of the first operands have a hit in u: operands are taken
        // in order, so it only rises when every earlier operand was there.
        let mut present = vec![0u32; unit_count];
        for (k, hits) in pos_hits.iter().enumerate() {
            for h in hits {
                let u = unit_of(h);
                if present[u] == k as u32 {
                    present[u] += 1;
                }
            }
        }
        for n in neg {
            for h in self.node(n) {
                present[unit_of(&h)] = u32::MAX;
            }
        }
        let wanted = pos.len() as u32;
        if pos.is_empty() {
            return whole_units(units, |u| present[u] == wanted);
        }
        let mut kept: Vec<(usize, &WordHit)> = pos_hits
            .iter()
            .flatten()
            .map(|h| (unit_of(h), h))
            .filter(|&(u, _)| present[u] == wanted)
            .collect();
        kept.sort_by_key(|&(u, _)| u);
        let mut out = Vec::new();
        for group in kept.chunk_by(|a, b| a.0 == b.0) {
            let mut marks = Vec::new();
            for (_, h) in group {
                h.push_marks(&mut marks);
            }
            marks.sort_unstable();
            marks.dedup();
            out.push(WordHit {
                span: Occ {
                    first: group.iter().map(|(_, h)| h.span.first).min().unwrap_or(0),
                    last: group.iter().map(|(_, h)| h.span.last).max().unwrap_or(0),
                },
                marks: Marks::List(marks),
            });
        }
        normalise(out)
    }
}

fn own(span: Occ) -> WordHit {
    WordHit {
        span,
        marks: Marks::Own,
    }
}

fn pair(first: Occ, second: Occ) -> WordHit {
    WordHit {
        span: Occ {
            first: first.first,
            last: first.last.max(second.last),
        },
        marks: Marks::Pair(first, second),
    }
}

/// Sorts hits by span and makes one hit of those with the same span.
fn normalise(mut hits: Vec<WordHit>) -> Vec<WordHit> {
    hits.sort_by_key(|h| h.span);
    let mut out: Vec<WordHit> = Vec::with_capacity(hits.len());
    for h in hits {
        match out.last_mut() {
            Some(last) if last.span == h.span => {
                if last.marks != h.marks {
                    let mut marks = Vec::new();
                    last.push_marks(&mut marks);
                    h.push_marks(&mut marks);
                    marks.sort_unstable();
                    marks.dedup();
                    last.marks = Marks::List(marks);
                }
            }
            _ => out.push(h),
        }
    }
    out
}

/// One hit per unit that `keep` accepts, from its first word to its last.
fn whole_units(units: &[u32], keep: impl Fn(usize) -> bool) -> Vec<WordHit> {
    let mut out = Vec::new();
    let mut first = 0;
    for (i, &u) in units.iter().enumerate() {
        if units.get(i + 1) != Some(&u) {
            if keep(u as usize) {
                out.push(WordHit {
                    span: Occ {
                        first: first as u32,
                        last: i as u32,
                    },
                    marks: Marks::List(Vec::new()),
                });
            }
            first = i + 1;
        }
    }
    out
}

/// The unit of each word under `scope`, numbered in text order (not necessarily from 0 nor
/// without gaps). A word outside every unit (a speaker label, which sentences leave out)
/// belongs to the next unit, or the last one.
fn unit_of_words(tokens: &Tokens<'_>, scope: Scope) -> Vec<u32> {
    let text = tokens.text();
    let ends: Vec<usize> = match scope {
        Scope::Document => return vec![0; tokens.len()],
        Scope::Paragraph => return paragraph_of_words(tokens),
        Scope::Sentence => units::sentence_bytes(text),
        Scope::Turn => units::turn_bytes(text),
    }
    .into_iter()
    .map(|r| r.end)
    .collect();
    let mut out = Vec::with_capacity(tokens.len());
    let mut unit = 0usize;
    for i in 0..tokens.len() {
        let at = tokens.bytes(i).start;
        while unit + 1 < ends.len() && ends[unit] <= at {
            unit += 1;
        }
        out.push(unit as u32);
    }
    out
}

/// The line of each word, counted from the line breaks in the gaps between words.
fn paragraph_of_words(tokens: &Tokens<'_>) -> Vec<u32> {
    let bytes = tokens.text().as_bytes();
    let mut out = Vec::with_capacity(tokens.len());
    let (mut unit, mut prev_end) = (0u32, 0usize);
    for i in 0..tokens.len() {
        let word = tokens.bytes(i);
        if memchr::memchr(b'\n', &bytes[prev_end..word.start]).is_some() {
            unit += 1;
        }
        out.push(unit);
        prev_end = word.end;
    }
    out
}

/// A word hit in chars and bytes of the text.
fn to_hit(tokens: &Tokens<'_>, h: &WordHit) -> Hit {
    let (first, last) = (h.span.first as usize, h.span.last as usize);
    let mut occs = Vec::new();
    h.push_marks(&mut occs);
    let mut marks: Vec<Span> = occs
        .iter()
        .map(|o| {
            Span::new(
                tokens.span(o.first as usize).start,
                tokens.span(o.last as usize).end,
            )
        })
        .collect();
    marks.sort_unstable();
    let mut merged: Vec<Span> = Vec::with_capacity(marks.len());
    for m in marks {
        match merged.last_mut() {
            Some(last) if m.start < last.end => last.end = last.end.max(m.end),
            _ => merged.push(m),
        }
    }
    Hit {
        span: Span::new(tokens.span(first).start, tokens.span(last).end),
        bytes: tokens.bytes(first).start..tokens.bytes(last).end,
        marks: merged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Interview lines with accents, œ, both apostrophes, hyphens, emoji and a phrase cut by
    /// a line break.
    const CORPUS: &str = "Enquêtrice : Le cœur du métier, c’est l'accueil 😀.\n\
        Nadia B. : Peut-être. Le service\npublic de l’État reste au cœur du\nmétier !\n\
        \n\
        Enquêtrice : Et les usagers ? Les usagers du service public… sauf le dimanche.\n\
        Nadia B. : Oui, ET non : l’administration administre.";

    fn quotes(q: &str, scope: Scope) -> Vec<String> {
        let query = Query::parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
        query
            .hits(CORPUS, scope)
            .iter()
            .map(|h| h.matched(CORPUS).to_string())
            .collect()
    }

    fn marks(q: &str, scope: Scope) -> Vec<Vec<String>> {
        let query = Query::parse(q).unwrap();
        let chars: Vec<char> = CORPUS.chars().collect();
        query
            .hits(CORPUS, scope)
            .iter()
            .map(|h| {
                h.marks
                    .iter()
                    .map(|m| chars[m.start..m.end].iter().collect())
                    .collect()
            })
            .collect()
    }

    const P: Scope = Scope::Paragraph;

    #[test]
    fn words_ignore_accents_case_and_ligatures() {
        assert_eq!(quotes("COEUR", P), ["cœur", "cœur"]);
        assert_eq!(quotes("etat", P), ["État"]);
        assert_eq!(quotes("peut", P), ["Peut"]);
        assert_eq!(quotes("admin*", P), ["administration", "administre"]);
        assert_eq!(quotes("c", P), ["c"]);
    }

    #[test]
    fn phrases_cross_line_breaks_hyphens_and_apostrophes() {
        assert_eq!(
            quotes("\"service public\"", P),
            ["service\npublic", "service public"]
        );
        assert_eq!(quotes("\"du metier\"", P), ["du métier", "du\nmétier"]);
        assert_eq!(quotes("\"peut être\"", P), ["Peut-être"]);
        assert_eq!(quotes("l’etat", P), ["l’État"]);
        assert_eq!(quotes("« c est l accueil »", P), ["c’est l'accueil"]);
        assert_eq!(quotes("\"usagers les\"", P), ["usagers ? Les"]);
        assert!(quotes("\"usagers usagers\"", P).is_empty());
    }

    #[test]
    fn near_either_order_and_at_the_limit() {
        // "cœur du métier": cœur … métier has one word between.
        assert_eq!(
            quotes("NEAR(metier coeur, 1)", P),
            ["cœur du métier", "cœur du\nmétier"]
        );
        assert!(quotes("NEAR(metier coeur, 0)", P).is_empty());
        // service … usagers, either order: "usagers du service" (1 between) and
        // "service\npublic de l’État reste au cœur du\nmétier" is far from any usager.
        assert_eq!(
            quotes("PRES(service usagers, 1)", P),
            ["usagers du service"]
        );
        assert_eq!(
            marks("PRES(service usagers, 1)", P),
            [["usagers", "service"]]
        );
        assert_eq!(
            quotes("PROCHE(\"service public\" etat, 2)", P),
            ["service\npublic de l’État"]
        );
        assert!(quotes("PROCHE(\"service public\" etat, 1)", P).is_empty());
    }

    #[test]
    fn and_or_not_by_paragraph() {
        // Paragraph = line: "cœur" and "accueil" share the first line only.
        assert_eq!(
            quotes("coeur ET accueil", P),
            ["cœur du métier, c’est l'accueil"]
        );
        assert_eq!(marks("coeur ET accueil", P), [["cœur", "accueil"]]);
        assert_eq!(quotes("peut ET service", P), ["Peut-être. Le service"]);
        assert!(quotes("peut ET service", Scope::Sentence).is_empty());
        assert_eq!(quotes("coeur accueil", Scope::Sentence).len(), 1);
        // A label belongs to the sentence after it.
        assert_eq!(
            quotes("nadia ET peut", Scope::Sentence),
            ["Nadia B. : Peut"]
        );
        assert_eq!(quotes("coeur AND accueil", Scope::Turn).len(), 1);
        assert_eq!(quotes("coeur et usagers", Scope::Document).len(), 1);
        assert_eq!(quotes("coeur OU etat", P), ["cœur", "État", "cœur"]);
        // "et" lower case is AND: quoted, it is the word.
        assert_eq!(quotes("\"et\"", P), ["Et", "ET"]);
        // NOT: lines with "service" without "usagers".
        assert_eq!(quotes("service SAUF usagers", P), ["service"]);
        assert_eq!(quotes("service NOT usagers", P), ["service"]);
        // A NOT alone: every line with words without "usagers" or "cœur".
        assert_eq!(
            quotes("NOT (usagers OR coeur)", P),
            [
                "Nadia B. : Peut-être. Le service",
                "métier",
                "Nadia B. : Oui, ET non : l’administration administre"
            ]
        );
        assert_eq!(marks("NOT usagers", P)[0], Vec::<String>::new());
    }

    #[test]
    fn nested_parentheses() {
        assert_eq!(
            quotes(
                "((usagers OU etat) ET (public SAUF (dimanche OU coeur)))",
                P
            ),
            Vec::<String>::new()
        );
        assert_eq!(
            quotes(
                "((usagers OU etat) ET (public SAUF (dimanche OU accueil)))",
                P
            ),
            ["public de l’État"]
        );
        assert_eq!(
            quotes("(usagers (service public)) OU etat", P),
            ["État", "usagers ? Les usagers du service public"]
        );
    }

    #[test]
    fn context_by_chars_and_words() {
        let q = Query::parse("etat").unwrap();
        let hit = &q.hits(CORPUS, P)[0];
        let c = hit.context(CORPUS, Width::Words(2));
        assert_eq!(
            (c.before, c.matched, c.after),
            ("de l’", "État", " reste au")
        );
        let c = hit.context(CORPUS, Width::Chars(3));
        assert_eq!((c.before, c.after), (" l’", " re"));
        let chars: Vec<char> = CORPUS.chars().collect();
        let whole: String = chars[c.span.start..c.span.end].iter().collect();
        assert_eq!(whole, format!("{}{}{}", c.before, c.matched, c.after));
        let first = &Query::parse("enquetrice").unwrap().hits(CORPUS, P)[0];
        let c = first.context(CORPUS, Width::Words(3));
        assert_eq!((c.before, c.after), ("", " : Le cœur du"));
    }
}
