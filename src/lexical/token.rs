//! The words of a text and their folded forms: the one tokenizer that search, concordance,
//! frequencies and units share, so that a word is the same word everywhere.
//!
//! A **word** is a maximal run of letters and digits (`char::is_alphanumeric`), with
//! private-use characters counted as letters, continued (never started) by the combining
//! diacritics that Latin letters decompose into (see [`is_diacritic`]). Everything else
//! separates words: spaces, punctuation, apostrophes (’ and '), hyphens, emoji, other
//! combining marks. So `l’État` is `l` + `État` and `peut-être` is `peut` + `être`. These
//! are the words FTS5's `unicode61` tokenizer reads in Latin-script text, which is what
//! keeps the FTS prefilter ([`super::prefilter`]) a superset of the hits.
//!
//! The **folded** form is what matching compares: canonical decomposition, combining marks
//! U+0300–U+036F dropped, lower case, œ → oe and æ → ae (`Œuvre` and `oeuvre` are both
//! `oeuvre`).

use std::ops::Range;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

use super::Span;

const ASCII_WORD: u8 = 1;
const ASCII_UPPER: u8 = 2;

/// Class bits of each ASCII byte: word char, upper case.
static ASCII_CLASS: [u8; 128] = ascii_classes();

const fn ascii_classes() -> [u8; 128] {
    let mut table = [0u8; 128];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        if b.is_ascii_alphanumeric() {
            table[i] |= ASCII_WORD;
        }
        if b.is_ascii_uppercase() {
            table[i] |= ASCII_UPPER;
        }
        i += 1;
    }
    table
}

/// Whether `c` starts or continues a word: a letter, a digit or a private-use char (a
/// combining mark is none of these, even the few Unicode counts as alphabetic).
pub fn is_word_char(c: char) -> bool {
    let code = c as usize;
    if code < 0x80 {
        return ASCII_CLASS[code] & ASCII_WORD != 0;
    }
    // Unicode's alphabetic lookup is slow, and French text asks it about every accented
    // letter, apostrophe and guillemet: Latin letters come from a table, and the General
    // Punctuation block (’ “ ” … – —) holds no letter or digit.
    if code < LATIN_END {
        return latin().word[code - 0x80];
    }
    if (0x2000..=0x206F).contains(&code) {
        return false;
    }
    slow_is_word_char(c)
}

fn slow_is_word_char(c: char) -> bool {
    !is_combining(c) && (c.is_alphanumeric() || is_private_use(c))
}

/// Whether `c` is a diacritic that continues a word: one of the combining marks that Latin
/// letters decompose into (grave, acute, circumflex, tilde, macron, breve, dot, diaeresis,
/// hook, ring, double acute, caron, double grave, inverted breve, horn, dot below,
/// diaeresis below, ring below, comma below, cedilla, ogonek, circumflex below, breve
/// below, tilde below, macron below) — exactly FTS5's list, so that a decomposed text is
/// split into the same words here and in the index.
pub fn is_diacritic(c: char) -> bool {
    const LOW: u32 = 0x0802_9FDF; // U+0300–U+031F
    const HIGH: u32 = 0x0003_61F8; // U+0320–U+0331
    match c as u32 {
        code @ 0x300..=0x31F => LOW & (1 << (code - 0x300)) != 0,
        code @ 0x320..=0x331 => HIGH & (1 << (code - 0x320)) != 0,
        _ => false,
    }
}

/// Whether `c` is in the combining diacritical marks block (U+0300–U+036F), which folding
/// drops.
fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

fn is_private_use(c: char) -> bool {
    matches!(c as u32, 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD)
}

/// Folds one char onto `out` (see the module doc); a combining mark folds to nothing.
pub fn fold_char(c: char, out: &mut String) {
    let code = c as usize;
    if code < 0x80 {
        out.push(c.to_ascii_lowercase());
    } else if code < LATIN_END {
        // Latin-1 and Latin Extended-A/B hold nearly every accented letter of a French or
        // English interview: their folds are computed once instead of decomposed each time.
        out.push_str(&latin().folds[code - 0x80]);
    } else {
        fold_char_slow(c, out);
    }
}

/// Folds a whole string char by char (meant for a word: separators are folded too, not
/// removed).
pub fn fold_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        fold_char(c, &mut out);
    }
    out
}

const LATIN_END: usize = 0x250;

/// Folds and word-char flags of U+0080 to `LATIN_END`, computed once.
struct Latin {
    folds: Vec<Box<str>>,
    word: Vec<bool>,
}

fn latin() -> &'static Latin {
    static TABLE: OnceLock<Latin> = OnceLock::new();
    TABLE.get_or_init(|| {
        let chars = (0x80..LATIN_END as u32).map(|code| char::from_u32(code).unwrap_or('\0'));
        Latin {
            folds: chars
                .clone()
                .map(|c| {
                    let mut s = String::new();
                    fold_char_slow(c, &mut s);
                    s.into_boxed_str()
                })
                .collect(),
            word: chars.map(slow_is_word_char).collect(),
        }
    })
}

fn fold_char_slow(c: char, out: &mut String) {
    match c {
        'œ' | 'Œ' => out.push_str("oe"),
        'æ' | 'Æ' => out.push_str("ae"),
        // The one letter FTS5's table leaves accented (a with dot above and macron): kept
        // so, or the FTS filter would ask for an `a` the index does not hold.
        'Ǡ' | 'ǡ' => out.push('ǡ'),
        _ => {
            for d in std::iter::once(c).nfd() {
                if is_combining(d) {
                    continue;
                }
                // Lower-casing can itself produce a diacritic (İ → i + U+0307).
                out.extend(d.to_lowercase().filter(|&l| !is_combining(l)));
            }
        }
    }
}

/// Where one word lies in its text: bytes and chars, start inclusive, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawWord {
    /// Byte offset of its first byte.
    pub start_byte: usize,
    /// Byte offset just past it.
    pub end_byte: usize,
    /// Char offset of its first char.
    pub start_char: usize,
    /// Char offset just past it.
    pub end_char: usize,
}

/// Calls `on_word` with each word of `text` in order and its folded form. `buffer` is
/// scratch space for folds (reused across calls to spare allocations); a word of lower-case
/// ASCII letters and digits is passed as its own fold without a copy. A word whose fold is
/// empty (a lone diacritic) is skipped.
pub fn scan_words(text: &str, buffer: &mut String, mut on_word: impl FnMut(RawWord, &str)) {
    let bytes = text.as_bytes();
    let (mut i, mut chars) = (0usize, 0usize);
    while i < bytes.len() {
        let b = bytes[i];
        let width = if b < 0x80 {
            usize::from(ASCII_CLASS[b as usize] & ASCII_WORD == 0)
        } else {
            let c = char_at(text, i);
            if is_word_char(c) { 0 } else { c.len_utf8() }
        };
        if width > 0 {
            // A separator.
            i += width;
            chars += 1;
            continue;
        }
        let (end, end_char, plain) = word_end(text, i, chars);
        let word = &text[i..end];
        let folded = if plain {
            word
        } else {
            buffer.clear();
            for c in word.chars() {
                fold_char(c, buffer);
            }
            buffer.as_str()
        };
        if !folded.is_empty() {
            let raw = RawWord {
                start_byte: i,
                end_byte: end,
                start_char: chars,
                end_char,
            };
            on_word(raw, folded);
        }
        (i, chars) = (end, end_char);
    }
}

/// Where the word starting at byte `i` (char `chars`) of `text` ends: byte, char, and
/// whether it is "plain" — lower-case ASCII letters and digits only, its own fold.
fn word_end(text: &str, mut i: usize, mut chars: usize) -> (usize, usize, bool) {
    let bytes = text.as_bytes();
    let mut plain = true;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            let class = ASCII_CLASS[b as usize];
            if class & ASCII_WORD == 0 {
                break;
            }
            plain &= class & ASCII_UPPER == 0;
            i += 1;
        } else {
            let c = char_at(text, i);
            if !(is_word_char(c) || is_diacritic(c)) {
                break;
            }
            plain = false;
            i += c.len_utf8();
        }
        chars += 1;
    }
    (i, chars, plain)
}

/// The char starting at byte `at` of `text` (a char boundary).
fn char_at(text: &str, at: usize) -> char {
    text[at..].chars().next().unwrap_or('\0')
}

/// One word of a [`Tokens`], in 32-bit offsets: a text stored by SQLite is under 1 GB, and
/// halving the slot keeps a long transcript's words in cache.
#[derive(Debug, Clone, Copy)]
struct Slot {
    start_byte: u32,
    end_byte: u32,
    start_char: u32,
    end_char: u32,
    /// Range of its fold in [`Tokens::folded`].
    fold_start: u32,
    fold_end: u32,
}

/// The words of one text, folded once: what queries, concordances and units read.
#[derive(Debug, Clone)]
pub struct Tokens<'t> {
    text: &'t str,
    /// Every word's fold, one after the other.
    folded: String,
    slots: Vec<Slot>,
}

impl<'t> Tokens<'t> {
    /// Splits `text` into words and folds them.
    pub fn new(text: &'t str) -> Tokens<'t> {
        let mut folded = String::with_capacity(text.len());
        // About one word per six bytes of interview text.
        let mut slots = Vec::with_capacity(text.len() / 6 + 1);
        let mut buffer = String::new();
        scan_words(text, &mut buffer, |raw, fold| {
            let fold_start = folded.len() as u32;
            folded.push_str(fold);
            slots.push(Slot {
                start_byte: raw.start_byte as u32,
                end_byte: raw.end_byte as u32,
                start_char: raw.start_char as u32,
                end_char: raw.end_char as u32,
                fold_start,
                fold_end: folded.len() as u32,
            });
        });
        Tokens {
            text,
            folded,
            slots,
        }
    }

    /// The text these are the words of.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether the text has no word.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The folded form of word `i` (0-based; panics past the last word).
    pub fn folded(&self, i: usize) -> &str {
        let s = &self.slots[i];
        &self.folded[s.fold_start as usize..s.fold_end as usize]
    }

    /// Word `i` as written in the text.
    pub fn original(&self, i: usize) -> &'t str {
        &self.text[self.bytes(i)]
    }

    /// Chars of word `i` in the text.
    pub fn span(&self, i: usize) -> Span {
        let s = &self.slots[i];
        Span::new(s.start_char as usize, s.end_char as usize)
    }

    /// Bytes of word `i` in the text.
    pub fn bytes(&self, i: usize) -> Range<usize> {
        let s = &self.slots[i];
        s.start_byte as usize..s.end_byte as usize
    }

    /// The folded forms of all the words, in text order.
    pub fn folded_words(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.folded(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(String, String)> {
        let t = Tokens::new(text);
        (0..t.len())
            .map(|i| (t.original(i).to_string(), t.folded(i).to_string()))
            .collect()
    }

    #[test]
    fn apostrophes_hyphens_emoji_and_ligatures() {
        let got = words("L’État, peut-être l'Œuvre😀 du CŒUR ; Ægide 3,5 %");
        let folded: Vec<&str> = got.iter().map(|(_, f)| f.as_str()).collect();
        assert_eq!(
            folded,
            [
                "l", "etat", "peut", "etre", "l", "oeuvre", "du", "coeur", "aegide", "3", "5"
            ]
        );
        assert_eq!(got[1].0, "État");
    }

    #[test]
    fn decomposed_accents_continue_a_word() {
        let text = "e\u{301}te\u{301} \u{301}x";
        let t = Tokens::new(text);
        assert_eq!(t.folded_words().collect::<Vec<_>>(), ["ete", "x"]);
        assert_eq!(t.span(0), Span::new(0, 5));
        assert_eq!(t.span(1), Span::new(7, 8));
        // Marks outside FTS5's list split words, as in the index (U+0336: strike-through;
        // U+0345 is alphabetic for Unicode, a separator for FTS5).
        let t = Tokens::new("ab\u{336}cd ab\u{345}cd");
        assert_eq!(
            t.folded_words().collect::<Vec<_>>(),
            ["ab", "cd", "ab", "cd"]
        );
        // Every mark a Latin letter decomposes into continues a word.
        for code in 0xC0u32..0x250 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            for d in std::iter::once(c).nfd().skip(1) {
                assert!(is_diacritic(d), "{c} {:x}", d as u32);
            }
        }
    }

    #[test]
    fn offsets_are_chars_and_bytes() {
        let text = "😀 élan\nÇa";
        let t = Tokens::new(text);
        assert_eq!(t.span(0), Span::new(2, 6));
        assert_eq!(t.bytes(0), 5..10);
        assert_eq!(t.original(1), "Ça");
        assert_eq!(t.folded(1), "ca");
        assert_eq!(t.span(1), Span::new(7, 9));
    }

    // The fold agrees with the app's FTS fold: folding after fold_for_search changes nothing.
    #[test]
    fn agrees_with_the_fts_ligature_fold() {
        for w in ["Œuvre", "cœur", "Æsop", "naïve", "ÉTÉ", "straße"] {
            assert_eq!(
                fold_word(&crate::model::text::fold_for_search(w)),
                fold_word(w),
                "{w}"
            );
        }
        assert_eq!(fold_word("İstanbul"), "istanbul");
    }

    #[test]
    fn tables_and_slow_paths_agree() {
        for code in (0x80u32..LATIN_END as u32).chain(0x2000..0x2070) {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            assert_eq!(is_word_char(c), slow_is_word_char(c), "{c}");
        }
        for code in 0x80u32..0x250 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let (mut fast, mut slow) = (String::new(), String::new());
            fold_char(c, &mut fast);
            fold_char_slow(c, &mut slow);
            assert_eq!(fast, slow, "{c}");
        }
    }
}
