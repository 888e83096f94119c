//! Choosing between the versions of each row: the greatest `(modified_at, deleted,
//! content)` wins, whatever order the inputs come in.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};

use super::fasthash::FastMap;

use super::rows::Versioned;

/// The versions of one row across the inputs.
#[derive(Debug, Clone)]
pub(crate) struct Chosen<R> {
    /// The winning version.
    pub winner: R,
    /// Inputs (bits) holding the winning version.
    pub holders: u64,
    /// Inputs holding any version.
    pub present: u64,
    /// Distinct superseded versions and the inputs holding each.
    pub others: Vec<(R, u64)>,
}

/// Collects versions and keeps the greatest of each key.
pub(crate) struct Chooser<K, R> {
    map: FastMap<K, Chosen<R>>,
}

impl<K: Hash + Eq, R: Versioned> Chooser<K, R> {
    pub(crate) fn new() -> Self {
        Chooser {
            map: FastMap::default(),
        }
    }

    fn push_other(others: &mut Vec<(R, u64)>, row: R, bits: u64) {
        match others.iter_mut().find(|(o, _)| o.same_version(&row)) {
            Some((_, b)) => *b |= bits,
            None => others.push((row, bits)),
        }
    }

    /// Offers the version `row` of `key` held by input `input`.
    pub(crate) fn offer(&mut self, input: usize, key: K, row: R) {
        let bit = 1u64 << input;
        match self.map.entry(key) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(Chosen {
                    winner: row,
                    holders: bit,
                    present: bit,
                    others: Vec::new(),
                });
            }
            std::collections::hash_map::Entry::Occupied(mut e) => {
                let c = e.get_mut();
                c.present |= bit;
                match row.version_cmp(&c.winner) {
                    std::cmp::Ordering::Equal => {
                        c.holders |= bit;
                        if row.source() < c.winner.source() {
                            c.winner.set_source(row.source());
                        }
                    }
                    std::cmp::Ordering::Greater => {
                        let old = std::mem::replace(&mut c.winner, row);
                        let old_holders = std::mem::replace(&mut c.holders, bit);
                        Self::push_other(&mut c.others, old, old_holders);
                    }
                    std::cmp::Ordering::Less => Self::push_other(&mut c.others, row, bit),
                }
            }
        }
    }

    pub(crate) fn finish(self) -> FastMap<K, Chosen<R>> {
        self.map
    }
}

pub(super) fn choose<K: Hash + Eq, R: Versioned>(
    rows: impl Iterator<Item = (usize, K, R)>,
) -> FastMap<K, Chosen<R>> {
    let mut chooser = Chooser::new();
    for (i, k, r) in rows {
        chooser.offer(i, k, r);
    }
    chooser.finish()
}

pub(super) fn winners<K: Hash + Eq + Clone, R: Clone, S: BuildHasher + Default>(
    chosen: &FastMap<K, Chosen<R>>,
) -> HashMap<K, R, S> {
    chosen
        .iter()
        .map(|(k, c)| (k.clone(), c.winner.clone()))
        .collect()
}
