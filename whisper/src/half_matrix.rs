//! Matrices kept in `f16` for the decoder, multiplied by one vector at a time.
//!
//! A decoding step multiplies a single hidden state by every decoder weight and by the
//! `[vocabulary, width]` embeddings (51,865 × 512 for base): it reads all of them from memory
//! to do two operations per value, so its speed is the speed of memory. In `f16` there is half
//! as much to read (and to hold). faster-whisper files store the weights in `f16` already, so
//! nothing is lost for them; `f32` files are rounded (a relative 5e-4). On x86-64 with AVX2,
//! F16C and FMA (checked at run time), each row is converted and summed eight values at a time.

use half::f16;
use half::slice::HalfFloatSliceExt;
use rayon::prelude::*;

/// A row-major `f16` matrix.
pub(crate) struct HalfMatrix {
    rows: usize,
    cols: usize,
    data: Vec<f16>,
}

/// Fewest rows per parallel task: below this the task costs more than it saves.
const MIN_ROWS_PER_TASK: usize = 64;

impl HalfMatrix {
    /// Rounds `data` (`rows × cols`, row-major) to `f16`.
    pub fn from_f32(rows: usize, cols: usize, data: &[f32]) -> HalfMatrix {
        assert_eq!(rows * cols, data.len());
        let mut h = vec![f16::ZERO; data.len()];
        h.convert_from_f32_slice(data);
        HalfMatrix {
            rows,
            cols,
            data: h,
        }
    }

    /// Number of rows (outputs of [`HalfMatrix::mul_vec`]).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Row `r` in `f32`, appended to `out`.
    pub fn row_into(&self, r: usize, out: &mut Vec<f32>) {
        let start = out.len();
        out.resize(start + self.cols, 0.0);
        self.data[r * self.cols..(r + 1) * self.cols].convert_to_f32_slice(&mut out[start..]);
    }

    /// `M·x` on the calling thread only, for callers that already run in parallel.
    pub fn mul_vec_here(&self, x: &[f32]) -> Vec<f32> {
        assert_eq!(x.len(), self.cols);
        let mut out = vec![0f32; self.rows];
        rows_times(&self.data, self.cols, x, &mut out);
        out
    }

    /// `M·x` (`x` has `cols` values), on every core.
    pub fn mul_vec(&self, x: &[f32]) -> Vec<f32> {
        assert_eq!(x.len(), self.cols);
        let mut out = vec![0f32; self.rows];
        let per_task = (self.rows / (4 * rayon::current_num_threads())).max(MIN_ROWS_PER_TASK);
        out.par_chunks_mut(per_task)
            .enumerate()
            .for_each(|(task, chunk)| {
                let first = task * per_task;
                let w = &self.data[first * self.cols..(first + chunk.len()) * self.cols];
                rows_times(w, self.cols, x, chunk);
            });
        out
    }
}

/// `out[i] = Σ w[i·cols + j]·x[j]` for each row `i` of `w`.
fn rows_times(w: &[f16], cols: usize, x: &[f32], out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2")
        && std::arch::is_x86_feature_detected!("fma")
        && std::arch::is_x86_feature_detected!("f16c")
    {
        // SAFETY: the three features the function is compiled for are present.
        unsafe { x86::rows_times(w, cols, x, out) };
        return;
    }
    let mut row = vec![0f32; cols];
    for (i, o) in out.iter_mut().enumerate() {
        w[i * cols..(i + 1) * cols].convert_to_f32_slice(&mut row);
        *o = row.iter().zip(x).map(|(a, b)| a * b).sum();
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use half::f16;
    use std::arch::x86_64::*;

    /// [`super::rows_times`] with 256-bit vectors: sixteen weights converted from `f16` and
    /// multiplied-added per iteration, in two accumulators.
    #[target_feature(enable = "avx2,fma,f16c")]
    pub(super) unsafe fn rows_times(w: &[f16], cols: usize, x: &[f32], out: &mut [f32]) {
        let vector_cols = cols / 16 * 16;
        for (i, o) in out.iter_mut().enumerate() {
            let row = &w[i * cols..(i + 1) * cols];
            let (mut a0, mut a1) = (_mm256_setzero_ps(), _mm256_setzero_ps());
            let mut j = 0;
            while j < vector_cols {
                // SAFETY: j + 16 ≤ cols, the length of `row` and of `x`; unaligned loads.
                unsafe {
                    let h0 = _mm_loadu_si128(row.as_ptr().add(j).cast());
                    let h1 = _mm_loadu_si128(row.as_ptr().add(j + 8).cast());
                    a0 = _mm256_fmadd_ps(
                        _mm256_cvtph_ps(h0),
                        _mm256_loadu_ps(x.as_ptr().add(j)),
                        a0,
                    );
                    a1 = _mm256_fmadd_ps(
                        _mm256_cvtph_ps(h1),
                        _mm256_loadu_ps(x.as_ptr().add(j + 8)),
                        a1,
                    );
                }
                j += 16;
            }
            let mut lanes = [0f32; 8];
            // SAFETY: `lanes` holds eight f32.
            unsafe { _mm256_storeu_ps(lanes.as_mut_ptr(), _mm256_add_ps(a0, a1)) };
            let tail: f32 = row[vector_cols..]
                .iter()
                .zip(&x[vector_cols..])
                .map(|(a, b)| a.to_f32() * b)
                .sum();
            *o = lanes.iter().sum::<f32>() + tail;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_matches_plain_arithmetic() {
        let (rows, cols) = (300, 37); // odd sizes: tails in both directions
        let m: Vec<f32> = (0..rows * cols)
            .map(|i| ((i * 7919 % 1000) as f32 - 500.0) / 512.0)
            .collect();
        let x: Vec<f32> = (0..cols).map(|j| (j as f32 * 0.3).cos()).collect();
        let got = HalfMatrix::from_f32(rows, cols, &m).mul_vec(&x);
        for r in 0..rows {
            let want: f32 = (0..cols)
                .map(|j| f16::from_f32(m[r * cols + j]).to_f32() * x[j])
                .sum();
            assert!(
                (got[r] - want).abs() < 1e-4,
                "row {r}: {} vs {want}",
                got[r]
            );
        }
    }
}
