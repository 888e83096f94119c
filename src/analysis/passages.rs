//! Passages: the codings of one code that overlap in one document, merged into one passage
//! (two coders coding the same answer give one passage coded by two coders), and how the
//! most representative passages are chosen.
//!
//! **Most representative passages** of a code (used for each side of a controversy):
//! 1. more coders first (the passage two coders agreed on beats one seen by a single coder);
//! 2. then the longer *agreement*: the number of characters coded by every one of those
//!    coders (the core they all chose);
//! 3. then the longer passage (characters from its first to its last coded character);
//! 4. then corpus order.
//!
//! Picking the top `n` (3 by default), one passage per respondent comes first, so the short
//! list shows several voices; passages of a respondent already shown fill the list only when
//! fewer than `n` respondents have one.

use std::collections::BTreeSet;

use super::selection::Selection;
use crate::model::RespondentId;

/// How many representative passages are shown per side.
pub const REPRESENTATIVE_COUNT: usize = 3;

/// A passage: overlapping codings merged.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    /// Index of the document in [`Selection::documents`].
    pub doc: usize,
    /// First char (inclusive) of the union of the codings.
    pub start_char: usize,
    /// Last char (exclusive) of the union of the codings.
    pub end_char: usize,
    /// Indices of the merged items in [`Selection::items`].
    pub items: Vec<usize>,
    /// Distinct coder GUIDs, sorted.
    pub coders: Vec<String>,
    /// Characters coded by every one of `coders`.
    pub agreement_chars: usize,
}

impl Passage {
    /// Length in chars from first to last coded char.
    pub fn len_chars(&self) -> usize {
        self.end_char - self.start_char
    }
}

/// Merges items (indices into `sel.items`) into passages: items of one document whose ranges
/// overlap (share at least one char, directly or through a chain) form one passage. The result
/// is in corpus order.
pub fn passages(sel: &Selection, items: &[usize]) -> Vec<Passage> {
    let mut out = with_coders(sel, items);
    for p in &mut out {
        p.agreement_chars = agreement(sel, &p.items, &p.coders);
    }
    out
}

/// Like [`passages`] without their agreement (left 0): where they lie and who coded them.
pub fn with_coders(sel: &Selection, items: &[usize]) -> Vec<Passage> {
    let mut out = merged(sel, items);
    for p in &mut out {
        let coders: BTreeSet<&str> = p
            .items
            .iter()
            .map(|&i| sel.coder_of(&sel.items[i]))
            .collect();
        p.coders = coders.iter().map(|c| c.to_string()).collect();
    }
    out
}

/// Like [`passages`] without their coders and agreement (left empty and 0): where they lie
/// is all some callers need.
pub fn merged(sel: &Selection, items: &[usize]) -> Vec<Passage> {
    let mut sorted: Vec<usize> = items.to_vec();
    sorted.sort_by_key(|&i| {
        let it = &sel.items[i];
        (it.doc, it.start_char, it.end_char, i)
    });
    sorted.dedup();
    let mut out: Vec<Passage> = Vec::new();
    for i in sorted {
        let it = &sel.items[i];
        match out.last_mut() {
            Some(p) if p.doc == it.doc && it.start_char < p.end_char => {
                p.end_char = p.end_char.max(it.end_char);
                p.items.push(i);
            }
            _ => out.push(Passage {
                doc: it.doc,
                start_char: it.start_char,
                end_char: it.end_char,
                items: vec![i],
                coders: Vec::new(),
                agreement_chars: 0,
            }),
        }
    }
    out
}

/// Characters covered by every coder of `coders` among `items` (each coder's codings are
/// first merged, so a coder who coded a sentence twice counts once).
fn agreement(sel: &Selection, items: &[usize], coders: &[String]) -> usize {
    // Events: +1 where a coder's merged range starts, -1 where it ends.
    let mut events: Vec<(usize, i64)> = Vec::new();
    for coder in coders {
        let mut ranges: Vec<(usize, usize)> = items
            .iter()
            .map(|&i| &sel.items[i])
            .filter(|c| sel.coder_of(c) == coder)
            .map(|c| (c.start_char, c.end_char))
            .collect();
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (s, e) in ranges {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        for (s, e) in merged {
            events.push((s, 1));
            events.push((e, -1));
        }
    }
    events.sort_unstable();
    let need = coders.len() as i64;
    let (mut depth, mut last, mut total) = (0i64, 0usize, 0usize);
    for (pos, delta) in events {
        if depth == need && need > 0 {
            total += pos - last;
        }
        depth += delta;
        last = pos;
    }
    total
}

/// Characters covered by the union of the items' ranges, per document, summed.
pub fn covered_chars(sel: &Selection, items: &[usize]) -> usize {
    // The same union as [`passages`] without building them (no coders, no agreement): this
    // runs for every row of the frequency table.
    let mut ranges: Vec<(usize, usize, usize)> = items
        .iter()
        .map(|&i| {
            let it = &sel.items[i];
            (it.doc, it.start_char, it.end_char)
        })
        .collect();
    if !ranges.is_sorted() {
        ranges.sort_unstable();
    }
    let mut total = 0;
    let mut current: Option<(usize, usize, usize)> = None;
    for (doc, start, end) in ranges {
        match current.as_mut() {
            Some((d, _, e)) if *d == doc && start < *e => *e = (*e).max(end),
            _ => {
                if let Some((_, s, e)) = current {
                    total += e - s;
                }
                current = Some((doc, start, end));
            }
        }
    }
    total + current.map_or(0, |(_, s, e)| e - s)
}

/// The `n` most representative passages (see the module documentation), best first.
pub fn representative<'a>(sel: &Selection, passages: &'a [Passage], n: usize) -> Vec<&'a Passage> {
    let mut ranked: Vec<&Passage> = passages.iter().collect();
    ranked.sort_by(|a, b| {
        b.coders
            .len()
            .cmp(&a.coders.len())
            .then(b.agreement_chars.cmp(&a.agreement_chars))
            .then(b.len_chars().cmp(&a.len_chars()))
            .then((a.doc, a.start_char).cmp(&(b.doc, b.start_char)))
    });
    let respondent = |p: &Passage| {
        sel.documents
            .get(p.doc)
            .and_then(|d| d.respondent_guid.clone())
    };
    let mut chosen: Vec<&Passage> = Vec::new();
    let mut voices: BTreeSet<Option<RespondentId>> = BTreeSet::new();
    for p in &ranked {
        if chosen.len() == n {
            break;
        }
        let who = respondent(p);
        // Passages without a respondent each count as their own voice.
        if who.is_some() && voices.contains(&who) {
            continue;
        }
        voices.insert(who);
        chosen.push(p);
    }
    for p in &ranked {
        if chosen.len() == n {
            break;
        }
        if !chosen.iter().any(|c| std::ptr::eq(*c, *p)) {
            chosen.push(p);
        }
    }
    // Keep rank order.
    chosen.sort_by_key(|c| ranked.iter().position(|r| std::ptr::eq(*r, *c)));
    chosen
}

/// The coders of a passage by name, comma-separated.
pub fn coder_list(sel: &Selection, passage: &Passage) -> String {
    let mut names: Vec<&str> = passage.coders.iter().map(|g| sel.coder_name(g)).collect();
    names.sort_unstable();
    names.join(", ")
}
