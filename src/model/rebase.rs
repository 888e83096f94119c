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

use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};
use std::ops::Range;
use std::time::{Duration, Instant};

/// What became of an anchor `[start, end)` of the old text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "fate", rename_all = "snake_case")]
pub enum AnchorFate {
    /// No edit inside: the same chars, at `[start, end)` in the new text.
    Unchanged {
        /// New start (char offset).
        start: usize,
        /// New end (exclusive).
        end: usize,
    },
    /// An edit touched it: its new range, stretched or shrunk.
    Adjusted {
        /// New start (char offset).
        start: usize,
        /// New end (exclusive).
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

/// One stretch of the alignment: equal text, or a change (old chars replaced by new ones;
/// either side may be empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    old_start: usize,
    old_len: usize,
    new_start: usize,
    new_len: usize,
    equal: bool,
}

impl Segment {
    fn old_end(&self) -> usize {
        self.old_start + self.old_len
    }
    fn new_end(&self) -> usize {
        self.new_start + self.new_len
    }
}

/// Changed blocks up to this many chars (on the larger side) are diffed char by char
/// directly; larger ones go through a word diff first.
const CHAR_DIFF_MAX: usize = 4_000;
/// Changed word blocks larger than this on both sides are kept as one change (a rewrite).
const WORD_BLOCK_CHAR_MAX: usize = 20_000;
/// Equal runs of lines or words shorter than this (chars) between two changes are
/// refined together with them.
const SHORT_EQUAL: usize = 64;
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Line,
    Word,
    Char,
}

/// Appends a segment, merging it with the last one when both are equal or both changes.
fn push(out: &mut Vec<Segment>, seg: Segment) {
    if seg.old_len == 0 && seg.new_len == 0 {
        return;
    }
    if let Some(last) = out.last_mut()
        && last.equal == seg.equal
        && last.old_end() == seg.old_start
        && last.new_end() == seg.new_start
    {
        last.old_len += seg.old_len;
        last.new_len += seg.new_len;
        return;
    }
    out.push(seg);
}

fn change(old: Range<usize>, new: Range<usize>) -> Segment {
    Segment {
        old_start: old.start,
        old_len: old.len(),
        new_start: new.start,
        new_len: new.len(),
        equal: false,
    }
}

/// Token boundaries of `chars` at `level`: lines keep their `\n`; words are runs of
/// alphanumerics, every other char a token of its own.
fn tokenize(chars: &[char], level: Level) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &c) in chars.iter().enumerate() {
        match level {
            Level::Line => {
                if c == '\n' {
                    out.push(start..i + 1);
                    start = i + 1;
                }
            }
            Level::Word | Level::Char => {
                let continues = c.is_alphanumeric() && i > start && chars[i - 1].is_alphanumeric();
                if !continues && i > start {
                    out.push(start..i);
                    start = i;
                }
            }
        }
    }
    if start < chars.len() {
        out.push(start..chars.len());
    }
    out
}

/// Diffs `old[o]` against `new[n]` at `level`, appending segments in absolute offsets.
fn diff_range(
    old: &[char],
    o: Range<usize>,
    new: &[char],
    n: Range<usize>,
    level: Level,
    deadline: Option<Instant>,
    out: &mut Vec<Segment>,
) {
    if o.is_empty() || n.is_empty() {
        push(out, change(o, n));
        return;
    }
    if level == Level::Char {
        let ops = capture_diff_slices_deadline(
            Algorithm::Myers,
            &old[o.clone()],
            &new[n.clone()],
            deadline,
        );
        for op in ops {
            let (ol, oi, nl, ni, equal) = match op {
                DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => (len, old_index, len, new_index, true),
                DiffOp::Delete {
                    old_index,
                    old_len,
                    new_index,
                } => (old_len, old_index, 0, new_index, false),
                DiffOp::Insert {
                    old_index,
                    new_index,
                    new_len,
                } => (0, old_index, new_len, new_index, false),
                DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => (old_len, old_index, new_len, new_index, false),
            };
            push(
                out,
                Segment {
                    old_start: o.start + oi,
                    old_len: ol,
                    new_start: n.start + ni,
                    new_len: nl,
                    equal,
                },
            );
        }
        return;
    }
    let old_tokens = tokenize(&old[o.clone()], level);
    let new_tokens = tokenize(&new[n.clone()], level);
    let old_keys: Vec<&[char]> = old_tokens
        .iter()
        .map(|r| &old[o.start + r.start..o.start + r.end])
        .collect();
    let new_keys: Vec<&[char]> = new_tokens
        .iter()
        .map(|r| &new[n.start + r.start..n.start + r.end])
        .collect();
    let algorithm = if level == Level::Line {
        Algorithm::Myers
    } else {
        Algorithm::Patience
    };
    let ops = capture_diff_slices_deadline(algorithm, &old_keys, &new_keys, deadline);
    // Char offset (absolute) of token `i` of a side; `len` tokens → end of the range.
    let old_at = |i: usize| old_tokens.get(i).map_or(o.end, |r| o.start + r.start);
    let new_at = |i: usize| new_tokens.get(i).map_or(n.end, |r| n.start + r.start);
    let mut pending: Option<(Range<usize>, Range<usize>)> = None;
    let flush = |pending: &mut Option<(Range<usize>, Range<usize>)>, out: &mut Vec<Segment>| {
        if let Some((po, pn)) = pending.take() {
            let larger = po.len().max(pn.len());
            let next = match level {
                Level::Line if larger > CHAR_DIFF_MAX => Some(Level::Word),
                Level::Line => Some(Level::Char),
                _ if po.len().min(pn.len()) > WORD_BLOCK_CHAR_MAX => None,
                _ => Some(Level::Char),
            };
            match next {
                Some(next) => diff_range(old, po, new, pn, next, deadline, out),
                None => push(out, change(po, pn)),
            }
        }
    };
    let last = ops.len().saturating_sub(1);
    for (k, op) in ops.into_iter().enumerate() {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                let os = old_at(old_index);
                let ns = new_at(new_index);
                let ol = old_at(old_index + len) - os;
                let nl = new_at(new_index + len) - ns;
                // A short equal run between two changes (a blank line, a repeated short
                // line) is often a coincidence: diff it with the changes around it.
                if pending.is_some() && k < last && ol < SHORT_EQUAL {
                    extend(&mut pending, os..os + ol, ns..ns + nl);
                    continue;
                }
                flush(&mut pending, out);
                push(
                    out,
                    Segment {
                        old_start: os,
                        old_len: ol,
                        new_start: ns,
                        new_len: nl,
                        equal: true,
                    },
                );
            }
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => {
                extend(
                    &mut pending,
                    old_at(old_index)..old_at(old_index + old_len),
                    new_at(new_index)..new_at(new_index),
                );
            }
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => {
                extend(
                    &mut pending,
                    old_at(old_index)..old_at(old_index),
                    new_at(new_index)..new_at(new_index + new_len),
                );
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                extend(
                    &mut pending,
                    old_at(old_index)..old_at(old_index + old_len),
                    new_at(new_index)..new_at(new_index + new_len),
                );
            }
        }
    }
    flush(&mut pending, out);
}

fn extend(pending: &mut Option<(Range<usize>, Range<usize>)>, o: Range<usize>, n: Range<usize>) {
    match pending {
        Some((po, pn)) => {
            po.end = po.end.max(o.end);
            pn.end = pn.end.max(n.end);
        }
        None => *pending = Some((o, n)),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Left,
    Right,
}

/// The same alignment with every change slid as far as it goes in `direction` while the
/// texts stay the same (a change can move one char left when the char before it equals
/// the last char of both its sides, and symmetrically to the right).
fn slide(segments: &[Segment], old: &[char], new: &[char], direction: Direction) -> Vec<Segment> {
    // Every change gets an equal neighbour on each side (perhaps empty), so sliding only
    // resizes segments.
    let mut segs: Vec<Segment> = Vec::with_capacity(segments.len() * 2 + 1);
    for s in segments {
        let needs_equal = !s.equal && segs.last().is_none_or(|l: &Segment| !l.equal);
        if needs_equal {
            segs.push(Segment {
                old_start: s.old_start,
                old_len: 0,
                new_start: s.new_start,
                new_len: 0,
                equal: true,
            });
        }
        segs.push(*s);
    }
    if let Some(last) = segs.last().copied()
        && !last.equal
    {
        segs.push(Segment {
            old_start: last.old_end(),
            old_len: 0,
            new_start: last.new_end(),
            new_len: 0,
            equal: true,
        });
    }
    let changes: Vec<usize> = (0..segs.len()).filter(|&i| !segs[i].equal).collect();
    let order: Vec<usize> = match direction {
        Direction::Left => changes,
        Direction::Right => changes.into_iter().rev().collect(),
    };
    for i in order {
        // Each change has equal segments at i - 1 and i + 1.
        loop {
            let (prev, cur, next) = (segs[i - 1], segs[i], segs[i + 1]);
            match direction {
                Direction::Left => {
                    if prev.old_len == 0 {
                        break;
                    }
                    let x = old[prev.old_end() - 1];
                    let fits = (cur.old_len == 0 || old[cur.old_end() - 1] == x)
                        && (cur.new_len == 0 || new[cur.new_end() - 1] == x);
                    if !fits {
                        break;
                    }
                    segs[i - 1].old_len -= 1;
                    segs[i - 1].new_len -= 1;
                    segs[i].old_start -= 1;
                    segs[i].new_start -= 1;
                    segs[i + 1].old_start -= 1;
                    segs[i + 1].new_start -= 1;
                    segs[i + 1].old_len += 1;
                    segs[i + 1].new_len += 1;
                }
                Direction::Right => {
                    if next.old_len == 0 {
                        break;
                    }
                    let x = old[next.old_start];
                    let fits = (cur.old_len == 0 || old[cur.old_start] == x)
                        && (cur.new_len == 0 || new[cur.new_start] == x);
                    if !fits {
                        break;
                    }
                    segs[i + 1].old_start += 1;
                    segs[i + 1].new_start += 1;
                    segs[i + 1].old_len -= 1;
                    segs[i + 1].new_len -= 1;
                    segs[i].old_start += 1;
                    segs[i].new_start += 1;
                    segs[i - 1].old_len += 1;
                    segs[i - 1].new_len += 1;
                }
            }
        }
    }
    let mut out = Vec::with_capacity(segs.len());
    for s in segs {
        push(&mut out, s);
    }
    out
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
        // issue 7
        let (fate, text) = apply("le chat dort", "oui, le chat dort", 3, 7);
        assert_eq!(fate, AnchorFate::Unchanged { start: 8, end: 12 });
        assert_eq!(text.as_deref(), Some("chat"));
    }

    #[test]
    fn stretched_and_removed() {
        // issue 7
        let (fate, text) = apply("le chat dort", "le gros chat dort", 0, 7);
        assert!(matches!(fate, AnchorFate::Adjusted { .. }));
        assert_eq!(text.as_deref(), Some("le gros chat"));
        let (fate, _) = apply("le chat dort", "le dort", 3, 8);
        assert_eq!(fate, AnchorFate::Removed);
    }

    #[test]
    fn ambiguous_deletion_keeps_the_untouched_anchor() {
        // issue 7: deleting the first of "aa" must leave a coding on the second intact.
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
