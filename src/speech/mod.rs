//! Automatic transcription on the researcher's own machine: a Whisper model folder they
//! already have (faster-whisper/CTranslate2 or Hugging Face), run by the `fouille-whisper`
//! crate in pure Rust on the CPU. Nothing is downloaded and no audio leaves the machine.
//!
//! - [`model_dir`]: which model folder to use (given, `FOUILLE_WHISPER_MODEL`, or the one
//!   remembered from the last time one was chosen).
//! - [`recognise`]: a recording file to timed segments (decode, mono, 16 kHz, Whisper).
//! - [`layout`]: the segments as transcript text with `[hh:mm:ss]` marks and paragraphs.
//!
//! The application layer (`crate::app::transcribe`) writes the text into a document.

pub mod layout;
pub mod model_dir;
pub mod recognise;

pub use layout::{Layout, Segment};
pub use recognise::{Recogniser, Transcription};

/// Why a transcription could not be made. Nothing is written when one of these comes back.
#[derive(Debug, thiserror::Error)]
pub enum SpeechError {
    /// No model folder was given, none is set in `FOUILLE_WHISPER_MODEL` and none was
    /// chosen before.
    #[error(
        "no speech model chosen: give a Whisper model folder (faster-whisper or Hugging Face) with --model DIR, in FOUILLE_WHISPER_MODEL, or in the app's settings"
    )]
    NoModel,
    /// The model folder could not be loaded (names the file at fault).
    #[error("{0}")]
    Model(#[from] fouille_whisper::LoadError),
    /// The recording could not be read.
    #[error("{0}")]
    Audio(#[from] crate::media::MediaError),
    /// The recognition itself failed (out of memory, an unknown language).
    #[error("{0}")]
    Recognition(fouille_whisper::Error),
    /// The user cancelled.
    #[error("transcription cancelled")]
    Cancelled,
    /// The remembered choice of model could not be saved.
    #[error("{path}: {source}")]
    Settings {
        /// The settings file.
        path: std::path::PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
}

impl From<fouille_whisper::Error> for SpeechError {
    fn from(e: fouille_whisper::Error) -> Self {
        match e {
            fouille_whisper::Error::Cancelled => SpeechError::Cancelled,
            other => SpeechError::Recognition(other),
        }
    }
}
