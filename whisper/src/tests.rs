//! Unit tests of loading on tiny models written by [`crate::testutil`]: the model.bin reader,
//! the Hugging Face mapping, int8 dequantisation, and the errors of damaged files.

use candle_core::{Device, Tensor};

use crate::error::LoadError;
use crate::model::{Format, Model};
use crate::nn::{self, DecoderState};
use crate::testutil::{self, Store};

fn folder(store: Option<Store>) -> (tempfile::TempDir, Model) {
    let dir = tempfile::tempdir().unwrap();
    match store {
        Some(s) => testutil::write_ct2(dir.path(), s),
        None => testutil::write_hf(dir.path()),
    }
    let m = Model::load(dir.path()).unwrap();
    (dir, m)
}

/// Scores after a short prompt, on a fixed mel: what every format must agree on.
fn scores(m: &Model) -> Vec<f32> {
    let mel: Vec<f32> = testutil::Values::new(3).take(testutil::MELS * 3000, 2.0);
    let mel = Tensor::from_vec(mel, (testutil::MELS, 3000), &Device::Cpu).unwrap();
    let audio = nn::encode(&m.weights, &mel).unwrap();
    let mut st = DecoderState::new(&m.weights, &audio).unwrap();
    let ids = m.tokenizer.ids;
    st.forward(&m.weights, &[ids.sot, ids.sot + 2]).unwrap();
    let h = st.forward(&m.weights, &[ids.transcribe, 70]).unwrap();
    nn::logits(&m.weights, &h, 1).unwrap()
}

fn max_diff(a: &[f32], b: &[f32]) -> f32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

#[test]
fn tiny_ct2_loads_with_its_own_sizes() {
    let (_d, m) = folder(Some(Store::F16));
    let dims = m.dims();
    assert_eq!(
        (
            dims.n_mels,
            dims.d_model,
            dims.n_audio_head,
            dims.n_text_layer
        ),
        (4, 8, 2, 1)
    );
    assert_eq!(
        (dims.n_vocab, dims.n_text_ctx, dims.n_audio_ctx),
        (testutil::VOCAB, 16, 1500)
    );
    assert_eq!(m.format(), Format::CTranslate2);
    assert_eq!(m.languages(), vec!["en", "fr"]);
    assert_eq!(m.tokenizer.ids.timestamp_begin, 266);
    assert!(m.suppress.contains(&1) && m.suppress.contains(&m.tokenizer.ids.translate));
}

#[test]
fn hugging_face_and_ctranslate2_give_the_same_scores() {
    let (_a, ct2) = folder(Some(Store::F32));
    let (_b, hf) = folder(None);
    assert_eq!(hf.format(), Format::HuggingFace);
    assert_eq!(ct2.dims(), hf.dims());
    let d = max_diff(&scores(&ct2), &scores(&hf));
    assert!(
        d < 1e-4,
        "CTranslate2 and Hugging Face scores differ by {d}"
    );
}

#[test]
fn incremental_decoding_matches_a_single_pass() {
    let (_a, m) = folder(Some(Store::F32));
    let mel = Tensor::zeros(
        (testutil::MELS, 3000),
        candle_core::DType::F32,
        &Device::Cpu,
    )
    .unwrap();
    let audio = nn::encode(&m.weights, &mel).unwrap();
    let mut st = DecoderState::new(&m.weights, &audio).unwrap();
    let toks = [
        m.tokenizer.ids.sot,
        259,
        m.tokenizer.ids.transcribe,
        270,
        40,
        41,
    ];
    let whole = nn::logits(&m.weights, &st.forward(&m.weights, &toks).unwrap(), 5).unwrap();
    st.reset();
    st.forward(&m.weights, &toks[..3]).unwrap();
    let mut last = None;
    for t in &toks[3..] {
        last = Some(st.forward(&m.weights, &[*t]).unwrap());
    }
    let step = nn::logits(&m.weights, &last.unwrap(), 0).unwrap();
    assert!(max_diff(&whole, &step) < 1e-4);
}

#[test]
fn float16_and_int8_files_dequantise_close_to_float32() {
    let (_a, f32m) = folder(Some(Store::F32));
    let (_b, f16m) = folder(Some(Store::F16));
    let (_c, i8m) = folder(Some(Store::Int8));
    let reference = scores(&f32m);
    let spread = reference.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    assert!(max_diff(&reference, &scores(&f16m)) < 0.01 * spread);
    let d = max_diff(&reference, &scores(&i8m));
    assert!(
        d < 0.1 * spread,
        "int8 scores differ by {d} (largest score {spread})"
    );
}

fn load_error(bytes: Vec<u8>) -> String {
    let dir = tempfile::tempdir().unwrap();
    testutil::write_ct2(dir.path(), Store::F16);
    std::fs::write(dir.path().join("model.bin"), bytes).unwrap();
    match Model::load(dir.path()) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a damaged model.bin loaded"),
    }
}

#[test]
fn truncated_model_bin_says_so() {
    let good = testutil::ct2_bytes(&testutil::tiny_vars(), Store::F16);
    let e = load_error(good[..good.len() / 2].to_vec());
    assert!(e.contains("model.bin") && e.contains("truncated"), "{e}");
    let e = load_error(good[..10].to_vec());
    assert!(e.contains("truncated"), "{e}");
}

#[test]
fn bad_magic_and_versions_are_told_apart() {
    let e = load_error(b"PK\x03\x04 this is a zip file, not a model".to_vec());
    assert!(
        e.contains("model.bin") && e.contains("does not start like a CTranslate2 model"),
        "{e}"
    );
    let mut v = testutil::ct2_bytes(&testutil::tiny_vars(), Store::F16);
    v[0] = 9;
    let e = load_error(v);
    assert!(e.contains("unsupported") && e.contains("version 9"), "{e}");
}

#[test]
fn wrong_shapes_and_missing_weights_are_named() {
    let mut vars = testutil::tiny_vars();
    vars.get_mut("decoder/layer_0/ffn/layer_norm/gamma")
        .unwrap()
        .0 = vec![4, 2];
    let e = load_error(testutil::ct2_bytes(&vars, Store::F16));
    assert!(
        e.contains("'decoder/layer_0/ffn/layer_norm/gamma' has shape [4, 2], expected [8]"),
        "{e}"
    );
    let mut vars = testutil::tiny_vars();
    vars.remove("encoder/layer_norm/beta");
    let e = load_error(testutil::ct2_bytes(&vars, Store::F16));
    assert!(e.contains("'encoder/layer_norm/beta' is missing"), "{e}");
}

#[test]
fn other_models_are_refused_by_name() {
    let mut v = testutil::ct2_bytes(&testutil::tiny_vars(), Store::F16);
    v[6..17].copy_from_slice(b"BartSpec\0\0\0");
    v[4] = 9; // string length 9 counts "BartSpec" and its NUL
    let e = load_error(v);
    assert!(e.contains("BartSpec"), "{e}");
}

#[test]
fn missing_files_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let e = Model::load(dir.path()).err().unwrap();
    assert!(matches!(e, LoadError::NotAModel(_)), "{e}");
    testutil::write_ct2(dir.path(), Store::F16);
    std::fs::remove_file(dir.path().join("model.bin")).unwrap();
    let e = Model::load(dir.path()).err().unwrap().to_string();
    assert!(e.contains("model.bin: missing"), "{e}");
    testutil::write_ct2(dir.path(), Store::F16);
    std::fs::remove_file(dir.path().join("vocabulary.txt")).unwrap();
    let e = Model::load(dir.path()).err().unwrap().to_string();
    assert!(e.contains("tokenizer.json: missing"), "{e}");
    testutil::write_ct2(dir.path(), Store::F16);
    std::fs::remove_file(dir.path().join("config.json")).unwrap();
    let e = Model::load(dir.path()).err().unwrap().to_string();
    assert!(e.contains("config.json: missing"), "{e}");
    let e = Model::load(&dir.path().join("nowhere"))
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("no such model folder"), "{e}");
}

#[test]
fn a_model_can_be_shared_with_a_worker_thread() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Model>();
    shareable::<crate::Segment>();
}

/// The whole chain on the tiny model (random weights: the text is noise), with inputs at the
/// edges: nothing, one sample, a blip, exactly 30 s, and 75 s without a pause.
#[test]
fn transcription_survives_odd_inputs() {
    let (_d, m) = folder(Some(Store::F16));
    let tone = |secs: f64| -> Vec<f32> {
        (0..(secs * 16_000.0) as usize)
            .map(|i| (i as f32 * 0.07).sin() * 0.3)
            .collect()
    };
    let opts = crate::Options {
        temperatures: vec![0.0, 0.5],
        ..crate::Options::default()
    };
    for audio in [vec![], vec![0.5], tone(0.05), tone(30.0), tone(75.0)] {
        let mut last = -1.0;
        let segments = crate::transcribe(&m, &audio, &opts, &mut |p| {
            assert!(p.done >= last && p.done <= 1.0);
            last = p.done;
            std::ops::ControlFlow::Continue(())
        })
        .unwrap();
        assert_eq!(last, 1.0);
        let end = audio.len() as u64 * 1000 / 16_000;
        let mut prev = 0;
        for s in &segments {
            assert!(
                s.start_ms >= prev && s.start_ms < s.end_ms && s.end_ms <= end,
                "{s:?}"
            );
            prev = s.end_ms;
        }
    }
}
