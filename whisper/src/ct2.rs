//! Reading a CTranslate2 `model.bin` (the format faster-whisper downloads).
//!
//! The file is little-endian: `u32` format version, the spec name (`u16` length counting a
//! final NUL, then the bytes), `u32` spec revision, `u32` variable count, then each variable
//! as name, `u8` rank, `u32` dims, `u8` dtype id, `u32` byte count and the raw data, in
//! alphabetical order of names; last a `u32` alias count and (alias, target) name pairs.
//! Quantised weights (`int8`, `int16`) come with a `…_scale` variable: the stored value is the
//! weight times the scale, so dequantising divides by it.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use crate::error::LoadError;
use crate::weights::HostTensor;

/// Format versions this reader understands (the dtype id field appeared in version 4).
const VERSIONS: std::ops::RangeInclusive<u32> = 4..=6;
/// Spec revisions of `WhisperSpec` known to share the layout read here.
const MAX_REVISION: u32 = 3;
/// Guards against reading a huge count from a damaged header.
const MAX_VARIABLES: u32 = 100_000;

/// The variables of a `model.bin`, dequantised to `f32`.
pub(crate) struct Ct2Weights {
    /// Tensors by their CTranslate2 name (`encoder/conv1/weight` …), aliases resolved.
    pub tensors: HashMap<String, HostTensor>,
    /// Rank-0 variables (`encoder/num_heads`, `decoder/activation` …) as numbers.
    pub scalars: HashMap<String, f64>,
}

/// A variable as stored, before dequantisation.
enum Raw {
    Float(Vec<f32>),
    Int8(Vec<i8>),
    Int16(Vec<i16>),
    Int32(Vec<i32>),
}

/// Byte reader that knows where it is, to say where a truncated file ends.
struct Reader {
    inner: BufReader<File>,
    path: PathBuf,
    pos: u64,
    len: u64,
}

impl Reader {
    fn bytes(&mut self, buf: &mut [u8], what: &str) -> Result<(), LoadError> {
        let left = self.len.saturating_sub(self.pos);
        if (buf.len() as u64) > left {
            return Err(LoadError::corrupt(
                &self.path,
                format!(
                    "the file is truncated: it ends {left} bytes into {what}, which needs {} \
                     bytes (file size {} bytes; download the model again)",
                    buf.len(),
                    self.len
                ),
            ));
        }
        self.inner
            .read_exact(buf)
            .map_err(|e| LoadError::io(&self.path, e))?;
        self.pos += buf.len() as u64;
        Ok(())
    }
    fn u8(&mut self, what: &str) -> Result<u8, LoadError> {
        let mut b = [0u8; 1];
        self.bytes(&mut b, what)?;
        Ok(b[0])
    }
    fn u16(&mut self, what: &str) -> Result<u16, LoadError> {
        let mut b = [0u8; 2];
        self.bytes(&mut b, what)?;
        Ok(u16::from_le_bytes(b))
    }
    fn u32(&mut self, what: &str) -> Result<u32, LoadError> {
        let mut b = [0u8; 4];
        self.bytes(&mut b, what)?;
        Ok(u32::from_le_bytes(b))
    }
    /// A string: `u16` length including a final NUL, then the bytes.
    fn string(&mut self, what: &str) -> Result<String, LoadError> {
        let n = self.u16(what)? as usize;
        if n == 0 {
            return Err(self.corrupt(format!("{what} has a zero length")));
        }
        let mut b = vec![0u8; n];
        self.bytes(&mut b, what)?;
        b.pop();
        String::from_utf8(b).map_err(|_| self.corrupt(format!("{what} is not UTF-8 text")))
    }
    fn corrupt(&self, reason: String) -> LoadError {
        LoadError::corrupt(&self.path, reason)
    }
}

/// Reads and dequantises `path`. Refuses other specs than `WhisperSpec`.
pub(crate) fn read(path: &Path) -> Result<Ct2Weights, LoadError> {
    let file = File::open(path).map_err(|e| LoadError::io(path, e))?;
    let len = file.metadata().map_err(|e| LoadError::io(path, e))?.len();
    let mut r = Reader {
        inner: BufReader::with_capacity(1 << 20, file),
        path: path.to_path_buf(),
        pos: 0,
        len,
    };
    read_header(&mut r)?;
    let count = r.u32("the variable count")?;
    if count > MAX_VARIABLES {
        return Err(r.corrupt(format!(
            "it claims {count} variables, more than any model has"
        )));
    }
    let mut raw = HashMap::new();
    let mut scalars = HashMap::new();
    let mut buf = Vec::new();
    for i in 0..count {
        let name = r.string(&format!("the name of variable {}", i + 1))?;
        let (shape, value) = read_variable(&mut r, &name, &mut buf)?;
        // A scalar scale (int16 weights) stays with the tensors that need it.
        if shape.is_empty() && !name.ends_with("_scale") {
            scalars.insert(name, scalar(&value));
        } else {
            raw.insert(name, (shape, value));
        }
    }
    let aliases = read_aliases(&mut r)?;
    let mut tensors = dequantise(&r, raw)?;
    for (alias, target) in aliases {
        // The output projection is tied to the embeddings in every Whisper: leaving the alias
        // out makes the decoder use the embeddings, instead of a 100 MB copy of them.
        if alias == "decoder/projection/weight" && target == "decoder/embeddings/weight" {
            continue;
        }
        let t = tensors.get(&target).cloned().ok_or_else(|| {
            r.corrupt(format!(
                "the alias '{alias}' points to '{target}', which is not in the file"
            ))
        })?;
        tensors.insert(alias, t);
    }
    Ok(Ct2Weights { tensors, scalars })
}

/// Checks the format version, the spec name and its revision.
fn read_header(r: &mut Reader) -> Result<(), LoadError> {
    let mut magic = [0u8; 4];
    r.bytes(&mut magic, "the format version")?;
    let version = u32::from_le_bytes(magic);
    if !VERSIONS.contains(&version) {
        return Err(if version > 0 && version < 1000 {
            LoadError::Unsupported {
                path: r.path.clone(),
                reason: format!(
                    "CTranslate2 format version {version}; this reader knows versions {} to {}",
                    VERSIONS.start(),
                    VERSIONS.end()
                ),
            }
        } else {
            r.corrupt("it does not start like a CTranslate2 model (bad format version)".into())
        });
    }
    let spec = r.string("the model kind")?;
    if spec != "WhisperSpec" {
        return Err(LoadError::Unsupported {
            path: r.path.clone(),
            reason: format!("it holds a '{spec}' model, not a Whisper model"),
        });
    }
    let revision = r.u32("the spec revision")?;
    if revision > MAX_REVISION {
        return Err(LoadError::Unsupported {
            path: r.path.clone(),
            reason: format!("Whisper layout revision {revision}; this reader knows up to 3"),
        });
    }
    Ok(())
}

/// Reads one variable's shape and data; `buf` is reused between variables.
fn read_variable(
    r: &mut Reader,
    name: &str,
    buf: &mut Vec<u8>,
) -> Result<(Vec<usize>, Raw), LoadError> {
    let what = format!("variable '{name}'");
    let rank = r.u8(&what)? as usize;
    if rank > 8 {
        return Err(r.corrupt(format!("{what} has rank {rank}")));
    }
    let mut shape = Vec::with_capacity(rank);
    for _ in 0..rank {
        shape.push(r.u32(&what)? as usize);
    }
    let dtype = r.u8(&what)?;
    let size = r.u32(&what)? as usize;
    let item = match dtype {
        0 | 3 => 4,
        1 => 1,
        2 | 4 | 5 => 2,
        other => return Err(r.corrupt(format!("{what} has an unknown data type id {other}"))),
    };
    let count: usize = shape.iter().product();
    if count.checked_mul(item) != Some(size) {
        return Err(r.corrupt(format!(
            "{what} has {size} bytes of data, but its shape {shape:?} needs {}",
            count.saturating_mul(item)
        )));
    }
    buf.resize(size, 0);
    r.bytes(buf, &format!("the data of {what}"))?;
    Ok((shape, convert(dtype, buf)))
}

/// Decodes little-endian data of CTranslate2 dtype `id` (see `types.h`).
fn convert(id: u8, b: &[u8]) -> Raw {
    match id {
        0 => Raw::Float(
            b.chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        ),
        1 => Raw::Int8(b.iter().map(|&x| x as i8).collect()),
        2 => Raw::Int16(
            b.chunks_exact(2)
                .map(|c| i16::from_le_bytes([c[0], c[1]]))
                .collect(),
        ),
        3 => Raw::Int32(
            b.chunks_exact(4)
                .map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        ),
        4 => Raw::Float(
            b.chunks_exact(2)
                .map(|c| half::f16::from_le_bytes([c[0], c[1]]).to_f32())
                .collect(),
        ),
        _ => Raw::Float(
            b.chunks_exact(2)
                .map(|c| half::bf16::from_le_bytes([c[0], c[1]]).to_f32())
                .collect(),
        ),
    }
}

/// The single value of a rank-0 variable.
fn scalar(v: &Raw) -> f64 {
    match v {
        Raw::Float(x) => x.first().copied().unwrap_or(0.0) as f64,
        Raw::Int8(x) => x.first().copied().unwrap_or(0) as f64,
        Raw::Int16(x) => x.first().copied().unwrap_or(0) as f64,
        Raw::Int32(x) => x.first().copied().unwrap_or(0) as f64,
    }
}

/// Reads the trailing (alias, target) pairs.
fn read_aliases(r: &mut Reader) -> Result<Vec<(String, String)>, LoadError> {
    let n = r.u32("the alias count")?;
    if n > MAX_VARIABLES {
        return Err(r.corrupt(format!("it claims {n} aliases")));
    }
    let mut out = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let alias = r.string("an alias name")?;
        let target = r.string("an alias target")?;
        out.push((alias, target));
    }
    Ok(out)
}

/// Turns every tensor into `f32`, dividing quantised ones by their `…_scale` (per output row
/// for `int8`, one number for `int16`). Scale variables themselves are consumed.
fn dequantise(
    r: &Reader,
    mut raw: HashMap<String, (Vec<usize>, Raw)>,
) -> Result<HashMap<String, HostTensor>, LoadError> {
    let names: Vec<String> = raw
        .keys()
        .filter(|n| !n.ends_with("_scale"))
        .cloned()
        .collect();
    let mut out = HashMap::with_capacity(names.len());
    for name in names {
        let (shape, value) = raw.remove(&name).expect("listed above");
        let data = match value {
            Raw::Float(v) => v,
            Raw::Int32(v) => v.into_iter().map(|x| x as f32).collect(),
            Raw::Int8(q) => {
                let scale = take_scale(r, &mut raw, &name)?;
                per_row(r, &name, q.into_iter().map(|x| x as f32).collect(), &scale)?
            }
            Raw::Int16(q) => {
                let scale = take_scale(r, &mut raw, &name)?;
                per_row(r, &name, q.into_iter().map(|x| x as f32).collect(), &scale)?
            }
        };
        out.insert(name, HostTensor { shape, data });
    }
    Ok(out)
}

/// Removes and returns the scale of quantised variable `name`, as `f32`.
fn take_scale(
    r: &Reader,
    raw: &mut HashMap<String, (Vec<usize>, Raw)>,
    name: &str,
) -> Result<Vec<f32>, LoadError> {
    match raw.remove(&format!("{name}_scale")) {
        Some((_, Raw::Float(s))) => Ok(s),
        _ => Err(r.corrupt(format!("the quantised weight '{name}' has no usable scale"))),
    }
}

/// Divides each row of `q` (the first dimension) by its scale; one scale means all rows.
fn per_row(r: &Reader, name: &str, mut q: Vec<f32>, scale: &[f32]) -> Result<Vec<f32>, LoadError> {
    if scale.is_empty() || !q.len().is_multiple_of(scale.len()) {
        return Err(r.corrupt(format!("the scale of '{name}' does not fit its weight")));
    }
    let row = q.len() / scale.len();
    for (chunk, &s) in q.chunks_mut(row).zip(scale) {
        let inv = if s != 0.0 { 1.0 / s } else { 0.0 };
        chunk.iter_mut().for_each(|x| *x *= inv);
    }
    Ok(q)
}
