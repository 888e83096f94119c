//! Editing a coded text keeps its codings. Property tests of the pure rebase
//! (model::rebase): for random texts, codings and edits, every coding that no edit touches
//! still covers exactly the same characters in the new text.

use fouille::model::rebase::{AnchorFate, Rebaser};
use proptest::prelude::*;

/// Chars chosen to make diffs ambiguous (few letters, repeated) and to exercise offsets
/// (accents, œ, emoji outside the BMP, line breaks).
fn alphabet() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => Just('a'),
        2 => Just('b'),
        1 => Just('c'),
        1 => Just('é'),
        1 => Just('œ'),
        1 => Just('😅'),
        2 => Just(' '),
        2 => Just('\n'),
    ]
}

fn text(max: usize) -> impl Strategy<Value = Vec<char>> {
    prop::collection::vec(alphabet(), 0..max)
}

/// An edit on the old text: replace `[start, end)` by `insert` (an insertion when the range
/// is empty, a deletion when `insert` is empty).
#[derive(Debug, Clone)]
struct Edit {
    start: usize,
    end: usize,
    insert: Vec<char>,
}

/// Raw edit: fractions of the text length and the text to insert.
fn raw_edit() -> impl Strategy<Value = (f64, f64, u8, Vec<char>)> {
    (0.0..=1.0f64, 0.0..=0.3f64, 0u8..3, text(12))
}

fn make_edit(len: usize, (at, span, kind, insert): (f64, f64, u8, Vec<char>)) -> Edit {
    let start = ((len as f64) * at).floor() as usize;
    let start = start.min(len);
    let span = (((len as f64) * span).ceil() as usize).max(1);
    let end = (start + span).min(len);
    match kind {
        // insertion
        0 => Edit {
            start,
            end: start,
            insert: if insert.is_empty() { vec!['x'] } else { insert },
        },
        // deletion
        1 => Edit {
            start,
            end,
            insert: Vec::new(),
        },
        // replacement
        _ => Edit { start, end, insert },
    }
}

fn codings(len: usize, raw: &[(f64, f64)]) -> Vec<(usize, usize)> {
    if len == 0 {
        return Vec::new();
    }
    raw.iter()
        .map(|&(at, span)| {
            let s = (((len as f64) * at).floor() as usize).min(len - 1);
            let e = (s + ((len as f64 * span).ceil() as usize).max(1)).min(len);
            (s, e)
        })
        .collect()
}

fn touches(edit: &Edit, (s, e): (usize, usize)) -> bool {
    if edit.start == edit.end {
        s < edit.start && edit.start < e
    } else {
        edit.start < e && edit.end > s
    }
}

fn apply_edits(old: &[char], edits: &[Edit]) -> Vec<char> {
    // Edits are sorted and disjoint; apply from the end so offsets stay valid.
    let mut out = old.to_vec();
    for edit in edits.iter().rev() {
        out.splice(edit.start..edit.end, edit.insert.iter().copied());
    }
    out
}

fn slice(chars: &[char], (s, e): (usize, usize)) -> String {
    chars[s..e].iter().collect()
}

/// Checks what every edit must guarantee, whatever it touched: ranges inside the new text,
/// untouched codings unchanged with the same chars.
fn check(
    old: &[char],
    new: &[char],
    anchors: &[(usize, usize)],
    edits: &[Edit],
) -> Result<(), TestCaseError> {
    let old_s: String = old.iter().collect();
    let new_s: String = new.iter().collect();
    let rebaser = Rebaser::new(&old_s, &new_s);
    for &anchor in anchors {
        let fate = rebaser.map(anchor.0, anchor.1);
        if let Some((s, e)) = fate.range() {
            prop_assert!(
                s < e && e <= new.len(),
                "{anchor:?} → {fate:?} outside 0..{}",
                new.len()
            );
        }
        if !edits.iter().any(|ed| touches(ed, anchor)) {
            prop_assert!(
                matches!(fate, AnchorFate::Unchanged { .. }),
                "untouched {anchor:?} ({:?}) became {fate:?}; old {old_s:?} new {new_s:?}",
                slice(old, anchor)
            );
            let (s, e) = fate.range().unwrap_or((0, 0));
            prop_assert_eq!(slice(new, (s, e)), slice(old, anchor));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    // One insertion, deletion or replacement.
    #[test]
    fn untouched_codings_keep_their_chars_after_one_edit(
        old in text(80),
        raw in raw_edit(),
        raw_codings in prop::collection::vec((0.0..1.0f64, 0.0..0.5f64), 0..8),
    ) {
        let edit = make_edit(old.len(), raw);
        let new = apply_edits(&old, std::slice::from_ref(&edit));
        let anchors = codings(old.len(), &raw_codings);
        check(&old, &new, &anchors, &[edit])?;
    }

    // The editor's way: several edits one after the other, rebasing each time.
    #[test]
    fn untouched_codings_survive_a_sequence_of_edits(
        old in text(80),
        raws in prop::collection::vec(raw_edit(), 1..6),
        raw_codings in prop::collection::vec((0.0..1.0f64, 0.0..0.5f64), 1..8),
    ) {
        let mut current = old.clone();
        let mut anchors: Vec<Option<(usize, usize)>> = codings(old.len(), &raw_codings).into_iter().map(Some).collect();
        let mut untouched: Vec<bool> = vec![true; anchors.len()];
        for raw in raws {
            let edit = make_edit(current.len(), raw);
            let next = apply_edits(&current, std::slice::from_ref(&edit));
            let live: Vec<(usize, usize)> = anchors.iter().flatten().copied().collect();
            check(&current, &next, &live, std::slice::from_ref(&edit))?;
            let rebaser = Rebaser::new(&current.iter().collect::<String>(), &next.iter().collect::<String>());
            for (i, anchor) in anchors.iter_mut().enumerate() {
                if let Some(a) = *anchor {
                    if touches(&edit, a) {
                        untouched[i] = false;
                    }
                    *anchor = rebaser.map(a.0, a.1).range();
                }
            }
            current = next;
        }
        let originals = codings(old.len(), &raw_codings);
        for (i, anchor) in anchors.iter().enumerate() {
            if untouched[i] {
                let (s, e) = anchor.unwrap_or((0, 0));
                prop_assert_eq!(slice(&current, (s, e)), slice(&old, originals[i]));
            }
        }
    }
}

/// Words for realistic texts (re-import of a corrected transcript).
const WORDS: &[&str] = &[
    "la",
    "participation",
    "citoyenne",
    "élus",
    "budget",
    "œuvre",
    "quartier",
    "on",
    "a",
    "fait",
    "des",
    "réunions",
    "😅",
    "mairie",
    "services",
    "c'est",
    "vrai",
    "que",
    "les",
    "habitants",
    "voulaient",
    "plus",
    "projet",
    "école",
    "vote",
    "associations",
    "tri",
    "déchets",
    "agents",
    "terrain",
    "confiance",
    "temps",
    "données",
    "usagers",
    "accueil",
    "dossier",
    "numérique",
    "formation",
    "réseau",
    "commune",
    "région",
    "département",
    "équipe",
    "chantier",
    "lycée",
    "famille",
    "enfants",
    "crèche",
    "maire",
    "adjoint",
];

fn words_text(seed: &[usize]) -> Vec<char> {
    let mut out = String::new();
    for (i, &w) in seed.iter().enumerate() {
        if i > 0 {
            out.push(if i % 13 == 0 { '\n' } else { ' ' });
        }
        out.push_str(WORDS[w % WORDS.len()]);
    }
    out.chars().collect()
}

/// With several edits made at once (a corrected file re-imported), a diff cannot always
/// tell which of two equal stretches of text close together was edited ("voulaient
/// voulaient"): the guarantee is exact for codings at least this many chars from every
/// edit. Edits made one at a time (the editor) are exact with no margin (see above).
const MARGIN: usize = 12;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    // A re-import: several disjoint edits at once, in word-made text.
    #[test]
    fn untouched_codings_keep_their_chars_after_many_edits_at_once(
        seed in prop::collection::vec(0usize..1000, 5..150),
        raws in prop::collection::vec((0.0..=1.0f64, 0.0..=0.05f64, 0u8..3, prop::collection::vec(0usize..1000, 1..3)), 1..6),
        raw_codings in prop::collection::vec((0.0..1.0f64, 0.0..0.2f64), 1..10),
    ) {
        let old = words_text(&seed);
        let mut edits: Vec<Edit> = raws
            .into_iter()
            .map(|(at, span, kind, w)| {
                let insert: Vec<char> = format!(" {} ", words_text(&w).iter().collect::<String>()).chars().collect();
                make_edit(old.len(), (at, span, kind, insert))
            })
            .collect();
        edits.sort_by_key(|e| (e.start, e.end));
        // Keep disjoint edits, at least one char apart.
        let mut kept: Vec<Edit> = Vec::new();
        for e in edits {
            if kept.last().is_none_or(|k| e.start > k.end) {
                kept.push(e);
            }
        }
        let new = apply_edits(&old, &kept);
        let anchors = codings(old.len(), &raw_codings);
        // The edits widened by the margin, for the exactness check.
        let widened: Vec<Edit> = kept
            .iter()
            .map(|e| Edit { start: e.start.saturating_sub(MARGIN), end: e.end + MARGIN, insert: Vec::new() })
            .collect();
        check(&old, &new, &anchors, &widened)?;
    }
}

#[test]
fn a_300k_char_document_rebases_quickly_and_exactly() {
    // The speed figure is printed (run with --nocapture), not asserted.
    let seed: Vec<usize> = (0..50_000usize).map(|i| (i * 7919 + i / 3) % 97).collect();
    let old = words_text(&seed);
    assert!(old.len() > 300_000, "{}", old.len());
    // 60 scattered edits of every kind.
    let mut edits = Vec::new();
    for k in 0..60usize {
        let start = k * (old.len() / 61) + 17;
        let end = if k % 3 == 0 { start } else { start + 5 + k % 7 };
        let insert: Vec<char> = if k % 3 == 1 {
            Vec::new()
        } else {
            format!("[corr {k}]").chars().collect()
        };
        edits.push(Edit { start, end, insert });
    }
    let new = apply_edits(&old, &edits);
    let anchors: Vec<(usize, usize)> = (0..3_000usize).map(|i| (i * 100, i * 100 + 40)).collect();
    let old_s: String = old.iter().collect();
    let new_s: String = new.iter().collect();
    let started = std::time::Instant::now();
    let rebaser = Rebaser::new(&old_s, &new_s);
    let fates = rebaser.map_all(&anchors);
    let elapsed = started.elapsed();
    println!(
        "rebase of a {}-char document, {} edits, {} anchors: {:?}",
        old.len(),
        edits.len(),
        anchors.len(),
        elapsed
    );
    let mut untouched = 0;
    for (anchor, fate) in anchors.iter().zip(&fates) {
        if !edits.iter().any(|e| touches(e, *anchor)) {
            untouched += 1;
            let (s, e) = fate.range().expect("untouched anchor kept");
            assert!(matches!(fate, AnchorFate::Unchanged { .. }));
            assert_eq!(slice(&new, (s, e)), slice(&old, *anchor));
        }
    }
    assert!(untouched > 2_900);
}

#[test]
fn every_line_retimed_keeps_the_codings_on_the_words() {
    // A re-synced transcript: every `[hh:mm:ss]` mark changes, no word does. The line diff
    // then sees one block of changed lines the size of the document, refined by words, then
    // chars. The time is printed (--nocapture), not asserted.
    let seed: Vec<usize> = (0..40_000usize).map(|i| (i * 7919 + i / 3) % 97).collect();
    let words = words_text(&seed);
    let mut old = String::new();
    let mut new = String::new();
    let mut anchors = Vec::new();
    let mut offset = 0usize;
    for (i, line) in words.iter().collect::<String>().split('\n').enumerate() {
        let old_mark = format!("[{:02}:{:02}:{:02}] ", i / 3600, (i / 60) % 60, i % 60);
        let new_mark = format!(
            "[{:02}:{:02}:{:02}] ",
            (i + 7) / 3600,
            ((i + 7) / 60) % 60,
            (i + 7) % 60
        );
        old.push_str(&old_mark);
        new.push_str(&new_mark);
        let start = offset + old_mark.chars().count();
        let len = line.chars().count();
        if len > 4 {
            anchors.push((start + 1, start + len - 1));
        }
        old.push_str(line);
        new.push_str(line);
        old.push('\n');
        new.push('\n');
        offset = start + len + 1;
    }
    let started = std::time::Instant::now();
    let rebaser = Rebaser::new(&old, &new);
    let fates = rebaser.map_all(&anchors);
    assert!(anchors.len() > 1_000, "{} lines", anchors.len());
    assert_eq!(fates.len(), anchors.len());
    println!(
        "retimed {} chars, {} lines: {:?}",
        old.chars().count(),
        anchors.len(),
        started.elapsed()
    );
    let old_chars: Vec<char> = old.chars().collect();
    let new_chars: Vec<char> = new.chars().collect();
    for (anchor, fate) in anchors.iter().zip(&fates) {
        assert!(
            matches!(fate, AnchorFate::Unchanged { .. }),
            "{anchor:?} → {fate:?}"
        );
        assert_eq!(
            slice(&new_chars, fate.range().unwrap()),
            slice(&old_chars, *anchor)
        );
    }
}
