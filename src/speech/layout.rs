//! Recognised segments laid out as a Fouille transcript: `[hh:mm:ss]` marks the player and
//! the follow-along bar already understand, a new paragraph where the speaker paused long
//! enough to have finished a thought, optional `(..)` where they paused briefly.

use crate::model::timestamps::format_mark;

/// How the segments become text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Layout {
    /// A time mark at every segment (a click on any sentence seeks to it); off, only at
    /// the start of each paragraph.
    pub mark_every_segment: bool,
    /// A silence at least this long (ms) between two segments starts a new paragraph.
    pub paragraph_pause_ms: u64,
    /// A shorter silence at least this long (ms) is written `(..)` when `pause_marks` is on.
    pub pause_ms: u64,
    /// Write `(..)` for the pauses between `pause_ms` and `paragraph_pause_ms`.
    pub pause_marks: bool,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            mark_every_segment: true,
            paragraph_pause_ms: 2_000,
            pause_ms: 1_000,
            pause_marks: false,
        }
    }
}

/// One recognised stretch of speech (times in ms from the start of the recording).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Segment {
    /// When the words start, ms.
    pub start_ms: u64,
    /// When they end, ms (after `start_ms`).
    pub end_ms: u64,
    /// The words, NFC, trimmed.
    pub text: String,
}

/// The transcript text of `segments` (in time order): paragraphs separated by a blank
/// line, each starting with a mark; empty segments are skipped.
pub fn layout(segments: &[Segment], layout: &Layout) -> String {
    let mut out = String::new();
    let mut previous_end: Option<u64> = None;
    for segment in segments.iter().filter(|s| !s.text.trim().is_empty()) {
        let gap = previous_end.map(|end| segment.start_ms.saturating_sub(end));
        match gap {
            None => {}
            Some(gap) if gap >= layout.paragraph_pause_ms => out.push_str("\n\n"),
            Some(gap) => {
                if layout.pause_marks && gap >= layout.pause_ms {
                    out.push_str(" (..)");
                }
                out.push(' ');
            }
        }
        let starts_paragraph = gap.is_none_or(|g| g >= layout.paragraph_pause_ms);
        if starts_paragraph || layout.mark_every_segment {
            // Marks hold whole seconds: rounding (rather than the mark's usual truncation)
            // keeps a click on the mark within half a second of where the segment starts.
            out.push_str(&format_mark(segment.start_ms.saturating_add(500)));
            out.push(' ');
        }
        out.push_str(segment.text.trim());
        previous_end = Some(segment.end_ms);
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::timestamps::find_marks;

    fn seg(start_ms: u64, end_ms: u64, text: &str) -> Segment {
        Segment {
            start_ms,
            end_ms,
            text: text.into(),
        }
    }

    #[test]
    fn long_pauses_make_paragraphs_and_every_segment_is_marked() {
        let segments = [
            seg(400, 3_000, "Bonjour."),
            seg(3_200, 5_000, "Je travaille à la mairie."),
            seg(8_600, 12_000, "Depuis quinze ans."),
        ];
        let text = layout(&segments, &Layout::default());
        assert_eq!(
            text,
            "[00:00:00] Bonjour. [00:00:03] Je travaille à la mairie.\n\n[00:00:09] Depuis quinze ans.\n"
        );
        let marks: Vec<u64> = find_marks(&text).iter().map(|m| m.time_ms).collect();
        // Rounded to the nearest second: 0.4 s → 0, 3.2 s → 3, 8.6 s → 9.
        assert_eq!(marks, [0, 3_000, 9_000]);
    }

    #[test]
    fn marks_at_paragraphs_only_and_pause_marks() {
        let segments = [
            seg(0, 1_000, "Oui."),
            seg(2_500, 4_000, "Enfin, non."),
            seg(4_100, 5_000, "Voilà."),
            seg(60_000, 61_000, "Fin."),
        ];
        let options = Layout {
            mark_every_segment: false,
            pause_marks: true,
            ..Layout::default()
        };
        assert_eq!(
            layout(&segments, &options),
            "[00:00:00] Oui. (..) Enfin, non. Voilà.\n\n[00:01:00] Fin.\n"
        );
    }

    #[test]
    fn nothing_recognised_gives_no_text() {
        assert_eq!(layout(&[], &Layout::default()), "");
        assert_eq!(layout(&[seg(0, 10, "  ")], &Layout::default()), "");
    }
}
