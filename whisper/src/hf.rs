//! Reading a Hugging Face Whisper folder (`model.safetensors`, `config.json`) into the
//! CTranslate2 layout that [`crate::weights`] arranges: queries, keys and values fused,
//! `weight`/`bias` norms renamed `gamma`/`beta`.
//!
//! The safetensors file is read one tensor at a time (an 8-byte header length, a JSON header
//! of names, dtypes, shapes and byte ranges, then the data), so loading needs no more memory
//! than the `f32` weights themselves.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use crate::error::LoadError;
use crate::weights::{HostTensor, Source};

/// Guards against a damaged header length.
const MAX_HEADER: u64 = 100 << 20;

/// Reads `model.safetensors` and renames its tensors; `heads` are the encoder and decoder
/// attention head counts from `config.json`, when it has them.
pub(crate) fn read(
    path: &Path,
    heads: (Option<usize>, Option<usize>),
) -> Result<Source, LoadError> {
    let raw = read_safetensors(path)?;
    let mut hf: HashMap<String, HostTensor> = raw
        .into_iter()
        .map(|(k, v)| (k.strip_prefix("model.").map(str::to_owned).unwrap_or(k), v))
        .collect();
    let mut out = HashMap::new();
    let mut take = |hf: &mut HashMap<String, HostTensor>, from: &str, to: &str| {
        if let Some(t) = hf.remove(from) {
            out.insert(to.to_owned(), t);
        }
    };
    for side in ["encoder", "decoder"] {
        take(
            &mut hf,
            &format!("{side}.embed_positions.weight"),
            &format!("{side}/position_encodings/encodings"),
        );
        take(
            &mut hf,
            &format!("{side}.layer_norm.weight"),
            &format!("{side}/layer_norm/gamma"),
        );
        take(
            &mut hf,
            &format!("{side}.layer_norm.bias"),
            &format!("{side}/layer_norm/beta"),
        );
    }
    for conv in ["conv1", "conv2"] {
        for p in ["weight", "bias"] {
            take(
                &mut hf,
                &format!("encoder.{conv}.{p}"),
                &format!("encoder/{conv}/{p}"),
            );
        }
    }
    take(
        &mut hf,
        "decoder.embed_tokens.weight",
        "decoder/embeddings/weight",
    );
    take(&mut hf, "proj_out.weight", "decoder/projection/weight");
    for i in 0.. {
        let (e, d) = (format!("encoder.layers.{i}"), format!("decoder.layers.{i}"));
        let found = hf
            .keys()
            .any(|k| k.starts_with(&format!("{e}.")) || k.starts_with(&format!("{d}.")));
        if !found {
            break;
        }
        layer(&mut hf, &mut out, &e, &format!("encoder/layer_{i}"), false);
        layer(&mut hf, &mut out, &d, &format!("decoder/layer_{i}"), true);
    }
    drop_tied_projection(&mut out);
    let mut scalars = HashMap::new();
    if let Some(h) = heads.0 {
        scalars.insert("encoder/num_heads".to_owned(), h as f64);
    }
    if let Some(h) = heads.1 {
        scalars.insert("decoder/num_heads".to_owned(), h as f64);
    }
    Ok(Source {
        path: path.to_path_buf(),
        tensors: out,
        scalars,
    })
}

/// Renames one layer's tensors; `decoder` layers also have the attention over the audio.
fn layer(
    hf: &mut HashMap<String, HostTensor>,
    out: &mut HashMap<String, HostTensor>,
    from: &str,
    to: &str,
    decoder: bool,
) {
    let mut mv = |a: &str, b: &str| {
        if let Some(t) = hf.remove(&format!("{from}.{a}")) {
            out.insert(format!("{to}/{b}"), t);
        }
    };
    mv(
        "self_attn.out_proj.weight",
        "self_attention/linear_1/weight",
    );
    mv("self_attn.out_proj.bias", "self_attention/linear_1/bias");
    mv(
        "self_attn_layer_norm.weight",
        "self_attention/layer_norm/gamma",
    );
    mv(
        "self_attn_layer_norm.bias",
        "self_attention/layer_norm/beta",
    );
    mv("fc1.weight", "ffn/linear_0/weight");
    mv("fc1.bias", "ffn/linear_0/bias");
    mv("fc2.weight", "ffn/linear_1/weight");
    mv("fc2.bias", "ffn/linear_1/bias");
    mv("final_layer_norm.weight", "ffn/layer_norm/gamma");
    mv("final_layer_norm.bias", "ffn/layer_norm/beta");
    if decoder {
        mv("encoder_attn.out_proj.weight", "attention/linear_2/weight");
        mv("encoder_attn.out_proj.bias", "attention/linear_2/bias");
        mv(
            "encoder_attn_layer_norm.weight",
            "attention/layer_norm/gamma",
        );
        mv("encoder_attn_layer_norm.bias", "attention/layer_norm/beta");
        fuse(
            hf,
            out,
            &format!("{from}.encoder_attn"),
            &["q"],
            &format!("{to}/attention/linear_0"),
        );
        fuse(
            hf,
            out,
            &format!("{from}.encoder_attn"),
            &["k", "v"],
            &format!("{to}/attention/linear_1"),
        );
    }
    fuse(
        hf,
        out,
        &format!("{from}.self_attn"),
        &["q", "k", "v"],
        &format!("{to}/self_attention/linear_0"),
    );
}

/// Stacks the `parts` projections of `from` (`q_proj` …) into one; Whisper's key projection
/// has no bias, so a zero bias stands in for it.
fn fuse(
    hf: &mut HashMap<String, HostTensor>,
    out: &mut HashMap<String, HostTensor>,
    from: &str,
    parts: &[&str],
    to: &str,
) {
    let ws: Vec<HostTensor> = parts
        .iter()
        .filter_map(|p| hf.remove(&format!("{from}.{p}_proj.weight")))
        .collect();
    if ws.len() != parts.len() {
        return; // Reported as a missing weight by the caller's shape checks.
    }
    let rows: Vec<usize> = ws.iter().map(|w| w.shape[0]).collect();
    let cols = ws[0].shape.get(1).copied().unwrap_or(0);
    let mut bias = Vec::new();
    for (p, &r) in parts.iter().zip(&rows) {
        match hf.remove(&format!("{from}.{p}_proj.bias")) {
            Some(b) => bias.extend(b.data),
            None => bias.extend(std::iter::repeat_n(0.0, r)),
        }
    }
    let data = ws.into_iter().flat_map(|w| w.data).collect();
    let total: usize = rows.iter().sum();
    out.insert(
        format!("{to}/weight"),
        HostTensor {
            shape: vec![total, cols],
            data,
        },
    );
    out.insert(
        format!("{to}/bias"),
        HostTensor {
            shape: vec![total],
            data: bias,
        },
    );
}

/// A saved `proj_out` equal to the embeddings is the usual tied projection: drop the copy.
fn drop_tied_projection(out: &mut HashMap<String, HostTensor>) {
    let tied = matches!(
        (out.get("decoder/projection/weight"), out.get("decoder/embeddings/weight")),
        (Some(p), Some(e)) if p.shape == e.shape && p.data == e.data
    );
    if tied {
        out.remove("decoder/projection/weight");
    }
}

/// Every tensor of a safetensors file, converted to `f32`.
fn read_safetensors(path: &Path) -> Result<HashMap<String, HostTensor>, LoadError> {
    let mut f = File::open(path).map_err(|e| LoadError::io(path, e))?;
    let len = f.metadata().map_err(|e| LoadError::io(path, e))?.len();
    let bad = |why: String| LoadError::corrupt(path, why);
    let mut n = [0u8; 8];
    f.read_exact(&mut n)
        .map_err(|_| bad("the file is too short to be a safetensors file".into()))?;
    let header_len = u64::from_le_bytes(n);
    if header_len > MAX_HEADER || 8 + header_len > len {
        return Err(bad(
            "the header length is impossible (not a safetensors file, or truncated)".into(),
        ));
    }
    let mut header = vec![0u8; header_len as usize];
    f.read_exact(&mut header)
        .map_err(|e| LoadError::io(path, e))?;
    let header: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&header)
        .map_err(|e| bad(format!("the header is not JSON ({e})")))?;
    let base = 8 + header_len;
    let mut out = HashMap::new();
    let mut buf = Vec::new();
    for (name, info) in header {
        if name == "__metadata__" {
            continue;
        }
        let t = read_one(&mut f, &name, &info, base, len, &mut buf).map_err(bad)?;
        out.insert(name, t);
    }
    Ok(out)
}

/// Reads tensor `name` described by header entry `info`; errors are plain reasons.
fn read_one(
    f: &mut File,
    name: &str,
    info: &serde_json::Value,
    base: u64,
    len: u64,
    buf: &mut Vec<u8>,
) -> Result<HostTensor, String> {
    let dtype = info.get("dtype").and_then(|d| d.as_str()).unwrap_or("");
    let shape: Vec<usize> = info
        .get("shape")
        .and_then(|s| s.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_u64().map(|x| x as usize))
                .collect()
        })
        .unwrap_or_default();
    let offs: Vec<u64> = info
        .get("data_offsets")
        .and_then(|s| s.as_array())
        .map(|a| a.iter().filter_map(|x| x.as_u64()).collect())
        .unwrap_or_default();
    let item = match dtype {
        "F32" => 4,
        "F16" | "BF16" => 2,
        other => {
            return Err(format!(
                "the tensor '{name}' has data type '{other}' (expected F32, F16 or BF16)"
            ));
        }
    };
    let count: usize = shape.iter().product();
    if offs.len() != 2 || offs[1] < offs[0] || (offs[1] - offs[0]) as usize != count * item {
        return Err(format!(
            "the tensor '{name}' has byte range {offs:?} that does not fit its shape {shape:?}"
        ));
    }
    if base + offs[1] > len {
        return Err(format!("the file is truncated inside the tensor '{name}'"));
    }
    buf.resize(count * item, 0);
    f.seek(SeekFrom::Start(base + offs[0]))
        .map_err(|e| e.to_string())?;
    f.read_exact(buf).map_err(|e| e.to_string())?;
    let data = match dtype {
        "F32" => buf
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
        "F16" => buf
            .chunks_exact(2)
            .map(|c| half::f16::from_le_bytes([c[0], c[1]]).to_f32())
            .collect(),
        _ => buf
            .chunks_exact(2)
            .map(|c| half::bf16::from_le_bytes([c[0], c[1]]).to_f32())
            .collect(),
    };
    Ok(HostTensor { shape, data })
}
