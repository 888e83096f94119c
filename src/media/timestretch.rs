//! Playing faster or slower: with the pitch kept (WSOLA) or not (resampling).
//!
//! Both work as streams over a mono source: each call renders the next output samples
//! from a fractional source position, which moves on by `speed` source samples per output
//! sample.
//!
//! WSOLA (waveform-similarity overlap-add): the output is built from Hann-windowed frames
//! of 30 ms overlapping by half; each frame is read near where the speed says it should
//! be, at the offset (within ±6 ms) whose start best matches how the previous frame's
//! audio went on, so the periods of the voice line up and the pitch stays the same.

/// Renders `out.len()` samples at `speed` by reading `source` at fractional positions
/// from `*position` (linear interpolation): faster is higher-pitched. Returns how many
/// samples were written (fewer at the end of the source).
pub fn render_resampled(source: &[f32], position: &mut f64, speed: f64, out: &mut [f32]) -> usize {
    let speed = speed.max(0.01);
    for (written, slot) in out.iter_mut().enumerate() {
        let pos = *position;
        if pos < 0.0 || pos >= source.len() as f64 {
            return written;
        }
        let i = pos.floor() as usize;
        let frac = (pos - i as f64) as f32;
        let a = source[i];
        let b = source.get(i + 1).copied().unwrap_or(a);
        *slot = a + (b - a) * frac;
        *position += speed;
    }
    out.len()
}

/// A WSOLA time-stretcher (pitch kept). Keep one per stream; [`Wsola::reset`] it on a
/// seek.
#[derive(Debug, Clone)]
pub struct Wsola {
    hop: usize,
    search: usize,
    coarse_step: usize,
    window: Vec<f32>,
    /// Second half of the last frame, already windowed, to add to the next one.
    tail: Vec<f32>,
    /// Source index where the last frame started.
    prev_start: Option<usize>,
    /// Source position of the next frame.
    analysis: f64,
    /// Rendered samples not yet handed out.
    ready: Vec<f32>,
    ready_at: usize,
}

impl Wsola {
    /// A stretcher for a source at `sample_rate`, starting at source position `position`.
    pub fn new(sample_rate: u32, position: f64) -> Wsola {
        let rate = sample_rate.max(1000) as usize;
        let hop = (rate * 15 / 1000).max(8);
        let frame = hop * 2;
        // Periodic Hann: two of them shifted by half a frame add up to exactly one.
        let window: Vec<f32> = (0..frame)
            .map(|i| {
                let x = std::f32::consts::PI * i as f32 / frame as f32;
                x.sin() * x.sin()
            })
            .collect();
        Wsola {
            hop,
            search: (rate * 6 / 1000).max(2),
            coarse_step: (rate / 8000).max(1),
            window,
            tail: vec![0.0; hop],
            prev_start: None,
            analysis: position.max(0.0),
            ready: Vec::new(),
            ready_at: 0,
        }
    }

    /// Forgets the past and starts again at `position` (after a seek).
    pub fn reset(&mut self, position: f64) {
        self.tail.iter_mut().for_each(|s| *s = 0.0);
        self.prev_start = None;
        self.analysis = position.max(0.0);
        self.ready.clear();
        self.ready_at = 0;
    }

    /// Renders `out.len()` samples at `speed` from `source`. Returns how many were written
    /// (fewer at the end of the source).
    pub fn render(&mut self, source: &[f32], speed: f64, out: &mut [f32]) -> usize {
        let speed = speed.clamp(0.05, 8.0);
        let mut written = 0;
        while written < out.len() {
            if self.ready_at >= self.ready.len() && !self.step(source, speed) {
                break;
            }
            let n = (self.ready.len() - self.ready_at).min(out.len() - written);
            out[written..written + n]
                .copy_from_slice(&self.ready[self.ready_at..self.ready_at + n]);
            self.ready_at += n;
            written += n;
        }
        written
    }

    /// Produces the next `hop` samples; false at the end of the source.
    fn step(&mut self, source: &[f32], speed: f64) -> bool {
        if self.analysis >= source.len() as f64 {
            return false;
        }
        let frame = self.window.len();
        let nominal = self.analysis.round() as usize;
        let start = match self.prev_start {
            None => nominal,
            Some(prev) => self.best_start(source, prev + self.hop, nominal),
        };
        self.ready.clear();
        self.ready_at = 0;
        for k in 0..self.hop {
            let s = source.get(start + k).copied().unwrap_or(0.0) * self.window[k];
            self.ready.push(self.tail[k] + s);
        }
        for k in 0..self.hop {
            self.tail[k] = source.get(start + self.hop + k).copied().unwrap_or(0.0)
                * self.window[self.hop + k];
        }
        debug_assert_eq!(frame, 2 * self.hop);
        self.prev_start = Some(start);
        self.analysis += self.hop as f64 * speed;
        true
    }

    /// The frame start within `nominal ± search` whose first half best matches the
    /// natural continuation of the previous frame (normalised cross-correlation, coarse
    /// then fine).
    fn best_start(&self, source: &[f32], natural: usize, nominal: usize) -> usize {
        let lo = nominal.saturating_sub(self.search);
        let hi = nominal + self.search;
        let score = |x: usize, step: usize| -> f32 {
            let mut dot = 0.0f32;
            let mut energy = 1e-9f32;
            let mut k = 0;
            while k < self.hop {
                let a = source.get(x + k).copied().unwrap_or(0.0);
                let b = source.get(natural + k).copied().unwrap_or(0.0);
                dot += a * b;
                energy += a * a;
                k += step;
            }
            dot / energy.sqrt()
        };
        let step = self.coarse_step;
        let mut best = nominal;
        let mut best_score = f32::MIN;
        let mut x = lo;
        while x <= hi {
            let s = score(x, step);
            if s > best_score {
                best_score = s;
                best = x;
            }
            x += step;
        }
        if step > 1 {
            let (flo, fhi) = (best.saturating_sub(step).max(lo), (best + step).min(hi));
            for x in flo..=fhi {
                let s = score(x, step);
                if s > best_score {
                    best_score = s;
                    best = x;
                }
            }
        }
        best
    }
}

/// Stretches a whole buffer: `speed` 2 lasts half as long. With `keep_pitch` the voice
/// keeps its pitch (WSOLA), without it is simply resampled.
pub fn stretch(source: &[f32], sample_rate: u32, speed: f64, keep_pitch: bool) -> Vec<f32> {
    let expected = (source.len() as f64 / speed.max(0.01)).ceil() as usize + 1;
    let mut out = vec![0.0; expected];
    let written = if keep_pitch {
        Wsola::new(sample_rate, 0.0).render(source, speed, &mut out)
    } else {
        let mut position = 0.0;
        render_resampled(source, &mut position, speed, &mut out)
    };
    out.truncate(written);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(freq: f32, rate: u32, seconds: f32) -> Vec<f32> {
        let n = (rate as f32 * seconds) as usize;
        (0..n)
            .map(|i| (2.0 * std::f32::consts::PI * freq * i as f32 / rate as f32).sin() * 0.5)
            .collect()
    }

    /// Upward zero crossings per second: the frequency of a sine.
    fn frequency(samples: &[f32], rate: u32) -> f32 {
        let ups = samples
            .windows(2)
            .filter(|w| w[0] < 0.0 && w[1] >= 0.0)
            .count();
        ups as f32 * rate as f32 / samples.len() as f32
    }

    #[test]
    fn keep_pitch_changes_duration_not_frequency() {
        let rate = 8000;
        let src = sine(220.0, rate, 2.0);
        for speed in [0.5, 0.75, 1.5, 2.0] {
            let out = stretch(&src, rate, speed, true);
            let expected = src.len() as f64 / speed;
            assert!(
                (out.len() as f64 - expected).abs() < 0.03 * expected,
                "speed {speed}: {} vs {expected}",
                out.len()
            );
            // Skip the fade-in of the first frame.
            let f = frequency(&out[400..out.len() - 400], rate);
            assert!((f - 220.0).abs() < 220.0 * 0.05, "speed {speed}: {f} Hz");
        }
    }

    #[test]
    fn resampling_changes_the_pitch() {
        let rate = 8000;
        let src = sine(220.0, rate, 2.0);
        let out = stretch(&src, rate, 2.0, false);
        assert_eq!(out.len(), 8000);
        let f = frequency(&out, rate);
        assert!((f - 440.0).abs() < 440.0 * 0.03, "{f} Hz");
    }
}
