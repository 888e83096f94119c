//! Text normalisation and offset conversions.
//!
//! Fouille stores a document's text with the BOM removed and every CRLF or lone CR turned
//! into LF (DESIGN §2.2). Offsets into that stored text are **Unicode scalar values**
//! (Rust `char`s), start inclusive, end exclusive. Foreign tools count differently
//! (UTF-8 bytes, UTF-16 code units, CRLF as two, a BOM as one); this module owns every
//! conversion, so nothing else slices text by bytes.

/// The byte-order mark, U+FEFF.
pub const BOM: char = '\u{feff}';

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

/// A sparse char → byte index of one text: the byte offset of every 1024th char, so that
/// slicing a long transcript by char offsets walks at most 1024 chars instead of the whole
/// prefix (quoting 10,000 excerpts of 60,000-char interviews went from seconds to
/// milliseconds). Built in one pass over the bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CharIndex {
    checkpoints: Vec<usize>,
    len_chars: usize,
}

impl CharIndex {
    const STEP: usize = 1024;

    /// Indexes `text`.
    pub fn new(text: &str) -> CharIndex {
        CharIndex::from_bytes(text.as_bytes())
    }

    /// Indexes UTF-8 bytes not checked yet (a text streamed from the store: only the
    /// slices taken are checked, by [`CharIndex::slice_bytes`]).
    pub fn from_bytes(bytes: &[u8]) -> CharIndex {
        // A char starts at every byte that is not a UTF-8 continuation byte. Blocks of 64
        // bytes are counted with a loop the compiler vectorises; only a block in which a
        // checkpoint falls is walked byte by byte.
        const BLOCK: usize = 64;
        let mut checkpoints = Vec::with_capacity(bytes.len() / Self::STEP + 1);
        let mut chars = 0usize;
        for (k, block) in bytes.chunks(BLOCK).enumerate() {
            let starts = count_char_starts(block);
            let next_checkpoint = chars.div_ceil(Self::STEP) * Self::STEP;
            if chars + starts > next_checkpoint {
                let mut c = chars;
                for (i, &b) in block.iter().enumerate() {
                    if is_char_start(b) {
                        if c % Self::STEP == 0 {
                            checkpoints.push(k * BLOCK + i);
                        }
                        c += 1;
                    }
                }
            }
            chars += starts;
        }
        CharIndex {
            checkpoints,
            len_chars: chars,
        }
    }

    /// Number of chars of the indexed text.
    pub fn len_chars(&self) -> usize {
        self.len_chars
    }

    /// Byte offset of the `char_offset`-th char of `bytes` (the text this index was built
    /// on); `None` past the end (the end itself is valid).
    fn byte_offset(&self, bytes: &[u8], char_offset: usize) -> Option<usize> {
        if char_offset >= self.len_chars {
            return (char_offset == self.len_chars).then_some(bytes.len());
        }
        let k = char_offset / Self::STEP;
        let base = *self.checkpoints.get(k)?;
        let mut rest = char_offset - k * Self::STEP;
        for (i, &b) in bytes.get(base..)?.iter().enumerate() {
            if is_char_start(b) {
                if rest == 0 {
                    return Some(base + i);
                }
                rest -= 1;
            }
        }
        None
    }

    /// Byte offset of the `char_offset`-th char of `text` (the text this index was built
    /// on); `None` past the end (the end itself is valid).
    pub fn char_to_byte(&self, text: &str, char_offset: usize) -> Option<usize> {
        self.byte_offset(text.as_bytes(), char_offset)
    }

    /// The chars `[start_char, end_char)` of `text` (the text this index was built on), or
    /// `None` if the range is out of bounds or reversed.
    pub fn slice<'a>(&self, text: &'a str, start_char: usize, end_char: usize) -> Option<&'a str> {
        if start_char > end_char {
            return None;
        }
        let start = self.char_to_byte(text, start_char)?;
        let end = self.char_to_byte(text, end_char)?;
        text.get(start..end)
    }

    /// Like [`CharIndex::slice`] on bytes not checked yet: `None` also when the slice is
    /// not valid UTF-8.
    pub fn slice_bytes<'a>(
        &self,
        bytes: &'a [u8],
        start_char: usize,
        end_char: usize,
    ) -> Option<&'a str> {
        if start_char > end_char {
            return None;
        }
        let start = self.byte_offset(bytes, start_char)?;
        let end = self.byte_offset(bytes, end_char)?;
        std::str::from_utf8(bytes.get(start..end)?).ok()
    }
}

/// A forward-only char → byte walker over UTF-8 bytes not checked yet: asked for char
/// offsets in increasing order, it walks the text once, 64 bytes at a time while the
/// offset asked is far ahead (quoting many passages of a text streamed from the store
/// without indexing the whole text first).
#[derive(Debug, Clone)]
pub struct CharCursor<'a> {
    bytes: &'a [u8],
    /// Where the walk is.
    byte: usize,
    /// Chars starting before `byte`.
    chars: usize,
}

impl<'a> CharCursor<'a> {
    /// A cursor at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> CharCursor<'a> {
        CharCursor {
            bytes,
            byte: 0,
            chars: 0,
        }
    }

    /// Byte offset of the `char_offset`-th char (the end of the text is valid); `None`
    /// past the end, or for an offset lower than one asked before.
    pub fn byte_of(&mut self, char_offset: usize) -> Option<usize> {
        const BLOCK: usize = 64;
        if char_offset < self.chars {
            return None;
        }
        // A block of 64 bytes starts at most 64 chars: while the target is that far ahead,
        // whole blocks are counted and skipped.
        while char_offset - self.chars >= BLOCK && self.byte + BLOCK <= self.bytes.len() {
            self.chars += count_char_starts(&self.bytes[self.byte..self.byte + BLOCK]);
            self.byte += BLOCK;
        }
        while self.byte < self.bytes.len() {
            if is_char_start(self.bytes[self.byte]) {
                if self.chars == char_offset {
                    return Some(self.byte);
                }
                self.chars += 1;
            }
            self.byte += 1;
        }
        (self.chars == char_offset).then_some(self.bytes.len())
    }
}

/// Whether a byte starts a char in UTF-8 (is not a continuation byte `10xxxxxx`).
fn is_char_start(b: u8) -> bool {
    (b as i8) >= -64
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of every continuation byte (`10xxxxxx`) of 8 bytes read as one word.
fn continuation_bits(word: u64) -> u64 {
    word & !(word << 1) & HIGHS
}

/// Number of chars starting in `bytes` (UTF-8, not checked): the bytes that are not
/// continuation bytes, counted 8 at a time.
pub fn count_char_starts(bytes: &[u8]) -> usize {
    let mut words = bytes.chunks_exact(8);
    let mut count = 0;
    for w in &mut words {
        let word = u64::from_le_bytes(w.try_into().unwrap_or([0; 8]));
        count += 8 - continuation_bits(word).count_ones() as usize;
    }
    count
        + words
            .remainder()
            .iter()
            .filter(|&&b| is_char_start(b))
            .count()
}

/// Char offsets where the lines of `bytes` (UTF-8, not checked) start: 0, then the char
/// after each `\n`. Read 8 bytes at a time, without a branch per byte.
pub fn line_start_chars(bytes: &[u8]) -> Vec<usize> {
    const LOWS: u64 = !HIGHS;
    let newlines = ONES * u64::from(b'\n');
    let mut starts = vec![0];
    let mut chars = 0usize;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let word = u64::from_le_bytes(w.try_into().unwrap_or([0; 8]));
        let continuation = continuation_bits(word);
        // Exact zero-byte test of `word ^ newlines`: the high bit of each byte equal to `\n`.
        let x = word ^ newlines;
        let mut found = !(((x & LOWS).wrapping_add(LOWS)) | x | LOWS);
        while found != 0 {
            let bit = found.trailing_zeros();
            // Bytes up to and including this `\n` (its high bit is `bit`).
            let upto = if bit == 63 {
                u64::MAX
            } else {
                (1u64 << (bit + 1)) - 1
            };
            let bytes_upto = (bit as usize + 1) / 8;
            starts.push(chars + bytes_upto - (continuation & upto).count_ones() as usize);
            found &= found - 1;
        }
        chars += 8 - continuation.count_ones() as usize;
    }
    for &b in words.remainder() {
        if is_char_start(b) {
            chars += 1;
        }
        if b == b'\n' {
            starts.push(chars);
        }
    }
    starts
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
    /// Units counted.
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

    // issue 8: the sparse index slices exactly like the linear walk, across checkpoints,
    // with accents, œ, emoji and line breaks.
    #[test]
    fn char_index_slices_like_the_linear_walk() {
        let unit = "Œuvre é😅\nçà ";
        let text: String = unit.repeat(300);
        let index = CharIndex::new(&text);
        let n = char_len(&text);
        assert_eq!(index.len_chars(), n);
        assert_eq!(CharIndex::from_bytes(text.as_bytes()), index);
        assert_eq!(
            index.slice_bytes(text.as_bytes(), 1000, 2100),
            slice_chars(&text, 1000, 2100)
        );
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

    // issue 8: the word-at-a-time counts agree with decoding chars.
    #[test]
    fn counts_chars_and_lines_a_word_at_a_time() {
        for text in [
            "",
            "a",
            "é\n",
            "\n\nœ😅 x\nyz",
            "Réflexes publics : « oui » 😅\nsuite\n\nfin",
            "ab\ncdefghij\nklmnopqrstuvwxyz\n",
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
