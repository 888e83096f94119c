//! Rebasing anchors (char ranges) through an edit of a text.
//!
//! When a document's text changes (edited in the app, or a corrected file re-imported),
//! every coding is an anchor `[start_char, end_char)` into the old text that must be moved
//! into the new one. [`Rebaser`] computes a char-level alignment of the two texts and maps
//! each anchor:
//!
//! - [`AnchorFate::Unchanged`]: no edit falls inside the anchor; it covers exactly the same
//!   chars in the new text (perhaps shifted). An insertion exactly at either end of an
//!   anchor stays outside it.
//! - [`AnchorFate::Adjusted`]: an edit touches the anchor; it stretches over inserted text
//!   inside it, shrinks over deleted text, and takes in text that replaced part of it.
//! - [`AnchorFate::Removed`]: none of its chars is left.
//!
//! The alignment is computed hierarchically so that 300k-char documents take a fraction of
//! a second: lines first (Myers), then words (Patience) inside large changed blocks, then
//! chars (Myers) inside small ones. A diff is only one of the alignments that explain an
//! edit (deleting the first or the second `a` of `aa` gives the same text), so each anchor
//! is also tried against the alignment with every change slid as far left, then as far
//! right, as the text allows: an anchor that one of them leaves untouched is `Unchanged`.
//! Last, an anchor whose old text appears verbatim near its mapped place, in text the
//! diff marked as new or paired only by short coincidental runs (under 8 chars), is
//! `Unchanged` there: the edits lay around it, the diff just paired its chars with others
//! (or saw it as deleted and inserted again a little further on).
//!
//! Both texts are expected normalised (`model::text::normalize_text`); offsets are chars.

use std::time::{Duration, Instant};

use super::align::{Direction, Level, Segment, diff_range, slide};

/// What became of an anchor `[start, end)` of the old text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "fate", rename_all = "snake_case")]
pub enum AnchorFate {
    /// No edit inside: the same chars, at `[start, end)` in the new text.
    Unchanged {
        /// Start in the new text, in chars (the range keeps its length).
        start: usize,
        /// End in the new text, in chars, exclusive.
        end: usize,
    },
    /// An edit touched it: its new range, stretched or shrunk.
    Adjusted {
        /// Start in the new text, in chars.
        start: usize,
        /// End in the new text, in chars, exclusive.
        end: usize,
    },
    /// All its chars were deleted (or replaced).
    Removed,
}

impl AnchorFate {
    /// The new range, unless the anchor was removed.
    pub fn range(&self) -> Option<(usize, usize)> {
        match *self {
            AnchorFate::Unchanged { start, end } | AnchorFate::Adjusted { start, end } => {
                Some((start, end))
            }
            AnchorFate::Removed => None,
        }
    }
}

/// Equal runs at least this long (chars) bound the edited region around an anchor.
const SOLID_EQUAL: usize = 8;
/// How far (chars) the edited region around an anchor is searched for its old text.
const VERBATIM_REACH: usize = 2_000;
/// How far (chars, beyond the anchor's length) around its mapped place an anchor's old
/// text is looked for.
const VERBATIM_NEAR: usize = 256;
/// Time budget of one alignment; past it the diff is coarser but still exact.
const DIFF_BUDGET: Duration = Duration::from_secs(2);

/// The alignment of an old and a new text, ready to map anchors.
#[derive(Debug, Clone)]
pub struct Rebaser {
    old_chars: Vec<char>,
    new_chars: Vec<char>,
    old_len: usize,
    new_len: usize,
    /// The diff as computed.
    raw: Vec<Segment>,
    /// Every change slid left as far as the text allows.
    left: Vec<Segment>,
    /// Every change slid right as far as the text allows.
    right: Vec<Segment>,
}

impl Rebaser {
    /// Aligns `old` and `new` (both normalised).
    pub fn new(old: &str, new: &str) -> Rebaser {
        let old_chars: Vec<char> = old.chars().collect();
        let new_chars: Vec<char> = new.chars().collect();
        let deadline = Instant::now() + DIFF_BUDGET;
        let mut raw = Vec::new();
        diff_range(
            &old_chars,
            0..old_chars.len(),
            &new_chars,
            0..new_chars.len(),
            Level::Line,
            Some(deadline),
            &mut raw,
        );
        let left = slide(&raw, &old_chars, &new_chars, Direction::Left);
        let right = slide(&raw, &old_chars, &new_chars, Direction::Right);
        Rebaser {
            old_len: old_chars.len(),
            new_len: new_chars.len(),
            old_chars,
            new_chars,
            raw,
            left,
            right,
        }
    }

    /// Whether the two texts are the same.
    pub fn is_identity(&self) -> bool {
        self.raw.iter().all(|s| s.equal)
    }

    /// Number of changed stretches in the alignment.
    pub fn change_count(&self) -> usize {
        self.raw.iter().filter(|s| !s.equal).count()
    }

    /// Chars deleted and chars inserted by the edit, as the alignment counts them.
    pub fn changed_chars(&self) -> (usize, usize) {
        self.raw
            .iter()
            .filter(|s| !s.equal)
            .fold((0, 0), |(d, i), s| (d + s.old_len, i + s.new_len))
    }

    /// Maps an anchor `[start, end)` of the old text (clamped to it) into the new text.
    pub fn map(&self, start: usize, end: usize) -> AnchorFate {
        let end = end.min(self.old_len);
        let start = start.min(end);
        for segments in [&self.raw, &self.left, &self.right] {
            if let Some((s, e)) = untouched(segments, start, end) {
                return AnchorFate::Unchanged { start: s, end: e };
            }
        }
        self.adjusted(start, end)
    }

    /// Maps every anchor.
    pub fn map_all(&self, anchors: &[(usize, usize)]) -> Vec<AnchorFate> {
        anchors.iter().map(|&(s, e)| self.map(s, e)).collect()
    }

    fn adjusted(&self, start: usize, end: usize) -> AnchorFate {
        if start >= end {
            return AnchorFate::Removed;
        }
        let segments = &self.raw;
        // The segment holding old char `i`: the first whose old part ends after `i`.
        let holding = |i: usize| segments.partition_point(|g| g.old_end() <= i);
        let first = holding(start);
        let new_start = match segments.get(first) {
            Some(g) if g.equal => g.new_start + (start - g.old_start),
            Some(g) => g.new_start,
            None => self.new_len,
        };
        let last = holding(end - 1);
        let new_end = match segments.get(last) {
            Some(g) if g.equal => g.new_start + (end - g.old_start),
            Some(g) => g.new_end(),
            None => self.new_len,
        };
        // For each shift `new - old` of the anchor's surviving chars, how many chars.
        let mut shifts: Vec<(isize, usize)> = Vec::new();
        for g in segments[first..=last.min(segments.len().saturating_sub(1))]
            .iter()
            .filter(|g| g.equal)
        {
            let overlap = g.old_end().min(end).saturating_sub(g.old_start.max(start));
            if overlap > 0 {
                shifts.push((g.new_start as isize - g.old_start as isize, overlap));
            }
        }
        // The edited region around the anchor: out to the nearest solid equal runs (short
        // ones are often coincidental pairings of chars).
        let solid = |g: &Segment| g.equal && g.old_len >= SOLID_EQUAL;
        let window_start = match segments.get(first) {
            Some(g) if solid(g) => new_start,
            _ => {
                let mut i = first.min(segments.len().saturating_sub(1));
                while i > 0
                    && !solid(&segments[i - 1])
                    && segments[i - 1].new_start + VERBATIM_REACH > new_start
                {
                    i -= 1;
                }
                segments
                    .get(i)
                    .map_or(new_start, |g| g.new_start.min(new_start))
            }
        };
        let window_end = match segments.get(last) {
            Some(g) if solid(g) => new_end,
            _ => {
                let mut i = last;
                while i + 1 < segments.len()
                    && !solid(&segments[i + 1])
                    && segments[i + 1].new_end() < new_end + VERBATIM_REACH
                {
                    i += 1;
                }
                segments
                    .get(i)
                    .map_or(new_end, |g| g.new_end().max(new_end))
            }
        };
        if let Some(found) = self.verbatim(start, end, (window_start, window_end), &shifts) {
            return AnchorFate::Unchanged {
                start: found,
                end: found + (end - start),
            };
        }
        if shifts.is_empty() || new_start >= new_end {
            return AnchorFate::Removed;
        }
        AnchorFate::Adjusted {
            start: new_start,
            end: new_end,
        }
    }

    /// Where the anchor's old text appears verbatim near where it was mapped, if it does
    /// in a way that another alignment could explain: every char of the place is either
    /// new text (inserted), or paired with this very char of the anchor, or paired only by
    /// a short coincidental run. The edits then lie around the anchor, not in it. Among
    /// several places, the one nearest to where most of its surviving chars went.
    fn verbatim(
        &self,
        start: usize,
        end: usize,
        window: (usize, usize),
        shifts: &[(isize, usize)],
    ) -> Option<usize> {
        let len = end - start;
        let lo = window
            .0
            .min(self.map_point(start).saturating_sub(len + VERBATIM_NEAR));
        let hi = window
            .1
            .max(self.map_point(end) + len + VERBATIM_NEAR)
            .min(self.new_len);
        if hi.saturating_sub(lo) < len || len == 0 {
            return None;
        }
        // For each new char of the window: `None` if free, else the old char it is
        // firmly paired with.
        let mut paired: Vec<Option<usize>> = vec![None; hi - lo];
        let first = self.raw.partition_point(|g| g.new_end() <= lo);
        for g in self.raw[first..].iter().take_while(|g| g.new_start < hi) {
            if g.equal && g.old_len >= SOLID_EQUAL {
                for j in g.new_start.max(lo)..g.new_end().min(hi) {
                    paired[j - lo] = Some(g.old_start + (j - g.new_start));
                }
            }
        }
        let needle = &self.old_chars[start..end];
        let best_shift = shifts.iter().max_by_key(|(_, n)| *n).map(|(d, _)| *d);
        let mut best: Option<(usize, usize)> = None; // (distance to best shift, position)
        let mut found = 0;
        for q in lo..=hi - len {
            if self.new_chars[q..q + len] != *needle {
                continue;
            }
            let consistent =
                (0..len).all(|k| paired[q + k - lo].is_none_or(|old| old == start + k));
            if !consistent {
                continue;
            }
            let shift = q as isize - start as isize;
            let distance =
                best_shift.map_or(q.abs_diff(self.map_point(start)), |d| d.abs_diff(shift));
            if best.is_none_or(|(bd, _)| distance < bd) {
                best = Some((distance, q));
            }
            found += 1;
            if found >= 64 {
                break;
            }
        }
        best.map(|(_, pos)| pos)
    }

    /// Where an old position falls in the new text (before any insertion at it).
    fn map_point(&self, old: usize) -> usize {
        let i = self.raw.partition_point(|g| g.old_end() <= old);
        match self.raw.get(i) {
            Some(g) if g.equal => g.new_start + (old - g.old_start),
            Some(g) => g.new_start,
            None => self.new_len,
        }
    }
}

/// Maps every anchor of `old` into `new` (a convenience over [`Rebaser`]).
pub fn rebase_anchors(old: &str, new: &str, anchors: &[(usize, usize)]) -> Vec<AnchorFate> {
    Rebaser::new(old, new).map_all(anchors)
}

/// The new range of `[start, end)` if it lies inside one equal segment.
fn untouched(segments: &[Segment], start: usize, end: usize) -> Option<(usize, usize)> {
    let after = segments.partition_point(|g| g.old_start <= start);
    segments[..after]
        .iter()
        .rev()
        .take_while(|g| g.old_end() >= start)
        .find(|g| g.equal && g.old_start <= start && end <= g.old_end())
        .map(|g| {
            (
                g.new_start + (start - g.old_start),
                g.new_start + (end - g.old_start),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(old: &str, new: &str, s: usize, e: usize) -> (AnchorFate, Option<String>) {
        let fate = Rebaser::new(old, new).map(s, e);
        let text = fate
            .range()
            .map(|(a, b)| new.chars().skip(a).take(b - a).collect());
        (fate, text)
    }

    #[test]
    fn shifted_by_an_insertion_before() {
        let (fate, text) = apply("le chat dort", "oui, le chat dort", 3, 7);
        assert_eq!(fate, AnchorFate::Unchanged { start: 8, end: 12 });
        assert_eq!(text.as_deref(), Some("chat"));
    }

    #[test]
    fn stretched_and_removed() {
        let (fate, text) = apply("le chat dort", "le gros chat dort", 0, 7);
        assert!(matches!(fate, AnchorFate::Adjusted { .. }));
        assert_eq!(text.as_deref(), Some("le gros chat"));
        let (fate, _) = apply("le chat dort", "le dort", 3, 8);
        assert_eq!(fate, AnchorFate::Removed);
    }

    #[test]
    fn ambiguous_deletion_keeps_the_untouched_anchor() {
        // deleting the first of "aa" must leave a coding on the second intact.
        let (fate, text) = apply("xaay", "xay", 2, 4);
        assert!(matches!(fate, AnchorFate::Unchanged { .. }), "{fate:?}");
        assert_eq!(text.as_deref(), Some("ay"));
    }

    #[test]
    fn slides_do_not_change_the_texts() {
        let old: Vec<char> = "abababX".chars().collect();
        let new: Vec<char> = "ababX".chars().collect();
        let mut raw = Vec::new();
        diff_range(
            &old,
            0..old.len(),
            &new,
            0..new.len(),
            Level::Line,
            None,
            &mut raw,
        );
        for dir in [Direction::Left, Direction::Right] {
            let segs = slide(&raw, &old, &new, dir);
            let mut o = 0;
            let mut n = 0;
            for s in &segs {
                assert_eq!((s.old_start, s.new_start), (o, n));
                if s.equal {
                    assert_eq!(old[s.old_start..s.old_end()], new[s.new_start..s.new_end()]);
                }
                o = s.old_end();
                n = s.new_end();
            }
            assert_eq!((o, n), (old.len(), new.len()));
        }
    }
}
