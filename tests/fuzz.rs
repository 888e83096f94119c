//! Mutation fuzzing of every importer and of the offset conversions. CI runs a short round;
//! `fouille fuzz --target all --minutes 10` runs a long one.

use crate::support::project::data;
use std::time::Duration;

#[test]
fn a_short_fuzzing_round_finds_no_panic_or_hang() {
    let dir = tempfile::tempdir().unwrap();
    let report = fouille::fuzz::fuzz(
        fouille::fuzz::TARGETS,
        Duration::from_secs(4),
        400,
        20261122,
        dir.path(),
    );
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    assert_eq!(report.runs.len(), fouille::fuzz::TARGETS.len());
    assert!(report.runs.iter().all(|(_, n)| *n > 0));
}

#[test]
fn saved_regressions_stay_fixed() {
    let mut ran = 0;
    for entry in std::fs::read_dir(data("fuzz-regressions")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Some((target, _)) = name.split_once('-') else {
            continue;
        };
        if !name.ends_with(".bin") {
            continue;
        }
        let bytes = fouille::fuzz::read_input(&path).unwrap();
        fouille::fuzz::run_target(target, &bytes);
        ran += 1;
    }
    // A folder emptied by mistake must not pass for a clean run.
    assert!(ran >= 5, "only {ran} saved inputs were run");
}
