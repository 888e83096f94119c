//! The Whisper network on candle: the audio encoder, and the text decoder with its caches.
//!
//! Everything is computed in `f32` on the CPU; the decoder's weights and the audio keys are
//! stored in `f16` and widened as they are read (see [`crate::half_matrix`]), since a
//! decoding step is limited by how fast they come from memory. Matrices are 2-D
//! `[positions, width]` between layers;
//! attention works on `[heads, positions, head_width]`. The 1/√head_width attention scale is
//! already folded into the query weights (see [`crate::weights`]).

use candle_core::{Device, Result, Tensor};

use crate::half_matrix::HalfMatrix;
use crate::kernels;
use crate::weights::{DecoderLayer, EncoderLayer, HalfLinear, Linear, Norm, Weights};
use rayon::prelude::*;

/// Layer-norm epsilon of every Whisper model.
const EPS: f32 = 1e-5;

fn linear(x: &Tensor, l: &Linear) -> Result<Tensor> {
    let y = x.matmul(&l.w.t()?)?;
    match &l.b {
        Some(b) => y.broadcast_add(b),
        None => Ok(y),
    }
}

/// A decoder layer on a few rows (one per new token): one matrix-vector product per row.
fn half_linear(x: &Tensor, l: &HalfLinear) -> Result<Tensor> {
    let rows: Vec<Vec<f32>> = x.to_vec2()?;
    let out = l.w.rows();
    let mut y = Vec::with_capacity(rows.len() * out);
    for r in &rows {
        let mut v = l.w.mul_vec(r);
        if let Some(b) = &l.b {
            v.iter_mut().zip(b).for_each(|(v, b)| *v += b);
        }
        y.extend(v);
    }
    Tensor::from_vec(y, (rows.len(), out), &Device::Cpu)
}

fn norm(x: &Tensor, n: &Norm) -> Result<Tensor> {
    candle_nn::ops::layer_norm(x, &n.gamma, &n.beta, EPS)
}

fn gelu(x: Tensor, exact: bool) -> Result<Tensor> {
    if exact {
        kernels::gelu_erf(x)
    } else {
        x.gelu()
    }
}

/// Splits `[n, parts·heads·hw]` into `parts` tensors `[heads, n, hw]`, one copy in all.
fn split_heads(x: &Tensor, parts: usize, heads: usize) -> Result<Vec<Tensor>> {
    let (n, width) = x.dims2()?;
    let hw = width / parts / heads;
    let x = x
        .reshape((n, parts, heads, hw))?
        .permute((1, 2, 0, 3))?
        .contiguous()?;
    (0..parts).map(|i| x.get(i)).collect()
}

/// `[heads, n, hw]` back to `[n, heads·hw]`.
fn merge_heads(x: &Tensor) -> Result<Tensor> {
    let (h, n, hw) = x.dims3()?;
    x.transpose(0, 1)?.reshape((n, h * hw))
}

/// Score matrices larger than this (bytes) are made one head at a time: the allocator hands
/// large blocks back to the system on release, and faulting in 72 MB of fresh pages for the
/// encoder's `[8, 1500, 1500]` scores cost as much as computing them.
const MAX_SCORES_BYTES: usize = 4 << 20;

/// Attention of pre-scaled queries `q` over `k`, `v` (`[heads, len, hw]`), with an additive
/// mask `[n, len]` for causal steps.
fn attend(q: &Tensor, k: &Tensor, v: &Tensor, mask: Option<&Tensor>) -> Result<Tensor> {
    let (h, n, _) = q.dims3()?;
    let len = k.dim(1)?;
    if h > 1 && h * n * len * 4 > MAX_SCORES_BYTES {
        let heads: Vec<Tensor> = (0..h)
            .map(|i| {
                attend_heads(
                    &q.narrow(0, i, 1)?,
                    &k.narrow(0, i, 1)?,
                    &v.narrow(0, i, 1)?,
                    mask,
                )
            })
            .collect::<Result<_>>()?;
        return merge_heads(&Tensor::cat(&heads, 0)?);
    }
    merge_heads(&attend_heads(q, k, v, mask)?)
}

/// `softmax(q·kᵀ + mask)·v` for each head.
fn attend_heads(q: &Tensor, k: &Tensor, v: &Tensor, mask: Option<&Tensor>) -> Result<Tensor> {
    let mut scores = q.matmul(&k.t()?)?;
    if let Some(m) = mask {
        scores = scores.broadcast_add(m)?;
    }
    kernels::softmax_last_dim(scores)?.matmul(v)
}

/// Runs the encoder on one window's log-mel `[n_mels, frames]` (frames = 2 × audio
/// positions, i.e. 3000 for 30 s) and returns the audio states `[positions, width]`.
pub(crate) fn encode(w: &Weights, mel: &Tensor) -> Result<Tensor> {
    let g = w.exact_gelu;
    let x = mel.unsqueeze(0)?;
    let x = x
        .conv1d(&w.conv1.0, 1, 1, 1, 1)?
        .broadcast_add(&w.conv1.1.reshape((1, (), 1))?)?;
    let x = gelu(x, g)?;
    let x = x
        .conv1d(&w.conv2.0, 1, 2, 1, 1)?
        .broadcast_add(&w.conv2.1.reshape((1, (), 1))?)?;
    let x = gelu(x, g)?.squeeze(0)?.t()?;
    let mut x = (x + &w.audio_pos)?;
    for layer in &w.encoder {
        x = encoder_layer(&x, layer, w.dims.n_audio_head, g)?;
    }
    norm(&x, &w.audio_norm)
}

fn encoder_layer(x: &Tensor, l: &EncoderLayer, heads: usize, exact: bool) -> Result<Tensor> {
    let qkv = linear(&norm(x, &l.attn_norm)?, &l.qkv)?;
    let p = split_heads(&qkv, 3, heads)?;
    let x = (x + linear(&attend(&p[0], &p[1], &p[2], None)?, &l.attn_out)?)?;
    let h = gelu(linear(&norm(&x, &l.ffn_norm)?, &l.fc1)?, exact)?;
    x + linear(&h, &l.fc2)?
}

/// One decoder layer's memory for a window: the keys and values of the audio (computed once
/// per window) and those of the tokens so far, in buffers allocated once for the longest
/// sequence, so that a step appends in place instead of re-allocating.
struct LayerCache {
    cross: AudioKeys,
    self_k: Tensor,
    self_v: Tensor,
}

/// The audio's keys and values for one layer, per head, in `f16`: each decoding step reads
/// them all (6 MB per layer for base in `f32`), which made this attention the slowest part of
/// the step. Keys are `[positions, head_width]`, values transposed to
/// `[head_width, positions]`, so that both products are matrix-vector ones.
struct AudioKeys {
    heads: Vec<(HalfMatrix, HalfMatrix)>,
}

impl AudioKeys {
    /// From the fused projection `[positions, 2·width]` (keys then values).
    fn new(kv: &Tensor, heads: usize) -> Result<AudioKeys> {
        let (t, two_d) = kv.dims2()?;
        let hw = two_d / 2 / heads;
        let kv: Vec<f32> = kv.flatten_all()?.to_vec1()?;
        let d = two_d / 2;
        let heads = (0..heads)
            .into_par_iter()
            .map(|h| {
                let mut k = Vec::with_capacity(t * hw);
                let mut vt = vec![0f32; hw * t];
                for (p, row) in kv.chunks_exact(two_d).enumerate() {
                    k.extend_from_slice(&row[h * hw..(h + 1) * hw]);
                    for (j, &v) in row[d + h * hw..d + (h + 1) * hw].iter().enumerate() {
                        vt[j * t + p] = v;
                    }
                }
                (
                    HalfMatrix::from_f32(t, hw, &k),
                    HalfMatrix::from_f32(hw, t, &vt),
                )
            })
            .collect();
        Ok(AudioKeys { heads })
    }

    /// Attention of the (pre-scaled) queries `q` (`[n, width]`) over the audio, heads in
    /// parallel: `[n, width]`.
    fn attend(&self, q: &Tensor) -> Result<Tensor> {
        let rows: Vec<Vec<f32>> = q.to_vec2()?;
        let hw = rows.first().map_or(0, |r| r.len() / self.heads.len());
        let mut out = Vec::with_capacity(rows.len() * hw * self.heads.len());
        for r in &rows {
            let per_head: Vec<Vec<f32>> = self
                .heads
                .par_iter()
                .enumerate()
                .map(|(h, (k, vt))| {
                    let mut p = k.mul_vec_here(&r[h * hw..(h + 1) * hw]);
                    softmax_in_place(&mut p);
                    vt.mul_vec_here(&p)
                })
                .collect();
            out.extend(per_head.into_iter().flatten());
        }
        Tensor::from_vec(out, (rows.len(), hw * self.heads.len()), &Device::Cpu)
    }
}

fn softmax_in_place(x: &mut [f32]) {
    let m = x.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for v in x.iter_mut() {
        *v = (*v - m).exp();
        sum += *v;
    }
    x.iter_mut().for_each(|v| *v /= sum);
}

/// The decoder's state for one window: per-layer caches and how many tokens they hold.
pub(crate) struct DecoderState {
    layers: Vec<LayerCache>,
    len: usize,
}

impl DecoderState {
    /// Prepares decoding against `audio` (the encoder's output for the window).
    pub(crate) fn new(w: &Weights, audio: &Tensor) -> Result<DecoderState> {
        let (h, d) = (w.dims.n_text_head, w.dims.d_model);
        let mut layers = Vec::with_capacity(w.decoder.len());
        for l in &w.decoder {
            let cross = AudioKeys::new(&linear(audio, &l.cross_kv)?, h)?;
            let empty = Tensor::zeros(
                (h, w.dims.n_text_ctx, d / h),
                candle_core::DType::F32,
                &Device::Cpu,
            )?;
            layers.push(LayerCache {
                cross,
                self_k: empty.clone(),
                self_v: empty.zeros_like()?,
            });
        }
        Ok(DecoderState { layers, len: 0 })
    }

    /// Forgets the tokens (keeps the audio), to decode the same window again.
    pub(crate) fn reset(&mut self) {
        self.len = 0;
    }

    /// Tokens held so far.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Feeds `tokens` after those already held; returns the final hidden states
    /// `[tokens, width]` (turn a row into scores with [`logits`]).
    pub(crate) fn forward(&mut self, w: &Weights, tokens: &[u32]) -> Result<Tensor> {
        let n = tokens.len();
        if self.len + n > w.dims.n_text_ctx {
            candle_core::bail!("the decoder takes at most {} tokens", w.dims.n_text_ctx);
        }
        let mut rows = Vec::with_capacity(n * w.dims.d_model);
        for &t in tokens {
            if t as usize >= w.dims.n_vocab {
                candle_core::bail!("token {t} is outside the vocabulary");
            }
            w.embeddings.row_into(t as usize, &mut rows);
        }
        let emb = Tensor::from_vec(rows, (n, w.dims.d_model), &Device::Cpu)?;
        let mut x = (emb + w.text_pos.narrow(0, self.len, n)?)?;
        let mask = causal_mask(n, self.len)?;
        for (l, c) in w.decoder.iter().zip(self.layers.iter_mut()) {
            x = decoder_layer(&x, l, c, self.len, mask.as_ref(), w)?;
        }
        self.len += n;
        norm(&x, &w.text_norm)
    }
}

/// `-inf` above the diagonal, for `n` new tokens after `past` ones; none for one token.
fn causal_mask(n: usize, past: usize) -> Result<Option<Tensor>> {
    if n == 1 {
        return Ok(None);
    }
    let m: Vec<f32> = (0..n)
        .flat_map(|i| {
            (0..past + n).map(move |j| if j > past + i { f32::NEG_INFINITY } else { 0.0 })
        })
        .collect();
    Tensor::from_vec(m, (n, past + n), &Device::Cpu).map(Some)
}

fn decoder_layer(
    x: &Tensor,
    l: &DecoderLayer,
    c: &mut LayerCache,
    past: usize,
    mask: Option<&Tensor>,
    w: &Weights,
) -> Result<Tensor> {
    let h = w.dims.n_text_head;
    let n = x.dim(0)?;
    let p = split_heads(&half_linear(&norm(x, &l.self_norm)?, &l.self_qkv)?, 3, h)?;
    c.self_k.slice_set(&p[1], 1, past)?;
    c.self_v.slice_set(&p[2], 1, past)?;
    let k = c.self_k.narrow(1, 0, past + n)?;
    let v = c.self_v.narrow(1, 0, past + n)?;
    let x = (x + half_linear(&attend(&p[0], &k, &v, mask)?, &l.self_out)?)?;
    let q = half_linear(&norm(&x, &l.cross_norm)?, &l.cross_q)?;
    let x = (&x + half_linear(&c.cross.attend(&q)?, &l.cross_out)?)?;
    let f = gelu(half_linear(&norm(&x, &l.ffn_norm)?, &l.fc1)?, w.exact_gelu)?;
    x + half_linear(&f, &l.fc2)?
}

/// The scores of every vocabulary token after hidden state `row` of `hidden`.
pub(crate) fn logits(w: &Weights, hidden: &Tensor, row: usize) -> Result<Vec<f32>> {
    let x: Vec<f32> = hidden.get(row)?.to_vec1()?;
    Ok(w.projection.as_ref().unwrap_or(&w.embeddings).mul_vec(&x))
}

/// How many threads candle's matrix products use: `RAYON_NUM_THREADS` when set, else every
/// core. Reported by the benchmarks, since a single-threaded run would halve the speed.
pub fn threads() -> usize {
    candle_core::utils::get_num_threads()
}
