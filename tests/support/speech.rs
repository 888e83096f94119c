//! The real Whisper base model for the transcription tests, and the speech recordings
//! made for them (`whisper/tests/data`: espeak-ng reading `paragraphs.txt`).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The model folder: `$FOUILLE_WHISPER_TEST_MODEL`, else `~/.cache/fouille/whisper-base`,
/// fetched by `whisper/fetch-model.sh` when missing (the script does nothing when the folder
/// is complete, and takes a lock for test binaries run side by side). Panics with the reason
/// when the model cannot be had: these tests never skip.
pub fn model_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::var_os("FOUILLE_WHISPER_TEST_MODEL")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                let home = std::env::var_os("HOME").map_or_else(|| "/root".into(), PathBuf::from);
                home.join(".cache/fouille/whisper-base")
            });
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("whisper/fetch-model.sh");
        let status = std::process::Command::new("bash")
            .arg(&script)
            .arg(&dir)
            .status();
        assert!(
            matches!(status, Ok(s) if s.success()),
            "the Whisper base model is needed in {} and {} could not fetch it ({status:?})",
            dir.display(),
            script.display()
        );
        dir
    })
}

/// A recording of `whisper/tests/data` (`chiffres`, `entretien`, `long`…).
pub fn recording(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("whisper/tests/data")
        .join(format!("{name}.wav"))
}

/// Where each utterance of a recording starts (ms): the recordings are utterances joined
/// by digital silence (exact zeros), so a run of at least `min_gap_ms` of near-zero samples
/// separates two utterances.
pub fn utterance_onsets(path: &Path, min_gap_ms: u64) -> Vec<u64> {
    let options = fouille::media::decode::DecodeOptions {
        max_sample_rate: None,
    };
    let audio = fouille::media::decode::decode_file(path, options).expect("decode");
    let rate = u64::from(audio.sample_rate);
    let min_gap = (min_gap_ms * rate / 1000) as usize;
    let mut onsets = Vec::new();
    let mut quiet = usize::MAX; // the recording's start counts as after a long silence
    for (i, x) in audio.samples.iter().enumerate() {
        if x.abs() < 1e-4 {
            quiet = quiet.saturating_add(1);
            continue;
        }
        if quiet >= min_gap {
            onsets.push(i as u64 * 1000 / rate);
        }
        quiet = 0;
    }
    onsets
}
