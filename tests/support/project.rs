//! Fixtures: files of `tests/data`, the sample project, the `fouille` binary, and the
//! command line run in this process.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `fouille` binary cargo built for these tests.
pub const FOUILLE: &str = env!("CARGO_BIN_EXE_fouille");

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

/// Builds the sample project from the files of sample-data/ into `dir`.
pub fn sample_project(dir: &Path) -> PathBuf {
    let path = dir.join("sample.fouille");
    let files = fouille::sample::files_from_dir(&sample_dir()).expect("sample files");
    fouille::sample::build_sample(&path, &files).expect("build sample");
    path
}

/// Builds the sample project from the files bundled into the binary (what `fouille sample`
/// and the app's first start build) into `dir`.
pub fn embedded_sample(dir: &Path) -> PathBuf {
    let path = dir.join("sample.fouille");
    fouille::sample::build_sample(&path, &fouille::sample::embedded_files()).unwrap();
    path
}

/// Runs the `fouille` binary.
pub fn fouille(args: &[&str]) -> Output {
    Command::new(FOUILLE)
        .args(args)
        .output()
        .expect("run fouille")
}

/// Runs `fouille` and requires success; returns stdout.
pub fn fouille_ok(args: &[&str]) -> String {
    success(args, fouille(args))
}

/// Runs `fouille` in folder `dir` (relative paths are read from there) and requires
/// success; returns stdout.
pub fn fouille_ok_in(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(FOUILLE)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run fouille");
    success(args, out)
}

fn success(args: &[&str], out: Output) -> String {
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

/// Runs a `fouille` command line (without the program name) in this process, through the
/// same parser and dispatcher as the binary.
pub fn fouille_in_process(args: &[&str]) -> anyhow::Result<()> {
    let cli = <fouille::cli::Cli as clap::Parser>::try_parse_from(
        std::iter::once("fouille").chain(args.iter().copied()),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    fouille::cli::run(
        cli.global,
        cli.command.expect("a subcommand"),
        fouille::ui::bench::frame_times,
    )
}

/// Runs a `fouille` command line in this process and requires success.
pub fn fouille_in_process_ok(args: &[&str]) {
    fouille_in_process(args).unwrap_or_else(|e| panic!("{args:?}: {e}"));
}

/// Path as &str.
pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}
