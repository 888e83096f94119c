//! Model weights: tensors read from either folder format, checked against each other and
//! arranged by layer, in the CTranslate2 layout (fused projections, `gamma`/`beta` norms).

use std::collections::HashMap;
use std::path::PathBuf;

use candle_core::{Device, Tensor};

use crate::error::LoadError;
use crate::half_matrix::HalfMatrix;

/// A tensor read from disk, in `f32`, row-major.
#[derive(Debug, Clone)]
pub(crate) struct HostTensor {
    /// Dimensions, outermost first.
    pub shape: Vec<usize>,
    /// The values, `shape.iter().product()` of them.
    pub data: Vec<f32>,
}

/// The sizes of a Whisper model, all read from its weights (never assumed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dims {
    /// Mel bands the encoder takes (80, or 128 for large-v3).
    pub n_mels: usize,
    /// Encoder positions (1500 for 30 s of audio).
    pub n_audio_ctx: usize,
    /// Width of every hidden state (512 for base).
    pub d_model: usize,
    /// Encoder attention heads.
    pub n_audio_head: usize,
    /// Encoder layers.
    pub n_audio_layer: usize,
    /// Tokens in the vocabulary, timestamps included.
    pub n_vocab: usize,
    /// Longest token sequence the decoder takes (448).
    pub n_text_ctx: usize,
    /// Decoder attention heads.
    pub n_text_head: usize,
    /// Decoder layers.
    pub n_text_layer: usize,
}

/// A linear layer: `y = x·wᵀ + b`, `w` being `[out, in]`.
pub(crate) struct Linear {
    pub w: Tensor,
    pub b: Option<Tensor>,
}

/// A decoder linear layer, in `f16` for the one-token steps (see [`crate::half_matrix`]).
pub(crate) struct HalfLinear {
    pub w: HalfMatrix,
    pub b: Option<Vec<f32>>,
}

/// A layer norm's scale and shift.
pub(crate) struct Norm {
    pub gamma: Tensor,
    pub beta: Tensor,
}

/// One encoder block: self-attention then feed-forward, each with a norm before it.
pub(crate) struct EncoderLayer {
    pub attn_norm: Norm,
    /// Queries, keys and values fused (`[3·d, d]`); the query part is pre-scaled.
    pub qkv: Linear,
    pub attn_out: Linear,
    pub ffn_norm: Norm,
    pub fc1: Linear,
    pub fc2: Linear,
}

/// One decoder block: self-attention, attention over the audio, feed-forward.
pub(crate) struct DecoderLayer {
    pub self_norm: Norm,
    /// Fused and pre-scaled like [`EncoderLayer::qkv`].
    pub self_qkv: HalfLinear,
    pub self_out: HalfLinear,
    pub cross_norm: Norm,
    /// Pre-scaled queries.
    pub cross_q: HalfLinear,
    /// Keys and values of the audio, fused (`[2·d, d]`): applied to the 1500 audio states
    /// once per window, so kept in `f32` for the matrix product.
    pub cross_kv: Linear,
    pub cross_out: HalfLinear,
    pub ffn_norm: Norm,
    pub fc1: HalfLinear,
    pub fc2: HalfLinear,
}

/// All the weights, on the CPU in `f32`.
pub(crate) struct Weights {
    pub dims: Dims,
    pub conv1: (Tensor, Tensor),
    pub conv2: (Tensor, Tensor),
    pub audio_pos: Tensor,
    pub encoder: Vec<EncoderLayer>,
    pub audio_norm: Norm,
    /// Token embeddings `[n_vocab, d_model]`, also the output projection (tied).
    pub embeddings: HalfMatrix,
    pub text_pos: Tensor,
    pub decoder: Vec<DecoderLayer>,
    pub text_norm: Norm,
    /// Output projection when it differs from the embeddings (it is tied in every released
    /// Whisper, so usually `None`).
    pub projection: Option<HalfMatrix>,
    /// `true` for the exact (erf) GELU, `false` for its tanh approximation.
    pub exact_gelu: bool,
}

/// Takes tensors out of a name map, checking shapes, so that a wrong file fails at load
/// with the name of the weight instead of inside a matrix product.
pub(crate) struct Source {
    pub path: PathBuf,
    pub tensors: HashMap<String, HostTensor>,
    /// Rank-0 settings (`encoder/num_heads` …), when the format has them.
    pub scalars: HashMap<String, f64>,
}

impl Source {
    fn shape_of(&self, name: &str) -> Result<&[usize], LoadError> {
        self.tensors
            .get(name)
            .map(|t| t.shape.as_slice())
            .ok_or_else(|| {
                LoadError::corrupt(&self.path, format!("the weight '{name}' is missing"))
            })
    }
    fn host(&mut self, name: &str, shape: &[usize]) -> Result<HostTensor, LoadError> {
        let found = self.shape_of(name)?;
        if found != shape {
            return Err(LoadError::corrupt(
                &self.path,
                format!("the weight '{name}' has shape {found:?}, expected {shape:?}"),
            ));
        }
        Ok(self.tensors.remove(name).expect("checked above"))
    }
    fn tensor(&mut self, name: &str, shape: &[usize]) -> Result<Tensor, LoadError> {
        let h = self.host(name, shape)?;
        Ok(Tensor::from_vec(h.data, h.shape, &Device::Cpu)?)
    }
    fn norm(&mut self, scope: &str, d: usize) -> Result<Norm, LoadError> {
        Ok(Norm {
            gamma: self.tensor(&format!("{scope}/gamma"), &[d])?,
            beta: self.tensor(&format!("{scope}/beta"), &[d])?,
        })
    }
    /// A linear layer `[out, d]`; `scaled_rows` first rows (weights and bias) are multiplied
    /// by `scale`, which folds the attention's 1/√head_dim into the query projection.
    fn linear(
        &mut self,
        scope: &str,
        out: usize,
        d: usize,
        scaled: (usize, f32),
    ) -> Result<Linear, LoadError> {
        let (w, b) = self.linear_host(scope, out, d, scaled)?;
        let b = b
            .map(|b| Tensor::from_vec(b, out, &Device::Cpu))
            .transpose()?;
        Ok(Linear {
            w: Tensor::from_vec(w, (out, d), &Device::Cpu)?,
            b,
        })
    }
    fn half_linear(
        &mut self,
        scope: &str,
        out: usize,
        d: usize,
        scaled: (usize, f32),
    ) -> Result<HalfLinear, LoadError> {
        let (w, b) = self.linear_host(scope, out, d, scaled)?;
        Ok(HalfLinear {
            w: HalfMatrix::from_f32(out, d, &w),
            b,
        })
    }
    /// Weights `[out, d]` and bias of a linear layer, the first `scaled.0` rows multiplied by
    /// `scaled.1`.
    fn linear_host(
        &mut self,
        scope: &str,
        out: usize,
        d: usize,
        scaled: (usize, f32),
    ) -> Result<(Vec<f32>, Option<Vec<f32>>), LoadError> {
        let mut w = self.host(&format!("{scope}/weight"), &[out, d])?;
        w.data[..scaled.0 * d]
            .iter_mut()
            .for_each(|x| *x *= scaled.1);
        let bias_name = format!("{scope}/bias");
        let b = if self.tensors.contains_key(&bias_name) {
            let mut b = self.host(&bias_name, &[out])?;
            b.data[..scaled.0].iter_mut().for_each(|x| *x *= scaled.1);
            Some(b.data)
        } else {
            None
        };
        Ok((w.data, b))
    }
    fn count_layers(&self, prefix: &str) -> usize {
        (0..)
            .take_while(|i| {
                self.tensors
                    .contains_key(&format!("{prefix}/layer_{i}/ffn/linear_0/weight"))
            })
            .count()
    }
    fn heads(&self, name: &str, d: usize) -> Result<usize, LoadError> {
        // Every released Whisper uses 64-wide heads; files that do not store the count
        // (older layouts, Hugging Face without config) rely on that.
        let h = self.scalars.get(name).map_or(d / 64, |&h| h as usize);
        if h == 0 || !d.is_multiple_of(h) {
            return Err(LoadError::corrupt(
                &self.path,
                format!("{h} attention heads do not divide the width {d}"),
            ));
        }
        Ok(h)
    }
}

/// Reads the sizes from the weights' own shapes.
fn dims(src: &Source) -> Result<Dims, LoadError> {
    let conv1 = src.shape_of("encoder/conv1/weight")?.to_vec();
    let apos = src
        .shape_of("encoder/position_encodings/encodings")?
        .to_vec();
    let emb = src.shape_of("decoder/embeddings/weight")?.to_vec();
    let tpos = src
        .shape_of("decoder/position_encodings/encodings")?
        .to_vec();
    let bad = |what: &str| LoadError::corrupt(&src.path, format!("{what} has an unexpected shape"));
    if conv1.len() != 3 || conv1[2] != 3 {
        return Err(bad("the first convolution 'encoder/conv1/weight'"));
    }
    if apos.len() != 2 || emb.len() != 2 || tpos.len() != 2 {
        return Err(bad("a position or embedding table"));
    }
    let d = conv1[0];
    let dims = Dims {
        n_mels: conv1[1],
        n_audio_ctx: apos[0],
        d_model: d,
        n_audio_head: src.heads("encoder/num_heads", d)?,
        n_audio_layer: src.count_layers("encoder"),
        n_vocab: emb[0],
        n_text_ctx: tpos[0],
        n_text_head: src.heads("decoder/num_heads", d)?,
        n_text_layer: src.count_layers("decoder"),
    };
    if apos[1] != d || emb[1] != d || tpos[1] != d {
        return Err(bad("the encoder and decoder widths differ: a table"));
    }
    if dims.n_audio_layer == 0 || dims.n_text_layer == 0 {
        return Err(LoadError::corrupt(
            &src.path,
            "it has no encoder or no decoder layers",
        ));
    }
    Ok(dims)
}

/// Arranges and checks every weight of `src`.
pub(crate) fn build(mut src: Source) -> Result<Weights, LoadError> {
    let dims = dims(&src)?;
    let d = dims.d_model;
    let conv1 = (
        src.tensor("encoder/conv1/weight", &[d, dims.n_mels, 3])?,
        src.tensor("encoder/conv1/bias", &[d])?,
    );
    let conv2 = (
        src.tensor("encoder/conv2/weight", &[d, d, 3])?,
        src.tensor("encoder/conv2/bias", &[d])?,
    );
    let audio_pos = src.tensor(
        "encoder/position_encodings/encodings",
        &[dims.n_audio_ctx, d],
    )?;
    let q_scale = |heads: usize| (d, 1.0 / ((d / heads) as f32).sqrt());
    let mut encoder = Vec::new();
    for i in 0..dims.n_audio_layer {
        let s = format!("encoder/layer_{i}");
        encoder.push(EncoderLayer {
            attn_norm: src.norm(&format!("{s}/self_attention/layer_norm"), d)?,
            qkv: src.linear(
                &format!("{s}/self_attention/linear_0"),
                3 * d,
                d,
                q_scale(dims.n_audio_head),
            )?,
            attn_out: src.linear(&format!("{s}/self_attention/linear_1"), d, d, (0, 1.0))?,
            ffn_norm: src.norm(&format!("{s}/ffn/layer_norm"), d)?,
            fc1: ffn_linear(&mut src, &format!("{s}/ffn/linear_0"), d, true)?,
            fc2: ffn_linear(&mut src, &format!("{s}/ffn/linear_1"), d, false)?,
        });
    }
    let audio_norm = src.norm("encoder/layer_norm", d)?;
    let mut decoder = Vec::new();
    for i in 0..dims.n_text_layer {
        decoder.push(decoder_layer(&mut src, i, &dims)?);
    }
    let text_norm = src.norm("decoder/layer_norm", d)?;
    let vocab = |src: &mut Source, name: &str| -> Result<HalfMatrix, LoadError> {
        let h = src.host(name, &[dims.n_vocab, d])?;
        Ok(HalfMatrix::from_f32(dims.n_vocab, d, &h.data))
    };
    let embeddings = vocab(&mut src, "decoder/embeddings/weight")?;
    let text_pos = src.tensor(
        "decoder/position_encodings/encodings",
        &[dims.n_text_ctx, d],
    )?;
    let projection = match src.tensors.contains_key("decoder/projection/weight") {
        true => Some(vocab(&mut src, "decoder/projection/weight")?),
        false => None,
    };
    // CTranslate2's activation ids: 1 is the tanh GELU, 3 the exact one (Whisper's own).
    let exact_gelu = src
        .scalars
        .get("decoder/activation")
        .is_none_or(|&a| a != 1.0);
    Ok(Weights {
        dims,
        conv1,
        conv2,
        audio_pos,
        encoder,
        audio_norm,
        embeddings,
        text_pos,
        decoder,
        text_norm,
        projection,
        exact_gelu,
    })
}

/// The `(out, in)` sizes of a feed-forward layer, whose hidden width is read from the file.
fn ffn_sizes(
    src: &Source,
    scope: &str,
    d: usize,
    first: bool,
) -> Result<(usize, usize), LoadError> {
    let shape = src.shape_of(&format!("{scope}/weight"))?;
    let hidden = if first {
        shape[0]
    } else {
        *shape.last().unwrap_or(&0)
    };
    Ok(if first { (hidden, d) } else { (d, hidden) })
}

fn ffn_linear(src: &mut Source, scope: &str, d: usize, first: bool) -> Result<Linear, LoadError> {
    let (out, inp) = ffn_sizes(src, scope, d, first)?;
    src.linear(scope, out, inp, (0, 1.0))
}

fn ffn_half_linear(
    src: &mut Source,
    scope: &str,
    d: usize,
    first: bool,
) -> Result<HalfLinear, LoadError> {
    let (out, inp) = ffn_sizes(src, scope, d, first)?;
    src.half_linear(scope, out, inp, (0, 1.0))
}

fn decoder_layer(src: &mut Source, i: usize, dims: &Dims) -> Result<DecoderLayer, LoadError> {
    let d = dims.d_model;
    let s = format!("decoder/layer_{i}");
    let q = (d, 1.0 / ((d / dims.n_text_head) as f32).sqrt());
    Ok(DecoderLayer {
        self_norm: src.norm(&format!("{s}/self_attention/layer_norm"), d)?,
        self_qkv: src.half_linear(&format!("{s}/self_attention/linear_0"), 3 * d, d, q)?,
        self_out: src.half_linear(&format!("{s}/self_attention/linear_1"), d, d, (0, 1.0))?,
        cross_norm: src.norm(&format!("{s}/attention/layer_norm"), d)?,
        cross_q: src.half_linear(&format!("{s}/attention/linear_0"), d, d, q)?,
        cross_kv: src.linear(&format!("{s}/attention/linear_1"), 2 * d, d, (0, 1.0))?,
        cross_out: src.half_linear(&format!("{s}/attention/linear_2"), d, d, (0, 1.0))?,
        ffn_norm: src.norm(&format!("{s}/ffn/layer_norm"), d)?,
        fc1: ffn_half_linear(src, &format!("{s}/ffn/linear_0"), d, true)?,
        fc2: ffn_half_linear(src, &format!("{s}/ffn/linear_1"), d, false)?,
    })
}
