//! Whisper's log-mel spectrogram: 25 ms Hann windows every 10 ms (400 and 160 samples at
//! 16 kHz), power spectrum, Slaney mel filterbank, `log10`, floor at the maximum − 8, then
//! `(x + 4) / 4`. The filterbank is computed here, as librosa's `mel(sr=16000, n_fft=400,
//! n_mels=N)` does with its defaults (Slaney scale and area normalisation).

use std::sync::Arc;

use rustfft::num_complex::Complex;
use rustfft::{Fft, FftPlanner};

use super::SAMPLE_RATE;

/// FFT size: 25 ms.
pub const N_FFT: usize = 400;
/// Samples between frames: 10 ms.
pub const HOP: usize = 160;
/// Frames the encoder takes: 30 s.
pub const WINDOW_FRAMES: usize = 3000;
/// Frequency bins of the one-sided spectrum.
const BINS: usize = N_FFT / 2 + 1;
/// Power below this is taken as this, before the logarithm.
const MIN_POWER: f32 = 1e-10;

/// The mel filterbank and FFT plan for one number of mel bands; build once, reuse.
pub struct MelBank {
    n_mels: usize,
    /// Each band's first bin and weights over its non-zero bins (the rest are zero).
    bands: Vec<(usize, Vec<f32>)>,
    window: Vec<f32>,
    fft: Arc<dyn Fft<f32>>,
}

/// Hertz to mels on the Slaney scale: linear below 1 kHz, logarithmic above.
fn hz_to_mel(hz: f64) -> f64 {
    let (f_sp, min_log_hz) = (200.0 / 3.0, 1000.0);
    let min_log_mel = min_log_hz / f_sp;
    if hz < min_log_hz {
        hz / f_sp
    } else {
        min_log_mel + (hz / min_log_hz).ln() / (6.4f64.ln() / 27.0)
    }
}

fn mel_to_hz(mel: f64) -> f64 {
    let (f_sp, min_log_hz) = (200.0 / 3.0, 1000.0);
    let min_log_mel = min_log_hz / f_sp;
    if mel < min_log_mel {
        mel * f_sp
    } else {
        min_log_hz * ((6.4f64.ln() / 27.0) * (mel - min_log_mel)).exp()
    }
}

/// The filterbank as a dense `[n_mels][201]` matrix, like librosa's.
pub fn mel_filters(n_mels: usize) -> Vec<Vec<f32>> {
    let sr = SAMPLE_RATE as f64;
    let top = hz_to_mel(sr / 2.0);
    let freqs: Vec<f64> = (0..n_mels + 2)
        .map(|i| mel_to_hz(top * i as f64 / (n_mels + 1) as f64))
        .collect();
    (0..n_mels)
        .map(|m| {
            let (lo, mid, hi) = (freqs[m], freqs[m + 1], freqs[m + 2]);
            let enorm = 2.0 / (hi - lo);
            (0..BINS)
                .map(|k| {
                    let f = k as f64 * sr / N_FFT as f64;
                    let w = ((f - lo) / (mid - lo)).min((hi - f) / (hi - mid)).max(0.0);
                    (w * enorm) as f32
                })
                .collect()
        })
        .collect()
}

impl MelBank {
    /// A filterbank of `n_mels` bands (80, or 128 for large-v3).
    pub fn new(n_mels: usize) -> MelBank {
        let bands = mel_filters(n_mels)
            .into_iter()
            .map(|row| {
                let first = row.iter().position(|&w| w > 0.0).unwrap_or(0);
                let last = row.iter().rposition(|&w| w > 0.0).map_or(first, |l| l + 1);
                (first, row[first..last].to_vec())
            })
            .collect();
        // Periodic Hann window, as torch.hann_window and numpy's hanning(401)[:-1].
        let window = (0..N_FFT)
            .map(|n| {
                (0.5 - 0.5 * (2.0 * std::f64::consts::PI * n as f64 / N_FFT as f64).cos()) as f32
            })
            .collect();
        let fft = FftPlanner::new().plan_fft_forward(N_FFT);
        MelBank {
            n_mels,
            bands,
            window,
            fft,
        }
    }

    /// Mel bands of this bank.
    pub fn n_mels(&self) -> usize {
        self.n_mels
    }

    /// `log10` mel power of `samples` (16 kHz), `[n_mels][frames]` row-major with
    /// `frames = samples / 160`, before the floor and scaling of [`normalize`]. Frames are
    /// centred on multiples of 160 samples; the signal is mirrored at its start and
    /// continued by silence at its end, as faster-whisper does.
    pub fn log_mel(&self, samples: &[f32]) -> (Vec<f32>, usize) {
        let frames = samples.len() / HOP;
        let mut out = vec![0f32; self.n_mels * frames];
        let mut buf = vec![Complex::new(0f32, 0f32); N_FFT];
        let mut scratch = vec![Complex::new(0f32, 0f32); self.fft.get_inplace_scratch_len()];
        let mut power = [0f32; BINS];
        for f in 0..frames {
            for (n, slot) in buf.iter_mut().enumerate() {
                *slot = Complex::new(
                    sample_at(samples, (f * HOP + n) as isize - (N_FFT / 2) as isize)
                        * self.window[n],
                    0.0,
                );
            }
            self.fft.process_with_scratch(&mut buf, &mut scratch);
            for (p, c) in power.iter_mut().zip(&buf) {
                *p = c.norm_sqr();
            }
            for (m, (first, w)) in self.bands.iter().enumerate() {
                let e: f32 = w.iter().zip(&power[*first..]).map(|(a, b)| a * b).sum();
                out[m * frames + f] = e.max(MIN_POWER).log10();
            }
        }
        (out, frames)
    }
}

/// Sample `i` of the signal mirrored at its start (numpy's `reflect`: index −1 reads 1) and
/// followed by silence.
fn sample_at(s: &[f32], i: isize) -> f32 {
    let i = if i < 0 { (-i) as usize } else { i as usize };
    s.get(i).copied().unwrap_or(0.0)
}

/// Whisper's scaling: values below `max − 8` raised to it, then `(x + 4) / 4`. `max` is the
/// loudest `log10` value of the whole recording, so that quiet windows keep their level.
pub fn normalize(log_mel: &mut [f32], max: f32) {
    let floor = max - 8.0;
    log_mel
        .iter_mut()
        .for_each(|x| *x = (x.max(floor) + 4.0) / 4.0);
}

/// The largest value of a `log10` mel (−10 for an empty one: the floor of silence).
pub fn max_of(log_mel: &[f32]) -> f32 {
    log_mel.iter().copied().fold(MIN_POWER.log10(), f32::max)
}

/// A `[n_mels][frames]` spectrogram copied into the encoder's `[n_mels][3000]` input,
/// cut or padded with zeros (what Whisper pads with, after scaling).
pub fn pad_to_window(mel: &[f32], n_mels: usize, frames: usize) -> Vec<f32> {
    let keep = frames.min(WINDOW_FRAMES);
    let mut out = vec![0f32; n_mels * WINDOW_FRAMES];
    for m in 0..n_mels {
        out[m * WINDOW_FRAMES..m * WINDOW_FRAMES + keep]
            .copy_from_slice(&mel[m * frames..m * frames + keep]);
    }
    out
}

/// Whisper's full log-mel of a recording (max over the recording itself), `[n_mels][frames]`.
pub fn log_mel_spectrogram(samples: &[f32], bank: &MelBank) -> (Vec<f32>, usize) {
    let (mut mel, frames) = bank.log_mel(samples);
    let max = max_of(&mel);
    normalize(&mut mel, max);
    (mel, frames)
}
