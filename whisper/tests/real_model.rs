//! Whisper base on French speech (espeak-ng), compared with faster-whisper on the same
//! model and audio; long recordings with silences; damaged model folders.

mod common;

use std::ops::ControlFlow;

use common::{model, model_dir, peer, reference, speech, wer};
use fouille_whisper::{Error, LoadError, Model, Options, Segment, loop_free, transcribe};

fn run(samples: &[f32]) -> Vec<Segment> {
    transcribe(model(), samples, &Options::default(), &mut |_| {
        ControlFlow::Continue(())
    })
    .unwrap()
}

fn text(segments: &[Segment]) -> String {
    segments
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Segments lie within the recording, each after the previous one.
fn check_times(segments: &[Segment], len: usize) {
    let duration_ms = len as u64 * 1000 / 16_000;
    let mut last_end = 0;
    for s in segments {
        assert!(
            s.start_ms < s.end_ms && s.end_ms <= duration_ms,
            "{s:?} in {duration_ms} ms"
        );
        assert!(s.start_ms >= last_end, "{s:?} starts before {last_end}");
        assert!(!s.text.is_empty() && s.text.trim() == s.text);
        last_end = s.end_ms;
    }
}

fn compare_with_peer(name: &str) {
    let audio = speech(name);
    let t = std::time::Instant::now();
    let segments = run(&audio);
    let secs = t.elapsed().as_secs_f64();
    check_times(&segments, audio.len());
    let (ours, theirs) = (
        wer(&reference(name), &text(&segments)),
        wer(&reference(name), &peer(name)),
    );
    eprintln!(
        "{name}: WER ours {ours:.3}, faster-whisper float32 {theirs:.3}; {secs:.1} s for {:.1} s of audio",
        audio.len() as f64 / 16e3
    );
    eprintln!("{name}: {}", text(&segments));
    assert!(
        ours <= theirs + 0.05,
        "{name}: WER {ours:.3} is worse than faster-whisper's {theirs:.3} + 0.05"
    );
}

#[test]
fn paragraph_with_digits_and_accents() {
    compare_with_peer("chiffres");
}

#[test]
fn interview_paragraph() {
    compare_with_peer("entretien");
}

#[test]
fn two_minutes_with_pauses() {
    compare_with_peer("long");
}

/// Ten minutes: the three recordings between long silences. Nothing may be written in the
/// silences, and no phrase may loop.
#[test]
fn ten_minutes_with_long_silences() {
    let parts = ["long", "chiffres", "entretien", "long"];
    let silences = [45.0, 120.0, 90.0, 150.0, 60.0];
    let mut audio = Vec::new();
    let mut speech_spans = Vec::new();
    for (i, gap) in silences.iter().enumerate() {
        audio.extend(std::iter::repeat_n(0.0f32, (gap * 16_000.0) as usize));
        if let Some(p) = parts.get(i) {
            let s = speech(p);
            speech_spans.push((audio.len() as u64 / 16, (audio.len() + s.len()) as u64 / 16));
            audio.extend(s);
        }
    }
    assert!(audio.len() >= 16_000 * 600, "{} s", audio.len() / 16_000);
    let t = std::time::Instant::now();
    let mut reports = Vec::new();
    let segments = transcribe(model(), &audio, &Options::default(), &mut |p| {
        reports.push(p.done);
        ControlFlow::Continue(())
    })
    .unwrap();
    eprintln!(
        "10 min: {} segments in {:.1} s",
        segments.len(),
        t.elapsed().as_secs_f64()
    );
    check_times(&segments, audio.len());
    for s in &segments {
        let inside = speech_spans
            .iter()
            .any(|&(a, b)| s.start_ms + 300 >= a && s.end_ms <= b + 300);
        assert!(inside, "text in a silence: {s:?}");
    }
    for &(a, b) in &speech_spans {
        assert!(
            segments.iter().any(|s| s.start_ms < b && s.end_ms > a),
            "no text for the speech at {a}..{b} ms"
        );
    }
    let all = text(&segments);
    let words: Vec<&str> = all.split_whitespace().collect();
    assert!(
        loop_free(&words).iter().all(|&k| k),
        "a phrase loops: {all}"
    );
    assert!(
        reports.windows(2).all(|w| w[0] <= w[1]) && reports.last() == Some(&1.0),
        "{reports:?}"
    );
}

#[test]
fn silence_and_noise_give_no_text() {
    assert!(run(&vec![0.0; 16_000 * 40]).is_empty());
    let mut r = 5u32;
    let hiss: Vec<f32> = (0..16_000 * 40)
        .map(|_| {
            r = r.wrapping_mul(1664525).wrapping_add(1013904223);
            ((r >> 8) as f32 / (1 << 24) as f32 - 0.5) * 0.02
        })
        .collect();
    let s = run(&hiss);
    assert!(s.is_empty(), "text invented over hiss: {s:?}");
}

/// Speech in steady hiss (about 15 dB under the voice) with 20 s of hiss alone on each side:
/// text only where the speech is, and no loop (faster-whisper without voice detection writes
/// "très" two hundred times over this kind of input).
#[test]
fn speech_in_hiss() {
    let speech = speech("entretien");
    let mut r = 9u32;
    let mut hiss = |n: usize| -> Vec<f32> {
        (0..n)
            .map(|_| {
                r = r.wrapping_mul(1664525).wrapping_add(1013904223);
                ((r >> 8) as f32 / (1 << 24) as f32 - 0.5) * 0.02
            })
            .collect()
    };
    let pad = 20 * 16_000;
    let mut audio = hiss(pad);
    let h = hiss(speech.len());
    audio.extend(speech.iter().zip(h).map(|(s, n)| 0.5 * s + n));
    audio.extend(hiss(pad));
    let segments = run(&audio);
    check_times(&segments, audio.len());
    let (a, b) = (20_000, 20_000 + speech.len() as u64 / 16);
    assert!(!segments.is_empty());
    for s in &segments {
        assert!(
            s.start_ms + 500 >= a && s.end_ms <= b + 500,
            "text in the hiss: {s:?}"
        );
    }
    let all = text(&segments);
    let words: Vec<&str> = all.split_whitespace().collect();
    assert!(
        loop_free(&words).iter().all(|&k| k),
        "a phrase loops: {all}"
    );
    eprintln!(
        "in hiss: WER {:.3}: {all}",
        wer(&reference("entretien"), &all)
    );
}

#[test]
fn cancelling_stops_with_an_error() {
    let audio = speech("long");
    let mut calls = 0;
    let r = transcribe(model(), &audio, &Options::default(), &mut |_| {
        calls += 1;
        if calls > 1 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    assert!(matches!(r, Err(Error::Cancelled)), "{r:?}");
}

#[test]
fn language_is_detected_as_french() {
    let (code, p) = fouille_whisper::detect_language(model(), &speech("entretien"))
        .unwrap()
        .unwrap();
    assert_eq!(code, "fr", "probability {p}");
    let opts = Options {
        language: None,
        ..Options::default()
    };
    let s = transcribe(model(), &speech("entretien"), &opts, &mut |_| {
        ControlFlow::Continue(())
    })
    .unwrap();
    assert!(wer(&reference("entretien"), &text(&s)) < 0.9);
    let bad = Options {
        language: Some("xx".into()),
        ..Options::default()
    };
    let r = transcribe(model(), &speech("entretien"), &bad, &mut |_| {
        ControlFlow::Continue(())
    });
    assert!(matches!(r, Err(Error::UnknownLanguage(_))));
}

/// English, language left to detection: Whisper base understands espeak's English well, so
/// this checks the whole chain (resampling, mel, model, decoding) on a near-perfect case.
#[test]
fn english_with_detected_language() {
    let audio = speech("english");
    assert_eq!(
        fouille_whisper::detect_language(model(), &audio)
            .unwrap()
            .map(|d| d.0),
        Some("en")
    );
    let opts = Options {
        language: None,
        ..Options::default()
    };
    let s = transcribe(model(), &audio, &opts, &mut |_| ControlFlow::Continue(())).unwrap();
    check_times(&s, audio.len());
    let w = wer(&reference("english"), &text(&s));
    eprintln!("english: WER {w:.3}: {}", text(&s));
    assert!(w <= 0.1, "WER {w:.3}: {}", text(&s));
}

#[test]
fn base_model_reports_its_sizes() {
    let d = model().dims();
    assert_eq!(
        (
            d.n_mels,
            d.d_model,
            d.n_audio_layer,
            d.n_text_head,
            d.n_vocab
        ),
        (80, 512, 6, 8, 51865)
    );
    assert_eq!(model().n_mels(), 80);
    assert!(model().languages().contains(&"fr"));
}

/// A copy of the real folder with `model.bin` replaced by `bytes` (or removed).
fn damaged(bytes: Option<Vec<u8>>) -> String {
    let dir = tempfile::tempdir().unwrap();
    for f in ["config.json", "vocabulary.txt"] {
        std::fs::copy(model_dir().join(f), dir.path().join(f)).unwrap();
    }
    if let Some(b) = bytes {
        std::fs::write(dir.path().join("model.bin"), b).unwrap();
    }
    match Model::load(dir.path()) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a damaged folder loaded"),
    }
}

#[test]
fn damaged_real_model_bin_gives_clear_errors() {
    use std::io::Read;
    let mut head = vec![0u8; 4 << 20];
    std::fs::File::open(model_dir().join("model.bin"))
        .unwrap()
        .read_exact(&mut head)
        .unwrap();
    let e = damaged(Some(head.clone()));
    assert!(
        e.contains("model.bin")
            && e.contains("truncated")
            && e.contains("download the model again"),
        "{e}"
    );
    let mut bad = head.clone();
    bad[..4].copy_from_slice(b"\x7fELF");
    let e = damaged(Some(bad));
    assert!(e.contains("does not start like a CTranslate2 model"), "{e}");
    let e = damaged(None);
    assert!(
        e.ends_with("model.bin: missing (the weights of the model)"),
        "{e}"
    );
    let e = Model::load(&common::data("peer")).err().unwrap();
    assert!(matches!(e, LoadError::NotAModel(_)), "{e}");
}
