//! Shared by the tests that run the real Whisper base model.

#![allow(dead_code)]

pub mod wav;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use fouille_whisper::Model;
use unicode_normalization::UnicodeNormalization;

/// The model folder: `$FOUILLE_WHISPER_TEST_MODEL`, else `~/.cache/fouille/whisper-base`,
/// fetched with `fetch-model.sh` the first time (once per test binary; the script itself
/// takes a lock, for test binaries run side by side). Panics, with the reason, when the model
/// cannot be had: these tests never skip.
pub fn model_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::var_os("FOUILLE_WHISPER_TEST_MODEL")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                let home = std::env::var_os("HOME")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| "/root".into());
                home.join(".cache/fouille/whisper-base")
            });
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("fetch-model.sh");
        let status = std::process::Command::new("bash")
            .arg(&script)
            .arg(&dir)
            .status();
        match status {
            Ok(s) if s.success() => dir,
            other => panic!(
                "the Whisper base model is needed in {} and {} could not fetch it ({other:?}); \
                 set FOUILLE_WHISPER_TEST_MODEL to a faster-whisper base folder",
                dir.display(),
                script.display()
            ),
        }
    })
}

/// The real model, loaded once per test binary.
pub fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| Model::load(model_dir()).unwrap_or_else(|e| panic!("{e}")))
}

pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// A test recording at 16 kHz.
pub fn speech(name: &str) -> Vec<f32> {
    let (s, rate) = wav::read_wav(&data(&format!("{name}.wav"))).unwrap();
    fouille_whisper::audio::resample(&s, rate)
}

/// The spoken text of a section of `paragraphs.txt`.
pub fn reference(name: &str) -> String {
    let text = std::fs::read_to_string(data("paragraphs.txt")).unwrap();
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if let Some(head) = line.strip_prefix("## ") {
            inside = head.split(' ').next() == Some(name);
        } else if inside && !line.starts_with('#') && !line.trim().is_empty() {
            out.push(line.trim());
        }
    }
    out.join(" ")
}

/// faster-whisper's transcript of a recording (the text of `peer/NAME.txt`'s segment lines).
pub fn peer(name: &str) -> String {
    let text = std::fs::read_to_string(data(&format!("peer/{name}.txt"))).unwrap();
    text.lines()
        .filter_map(|l| l.split_once("] ").map(|(_, t)| t))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words for WER: NFC, lower-cased, punctuation (apostrophes and hyphens included) as spaces.
pub fn words(text: &str) -> Vec<String> {
    let t: String = text
        .nfc()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    t.split_whitespace().map(str::to_owned).collect()
}

/// Word error rate: word-level Levenshtein distance over the reference's length.
pub fn wer(reference: &str, hypothesis: &str) -> f64 {
    let (r, h) = (words(reference), words(hypothesis));
    let mut prev: Vec<usize> = (0..=h.len()).collect();
    for (i, rw) in r.iter().enumerate() {
        let mut cur = vec![i + 1; h.len() + 1];
        for (j, hw) in h.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(rw != hw))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[h.len()] as f64 / r.len().max(1) as f64
}
