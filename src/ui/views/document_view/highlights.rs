//! Where codings show: each coding gets a lane (overlapping codings get different lanes, so
//! their underlines and margin bars sit side by side), is cut into per-paragraph segments,
//! and each segment's rectangles (one per wrapped row) are computed once per galley.

use egui::{Color32, Galley, Rect, pos2};

use super::layout::TextLayout;
use crate::model::{CodeId, CoderId, CodingId};

/// A coding as the view draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewCoding {
    /// Coding GUID.
    pub guid: CodingId,
    /// Code GUID.
    pub code_guid: CodeId,
    /// Start char (document offset).
    pub start: usize,
    /// End char (exclusive).
    pub end: usize,
    /// The code's colour.
    pub color: Color32,
    /// Coder GUID.
    pub coder_guid: CoderId,
    /// Lane (0 = outermost).
    pub lane: usize,
}

/// A coding's part inside one paragraph: local char range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    /// Index into the view's codings.
    pub coding: usize,
    /// First char of the segment, counted from the start of its paragraph, inclusive.
    pub start: usize,
    /// Local end char (exclusive).
    pub end: usize,
    /// The coding goes on before this paragraph.
    pub continues_before: bool,
    /// The coding goes on after this paragraph.
    pub continues_after: bool,
}

/// One rectangle of a segment, relative to the paragraph's galley.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SegmentRect {
    /// Index into the view's codings.
    pub coding: usize,
    /// Where it is drawn, relative to the paragraph's galley.
    pub rect: Rect,
}

/// The codings of a document placed on its paragraphs.
#[derive(Debug, Clone, Default)]
pub struct Highlights {
    /// The codings, by start.
    pub codings: Vec<ViewCoding>,
    /// Segments per paragraph (same index as the layout's paragraphs), by start.
    pub segments: Vec<Vec<Segment>>,
    /// Rectangles per paragraph, once computed for its current galley.
    pub rects: Vec<Option<Vec<SegmentRect>>>,
    /// Number of lanes used.
    pub lanes: usize,
    /// Codings removed by [`Highlights::patch`] (their slots stay, so indexes hold).
    removed: Vec<bool>,
}

impl Highlights {
    /// Places `codings` (any order) on the paragraphs of `layout`.
    pub fn new(mut codings: Vec<ViewCoding>, layout: &TextLayout) -> Highlights {
        let max = layout.char_count();
        codings.retain(|c| c.start < c.end && c.end <= max);
        codings.sort_by(|a, b| {
            a.start
                .cmp(&b.start)
                .then(b.end.cmp(&a.end))
                .then(a.guid.cmp(&b.guid))
        });
        let mut lane_ends: Vec<usize> = Vec::new();
        for c in &mut codings {
            match lane_ends.iter().position(|&end| end <= c.start) {
                Some(lane) => {
                    lane_ends[lane] = c.end;
                    c.lane = lane;
                }
                None => {
                    c.lane = lane_ends.len();
                    lane_ends.push(c.end);
                }
            }
        }
        let mut segments = vec![Vec::new(); layout.paragraphs.len()];
        for (i, c) in codings.iter().enumerate() {
            let mut p = layout.paragraph_of_char(c.start);
            while let Some(para) = layout.paragraphs.get(p) {
                if para.char_start >= c.end {
                    break;
                }
                let start = c.start.max(para.char_start) - para.char_start;
                let end = c.end.min(para.char_end()) - para.char_start;
                if start < end || (para.char_len == 0 && c.start <= para.char_start) {
                    segments[p].push(Segment {
                        coding: i,
                        start,
                        end,
                        continues_before: c.start < para.char_start,
                        continues_after: c.end > para.char_end(),
                    });
                }
                p += 1;
            }
        }
        let rects = vec![None; layout.paragraphs.len()];
        let removed = vec![false; codings.len()];
        Highlights {
            codings,
            segments,
            rects,
            lanes: lane_ends.len(),
            removed,
        }
    }

    /// Number of codings shown.
    pub fn live_count(&self) -> usize {
        self.removed.iter().filter(|r| !**r).count()
    }

    /// Cuts coding `i` into segments on the paragraphs it covers.
    fn place(&mut self, i: usize, layout: &TextLayout) {
        let c = &self.codings[i];
        let mut p = layout.paragraph_of_char(c.start);
        while let Some(para) = layout.paragraphs.get(p) {
            if para.char_start >= c.end {
                break;
            }
            let start = c.start.max(para.char_start) - para.char_start;
            let end = c.end.min(para.char_end()) - para.char_start;
            if start < end || (para.char_len == 0 && c.start <= para.char_start) {
                self.segments[p].push(Segment {
                    coding: i,
                    start,
                    end,
                    continues_before: c.start < para.char_start,
                    continues_after: c.end > para.char_end(),
                });
                self.rects[p] = None;
            }
            p += 1;
        }
    }

    /// Updates a few codings in place instead of placing every coding again: the codings
    /// named in `changed` are taken away, then `added` (their new state, for those that
    /// still exist) are placed, each on the first lane free over its range.
    pub fn patch(&mut self, layout: &TextLayout, changed: &[CodingId], added: Vec<ViewCoding>) {
        for (i, c) in self.codings.iter().enumerate() {
            if self.removed[i] || !changed.contains(&c.guid) {
                continue;
            }
            self.removed[i] = true;
            let first = layout.paragraph_of_char(c.start);
            let last = layout.paragraph_of_char(c.end);
            for p in first..=last.min(self.segments.len().saturating_sub(1)) {
                self.segments[p].retain(|s| s.coding != i);
                self.rects[p] = None;
            }
        }
        let max = layout.char_count();
        for mut c in added
            .into_iter()
            .filter(|c| c.start < c.end && c.end <= max)
        {
            let mut used = vec![false; self.lanes + 1];
            for (i, o) in self.codings.iter().enumerate() {
                if !self.removed[i] && o.start < c.end && c.start < o.end && o.lane < used.len() {
                    used[o.lane] = true;
                }
            }
            c.lane = used.iter().position(|u| !u).unwrap_or(self.lanes);
            self.lanes = self.lanes.max(c.lane + 1);
            self.codings.push(c);
            self.removed.push(false);
            let i = self.codings.len() - 1;
            self.place(i, layout);
        }
    }

    /// Forgets every paragraph's rectangles (after a relayout).
    pub fn clear_rects(&mut self) {
        for r in &mut self.rects {
            *r = None;
        }
    }

    /// The rectangles of paragraph `index` for its galley, computed on first use.
    pub fn rects_of(&mut self, index: usize, galley: &Galley) -> &[SegmentRect] {
        if self.rects.get(index).is_some_and(Option::is_none) {
            let mut out = Vec::new();
            for seg in &self.segments[index] {
                for rect in range_rects(galley, seg.start, seg.end) {
                    out.push(SegmentRect {
                        coding: seg.coding,
                        rect,
                    });
                }
            }
            self.rects[index] = Some(out);
        }
        self.rects
            .get(index)
            .and_then(Option::as_deref)
            .unwrap_or(&[])
    }

    /// Codings covering a document char offset, outermost first.
    pub fn at_char(&self, offset: usize) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .codings
            .iter()
            .enumerate()
            .filter(|(i, c)| !self.removed[*i] && c.start <= offset && offset < c.end)
            .map(|(i, _)| i)
            .collect();
        out.sort_by_key(|&i| {
            (
                self.codings[i].start,
                std::cmp::Reverse(self.codings[i].end),
            )
        });
        out
    }
}

/// The rectangles covering local chars `[start, end)` of a galley, one per row.
pub fn range_rects(galley: &Galley, start: usize, end: usize) -> Vec<Rect> {
    let mut out = Vec::new();
    let mut row_start = 0;
    for row in &galley.rows {
        let count = row.char_count_excluding_newline().0;
        let row_end = row_start + count;
        let a = start.max(row_start);
        let b = end.min(row_end);
        if a < b || (count == 0 && start <= row_start && row_start < end.max(start + 1)) {
            let x0 = row.pos.x + row.x_offset((a - row_start).into());
            let x1 = if count == 0 {
                x0 + 4.0
            } else {
                row.pos.x + row.x_offset((b - row_start).into())
            };
            out.push(Rect::from_min_max(
                pos2(x0, row.min_y()),
                pos2(x1, row.max_y()),
            ));
        }
        row_start += row.char_count_including_newline().0;
        if row_start > end {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coding(guid: &str, start: usize, end: usize) -> ViewCoding {
        ViewCoding {
            guid: CodingId::new(guid),
            code_guid: CodeId::new("c"),
            start,
            end,
            color: Color32::RED,
            coder_guid: CoderId::new("k"),
            lane: 0,
        }
    }

    #[test]
    fn overlapping_codings_get_their_own_lanes_and_segments() {
        let layout = TextLayout::new("abcdef\nghij".into());
        let h = Highlights::new(
            vec![coding("b", 2, 9), coding("a", 0, 4), coding("c", 5, 6)],
            &layout,
        );
        let lanes: Vec<(&str, usize)> = h
            .codings
            .iter()
            .map(|c| (c.guid.as_str(), c.lane))
            .collect();
        assert_eq!(lanes, vec![("a", 0), ("b", 1), ("c", 0)]);
        assert_eq!(h.lanes, 2);
        // "b" spans both paragraphs: 2..6 in the first, 0..2 in the second.
        let b_segments: Vec<(usize, usize, bool, bool)> = h
            .segments
            .iter()
            .flatten()
            .filter(|s| s.coding == 1)
            .map(|s| (s.start, s.end, s.continues_before, s.continues_after))
            .collect();
        assert_eq!(b_segments, vec![(2, 6, false, true), (0, 2, true, false)]);
        assert_eq!(h.at_char(3), vec![0, 1]);
        assert_eq!(h.at_char(7), vec![1]);
    }

    // coding one excerpt patches the highlights instead of rebuilding them all.
    #[test]
    fn patching_matches_rebuilding() {
        let layout = TextLayout::new("abcdef\nghij".into());
        let mut h = Highlights::new(vec![coding("a", 0, 4), coding("b", 2, 9)], &layout);
        // "a" moves, "c" is added over both lanes' ranges, "b" is removed.
        h.patch(
            &layout,
            &[CodingId::new("a"), CodingId::new("b"), CodingId::new("c")],
            vec![coding("a", 5, 6), coding("c", 1, 8)],
        );
        assert_eq!(h.live_count(), 2);
        let live: Vec<(&str, usize, usize, usize)> = h
            .at_char(5)
            .into_iter()
            .map(|i| {
                (
                    h.codings[i].guid.as_str(),
                    h.codings[i].start,
                    h.codings[i].end,
                    h.codings[i].lane,
                )
            })
            .collect();
        assert_eq!(live, vec![("c", 1, 8, 1), ("a", 5, 6, 0)]);
        // No segment of a removed coding is left; "c" spans both paragraphs.
        let segments: Vec<(usize, usize, usize)> = h
            .segments
            .iter()
            .enumerate()
            .flat_map(|(p, s)| s.iter().map(move |s| (p, s.start, s.end)))
            .collect();
        assert_eq!(segments, vec![(0, 5, 6), (0, 1, 6), (1, 0, 1)]);
    }
}
