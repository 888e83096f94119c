//! Inter-coder agreement: the formulas, from the literature.
//!
//! A *unit* is what each coder classifies (a character, a paragraph); its *value* for a
//! coder is a nominal category (for one code: 1 coded, 0 not coded) or missing (the coder
//! did not code that document at all). Units carry a weight, so a stretch of `n`
//! characters that every coder treats alike counts as `n` units in one step.
//!
//! - **Percent agreement**: the share of the units valued by at least two coders on which
//!   all of them agree.
//! - **Cohen's kappa** (Cohen 1960, "A coefficient of agreement for nominal scales"), two
//!   coders, on the units both valued: `κ = (p_o − p_e) / (1 − p_e)` where `p_o` is the
//!   observed share of agreement and `p_e = Σ_c p_A(c)·p_B(c)` the agreement expected from
//!   each coder's own marginal shares. Undefined (`None`) when `p_e = 1` (both coders used
//!   one same category throughout).
//! - **Krippendorff's alpha**, nominal, any number of coders, missing values allowed
//!   (Krippendorff, *Content Analysis*, 2nd–4th ed., §12; "Computing Krippendorff's
//!   alpha-reliability", 2011), in the coincidence-matrix form: every unit `u` valued by
//!   `m_u ≥ 2` coders adds, for each ordered pair of its values `(c, k)` taken from two
//!   different coders, `1 / (m_u − 1)` to the coincidence `o_ck`; with `n_c = Σ_k o_ck` and
//!   `n = Σ_c n_c`, `α = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k`. Units valued by
//!   fewer than two coders are not pairable and drop out. Undefined (`None`) when the
//!   pairable values show no variation (`Σ_{c≠k} n_c·n_k = 0`).

use serde::Serialize;
use std::collections::BTreeMap;

/// Running sums over units, from which every coefficient is computed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tally {
    /// Coincidences `o_ck` (Krippendorff), ordered pairs of categories.
    coincidences: BTreeMap<(u32, u32), f64>,
    /// Weight of the units valued by at least two coders.
    pairable: f64,
    /// Weight of those on which every present value agrees.
    agreeing: f64,
    /// Contingency table of the first two coders, on units both valued (Cohen).
    pair_table: BTreeMap<(u32, u32), f64>,
    /// Number of coders seen (kappa needs exactly two).
    coders: usize,
}

impl Tally {
    /// Adds one unit of weight `weight` whose values by coder are `values` (`None`:
    /// missing).
    pub fn add_unit(&mut self, values: &[Option<u32>], weight: f64) {
        self.coders = self.coders.max(values.len());
        let present: Vec<u32> = values.iter().flatten().copied().collect();
        let m = present.len();
        if m < 2 || weight <= 0.0 {
            return;
        }
        self.pairable += weight;
        if present.iter().all(|v| *v == present[0]) {
            self.agreeing += weight;
        }
        let share = weight / (m - 1) as f64;
        for (i, c) in present.iter().enumerate() {
            for (j, k) in present.iter().enumerate() {
                if i != j {
                    *self.coincidences.entry((*c, *k)).or_default() += share;
                }
            }
        }
        if let [Some(a), Some(b)] = values {
            *self.pair_table.entry((*a, *b)).or_default() += weight;
        }
    }

    /// Adds every unit of another tally.
    pub fn absorb(&mut self, other: &Tally) {
        self.coders = self.coders.max(other.coders);
        self.pairable += other.pairable;
        self.agreeing += other.agreeing;
        for (k, v) in &other.coincidences {
            *self.coincidences.entry(*k).or_default() += v;
        }
        for (k, v) in &other.pair_table {
            *self.pair_table.entry(*k).or_default() += v;
        }
    }

    /// Weight of the pairable units (valued by two coders or more).
    pub fn pairable_units(&self) -> f64 {
        self.pairable
    }

    /// Percent agreement (0–100) over the pairable units; `None` without any.
    pub fn percent_agreement(&self) -> Option<f64> {
        (self.pairable > 0.0).then(|| 100.0 * self.agreeing / self.pairable)
    }

    /// Cohen's kappa; `None` unless there are exactly two coders, units both valued, and
    /// some chance of disagreement.
    pub fn cohen_kappa(&self) -> Option<f64> {
        if self.coders != 2 {
            return None;
        }
        let total: f64 = self.pair_table.values().sum();
        if total <= 0.0 {
            return None;
        }
        let mut rows: BTreeMap<u32, f64> = BTreeMap::new();
        let mut cols: BTreeMap<u32, f64> = BTreeMap::new();
        let mut diagonal = 0.0;
        for ((a, b), w) in &self.pair_table {
            *rows.entry(*a).or_default() += w;
            *cols.entry(*b).or_default() += w;
            if a == b {
                diagonal += w;
            }
        }
        let observed = diagonal / total;
        let expected: f64 = rows
            .iter()
            .map(|(c, r)| (r / total) * (cols.get(c).copied().unwrap_or(0.0) / total))
            .sum();
        if (1.0 - expected).abs() < 1e-12 {
            return None;
        }
        Some((observed - expected) / (1.0 - expected))
    }

    /// Krippendorff's alpha (nominal); `None` without pairable values or without
    /// variation.
    pub fn krippendorff_alpha(&self) -> Option<f64> {
        let mut marginals: BTreeMap<u32, f64> = BTreeMap::new();
        let mut disagreeing = 0.0;
        for ((c, k), o) in &self.coincidences {
            *marginals.entry(*c).or_default() += o;
            if c != k {
                disagreeing += o;
            }
        }
        let n: f64 = marginals.values().sum();
        if n <= 1.0 {
            return None;
        }
        let squares: f64 = marginals.values().map(|v| v * v).sum();
        let expected_pairs = n * n - squares; // Σ_{c≠k} n_c·n_k
        if expected_pairs.abs() < 1e-12 {
            return None;
        }
        Some(1.0 - (n - 1.0) * disagreeing / expected_pairs)
    }
}

/// Krippendorff's alpha (nominal) of a reliability data matrix `matrix[coder][unit]`
/// (`None`: missing value).
pub fn krippendorff_alpha_nominal(matrix: &[Vec<Option<u32>>]) -> Option<f64> {
    tally_of(matrix).krippendorff_alpha()
}

/// Cohen's kappa of two coders' values on the same units.
pub fn cohen_kappa(a: &[u32], b: &[u32]) -> Option<f64> {
    let matrix = vec![
        a.iter().map(|v| Some(*v)).collect(),
        b.iter().map(|v| Some(*v)).collect(),
    ];
    tally_of(&matrix).cohen_kappa()
}

/// Percent agreement of a reliability data matrix `matrix[coder][unit]`.
pub fn percent_agreement(matrix: &[Vec<Option<u32>>]) -> Option<f64> {
    tally_of(matrix).percent_agreement()
}

fn tally_of(matrix: &[Vec<Option<u32>>]) -> Tally {
    let mut tally = Tally::default();
    let units = matrix.iter().map(Vec::len).max().unwrap_or(0);
    let mut values = vec![None; matrix.len()];
    for u in 0..units {
        for (c, row) in matrix.iter().enumerate() {
            values[c] = row.get(u).copied().flatten();
        }
        tally.add_unit(&values, 1.0);
    }
    tally.coders = matrix.len();
    tally
}
