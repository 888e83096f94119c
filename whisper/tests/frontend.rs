//! The audio front end and the text side, through the public API: mel against faster-whisper,
//! resampling, voice detection, tokenizer decoding, loop and credit guards.

use fouille_whisper::audio::mel::{self, MelBank};
use fouille_whisper::audio::{resample, vad};
use fouille_whisper::{Tokenizer, compression_ratio, is_credit, loop_free};

fn fixture_signal() -> Vec<f32> {
    (0..16000)
        .map(|n| {
            let t = n as f64 / 16000.0;
            let tau = std::f64::consts::TAU;
            let mut s =
                0.5 * (tau * 440.0 * t).sin() + 0.3 * (tau * (200.0 + 1500.0 * t) * t).sin();
            if n % 800 < 4 {
                s += 0.2;
            }
            s as f32
        })
        .collect()
}

#[test]
fn log_mel_matches_faster_whisper() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/mel-fixture.txt"
    ))
    .unwrap();
    let (m, frames) = mel::log_mel_spectrogram(&fixture_signal(), &MelBank::new(80));
    assert_eq!(frames, 100);
    let mut worst = 0f32;
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let v: Vec<f32> = line.split(' ').map(|x| x.parse().unwrap()).collect();
        let f = v[0] as usize;
        for (band, want) in v[1..].iter().enumerate() {
            worst = worst.max((m[band * frames + f] - want).abs());
        }
    }
    assert!(
        worst < 1e-3,
        "log-mel differs from faster-whisper's by {worst}"
    );
}

#[test]
fn mel_filters_are_slaney_normalised() {
    let f = mel::mel_filters(80);
    assert_eq!((f.len(), f[0].len()), (80, 201));
    // Band 0 peaks at bin 1 (40 Hz) with librosa's value 2/(f2 - f0) · 1.
    assert!((f[0][1] - 0.024_862).abs() < 1e-5, "{}", f[0][1]);
    assert!(f.iter().all(|band| band.iter().any(|&w| w > 0.0)));
    assert_eq!(mel::mel_filters(128).len(), 128);
}

fn tone(rate: u32, hz: f64, secs: f64) -> Vec<f32> {
    (0..(rate as f64 * secs) as usize)
        .map(|n| (std::f64::consts::TAU * hz * n as f64 / rate as f64).sin() as f32 * 0.5)
        .collect()
}

fn rms(x: &[f32]) -> f32 {
    (x.iter().map(|v| v * v).sum::<f32>() / x.len() as f32).sqrt()
}

#[test]
fn resampling_keeps_speech_and_removes_what_would_fold_back() {
    for rate in [44_100, 48_000, 22_050, 8_000, 11_025] {
        let out = resample(&tone(rate, 1000.0, 1.0), rate);
        assert_eq!(out.len(), 16_000, "{rate} Hz");
        let want = tone(16_000, 1000.0, 1.0);
        let mid = 1000..15_000; // away from the edges
        let err: Vec<f32> = out[mid.clone()]
            .iter()
            .zip(&want[mid])
            .map(|(a, b)| a - b)
            .collect();
        assert!(
            rms(&err) < 0.01,
            "{rate} Hz: a 1 kHz tone changed by {} RMS",
            rms(&err)
        );
    }
    // 12 kHz cannot exist at 16 kHz: it must be filtered out, not folded to 4 kHz.
    let out = resample(&tone(48_000, 12_000.0, 1.0), 48_000);
    assert!(
        rms(&out[1000..15_000]) < 0.005,
        "12 kHz leaked: {}",
        rms(&out)
    );
    assert_eq!(resample(&[0.1, 0.2], 16_000), vec![0.1, 0.2]);
    assert!(resample(&[], 44_100).is_empty());
}

fn silence(secs: f64) -> Vec<f32> {
    vec![0.0; (16_000.0 * secs) as usize]
}

#[test]
fn voice_detection_finds_tones_and_skips_silence() {
    assert!(vad::windows(&silence(60.0)).is_empty());
    assert!(vad::stretches(&silence(60.0)).is_empty());
    let mut a = silence(5.0);
    a.extend(tone(16_000, 300.0, 3.0));
    a.extend(silence(10.0));
    a.extend(tone(16_000, 300.0, 2.0));
    a.extend(silence(1.0));
    let w = vad::stretches(&a);
    assert_eq!(w.len(), 2, "{w:?}");
    let windows = vad::windows(&a);
    assert_eq!(
        windows,
        vec![vad::Window { pieces: w.clone() }],
        "short stretches share a window"
    );
    assert_eq!(windows[0].audio(&a).len(), w[0].len() + w[1].len());
    let s = |x: f64| (x * 16_000.0) as usize;
    assert!(
        w[0].start <= s(5.0) && w[0].start >= s(4.5) && w[0].end >= s(8.0) && w[0].end <= s(8.5),
        "{w:?}"
    );
    assert!(w[1].start <= s(18.0) && w[1].end >= s(20.0), "{w:?}");
}

#[test]
fn long_speech_is_cut_into_windows_of_30_s_in_its_pauses() {
    // 75 s of 2.5 s tones separated by 0.5 s pauses (too short to be skipped).
    let mut a = Vec::new();
    for _ in 0..25 {
        a.extend(tone(16_000, 250.0, 2.5));
        a.extend(silence(0.5));
    }
    let w = vad::stretches(&a);
    assert!(w.len() >= 3, "{w:?}");
    assert_eq!(
        vad::windows(&a).len(),
        w.len(),
        "a cut stretch fills its windows"
    );
    for (i, x) in w.iter().enumerate() {
        assert!(x.len() <= vad::MAX_WINDOW);
        if i > 0 {
            assert_eq!(x.start, w[i - 1].end, "pauses under 2 s stay in");
        }
        // Each cut falls in a pause: the samples around it are silent.
        if i + 1 < w.len() {
            assert!(
                a[x.end - 800..x.end + 800].iter().all(|&v| v == 0.0),
                "cut at {} is in a tone",
                x.end
            );
        }
    }
}

#[test]
fn noise_floor_sets_the_threshold() {
    // Steady hiss at −40 dBFS with a louder tone in the middle: only the tone is speech.
    let mut r = 1u32;
    let mut hiss = |n: usize| -> Vec<f32> {
        (0..n)
            .map(|_| {
                r = r.wrapping_mul(1664525).wrapping_add(1013904223);
                ((r >> 8) as f32 / (1 << 24) as f32 - 0.5) * 0.035
            })
            .collect()
    };
    let mut a = hiss(16_000 * 10);
    let t: Vec<f32> = tone(16_000, 400.0, 2.0);
    let h = hiss(t.len());
    a.extend(t.iter().zip(h).map(|(x, y)| x + y));
    a.extend(hiss(16_000 * 10));
    let w = vad::stretches(&a);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].start >= 16_000 * 9 && w[0].end <= 16_000 * 13, "{w:?}");
}

fn gpt2_spelling(text: &str) -> String {
    text.bytes()
        .map(|b| {
            let printable =
                |x: u8| (b'!'..=b'~').contains(&x) || (0xA1..=0xAC).contains(&x) || x >= 0xAE;
            if printable(b) {
                char::from(b)
            } else {
                char::from_u32(256 + (0..b).filter(|&x| !printable(x)).count() as u32).unwrap()
            }
        })
        .collect()
}

#[test]
fn tokenizer_joins_bytes_across_tokens() {
    // "é" is C3 A9: split over two tokens; "œ" and "’" are whole tokens here.
    let mut tokens = vec![
        gpt2_spelling(" d"),
        gpt2_spelling("\u{e9}").chars().take(1).collect(),
        gpt2_spelling("\u{e9}").chars().skip(1).collect(),
    ];
    tokens.extend([
        gpt2_spelling("j\u{e0}"),
        gpt2_spelling(" c\u{153}ur"),
        gpt2_spelling("\u{2019}"),
        gpt2_spelling(" 12 %"),
    ]);
    for s in [
        "<|endoftext|>",
        "<|startoftranscript|>",
        "<|fr|>",
        "<|translate|>",
        "<|transcribe|>",
        "<|startoflm|>",
        "<|startofprev|>",
        "<|nospeech|>",
        "<|notimestamps|>",
    ] {
        tokens.push(s.into());
    }
    let tok = Tokenizer::from_tokens(tokens, 20).unwrap();
    let ids = tok.ids;
    assert_eq!(
        tok.decode(&[ids.sot, 0, 1, 2, 3, 4, 5, 6, ids.eot, ids.timestamp_begin]),
        " déjà cœur’ 12 %"
    );
    assert_eq!(tok.special("<|fr|>"), Some(9));
    assert_eq!(ids.no_speech, 14);
    assert_eq!(ids.timestamp_begin, 16);
    assert_eq!(tok.len(), 20);
    assert_eq!(tok.special("<|0.04|>"), Some(18));
    // A letter cut at the end of a window does not panic.
    assert_eq!(tok.decode(&[0, 1]), " d\u{fffd}");
}

#[test]
fn loops_are_cut_but_french_repetitions_stay() {
    let kept = |s: &str| {
        let w: Vec<&str> = s.split(' ').collect();
        let k = loop_free(&w);
        w.iter()
            .zip(k)
            .filter(|(_, k)| *k)
            .map(|(w, _)| *w)
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(
        kept("je suis là, je suis là, je suis là, je suis là et voilà"),
        "je suis là, et voilà"
    );
    assert_eq!(
        kept("non, non, non, ce n'est pas ça"),
        "non, non, non, ce n'est pas ça"
    );
    assert_eq!(kept("Merci. Merci. Merci. Merci. Merci."), "Merci.");
    assert_eq!(
        kept("nous avons dit que nous avons dit que"),
        "nous avons dit que nous avons dit que"
    );
    assert!(compression_ratio(&"le MNC, ".repeat(20)) > 2.4);
    assert!(compression_ratio("Le budget s'élève à 12500 euros, soit 3 % de plus.") < 2.4);
}

#[test]
fn subtitle_credits_are_recognised() {
    assert!(is_credit("Sous-titrage Société Radio-Canada"));
    assert!(is_credit(" Merci d'avoir regardé cette vidéo !"));
    assert!(is_credit(
        "Sous-titres réalisés par la communauté d'Amara.org"
    ));
    assert!(!is_credit("Merci beaucoup pour votre accueil."));
    assert!(!is_credit(
        "Le sous-titrage des vidéos de la mairie est fait par un prestataire que nous payons trop cher."
    ));
}
