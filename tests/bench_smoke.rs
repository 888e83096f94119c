//! The benchmark at small scale, as a smoke test: every figure is produced; no timing is
//! asserted.

#[test]
fn small_bench_produces_every_figure() {
    let dir = tempfile::tempdir().unwrap();
    let report = fouille::bench::run::run("small", dir.path(), 1, |_| {}).unwrap();
    let names: Vec<&str> = report.figures.iter().map(|f| f.name.as_str()).collect();
    for wanted in [
        "import",
        "raw insert (floor)",
        "open",
        "search",
        "retrieval",
        "table: frequencies",
        "table: controversy balance",
        "merge of two projects",
        "agreement (2 coders, chars)",
        "QDPX export + import",
        "lexical: phrase",
        "lexical: boolean",
        "lexical: NEAR",
        "lexical: word frequencies, corpus",
        "lexical: word frequencies, one code",
        "lexical: autocode 10,000 hits",
        "peak RSS: tables",
        "peak RSS: merge",
        "fixed work (machine speed)",
    ] {
        assert!(names.contains(&wanted), "missing {wanted} in {names:?}");
    }
    assert!(
        report
            .figures
            .iter()
            .all(|f| f.value.is_finite() && f.value >= 0.0)
    );
    let retrieval = report
        .figures
        .iter()
        .find(|f| f.name == "retrieval")
        .unwrap();
    assert!(retrieval.note.contains("excerpts"), "{}", retrieval.note);
}
