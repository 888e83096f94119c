//! Shared fixtures for the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A file of tests/data.
pub fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

/// The sample-data folder.
pub fn sample_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-data")
}

/// Runs the `fouille` binary.
pub fn fouille(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fouille"))
        .args(args)
        .output()
        .expect("run fouille")
}

/// Runs `fouille` and requires success; returns stdout.
pub fn fouille_ok(args: &[&str]) -> String {
    let out = fouille(args);
    assert!(
        out.status.success(),
        "fouille {args:?} failed:\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 stdout")
}

/// Runs `fouille` and requires failure; returns stderr.
pub fn fouille_err(args: &[&str]) -> String {
    let out = fouille(args);
    assert!(
        !out.status.success(),
        "fouille {args:?} should have failed:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// Runs `fouille … --json` and parses stdout.
pub fn fouille_json(args: &[&str]) -> serde_json::Value {
    let out = fouille_ok(args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// Path as &str.
pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Builds the sample project (from sample-data/) into `dir`, once per call.
pub fn sample_project(dir: &Path) -> PathBuf {
    let path = dir.join("sample.fouille");
    let files = fouille::sample::files_from_dir(&sample_dir()).expect("sample files");
    fouille::sample::build_sample(&path, &files).expect("build sample");
    path
}
