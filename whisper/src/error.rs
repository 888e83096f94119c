//! The two error types: loading a model folder, and transcribing.

use std::path::{Path, PathBuf};

/// Why a model folder could not be loaded. Every message names the file at fault and says
/// what is wrong in words a user can act on (fetch the model again, pick another folder).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The folder does not exist or is not a folder.
    #[error("{0}: no such model folder")]
    NoFolder(PathBuf),
    /// The folder holds neither a CTranslate2 `model.bin` nor a Hugging Face
    /// `model.safetensors`, so it is not a Whisper model folder at all.
    #[error(
        "{0}: not a Whisper model folder (it has neither model.bin, as made by faster-whisper, \
         nor model.safetensors, as on Hugging Face)"
    )]
    NotAModel(PathBuf),
    /// A file the model needs is absent.
    #[error("{path}: missing ({why})")]
    Missing {
        /// The file that should be there.
        path: PathBuf,
        /// What it is needed for.
        why: &'static str,
    },
    /// A file exists but could not be read.
    #[error("{path}: cannot be read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// A file was read but its content is not what a Whisper model holds: truncated,
    /// damaged, another kind of model, or shapes that do not fit together.
    #[error("{path}: damaged or not a Whisper model: {reason}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong, in plain words.
        reason: String,
    },
    /// The file is a valid model of a kind or version this reader does not handle.
    #[error("{path}: unsupported: {reason}")]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// What is not supported.
        reason: String,
    },
    /// The weights were read but the tensor library refused them (out of memory, mostly).
    #[error("the model could not be set up: {0}")]
    Compute(String),
}

impl LoadError {
    /// A [`LoadError::Corrupt`] for `path`.
    pub(crate) fn corrupt(path: &Path, reason: impl Into<String>) -> LoadError {
        LoadError::Corrupt {
            path: path.to_path_buf(),
            reason: reason.into(),
        }
    }
    /// A [`LoadError::Io`] for `path`.
    pub(crate) fn io(path: &Path, source: std::io::Error) -> LoadError {
        LoadError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl From<candle_core::Error> for LoadError {
    fn from(e: candle_core::Error) -> Self {
        LoadError::Compute(e.to_string())
    }
}

/// Why a transcription stopped without a result.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The progress callback asked to stop.
    #[error("transcription cancelled")]
    Cancelled,
    /// The language code is not one Whisper knows, or this model has no token for it.
    #[error("unknown language '{0}' for this model")]
    UnknownLanguage(String),
    /// The tensor library failed while running the model (out of memory, mostly).
    #[error("speech recognition failed: {0}")]
    Compute(String),
}

impl From<candle_core::Error> for Error {
    fn from(e: candle_core::Error) -> Self {
        Error::Compute(e.to_string())
    }
}
