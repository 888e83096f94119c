//! Times the encoder and the decoder step on one window, for tuning.
//!
//! `cargo run --release --example profile -- MODEL_DIR`

use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).ok_or("usage: profile MODEL_DIR")?;
    let model = fouille_whisper::Model::load(Path::new(&dir))?;
    let report = fouille_whisper::profile(&model, 3)?;
    println!("{report}");
    Ok(())
}
