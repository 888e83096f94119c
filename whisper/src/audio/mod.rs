//! The audio front end: resampling to 16 kHz, Whisper's log-mel spectrogram, and the
//! voice detection that decides which windows of a recording the model hears.
//!
//! All functions are pure, on mono `f32` samples in −1..1.

pub mod mel;
pub mod resample;
pub mod vad;

/// The sample rate every Whisper model takes, in Hz.
pub const SAMPLE_RATE: u32 = 16_000;

pub use resample::resample;
