//! Reading foreign selection positions.
//!
//! REFI-QDA says positions count code points, but tools count UTF-16 code units, count a
//! CRLF as two, or count the BOM. For each source every plausible reading is tried (only
//! the ones that differ for that text: UTF-16 only matters with characters outside the
//! BMP, line breaks only with line breaks, the BOM only if the file had one) and the one
//! that puts the most selection ends on word boundaries wins; ties go to the reading that
//! wins over the whole file, then to the one the writing tool is known for, then to the
//! standard. A file written by Fouille is read as written (code points).

use crate::model::text::{PositionMap, PositionScheme, PositionUnit};

/// Looking foreign positions up as char offsets (see [`PositionMap`]).
pub trait Lookup {
    /// Char offset of a foreign position, if it lands exactly on a char boundary.
    fn exact(&self, foreign: usize) -> Option<usize>;
    /// Char offset of a foreign position, rounded down to the char it falls in (clamped
    /// to the end of the text).
    fn floor(&self, foreign: usize) -> usize;
    /// The text's length in foreign units (the last valid position).
    fn foreign_len(&self) -> usize;
}

impl Lookup for PositionMap {
    fn exact(&self, foreign: usize) -> Option<usize> {
        self.to_char_exact(foreign)
    }

    fn floor(&self, foreign: usize) -> usize {
        self.to_char_floor(foreign)
    }

    fn foreign_len(&self) -> usize {
        PositionMap::foreign_len(self)
    }
}

/// The positions of one source: the standard reading (code points, nothing else counted)
/// is the identity and needs no table (a [`PositionMap`] costs 8 bytes per byte of text);
/// any other reading gets its table.
#[derive(Debug, Clone)]
pub enum Positions {
    /// The standard reading of a text of this many chars.
    Native(usize),
    /// Any other reading, as its table from foreign positions to chars.
    Map(PositionMap),
}

impl Positions {
    /// The positions of `text` (stored, normalised, `char_len` chars) under `scheme`.
    pub fn new(text: &str, char_len: usize, scheme: PositionScheme) -> Positions {
        if scheme == PositionScheme::NATIVE {
            Positions::Native(char_len)
        } else {
            Positions::Map(PositionMap::new(text, scheme))
        }
    }
}

impl Lookup for Positions {
    fn exact(&self, foreign: usize) -> Option<usize> {
        match self {
            Positions::Native(len) => (foreign <= *len).then_some(foreign),
            Positions::Map(map) => map.to_char_exact(foreign),
        }
    }

    fn floor(&self, foreign: usize) -> usize {
        match self {
            Positions::Native(len) => foreign.min(*len),
            Positions::Map(map) => map.to_char_floor(foreign),
        }
    }

    fn foreign_len(&self) -> usize {
        match self {
            Positions::Native(len) => *len,
            Positions::Map(map) => map.foreign_len(),
        }
    }
}

/// Why a reading was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// The writing tool is known to count this way.
    Origin,
    /// It put the most selection ends on word boundaries.
    Detected,
    /// Nothing told the readings apart: the standard (or the file's majority) was kept.
    Standard,
    /// The source has no selections.
    NoSelections,
}

impl Basis {
    /// A word for the report.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Origin => "origin",
            Basis::Detected => "detected",
            Basis::Standard => "standard",
            Basis::NoSelections => "no selections",
        }
    }
}

/// The chars on both sides of given char offsets of a text, found in one forward walk
/// over its bytes: what the word-boundary checks need. (An array of the text's chars,
/// as before, took 4 bytes per char and a tenth of a large import's time.)
#[derive(Debug, Clone)]
pub struct CharProbe<'t> {
    text: &'t str,
    len: usize,
    /// The offsets probed, ascending, and what is around each.
    offsets: Vec<usize>,
    around: Vec<Around>,
}

/// The chars before and at one offset (`None` at the start or end of the text).
#[derive(Debug, Clone, Copy, Default)]
struct Around {
    before: Option<char>,
    at: Option<char>,
}

impl<'t> CharProbe<'t> {
    /// Probes `text` (`len` chars) at `offsets` (in any order; offsets past the end are
    /// ignored).
    pub fn new(text: &'t str, len: usize, mut offsets: Vec<usize>) -> CharProbe<'t> {
        offsets.retain(|o| *o <= len);
        offsets.sort_unstable();
        offsets.dedup();
        let mut cursor = crate::model::text::CharCursor::new(text.as_bytes());
        let around = offsets
            .iter()
            .map(|&o| match cursor.byte_of(o) {
                Some(byte) => Around {
                    before: text.get(..byte).and_then(|t| t.chars().next_back()),
                    at: text.get(byte..).and_then(|t| t.chars().next()),
                },
                None => Around::default(),
            })
            .collect();
        CharProbe {
            text,
            len,
            offsets,
            around,
        }
    }

    /// What is around `offset`: from the probe, or (for an offset not probed) found by
    /// walking the text.
    fn around(&self, offset: usize) -> Around {
        match self.offsets.binary_search(&offset) {
            Ok(i) => self.around.get(i).copied().unwrap_or_default(),
            Err(_) => {
                let mut chars = self.text.chars().skip(offset.saturating_sub(1));
                let before = if offset == 0 { None } else { chars.next() };
                Around {
                    before,
                    at: chars.next(),
                }
            }
        }
    }

    /// Whether the char at `offset` is whitespace (`false` at the end).
    pub fn is_space_at(&self, offset: usize) -> bool {
        self.around(offset).at.is_some_and(char::is_whitespace)
    }

    /// Whether the char before `offset` is whitespace (`false` at the start).
    pub fn is_space_before(&self, offset: usize) -> bool {
        self.around(offset).before.is_some_and(char::is_whitespace)
    }

    /// Whether a char offset falls between words, as
    /// [`crate::model::text::is_word_boundary`] tells it on the chars.
    pub fn is_word_boundary(&self, offset: usize) -> bool {
        if offset == 0 || offset >= self.len {
            return true;
        }
        let around = self.around(offset);
        !(around.before.is_some_and(char::is_alphanumeric)
            && around.at.is_some_and(char::is_alphanumeric))
    }
}

/// What one source's text implies about which readings can differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextTraits {
    non_bmp: bool,
    non_ascii: bool,
    line_breaks: bool,
    bom: bool,
}

impl TextTraits {
    /// Looks at a stored text (and whether its file had a BOM).
    pub fn of(text: &str, had_bom: bool) -> TextTraits {
        TextTraits {
            // A char outside the BMP is exactly one that UTF-8 writes in four bytes, whose
            // first byte is 0xF0 or more (a byte scan, much faster than decoding chars).
            // Blocks of 64 bytes are checked whole (vectorised), not a byte at a time.
            non_bmp: text
                .as_bytes()
                .chunks(64)
                .any(|block| block.iter().fold(false, |seen, &b| seen | (b >= 0xF0))),
            non_ascii: !text.is_ascii(),
            line_breaks: text.contains('\n'),
            bom: had_bom,
        }
    }

    /// The reading that gives the same positions as `scheme` for this text, with the
    /// dimensions that make no difference reset.
    fn canonical(&self, scheme: PositionScheme) -> PositionScheme {
        let unit = match scheme.unit {
            PositionUnit::Utf16 if !self.non_bmp => PositionUnit::CodePoint,
            PositionUnit::Utf8Byte if !self.non_ascii => PositionUnit::CodePoint,
            u => u,
        };
        PositionScheme {
            unit,
            crlf_as_two: scheme.crlf_as_two && self.line_breaks,
            bom_counted: scheme.bom_counted && self.bom,
        }
    }
}

/// The order readings are preferred in when they tie, for a tool named by `origin`.
pub fn preference(origin: &str) -> Vec<PositionScheme> {
    let origin = origin.to_lowercase();
    let utf16_first = ["nvivo", "atlas", "maxqda", "quirkos", "dedoose"]
        .iter()
        .any(|t| origin.contains(t));
    let mut all = PositionScheme::all();
    if utf16_first {
        all.sort_by_key(|s| {
            (
                s.unit != PositionUnit::Utf16,
                s.unit == PositionUnit::Utf8Byte,
                s.crlf_as_two,
                s.bom_counted,
            )
        });
    } else {
        all.sort_by_key(|s| {
            (
                s.unit != PositionUnit::CodePoint,
                s.unit == PositionUnit::Utf8Byte,
                s.crlf_as_two,
                s.bom_counted,
            )
        });
    }
    all
}

/// Scores of every reading for one source. A selection end that lands on a word boundary
/// scores 2 when the excerpt begins (or ends) there on a visible char, 1 when it begins or
/// ends on whitespace (a reading shifted by one often puts spaces at both ends); an end
/// inside a word scores 0, and one inside a char or outside the text −2.
#[derive(Debug, Clone)]
pub struct SourceScores {
    /// Scores, in the order of [`PositionScheme::all`].
    pub scores: Vec<i64>,
    traits: TextTraits,
}

/// Equal scores for every reading (nothing weighed: for positions trusted as written).
pub fn unscored(traits: TextTraits) -> SourceScores {
    SourceScores {
        scores: vec![0; PositionScheme::all().len()],
        traits,
    }
}

/// Scores every reading of `selections` (foreign start, end) over `text` (`len` chars).
pub fn score(
    text: &str,
    len: usize,
    traits: TextTraits,
    selections: &[(i64, i64)],
) -> SourceScores {
    // Each distinct reading's offsets for every selection end, then the text probed once
    // at all of them.
    let all = PositionScheme::all();
    let mut readings: Vec<(PositionScheme, Vec<Option<usize>>)> = Vec::new();
    for scheme in &all {
        let canonical = traits.canonical(*scheme);
        if readings.iter().any(|(c, _)| *c == canonical) {
            continue;
        }
        let map = Positions::new(text, len, canonical);
        let ends = selections
            .iter()
            .flat_map(|&(start, end)| [start, end])
            .map(|pos| usize::try_from(pos).ok().and_then(|p| map.exact(p)))
            .collect();
        readings.push((canonical, ends));
    }
    let probed = readings
        .iter()
        .flat_map(|(_, ends)| ends.iter().flatten().copied())
        .collect();
    let chars = CharProbe::new(text, len, probed);
    let totals: Vec<(PositionScheme, i64)> = readings
        .iter()
        .map(|(canonical, ends)| {
            let mut s = 0i64;
            for (&(start, end), pair) in selections.iter().zip(ends.chunks_exact(2)) {
                for (exact, is_start) in [(pair[0], true), (pair[1], false)] {
                    s += match exact {
                        Some(offset) if chars.is_word_boundary(offset) => {
                            let on_space = if is_start {
                                chars.is_space_at(offset)
                            } else {
                                chars.is_space_before(offset)
                            };
                            if on_space { 1 } else { 2 }
                        }
                        Some(_) => 0,
                        None => -2,
                    };
                }
                if end <= start {
                    s -= 4;
                }
            }
            (*canonical, s)
        })
        .collect();
    let scores = all
        .iter()
        .map(|scheme| {
            let canonical = traits.canonical(*scheme);
            totals
                .iter()
                .find(|(c, _)| *c == canonical)
                .map_or(0, |(_, s)| *s)
        })
        .collect();
    SourceScores { scores, traits }
}

/// The reading chosen for one source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// The reading chosen, as the report names it.
    pub scheme: PositionScheme,
    /// The reading actually used for conversion (same positions for this text).
    pub effective: PositionScheme,
    /// Why this reading was chosen.
    pub basis: Basis,
}

/// Chooses a reading for one source given its scores, the file's majority reading and the
/// tool's preference order.
pub fn choose(
    scores: &SourceScores,
    majority: PositionScheme,
    preference: &[PositionScheme],
    has_selections: bool,
) -> Choice {
    let all = PositionScheme::all();
    let index = |s: PositionScheme| all.iter().position(|a| *a == s).unwrap_or(0);
    if !has_selections {
        return Choice {
            scheme: majority,
            effective: scores.traits.canonical(majority),
            basis: Basis::NoSelections,
        };
    }
    let best = scores.scores.iter().copied().max().unwrap_or(0);
    let tied: Vec<PositionScheme> = all
        .iter()
        .copied()
        .filter(|s| scores.scores[index(*s)] == best)
        .collect();
    let scheme = if tied.contains(&majority) {
        majority
    } else {
        preference
            .iter()
            .copied()
            .find(|s| tied.contains(s))
            .unwrap_or(PositionScheme::NATIVE)
    };
    let distinct: std::collections::HashSet<i64> = scores.scores.iter().copied().collect();
    let basis = if distinct.len() == 1 {
        Basis::Standard
    } else {
        Basis::Detected
    };
    Choice {
        scheme,
        effective: scores.traits.canonical(scheme),
        basis,
    }
}

/// The reading that wins over the whole file (sum of scores), ties by preference.
pub fn majority(all_scores: &[SourceScores], preference: &[PositionScheme]) -> PositionScheme {
    let schemes = PositionScheme::all();
    let totals: Vec<i64> = (0..schemes.len())
        .map(|i| all_scores.iter().map(|s| s.scores[i]).sum())
        .collect();
    let best = totals.iter().copied().max().unwrap_or(0);
    preference
        .iter()
        .copied()
        .find(|s| {
            schemes
                .iter()
                .position(|a| a == s)
                .is_some_and(|i| totals[i] == best)
        })
        .unwrap_or(PositionScheme::NATIVE)
}

/// Whether a foreign selection reaches outside the text (a negative start, an end past the
/// text's end): [`convert`] cuts it to the text, and the import says so.
pub fn reaches_outside(map: &impl Lookup, start: i64, end: i64) -> bool {
    let len = i64::try_from(map.foreign_len()).unwrap_or(i64::MAX);
    start < 0 || end < 0 || start > len || end > len
}

/// Converts a foreign selection to char offsets with `map`: a position inside a char
/// rounds outwards (start down, end up); positions are clamped to the text (see
/// [`reaches_outside`]). `None` when nothing is left.
pub fn convert(map: &impl Lookup, char_len: usize, start: i64, end: i64) -> Option<(usize, usize)> {
    let start = usize::try_from(start.max(0)).ok()?;
    let end = usize::try_from(end.max(0)).ok()?;
    let s = map
        .exact(start)
        .unwrap_or_else(|| map.floor(start))
        .min(char_len);
    let e = map
        .exact(end)
        .unwrap_or_else(|| (map.floor(end) + 1).min(char_len))
        .min(char_len);
    (s < e).then_some((s, e))
}

/// How many selection ends land exactly on a char and on a word boundary under `map`.
pub fn ends_on_boundaries(
    map: &impl Lookup,
    chars: &CharProbe<'_>,
    selections: &[(i64, i64)],
) -> usize {
    selections
        .iter()
        .flat_map(|&(s, e)| [s, e])
        .filter(|&p| {
            usize::try_from(p)
                .ok()
                .and_then(|p| map.exact(p))
                .is_some_and(|o| chars.is_word_boundary(o))
        })
        .count()
}

/// Whether a range begins or ends inside a word.
pub fn cuts_a_word(chars: &CharProbe<'_>, start: usize, end: usize) -> bool {
    !chars.is_word_boundary(start) || !chars.is_word_boundary(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_positions_match_the_native_table() {
        // The standard reading skips the table (8 bytes per byte of text, for every source
        // of a large import); it must give the same answers.
        let text = "Bonjour 😅\nle cœur";
        let len = text.chars().count();
        let table = PositionMap::new(text, PositionScheme::NATIVE);
        let native = Positions::new(text, len, PositionScheme::NATIVE);
        assert!(matches!(native, Positions::Native(_)));
        for p in 0..len + 5 {
            assert_eq!(native.exact(p), table.to_char_exact(p), "{p}");
            assert_eq!(native.floor(p), table.to_char_floor(p), "{p}");
        }
        for (s, e) in [(-3, 2), (0, 0), (3, 9), (5, 40), (40, 50), (4, 3)] {
            assert_eq!(convert(&native, len, s, e), convert(&table, len, s, e));
        }
    }

    #[test]
    fn the_probe_tells_what_the_chars_tell() {
        // The probe replaces an array of chars (4 bytes per char of each text, while it is
        // planned); every offset must give the same answers, probed or not, with accents,
        // œ, emoji and every kind of space.
        let text = "L'œuvre 😅 du\u{a0}cœur, 42 fois\tici ;\r\nÉté ".repeat(5);
        let chars: Vec<char> = text.chars().collect();
        let len = chars.len();
        let probed = (0..len + 3).filter(|o| o % 3 != 1).rev().collect();
        let probe = CharProbe::new(&text, len, probed);
        for offset in 0..len + 3 {
            assert_eq!(
                probe.is_word_boundary(offset),
                crate::model::text::is_word_boundary(&chars, offset),
                "{offset}"
            );
            assert_eq!(
                probe.is_space_at(offset),
                chars.get(offset).is_some_and(|c| c.is_whitespace()),
                "{offset}"
            );
            assert_eq!(
                probe.is_space_before(offset),
                offset
                    .checked_sub(1)
                    .and_then(|i| chars.get(i))
                    .is_some_and(|c| c.is_whitespace()),
                "{offset}"
            );
        }
    }

    #[test]
    fn utf16_with_crlf_as_two_is_detected() {
        // Raw text "Bonjour 😅\r\nle cœur du métier" read in UTF-16 with CRLF as 2.
        let text = "Bonjour 😅\nle cœur du métier";
        let chars: Vec<char> = text.chars().collect();
        let raw: Vec<u16> = "Bonjour 😅\r\nle cœur du métier".encode_utf16().collect();
        let find = |needle: &str| {
            let n: Vec<u16> = needle.encode_utf16().collect();
            let at = raw
                .windows(n.len())
                .position(|w| w == n.as_slice())
                .unwrap();
            (at as i64, (at + n.len()) as i64)
        };
        let selections = vec![find("cœur"), find("métier"), find("le")];
        let traits = TextTraits::of(text, false);
        let scores = score(text, chars.len(), traits, &selections);
        let pref = preference("");
        let choice = choose(
            &scores,
            majority(std::slice::from_ref(&scores), &pref),
            &pref,
            true,
        );
        assert_eq!(choice.scheme.unit, PositionUnit::Utf16);
        assert!(choice.scheme.crlf_as_two);
        let map = PositionMap::new(text, choice.effective);
        let (s, e) = convert(&map, chars.len(), selections[0].0, selections[0].1).unwrap();
        assert_eq!(chars[s..e].iter().collect::<String>(), "cœur");
    }
}
