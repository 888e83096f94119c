//! The frame-time benchmark runs. It measures, it does not judge: no timing is asserted
//! here, only that every phase ran on the document asked for.

use fouille::bench::frames::{FrameOptions, generate_text};
use fouille::ui::bench::frame_times;

#[test]
fn benchmark_runs_every_phase_on_the_generated_document() {
    let report = frame_times(FrameOptions {
        chars: 20_000,
        codings: 300,
        frames: 4,
        size: (1200.0, 800.0),
        analysis_project: None,
    })
    .unwrap();
    assert!(
        report.chars >= 20_000 && report.chars < 21_000,
        "{}",
        report.chars
    );
    // 300 generated codings (a few may coincide), plus the ones the "code" phase adds.
    assert!(report.codings >= 290, "{}", report.codings);
    let phases: Vec<&str> = report.phases.iter().map(|p| p.phase.as_str()).collect();
    assert_eq!(phases.len(), 8, "{phases:?}");
    assert!(
        report
            .phases
            .iter()
            .all(|p| p.frames > 0 && p.worst_ms >= p.mean_ms)
    );
    let text = report.to_string();
    assert!(text.contains("scroll down") && text.contains("code the selection"));
}

#[test]
fn analysis_tables_and_searches_run_beside_the_frames_and_are_shown() {
    let dir = tempfile::tempdir().unwrap();
    let sample = crate::support::project::embedded_sample(dir.path());
    let report = frame_times(FrameOptions {
        chars: 5_000,
        codings: 50,
        frames: 2,
        size: (1200.0, 800.0),
        analysis_project: Some(sample),
    })
    .unwrap();
    let analysis: Vec<&str> = report
        .phases
        .iter()
        .map(|p| p.phase.as_str())
        .filter(|p| p.starts_with("analysis: "))
        .collect();
    // One phase per table, each ended by its result reaching the screen (an error or a
    // table that never came fails frame_times itself).
    assert_eq!(analysis.len(), 5, "{analysis:?}");
    for table in [
        "matrix",
        "cooccurrence",
        "controversies",
        "orientations",
        "words",
    ] {
        assert!(
            analysis.iter().any(|p| p.contains(table)),
            "{table}: {analysis:?}"
        );
    }
    // The search panel's searches and the preview of coding their hits, each ended by
    // its result reaching the screen.
    let search: Vec<&str> = report
        .phases
        .iter()
        .map(|p| p.phase.as_str())
        .filter(|p| p.starts_with("search: "))
        .collect();
    assert_eq!(search.len(), 4, "{search:?}");
    assert!(search[2].contains("mairie OR guichet*"), "{search:?}");
    assert!(search[3].contains("preview"), "{search:?}");
}

#[test]
fn generated_text_is_deterministic_and_has_accents_and_emoji() {
    let a = generate_text(5_000, 3);
    assert_eq!(a, generate_text(5_000, 3));
    assert!(a.contains('é') && a.contains("😅") && a.contains('\n'));
}
