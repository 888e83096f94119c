//! Token ids to text: byte-level BPE decoding, and Whisper's special tokens found by name.
//!
//! Only decoding is needed (the model writes tokens, nobody types them), so the BPE merges
//! are not read. A token's text is its bytes spelt with GPT-2's byte-to-character table;
//! bytes of consecutive tokens are joined before UTF-8 decoding, so a letter whose bytes are
//! split between two tokens (`é` = `0xC3 0xA9`) comes out whole.

use std::collections::HashMap;
use std::path::Path;

use crate::error::LoadError;

/// The vocabulary and the ids of the special tokens.
#[derive(Debug, Clone)]
pub struct Tokenizer {
    /// Each token's bytes; empty for special tokens, which never reach the text.
    bytes: Vec<Vec<u8>>,
    /// Special and language tokens by their text (`<|fr|>` …).
    special: HashMap<String, u32>,
    /// The special ids Whisper decoding uses.
    pub ids: SpecialIds,
}

/// Ids of Whisper's control tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpecialIds {
    /// `<|startoftranscript|>`, first token of every prompt.
    pub sot: u32,
    /// `<|endoftext|>`, the end of a window's text.
    pub eot: u32,
    /// `<|transcribe|>` (as opposed to translate).
    pub transcribe: u32,
    /// `<|translate|>`, suppressed: Fouille only transcribes.
    pub translate: u32,
    /// `<|startofprev|>`, would introduce a previous window's text (never used here).
    pub sot_prev: u32,
    /// `<|startoflm|>`.
    pub sot_lm: u32,
    /// `<|nospeech|>` or, in older models, `<|nocaptions|>`: its probability after
    /// `<|startoftranscript|>` is the chance that the window holds no speech.
    pub no_speech: u32,
    /// `<|notimestamps|>`.
    pub no_timestamps: u32,
    /// `<|0.00|>`; every id from it up is a timestamp, 20 ms apart.
    pub timestamp_begin: u32,
}

/// GPT-2's table: each byte spelt as one printable character.
fn byte_to_char() -> [char; 256] {
    let mut table = ['\0'; 256];
    let mut extra = 0u32;
    for b in 0..=255u8 {
        let printable = (b'!'..=b'~').contains(&b) || (0xA1..=0xAC).contains(&b) || b >= 0xAE;
        table[b as usize] = if printable {
            char::from(b)
        } else {
            extra += 1;
            char::from_u32(255 + extra).expect("below the surrogates")
        };
    }
    table
}

/// A token's bytes from its spelling; `None` when a character is not in the table (such a
/// token is treated as special).
fn spelling_to_bytes(token: &str, back: &HashMap<char, u8>) -> Option<Vec<u8>> {
    token.chars().map(|c| back.get(&c).copied()).collect()
}

fn is_special_text(t: &str) -> bool {
    t.starts_with("<|") && t.ends_with("|>")
}

impl Tokenizer {
    /// Reads `vocabulary.txt` (one token a line, line number = id) or `vocabulary.json` (a
    /// list of tokens), as CTranslate2 writes them, else `tokenizer.json` (its
    /// `model.vocab` and `added_tokens`). `n_vocab` comes from the
    /// model: ids past the files' end are timestamps, named `<|0.00|>` and up.
    pub fn load(dir: &Path, n_vocab: usize) -> Result<Tokenizer, LoadError> {
        let txt = dir.join("vocabulary.txt");
        let list = dir.join("vocabulary.json");
        let json = dir.join("tokenizer.json");
        let (tokens, path) = if txt.is_file() {
            let text = std::fs::read_to_string(&txt).map_err(|e| LoadError::io(&txt, e))?;
            (text.lines().map(str::to_owned).collect::<Vec<_>>(), txt)
        } else if list.is_file() {
            let text = std::fs::read_to_string(&list).map_err(|e| LoadError::io(&list, e))?;
            let tokens = serde_json::from_str(&text).map_err(|e| {
                LoadError::corrupt(&list, format!("not a JSON list of tokens ({e})"))
            })?;
            (tokens, list)
        } else if json.is_file() {
            (read_json(&json)?, json)
        } else {
            return Err(LoadError::Missing {
                path: json,
                why: "the vocabulary: tokenizer.json or vocabulary.txt is needed to write text",
            });
        };
        Tokenizer::from_tokens(tokens, n_vocab).map_err(|reason| LoadError::corrupt(&path, reason))
    }

    /// Builds the tokenizer from token spellings indexed by id.
    pub fn from_tokens(mut tokens: Vec<String>, n_vocab: usize) -> Result<Tokenizer, String> {
        let table = byte_to_char();
        let back: HashMap<char, u8> = table
            .iter()
            .enumerate()
            .map(|(b, &c)| (c, b as u8))
            .collect();
        let mut special = HashMap::new();
        let mut bytes = Vec::with_capacity(n_vocab.max(tokens.len()));
        for (id, t) in tokens.iter().enumerate() {
            match (is_special_text(t), spelling_to_bytes(t, &back)) {
                (false, Some(b)) => bytes.push(b),
                _ => {
                    special.insert(t.clone(), id as u32);
                    bytes.push(Vec::new());
                }
            }
        }
        let no_timestamps = *special
            .get("<|notimestamps|>")
            .ok_or("it has no <|notimestamps|> token")?;
        // Timestamps follow <|notimestamps|> (CTranslate2's rule); vocabularies that do not
        // list them are completed here.
        let timestamp_begin = no_timestamps + 1;
        while bytes.len() < n_vocab {
            let t = format!(
                "<|{:.2}|>",
                (bytes.len() - timestamp_begin as usize) as f64 * 0.02
            );
            special.insert(t.clone(), bytes.len() as u32);
            tokens.push(t);
            bytes.push(Vec::new());
        }
        let find = |name: &str| {
            special
                .get(name)
                .copied()
                .ok_or_else(|| format!("it has no {name} token"))
        };
        let ids = SpecialIds {
            sot: find("<|startoftranscript|>")?,
            eot: find("<|endoftext|>")?,
            transcribe: find("<|transcribe|>")?,
            translate: find("<|translate|>")?,
            sot_prev: find("<|startofprev|>")?,
            sot_lm: find("<|startoflm|>")?,
            no_speech: find("<|nospeech|>").or_else(|_| find("<|nocaptions|>"))?,
            no_timestamps,
            timestamp_begin,
        };
        if (timestamp_begin as usize) >= bytes.len() {
            return Err("it has no timestamp tokens".into());
        }
        Ok(Tokenizer {
            bytes,
            special,
            ids,
        })
    }

    /// The text of `ids`, special and timestamp tokens left out. Invalid UTF-8 (a token cut
    /// inside a letter at the end of a window) becomes U+FFFD.
    pub fn decode(&self, ids: &[u32]) -> String {
        let mut out = Vec::new();
        for &id in ids {
            if let Some(b) = self.bytes.get(id as usize) {
                out.extend_from_slice(b);
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    /// The id of a special token by its text (`<|fr|>`, `<|endoftext|>` …).
    pub fn special(&self, text: &str) -> Option<u32> {
        self.special.get(text).copied()
    }

    /// The id of a token that spells exactly `text` (bytes, not BPE-encoded), if any.
    pub fn token_of(&self, text: &str) -> Option<u32> {
        self.bytes
            .iter()
            .position(|b| b == text.as_bytes())
            .map(|i| i as u32)
    }

    /// Number of ids, timestamps included.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// `true` for a vocabulary without tokens (never the case for a loaded model).
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

/// Token spellings by id from a Hugging Face `tokenizer.json`.
fn read_json(path: &Path) -> Result<Vec<String>, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|e| LoadError::io(path, e))?;
    let bad = |why: &str| LoadError::corrupt(path, why.to_string());
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| bad(&format!("not JSON ({e})")))?;
    let vocab = v
        .pointer("/model/vocab")
        .and_then(|x| x.as_object())
        .ok_or_else(|| bad("it has no model.vocab"))?;
    let mut pairs: Vec<(usize, String)> = Vec::with_capacity(vocab.len() + 200);
    for (token, id) in vocab {
        pairs.push((
            id.as_u64()
                .ok_or_else(|| bad("a vocabulary id is not a number"))? as usize,
            token.clone(),
        ));
    }
    for added in v
        .get("added_tokens")
        .and_then(|a| a.as_array())
        .into_iter()
        .flatten()
    {
        if let (Some(id), Some(content)) = (
            added.get("id").and_then(|x| x.as_u64()),
            added.get("content").and_then(|x| x.as_str()),
        ) {
            pairs.push((id as usize, content.to_owned()));
        }
    }
    let n = pairs.iter().map(|p| p.0 + 1).max().unwrap_or(0);
    let mut tokens = vec![String::new(); n];
    for (id, t) in pairs {
        tokens[id] = t;
    }
    Ok(tokens)
}
