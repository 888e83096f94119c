//! Sample-rate conversion to 16 kHz with a windowed-sinc polyphase filter.
//!
//! Each output sample is a weighted sum of the input around its position; the weights are a
//! sinc low-pass (cut just below the lower of the two Nyquist frequencies, so that nothing
//! above 8 kHz folds back into speech) under a Blackman window, 16 zero crossings each side.
//! The weights for every fractional position are tabulated once: for the usual rates
//! (44.1, 48, 22.05, 8 kHz) the position repeats exactly every few hundred outputs.

use super::SAMPLE_RATE;

/// Zero crossings of the sinc on each side: more is sharper and slower.
const ZERO_CROSSINGS: f64 = 16.0;
/// The cut-off as a share of the lower Nyquist frequency: the transition band fits below it.
const ROLLOFF: f64 = 0.94;
/// Most phases tabulated; rates whose ratio needs more use the nearest of these.
const MAX_PHASES: u64 = 1024;

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The filter: for each phase, the weights of inputs `i − half + 1 ..= i + half` where `i`
/// is the input index at or before the output's position.
struct Table {
    half: usize,
    taps: Vec<Vec<f32>>,
}

fn table(from: u64, to: u64, phases: u64) -> Table {
    let cutoff = 0.5 * ROLLOFF * (to as f64 / from as f64).min(1.0); // cycles per input sample
    let half = (ZERO_CROSSINGS / (2.0 * cutoff)).ceil() as usize;
    let taps = (0..phases)
        .map(|p| {
            let frac = p as f64 / phases as f64;
            let mut w: Vec<f64> = (0..2 * half)
                .map(|j| {
                    let x = (j as f64 - half as f64 + 1.0) - frac;
                    let arg = 2.0 * cutoff * x;
                    let sinc = if arg.abs() < 1e-12 {
                        1.0
                    } else {
                        (std::f64::consts::PI * arg).sin() / (std::f64::consts::PI * arg)
                    };
                    let r = x / (half as f64);
                    let blackman = if r.abs() >= 1.0 {
                        0.0
                    } else {
                        0.42 + 0.5 * (std::f64::consts::PI * r).cos()
                            + 0.08 * (2.0 * std::f64::consts::PI * r).cos()
                    };
                    sinc * blackman
                })
                .collect();
            // Unit gain at 0 Hz for every phase, so that a constant stays constant.
            let sum: f64 = w.iter().sum();
            w.iter_mut().for_each(|x| *x /= sum);
            w.into_iter().map(|x| x as f32).collect()
        })
        .collect();
    Table { half, taps }
}

/// `samples` at `from_rate` Hz converted to 16 kHz; `len × 16000 / from_rate` samples, the
/// first one at the same instant as the input's first.
pub fn resample(samples: &[f32], from_rate: u32) -> Vec<f32> {
    resample_to(samples, from_rate, SAMPLE_RATE)
}

/// `samples` from `from_rate` to `to_rate` Hz (both above zero).
pub fn resample_to(samples: &[f32], from_rate: u32, to_rate: u32) -> Vec<f32> {
    let (from, to) = (from_rate.max(1) as u64, to_rate.max(1) as u64);
    if from == to || samples.is_empty() {
        return samples.to_vec();
    }
    let g = gcd(from, to);
    let exact = to / g <= MAX_PHASES;
    let phases = if exact { to / g } else { MAX_PHASES };
    let t = table(from, to, phases);
    let out_len = (samples.len() as u64 * to / from) as usize;
    let mut out = Vec::with_capacity(out_len);
    for n in 0..out_len as u64 {
        // Position n·from/to in input samples, split into index and phase.
        let (i, p) = if exact {
            let num = n * (from / g);
            (num / (to / g), num % (to / g))
        } else {
            let pos = n as f64 * from as f64 / to as f64;
            let i = pos.floor();
            let p = ((pos - i) * phases as f64).round() as u64;
            if p == phases {
                (i as u64 + 1, 0)
            } else {
                (i as u64, p)
            }
        };
        out.push(dot(
            samples,
            i as isize - t.half as isize + 1,
            &t.taps[p as usize],
        ));
    }
    out
}

/// `Σ w[j]·s[start + j]`, samples outside the input being silence.
fn dot(s: &[f32], start: isize, w: &[f32]) -> f32 {
    if start >= 0 && (start as usize + w.len()) <= s.len() {
        let s = &s[start as usize..start as usize + w.len()];
        return s.iter().zip(w).map(|(a, b)| a * b).sum();
    }
    w.iter()
        .enumerate()
        .map(|(j, &c)| {
            let k = start + j as isize;
            if k < 0 {
                0.0
            } else {
                s.get(k as usize).map_or(0.0, |&x| x * c)
            }
        })
        .sum()
}
