//! Speech recognition for Fouille: OpenAI's Whisper models, run in pure Rust on candle.
//!
//! - [`Model::load`] reads a faster-whisper (CTranslate2) or Hugging Face model folder; the
//!   sizes come from the weights, so any Whisper size loads, and int8 weights are
//!   dequantised.
//! - [`transcribe`] turns 16 kHz mono samples into timed [`Segment`]s: voice detection
//!   skips silences and cuts the speech into windows of at most 30 s in its pauses; each
//!   window is decoded greedily, with Whisper's temperature fallback and timestamp rules;
//!   phrase loops and subtitle credits invented over silence are removed.
//! - [`audio`] has the front end: [`audio::resample()`] to 16 kHz, the log-mel spectrogram
//!   and the voice detection.
//!
//! Nothing here downloads: the model folder is given by the caller.

#![deny(missing_docs)]

pub mod audio;
mod ct2;
mod decoding;
mod error;
mod guards;
mod half_matrix;
mod hf;
mod kernels;
pub mod languages;
mod model;
mod nn;
mod profile;
pub mod tokenizer;
mod transcribe;
mod weights;

pub use decoding::compression_ratio;
pub use error::{Error, LoadError};
pub use guards::{is_credit, loop_free};
pub use model::{Format, Model};
pub use nn::threads;
pub use profile::profile;
pub use tokenizer::Tokenizer;
pub use transcribe::{Options, Progress, Segment, detect_language, transcribe};
pub use weights::Dims;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_decoding;
#[cfg(test)]
mod testutil;
