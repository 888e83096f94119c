//! Two element-wise steps of the encoder written for speed: the softmax of the attention
//! scores and the GELU of the feed-forward layers. candle computes them one value at a time
//! with the C library's `exp` and `erf`, on one core, which took 40 % of the encoder's time
//! (30 s of audio: 8 × 1500 × 1500 scores and 1500 × 2048 activations per layer). Here they
//! run on every core, with polynomial `exp` and `erf` that the compiler vectorises, accurate
//! to a few parts in 10⁷ (below `f32` rounding of the sums they feed).

use candle_core::{CpuStorage, InplaceOp1, Layout, Result, Tensor};
use rayon::prelude::*;

/// `eˣ` for `x ≤ 0` (softmax inputs after subtracting the maximum), relative error < 2e-7.
#[inline(always)]
fn exp_neg(x: f32) -> f32 {
    let x = x.max(-87.0);
    // x = n·ln2 + r with |r| ≤ ln2/2; n rounded with the 1.5·2²³ trick (vectorises).
    let n = (x * std::f32::consts::LOG2_E + 12_582_912.0) - 12_582_912.0;
    let r = x - n * 0.693_145_75 - n * 1.428_606_8e-6;
    let p = 1.0
        + r * (1.0
            + r * (0.5
                + r * (0.166_666_67
                    + r * (0.041_666_41 + r * (0.008_333_452 + r * 0.001_388_89)))));
    f32::from_bits((p.to_bits() as i32 + ((n as i32) << 23)) as u32)
}

/// The Gauss error function, Abramowitz and Stegun 7.1.26 (absolute error < 1.5e-7).
#[inline(always)]
fn erf(z: f32) -> f32 {
    let a = z.abs();
    let t = 1.0 / (1.0 + 0.327_591_1 * a);
    let poly = t
        * (0.254_829_6
            + t * (-0.284_496_74 + t * (1.421_413_7 + t * (-1.453_152_1 + t * 1.061_405_4))));
    (1.0 - poly * exp_neg(-a * a)).copysign(z)
}

/// Values per parallel task.
const CHUNK: usize = 1 << 14;

/// The contiguous `f32` data of a CPU tensor, for writing in place.
fn data_mut<'a>(storage: &'a mut CpuStorage, layout: &Layout) -> Result<&'a mut [f32]> {
    match (storage, layout.contiguous_offsets()) {
        (CpuStorage::F32(v), Some((a, b))) => Ok(&mut v[a..b]),
        _ => candle_core::bail!("the fast kernels take contiguous f32 tensors"),
    }
}

struct Gelu;

impl InplaceOp1 for Gelu {
    fn name(&self) -> &'static str {
        "fast-gelu-erf"
    }
    fn cpu_fwd(&self, storage: &mut CpuStorage, layout: &Layout) -> Result<()> {
        data_mut(storage, layout)?
            .par_chunks_mut(CHUNK)
            .for_each(|x| {
                for v in x {
                    *v = 0.5 * *v * (1.0 + erf(*v * std::f32::consts::FRAC_1_SQRT_2));
                }
            });
        Ok(())
    }
}

struct Softmax;

impl InplaceOp1 for Softmax {
    fn name(&self) -> &'static str {
        "fast-softmax"
    }
    fn cpu_fwd(&self, storage: &mut CpuStorage, layout: &Layout) -> Result<()> {
        let n = layout.shape().dims().last().copied().unwrap_or(1).max(1);
        let rows_per_task = (CHUNK / n).max(1) * n;
        data_mut(storage, layout)?
            .par_chunks_mut(rows_per_task)
            .for_each(|x| {
                for row in x.chunks_mut(n) {
                    let m = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                    let mut sum = 0.0;
                    for v in row.iter_mut() {
                        *v = exp_neg(*v - m);
                        sum += *v;
                    }
                    let inv = 1.0 / sum;
                    row.iter_mut().for_each(|v| *v *= inv);
                }
            });
        Ok(())
    }
}

/// GELU with the exact (erf) form, as Whisper uses. `x` is consumed: a result of the
/// previous step that nothing else holds is overwritten instead of copied.
pub(crate) fn gelu_erf(x: Tensor) -> Result<Tensor> {
    let x = x.contiguous()?;
    x.inplace_op1(&Gelu)?;
    Ok(x)
}

/// Softmax over the last dimension, in place like [`gelu_erf`].
pub(crate) fn softmax_last_dim(x: Tensor) -> Result<Tensor> {
    let x = x.contiguous()?;
    x.inplace_op1(&Softmax)?;
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_and_erf_are_accurate() {
        for i in 0..=8700 {
            let x = -(i as f32) * 0.01;
            let (want, got) = ((x as f64).exp(), exp_neg(x) as f64);
            assert!(
                (got - want).abs() <= 3e-7 * want + 1e-38,
                "exp({x}) = {got}, not {want}"
            );
        }
        for i in -300..=300 {
            let z = i as f32 * 0.01;
            let want = series_erf(z as f64);
            assert!(
                (erf(z) as f64 - want).abs() < 5e-7,
                "erf({z}) = {}, not {want}",
                erf(z)
            );
        }
        assert!((erf(4.0) - 1.0).abs() < 1e-7 && (erf(-9.0) + 1.0).abs() < 1e-7);
    }

    /// erf by its Taylor series in f64 (accurate for |z| ≤ 3), as the reference.
    fn series_erf(z: f64) -> f64 {
        let (mut sum, mut term, mut k) = (z, z, 0.0);
        while term.abs() > 1e-17 && k < 200.0 {
            k += 1.0;
            term *= -z * z / k;
            sum += term / (2.0 * k + 1.0);
        }
        (2.0 / std::f64::consts::PI.sqrt() * sum).clamp(-1.0, 1.0)
    }

    #[test]
    fn kernels_match_candle() {
        let v: Vec<f32> = (0..3 * 700)
            .map(|i| ((i * 37 % 101) as f32 - 50.0) * 0.13)
            .collect();
        let t = Tensor::from_vec(v, (3, 700), &candle_core::Device::Cpu).unwrap();
        let diff = |a: Tensor, b: Tensor| {
            (a - b)
                .unwrap()
                .abs()
                .unwrap()
                .max_all()
                .unwrap()
                .to_scalar::<f32>()
                .unwrap()
        };
        assert!(diff(gelu_erf(t.copy().unwrap()).unwrap(), t.gelu_erf().unwrap()) < 2e-6);
        assert!(
            diff(
                softmax_last_dim(t.copy().unwrap()).unwrap(),
                candle_nn::ops::softmax_last_dim(&t).unwrap()
            ) < 1e-7
        );
    }
}
