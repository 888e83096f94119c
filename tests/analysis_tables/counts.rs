//! Frequencies, filters, the code × respondent matrix and the cross-tab.

use super::{all, close, fixture, ints, pct, row, selection};
use fouille::analysis::crosstab::CrosstabSpec;
use fouille::analysis::{AnalysisFilter, Cell, CountUnit, Lang, PercentMode};

// ---- frequencies ----

#[test]
fn frequencies_count_excerpts_documents_respondents_and_covered_characters() {
    let f = fixture();
    let t = fouille::analysis::frequencies::frequencies(&all(&f), false);
    assert_eq!(
        t.columns,
        [
            "Code",
            "Kind",
            "Excerpts",
            "Documents",
            "Respondents",
            "Characters"
        ]
    );
    // Folders get no row without rollup.
    assert!(
        t.rows
            .iter()
            .all(|r| r[0] != Cell::Text("Controverses".into()))
    );
    // A: c1, c2 (D1, Anne), c10 (D3, Chloé); c13 (withdrawn) and c16 (removed) left out.
    // Characters: D1 [0,9) ∪ [2,9) = 9, D3 [0,4) = 4.
    assert_eq!(ints(&row(&t, "Controverses/C1/A")[2..]), [3, 2, 2, 13]);
    // B: c5 (D1), c6 + c7 (D2), c15 (D5, no respondent): 4 + 4 + 8 + 4 characters.
    assert_eq!(ints(&row(&t, "Controverses/C1/B")[2..]), [4, 3, 2, 20]);
    assert_eq!(ints(&row(&t, "Controverses/C1")[2..]), [0, 0, 0, 0]);
    assert_eq!(ints(&row(&t, "Orientations/O1")[2..]), [1, 1, 1, 13]);
    assert_eq!(ints(&row(&t, "Orientations/O1/P1")[2..]), [1, 1, 1, 4]);
    // T: c3 (10 chars), c9 (4), c12 (9), c14 (4).
    assert_eq!(ints(&row(&t, "T")[2..]), [4, 4, 3, 27]);
    // All codes: 14 excerpts in D1, D2, D3, D5; 3 respondents; union per document
    // D1 [0,15) + [20,24) = 19, D2 [0,13) + [14,18) = 17, D3 9, D5 4 + 4 = 8.
    assert_eq!(ints(&row(&t, "Total (all codes)")[2..]), [14, 4, 3, 53]);
    assert!(
        t.notes.iter().any(|n| n.contains("withdrew consent")),
        "{:?}",
        t.notes
    );
}

#[test]
fn frequencies_roll_children_up_into_parents() {
    let f = fixture();
    let t = fouille::analysis::frequencies::frequencies(&all(&f), true);
    // C1 = A + B: 7 excerpts; D1, D2, D3, D5; Anne, Bruno, Chloé;
    // D1 [0,9) + [20,24) = 13, D2 [0,4) + [5,13) = 12, D3 4, D5 4.
    assert_eq!(ints(&row(&t, "Controverses/C1")[2..]), [7, 4, 3, 33]);
    assert_eq!(ints(&row(&t, "Controverses")[2..]), [7, 4, 3, 33]);
    // O1 = c8 + c4 + c11: 13 + 4 + 4 characters.
    assert_eq!(ints(&row(&t, "Orientations/O1")[2..]), [3, 3, 3, 21]);
    assert_eq!(ints(&row(&t, "Orientations")[2..]), [3, 3, 3, 21]);
    assert_eq!(ints(&row(&t, "Controverses/C1/A")[2..]), [3, 2, 2, 13]);
}

#[test]
fn filters_by_coder_attribute_document_and_consent() {
    let f = fixture();
    let freq = |filter: AnalysisFilter| {
        fouille::analysis::frequencies::frequencies(&selection(&f, filter), false)
    };
    // Bob alone: A is c2 [2,9) only.
    let t = freq(AnalysisFilter {
        coders: vec!["Bob".into()],
        ..Default::default()
    });
    assert_eq!(ints(&row(&t, "Controverses/C1/A")[2..]), [1, 1, 1, 7]);
    assert_eq!(ints(&row(&t, "Total (all codes)")[2..3]), [6]);
    // territory = urbain (case does not matter): D2 and D3 only.
    let t = freq(AnalysisFilter {
        attributes: vec![("Territory".into(), "urbain".into())],
        ..Default::default()
    });
    assert_eq!(ints(&row(&t, "Controverses/C1/A")[2..]), [1, 1, 1, 4]);
    assert_eq!(ints(&row(&t, "Total (all codes)")[2..3]), [7]);
    // The same key twice means "or": Rural or Urbain = D1, D2, D3 (not D5, no value).
    let t = freq(AnalysisFilter {
        attributes: vec![
            ("territory".into(), "Rural".into()),
            ("territory".into(), "Urbain".into()),
        ],
        ..Default::default()
    });
    assert_eq!(ints(&row(&t, "Total (all codes)")[2..3]), [12]);
    // Different keys mean "and": Agent and wave 1 = D1 and D3.
    let t = freq(AnalysisFilter {
        attributes: vec![("role".into(), "Agent".into()), ("wave".into(), "1".into())],
        ..Default::default()
    });
    assert_eq!(ints(&row(&t, "Total (all codes)")[2..3]), [8]);
    // A document attribute alone: wave 2 = D2 and D5.
    let t = freq(AnalysisFilter {
        attributes: vec![("wave".into(), "2".into())],
        ..Default::default()
    });
    assert_eq!(ints(&row(&t, "Controverses/C1/B")[2..]), [3, 2, 1, 16]);
    // One document by name.
    let t = freq(AnalysisFilter {
        documents: vec!["D3".into()],
        ..Default::default()
    });
    assert_eq!(ints(&row(&t, "Total (all codes)")[2..]), [3, 1, 1, 9]);
    // Withdrawn consent kept on request: A gains c13 in D4 (Denis).
    let t = freq(AnalysisFilter {
        include_withdrawn: true,
        ..Default::default()
    });
    assert_eq!(ints(&row(&t, "Controverses/C1/A")[2..]), [4, 3, 3, 17]);
    // Codes: only C1 and its poles are shown.
    let t = freq(AnalysisFilter {
        codes: vec!["Controverses/C1".into()],
        ..Default::default()
    });
    assert_eq!(t.rows.len(), 3 + 1);
    assert_eq!(ints(&row(&t, "Total (all codes)")[2..3]), [7]);
    // Typos are errors, not empty tables.
    let err = AnalysisFilter {
        attributes: vec![("terrritory".into(), "x".into())],
        ..Default::default()
    }
    .resolve(f.project.conn(), Lang::En)
    .unwrap_err();
    assert!(
        err.to_string().contains("terrritory") && err.to_string().contains("territory"),
        "{err}"
    );
    assert!(
        AnalysisFilter {
            coders: vec!["Zoé".into()],
            ..Default::default()
        }
        .resolve(f.project.conn(), Lang::En)
        .is_err()
    );
    assert!(
        AnalysisFilter {
            documents: vec!["D9".into()],
            ..Default::default()
        }
        .resolve(f.project.conn(), Lang::En)
        .is_err()
    );
}

// ---- matrix ----

#[test]
fn matrix_counts_and_presence_per_respondent() {
    let f = fixture();
    let sel = all(&f);
    let t = fouille::analysis::matrix::matrix(&sel, false, false);
    // Respondents with an excerpt, by name; then "(none)" for D5; then the total.
    assert_eq!(
        t.columns,
        ["Code", "Anne", "Bruno", "Chloé", "(none)", "Total"]
    );
    assert_eq!(ints(&row(&t, "Controverses/C1/A")[1..]), [2, 0, 1, 0, 3]);
    assert_eq!(ints(&row(&t, "Controverses/C1/B")[1..]), [1, 2, 0, 1, 4]);
    assert_eq!(ints(&row(&t, "T")[1..]), [1, 1, 1, 1, 4]);
    assert_eq!(ints(&row(&t, "Orientations/O1")[1..]), [0, 1, 0, 0, 1]);
    let p = fouille::analysis::matrix::matrix(&sel, false, true);
    assert_eq!(p.columns.last().map(String::as_str), Some("Respondents"));
    assert_eq!(ints(&row(&p, "Controverses/C1/A")[1..]), [1, 0, 1, 0, 2]);
    assert_eq!(ints(&row(&p, "Controverses/C1/B")[1..]), [1, 1, 0, 1, 3]);
    // Rolled up: O1 = c4 (Anne) + c8 (Bruno) + c11 (Chloé).
    let r = fouille::analysis::matrix::matrix(&sel, true, false);
    assert_eq!(ints(&row(&r, "Orientations/O1")[1..]), [1, 1, 1, 0, 3]);
    // Pseudonyms when asked (Chloé has none and keeps her name).
    let mut named = sel.clone();
    named.pseudonyms = true;
    let t = fouille::analysis::matrix::matrix(&named, false, false);
    assert_eq!(t.columns[1..4], ["Chloé", "Répondant 2", "Répondante 1"]);
}

// ---- cross-tab ----

fn spec(attribute: &str, unit: CountUnit, percent: PercentMode, rollup: bool) -> CrosstabSpec {
    CrosstabSpec {
        attribute: attribute.into(),
        rollup,
        unit,
        percent,
    }
}

#[test]
fn crosstab_counts_by_attribute_value() {
    let f = fixture();
    let sel = all(&f);
    let t = fouille::analysis::crosstab::crosstab(
        &sel,
        &spec("territory", CountUnit::Excerpts, PercentMode::Counts, false),
    )
    .unwrap();
    assert_eq!(t.columns, ["Code", "Rural", "Urbain", "(none)", "Total"]);
    // A: c1, c2 in D1 (Rural); c10 in D3 (Urbain).
    assert_eq!(ints(&row(&t, "Controverses/C1/A")[1..]), [2, 1, 0, 3]);
    // B: c5 (Rural); c6, c7 (Urbain); c15 (D5, no respondent).
    assert_eq!(ints(&row(&t, "Controverses/C1/B")[1..]), [1, 2, 1, 4]);
    // T: c3 (Rural); c9, c12 (Urbain); c14 (none).
    assert_eq!(ints(&row(&t, "T")[1..]), [1, 2, 1, 4]);
    // Column totals: D1 has 5 excerpts, D2 + D3 have 7, D5 has 2.
    assert_eq!(ints(&row(&t, "Total")[1..]), [5, 7, 2, 14]);
    // Rolled up: C1 = A + B.
    let r = fouille::analysis::crosstab::crosstab(
        &sel,
        &spec("territory", CountUnit::Excerpts, PercentMode::Counts, true),
    )
    .unwrap();
    assert_eq!(ints(&row(&r, "Controverses/C1")[1..]), [3, 3, 1, 7]);
    assert_eq!(ints(&row(&r, "Total")[1..]), [5, 7, 2, 14]);
    // By a document attribute: wave 1 = D1 + D3, wave 2 = D2 + D5.
    let w = fouille::analysis::crosstab::crosstab(
        &sel,
        &spec("wave", CountUnit::Excerpts, PercentMode::Counts, false),
    )
    .unwrap();
    assert_eq!(w.columns, ["Code", "1", "2", "Total"]);
    assert_eq!(ints(&row(&w, "Controverses/C1/B")[1..]), [1, 3, 4]);
    // Unknown attribute.
    assert!(
        fouille::analysis::crosstab::crosstab(
            &sel,
            &spec("age", CountUnit::Excerpts, PercentMode::Counts, false)
        )
        .is_err()
    );
}

#[test]
fn crosstab_percentages_and_respondent_unit() {
    let f = fixture();
    let sel = all(&f);
    let t = fouille::analysis::crosstab::crosstab(
        &sel,
        &spec("territory", CountUnit::Excerpts, PercentMode::Row, false),
    )
    .unwrap();
    let a = row(&t, "Controverses/C1/A");
    assert!(close(pct(&a[1]), 200.0 / 3.0) && close(pct(&a[2]), 100.0 / 3.0));
    assert!(close(pct(&a[3]), 0.0) && close(pct(&a[4]), 100.0));
    // The C1 row has no excerpt: no percentage at all.
    assert!(
        row(&t, "Controverses/C1")[1..]
            .iter()
            .all(|c| *c == Cell::Empty)
    );
    // Total row as a share of all 14 excerpts.
    assert!(close(pct(&row(&t, "Total")[1]), 500.0 / 14.0));
    let t = fouille::analysis::crosstab::crosstab(
        &sel,
        &spec("territory", CountUnit::Excerpts, PercentMode::Column, false),
    )
    .unwrap();
    let a = row(&t, "Controverses/C1/A");
    // 2 of Rural's 5, 1 of Urbain's 7, 0 of 2; 3 of all 14.
    assert!(close(pct(&a[1]), 40.0) && close(pct(&a[2]), 100.0 / 7.0) && close(pct(&a[3]), 0.0));
    assert!(close(pct(&a[4]), 300.0 / 14.0));
    assert!(row(&t, "Total")[1..].iter().all(|c| close(pct(c), 100.0)));
    // Respondents: A = Anne (Rural), Chloé (Urbain); B = Anne, Bruno (c15 has no respondent).
    let t = fouille::analysis::crosstab::crosstab(
        &sel,
        &spec(
            "territory",
            CountUnit::Respondents,
            PercentMode::Counts,
            false,
        ),
    )
    .unwrap();
    assert_eq!(ints(&row(&t, "Controverses/C1/A")[1..]), [1, 1, 0, 2]);
    assert_eq!(ints(&row(&t, "Controverses/C1/B")[1..]), [1, 1, 0, 2]);
    assert_eq!(ints(&row(&t, "Total")[1..]), [1, 2, 0, 3]);
    let t = fouille::analysis::crosstab::crosstab(
        &sel,
        &spec(
            "territory",
            CountUnit::Respondents,
            PercentMode::Column,
            false,
        ),
    )
    .unwrap();
    // Half of the Urbain respondents mention A.
    assert!(close(pct(&row(&t, "Controverses/C1/A")[2]), 50.0));
}
