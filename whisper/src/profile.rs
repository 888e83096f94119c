//! Timing of the model's parts on synthetic audio, for tuning and for the benchmark notes.

use candle_core::{Device, Tensor};

use crate::audio::mel::{self, MelBank};
use crate::audio::vad;
use crate::error::Error;
use crate::model::Model;
use crate::nn::{self, DecoderState};

/// Times the parts of one 30 s window on synthetic audio (`runs` times each) and returns a
/// readable report: log-mel, encoder, cross-attention set-up, and one decoder step. For
/// tuning and benchmarks only.
pub fn profile(model: &Model, runs: usize) -> Result<String, Error> {
    use std::time::Instant;
    let audio: Vec<f32> = (0..vad::MAX_WINDOW)
        .map(|i| (i as f32 * 0.05).sin() * 0.1)
        .collect();
    let bank = MelBank::new(model.n_mels());
    let w = &model.weights;
    let mut lines = vec![format!("threads: {}", nn::threads())];
    let t = Instant::now();
    let (mut m, frames) = bank.log_mel(&audio);
    lines.push(format!(
        "log-mel 30 s: {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    ));
    mel::normalize(&mut m, 0.0);
    let input = Tensor::from_vec(
        mel::pad_to_window(&m, bank.n_mels(), frames),
        (bank.n_mels(), mel::WINDOW_FRAMES),
        &Device::Cpu,
    )?;
    let mut enc = None;
    for _ in 0..runs {
        let t = Instant::now();
        enc = Some(nn::encode(w, &input)?);
        lines.push(format!(
            "encoder: {:.0} ms",
            t.elapsed().as_secs_f64() * 1e3
        ));
    }
    let enc = enc.ok_or(Error::Compute("no run".into()))?;
    let t = Instant::now();
    let mut state = DecoderState::new(w, &enc)?;
    lines.push(format!(
        "cross-attention keys/values: {:.0} ms",
        t.elapsed().as_secs_f64() * 1e3
    ));
    let ids = model.tokenizer.ids;
    let t = Instant::now();
    state.forward(w, &[ids.sot, ids.sot + 7, ids.transcribe])?;
    lines.push(format!(
        "prompt (3 tokens): {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    ));
    let steps = 50;
    let (mut fwd, mut proj) = (0.0, 0.0);
    for i in 0..steps {
        let t = Instant::now();
        let h = state.forward(w, &[ids.timestamp_begin + i])?;
        let t2 = Instant::now();
        nn::logits(w, &h, 0)?;
        fwd += (t2 - t).as_secs_f64();
        proj += t2.elapsed().as_secs_f64();
    }
    lines.push(format!(
        "decoder step: {:.2} ms layers + {:.2} ms vocabulary projection (mean of {steps})",
        fwd * 1e3 / steps as f64,
        proj * 1e3 / steps as f64
    ));
    Ok(lines.join("\n"))
}
