//! The text selection: two document char offsets, always on grapheme boundaries so an
//! emoji, a flag or a letter with a combining accent is never split.

use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};

use super::layout::TextLayout;
use crate::lexical::Span;
use crate::lexical::units::snap_to_words;

/// A selection: where it started and where the cursor is (document char offsets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Selection {
    /// Where the selection started.
    pub anchor: usize,
    /// Where the cursor is.
    pub cursor: usize,
}

impl Selection {
    /// A caret at `offset`.
    pub fn caret(offset: usize) -> Selection {
        Selection {
            anchor: offset,
            cursor: offset,
        }
    }

    /// The selected range, start ≤ end.
    pub fn range(&self) -> (usize, usize) {
        (self.anchor.min(self.cursor), self.anchor.max(self.cursor))
    }

    /// Whether nothing is selected.
    pub fn is_empty(&self) -> bool {
        self.anchor == self.cursor
    }
}

/// How to snap an offset that falls inside a grapheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Snap {
    /// To the grapheme's start.
    Back,
    /// To the grapheme's end.
    Forward,
}

/// Byte offset of local char `chars` in `text` (clamped to the end).
fn byte_of(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map(|(b, _)| b)
        .unwrap_or(text.len())
}

/// Snaps a document offset to a grapheme boundary of its paragraph.
pub fn snap(layout: &TextLayout, offset: usize, direction: Snap) -> usize {
    let offset = offset.min(layout.char_count());
    let p = layout.paragraph_of_char(offset);
    let Some(para) = layout.paragraphs.get(p) else {
        return offset;
    };
    let local = offset - para.char_start;
    if local == 0 || local >= para.char_len {
        return offset;
    }
    let text = layout.paragraph_text(p);
    let byte = byte_of(text, local);
    let mut cursor = GraphemeCursor::new(byte, text.len(), true);
    if cursor.is_boundary(text, 0).unwrap_or(true) {
        return offset;
    }
    let target = match direction {
        Snap::Back => cursor.prev_boundary(text, 0),
        Snap::Forward => cursor.next_boundary(text, 0),
    };
    match target {
        Ok(Some(b)) => para.char_start + text[..b].chars().count(),
        _ => offset,
    }
}

/// A selection range snapped outwards to grapheme boundaries.
pub fn snapped_range(layout: &TextLayout, selection: Selection) -> (usize, usize) {
    let (start, end) = selection.range();
    (
        snap(layout, start, Snap::Back),
        snap(layout, end, Snap::Forward),
    )
}

/// A range with each end that falls inside a word moved out to the word's edge, as
/// [`crate::lexical::units::snap_to_words`] says, each end looked at in its own paragraph
/// (a mouse selection, unless Alt is held).
pub fn word_range(layout: &TextLayout, (start, end): (usize, usize)) -> (usize, usize) {
    if start >= end {
        return (start, end);
    }
    let snap_end = |offset: usize, at_start: bool| {
        let p = layout.paragraph_of_char(offset);
        let Some(para) = layout.paragraphs.get(p) else {
            return offset;
        };
        let local = offset.saturating_sub(para.char_start).min(para.char_len);
        let range = if at_start {
            Span::new(local, para.char_len)
        } else {
            Span::new(0, local)
        };
        let snapped = snap_to_words(layout.paragraph_text(p), range);
        para.char_start + if at_start { snapped.start } else { snapped.end }
    };
    (snap_end(start, true), snap_end(end, false))
}

/// The offset one grapheme (or, with `word`, one word) before or after `offset`.
pub fn step(layout: &TextLayout, offset: usize, forward: bool, word: bool) -> usize {
    let total = layout.char_count();
    let p = layout.paragraph_of_char(offset.min(total));
    let Some(para) = layout.paragraphs.get(p) else {
        return offset;
    };
    let local = offset.saturating_sub(para.char_start).min(para.char_len);
    // Across a paragraph break, one step moves over the `\n`.
    if forward && local == para.char_len {
        return (offset + 1).min(total);
    }
    if !forward && local == 0 {
        return offset.saturating_sub(1);
    }
    let text = layout.paragraph_text(p);
    let byte = byte_of(text, local);
    let new_byte = if word {
        if forward {
            text.split_word_bound_indices()
                .map(|(b, w)| b + w.len())
                .find(|&end| end > byte && !text[..end].ends_with(char::is_whitespace))
                .unwrap_or(text.len())
        } else {
            text.split_word_bound_indices()
                .filter(|(b, w)| *b < byte && !w.trim().is_empty())
                .map(|(b, _)| b)
                .next_back()
                .unwrap_or(0)
        }
    } else {
        let mut cursor = GraphemeCursor::new(byte, text.len(), true);
        let next = if forward {
            cursor.next_boundary(text, 0)
        } else {
            cursor.prev_boundary(text, 0)
        };
        next.ok()
            .flatten()
            .unwrap_or(if forward { text.len() } else { 0 })
    };
    para.char_start + text[..new_byte].chars().count()
}

/// The word around a document offset (for double-click), as a document range.
pub fn word_at(layout: &TextLayout, offset: usize) -> (usize, usize) {
    let p = layout.paragraph_of_char(offset);
    let Some(para) = layout.paragraphs.get(p) else {
        return (offset, offset);
    };
    let text = layout.paragraph_text(p);
    let byte = byte_of(text, offset.saturating_sub(para.char_start));
    for (b, w) in text.split_word_bound_indices() {
        if byte >= b && byte < b + w.len() {
            let start = para.char_start + text[..b].chars().count();
            return (start, start + w.chars().count());
        }
    }
    (offset, offset)
}

/// The whole paragraph around an offset (for triple-click).
pub fn paragraph_at(layout: &TextLayout, offset: usize) -> (usize, usize) {
    let p = layout.paragraph_of_char(offset);
    layout
        .paragraphs
        .get(p)
        .map(|para| (para.char_start, para.char_end()))
        .unwrap_or((offset, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    // selections never split an emoji, a flag or a combining accent.
    #[test]
    fn snaps_to_grapheme_boundaries() {
        // "e" + combining acute, a family emoji (ZWJ sequence), a French flag.
        let text = "ae\u{301}b👨\u{200d}👩\u{200d}👧c🇫🇷d";
        let layout = TextLayout::new(text.to_string());
        // Inside "é" (chars 1..3): offset 2.
        assert_eq!(snap(&layout, 2, Snap::Back), 1);
        assert_eq!(snap(&layout, 2, Snap::Forward), 3);
        // The family emoji is chars 4..9; offset 6 is inside.
        assert_eq!(snap(&layout, 6, Snap::Back), 4);
        assert_eq!(snap(&layout, 6, Snap::Forward), 9);
        // The flag is chars 10..12.
        assert_eq!(
            snapped_range(
                &layout,
                Selection {
                    anchor: 11,
                    cursor: 0
                }
            ),
            (0, 12)
        );
        // Boundaries stay.
        assert_eq!(snap(&layout, 3, Snap::Back), 3);
    }

    // Each end of a range snaps in its own paragraph; ends between words stay.
    #[test]
    fn ranges_snap_to_words_in_their_paragraphs() {
        let layout = TextLayout::new("Il dit alors que\nl’aiguillage est là".into());
        // "a|lors" … "aig|uillage": « alors » whole, « l’ » out, « aiguillage » whole.
        assert_eq!(word_range(&layout, (8, 22)), (7, 29));
        // A caret, and ends between words.
        assert_eq!(word_range(&layout, (8, 8)), (8, 8));
        assert_eq!(word_range(&layout, (6, 12)), (6, 12));
    }

    #[test]
    fn steps_by_grapheme_and_word() {
        let layout = TextLayout::new("Le café 😅 ouvre\nsuite".into());
        assert_eq!(step(&layout, 0, true, false), 1);
        assert_eq!(step(&layout, 0, true, true), 2);
        assert_eq!(step(&layout, 3, true, true), 7);
        assert_eq!(step(&layout, 7, false, true), 3);
        // "Le café 😅 ouvre" is 15 chars; the `\n` is char 15.
        assert_eq!(step(&layout, 15, true, false), 16);
        assert_eq!(step(&layout, 16, false, false), 15);
        assert_eq!(word_at(&layout, 4), (3, 7));
        assert_eq!(paragraph_at(&layout, 18), (16, 21));
    }
}
