//! Text normalisation and offset conversions.
//!
//! Fouille stores a document's text with the BOM removed and every CRLF or lone CR turned
//! into LF, so that an offset does not depend on the line endings of the file it came from.
//! Offsets into that stored text are **Unicode scalar values**
//! (Rust `char`s), start inclusive, end exclusive. Foreign tools count differently
//! (UTF-8 bytes, UTF-16 code units, CRLF as two, a BOM as one); this module owns every
//! conversion, so nothing else slices text by bytes.

pub use super::char_scan::{CharCursor, CharIndex, count_char_starts, line_start_chars, slices};

/// The byte-order mark, U+FEFF.
pub const BOM: char = '\u{feff}';

/// A name as the store keeps it: trimmed, and with control characters replaced by their
/// visible pictures (a line break becomes `␊`, an escape `␛`, a NUL `␀`; other C1 controls
/// and the bidirectional overrides, which can make a name display as another, become `�`).
/// Names come from file names, survey ids and other tools' projects: printed raw, a control
/// character could rewrite a terminal line or hide a name behind another.
pub fn clean_name(name: &str) -> std::borrow::Cow<'_, str> {
    let trimmed = name.trim();
    let needs_work =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !trimmed.chars().any(needs_work) {
        return std::borrow::Cow::Borrowed(trimmed);
    }
    let cleaned: String = trimmed
        .chars()
        .map(|c| match c {
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            c if needs_work(c) => '\u{fffd}',
            c => c,
        })
        .collect();
    std::borrow::Cow::Owned(cleaned)
}

/// Normalises text as the store keeps it: a leading BOM removed, CRLF and lone CR → LF.
pub fn normalize_text(text: &str) -> String {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

/// Number of chars (scalar values) in `text`.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// Byte offset of the `char_offset`-th char; `None` past the end (the end itself is valid).
pub fn char_to_byte(text: &str, char_offset: usize) -> Option<usize> {
    if char_offset == 0 {
        return Some(0);
    }
    let mut count = 0;
    for (byte, _) in text.char_indices() {
        if count == char_offset {
            return Some(byte);
        }
        count += 1;
    }
    (count == char_offset).then_some(text.len())
}

/// Byte offsets of many char offsets in one pass over the text. `offsets` must be sorted
/// ascending; each result is `None` past the end of the text.
pub fn chars_to_bytes_sorted(text: &str, offsets: &[usize]) -> Vec<Option<usize>> {
    // Counting char starts byte by byte (a char starts at every byte that is not a UTF-8
    // continuation byte) is several times faster than decoding chars.
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(offsets.len());
    let mut index = 0usize; // char index of the char starting at `byte`
    let mut byte = 0usize;
    for &wanted in offsets {
        while index < wanted && byte < bytes.len() {
            byte += 1;
            while byte < bytes.len() && (bytes[byte] & 0xC0) == 0x80 {
                byte += 1;
            }
            index += 1;
        }
        out.push((index == wanted).then_some(byte));
    }
    out
}

/// Char offset of a byte offset; `None` if it is not on a char boundary or past the end.
pub fn byte_to_char(text: &str, byte_offset: usize) -> Option<usize> {
    if byte_offset > text.len() || !text.is_char_boundary(byte_offset) {
        return None;
    }
    Some(text[..byte_offset].chars().count())
}

/// The chars `[start_char, end_char)` of `text`, or `None` if the range is out of bounds
/// or reversed.
pub fn slice_chars(text: &str, start_char: usize, end_char: usize) -> Option<&str> {
    if start_char > end_char {
        return None;
    }
    let start = char_to_byte(text, start_char)?;
    let len = char_to_byte(&text[start..], end_char - start_char)?;
    Some(&text[start..start + len])
}

/// UTF-16 code-unit offset of a char offset; `None` past the end.
pub fn char_to_utf16(text: &str, char_offset: usize) -> Option<usize> {
    let mut units = 0;
    let mut chars = text.chars();
    for _ in 0..char_offset {
        units += chars.next()?.len_utf16();
    }
    Some(units)
}

/// Char offset of a UTF-16 code-unit offset. An offset that falls inside a surrogate pair
/// is rounded down to the start of that char when `round_down` is true, else `None`.
pub fn utf16_to_char(text: &str, utf16_offset: usize, round_down: bool) -> Option<usize> {
    let mut units = 0;
    for (index, c) in text.chars().enumerate() {
        if units == utf16_offset {
            return Some(index);
        }
        units += c.len_utf16();
        if units > utf16_offset {
            return round_down.then_some(index);
        }
    }
    (units == utf16_offset).then(|| text.chars().count())
}

/// How a foreign tool counted positions in a text: the unit, whether each line break counted
/// as two (CRLF), and whether a leading BOM counted as one position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct PositionScheme {
    /// What one position counts: code points, UTF-16 code units or UTF-8 bytes.
    pub unit: PositionUnit,
    /// Each `\n` of the stored text counted as two positions (the original had CRLF).
    pub crlf_as_two: bool,
    /// A BOM at the start counted as one position.
    pub bom_counted: bool,
}

/// The unit a foreign position counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum PositionUnit {
    /// Unicode scalar values (code points): the REFI-QDA standard and Fouille's own unit.
    CodePoint,
    /// UTF-16 code units (a char outside the BMP counts as two).
    Utf16,
    /// UTF-8 bytes.
    Utf8Byte,
}

impl PositionScheme {
    /// Fouille's own scheme: code points, LF as one, no BOM.
    pub const NATIVE: PositionScheme = PositionScheme {
        unit: PositionUnit::CodePoint,
        crlf_as_two: false,
        bom_counted: false,
    };

    /// Every scheme, native first.
    pub fn all() -> Vec<PositionScheme> {
        let mut out = Vec::new();
        for unit in [
            PositionUnit::CodePoint,
            PositionUnit::Utf16,
            PositionUnit::Utf8Byte,
        ] {
            for crlf_as_two in [false, true] {
                for bom_counted in [false, true] {
                    out.push(PositionScheme {
                        unit,
                        crlf_as_two,
                        bom_counted,
                    });
                }
            }
        }
        out
    }

    /// A short human description, e.g. "UTF-16 units, CRLF as 2, BOM counted".
    pub fn describe(&self) -> String {
        let unit = match self.unit {
            PositionUnit::CodePoint => "code points",
            PositionUnit::Utf16 => "UTF-16 units",
            PositionUnit::Utf8Byte => "UTF-8 bytes",
        };
        format!(
            "{unit}, line breaks as {}, BOM {}",
            if self.crlf_as_two { 2 } else { 1 },
            if self.bom_counted {
                "counted"
            } else {
                "not counted"
            }
        )
    }
}

/// Precomputed table for converting between a stored text's char offsets and a foreign
/// scheme's positions in O(log n) per lookup.
#[derive(Debug, Clone)]
pub struct PositionMap {
    /// `foreign[i]` = foreign position of char offset `i`; one more entry than chars.
    foreign: Vec<usize>,
}

impl PositionMap {
    /// Builds the map of `text` (stored, normalised) under `scheme`.
    pub fn new(text: &str, scheme: PositionScheme) -> PositionMap {
        let mut foreign = Vec::with_capacity(text.len() + 1);
        let mut pos = usize::from(scheme.bom_counted);
        for c in text.chars() {
            foreign.push(pos);
            pos += match scheme.unit {
                PositionUnit::CodePoint => 1,
                PositionUnit::Utf16 => c.len_utf16(),
                PositionUnit::Utf8Byte => c.len_utf8(),
            };
            if c == '\n' && scheme.crlf_as_two {
                pos += 1;
            }
        }
        foreign.push(pos);
        PositionMap { foreign }
    }

    /// Foreign position of a char offset; `None` past the end.
    pub fn to_foreign(&self, char_offset: usize) -> Option<usize> {
        self.foreign.get(char_offset).copied()
    }

    /// Char offset of a foreign position, if it lands exactly on a char boundary.
    pub fn to_char_exact(&self, foreign: usize) -> Option<usize> {
        self.foreign.binary_search(&foreign).ok()
    }

    /// Char offset of a foreign position, rounded down to the char it falls in (clamped to
    /// the end of the text).
    pub fn to_char_floor(&self, foreign: usize) -> usize {
        match self.foreign.binary_search(&foreign) {
            Ok(i) => i,
            Err(0) => 0,
            Err(i) => i - 1,
        }
    }

    /// The foreign length of the whole text.
    pub fn foreign_len(&self) -> usize {
        self.foreign.last().copied().unwrap_or(0)
    }
}

/// Rounds a char offset into `[0, len]`.
pub fn clamp_char(text_len_chars: usize, offset: usize) -> usize {
    offset.min(text_len_chars)
}

/// Whether a char offset sits on a word boundary: at either end of the text, or between a
/// non-alphanumeric and an alphanumeric char (or the reverse), or next to whitespace or
/// punctuation. Used to judge which reading of foreign positions is right.
pub fn is_word_boundary(chars: &[char], offset: usize) -> bool {
    if offset == 0 || offset >= chars.len() {
        return true;
    }
    let before = chars[offset - 1].is_alphanumeric();
    let after = chars[offset].is_alphanumeric();
    !(before && after)
}

/// Folds text for search: ligatures œ→oe and æ→ae (FTS5 folds case, and its diacritic removal
/// does not split them).
pub fn fold_for_search(text: &str) -> String {
    // œ, Œ, æ and Æ are the two-byte sequences C5 93, C5 92, C3 A6 and C3 86: the text is
    // copied a run at a time between the lead bytes C3/C5 (a whole transcript of ASCII and
    // accented letters goes in a few large copies instead of char by char).
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 16);
    let mut copied = 0;
    for at in memchr::memchr2_iter(0xC3, 0xC5, bytes) {
        let folded = match (bytes[at], bytes.get(at + 1)) {
            (0xC5, Some(0x93)) => "oe",
            (0xC5, Some(0x92)) => "OE",
            (0xC3, Some(0xA6)) => "ae",
            (0xC3, Some(0x86)) => "AE",
            _ => continue,
        };
        // `at` starts a char (a lead byte), so both slices fall on char boundaries.
        out.push_str(&text[copied..at]);
        out.push_str(folded);
        copied = at + 2;
    }
    out.push_str(&text[copied..]);
    out
}

/// Checks that `bytes` are UTF-8 (SIMD-accelerated: a whole corpus of texts is checked on
/// import and on indexing); the error says where the first bad byte is.
pub fn utf8(bytes: &[u8]) -> Result<&str, simdutf8::compat::Utf8Error> {
    simdutf8::compat::from_utf8(bytes)
}

/// Like [`fold_for_search`] but keeps a map from each folded char back to the char offset
/// of the original text, so search hits can be shown in the original.
pub fn fold_with_map(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        match c {
            'œ' | 'Œ' | 'æ' | 'Æ' => {
                let folded = fold_for_search(&c.to_string());
                for f in folded.chars() {
                    out.push(f);
                    map.push(i);
                }
            }
            _ => {
                out.push(c);
                map.push(i);
            }
        }
    }
    map.push(text.chars().count());
    (out, map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_no_control_character() {
        assert_eq!(clean_name("  Entretien 3 "), "Entretien 3");
        assert_eq!(clean_name("a\nb\u{1b}[2Jc\u{7f}"), "a␊b␛[2Jc␡");
        assert_eq!(clean_name("x\u{202e}gpj.exe"), "x\u{fffd}gpj.exe");
        assert_eq!(clean_name("Zoé 😅 l’État"), "Zoé 😅 l’État");
    }

    #[test]
    fn normalises_bom_and_line_endings() {
        assert_eq!(normalize_text("\u{feff}a\r\nb\rc\n"), "a\nb\nc\n");
    }

    #[test]
    fn many_offsets_in_one_pass() {
        let t = "aé😅b";
        assert_eq!(
            chars_to_bytes_sorted(t, &[0, 1, 2, 3, 4, 5]),
            vec![Some(0), Some(1), Some(3), Some(7), Some(8), None]
        );
        assert_eq!(chars_to_bytes_sorted("", &[0, 1]), vec![Some(0), None]);
    }

    // the sparse index slices exactly like the linear walk, across checkpoints,
    // with accents, œ, emoji and line breaks.
    #[test]
    fn char_index_slices_like_the_linear_walk() {
        let unit = "Œuvre é😅\nçà ";
        let text: String = unit.repeat(300);
        let index = CharIndex::new(&text);
        let n = char_len(&text);
        assert_eq!(index.len_chars(), n);
        assert_eq!(CharIndex::from_bytes(text.as_bytes()), index);
        // The one-walk slices agree too, whatever the order of the ranges.
        let ranges = [(1000, 2100), (5, 4), (0, 3), (n - 1, n + 1), (1023, 1025)];
        let walked = slices(text.as_bytes(), &ranges);
        for (&(start, end), quote) in ranges.iter().zip(walked) {
            assert_eq!(quote, slice_chars(&text, start, end), "{start}..{end}");
        }
        for start in (0..=n).step_by(97).chain([1023, 1024, 1025, n - 1, n]) {
            for len in [0, 1, 2, 1023, 1024, 1300, n] {
                let end = start.saturating_add(len);
                assert_eq!(
                    index.slice(&text, start, end),
                    slice_chars(&text, start, end),
                    "{start}..{end}"
                );
            }
        }
        assert_eq!(index.slice(&text, 5, 4), None);
        assert_eq!(CharIndex::new("").slice("", 0, 0), Some(""));
        assert_eq!(CharIndex::new("").slice("", 0, 1), None);
    }

    // the block-at-a-time counts agree with decoding chars (blocks of 255 bytes:
    // long texts with multi-byte chars across their edges too).
    #[test]
    fn counts_chars_and_lines_a_block_at_a_time() {
        let long = "Réflexes publics : « oui » 😅 cœur\nsuite\n\nfin ".repeat(40);
        for text in [
            "",
            "a",
            "é\n",
            "\n\nœ😅 x\nyz",
            "Réflexes publics : « oui » 😅\nsuite\n\nfin",
            "ab\ncdefghij\nklmnopqrstuvwxyz\n",
            &long,
            &"é".repeat(300),
        ] {
            assert_eq!(
                count_char_starts(text.as_bytes()),
                text.chars().count(),
                "{text:?}"
            );
            let mut expected = vec![0];
            for (i, c) in text.chars().enumerate() {
                if c == '\n' {
                    expected.push(i + 1);
                }
            }
            assert_eq!(line_start_chars(text.as_bytes()), expected, "{text:?}");
        }
    }

    #[test]
    fn utf16_round_trip_with_emoji() {
        let t = "é😅x";
        assert_eq!(char_to_utf16(t, 2), Some(3));
        assert_eq!(utf16_to_char(t, 3, false), Some(2));
        assert_eq!(utf16_to_char(t, 2, false), None);
        assert_eq!(utf16_to_char(t, 2, true), Some(1));
    }
}
