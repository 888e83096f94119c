//! Co-occurrence, controversy balance, orientation evidence, the entry point and the
//! chart series.

use super::{all, close, fixture, ints, pct, row};
use fouille::analysis::balance::balances;
use fouille::analysis::charts::{self, HeatmapSource};
use fouille::analysis::crosstab::CrosstabSpec;
use fouille::analysis::{
    AnalysisFilter, Cell, CooccurrenceMode, CountUnit, Lang, PercentMode, Table, TableKind,
    TableOptions, compute,
};

fn spec(attribute: &str, unit: CountUnit, percent: PercentMode, rollup: bool) -> CrosstabSpec {
    CrosstabSpec {
        attribute: attribute.into(),
        rollup,
        unit,
        percent,
    }
}

// ---- co-occurrence ----

fn cell(t: &Table, r: &str, c: &str) -> i64 {
    let col = t
        .columns
        .iter()
        .position(|h| h == c)
        .unwrap_or_else(|| panic!("no column {c}"));
    ints(&row(t, r)[col..=col])[0]
}

#[test]
fn cooccurrence_of_overlapping_excerpts() {
    let f = fixture();
    let sel = all(&f);
    let t = fouille::analysis::cooccurrence::cooccurrence(&sel, CooccurrenceMode::Overlap, false);
    // C1 has no excerpt of its own: left out.
    assert_eq!(t.rows.len(), 6);
    assert!(t.notes.iter().any(|n| n.contains("1 code(s)")));
    let (a, b, t_, o1, p1, p2) = (
        "Controverses/C1/A",
        "Controverses/C1/B",
        "T",
        "Orientations/O1",
        "Orientations/O1/P1",
        "Orientations/O1/P2",
    );
    // A–T: c1×c3, c2×c3 (D1), c10×c12 (D3).
    assert_eq!(cell(&t, a, t_), 3);
    assert_eq!(cell(&t, t_, a), 3);
    // B–O1: c6×c8, c7×c8 (c6 and c7 do not touch each other).
    assert_eq!(cell(&t, b, o1), 2);
    assert_eq!(cell(&t, t_, p1), 1);
    assert_eq!(cell(&t, t_, p2), 1);
    // D5: c14 [0,4) and c15 [5,9) do not overlap.
    assert_eq!(cell(&t, t_, b), 0);
    assert_eq!(cell(&t, a, b), 0);
    // Diagonal: the code's excerpts.
    assert_eq!(cell(&t, a, a), 3);
    assert_eq!(cell(&t, t_, t_), 4);
    // Rolled up: C1–T gets A's 3 pairs; A–C1 counts (c1 as A, c2 as C1) and (c2, c1).
    let r = fouille::analysis::cooccurrence::cooccurrence(&sel, CooccurrenceMode::Overlap, true);
    assert_eq!(cell(&r, "Controverses/C1", t_), 3);
    assert_eq!(cell(&r, a, "Controverses/C1"), 2);
    assert_eq!(cell(&r, "Controverses/C1", "Controverses/C1"), 7);
    assert_eq!(cell(&r, o1, t_), 2);
}

#[test]
fn cooccurrence_within_the_same_paragraph() {
    let f = fixture();
    let sel = all(&f);
    let t = fouille::analysis::cooccurrence::cooccurrence(&sel, CooccurrenceMode::Paragraph, false);
    let (a, b, t_, o1, p1) = (
        "Controverses/C1/A",
        "Controverses/C1/B",
        "T",
        "Orientations/O1",
        "Orientations/O1/P1",
    );
    // A–T: D1 paragraph 0 (c1, c2, c3) and D3 paragraph 0 (c10, c12).
    assert_eq!(cell(&t, a, t_), 2);
    // D5's single paragraph holds c14 (T) and c15 (B), which do not overlap.
    assert_eq!(cell(&t, b, t_), 1);
    assert_eq!(cell(&t, b, o1), 1);
    // c3 runs into D1 paragraph 1, where c4 (P1) is.
    assert_eq!(cell(&t, t_, p1), 1);
    // Diagonal: paragraphs touched. T: D1 ×2, D2 ×1, D3 ×2, D5 ×1.
    assert_eq!(cell(&t, t_, t_), 6);
    assert_eq!(cell(&t, b, b), 3);
    // Rolled up, A–C1 needs two different excerpts in one paragraph: D1 paragraph 0 (c1, c2)
    // yes, D3 paragraph 0 (c10 alone) no.
    let r = fouille::analysis::cooccurrence::cooccurrence(&sel, CooccurrenceMode::Paragraph, true);
    assert_eq!(cell(&r, a, "Controverses/C1"), 1);
}

// ---- controversy balance ----

#[test]
fn controversy_balance_overall_and_by_attribute() {
    let f = fixture();
    let sel = all(&f);
    let b = balances(&sel);
    assert_eq!(b.len(), 1);
    assert_eq!(
        (
            b[0].excerpts.clone(),
            b[0].respondents.clone(),
            b[0].no_side
        ),
        (vec![3, 4], vec![2, 2], 0)
    );
    let tables = fouille::analysis::balance::balance_tables(&sel, Some("territory")).unwrap();
    assert_eq!(tables.len(), 3);
    let overall = row(&tables[0], "C1");
    assert_eq!(overall[1], Cell::Text("A".into()));
    assert_eq!(ints(&overall[2..4]), [3, 2]);
    assert_eq!(overall[4], Cell::Text("B".into()));
    assert_eq!(ints(&overall[5..8]), [4, 2, 0]);
    assert!(close(pct(&overall[8]), 300.0 / 7.0) && close(pct(&overall[9]), 400.0 / 7.0));
    // By territory: Rural A 2 / B 1, Urbain A 1 / B 2, none A 0 / B 1.
    let by = &tables[1];
    assert_eq!(by.columns[1], "territory");
    let lines: Vec<(String, i64, i64)> = by
        .rows
        .iter()
        .map(|r| (r[1].display(), ints(&r[3..4])[0], ints(&r[5..6])[0]))
        .collect();
    assert_eq!(
        lines,
        [
            ("Rural".into(), 2, 1),
            ("Urbain".into(), 1, 2),
            ("(none)".into(), 0, 1)
        ]
    );
    assert!(close(pct(&by.rows[0][6]), 200.0 / 3.0));
    assert!(close(pct(&by.rows[2][7]), 100.0));
}

#[test]
fn representative_passages_prefer_agreement_then_length_then_new_voices() {
    let f = fixture();
    let sel = all(&f);
    let t = fouille::analysis::balance::representative_table(&sel);
    let side = |pole: &str| -> Vec<(String, String, i64, String)> {
        t.rows
            .iter()
            .filter(|r| r[1] == Cell::Text(pole.into()))
            .map(|r| {
                (
                    r[3].display(),
                    r[4].display(),
                    ints(&r[8..9])[0],
                    r[9].display(),
                )
            })
            .collect()
    };
    // A: c1 + c2 merge into one D1 passage [0,9) coded by both coders, who agree on [2,9):
    // it beats c10 (one coder). The emoji counts as one char.
    assert_eq!(
        side("A"),
        [
            ("Anne".into(), "D1".into(), 7, "aaaa😀bbbb".into()),
            ("Chloé".into(), "D3".into(), 4, "iiii".into())
        ]
    );
    // B: one coder everywhere; c7 is the longest (8), then c5, c6, c15 tie at 4 and go in
    // corpus order, but c6 is Bruno again, so c15 (no respondent) comes in instead.
    assert_eq!(
        side("B"),
        [
            ("Bruno".into(), "D2".into(), 8, "gggggggg".into()),
            ("Anne".into(), "D1".into(), 4, "eeee".into()),
            ("(none)".into(), "D5".into(), 4, "mmmm".into())
        ]
    );
    let coders: Vec<String> = t.rows.iter().map(|r| r[7].display()).collect();
    assert_eq!(coders[0], "Alice, Bob");
}

// ---- orientations ----

#[test]
fn orientation_evidence_counts_respondents_and_roles() {
    let f = fixture();
    let sel = all(&f);
    let tables = fouille::analysis::orientations::orientation_tables(&sel, None).unwrap();
    let s = &tables[0];
    let lines: Vec<(String, i64, i64, String)> = s
        .rows
        .iter()
        .map(|r| {
            (
                r[1].display(),
                ints(&r[2..3])[0],
                ints(&r[3..4])[0],
                r[4].display(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            // O1 overall: c8 (Bruno, DGS), c4 (Anne, Agent), c11 (Chloé, Agent).
            ("(all)".into(), 3, 3, "Agent (2) ; DGS (1)".into()),
            ("(on the orientation itself)".into(), 1, 1, "DGS (1)".into()),
            ("P1".into(), 1, 1, "Agent (1)".into()),
            ("P2".into(), 1, 1, "Agent (1)".into()),
        ]
    );
    let e = &tables[1];
    let texts: Vec<(String, String, String)> = e
        .rows
        .iter()
        .map(|r| (r[1].display(), r[3].display(), r[8].display()))
        .collect();
    assert_eq!(
        texts,
        [
            (
                "(on the orientation itself)".into(),
                "DGS".into(),
                "ffff gggggggg".into()
            ),
            ("P1".into(), "Agent".into(), "cccc".into()),
            ("P2".into(), "Agent".into(), "jjjj".into()),
        ]
    );
    // An explicit role attribute that does not exist is an error.
    assert!(fouille::analysis::orientations::orientation_tables(&sel, Some("fonction")).is_err());
}

// ---- entry point and charts ----

#[test]
fn compute_dispatches_every_kind_in_french_and_charts_match_the_tables() {
    let f = fixture();
    let conn = f.project.conn();
    let filter = AnalysisFilter::default();
    for kind in TableKind::ALL {
        let options = TableOptions {
            by: (kind == TableKind::Crosstab).then(|| "territory".into()),
            ..Default::default()
        };
        let tables = compute(conn, kind, &filter, &options, Lang::Fr).unwrap();
        assert!(
            !tables.is_empty() && tables.iter().all(|t| !t.rows.is_empty()),
            "{kind:?}"
        );
        assert!(
            tables
                .iter()
                .all(|t| t.rows.iter().all(|r| r.len() == t.columns.len())),
            "{kind:?}"
        );
    }
    let t = compute(
        conn,
        TableKind::Frequencies,
        &filter,
        &TableOptions::default(),
        Lang::Fr,
    )
    .unwrap();
    assert_eq!(t[0].columns[2], "Extraits");
    // The cross-tab needs --by.
    assert!(
        compute(
            conn,
            TableKind::Crosstab,
            &filter,
            &TableOptions::default(),
            Lang::Fr
        )
        .is_err()
    );

    let sel = all(&f);
    let bars = charts::frequency_series(&sel, false);
    let a = bars.iter().find(|b| b.path == "Controverses/C1/A").unwrap();
    assert_eq!((a.label.as_str(), a.value, a.depth), ("A", 3.0, 2));
    let balance = charts::balance_series(&sel);
    assert_eq!((balance[0].count_a, balance[0].count_b), (3, 4));
    assert!(close(balance[0].share_a().unwrap(), 300.0 / 7.0));
    let heat = charts::heatmap(&sel, &HeatmapSource::Matrix { presence: false }, false).unwrap();
    let i = heat
        .row_labels
        .iter()
        .position(|l| l == "Controverses/C1/B")
        .unwrap();
    assert_eq!(heat.values[i], [1.0, 2.0, 0.0, 1.0]);
    assert_eq!(heat.max_value(), 2.0);
    let co = charts::heatmap(
        &sel,
        &HeatmapSource::Cooccurrence(CooccurrenceMode::Overlap),
        false,
    )
    .unwrap();
    assert_eq!(co.row_labels.len(), co.column_labels.len());
    let cross = charts::heatmap(
        &sel,
        &HeatmapSource::Crosstab(spec(
            "territory",
            CountUnit::Excerpts,
            PercentMode::Counts,
            false,
        )),
        false,
    )
    .unwrap();
    assert_eq!(cross.column_labels, ["Rural", "Urbain", "(none)"]);
}
