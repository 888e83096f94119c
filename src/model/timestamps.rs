//! Time marks in transcripts: `[hh:mm:ss]` written in the text.
//!
//! A transcript imported from subtitles, or typed while listening, holds marks such as
//! `[00:12:34] Nadia : …`. The editor needs to find them (to seek the recording when a
//! passage is clicked), to know which passage is being heard at a playback time (to
//! highlight it), and to write a new mark at the cursor. Offsets are chars.
//!
//! Accepted marks: `[h:mm:ss]`, `[hh:mm:ss]`, `[mm:ss]`, each optionally with `.mmm` or
//! `,mmm` after the seconds. Anything else in brackets (`[rires]`, `[inaudible]`) is text.

use std::ops::Range;

/// One time mark found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct TimeMark {
    /// Char offset of the `[`.
    pub start_char: usize,
    /// Char offset just after the `]`.
    pub end_char: usize,
    /// The time it names, in ms from the start of the recording.
    pub time_ms: u64,
}

/// A passage: from one mark to the next (or to the end of the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Passage {
    /// Char offset of its mark.
    pub start_char: usize,
    /// Char offset where the next mark starts (or the text's length).
    pub end_char: usize,
    /// Its mark's time (ms).
    pub start_ms: u64,
    /// The next mark's time, if there is a next mark.
    pub next_ms: Option<u64>,
}

impl Passage {
    /// Its chars as a range.
    pub fn chars(&self) -> Range<usize> {
        self.start_char..self.end_char
    }
}

/// Parses the inside of a mark (`hh:mm:ss`, `mm:ss`, optional `.mmm`/`,mmm`) into ms.
pub fn parse_clock(inner: &str) -> Option<u64> {
    let inner = inner.trim();
    let (clock, fraction) = match inner.find(['.', ',']) {
        Some(at) => (&inner[..at], Some(&inner[at + 1..])),
        None => (inner, None),
    };
    let digits = |s: &str, max: usize| -> Option<u64> {
        (!s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())?
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let (h, m, s) = match parts.as_slice() {
        [h, m, s] if m.len() == 2 && s.len() == 2 => (digits(h, 3)?, digits(m, 2)?, digits(s, 2)?),
        [m, s] if s.len() == 2 => (0, digits(m, 3)?, digits(s, 2)?),
        _ => return None,
    };
    if s >= 60 || (parts.len() == 3 && m >= 60) {
        return None;
    }
    let millis = match fraction {
        None => 0,
        Some(f) if !f.is_empty() && f.len() <= 3 && f.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{f:0<3}").parse::<u64>().ok()?
        }
        Some(_) => return None,
    };
    Some(h * 3_600_000 + m * 60_000 + s * 1000 + millis)
}

/// Every mark of `text`, in text order.
pub fn find_marks(text: &str) -> Vec<TimeMark> {
    let mut marks = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '[' {
            // A mark is short: look for its `]` within 16 chars.
            let close = chars[i + 1..chars.len().min(i + 18)]
                .iter()
                .position(|&c| c == ']');
            if let Some(rel) = close {
                let inner: String = chars[i + 1..i + 1 + rel].iter().collect();
                if let Some(time_ms) = parse_clock(&inner) {
                    marks.push(TimeMark {
                        start_char: i,
                        end_char: i + rel + 2,
                        time_ms,
                    });
                    i += rel + 2;
                    continue;
                }
            }
        }
        i += 1;
    }
    marks
}

/// The passages of `text`: one per mark, up to the next mark. Text before the first mark
/// belongs to no passage.
pub fn passages(text: &str) -> Vec<Passage> {
    let len = text.chars().count();
    let marks = find_marks(text);
    marks
        .iter()
        .enumerate()
        .map(|(i, m)| Passage {
            start_char: m.start_char,
            end_char: marks.get(i + 1).map_or(len, |n| n.start_char),
            start_ms: m.time_ms,
            next_ms: marks.get(i + 1).map(|n| n.time_ms),
        })
        .collect()
}

/// The passage heard at `time_ms`: the one with the latest mark at or before that time
/// (the first in the text on a tie). `None` before the first mark's time.
pub fn passage_at(passages: &[Passage], time_ms: u64) -> Option<Passage> {
    let mut best: Option<Passage> = None;
    for p in passages {
        if p.start_ms <= time_ms && best.is_none_or(|b| p.start_ms > b.start_ms) {
            best = Some(*p);
        }
    }
    best
}

/// The mark governing a char offset: the last mark starting at or before it.
pub fn mark_before(marks: &[TimeMark], char_offset: usize) -> Option<TimeMark> {
    let after = marks.partition_point(|m| m.start_char <= char_offset);
    after.checked_sub(1).map(|i| marks[i])
}

/// A line's opening time mark (`[00:01:02] `, with the spaces after it) and the rest of the
/// line; `("", line)` when the line does not open with a mark.
pub fn split_leading_mark(line: &str) -> (&str, &str) {
    if line.starts_with('[')
        && let Some(close) = line.find(']')
        && parse_clock(&line[1..close]).is_some()
    {
        let after = &line[close + 1..];
        let spaces = after.len() - after.trim_start_matches(' ').len();
        return line.split_at(close + 1 + spaces);
    }
    ("", line)
}

/// A mark as written in the text: `[hh:mm:ss]` (hours always, ms dropped).
pub fn format_mark(time_ms: u64) -> String {
    let s = time_ms / 1000;
    format!("[{:02}:{:02}:{:02}]", s / 3600, (s / 60) % 60, s % 60)
}

/// What to insert at `at_char` to start a new passage at `time_ms`: the mark and a space,
/// on a line of its own (a line break first unless the cursor is at the start of a line).
pub fn mark_for_insertion(text: &str, at_char: usize, time_ms: u64) -> String {
    let at_line_start = at_char == 0 || text.chars().nth(at_char - 1).is_none_or(|c| c == '\n');
    let mark = format_mark(time_ms);
    if at_line_start {
        format!("{mark} ")
    } else {
        format!("\n{mark} ")
    }
}

/// A time as `h:mm:ss` or `m:ss` for display next to a player (`0:07`, `1:02:03`).
pub fn format_clock(time_ms: u64) -> String {
    let s = time_ms / 1000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_marks_with_char_offsets() {
        let text =
            "Préambule é😅\n[00:00:05] Nadia : oui [rires]\n[01:02:03.5] Paul : non\n[12:34] fin";
        let marks = find_marks(text);
        let times: Vec<u64> = marks.iter().map(|m| m.time_ms).collect();
        assert_eq!(times, vec![5_000, 3_723_500, 754_000]);
        // "Préambule é😅\n" is 13 chars.
        assert_eq!((marks[0].start_char, marks[0].end_char), (13, 23));
        let p = passages(text);
        assert_eq!(p[0].chars(), 13..marks[1].start_char);
        assert_eq!(passage_at(&p, 4_999), None);
        assert_eq!(passage_at(&p, 6_000).map(|x| x.start_ms), Some(5_000));
        assert_eq!(passage_at(&p, 800_000).map(|x| x.start_ms), Some(754_000));
        assert_eq!(
            passage_at(&p, 4_000_000).map(|x| x.start_ms),
            Some(3_723_500)
        );
        assert_eq!(mark_before(&marks, 30).map(|m| m.time_ms), Some(5_000));
    }

    #[test]
    fn rejects_non_marks_and_formats() {
        assert_eq!(parse_clock("1:60:00"), None);
        assert_eq!(parse_clock("00:5:00"), None);
        assert_eq!(parse_clock("inaudible"), None);
        assert_eq!(format_mark(3_723_999), "[01:02:03]");
        assert_eq!(mark_for_insertion("abc", 3, 61_000), "\n[00:01:01] ");
        assert_eq!(mark_for_insertion("abc\n", 4, 0), "[00:00:00] ");
        assert_eq!(format_clock(7_000), "0:07");
        assert_eq!(format_clock(3_723_000), "1:02:03");
    }
}
