//! Energy-based voice detection, and the cutting of a recording into windows for the model.
//!
//! The level of every 10 ms (a 20 ms frame) is compared with a threshold set from the
//! recording itself: 12 dB over its quiet level (the 10th percentile), but never above
//! 15 dB under its loud level (95th percentile), nor under −65 dBFS, below which nothing is
//! speech. Runs of loud frames closer than 0.3 s are joined, blips under 80 ms dropped, and
//! each run padded by 0.4 s (soft consonants start below the threshold, and the model
//! does better when speech does not start right at a window's edge). Silences of 2 s or
//! more are skipped and never reach the model, which invents text in them. What is left
//! (stretches of speech with pauses under 2 s) is packed into windows of at most 30 s: short
//! stretches are joined end to end (the model's cost is the same for 3 s as for 30 s), and a
//! stretch over 30 s is cut in its pauses, so that no word is split.

use super::SAMPLE_RATE;

/// A stretch of a 16 kHz recording, in samples, end excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First sample.
    pub start: usize,
    /// One past the last sample.
    pub end: usize,
}

impl Span {
    /// Length in samples.
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    /// `true` when it holds no sample.
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

/// Samples between level measurements: 10 ms.
const HOP: usize = SAMPLE_RATE as usize / 100;
/// Samples per level measurement: 20 ms.
const FRAME: usize = 2 * HOP;
/// Gaps shorter than this (in 10 ms frames) are pauses inside speech.
const BRIDGE: usize = 30;
/// Loud runs shorter than this (frames) are clicks, not speech.
const MIN_RUN: usize = 8;
/// Padding added before and after speech (frames): 0.4 s, as faster-whisper pads what its
/// Silero detector finds. Less makes the model stumble on the first words of a window.
const PAD: usize = 40;
/// Silences at least this long (frames) are skipped and end a window.
const SKIP_SILENCE: usize = 200;
/// Longest window the model takes: 30 s, in samples.
pub const MAX_WINDOW: usize = 30 * SAMPLE_RATE as usize;
/// A window is not cut in a pause before this much speech (samples: 10 s)…
const MIN_CUT: usize = 10 * SAMPLE_RATE as usize;
/// …nor, in speech without pauses, before this much (20 s).
const MIN_CUT_NO_PAUSE: usize = 20 * SAMPLE_RATE as usize;
/// Level of digital silence, dBFS.
const SILENCE_DB: f32 = -100.0;

/// Level of each 10 ms step, in dBFS (0 for a full-scale square wave).
pub fn levels(samples: &[f32]) -> Vec<f32> {
    (0..samples.len().div_ceil(HOP))
        .map(|i| {
            let s = &samples[i * HOP..(i * HOP + FRAME).min(samples.len())];
            let power = s.iter().map(|x| x * x).sum::<f32>() / s.len().max(1) as f32;
            (10.0 * (power + 1e-10).log10()).max(SILENCE_DB)
        })
        .collect()
}

/// The level above which a step counts as speech, from the recording's own levels.
pub fn threshold(levels: &[f32]) -> f32 {
    if levels.is_empty() {
        return 0.0;
    }
    let mut sorted = levels.to_vec();
    sorted.sort_by(f32::total_cmp);
    let at = |q: f32| sorted[((sorted.len() - 1) as f32 * q) as usize];
    (at(0.10) + 12.0).min(at(0.95) - 15.0).max(-65.0)
}

/// Where the speech is: padded runs of loud steps, in samples.
pub fn speech(samples: &[f32]) -> Vec<Span> {
    let lv = levels(samples);
    let thr = threshold(&lv);
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < lv.len() {
        if lv[i] <= thr {
            i += 1;
            continue;
        }
        let start = i;
        while i < lv.len() && lv[i] > thr {
            i += 1;
        }
        match runs.last_mut() {
            Some(last) if start - last.1 < BRIDGE => last.1 = i,
            _ => runs.push((start, i)),
        }
    }
    let mut out: Vec<Span> = Vec::new();
    for (a, b) in runs.into_iter().filter(|(a, b)| b - a >= MIN_RUN) {
        let span = Span {
            start: a.saturating_sub(PAD) * HOP,
            end: ((b + PAD) * HOP).min(samples.len()),
        };
        match out.last_mut() {
            Some(last) if span.start <= last.end => last.end = span.end,
            _ => out.push(span),
        }
    }
    out
}

/// What the model hears at once: pieces of the recording, in order, at most 30 s in all,
/// played one after the other (the silences between them left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// The pieces, in order, not overlapping.
    pub pieces: Vec<Span>,
}

impl Window {
    /// Samples in all.
    pub fn len(&self) -> usize {
        self.pieces.iter().map(Span::len).sum()
    }
    /// `true` when it has no sample.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The pieces' samples end to end.
    pub fn audio(&self, samples: &[f32]) -> Vec<f32> {
        self.pieces
            .iter()
            .flat_map(|p| samples[p.start..p.end].iter().copied())
            .collect()
    }
}

/// The windows to transcribe, in order: stretches of speech packed up to 30 s.
pub fn windows(samples: &[f32]) -> Vec<Window> {
    let mut out: Vec<Window> = Vec::new();
    for s in stretches(samples) {
        match out.last_mut() {
            Some(w) if w.len() + s.len() <= MAX_WINDOW => w.pieces.push(s),
            _ => out.push(Window { pieces: vec![s] }),
        }
    }
    out
}

/// Speech cut into stretches of at most 30 s, silences of 2 s or more left out. Stretches
/// are in order and do not overlap; consecutive ones touch when a long stretch was cut.
pub fn stretches(samples: &[f32]) -> Vec<Span> {
    let regions = speech(samples);
    let lv = levels(samples);
    let mut out = Vec::new();
    let mut group: Vec<Span> = Vec::new();
    for r in regions {
        if let Some(last) = group.last()
            && r.start - last.end >= SKIP_SILENCE * HOP
        {
            split(&group, &lv, &mut out);
            group.clear();
        }
        group.push(r);
    }
    split(&group, &lv, &mut out);
    out
}

/// Cuts a group of speech regions (pauses under 2 s between them) into windows of at most
/// 30 s: in the longest pause that leaves at least 10 s before it, else at the quietest
/// 100 ms after 20 s.
fn split(group: &[Span], lv: &[f32], out: &mut Vec<Span>) {
    let (Some(first), Some(last)) = (group.first(), group.last()) else {
        return;
    };
    let mut start = first.start;
    while last.end - start > MAX_WINDOW {
        let limit = start + MAX_WINDOW;
        let pause = group
            .windows(2)
            .map(|w| (w[0].end, w[1].start))
            .filter(|&(a, b)| a >= start + MIN_CUT && (a + b) / 2 <= limit)
            .max_by_key(|&(a, b)| b - a);
        let cut = match pause {
            Some((a, b)) => (a + b) / 2,
            None => quietest(lv, start + MIN_CUT_NO_PAUSE, limit),
        };
        out.push(Span { start, end: cut });
        start = cut;
    }
    out.push(Span {
        start,
        end: last.end,
    });
}

/// The sample at the middle of the quietest 100 ms between `from` and `to` (samples).
fn quietest(lv: &[f32], from: usize, to: usize) -> usize {
    let (a, b) = (from / HOP, (to / HOP).min(lv.len()));
    if b < a + 10 {
        return to;
    }
    let best = (a..b - 10)
        .min_by(|&i, &j| {
            let si: f32 = lv[i..i + 10].iter().sum();
            let sj: f32 = lv[j..j + 10].iter().sum();
            si.total_cmp(&sj)
        })
        .unwrap_or(a);
    (best + 5) * HOP
}
