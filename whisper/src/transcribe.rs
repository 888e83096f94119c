//! Transcribing a recording: voice detection, then for each window the encoder, decoding
//! with temperature fallback, segments cut at timestamps, and the quality guards.

use std::ops::ControlFlow;

use candle_core::{Device, Tensor};
use unicode_normalization::UnicodeNormalization;

use crate::audio::mel::{self, MelBank};
use crate::audio::{SAMPLE_RATE, vad};
use crate::decoding::{self, Decoded, Rng};
use crate::error::Error;
use crate::guards;
use crate::model::Model;
use crate::nn::{self, DecoderState};

/// Settings of a transcription. The defaults are faster-whisper's, in French, without
/// conditioning on the previous window's text (which makes the model repeat itself).
#[derive(Debug, Clone)]
pub struct Options {
    /// Language code (`fr`, `en` …); `None` detects it from the first window with speech.
    pub language: Option<String>,
    /// Temperatures tried in turn while a window's text loops or is improbable: 0 is greedy
    /// decoding, above 0 samples more freely.
    pub temperatures: Vec<f32>,
    /// A window's text whose bytes compress more than this many times (zlib) is a loop.
    pub compression_ratio_threshold: f32,
    /// A window whose mean token log-probability is below this is doubtful.
    pub logprob_threshold: f32,
    /// A doubtful window whose no-speech probability is above this holds no speech.
    pub no_speech_threshold: f32,
    /// Latest time the first segment of a window may start at (ms from its start).
    pub max_initial_timestamp_ms: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            language: Some("fr".into()),
            temperatures: vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0],
            compression_ratio_threshold: 2.4,
            logprob_threshold: -1.0,
            no_speech_threshold: 0.6,
            max_initial_timestamp_ms: 1000,
        }
    }
}

/// How far a transcription is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Share of the recording done, 0 to 1 (silences count as done when skipped).
    pub done: f32,
    /// The recording's length (ms).
    pub duration_ms: u64,
}

/// A stretch of transcribed speech.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Start, in ms from the start of the recording.
    pub start_ms: u64,
    /// End (ms from the start of the recording), after `start_ms`, within the recording.
    pub end_ms: u64,
    /// The words, NFC-normalised, without leading or trailing spaces.
    pub text: String,
    /// Mean log-probability of the window's tokens (0 is certain; below −1 is doubtful).
    pub avg_logprob: f32,
    /// Probability that the window holds no speech, as the model sees it.
    pub no_speech_prob: f32,
}

/// Milliseconds of `n` samples at 16 kHz.
fn ms(n: usize) -> u64 {
    n as u64 * 1000 / SAMPLE_RATE as u64
}

/// Transcribes `samples` (mono, 16 kHz: see [`crate::audio::resample()`]). `progress` is called
/// before each window and at the end; returning `Break` stops with [`Error::Cancelled`].
/// Segments are in order, do not overlap, and lie within the recording.
pub fn transcribe(
    model: &Model,
    samples: &[f32],
    options: &Options,
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
) -> Result<Vec<Segment>, Error> {
    let duration_ms = ms(samples.len());
    let report = |progress: &mut dyn FnMut(Progress) -> ControlFlow<()>, at: usize| {
        let done = if samples.is_empty() {
            1.0
        } else {
            at as f32 / samples.len() as f32
        };
        match progress(Progress { done, duration_ms }) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(Error::Cancelled),
        }
    };
    let windows = vad::windows(samples);
    let bank = MelBank::new(model.n_mels());
    let max = loudest(&bank, samples, &windows);
    let mut language = options
        .language
        .as_deref()
        .map(|l| language_token(model, l))
        .transpose()?;
    let mut out: Vec<Segment> = Vec::new();
    for w in &windows {
        report(progress, w.pieces[0].start)?;
        let job = Job {
            model,
            bank: &bank,
            max,
            options,
            seed: w.pieces[0].start as u64,
        };
        for s in job.run(&w.audio(samples), &mut language)? {
            push(&mut out, s, &w.pieces);
        }
    }
    report(progress, samples.len())?;
    Ok(out)
}

/// The loudest `log10` mel value over the windows: Whisper floors every window 8 decades
/// (80 dB) below the recording's maximum, not its own.
fn loudest(bank: &MelBank, samples: &[f32], windows: &[vad::Window]) -> f32 {
    windows
        .iter()
        .map(|w| mel::max_of(&bank.log_mel(&w.audio(samples)).0))
        .fold(-10.0, f32::max)
}

fn language_token(model: &Model, code: &str) -> Result<u32, Error> {
    model
        .languages
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, id)| *id)
        .ok_or_else(|| Error::UnknownLanguage(code.into()))
}

/// A segment before its times are checked: seconds from the window's start.
struct Raw {
    start: f64,
    end: f64,
    text: String,
    avg_logprob: f32,
    no_speech_prob: f32,
}

/// What transcribing one window needs.
struct Job<'a> {
    model: &'a Model,
    bank: &'a MelBank,
    max: f32,
    options: &'a Options,
    /// Seeds the sampler of the fallback temperatures.
    seed: u64,
}

impl Job<'_> {
    /// Transcribes `audio` (at most 30 s): as Whisper, decodes again from the last complete
    /// segment when the model stopped in the middle of one.
    fn run(&self, audio: &[f32], language: &mut Option<u32>) -> Result<Vec<Raw>, Error> {
        let mut out = Vec::new();
        let mut seek = 0;
        while audio.len() - seek >= mel::HOP {
            let piece = &audio[seek..audio.len().min(seek + vad::MAX_WINDOW)];
            let mut state = self.encode(piece)?;
            let lang = match *language {
                Some(l) => l,
                None => *language.insert(detect(self.model, &mut state)?.1),
            };
            let d = self.decode_with_fallback(&mut state, lang)?;
            let o = self.options;
            if d.no_speech_prob > o.no_speech_threshold && d.avg_logprob < o.logprob_threshold {
                break; // The rest of the window is silence or noise.
            }
            let (segments, advance) = split_at_timestamps(self.model, &d, piece.len());
            let offset = seek as f64 / SAMPLE_RATE as f64;
            for (start, end, text) in clean(self.model, segments, o.compression_ratio_threshold) {
                out.push(Raw {
                    start: offset + start,
                    end: offset + end,
                    text,
                    avg_logprob: d.avg_logprob,
                    no_speech_prob: d.no_speech_prob,
                });
            }
            seek += advance.max(1);
        }
        Ok(out)
    }

    /// Log-mel of `piece`, the encoder, and a decoder state over its output.
    fn encode(&self, piece: &[f32]) -> Result<DecoderState, Error> {
        let n = self.bank.n_mels();
        let (mut m, frames) = self.bank.log_mel(piece);
        mel::normalize(&mut m, self.max);
        let input = Tensor::from_vec(
            mel::pad_to_window(&m, n, frames),
            (n, mel::WINDOW_FRAMES),
            &Device::Cpu,
        )?;
        let audio = nn::encode(&self.model.weights, &input)?;
        Ok(DecoderState::new(&self.model.weights, &audio)?)
    }

    /// Decodes at each temperature in turn until the text neither loops nor is improbable
    /// (faster-whisper's rule); if none passes, keeps the likeliest that does not loop.
    fn decode_with_fallback(&self, state: &mut DecoderState, lang: u32) -> Result<Decoded, Error> {
        let ids = self.model.tokenizer.ids;
        let prompt = [ids.sot, lang, ids.transcribe];
        let o = self.options;
        let max_initial = o.max_initial_timestamp_ms / 20;
        let mut rng = Rng::new(self.seed);
        let (mut all, mut not_looping) = (Vec::new(), Vec::new());
        for &t in &o.temperatures {
            let d = decoding::decode(self.model, state, &prompt, t, max_initial, &mut rng)?;
            let loops = d.compression_ratio > o.compression_ratio_threshold;
            let improbable = d.avg_logprob < o.logprob_threshold;
            let silent = d.no_speech_prob > o.no_speech_threshold && improbable;
            if !loops {
                not_looping.push(d.clone());
            }
            if silent || (!loops && !improbable) {
                return Ok(d);
            }
            all.push(d);
        }
        let pool = if not_looping.is_empty() {
            all
        } else {
            not_looping
        };
        pool.into_iter()
            .max_by(|a, b| a.avg_logprob.total_cmp(&b.avg_logprob))
            .ok_or(Error::Compute("no temperature to decode with".into()))
    }
}

/// Detects the language of the audio `state` holds: the likeliest language token after
/// `<|startoftranscript|>`. Returns the code, its token and its probability.
pub(crate) fn detect(
    model: &Model,
    state: &mut DecoderState,
) -> Result<(&'static str, u32, f32), Error> {
    state.reset();
    let hidden = state.forward(&model.weights, &[model.tokenizer.ids.sot])?;
    let logits = nn::logits(&model.weights, &hidden, 0)?;
    state.reset();
    let scores: Vec<f32> = model
        .languages
        .iter()
        .map(|(_, id)| logits[*id as usize])
        .collect();
    let m = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let total: f32 = scores.iter().map(|s| (s - m).exp()).sum();
    let (i, best) = scores
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .ok_or_else(|| Error::UnknownLanguage("(this model has no language tokens)".into()))?;
    let (code, id) = model.languages[i];
    Ok((code, id, (best - m).exp() / total))
}

/// Segments (start s, end s, tokens) of a decoded piece of `len` samples, and how many
/// samples of it are done: all of it when the text ended on a lone timestamp, else up to
/// the last complete segment (what follows is decoded again).
pub(crate) fn split_at_timestamps(
    model: &Model,
    d: &Decoded,
    len: usize,
) -> (Vec<(f64, f64, Vec<u32>)>, usize) {
    let ts = model.tokenizer.ids.timestamp_begin;
    let t = &d.tokens;
    let is_ts = |i: usize| t[i] >= ts;
    let secs = |tok: u32| (tok - ts) as f64 * 0.02;
    let duration = len as f64 / SAMPLE_RATE as f64;
    let single_end = t.len() >= 2 && !is_ts(t.len() - 2) && is_ts(t.len() - 1);
    let mut cuts: Vec<usize> = (1..t.len()).filter(|&i| is_ts(i) && is_ts(i - 1)).collect();
    if cuts.is_empty() {
        let end = t
            .iter()
            .rev()
            .find(|&&x| x > ts)
            .map_or(duration, |&x| secs(x));
        return (vec![(0.0, end, t.clone())], len);
    }
    if single_end {
        cuts.push(t.len());
    }
    let mut out = Vec::new();
    let mut from = 0;
    for &c in &cuts {
        let s = &t[from..c];
        out.push((secs(s[0].max(ts)), secs(s[s.len() - 1].max(ts)), s.to_vec()));
        from = c;
    }
    let advance = if single_end {
        len
    } else {
        (t[from - 1].saturating_sub(ts) as usize) * 2 * mel::HOP
    };
    (out, if advance == 0 { len } else { advance.min(len) })
}

/// Text of each segment with loops cut and credits dropped; `[]` when the piece still
/// compresses like a loop afterwards (a loop of letters rather than words).
pub(crate) fn clean(
    model: &Model,
    segments: Vec<(f64, f64, Vec<u32>)>,
    max_ratio: f32,
) -> Vec<(f64, f64, String)> {
    let text = |toks: &[u32]| {
        model
            .tokenizer
            .decode(toks)
            .nfc()
            .collect::<String>()
            .trim()
            .to_owned()
    };
    let texts: Vec<(f64, f64, String)> = segments
        .into_iter()
        .map(|(a, b, toks)| (a, b, text(&toks)))
        .collect();
    let words: Vec<(usize, &str)> = texts
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.2.split_whitespace().map(move |w| (i, w)))
        .collect();
    let keep = guards::loop_free(&words.iter().map(|w| w.1).collect::<Vec<_>>());
    let mut kept = vec![String::new(); texts.len()];
    for ((i, w), k) in words.iter().zip(keep) {
        if k {
            if !kept[*i].is_empty() {
                kept[*i].push(' ');
            }
            kept[*i].push_str(w);
        }
    }
    let joined = kept.join(" ");
    if decoding::compression_ratio(joined.trim()) > max_ratio {
        return Vec::new();
    }
    texts
        .into_iter()
        .zip(kept)
        .filter(|(_, t)| !t.is_empty() && !guards::is_credit(t))
        .map(|((a, b, _), t)| (a, b, t))
        .collect()
}

/// Adds `s` to `out` in the recording's clock. Its times are in the window, whose `pieces`
/// were played end to end: a segment over the join of two pieces is kept within the one
/// holding most of it, so that no segment covers a skipped silence. It is also moved after
/// the previous segment; a segment left with no room is dropped.
fn push(out: &mut Vec<Segment>, s: Raw, pieces: &[vad::Span]) {
    let total: usize = pieces.iter().map(vad::Span::len).sum();
    let at = |secs: f64| {
        ((secs.max(0.0) * SAMPLE_RATE as f64).round() as usize).min(total.saturating_sub(1))
    };
    let Some((start, end, piece_end)) = place(at(s.start), at(s.end.max(s.start)), pieces) else {
        return;
    };
    let lo = out.last().map_or(0, |p| p.end_ms);
    let hi = ms(piece_end);
    if lo >= hi {
        return;
    }
    let start_ms = ms(start).clamp(lo, hi - 1);
    let end_ms = ms(end).clamp(start_ms + 1, hi);
    out.push(Segment {
        start_ms,
        end_ms,
        text: s.text,
        avg_logprob: s.avg_logprob,
        no_speech_prob: s.no_speech_prob,
    });
}

/// Samples `a..b` of a window (pieces end to end) in the recording: the part in the piece
/// that holds most of it (the piece holding `a` for an empty range), with that piece's end.
pub(crate) fn place(a: usize, b: usize, pieces: &[vad::Span]) -> Option<(usize, usize, usize)> {
    let mut best: Option<(usize, usize, usize, usize)> = None; // overlap, start, end, piece end
    let mut cum = 0;
    for p in pieces {
        let (lo, hi) = (a.clamp(cum, cum + p.len()), b.clamp(cum, cum + p.len()));
        let holds_a = (cum..cum + p.len()).contains(&a);
        let better = match best {
            None => true,
            Some((o, ..)) => hi - lo > o || (o == 0 && hi == lo && holds_a),
        };
        if better {
            best = Some((hi - lo, p.start + lo - cum, p.start + hi - cum, p.end));
        }
        cum += p.len();
    }
    best.map(|(_, s, e, pe)| (s, e, pe))
}

/// The language spoken in `samples` (16 kHz mono): the code, and the model's probability for
/// it, judged on the first window with speech. `None` when nothing sounds like speech.
pub fn detect_language(
    model: &Model,
    samples: &[f32],
) -> Result<Option<(&'static str, f32)>, Error> {
    let Some(w) = vad::windows(samples).into_iter().next() else {
        return Ok(None);
    };
    let bank = MelBank::new(model.n_mels());
    let max = loudest(&bank, samples, std::slice::from_ref(&w));
    let job = Job {
        model,
        bank: &bank,
        max,
        options: &Options::default(),
        seed: 0,
    };
    let mut state = job.encode(&w.audio(samples))?;
    let (code, _, p) = detect(model, &mut state)?;
    Ok(Some((code, p)))
}
