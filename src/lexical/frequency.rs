//! Word frequencies: words counted by folded form over texts or excerpts, each shown in its
//! most frequent spelling; the top words; and the keyness of a subset's words against the
//! rest of the corpus (which words characterise the excerpts coded X, the rural
//! respondents…).
//!
//! Totals count every word, stop words and short words included: they are the denominators
//! of relative frequencies and keyness, which must not change with what is shown.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::stopwords::StopWords;
use super::token::scan_words;

/// Counts of words by folded form.
#[derive(Debug, Clone, Default)]
pub struct WordCounts {
    words: HashMap<Box<str>, Entry, BuildHasherDefault<FastHasher>>,
    total: u64,
}

/// One folded word's count and the spellings it was found in.
#[derive(Debug, Clone, Default)]
struct Entry {
    count: u64,
    /// Occurrences spelt exactly as the fold (most of them: lower case, no accent).
    as_folded: u64,
    /// Other spellings and their counts.
    others: Vec<(Box<str>, u64)>,
}

impl Entry {
    fn add(&mut self, original: &str, folded: &str, n: u64) {
        self.count += n;
        // A plain word is passed as its own fold (the same slice): no need to compare.
        let same_slice = std::ptr::eq(original, folded);
        if same_slice || original == folded {
            self.as_folded += n;
        } else if let Some(slot) = self.others.iter_mut().find(|(s, _)| **s == *original) {
            slot.1 += n;
        } else {
            self.others.push((original.into(), n));
        }
    }

    /// The most frequent spelling; a tie goes to the folded spelling if it is one of them
    /// (`service` rather than `Service`), else to the smallest string, so that the result
    /// does not depend on the order texts were counted in.
    fn display<'a>(&'a self, folded: &'a str) -> &'a str {
        let (mut best, mut best_count) = (folded, self.as_folded);
        for (s, n) in &self.others {
            let tie_won = *n == best_count && best != folded && **s < *best;
            if *n > best_count || tie_won {
                (best, best_count) = (s, *n);
            }
        }
        best
    }
}

/// What [`WordCounts::top`] and [`keyness`] show.
#[derive(Debug, Clone)]
pub struct WordFilter {
    /// Words left out.
    pub stop_words: StopWords,
    /// Words shorter than this, in chars of the folded form, are left out.
    pub min_chars: usize,
    /// Leave out words made only of digits.
    pub skip_numbers: bool,
    /// Leave out words seen fewer times than this (in the counts shown; for keyness, in
    /// the whole corpus).
    pub min_count: u64,
}

impl Default for WordFilter {
    /// French and English stop words, at least 2 chars, no numbers, any count.
    fn default() -> WordFilter {
        WordFilter {
            stop_words: StopWords::french_and_english(),
            min_chars: 2,
            skip_numbers: true,
            min_count: 1,
        }
    }
}

impl WordFilter {
    /// Whether a folded word is shown.
    pub fn keeps(&self, folded: &str, count: u64) -> bool {
        count >= self.min_count
            && folded.chars().count() >= self.min_chars
            && !(self.skip_numbers && folded.bytes().all(|b| b.is_ascii_digit()))
            && !self.stop_words.contains(folded)
    }
}

/// One word of a frequency list.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct WordFrequency {
    /// Folded form (what was counted).
    pub word: String,
    /// Most frequent spelling.
    pub display: String,
    /// Occurrences.
    pub count: u64,
    /// `count` over all the words counted (stop words included), 0 to 1.
    pub share: f64,
}

impl WordCounts {
    /// No word counted yet.
    pub fn new() -> WordCounts {
        WordCounts::default()
    }

    /// Counts the words of one text or excerpt.
    pub fn add_text(&mut self, text: &str) {
        let mut buffer = String::new();
        let (words, total) = (&mut self.words, &mut self.total);
        scan_words(text, &mut buffer, |raw, folded| {
            *total += 1;
            let original = &text[raw.start_byte..raw.end_byte];
            match words.get_mut(folded) {
                Some(entry) => entry.add(original, folded, 1),
                None => {
                    let mut entry = Entry::default();
                    entry.add(original, folded, 1);
                    words.insert(folded.into(), entry);
                }
            }
        });
    }

    /// Counts many texts on up to `threads` threads (texts longer than a thread's share are
    /// cut between words).
    pub fn count_texts(texts: &[&str], threads: usize) -> WordCounts {
        let pieces = split_work(texts, threads.max(1));
        if pieces.len() <= 1 {
            let mut counts = WordCounts::new();
            pieces.iter().flatten().for_each(|t| counts.add_text(t));
            return counts;
        }
        let mut parts: Vec<WordCounts> = std::thread::scope(|scope| {
            let handles: Vec<_> = pieces
                .iter()
                .map(|share| {
                    scope.spawn(move || {
                        let mut counts = WordCounts::new();
                        share.iter().for_each(|t| counts.add_text(t));
                        counts
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("counting words does not panic"))
                .collect()
        });
        let mut all = parts.pop().unwrap_or_default();
        for part in parts {
            all.merge(part);
        }
        all
    }

    /// Adds the counts of `other`.
    pub fn merge(&mut self, other: WordCounts) {
        self.total += other.total;
        for (word, entry) in other.words {
            let mine = self.words.entry(word).or_default();
            let word_key = entry.as_folded;
            mine.count += entry.count;
            mine.as_folded += word_key;
            for (spelling, n) in entry.others {
                match mine.others.iter_mut().find(|(s, _)| *s == spelling) {
                    Some(slot) => slot.1 += n,
                    None => mine.others.push((spelling, n)),
                }
            }
        }
    }

    /// All the words counted, stop words included.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Number of distinct folded words.
    pub fn distinct(&self) -> usize {
        self.words.len()
    }

    /// Occurrences of a folded word.
    pub fn count(&self, folded: &str) -> u64 {
        self.words.get(folded).map_or(0, |e| e.count)
    }

    /// The most frequent spelling of a folded word, if it was seen.
    pub fn display(&self, folded: &str) -> Option<&str> {
        self.words.get_key_value(folded).map(|(k, e)| e.display(k))
    }

    /// The `n` most frequent words that `filter` keeps, most frequent first (ties: by
    /// folded form).
    pub fn top(&self, n: usize, filter: &WordFilter) -> Vec<WordFrequency> {
        let mut kept: Vec<(&str, &Entry)> = self
            .words
            .iter()
            .filter(|(w, e)| filter.keeps(w, e.count))
            .map(|(w, e)| (&**w, e))
            .collect();
        kept.sort_unstable_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
        kept.truncate(n);
        kept.into_iter()
            .map(|(w, e)| WordFrequency {
                word: w.to_string(),
                display: e.display(w).to_string(),
                count: e.count,
                share: share(e.count, self.total),
            })
            .collect()
    }
}

fn share(count: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        count as f64 / total as f64
    }
}

/// Splits texts into at most `threads` shares of about the same size in bytes, cutting a
/// text too long for one share at a space or line break.
fn split_work<'t>(texts: &[&'t str], threads: usize) -> Vec<Vec<&'t str>> {
    let total: usize = texts.iter().map(|t| t.len()).sum();
    let per_share = total.div_ceil(threads).max(1);
    let mut shares: Vec<Vec<&str>> = vec![Vec::new()];
    let mut filled = 0;
    for &text in texts {
        let mut rest = text;
        while !rest.is_empty() {
            let room = per_share.saturating_sub(filled);
            let cut = if rest.len() <= room {
                rest.len()
            } else {
                // Cut at whitespace at or after the room left (a word is never split).
                memchr::memchr2(b' ', b'\n', &rest.as_bytes()[room..])
                    .map_or(rest.len(), |k| room + k)
            };
            shares.last_mut().expect("one share").push(&rest[..cut]);
            filled += cut;
            rest = &rest[cut..];
            if filled >= per_share && shares.len() < threads {
                shares.push(Vec::new());
                filled = 0;
            }
        }
    }
    shares.retain(|s| !s.is_empty());
    shares
}

/// One word's keyness in a subset against the rest of the corpus.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Keyness {
    /// Folded form.
    pub word: String,
    /// Most frequent spelling in the whole corpus.
    pub display: String,
    /// Occurrences in the subset.
    pub subset_count: u64,
    /// Occurrences in the rest of the corpus.
    pub rest_count: u64,
    /// `subset_count` over all the subset's words, 0 to 1.
    pub subset_share: f64,
    /// `rest_count` over all the rest's words, 0 to 1.
    pub rest_share: f64,
    /// Log-likelihood G² of the two counts against their totals, positive when the word is
    /// relatively more frequent in the subset, negative when less. Above 3.84 (in absolute
    /// value), p < 0.05 for one word taken alone; above 10.83, p < 0.001.
    pub g2: f64,
}

/// The keyness of every word of `whole` that `filter` keeps, in a subset of it (`subset`
/// must have been counted over part of what `whole` was: the rest is their difference).
/// Most characteristic of the subset first, most characteristic of the rest last; ties by
/// folded form.
pub fn keyness(subset: &WordCounts, whole: &WordCounts, filter: &WordFilter) -> Vec<Keyness> {
    let subset_total = subset.total;
    let rest_total = whole.total.saturating_sub(subset.total);
    let mut out: Vec<Keyness> = whole
        .words
        .iter()
        .filter(|(w, e)| filter.keeps(w, e.count))
        .map(|(w, e)| {
            let a = subset.count(w);
            let b = e.count.saturating_sub(a);
            Keyness {
                word: w.to_string(),
                display: e.display(w).to_string(),
                subset_count: a,
                rest_count: b,
                subset_share: share(a, subset_total),
                rest_share: share(b, rest_total),
                g2: signed_g2(a, b, subset_total, rest_total),
            }
        })
        .collect();
    out.sort_by(|x, y| y.g2.total_cmp(&x.g2).then_with(|| x.word.cmp(&y.word)));
    out
}

/// Dunning's log-likelihood of `a` occurrences among `c` words against `b` among `d`,
/// signed by the direction of the difference.
pub fn signed_g2(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let (a, b, c, d) = (a as f64, b as f64, c as f64, d as f64);
    if c + d == 0.0 || a + b == 0.0 {
        return 0.0;
    }
    let e1 = c * (a + b) / (c + d);
    let e2 = d * (a + b) / (c + d);
    let term = |o: f64, e: f64| if o > 0.0 { o * (o / e).ln() } else { 0.0 };
    let g2 = 2.0 * (term(a, e1) + term(b, e2));
    let over = c > 0.0 && (d == 0.0 || a / c > b / d);
    if over { g2 } else { -g2 }
}

/// A small, fast hasher for short keys (FxHash's multiply-rotate): words are hashed tens of
/// millions of times per corpus, and SipHash's resistance to chosen keys buys nothing here.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FastHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Folded word → (count, spelling → count).
    type Naive = HashMap<String, (u64, HashMap<String, u64>)>;

    /// The counts and the total by the slowest obvious means.
    fn naive(texts: &[&str]) -> (Naive, u64) {
        let mut out = Naive::new();
        let mut total = 0;
        for text in texts {
            let tokens = crate::lexical::Tokens::new(text);
            for i in 0..tokens.len() {
                total += 1;
                let e = out.entry(tokens.folded(i).to_string()).or_default();
                e.0 += 1;
                *e.1.entry(tokens.original(i).to_string()).or_default() += 1;
            }
        }
        (out, total)
    }

    fn check(texts: &[&str], threads: usize) {
        let counts = WordCounts::count_texts(texts, threads);
        let (expected, total) = naive(texts);
        assert_eq!(counts.total(), total);
        assert_eq!(counts.distinct(), expected.len());
        for (word, (n, spellings)) in &expected {
            assert_eq!(counts.count(word), *n, "{word}");
            let best = spellings.values().max().unwrap();
            let display = counts.display(word).unwrap();
            assert_eq!(spellings.get(display), Some(best), "{word}: {display}");
            let mut tied: Vec<&String> = spellings
                .iter()
                .filter(|(_, c)| *c == best)
                .map(|(s, _)| s)
                .collect();
            tied.sort();
            let wanted = if tied.contains(&word) { word } else { tied[0] };
            assert_eq!(display, wanted.as_str());
        }
    }

    const WORDS: &[&str] = &[
        "État",
        "état",
        "etat",
        "ÉTAT",
        "cœur",
        "Coeur",
        "l’",
        "d'",
        "peut-être",
        "😀",
        "de",
        "la",
        "2024",
        "3,5",
        "\n",
        "\n\n",
        ". ",
        " ",
        " ",
        "Œuvre",
        "naïve",
        "e\u{301}te\u{301}",
    ];

    proptest! {
        #[test]
        fn counts_match_a_naive_count(
            picks in proptest::collection::vec(proptest::collection::vec(0..WORDS.len(), 0..60), 1..6),
            threads in 1usize..4,
        ) {
            let texts: Vec<String> = picks
                .iter()
                .map(|p| p.iter().map(|&i| format!("{} ", WORDS[i])).collect())
                .collect();
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            check(&refs, threads);
        }
    }

    #[test]
    fn a_long_text_cut_between_threads() {
        let text = "Le cœur du métier, l’État et l'état de l’art. ".repeat(500);
        check(&[&text, "court"], 3);
        let counts = WordCounts::count_texts(&[&text], 3);
        assert_eq!(counts.count("etat"), 1000);
        assert_eq!(counts.display("etat"), Some("État"));
    }

    #[test]
    fn top_words_with_stop_words_min_length_and_numbers() {
        let mut counts = WordCounts::new();
        counts.add_text("Le service public, le Service, les services ; 2024 x l’usager, l'usager");
        let top = counts.top(3, &WordFilter::default());
        let got: Vec<(&str, u64)> = top.iter().map(|w| (w.display.as_str(), w.count)).collect();
        assert_eq!(got, [("service", 2), ("usager", 2), ("public", 1)]);
        assert_eq!(top[0].share, 2.0 / 13.0);
        let everything = WordFilter {
            stop_words: StopWords::none(),
            min_chars: 1,
            skip_numbers: false,
            min_count: 1,
        };
        let all = counts.top(100, &everything);
        assert_eq!(all.len(), counts.distinct());
    }

    #[test]
    fn keyness_signs_and_values() {
        let (mut subset, mut whole) = (WordCounts::new(), WordCounts::new());
        let rural = "ferme ferme tracteur commune mairie";
        let urban = "métro métro tram mairie commune bureau";
        subset.add_text(rural);
        whole.add_text(rural);
        whole.add_text(urban);
        let k = keyness(&subset, &whole, &WordFilter::default());
        assert_eq!(k.first().unwrap().word, "ferme");
        assert_eq!(k.last().unwrap().word, "metro");
        let ferme = &k[0];
        assert_eq!((ferme.subset_count, ferme.rest_count), (2, 0));
        assert!((ferme.subset_share - 0.4).abs() < 1e-12 && ferme.rest_share == 0.0);
        // G² by hand: a=2, b=0, c=5, d=6: E1 = 5·2/11; G² = 2·2·ln(2/E1).
        let expected = 4.0 * (2.0f64 / (10.0 / 11.0)).ln();
        assert!((ferme.g2 - expected).abs() < 1e-12);
        let mairie = k.iter().find(|x| x.word == "mairie").unwrap();
        assert!(mairie.g2.abs() < 0.1 && mairie.g2 > 0.0);
        assert_eq!(signed_g2(0, 0, 5, 6), 0.0);
        assert!(signed_g2(1, 9, 10, 10) < 0.0);
    }
}
