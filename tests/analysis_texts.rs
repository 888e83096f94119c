//! Texts read for the analysis on two connections at once: with hundreds of documents,
//! quotes, paragraph starts and whole texts read in parallel are exactly those read one by
//! one.

use fouille::analysis::{AnalysisFilter, CooccurrenceMode, TableKind, TableOptions, compute};
use fouille::bench::corpus::{CorpusSpec, generate};
use fouille::model::Lang;
use fouille::model::text::{line_start_chars, slice_chars};
use fouille::store::documents;

#[test]
fn parallel_reading_gives_what_reading_one_by_one_gives() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.fouille");
    let spec = CorpusSpec {
        interviews: 240,
        words_per_interview: 300,
        codes: 300,
        codings: 4_000,
        coders: 2,
        long_transcript_chars: 3_000,
        long_transcript_codings: 20,
    };
    let project = fouille::bench::load::import(&path, &generate(spec, 7)).unwrap();
    let conn = project.conn();
    let mut sel = AnalysisFilter::default()
        .resolve_without_texts(conn, Lang::Fr)
        .unwrap();
    let docs: std::collections::BTreeSet<usize> = sel.items.iter().map(|i| i.doc).collect();
    assert!(docs.len() >= 200, "{} documents hold codings", docs.len());
    // Quotes: every coding's own range.
    let ranges: Vec<(usize, usize, usize)> = sel
        .items
        .iter()
        .map(|i| (i.doc, i.start_char, i.end_char))
        .collect();
    sel.load_quotes(conn, &ranges).unwrap();
    let mut paragraphs = sel.clone();
    paragraphs.load_paragraphs(conn).unwrap();
    let mut whole = sel.clone();
    whole.load_texts(conn).unwrap();
    for &d in &docs {
        let text = documents::text(conn, &sel.documents[d].guid).unwrap();
        assert_eq!(whole.texts[d], text);
        assert_eq!(
            &*paragraphs.paragraph_starts(d),
            line_start_chars(text.as_bytes()).as_slice()
        );
    }
    for &(d, s, e) in &ranges {
        let text = &whole.texts[d];
        assert_eq!(
            sel.text_range(d, s, e),
            slice_chars(text, s, e).unwrap(),
            "{d} {s}..{e}"
        );
    }
    // The co-occurrence by paragraph through `compute` (paragraph starts read on the other
    // core while the filter resolves) equals the one computed from the whole texts.
    let options = TableOptions {
        cooccurrence: CooccurrenceMode::Paragraph,
        ..Default::default()
    };
    let computed = compute(
        conn,
        TableKind::Cooccurrence,
        &AnalysisFilter::default(),
        &options,
        Lang::Fr,
    )
    .unwrap();
    let from_texts =
        fouille::analysis::compute_on(&whole, TableKind::Cooccurrence, &options).unwrap();
    assert_eq!(computed[0].rows, from_texts[0].rows);
}
