//! Rebasing char offsets from one version of a text onto another (an edited transcript).
//!
//! The two texts are compared line by line (Myers' algorithm, as `similar` implements it,
//! without a deadline so the result never depends on the machine's speed), then char by
//! char inside each changed block of lines. A char of the old text that survives unchanged
//! has a place in the new text. An excerpt is placed when its first and its last char both
//! survive; it is *exact* when the whole excerpt lies in one unchanged stretch, *adjusted*
//! when text inside it changed. An excerpt whose first or last char was removed or changed
//! is *unplaced*: it is listed, never shifted by guess.

use similar::{Algorithm, DiffOp, capture_diff_slices};

/// Changed blocks larger than this (in chars, old + new) are not compared char by char:
/// every char in them counts as changed.
const MAX_CHAR_DIFF_BLOCK: usize = 400_000;

/// An unchanged stretch: `len` chars at `old` in the old text are at `new` in the new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    old: usize,
    new: usize,
    len: usize,
}

/// Where each surviving char of an old text sits in a new text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    runs: Vec<Run>,
}

/// Where an excerpt lands in the new text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Placement {
    /// Same text, possibly moved: `[start, end)` in the new text.
    Exact(usize, usize),
    /// Both ends survive but text inside changed: `[start, end)` in the new text.
    Adjusted(usize, usize),
    /// The first or the last char of the excerpt is gone.
    Unplaced,
}

fn line_spans(text: &str) -> (Vec<&str>, Vec<usize>) {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut starts = Vec::with_capacity(lines.len() + 1);
    let mut at = 0;
    starts.push(0);
    for line in &lines {
        at += line.chars().count();
        starts.push(at);
    }
    (lines, starts)
}

impl OffsetMap {
    /// Where each char of `old` that survives unchanged sits in `new` (line by line, then
    /// char by char inside changed blocks).
    pub fn between(old: &str, new: &str) -> OffsetMap {
        let (old_lines, old_starts) = line_spans(old);
        let (new_lines, new_starts) = line_spans(new);
        let mut runs: Vec<Run> = Vec::new();
        let mut push = |run: Run| {
            if run.len == 0 {
                return;
            }
            if let Some(last) = runs.last_mut()
                && last.old + last.len == run.old
                && last.new + last.len == run.new
            {
                last.len += run.len;
                return;
            }
            runs.push(run);
        };
        for op in capture_diff_slices(Algorithm::Myers, &old_lines, &new_lines) {
            match op {
                DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => push(Run {
                    old: old_starts[old_index],
                    new: new_starts[new_index],
                    len: old_starts[old_index + len] - old_starts[old_index],
                }),
                DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => {
                    let old_from = old_starts[old_index];
                    let new_from = new_starts[new_index];
                    let old_chars: Vec<char> = old_lines[old_index..old_index + old_len]
                        .concat()
                        .chars()
                        .collect();
                    let new_chars: Vec<char> = new_lines[new_index..new_index + new_len]
                        .concat()
                        .chars()
                        .collect();
                    if old_chars.len() + new_chars.len() > MAX_CHAR_DIFF_BLOCK {
                        continue;
                    }
                    for inner in capture_diff_slices(Algorithm::Myers, &old_chars, &new_chars) {
                        if let DiffOp::Equal {
                            old_index,
                            new_index,
                            len,
                        } = inner
                        {
                            push(Run {
                                old: old_from + old_index,
                                new: new_from + new_index,
                                len,
                            });
                        }
                    }
                }
                DiffOp::Delete { .. } | DiffOp::Insert { .. } => {}
            }
        }
        OffsetMap { runs }
    }

    fn run_of(&self, old_pos: usize) -> Option<(usize, &Run)> {
        let i = self.runs.partition_point(|r| r.old + r.len <= old_pos);
        self.runs
            .get(i)
            .filter(|r| r.old <= old_pos)
            .map(|r| (i, r))
    }

    /// The new position of the char at `old_pos`, if it survived.
    pub fn map_char(&self, old_pos: usize) -> Option<usize> {
        self.run_of(old_pos).map(|(_, r)| r.new + (old_pos - r.old))
    }

    /// Places the excerpt `[start, end)` of the old text in the new text.
    pub fn place(&self, start: usize, end: usize) -> Placement {
        if start >= end {
            return Placement::Unplaced;
        }
        let (Some((first_run, first)), Some((last_run, last))) =
            (self.run_of(start), self.run_of(end - 1))
        else {
            return Placement::Unplaced;
        };
        let new_start = first.new + (start - first.old);
        let new_last = last.new + (end - 1 - last.old);
        if new_last < new_start {
            return Placement::Unplaced;
        }
        if first_run == last_run {
            Placement::Exact(new_start, new_last + 1)
        } else {
            Placement::Adjusted(new_start, new_last + 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::text::slice_chars;

    // A transcript edited after it was coded: codings made on the old text must land on the
    // same words of the new one, or be reported unplaced, never shifted by guess.
    #[test]
    fn unchanged_text_maps_to_itself() {
        let t = "Bonjour.\nÇa va ? Oui, très bien 🙂.\n";
        let map = OffsetMap::between(t, t);
        assert_eq!(map.place(9, 15), Placement::Exact(9, 15));
        assert_eq!(map.map_char(0), Some(0));
    }

    #[test]
    fn insertion_before_shifts_and_edit_inside_adjusts() {
        let old = "Enquêtrice : Bonjour.\nNadia : Je suis agent d’accueil au CCAS.\nFin.\n";
        let new = "Enquêtrice : Bonjour madame.\nNadia : Je suis agente d’accueil au CCAS.\nFin.\n";
        let map = OffsetMap::between(old, new);
        // "agent d’accueil" in old
        let s = old
            .find("agent")
            .map(|b| old[..b].chars().count())
            .unwrap_or(0);
        let e = s + "agent d’accueil".chars().count();
        match map.place(s, e) {
            Placement::Adjusted(ns, ne) => {
                assert_eq!(slice_chars(new, ns, ne), Some("agente d’accueil"))
            }
            other => panic!("expected adjusted, got {other:?}"),
        }
        // "au CCAS" only moved
        let s = old
            .find("au CCAS")
            .map(|b| old[..b].chars().count())
            .unwrap_or(0);
        match map.place(s, s + 7) {
            Placement::Exact(ns, ne) => assert_eq!(slice_chars(new, ns, ne), Some("au CCAS")),
            other => panic!("expected exact, got {other:?}"),
        }
        // "Fin." on the unchanged last line
        let s = old.chars().count() - 5;
        assert_eq!(
            map.place(s, s + 4),
            Placement::Exact(new.chars().count() - 5, new.chars().count() - 1)
        );
    }

    #[test]
    fn deleted_boundary_is_unplaced() {
        let old = "Il a dit oui. Puis non.\n";
        let new = "Puis non.\n";
        let map = OffsetMap::between(old, new);
        assert_eq!(map.place(0, 13), Placement::Unplaced);
        assert_eq!(map.place(14, 23), Placement::Exact(0, 9));
    }
}
