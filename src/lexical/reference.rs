//! Test-only: a slow evaluator written straight from the semantics in [`super::eval`], over
//! a word list made by its own plain tokenizer, to check the fast one against on random
//! texts and queries; the same cases check that the prefilters keep every document with a
//! hit (the FTS5 one against a real FTS5 index).

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use unicode_normalization::UnicodeNormalization;

use super::query::{Node, Term};
use super::units::{Unit, units};
use super::{Hit, Query, Scope, Span};

/// A word: its fold and its chars.
struct Word {
    folded: String,
    start: usize,
    end: usize,
}

fn fold(c: char) -> String {
    match c {
        'œ' | 'Œ' => "oe".into(),
        'æ' | 'Æ' => "ae".into(),
        'Ǡ' | 'ǡ' => "ǡ".into(),
        _ => c
            .nfd()
            .flat_map(char::to_lowercase)
            .filter(|d| !('\u{300}'..='\u{36f}').contains(d))
            .collect(),
    }
}

fn words(text: &str) -> Vec<Word> {
    let chars: Vec<char> = text.chars().collect();
    // Letters and digits, private use included, combining marks excluded; FTS5's
    // diacritics (written out from its source) continue a word.
    let combining = |c: char| ('\u{300}'..='\u{36f}').contains(&c);
    let letter =
        |c: char| !combining(c) && (c.is_alphanumeric() || ('\u{e000}'..='\u{f8ff}').contains(&c));
    let mark = |c: char| {
        let code = c as u32;
        (0x300..=0x331).contains(&code) && {
            let (mask, bit) = if code < 0x320 {
                (0x0802_9FDFu32, code - 0x300)
            } else {
                (0x0003_61F8, code - 0x320)
            };
            mask & (1 << bit) != 0
        }
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !letter(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (letter(chars[i]) || mark(chars[i])) {
            i += 1;
        }
        let folded: String = chars[start..i].iter().map(|&c| fold(c)).collect();
        if !folded.is_empty() {
            out.push(Word {
                folded,
                start,
                end: i,
            });
        }
    }
    out
}

/// Span (first word, last word) → highlighted occurrences (first word, last word).
type Hits = BTreeMap<(usize, usize), BTreeSet<(usize, usize)>>;

fn occurrences(t: &Term, words: &[Word]) -> Vec<(usize, usize)> {
    let k = t.words.len();
    (0..words.len())
        .filter(|&i| {
            i + k <= words.len() && (0..k).all(|j| t.words[j].matches(&words[i + j].folded))
        })
        .map(|i| (i, i + k - 1))
        .collect()
}

fn eval(node: &Node, words: &[Word], unit: &[usize]) -> Hits {
    let mut out = Hits::new();
    match node {
        Node::Term(t) => {
            for o in occurrences(t, words) {
                out.entry(o).or_default().insert(o);
            }
        }
        Node::Near { a, b, max_between } => {
            for x in occurrences(a, words) {
                for y in occurrences(b, words) {
                    let gap = if x.1 < y.0 {
                        y.0 - x.1 - 1
                    } else if y.1 < x.0 {
                        x.0 - y.1 - 1
                    } else {
                        continue; // they share a word
                    };
                    if gap <= *max_between as usize {
                        let span = (x.0.min(y.0), x.1.max(y.1));
                        out.entry(span).or_default().extend([x, y]);
                    }
                }
            }
        }
        Node::Or(items) => {
            for item in items {
                for (span, marks) in eval(item, words, unit) {
                    out.entry(span).or_default().extend(marks);
                }
            }
        }
        Node::And(items) => return and(items.iter().collect(), words, unit),
        Node::Not(_) => return and(vec![node], words, unit),
    }
    out
}

fn and(items: Vec<&Node>, words: &[Word], unit: &[usize]) -> Hits {
    let mut pos = Vec::new();
    let mut neg = Vec::new();
    for item in items {
        match item {
            Node::Not(inner) => neg.push(eval(inner, words, unit)),
            other => pos.push(eval(other, words, unit)),
        }
    }
    let in_unit = |hits: &Hits, u: usize| -> Hits {
        hits.iter()
            .filter(|(span, _)| unit[span.0] == u)
            .map(|(s, m)| (*s, m.clone()))
            .collect()
    };
    let mut out = Hits::new();
    let all_units: BTreeSet<usize> = unit.iter().copied().collect();
    for u in all_units {
        let found: Vec<_> = pos.iter().map(|h| in_unit(h, u)).collect();
        if found.iter().any(Hits::is_empty) || neg.iter().any(|h| !in_unit(h, u).is_empty()) {
            continue;
        }
        if pos.is_empty() {
            let members: Vec<usize> = (0..words.len()).filter(|&i| unit[i] == u).collect();
            out.entry((members[0], *members.last().unwrap()))
                .or_default();
            continue;
        }
        let all: Vec<_> = found.into_iter().flatten().collect();
        let span = (
            all.iter().map(|(s, _)| s.0).min().unwrap(),
            all.iter().map(|(s, _)| s.1).max().unwrap(),
        );
        let entry = out.entry(span).or_default();
        for (_, marks) in all {
            entry.extend(marks);
        }
    }
    out
}

/// The unit of each word: its line, or the first sentence or turn that ends after its
/// start (the last one if none), or 0.
fn unit_of_words(text: &str, words: &[Word], scope: Scope) -> Vec<usize> {
    let chars: Vec<char> = text.chars().collect();
    let spans = match scope {
        Scope::Document => return vec![0; words.len()],
        Scope::Paragraph => {
            return words
                .iter()
                .map(|w| chars[..w.start].iter().filter(|&&c| c == '\n').count())
                .collect();
        }
        Scope::Sentence => units(text, Unit::Sentence),
        Scope::Turn => units(text, Unit::Turn),
    };
    words
        .iter()
        .map(|w| {
            let next = spans.iter().position(|s| s.end > w.start);
            next.unwrap_or(spans.len().saturating_sub(1))
        })
        .collect()
}

fn reference_hits(query: &Query, text: &str, scope: Scope) -> Vec<(Span, Vec<Span>)> {
    let words = words(text);
    let unit = unit_of_words(text, &words, scope);
    eval(query.root(), &words, &unit)
        .into_iter()
        .map(|((first, last), marks)| {
            let mut spans: Vec<Span> = marks
                .iter()
                .map(|&(a, b)| Span::new(words[a].start, words[b].end))
                .collect();
            spans.sort();
            let mut merged: Vec<Span> = Vec::new();
            for s in spans {
                match merged.last_mut() {
                    Some(m) if s.start < m.end => m.end = m.end.max(s.end),
                    _ => merged.push(s),
                }
            }
            (Span::new(words[first].start, words[last].end), merged)
        })
        .collect()
}

const PIECES: &[&str] = &[
    "chat",
    "Chat",
    "chât",
    "CHATS",
    "chatte",
    "chien",
    "cœur",
    "Coeur",
    "Œuvre",
    "oeuvre",
    "état",
    "État",
    "l’État",
    "l'etat",
    "peut-être",
    "peut",
    "être",
    "de",
    "la",
    "de la",
    "3,5",
    "😀",
    "e\u{301}te\u{301}",
    "Nadia B. :",
    "Enquêtrice :",
    "M.",
    "\u{e000}x",
];

const SEPARATORS: &[&str] = &[
    " ", " ", " ", "  ", "\n", "\n\n", ", ", ". ", " ! ", " ? ", "… ", " « ", " » ", " - ", "-",
    "’", " 😀 ", ".\n",
];

const QUERY_WORDS: &[&str] = &[
    "chat",
    "chat*",
    "ch*",
    "chien",
    "coeur",
    "Œuvre",
    "etat",
    "l’état",
    "\"peut être\"",
    "\"de la\"",
    "\"chat chien\"",
    "être",
    "de",
    "la",
    "3",
    "e*",
    "ete",
    "\"chat* de\"",
    "«chat chat»",
    "nadia",
    "x",
];

const OPERATORS: &[&str] = &["AND", "OR", "ET", "OU", "SAUF", "", "AND NOT", "ou", "not"];

fn text_strategy() -> impl Strategy<Value = String> {
    proptest::collection::vec((0..PIECES.len(), 0..SEPARATORS.len()), 0..40).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(p, s)| format!("{}{}", PIECES[p], SEPARATORS[s]))
            .collect()
    })
}

fn query_strategy() -> impl Strategy<Value = String> {
    let word = proptest::sample::select(QUERY_WORDS).prop_map(String::from);
    let near = (
        proptest::sample::select(QUERY_WORDS),
        proptest::sample::select(QUERY_WORDS),
        0u32..4,
        proptest::sample::select(&["NEAR", "PRES", "proche"][..]),
    )
        .prop_map(|(a, b, d, kw)| format!("{kw}({a} {b}, {d})"));
    let leaf = prop_oneof![3 => word, 1 => near];
    leaf.prop_recursive(3, 12, 2, |inner| {
        prop_oneof![
            3 => (inner.clone(), inner.clone(), proptest::sample::select(OPERATORS))
                .prop_map(|(a, b, op)| format!("({a} {op} {b})")),
            1 => inner.prop_map(|a| format!("NOT {a}")),
        ]
    })
}

fn scope_strategy() -> impl Strategy<Value = Scope> {
    proptest::sample::select(
        &[
            Scope::Paragraph,
            Scope::Paragraph,
            Scope::Sentence,
            Scope::Turn,
            Scope::Document,
        ][..],
    )
}

fn fts_matches(conn: &rusqlite::Connection, text: &str, filter: &str) -> bool {
    crate::store::search::scratch_matches(conn, text, filter)
        .unwrap_or_else(|e| panic!("{filter}: {e}"))
}

fn fts_connection() -> rusqlite::Connection {
    crate::store::search::scratch_index().unwrap()
}

/// What one case checked: (had hits, was checked against FTS5).
fn check(text: &str, q: &str, scope: Scope, conn: &rusqlite::Connection) -> (bool, bool) {
    let query = Query::parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
    let fast: Vec<(Span, Vec<Span>)> = query
        .hits(text, scope)
        .into_iter()
        .map(|Hit { span, marks, .. }| (span, marks))
        .collect();
    assert_eq!(
        fast,
        reference_hits(&query, text, scope),
        "{q} in {text:?} by {scope:?}"
    );
    if fast.is_empty() {
        return (false, false);
    }
    let set = super::prefilter::WordSet::from_text(text);
    assert!(query.could_match(&set), "could_match: {q} in {text:?}");
    let Some(filter) = query.fts5_filter() else {
        return (true, false);
    };
    assert!(
        fts_matches(conn, text, &filter),
        "{filter} ({q}) in {text:?}"
    );
    (true, true)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    #[test]
    fn fast_hits_equal_brute_force(
        text in text_strategy(),
        q in query_strategy(),
        scope in scope_strategy(),
    ) {
        thread_local! {
            static CONN: rusqlite::Connection = fts_connection();
        }
        CONN.with(|conn| check(&text, &q, scope, conn));
    }
}

// The random cases are not vacuous: many have hits, many are checked against FTS5.
#[test]
fn random_cases_find_something() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let cases = (text_strategy(), query_strategy(), scope_strategy());
    let conn = fts_connection();
    let (mut with_hits, mut with_fts) = (0, 0);
    for _ in 0..1000 {
        let (text, q, scope) = cases.new_tree(&mut runner).unwrap().current();
        let (hits, fts) = check(&text, &q, scope, &conn);
        with_hits += usize::from(hits);
        with_fts += usize::from(fts);
    }
    assert!(with_hits > 300 && with_fts > 150, "{with_hits} {with_fts}");
}

#[test]
fn hand_picked_cases() {
    let conn = fts_connection();
    for (text, q) in [
        ("chat chat chat", "\"chat chat\""),
        ("chat de chat", "NEAR(chat chat, 1)"),
        ("chat chat", "NEAR(chat chat, 0)"),
        ("chat\n\nchien", "NOT chien"),
        ("la peut-être\nla", "NOT (\"peut être\" OR la)"),
        ("😀 .\nchat", "NOT x"),
        (
            "chat chien de la chat",
            "NEAR(\"chat chien\" chat, 2) OU (chat ET la)",
        ),
    ] {
        for scope in [
            Scope::Paragraph,
            Scope::Sentence,
            Scope::Turn,
            Scope::Document,
        ] {
            check(text, q, scope, &conn);
        }
    }
}

// Every char that folds to ASCII letters or digits here is folded to the same by FTS5,
// precomposed and decomposed: the FTS filter only ever asks for such folds.
#[test]
fn fts5_folds_latin_letters_as_we_do() {
    let conn = fts_connection();
    for code in 0x80u32..0x3_0000 {
        let Some(c) = char::from_u32(code) else {
            continue;
        };
        let folded = super::token::fold_word(&c.to_string());
        let ascii = !folded.is_empty() && folded.bytes().all(|b| b.is_ascii_alphanumeric());
        if !super::token::is_word_char(c) || !ascii {
            continue;
        }
        for text in [format!("x {c}y"), format!("x {}y", c.to_string().nfd())] {
            let filter = format!("\"x {folded}y\"");
            assert!(fts_matches(&conn, &text, &filter), "{c} {code:x}");
        }
    }
}
