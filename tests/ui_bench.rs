//! The frame-time benchmark runs. It measures, it does not judge: no timing is asserted
//! here, only that every phase ran on the document asked for.

use fouille::ui::bench::{BenchOptions, frame_times, generate_text};

#[test]
fn benchmark_runs_every_phase_on_the_generated_document() {
    let report = frame_times(BenchOptions {
        chars: 20_000,
        codings: 300,
        frames: 4,
        size: (1200.0, 800.0),
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
fn generated_text_is_deterministic_and_has_accents_and_emoji() {
    let a = generate_text(5_000, 3);
    assert_eq!(a, generate_text(5_000, 3));
    assert!(a.contains('é') && a.contains("😅") && a.contains('\n'));
}
