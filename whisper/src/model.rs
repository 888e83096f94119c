//! A loaded Whisper model: weights, vocabulary and the decoding settings of its folder.

use std::path::Path;

use crate::error::LoadError;
use crate::tokenizer::Tokenizer;
use crate::weights::{self, Dims, Source, Weights};
use crate::{ct2, hf, languages};

/// Which kind of folder a model came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CTranslate2 (`model.bin`), as faster-whisper downloads them.
    CTranslate2,
    /// Hugging Face transformers (`model.safetensors`).
    HuggingFace,
}

/// A Whisper model ready to transcribe: about 4 bytes of memory per parameter (290 MB for
/// base), since the weights are kept in `f32` whatever the file stores.
pub struct Model {
    pub(crate) weights: Weights,
    pub(crate) tokenizer: Tokenizer,
    /// Tokens never to write (non-speech symbols and control tokens).
    pub(crate) suppress: Vec<u32>,
    /// Tokens not to write first (a blank, the end of text).
    pub(crate) suppress_begin: Vec<u32>,
    /// `(code, token id)` of each language the model has, in token order.
    pub(crate) languages: Vec<(&'static str, u32)>,
    format: Format,
}

impl Model {
    /// Loads a model folder: faster-whisper/CTranslate2 (`model.bin`, `config.json`,
    /// `vocabulary.txt` or `tokenizer.json`) or Hugging Face (`model.safetensors`,
    /// `config.json`, `tokenizer.json`). The sizes come from the weights themselves, so any
    /// Whisper size loads; int8 weights are dequantised to `f32`.
    pub fn load(dir: &Path) -> Result<Model, LoadError> {
        if !dir.is_dir() {
            return Err(LoadError::NoFolder(dir.to_path_buf()));
        }
        let config_path = dir.join("config.json");
        let (bin, st) = (dir.join("model.bin"), dir.join("model.safetensors"));
        let (format, config) = if bin.is_file() {
            (Format::CTranslate2, read_config(&config_path)?)
        } else if st.is_file() {
            (Format::HuggingFace, read_config(&config_path)?)
        } else {
            return Err(missing_weights(dir));
        };
        let source = match format {
            Format::CTranslate2 => {
                let w = ct2::read(&bin)?;
                Source {
                    path: bin,
                    tensors: w.tensors,
                    scalars: w.scalars,
                }
            }
            Format::HuggingFace => {
                let heads = |k: &str| config.get(k).and_then(|v| v.as_u64()).map(|h| h as usize);
                hf::read(
                    &st,
                    (
                        heads("encoder_attention_heads"),
                        heads("decoder_attention_heads"),
                    ),
                )?
            }
        };
        let weights = weights::build(source)?;
        let tokenizer = Tokenizer::load(dir, weights.dims.n_vocab)?;
        let generation = read_optional_json(&dir.join("generation_config.json"))?;
        let list = |keys: &[&str]| ids(&generation, keys).or_else(|| ids(&config, keys));
        let mut suppress = list(&["suppress_ids", "suppress_tokens"])
            .unwrap_or_else(|| fallback_suppress(&tokenizer));
        let t = tokenizer.ids;
        suppress.extend([
            t.transcribe,
            t.translate,
            t.sot,
            t.sot_prev,
            t.sot_lm,
            t.no_speech,
        ]);
        suppress.sort_unstable();
        suppress.dedup();
        let suppress_begin = list(&["suppress_ids_begin", "begin_suppress_tokens"])
            .unwrap_or_else(|| tokenizer.token_of(" ").into_iter().chain([t.eot]).collect());
        let languages = languages::LANGUAGES
            .iter()
            .filter_map(|(code, _)| {
                tokenizer
                    .special(&languages::token_text(code))
                    .map(|id| (*code, id))
            })
            .collect();
        Ok(Model {
            weights,
            tokenizer,
            suppress,
            suppress_begin,
            languages,
            format,
        })
    }

    /// The model's sizes (layers, width, vocabulary …).
    pub fn dims(&self) -> Dims {
        self.weights.dims
    }

    /// Mel bands the model listens to: 80, or 128 for large-v3.
    pub fn n_mels(&self) -> usize {
        self.weights.dims.n_mels
    }

    /// The vocabulary, to turn token ids into text.
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// The kind of folder it was loaded from.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Codes of the languages this model can transcribe (`fr`, `en` …); empty for
    /// English-only models, which have no language tokens.
    pub fn languages(&self) -> Vec<&'static str> {
        self.languages.iter().map(|(c, _)| *c).collect()
    }
}

/// The error for a folder without weights: a faster-whisper folder that lost its
/// `model.bin` says so; anything else is not a model folder.
fn missing_weights(dir: &Path) -> LoadError {
    let ct2_like = dir.join("vocabulary.txt").is_file()
        || (dir.join("config.json").is_file() && !dir.join("generation_config.json").is_file());
    if ct2_like {
        LoadError::Missing {
            path: dir.join("model.bin"),
            why: "the weights of the model",
        }
    } else if dir.join("config.json").is_file() {
        LoadError::Missing {
            path: dir.join("model.safetensors"),
            why: "the weights of the model",
        }
    } else {
        LoadError::NotAModel(dir.to_path_buf())
    }
}

fn read_config(path: &Path) -> Result<serde_json::Value, LoadError> {
    if !path.is_file() {
        return Err(LoadError::Missing {
            path: path.to_path_buf(),
            why: "the model's settings",
        });
    }
    read_optional_json(path)
}

/// A JSON file's content, `null` when the file is absent.
fn read_optional_json(path: &Path) -> Result<serde_json::Value, LoadError> {
    if !path.is_file() {
        return Ok(serde_json::Value::Null);
    }
    let text = std::fs::read_to_string(path).map_err(|e| LoadError::io(path, e))?;
    serde_json::from_str(&text)
        .map_err(|e| LoadError::corrupt(path, format!("not valid JSON ({e})")))
}

/// The first of `keys` holding a list of token ids.
fn ids(v: &serde_json::Value, keys: &[&str]) -> Option<Vec<u32>> {
    keys.iter().find_map(|k| {
        let a = v.get(*k)?.as_array()?;
        Some(
            a.iter()
                .filter_map(|x| x.as_u64().map(|x| x as u32))
                .collect(),
        )
    })
}

/// Whisper's non-speech symbols, for folders whose settings do not list them: only those
/// that are one token, with or without a leading space (the list Whisper itself builds also
/// has a few multi-token ones, which need the BPE merges to find).
fn fallback_suppress(tok: &Tokenizer) -> Vec<u32> {
    let symbols = "\" # ( ) * + / : ; < = > @ [ \\ ] ^ _ ` { | } ~ 「 」 『 』 << >> <<< >>> -- --- -( -[ (' (\" (( )) ((( ))) [[ ]] {{ }} ♪♪ ♪♪♪ ♩ ♪ ♫ ♬ ♭ ♮ ♯";
    symbols
        .split(' ')
        .flat_map(|s| [tok.token_of(s), tok.token_of(&format!(" {s}"))])
        .flatten()
        .collect()
}
