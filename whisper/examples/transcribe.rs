//! Transcribes a WAV file and prints the segments and the time taken.
//!
//! `cargo run --release --example transcribe -- MODEL_DIR FILE.wav [LANG|auto] [--no-fallback]`
//!
//! `--no-fallback` decodes at temperature 0 only, as the faster-whisper peer is run.

#[path = "../tests/common/wav.rs"]
mod wav;

use std::ops::ControlFlow;
use std::path::Path;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        return Err("usage: transcribe MODEL_DIR FILE.wav [LANG|auto]".into());
    }
    let t0 = Instant::now();
    let model = fouille_whisper::Model::load(Path::new(&args[1]))?;
    let load = t0.elapsed().as_secs_f64();
    let (samples, rate) = wav::read_wav(Path::new(&args[2]))?;
    let t1 = Instant::now();
    let audio = fouille_whisper::audio::resample(&samples, rate);
    let mut options = fouille_whisper::Options::default();
    if args.iter().any(|a| a == "--no-fallback") {
        options.temperatures = vec![0.0];
    }
    if let Some(l) = args.get(3).filter(|a| !a.starts_with("--")) {
        options.language = if l == "auto" { None } else { Some(l.clone()) };
    }
    let segments =
        fouille_whisper::transcribe(&model, &audio, &options, &mut |_| ControlFlow::Continue(()))?;
    let took = t1.elapsed().as_secs_f64();
    for s in &segments {
        println!(
            "[{:>7.2} → {:>7.2}] {}",
            s.start_ms as f64 / 1e3,
            s.end_ms as f64 / 1e3,
            s.text
        );
    }
    let dur = audio.len() as f64 / 16000.0;
    eprintln!(
        "load {load:.2} s, audio {dur:.1} s, transcribed in {took:.2} s, RTF {:.3}, threads {}",
        took / dur,
        fouille_whisper::threads()
    );
    Ok(())
}
