//! Unit tests of the decoding rules, segment cutting and placement, on the tiny model
//! (text tokens are bytes 0–255, `<|endoftext|>` is 256, timestamps start at 266).

use crate::audio::vad::Span;
use crate::decoding::{Decoded, apply_rules};
use crate::model::Model;
use crate::testutil::{self, Store};
use crate::transcribe::{clean, place, split_at_timestamps};

const EOT: u32 = 256;
const TS: u32 = 266;

fn tiny() -> (tempfile::TempDir, Model) {
    let dir = tempfile::tempdir().unwrap();
    testutil::write_ct2(dir.path(), Store::F16);
    let m = Model::load(dir.path()).unwrap();
    (dir, m)
}

/// Allowed tokens after `tokens`, with every score equal except `boost` (id, score).
fn allowed(m: &Model, tokens: &[u32], boost: Option<(u32, f32)>) -> Vec<u32> {
    let mut logits = vec![0f32; testutil::VOCAB];
    if let Some((id, s)) = boost {
        logits[id as usize] = s;
    }
    apply_rules(m, &mut logits, tokens, 5);
    (0..logits.len() as u32)
        .filter(|&i| logits[i as usize].is_finite())
        .collect()
}

#[test]
fn first_token_is_an_early_timestamp() {
    let (_d, m) = tiny();
    assert_eq!(allowed(&m, &[], None), (TS..=TS + 5).collect::<Vec<_>>());
}

#[test]
fn timestamps_come_in_pairs_and_never_go_back() {
    let (_d, m) = tiny();
    let text = |v: &[u32]| v.iter().filter(|&&t| t < EOT).count();
    // After the opening timestamp: text (no timestamp, since a lone one would be a pair).
    let a = allowed(&m, &[TS + 3], Some((70, 5.0)));
    assert!(a.iter().all(|&t| t < TS) && a.contains(&70) && !a.contains(&1) && !a.contains(&2));
    // After text: a later timestamp is allowed, an earlier or equal one is not.
    let a = allowed(&m, &[TS + 3, 70], None);
    assert!(a.contains(&(TS + 4)) && !a.contains(&(TS + 3)) && !a.contains(&(TS + 2)));
    // After a closing timestamp: only another timestamp (not earlier) or the end…
    let a = allowed(&m, &[TS + 3, 70, TS + 9], Some((EOT, 5.0)));
    assert_eq!(text(&a), 0);
    assert!(a.contains(&EOT) && a.contains(&(TS + 9)) && !a.contains(&(TS + 8)));
    // …and the end only if it beats all timestamps together (here 41 of them at e⁰ each).
    assert!(!allowed(&m, &[TS + 3, 70, TS + 9], Some((EOT, 3.0))).contains(&EOT));
    // After a pair: text or the end, no timestamp.
    let a = allowed(&m, &[TS + 3, 70, TS + 9, TS + 9], Some((71, 5.0)));
    assert!(a.iter().all(|&t| t < TS) && a.contains(&71));
}

#[test]
fn a_timestamp_is_forced_when_timestamps_together_are_likelier() {
    let (_d, m) = tiny();
    // 50 timestamps at score 0 each outweigh one text token at 3 (e³ ≈ 20 < 50)…
    let a = allowed(&m, &[TS, 70], Some((71, 3.0)));
    assert!(
        a.iter()
            .all(|&t| t >= TS || t == EOT || (257..266).contains(&t))
            && !a.contains(&71),
        "{a:?}"
    );
    // …but not one at 5 (e⁵ ≈ 148).
    assert!(allowed(&m, &[TS, 70], Some((71, 5.0))).contains(&71));
}

fn decoded(tokens: Vec<u32>) -> Decoded {
    Decoded {
        tokens,
        avg_logprob: -0.2,
        no_speech_prob: 0.01,
        compression_ratio: 1.0,
    }
}

#[test]
fn segments_are_cut_at_timestamp_pairs() {
    let (_d, m) = tiny();
    let b = |s: &str| s.bytes().map(u32::from).collect::<Vec<_>>();
    let mut t = vec![TS];
    t.extend(b(" Bonjour."));
    t.extend([TS + 10, TS + 12]);
    t.extend(b(" Au revoir."));
    t.push(TS + 20);
    let (segs, advance) = split_at_timestamps(&m, &decoded(t.clone()), 16_000 * 5);
    assert_eq!(segs.len(), 2);
    assert_eq!(
        (segs[0].0, segs[0].1, segs[1].0, segs[1].1),
        (0.0, 0.2, 0.24, 0.4)
    );
    assert_eq!(
        advance,
        16_000 * 5,
        "ended on a lone timestamp: the piece is done"
    );
    // Cut short inside the second segment: done up to the end of the last complete one
    // (0.20 s), as Whisper seeks.
    t.pop();
    let (segs, advance) = split_at_timestamps(&m, &decoded(t), 16_000 * 5);
    assert_eq!(segs.len(), 1);
    assert_eq!(advance, 10 * 320);
}

#[test]
fn cleaning_cuts_loops_and_drops_credits() {
    let (_d, m) = tiny();
    let seg = |a: f64, s: &str| (a, a + 1.0, s.bytes().map(u32::from).collect::<Vec<_>>());
    let segs = vec![
        seg(0.0, " Merci."),
        seg(1.0, " Merci."),
        seg(2.0, " Merci. Merci."),
        seg(3.0, " Sous-titrage ST' 501"),
        seg(4.0, " Et maintenant, la suite."),
    ];
    let out = clean(&m, segs, 2.4);
    let texts: Vec<&str> = out.iter().map(|s| s.2.as_str()).collect();
    assert_eq!(texts, vec!["Merci.", "Et maintenant, la suite."]);
    // Text that still compresses like a loop (letters, not words) is dropped whole.
    assert!(
        clean(
            &m,
            vec![seg(
                0.0,
                &" hahahahahahahahahahahahahahahahahahahahaha".repeat(3)
            )],
            2.4
        )
        .is_empty()
    );
}

#[test]
fn segments_stay_inside_one_piece() {
    // Pieces of 1 s at 10 s and 30 s, played end to end: window time 0.5–1.8 s lies mostly
    // in the second piece, so it is placed there, from its start.
    let pieces = [
        Span {
            start: 160_000,
            end: 176_000,
        },
        Span {
            start: 480_000,
            end: 496_000,
        },
    ];
    assert_eq!(
        place(8_000, 28_800, &pieces),
        Some((480_000, 492_800, 496_000))
    );
    assert_eq!(
        place(1_000, 12_000, &pieces),
        Some((161_000, 172_000, 176_000))
    );
    assert_eq!(
        place(16_000, 16_000, &pieces),
        Some((480_000, 480_000, 496_000))
    );
}
