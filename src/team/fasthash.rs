//! A fast hash for the merge's large maps (codings by GUID, row ids): the multiply-rotate
//! hash of rustc (FxHash), several times cheaper than the standard SipHash on short keys.
//! It does not resist keys crafted to collide; a crafted project could only slow its own
//! merge down.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// The hasher (see the module's documentation).
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 56));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// The `BuildHasher` of [`FxHasher`], to give a map or set the fast hash.
pub type FastHash = BuildHasherDefault<FxHasher>;

/// A `HashMap` with the fast hash.
pub type FastMap<K, V> = HashMap<K, V, FastHash>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn hash_of<T: Hash>(t: &T) -> u64 {
        FastHash::default().hash_one(t)
    }

    // GUIDs often differ only in their last chars, and a key padded with a zero byte is
    // another key: the tail and the length must both reach the hash, or codings collide.
    #[test]
    fn distinguishes_short_and_long_keys() {
        let a = "0b7e4f2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b";
        let b = "0b7e4f2a-1c3d-4e5f-8a9b-0c1d2e3f4a5c";
        assert_ne!(hash_of(&a), hash_of(&b));
        assert_ne!(hash_of(&"ab"), hash_of(&"ab\0"));
        assert_eq!(hash_of(&a), hash_of(&a.to_string()));
        let mut m: FastMap<String, i64> = FastMap::default();
        for i in 0..1000 {
            m.insert(format!("clé-{i}"), i);
        }
        assert_eq!(m.len(), 1000);
        assert_eq!(m.get("clé-999"), Some(&999));
    }
}
