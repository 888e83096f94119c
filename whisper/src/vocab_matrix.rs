//! The token embeddings, kept in `f16`, and the projection of a hidden state onto them.
//!
//! Scoring every token at every decoding step reads the whole `[vocabulary, width]` matrix
//! (51,865 × 512 for base): in `f32` that is 106 MB per token, which makes the step wait on
//! memory. Half precision halves both that traffic and the memory held. faster-whisper files
//! store the weights in `f16` already, so nothing is lost for them.

use half::f16;
use half::slice::HalfFloatSliceExt;
use rayon::prelude::*;

/// A row-major `f16` matrix of one row per token.
pub(crate) struct VocabMatrix {
    rows: usize,
    cols: usize,
    data: Vec<f16>,
}

/// Rows scored per parallel task: enough to amortise the task, few enough to balance.
const ROWS_PER_TASK: usize = 2048;

impl VocabMatrix {
    /// Rounds `data` (`rows × cols`, row-major) to `f16`.
    pub fn from_f32(rows: usize, cols: usize, data: &[f32]) -> VocabMatrix {
        let mut h = vec![f16::ZERO; data.len()];
        h.convert_from_f32_slice(data);
        VocabMatrix { rows, cols, data: h }
    }

    /// Row `r` in `f32`, appended to `out`.
    pub fn row_into(&self, r: usize, out: &mut Vec<f32>) {
        let start = out.len();
        out.resize(start + self.cols, 0.0);
        self.data[r * self.cols..(r + 1) * self.cols].convert_to_f32_slice(&mut out[start..]);
    }

    /// `M·x`: the score of every row against `x` (`cols` long), on every core.
    pub fn scores(&self, x: &[f32]) -> Vec<f32> {
        assert_eq!(x.len(), self.cols);
        let mut out = vec![0f32; self.rows];
        out.par_chunks_mut(ROWS_PER_TASK).enumerate().for_each(|(task, chunk)| {
            let mut row = vec![0f32; self.cols];
            for (i, o) in chunk.iter_mut().enumerate() {
                let r = task * ROWS_PER_TASK + i;
                self.data[r * self.cols..(r + 1) * self.cols].convert_to_f32_slice(&mut row);
                *o = dot(&row, x);
            }
        });
        out
    }
}

/// A dot product in eight lanes, which the compiler turns into vector instructions.
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca.remainder().iter().zip(cb.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    acc.iter().sum::<f32>() + tail
}
