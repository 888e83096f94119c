//! A recording file to timed segments: decoded with symphonia (any format the player
//! reads), mixed to mono, brought to 16 kHz, and run through Whisper (voice detection,
//! windows cut in pauses, greedy decoding with temperature fallback, loop and credit guards:
//! see the `fouille-whisper` crate).

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{Segment, SpeechError};
use crate::media::decode::{DecodeOptions, decode_file};

/// A loaded model, kept between recordings (loading base takes about half a second, a
/// large model several).
pub struct Recogniser {
    model: fouille_whisper::Model,
    dir: PathBuf,
}

/// How far a transcription is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Share of the recording done, 0 to 1.
    pub done: f32,
    /// The recording's length, ms.
    pub duration_ms: u64,
    /// Seconds spent so far (reading the file included).
    pub elapsed_s: f64,
}

impl Progress {
    /// Seconds left at the pace so far (`None` until a share is done).
    pub fn remaining_s(&self) -> Option<f64> {
        (self.done > 0.02)
            .then(|| self.elapsed_s * f64::from(1.0 - self.done) / f64::from(self.done))
    }
}

/// The result of one recording.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Transcription {
    /// The recording.
    pub audio: PathBuf,
    /// The speech found, in time order, not overlapping.
    pub segments: Vec<Segment>,
    /// The recording's length, ms.
    pub duration_ms: u64,
    /// The language transcribed (`fr` …).
    pub language: String,
    /// Seconds spent (decoding the file and recognising).
    pub seconds: f64,
}

impl Transcription {
    /// Processing time ÷ audio length (0.25: an hour of interview in 15 minutes).
    pub fn real_time_factor(&self) -> f64 {
        if self.duration_ms == 0 {
            0.0
        } else {
            self.seconds / (self.duration_ms as f64 / 1000.0)
        }
    }
}

/// The highest sample rate kept when decoding: Whisper hears up to 8 kHz, and a recording
/// kept at 16 kHz costs 230 MB an hour instead of 640 at 44.1 kHz.
const DECODE_RATE: u32 = 16_000;

impl Recogniser {
    /// Loads the model folder `dir`.
    pub fn load(dir: &Path) -> Result<Recogniser, SpeechError> {
        Ok(Recogniser {
            model: fouille_whisper::Model::load(dir)?,
            dir: dir.to_path_buf(),
        })
    }

    /// The folder the model came from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Transcribes `audio` in `language` (`None`: detected from the first speech).
    /// `progress` is called as windows are done; `Break` cancels.
    pub fn transcribe_file(
        &self,
        audio: &Path,
        language: Option<&str>,
        progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
    ) -> Result<Transcription, SpeechError> {
        let started = Instant::now();
        if !crate::media::decode::is_audio_path(audio) {
            return Err(crate::media::MediaError::Unsupported(audio.display().to_string()).into());
        }
        let decoded = decode_file(
            audio,
            DecodeOptions {
                max_sample_rate: Some(DECODE_RATE),
            },
        )?;
        let duration_ms = decoded.duration_ms();
        let samples = fouille_whisper::audio::resample(&decoded.samples, decoded.sample_rate);
        drop(decoded);
        let language = match language {
            Some(l) => l.to_string(),
            None => fouille_whisper::detect_language(&self.model, &samples)?
                .map_or_else(|| "fr".to_string(), |(l, _)| l.to_string()),
        };
        let options = fouille_whisper::Options {
            language: Some(language.clone()),
            ..Default::default()
        };
        let segments = fouille_whisper::transcribe(&self.model, &samples, &options, &mut |p| {
            progress(Progress {
                done: p.done,
                duration_ms,
                elapsed_s: started.elapsed().as_secs_f64(),
            })
        })?;
        Ok(Transcription {
            audio: audio.to_path_buf(),
            segments: segments
                .into_iter()
                .map(|s| Segment {
                    start_ms: s.start_ms,
                    end_ms: s.end_ms,
                    text: s.text,
                })
                .collect(),
            duration_ms,
            language,
            seconds: started.elapsed().as_secs_f64(),
        })
    }
}
