//! Concordance (key word in context): one line per hit, its left context, the hit and its
//! right context, to be shown aligned on the hit and sorted by what surrounds it.

use super::Span;
use super::eval::{Hit, Width};
use super::token::scan_words;

/// One concordance line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct KwicLine {
    /// The caller's number for the text the hit is in (its place in document order).
    pub source: usize,
    /// The hit, in chars of that text.
    pub span: Span,
    /// Context before the hit, each run of whitespace (line breaks included) shown as one
    /// space.
    pub left: String,
    /// The hit, whitespace shown the same way.
    pub matched: String,
    /// Context after the hit, whitespace shown the same way.
    pub right: String,
}

/// The order of concordance lines. Lines that compare equal keep their order.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum KwicSort {
    /// By text (`source`), then position in it.
    #[default]
    Document,
    /// By the words after the hit, nearest first (folded: accents and case ignored).
    Right,
    /// By the words before the hit read right to left, nearest first (folded).
    Left,
}

/// Concordance lines of `hits` found in `text`, numbered `source`, with `width` of context.
pub fn kwic_lines(text: &str, source: usize, hits: &[Hit], width: Width) -> Vec<KwicLine> {
    hits.iter()
        .map(|hit| {
            let c = hit.context(text, width);
            KwicLine {
                source,
                span: hit.span,
                left: one_line(c.before),
                matched: one_line(c.matched),
                right: one_line(c.after),
            }
        })
        .collect()
}

/// `s` with each run of whitespace as one space.
fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// Sorts concordance lines (stable: equal lines keep their order).
pub fn sort_lines(lines: &mut [KwicLine], order: KwicSort) {
    sort_by_line(lines, |l| l, order);
}

/// Sorts items that each carry a concordance line (the line with where it comes from) as
/// [`sort_lines`] sorts the lines themselves.
pub fn sort_by_line<T>(items: &mut [T], line: impl Fn(&T) -> &KwicLine, order: KwicSort) {
    match order {
        KwicSort::Document => items.sort_by_key(|i| {
            let l = line(i);
            (l.source, l.span)
        }),
        KwicSort::Right => items.sort_by_cached_key(|i| folded_words(&line(i).right)),
        KwicSort::Left => items.sort_by_cached_key(|i| {
            let mut words = folded_words(&line(i).left);
            words.reverse();
            words
        }),
    }
}

fn folded_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut buffer = String::new();
    scan_words(s, &mut buffer, |_, folded| out.push(folded.to_string()));
    out
}

/// The lines as plain text, hits aligned: each left context padded with spaces (by chars)
/// to the widest one.
pub fn format_lines(lines: &[KwicLine]) -> Vec<String> {
    let widest = lines
        .iter()
        .map(|l| l.left.chars().count())
        .max()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| {
            let pad = widest - l.left.chars().count();
            format!("{}{}{}{}", " ".repeat(pad), l.left, l.matched, l.right)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexical::{Query, Scope};

    const TEXT: &str = "Le service public.\nUn service\nrendu ; le Service Achats ; un service public 😀 \
                        et le service à domicile.";

    fn lines(order: KwicSort, width: Width) -> Vec<(String, String, String)> {
        let hits = Query::parse("service")
            .unwrap()
            .hits(TEXT, Scope::Paragraph);
        let mut lines = kwic_lines(TEXT, 0, &hits, width);
        sort_lines(&mut lines, order);
        lines
            .into_iter()
            .map(|l| (l.left, l.matched, l.right))
            .collect()
    }

    fn l(a: &str, b: &str, c: &str) -> (String, String, String) {
        (a.into(), b.into(), c.into())
    }

    #[test]
    fn sorted_by_right_left_and_document() {
        let w = Width::Words(2);
        assert_eq!(
            lines(KwicSort::Right, w),
            [
                l("et le ", "service", " à domicile"),
                l("rendu ; le ", "Service", " Achats ; un"),
                l("Achats ; un ", "service", " public 😀 et"),
                l("Le ", "service", " public. Un"),
                l("public. Un ", "service", " rendu ; le"),
            ]
        );
        // Left, nearest word first: [le] < [le, et] < [le, rendu] < [un, achats] < [un, public].
        let by_left: Vec<String> = lines(KwicSort::Left, w).into_iter().map(|x| x.2).collect();
        assert_eq!(
            by_left,
            [
                " public. Un",
                " à domicile",
                " Achats ; un",
                " public 😀 et",
                " rendu ; le"
            ]
        );
        let doc: Vec<String> = lines(KwicSort::Document, Width::Chars(4))
            .into_iter()
            .map(|x| x.0)
            .collect();
        assert_eq!(doc, ["Le ", " Un ", " le ", " un ", " le "]);
    }

    #[test]
    fn ties_keep_their_order() {
        let hits = Query::parse("a")
            .unwrap()
            .hits("a x. a x. a y", Scope::Paragraph);
        let mut lines = kwic_lines("a x. a x. a y", 0, &hits, Width::Words(1));
        lines.reverse();
        sort_lines(&mut lines, KwicSort::Right);
        let starts: Vec<usize> = lines.iter().map(|l| l.span.start).collect();
        assert_eq!(starts, [5, 0, 10]);
    }

    #[test]
    fn aligned_text() {
        let hits = Query::parse("public OU domicile")
            .unwrap()
            .hits(TEXT, Scope::Paragraph);
        let lines = kwic_lines(TEXT, 3, &hits, Width::Words(1));
        assert_eq!(
            format_lines(&lines),
            [
                "service public. Un",
                "service public 😀 et",
                "      à domicile."
            ]
        );
    }
}
