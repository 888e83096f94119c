//! Decoding one window: greedy (or sampled, for the fallback temperatures) token by token,
//! under Whisper's rules for timestamps and suppressed tokens.

use candle_core::Tensor;

use crate::model::Model;
use crate::nn::{self, DecoderState};

/// What decoding a window gave.
#[derive(Debug, Clone)]
pub(crate) struct Decoded {
    /// Sampled tokens, end of text excluded (timestamps included).
    pub tokens: Vec<u32>,
    /// Mean log-probability per token, the end of text counted.
    pub avg_logprob: f32,
    /// Probability of `<|nospeech|>` right after `<|startoftranscript|>`.
    pub no_speech_prob: f32,
    /// Text bytes over their zlib-compressed size: above 2.4 the text loops.
    pub compression_ratio: f32,
}

/// A small deterministic random generator (SplitMix64), for sampling at temperatures above
/// zero: the same audio gives the same transcript on every run.
pub(crate) struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    fn next_f64(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn log_sum_exp(x: &[f32]) -> f32 {
    let m = x.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    if m == f32::NEG_INFINITY {
        return m;
    }
    m + x.iter().map(|v| (v - m).exp()).sum::<f32>().ln()
}

/// Decodes the window whose audio `state` holds, after `prompt`.
/// `max_initial` is the latest first timestamp, in 20 ms steps.
pub(crate) fn decode(
    model: &Model,
    state: &mut DecoderState,
    prompt: &[u32],
    temperature: f32,
    max_initial: u32,
    rng: &mut Rng,
) -> candle_core::Result<Decoded> {
    let w = &model.weights;
    let eot = model.tokenizer.ids.eot;
    state.reset();
    let hidden = state.forward(w, prompt)?;
    let no_speech_prob = probability(&nn::logits(w, &hidden, 0)?, model.tokenizer.ids.no_speech);
    let mut logits = nn::logits(w, &hidden, prompt.len() - 1)?;
    let max_new = (w.dims.n_text_ctx / 2).min(w.dims.n_text_ctx - prompt.len());
    let (mut tokens, mut sum_logprob) = (Vec::new(), 0f64);
    for _ in 0..max_new {
        apply_rules(model, &mut logits, &tokens, max_initial);
        let token = if temperature > 0.0 {
            sample(&logits, temperature, rng)
        } else {
            argmax(&logits)
        };
        sum_logprob += (logits[token as usize] - log_sum_exp(&logits)) as f64;
        if token == eot {
            break;
        }
        tokens.push(token);
        if state.len() >= w.dims.n_text_ctx {
            break;
        }
        let hidden: Tensor = state.forward(w, &[token])?;
        logits = nn::logits(w, &hidden, 0)?;
    }
    let text = model.tokenizer.decode(&tokens);
    Ok(Decoded {
        avg_logprob: (sum_logprob / (tokens.len() + 1) as f64) as f32,
        no_speech_prob,
        compression_ratio: compression_ratio(text.trim()),
        tokens,
    })
}

fn probability(logits: &[f32], id: u32) -> f32 {
    (logits[id as usize] - log_sum_exp(logits)).exp()
}

fn argmax(x: &[f32]) -> u32 {
    let mut best = 0;
    for (i, v) in x.iter().enumerate() {
        if *v > x[best] {
            best = i;
        }
    }
    best as u32
}

fn sample(logits: &[f32], temperature: f32, rng: &mut Rng) -> u32 {
    let m = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let weights: Vec<f64> = logits
        .iter()
        .map(|&l| (((l - m) / temperature) as f64).exp())
        .collect();
    let mut target = rng.next_f64() * weights.iter().sum::<f64>();
    for (i, w) in weights.iter().enumerate() {
        target -= w;
        if target <= 0.0 && *w > 0.0 {
            return i as u32;
        }
    }
    argmax(logits)
}

/// Whisper's constraints on the next token given those sampled so far (`tokens`): never the
/// suppressed tokens; not a blank or the end first; a timestamp first (at most
/// `max_initial` steps in); timestamps in pairs that never go back; and a timestamp whenever
/// all timestamps together are likelier than the best text token.
pub(crate) fn apply_rules(model: &Model, logits: &mut [f32], tokens: &[u32], max_initial: u32) {
    let ids = model.tokenizer.ids;
    let ts = ids.timestamp_begin as usize;
    let ban = |logits: &mut [f32], r: std::ops::Range<usize>| {
        logits[r].iter_mut().for_each(|x| *x = f32::NEG_INFINITY)
    };
    for &t in &model.suppress {
        if let Some(x) = logits.get_mut(t as usize) {
            *x = f32::NEG_INFINITY;
        }
    }
    logits[ids.no_timestamps as usize] = f32::NEG_INFINITY;
    let end = logits.len();
    let Some(&last) = tokens.last() else {
        for &t in &model.suppress_begin {
            if let Some(x) = logits.get_mut(t as usize) {
                *x = f32::NEG_INFINITY;
            }
        }
        ban(logits, 0..ts);
        ban(logits, (ts + max_initial as usize + 1).min(end)..end);
        return;
    };
    let last = last as usize;
    if last >= ts {
        let penultimate = if tokens.len() >= 2 {
            tokens[tokens.len() - 2] as usize
        } else {
            last
        };
        if penultimate >= ts {
            ban(logits, ts..end); // a pair just closed: text or the end comes next
            return;
        }
        ban(logits, 0..ids.eot as usize); // an end time: another timestamp or the end
        ban(logits, ts..last);
    } else if let Some(&prev) = tokens.iter().rev().find(|&&t| t as usize >= ts) {
        ban(logits, ts..prev as usize + 1); // time never goes back
    }
    let total = log_sum_exp(logits);
    let timestamps = log_sum_exp(&logits[ts..]) - total;
    let best_text = logits[..ts]
        .iter()
        .copied()
        .fold(f32::NEG_INFINITY, f32::max)
        - total;
    if timestamps > best_text {
        ban(logits, 0..ts);
    }
}

/// Bytes of `text` over the size of its zlib compression (Python's `zlib.compress`, level 6,
/// as Whisper computes it). Repetitive text compresses well, so a loop scores high.
pub fn compression_ratio(text: &str) -> f32 {
    if text.is_empty() {
        return 0.0;
    }
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(text.as_bytes(), 6);
    text.len() as f32 / packed.len() as f32
}
