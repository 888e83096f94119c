//! The alignment of two texts that [`super::rebase`] maps anchors through: a hierarchical
//! diff (lines with Myers, then words with Patience inside large changed blocks, then chars
//! with Myers inside small ones) and the sliding of each change as far left or right as the
//! text allows.

use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};
use std::ops::Range;
use std::time::Instant;

/// One stretch of the alignment: equal text, or a change (old chars replaced by new ones;
/// either side may be empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Segment {
    pub(super) old_start: usize,
    pub(super) old_len: usize,
    pub(super) new_start: usize,
    pub(super) new_len: usize,
    pub(super) equal: bool,
}

impl Segment {
    pub(super) fn old_end(&self) -> usize {
        self.old_start + self.old_len
    }
    pub(super) fn new_end(&self) -> usize {
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Level {
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
pub(super) fn diff_range(
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
pub(super) enum Direction {
    Left,
    Right,
}

/// The same alignment with every change slid as far as it goes in `direction` while the
/// texts stay the same (a change can move one char left when the char before it equals
/// the last char of both its sides, and symmetrically to the right).
pub(super) fn slide(
    segments: &[Segment],
    old: &[char],
    new: &[char],
    direction: Direction,
) -> Vec<Segment> {
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
