//! Tiny random Whisper models written in both folder formats, for the unit tests.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// Width, heads, feed-forward width, mel bands, text positions of the tiny model.
pub const D: usize = 8;
pub const HEADS: usize = 2;
pub const FFN: usize = 16;
pub const MELS: usize = 4;
pub const TEXT_CTX: usize = 16;
/// Byte tokens, then these, then 50 timestamps.
pub const SPECIALS: &[&str] = &[
    "<|endoftext|>",
    "<|startoftranscript|>",
    "<|en|>",
    "<|fr|>",
    "<|translate|>",
    "<|transcribe|>",
    "<|startoflm|>",
    "<|startofprev|>",
    "<|nocaptions|>",
    "<|notimestamps|>",
];
pub const VOCAB: usize = 256 + 10 + 50;

/// Deterministic values in −0.5..0.5.
pub struct Values(u64);
impl Values {
    pub fn new(seed: u64) -> Values {
        Values(seed)
    }
    pub fn take(&mut self, n: usize, scale: f32) -> Vec<f32> {
        (0..n)
            .map(|_| {
                self.0 = self
                    .0
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (((self.0 >> 33) as f64 / (1u64 << 31) as f64) as f32 - 0.5) * scale
            })
            .collect()
    }
}

pub type Vars = BTreeMap<String, (Vec<usize>, Vec<f32>)>;
/// Receives a Hugging Face tensor: name, shape, values.
type AddTensor<'a> = &'a mut dyn FnMut(String, &[usize], &[f32]);

fn put(v: &mut Vars, r: &mut Values, name: &str, shape: &[usize], scale: f32, offset: f32) {
    let n = shape.iter().product();
    let data = r.take(n, scale).into_iter().map(|x| x + offset).collect();
    v.insert(name.to_owned(), (shape.to_vec(), data));
}

fn linear(v: &mut Vars, r: &mut Values, scope: &str, out: usize, inp: usize) {
    put(v, r, &format!("{scope}/weight"), &[out, inp], 0.6, 0.0);
    put(v, r, &format!("{scope}/bias"), &[out], 0.2, 0.0);
}

fn norm(v: &mut Vars, r: &mut Values, scope: &str) {
    put(v, r, &format!("{scope}/gamma"), &[D], 0.2, 1.0);
    put(v, r, &format!("{scope}/beta"), &[D], 0.2, 0.0);
}

/// The tiny model's variables under CTranslate2 names; key biases are zero, as in Whisper.
pub fn tiny_vars() -> Vars {
    let (mut v, mut r) = (Vars::new(), Values::new(7));
    put(
        &mut v,
        &mut r,
        "encoder/conv1/weight",
        &[D, MELS, 3],
        0.6,
        0.0,
    );
    put(&mut v, &mut r, "encoder/conv1/bias", &[D], 0.2, 0.0);
    put(&mut v, &mut r, "encoder/conv2/weight", &[D, D, 3], 0.6, 0.0);
    put(&mut v, &mut r, "encoder/conv2/bias", &[D], 0.2, 0.0);
    put(
        &mut v,
        &mut r,
        "encoder/position_encodings/encodings",
        &[1500, D],
        0.4,
        0.0,
    );
    put(
        &mut v,
        &mut r,
        "decoder/position_encodings/encodings",
        &[TEXT_CTX, D],
        0.4,
        0.0,
    );
    put(
        &mut v,
        &mut r,
        "decoder/embeddings/weight",
        &[VOCAB, D],
        1.0,
        0.0,
    );
    norm(&mut v, &mut r, "encoder/layer_norm");
    norm(&mut v, &mut r, "decoder/layer_norm");
    for side in ["encoder", "decoder"] {
        let s = format!("{side}/layer_0");
        norm(&mut v, &mut r, &format!("{s}/self_attention/layer_norm"));
        linear(
            &mut v,
            &mut r,
            &format!("{s}/self_attention/linear_0"),
            3 * D,
            D,
        );
        linear(
            &mut v,
            &mut r,
            &format!("{s}/self_attention/linear_1"),
            D,
            D,
        );
        norm(&mut v, &mut r, &format!("{s}/ffn/layer_norm"));
        linear(&mut v, &mut r, &format!("{s}/ffn/linear_0"), FFN, D);
        linear(&mut v, &mut r, &format!("{s}/ffn/linear_1"), D, FFN);
        if side == "decoder" {
            norm(&mut v, &mut r, &format!("{s}/attention/layer_norm"));
            linear(&mut v, &mut r, &format!("{s}/attention/linear_0"), D, D);
            linear(&mut v, &mut r, &format!("{s}/attention/linear_1"), 2 * D, D);
            linear(&mut v, &mut r, &format!("{s}/attention/linear_2"), D, D);
        }
        let b = &mut v
            .get_mut(&format!("{s}/self_attention/linear_0/bias"))
            .unwrap()
            .1;
        b[D..2 * D].iter_mut().for_each(|x| *x = 0.0);
    }
    let b = &mut v
        .get_mut("decoder/layer_0/attention/linear_1/bias")
        .unwrap()
        .1;
    b[..D].iter_mut().for_each(|x| *x = 0.0);
    v
}

/// Token spellings of the tiny vocabulary (byte-level, as GPT-2 spells them).
pub fn tiny_tokens() -> Vec<String> {
    let mut t: Vec<String> = (0..=255u8)
        .map(|b| {
            let printable = (b'!'..=b'~').contains(&b) || (0xA1..=0xAC).contains(&b) || b >= 0xAE;
            let extra = (0..b)
                .filter(|&x| {
                    !((b'!'..=b'~').contains(&x) || (0xA1..=0xAC).contains(&x) || x >= 0xAE)
                })
                .count() as u32;
            if printable {
                char::from(b).to_string()
            } else {
                char::from_u32(256 + extra).unwrap().to_string()
            }
        })
        .collect();
    t.extend(SPECIALS.iter().map(|s| s.to_string()));
    t.extend((0..50).map(|i| format!("<|{:.2}|>", i as f64 * 0.02)));
    t
}

/// How the CTranslate2 writer stores matrices.
#[derive(Clone, Copy, PartialEq)]
pub enum Store {
    F32,
    F16,
    Int8,
}

fn string(f: &mut Vec<u8>, s: &str) {
    f.extend_from_slice(&((s.len() + 1) as u16).to_le_bytes());
    f.extend_from_slice(s.as_bytes());
    f.push(0);
}

fn variable(f: &mut Vec<u8>, name: &str, shape: &[usize], dtype: u8, bytes: &[u8]) {
    string(f, name);
    f.push(shape.len() as u8);
    for d in shape {
        f.extend_from_slice(&(*d as u32).to_le_bytes());
    }
    f.push(dtype);
    f.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    f.extend_from_slice(bytes);
}

/// The bytes of a CTranslate2 `model.bin` holding `vars`.
pub fn ct2_bytes(vars: &Vars, store: Store) -> Vec<u8> {
    let mut all: Vars = vars.clone();
    let mut scales = BTreeMap::new();
    let mut f = Vec::new();
    f.extend_from_slice(&6u32.to_le_bytes());
    string(&mut f, "WhisperSpec");
    f.extend_from_slice(&3u32.to_le_bytes());
    for (name, (shape, data)) in all.iter_mut() {
        if store == Store::Int8
            && name.ends_with("weight")
            && !name.contains("embeddings")
            && shape.len() >= 2
        {
            let row = data.len() / shape[0];
            let s: Vec<f32> = data
                .chunks(row)
                .map(|c| 127.0 / c.iter().fold(1e-6f32, |m, x| m.max(x.abs())))
                .collect();
            scales.insert(format!("{name}_scale"), s);
        }
    }
    let count = all.len() + scales.len() + 2;
    f.extend_from_slice(&(count as u32).to_le_bytes());
    let mut names: Vec<String> = all.keys().chain(scales.keys()).cloned().collect();
    names.extend([
        "decoder/num_heads".to_owned(),
        "encoder/num_heads".to_owned(),
    ]);
    names.sort();
    for name in names {
        if name.ends_with("num_heads") {
            variable(&mut f, &name, &[], 2, &(HEADS as i16).to_le_bytes());
        } else if let Some(s) = scales.get(&name) {
            variable(
                &mut f,
                &name,
                &[s.len()],
                0,
                &s.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<_>>(),
            );
        } else {
            let (shape, data) = &all[&name];
            match scales.get(&format!("{name}_scale")) {
                Some(s) => {
                    let row = data.len() / shape[0];
                    let q: Vec<u8> = data
                        .iter()
                        .enumerate()
                        .map(|(i, x)| (x * s[i / row]).round() as i8 as u8)
                        .collect();
                    variable(&mut f, &name, shape, 1, &q);
                }
                None if store == Store::F32 => variable(
                    &mut f,
                    &name,
                    shape,
                    0,
                    &data
                        .iter()
                        .flat_map(|x| x.to_le_bytes())
                        .collect::<Vec<_>>(),
                ),
                None => variable(
                    &mut f,
                    &name,
                    shape,
                    4,
                    &data
                        .iter()
                        .flat_map(|x| half::f16::from_f32(*x).to_le_bytes())
                        .collect::<Vec<_>>(),
                ),
            }
        }
    }
    f.extend_from_slice(&1u32.to_le_bytes());
    string(&mut f, "decoder/projection/weight");
    string(&mut f, "decoder/embeddings/weight");
    f
}

/// Writes a complete CTranslate2 folder of the tiny model into `dir`.
pub fn write_ct2(dir: &Path, store: Store) {
    std::fs::write(dir.join("model.bin"), ct2_bytes(&tiny_vars(), store)).unwrap();
    std::fs::write(dir.join("vocabulary.txt"), tiny_tokens().join("\n")).unwrap();
    std::fs::write(
        dir.join("config.json"),
        r#"{"suppress_ids": [1, 2], "suppress_ids_begin": [32, 256], "lang_ids": [258, 259]}"#,
    )
    .unwrap();
}

/// The Hugging Face name of a CTranslate2 variable; fused projections keep their CTranslate2
/// part (`self_attention.linear_0`) for [`write_hf`] to split.
fn hf_name(name: &str) -> String {
    let hf = name
        .replace("encoder/conv1/", "model.encoder.conv1.")
        .replace("encoder/conv2/", "model.encoder.conv2.")
        .replace("/position_encodings/encodings", ".embed_positions.weight")
        .replace(
            "decoder/embeddings/weight",
            "model.decoder.embed_tokens.weight",
        )
        .replace("/layer_0/", ".layers.0.")
        .replace("self_attention/layer_norm", "self_attn_layer_norm")
        .replace("attention/layer_norm", "encoder_attn_layer_norm")
        .replace("ffn/layer_norm", "final_layer_norm")
        .replace("ffn/linear_0", "fc1")
        .replace("ffn/linear_1", "fc2")
        .replace("self_attention/linear_1", "self_attn.out_proj")
        .replace("attention/linear_2", "encoder_attn.out_proj")
        .replace("/gamma", ".weight")
        .replace("/beta", ".bias")
        .replace("/weight", ".weight")
        .replace("/bias", ".bias")
        .replace('/', ".");
    if hf.starts_with("model.") {
        hf
    } else {
        format!("model.{hf}")
    }
}

/// Writes the same model as a Hugging Face folder (split projections, F32 safetensors).
pub fn write_hf(dir: &Path) {
    let v = tiny_vars();
    let mut t: Vec<(String, Vec<usize>, Vec<f32>)> = Vec::new();
    let mut add = |n: String, s: &[usize], d: &[f32]| t.push((n, s.to_vec(), d.to_vec()));
    for (name, (shape, data)) in &v {
        let hf = hf_name(name);
        let split = |hf: &str, parts: &[&str], add: AddTensor| {
            let (base, kind) = hf.rsplit_once('.').unwrap();
            let base = base.rsplit_once('.').unwrap().0;
            let rows = shape[0] / parts.len();
            let cols = data.len() / shape[0];
            for (i, p) in parts.iter().enumerate() {
                if kind == "bias" && *p == "k" {
                    continue;
                }
                let s = if kind == "weight" {
                    vec![rows, cols]
                } else {
                    vec![rows]
                };
                add(
                    format!("{base}.{p}_proj.{kind}"),
                    &s,
                    &data[i * rows * cols..(i + 1) * rows * cols],
                );
            }
        };
        if hf.contains("self_attention.linear_0") {
            split(
                &hf.replace("self_attention", "self_attn"),
                &["q", "k", "v"],
                &mut add,
            );
        } else if hf.contains("attention.linear_0") {
            split(&hf.replace("attention", "encoder_attn"), &["q"], &mut add);
        } else if hf.contains("attention.linear_1") {
            split(
                &hf.replace("attention", "encoder_attn"),
                &["k", "v"],
                &mut add,
            );
        } else {
            add(hf, shape, data);
        }
    }
    let mut header = serde_json::Map::new();
    let mut body = Vec::new();
    for (n, s, d) in &t {
        let start = body.len();
        body.extend(d.iter().flat_map(|x| x.to_le_bytes()));
        header.insert(
            n.clone(),
            serde_json::json!({"dtype": "F32", "shape": s, "data_offsets": [start, body.len()]}),
        );
    }
    let h = serde_json::to_vec(&header).unwrap();
    let mut f = std::fs::File::create(dir.join("model.safetensors")).unwrap();
    f.write_all(&(h.len() as u64).to_le_bytes()).unwrap();
    f.write_all(&h).unwrap();
    f.write_all(&body).unwrap();
    let vocab: serde_json::Map<String, serde_json::Value> = tiny_tokens()
        .into_iter()
        .take(256)
        .enumerate()
        .map(|(i, t)| (t, i.into()))
        .collect();
    let added: Vec<serde_json::Value> = SPECIALS
        .iter()
        .enumerate()
        .map(|(i, s)| serde_json::json!({"id": 256 + i, "content": s, "special": true}))
        .collect();
    std::fs::write(
        dir.join("tokenizer.json"),
        serde_json::json!({"model": {"vocab": vocab}, "added_tokens": added}).to_string(),
    )
    .unwrap();
    std::fs::write(dir.join("config.json"), r#"{"encoder_attention_heads": 2, "decoder_attention_heads": 2, "suppress_tokens": [1, 2], "begin_suppress_tokens": [32, 256]}"#).unwrap();
}
