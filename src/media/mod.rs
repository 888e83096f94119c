//! Audio for transcripts: decoding, a level overview, time-stretching and a player.
//!
//! - [`decode`]: reads wav, mp3, ogg/vorbis, flac and m4a/aac in pure Rust (symphonia) to
//!   mono `f32` samples, with the duration and a level overview for a waveform.
//! - [`timestretch`]: speed changes with the pitch kept (WSOLA) or not (resampling).
//! - [`player`]: a [`player::Player`] state machine (play, pause with auto-rewind, seek,
//!   skip, speed, volume) that renders into a pluggable [`player::AudioSink`].
//! - [`alsa`]: the Linux output, which loads `libasound.so.2` at run time, so building
//!   Fouille needs no system development package; without it the player still keeps time
//!   (a silent sink) and says why there is no sound.
//! - [`transcript`]: subtitles (srt, vtt) and plain text from a timestamped transcript.
//!
//! Nothing here draws: the desktop app shows the player with its own widget.

pub mod alsa;
pub mod decode;
pub mod player;
pub mod timestretch;
pub mod transcript;

/// Errors of the media module.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// Path of the file that could not be read.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not an audio format Fouille reads.
    #[error("{0}: not an audio file Fouille can read (wav, mp3, ogg/vorbis, flac, m4a/aac)")]
    Unsupported(String),
    /// The audio data is damaged.
    #[error("{path}: the audio cannot be decoded ({reason})")]
    Decode {
        /// Path of the file whose audio is damaged.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// Playback is not possible on this machine; the reason is meant for the user.
    #[error("no sound: {0}")]
    NoSound(String),
    /// The sound device failed while playing.
    #[error("sound device error: {0}")]
    Device(String),
}
