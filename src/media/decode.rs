//! Decoding audio files to mono samples (symphonia, pure Rust).
//!
//! Formats: WAV (PCM), MP3, Ogg Vorbis, FLAC, and AAC in MP4/M4A or ADTS. The channels
//! are mixed down to one; the sample rate is kept, or divided by a whole factor when a
//! ceiling is asked for (long interviews: one hour of mono `f32` at 48 kHz is 690 MB, at
//! 16 kHz 230 MB, and speech needs no more).

use std::path::Path;

use symphonia::core::codecs::audio::AudioDecoderOptions;
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, TrackType};
use symphonia::core::io::{MediaSource, MediaSourceStream};
use symphonia::core::meta::MetadataOptions;

use super::MediaError;

/// File extensions read as audio.
pub const AUDIO_EXTENSIONS: &[&str] = &["wav", "mp3", "ogg", "oga", "flac", "m4a", "mp4", "aac"];

/// Whether a path has an audio extension Fouille reads.
pub fn is_audio_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| AUDIO_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// How to decode a file; the default keeps the source's sample rate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecodeOptions {
    /// Highest sample rate to keep: a higher rate is divided by the smallest whole factor
    /// that brings it under (each output sample the mean of the input samples it covers).
    /// `None` keeps the source rate.
    pub max_sample_rate: Option<u32>,
}

/// A decoded recording: mono samples in `[-1, 1]`.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedAudio {
    /// Samples per second of `samples`.
    pub sample_rate: u32,
    /// The samples, channels mixed down to one.
    pub samples: Vec<f32>,
    /// The source's sample rate.
    pub source_rate: u32,
    /// The source's number of channels.
    pub source_channels: usize,
    /// Frames decoded from the source (before any rate division).
    pub source_frames: u64,
    /// The codec, as symphonia names it (e.g. `mp3`, `vorbis`).
    pub codec: String,
}

impl DecodedAudio {
    /// Builds decoded audio from mono samples (tests, generated sounds).
    pub fn from_mono(samples: Vec<f32>, sample_rate: u32) -> DecodedAudio {
        DecodedAudio {
            sample_rate: sample_rate.max(1),
            source_frames: samples.len() as u64,
            samples,
            source_rate: sample_rate.max(1),
            source_channels: 1,
            codec: "pcm".into(),
        }
    }

    /// Duration of the source in ms (rounded to the nearest).
    pub fn duration_ms(&self) -> u64 {
        frames_to_ms(self.source_frames, self.source_rate)
    }

    /// A level overview with one peak per `bucket_ms` (see [`level_overview`]).
    pub fn overview(&self, bucket_ms: u32) -> Vec<f32> {
        level_overview(&self.samples, self.sample_rate, bucket_ms)
    }
}

/// Frames at `rate` → ms, rounded.
pub fn frames_to_ms(frames: u64, rate: u32) -> u64 {
    (frames * 1000 + u64::from(rate.max(1)) / 2) / u64::from(rate.max(1))
}

/// Decodes an audio file.
pub fn decode_file(path: &Path, options: DecodeOptions) -> Result<DecodedAudio, MediaError> {
    let shown = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| MediaError::Io {
        path: shown.clone(),
        source: e,
    })?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    decode_source(Box::new(file), ext.as_deref(), &shown, options)
}

/// The duration a file declares in its headers (ms), without decoding it: quick, but
/// `None` for files that do not say (some MP3s) and approximate for others.
pub fn probe_duration_ms(path: &Path) -> Result<Option<u64>, MediaError> {
    let shown = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| MediaError::Io {
        path: shown.clone(),
        source: e,
    })?;
    let mut hint = Hint::new();
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        hint.with_extension(&ext.to_ascii_lowercase());
    }
    let mss = MediaSourceStream::new(Box::new(file), Default::default());
    let format = symphonia::default::get_probe()
        .probe(
            &hint,
            mss,
            FormatOptions::default(),
            MetadataOptions::default(),
        )
        .map_err(|_| MediaError::Unsupported(shown.clone()))?;
    let track = format
        .default_track(TrackType::Audio)
        .ok_or_else(|| MediaError::Unsupported(shown.clone()))?;
    let rate = track
        .codec_params
        .as_ref()
        .and_then(|p| p.audio())
        .and_then(|a| a.sample_rate);
    Ok(match (track.num_frames, rate) {
        (Some(frames), Some(rate)) if rate > 0 => Some(frames_to_ms(frames, rate)),
        _ => None,
    })
}

/// Decodes audio held in memory; `extension` helps recognise the format.
pub fn decode_bytes(
    bytes: Vec<u8>,
    extension: Option<&str>,
    options: DecodeOptions,
) -> Result<DecodedAudio, MediaError> {
    decode_source(
        Box::new(std::io::Cursor::new(bytes)),
        extension,
        "audio",
        options,
    )
}

fn decode_source(
    source: Box<dyn MediaSource>,
    extension: Option<&str>,
    shown: &str,
    options: DecodeOptions,
) -> Result<DecodedAudio, MediaError> {
    let mss = MediaSourceStream::new(source, Default::default());
    let mut hint = Hint::new();
    if let Some(ext) = extension {
        hint.with_extension(ext);
    }
    let mut format = symphonia::default::get_probe()
        .probe(
            &hint,
            mss,
            FormatOptions::default(),
            MetadataOptions::default(),
        )
        .map_err(|e| match e {
            SymError::IoError(io) => MediaError::Io {
                path: shown.to_string(),
                source: io,
            },
            _ => MediaError::Unsupported(shown.to_string()),
        })?;
    let track = format
        .default_track(TrackType::Audio)
        .ok_or_else(|| MediaError::Unsupported(shown.to_string()))?;
    let track_id = track.id;
    let params = track
        .codec_params
        .as_ref()
        .and_then(|p| p.audio())
        .ok_or_else(|| MediaError::Unsupported(shown.to_string()))?
        .clone();
    let codec_name = symphonia::default::get_codecs()
        .get_audio_decoder(params.codec)
        .map(|d| d.codec.info.short_name.to_string())
        .unwrap_or_else(|| "unknown".into());
    let mut decoder = symphonia::default::get_codecs()
        .make_audio_decoder(&params, &AudioDecoderOptions::default())
        .map_err(|_| MediaError::Unsupported(shown.to_string()))?;
    let mut rate = params.sample_rate.unwrap_or(0);
    let mut channels = params.channels.as_ref().map_or(0, |c| c.count());
    let mut mono: Vec<f32> = Vec::new();
    let mut planes: Vec<Vec<f32>> = Vec::new();
    let mut bad_packets = 0usize;
    let mut good_packets = 0usize;
    loop {
        let packet = match format.next_packet() {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(SymError::ResetRequired) => break,
            Err(SymError::DecodeError(_)) => {
                bad_packets += 1;
                continue;
            }
            Err(e) => {
                return Err(MediaError::Decode {
                    path: shown.to_string(),
                    reason: e.to_string(),
                });
            }
        };
        if packet.track_id != track_id {
            continue;
        }
        match decoder.decode(&packet) {
            Ok(buf) => {
                good_packets += 1;
                rate = buf.spec().rate();
                channels = buf.spec().channels().count().max(1);
                buf.copy_to_vecs_planar::<f32>(&mut planes);
                let frames = planes.first().map_or(0, Vec::len);
                let scale = 1.0 / planes.len().max(1) as f32;
                mono.reserve(frames);
                for i in 0..frames {
                    let sum: f32 = planes.iter().map(|p| p[i]).sum();
                    mono.push((sum * scale).clamp(-1.0, 1.0));
                }
            }
            Err(SymError::DecodeError(_)) | Err(SymError::IoError(_)) => bad_packets += 1,
            Err(e) => {
                return Err(MediaError::Decode {
                    path: shown.to_string(),
                    reason: e.to_string(),
                });
            }
        }
    }
    if good_packets == 0 || rate == 0 {
        let reason = if bad_packets > 0 {
            "every packet is damaged"
        } else {
            "no audio in it"
        };
        return Err(MediaError::Decode {
            path: shown.to_string(),
            reason: reason.into(),
        });
    }
    let source_frames = mono.len() as u64;
    let (samples, sample_rate) = match options.max_sample_rate {
        Some(max) if max > 0 && rate > max => {
            let factor = rate.div_ceil(max) as usize;
            (decimate(&mono, factor), rate / factor as u32)
        }
        _ => (mono, rate),
    };
    Ok(DecodedAudio {
        sample_rate,
        samples,
        source_rate: rate,
        source_channels: channels,
        source_frames,
        codec: codec_name,
    })
}

/// Keeps one sample in `factor`, each the mean of the samples it stands for.
fn decimate(samples: &[f32], factor: usize) -> Vec<f32> {
    if factor <= 1 {
        return samples.to_vec();
    }
    samples
        .chunks(factor)
        .map(|c| c.iter().sum::<f32>() / c.len() as f32)
        .collect()
}

/// A level overview for a waveform: the peak (largest absolute sample) of each
/// `bucket_ms` stretch, in `[0, 1]`.
pub fn level_overview(samples: &[f32], sample_rate: u32, bucket_ms: u32) -> Vec<f32> {
    let bucket = ((u64::from(sample_rate) * u64::from(bucket_ms.max(1))) / 1000).max(1) as usize;
    samples.chunks(bucket).map(peak).collect()
}

/// A level overview in exactly `buckets` peaks (fewer if there are fewer samples), to fill
/// a waveform of that many columns.
pub fn overview_buckets(samples: &[f32], buckets: usize) -> Vec<f32> {
    if buckets == 0 || samples.is_empty() {
        return Vec::new();
    }
    let buckets = buckets.min(samples.len());
    (0..buckets)
        .map(|b| {
            let start = b * samples.len() / buckets;
            let end = ((b + 1) * samples.len() / buckets).max(start + 1);
            peak(&samples[start..end])
        })
        .collect()
}

fn peak(chunk: &[f32]) -> f32 {
    chunk.iter().fold(0.0f32, |m, s| m.max(s.abs())).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overview_peaks_per_bucket() {
        let mut s = vec![0.1f32; 1000];
        s[150] = -0.8;
        s[999] = 0.5;
        assert_eq!(level_overview(&s, 1000, 100).len(), 10);
        let o = level_overview(&s, 1000, 100);
        assert_eq!(o[1], 0.8);
        assert_eq!(o[9], 0.5);
        assert_eq!(o[0], 0.1);
        assert_eq!(overview_buckets(&s, 4)[0], 0.8);
        assert_eq!(decimate(&[1.0, 3.0, 5.0], 2), vec![2.0, 5.0]);
        assert_eq!(frames_to_ms(44_100, 44_100), 1000);
    }
}
