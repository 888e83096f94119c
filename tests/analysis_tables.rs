//! Analysis tables (issue 4) on a small hand-built project whose right answers are worked
//! out below, by hand, from the codings listed in `fixture`.
//!
//! The project (offsets are chars; 😀 is one char):
//!
//! ```text
//! D1 Anne (Agent, Rural; wave 1)   "aaaa😀bbbb\ncccc dddd\neeee"   paragraphs 0..=9, 10..=19, 20..24
//!   c1  A  [0,9)   Alice          c2  A  [2,9)   Bob
//!   c3  T  [5,15)  Alice          c4  P1 [10,14) Alice          c5  B  [20,24) Bob
//! D2 Bruno (DGS, Urbain; wave 2)  "ffff gggggggg\nhhhh"           paragraphs 0..=13, 14..18
//!   c6  B  [0,4)   Alice          c7  B  [5,13)  Alice
//!   c8  O1 [0,13)  Bob            c9  T  [14,18) Bob
//! D3 Chloé (Agent, Urbain; wave 1) "iiii\njjjj"                   paragraphs 0..=4, 5..9
//!   c10 A  [0,4)   Alice          c11 P2 [5,9)   Alice          c12 T  [0,9)   Alice
//!   c16 A  [0,4)   Bob, then removed (a tombstone: never counted)
//! D4 Denis (Agent, Rural; consent withdrawn; wave 1) "kkkk"
//!   c13 A  [0,4)   Alice          (left out unless include_withdrawn)
//! D5 no respondent (wave 2)        "llll mmmm"                     one paragraph
//!   c14 T  [0,4)   Bob            c15 B  [5,9)   Bob
//! ```
//!
//! Codebook: folder Controverses › controversy C1 › poles A, B; folder Orientations ›
//! orientation O1 › pistes P1, P2; theme T at the root.

use fouille::analysis::balance::balances;
use fouille::analysis::charts::{self, HeatmapSource};
use fouille::analysis::crosstab::CrosstabSpec;
use fouille::analysis::{
    AnalysisFilter, Cell, CooccurrenceMode, CountUnit, Lang, PercentMode, Selection, Table,
    TableKind, TableOptions, compute,
};
use fouille::model::{AttributeScope, AttributeType, CodeKind, Consent, DocumentKind};
use fouille::store::codes::NewCode;
use fouille::store::documents::NewDocument;
use fouille::store::respondents::NewRespondent;
use fouille::store::{Project, attributes, codes, codings, documents, respondents};

pub struct Fixture {
    pub _dir: tempfile::TempDir,
    pub project: Project,
}

fn new_doc(name: &str, text: &str, respondent: Option<&str>) -> NewDocument {
    NewDocument {
        guid: None,
        name: name.into(),
        kind: DocumentKind::Interview,
        text: text.into(),
        origin: String::new(),
        media_path: None,
        respondent_guid: respondent.map(str::to_string),
    }
}

/// Builds the project described in the module documentation.
pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut project = Project::create(&dir.path().join("t.fouille"), "Test", Some("Alice")).unwrap();
    // Codebook, people, documents (as Alice).
    let (docs, code) = project
        .action("setup", |tx| {
            let folder = codes::insert(tx, NewCode::new("Controverses", CodeKind::Folder, None))?;
            let c1 = codes::insert(tx, NewCode::new("C1", CodeKind::Controversy, Some(&folder)))?;
            let a = codes::insert(tx, NewCode::new("A", CodeKind::Pole, Some(&c1)))?;
            let b = codes::insert(tx, NewCode::new("B", CodeKind::Pole, Some(&c1)))?;
            let ofolder = codes::insert(tx, NewCode::new("Orientations", CodeKind::Folder, None))?;
            let o1 = codes::insert(tx, NewCode::new("O1", CodeKind::Orientation, Some(&ofolder)))?;
            let p1 = codes::insert(tx, NewCode::new("P1", CodeKind::Piste, Some(&o1)))?;
            let p2 = codes::insert(tx, NewCode::new("P2", CodeKind::Piste, Some(&o1)))?;
            let t = codes::insert(tx, NewCode::new("T", CodeKind::Theme, None))?;
            let role = attributes::define(tx, "role", AttributeType::Text, AttributeScope::Respondent, None)?;
            let territory =
                attributes::define(tx, "territory", AttributeType::Text, AttributeScope::Respondent, None)?;
            let wave = attributes::define(tx, "wave", AttributeType::Text, AttributeScope::Document, None)?;
            let mut people = Vec::new();
            for (name, pseudo, consent, r, t) in [
                ("Anne", "Répondante 1", Consent::Given, "Agent", "Rural"),
                ("Bruno", "Répondant 2", Consent::Given, "DGS", "Urbain"),
                ("Chloé", "", Consent::Given, "Agent", "Urbain"),
                ("Denis", "Répondant 4", Consent::Withdrawn, "Agent", "Rural"),
            ] {
                let g = respondents::insert(
                    tx,
                    NewRespondent { guid: None, name: name.into(), pseudonym: pseudo.into(), consent },
                )?;
                attributes::set_value(tx, &role.guid, &g, Some(r))?;
                attributes::set_value(tx, &territory.guid, &g, Some(t))?;
                people.push(g);
            }
            let mut docs = Vec::new();
            for (name, text, who, w) in [
                ("D1", "aaaa😀bbbb\ncccc dddd\neeee", Some(0), "1"),
                ("D2", "ffff gggggggg\nhhhh", Some(1), "2"),
                ("D3", "iiii\njjjj", Some(2), "1"),
                ("D4", "kkkk", Some(3), "1"),
                ("D5", "llll mmmm", None, "2"),
            ] {
                let g = documents::insert(tx, new_doc(name, text, who.map(|i: usize| people[i].as_str())))?;
                attributes::set_value(tx, &wave.guid, &g, Some(w))?;
                docs.push(g);
            }
            Ok((docs, [c1, a, b, o1, p1, p2, t]))
        })
        .unwrap();
    let [_c1, a, b, o1, p1, p2, t] = code.clone();
    let apply = |project: &mut Project, list: &[(usize, &str, usize, usize)]| {
        project
            .action("code", |tx| {
                for &(d, c, s, e) in list {
                    codings::apply(tx, &docs[d], c, s, e)?;
                }
                Ok(())
            })
            .unwrap();
    };
    apply(&mut project, &[
        (0, &a, 0, 9),
        (0, &t, 5, 15),
        (0, &p1, 10, 14),
        (1, &b, 0, 4),
        (1, &b, 5, 13),
        (2, &a, 0, 4),
        (2, &p2, 5, 9),
        (2, &t, 0, 9),
        (3, &a, 0, 4),
    ]);
    project.set_coder("Bob").unwrap();
    apply(&mut project, &[
        (0, &a, 2, 9),
        (0, &b, 20, 24),
        (1, &o1, 0, 13),
        (1, &t, 14, 18),
        (4, &t, 0, 4),
        (4, &b, 5, 9),
    ]);
    let removed = project.action("c16", |tx| codings::apply(tx, &docs[2], &a, 0, 4)).unwrap();
    project.action("remove c16", |tx| codings::remove(tx, &removed)).unwrap();
    Fixture { _dir: dir, project }
}

fn selection(f: &Fixture, filter: AnalysisFilter) -> Selection {
    filter.resolve(f.project.conn(), Lang::En).unwrap()
}

fn all(f: &Fixture) -> Selection {
    selection(f, AnalysisFilter::default())
}

/// The row whose first cell is `label`.
fn row<'a>(table: &'a Table, label: &str) -> &'a [Cell] {
    table
        .rows
        .iter()
        .find(|r| r.first() == Some(&Cell::Text(label.into())))
        .unwrap_or_else(|| panic!("no row « {label} » in {}", table.title))
}

fn ints(cells: &[Cell]) -> Vec<i64> {
    cells
        .iter()
        .map(|c| match c {
            Cell::Int(i) => *i,
            other => panic!("not an integer: {other:?}"),
        })
        .collect()
}

fn pct(cell: &Cell) -> f64 {
    match cell {
        Cell::Percent(p) => *p,
        other => panic!("not a percentage: {other:?}"),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

// ---- frequencies ----

// issue 4
#[test]
fn frequencies_count_excerpts_documents_respondents_and_covered_characters() {
    let f = fixture();
    let t = fouille::analysis::frequencies::frequencies(&all(&f), false);
    assert_eq!(t.columns, ["Code", "Kind", "Excerpts", "Documents", "Respondents", "Characters"]);
    // Folders get no row without rollup.
    assert!(t.rows.iter().all(|r| r[0] != Cell::Text("Controverses".into())));
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
    assert!(t.notes.iter().any(|n| n.contains("withdrew consent")), "{:?}", t.notes);
}

// issue 4
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

// issue 4
#[test]
fn filters_by_coder_attribute_document_and_consent() {
    let f = fixture();
    let freq = |filter: AnalysisFilter| fouille::analysis::frequencies::frequencies(&selection(&f, filter), false);
    // Bob alone: A is c2 [2,9) only.
    let t = freq(AnalysisFilter { coders: vec!["Bob".into()], ..Default::default() });
    assert_eq!(ints(&row(&t, "Controverses/C1/A")[2..]), [1, 1, 1, 7]);
    assert_eq!(ints(&row(&t, "Total (all codes)")[2..3]), [6]);
    // territory = urbain (case does not matter): D2 and D3 only.
    let t = freq(AnalysisFilter { attributes: vec![("Territory".into(), "urbain".into())], ..Default::default() });
    assert_eq!(ints(&row(&t, "Controverses/C1/A")[2..]), [1, 1, 1, 4]);
    assert_eq!(ints(&row(&t, "Total (all codes)")[2..3]), [7]);
    // The same key twice means "or": Rural or Urbain = D1, D2, D3 (not D5, no value).
    let t = freq(AnalysisFilter {
        attributes: vec![("territory".into(), "Rural".into()), ("territory".into(), "Urbain".into())],
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
    let t = freq(AnalysisFilter { attributes: vec![("wave".into(), "2".into())], ..Default::default() });
    assert_eq!(ints(&row(&t, "Controverses/C1/B")[2..]), [3, 2, 1, 16]);
    // One document by name.
    let t = freq(AnalysisFilter { documents: vec!["D3".into()], ..Default::default() });
    assert_eq!(ints(&row(&t, "Total (all codes)")[2..]), [3, 1, 1, 9]);
    // Withdrawn consent kept on request: A gains c13 in D4 (Denis).
    let t = freq(AnalysisFilter { include_withdrawn: true, ..Default::default() });
    assert_eq!(ints(&row(&t, "Controverses/C1/A")[2..]), [4, 3, 3, 17]);
    // Codes: only C1 and its poles are shown.
    let t = freq(AnalysisFilter { codes: vec!["Controverses/C1".into()], ..Default::default() });
    assert_eq!(t.rows.len(), 3 + 1);
    assert_eq!(ints(&row(&t, "Total (all codes)")[2..3]), [7]);
    // Typos are errors, not empty tables.
    let err = AnalysisFilter { attributes: vec![("terrritory".into(), "x".into())], ..Default::default() }
        .resolve(f.project.conn(), Lang::En)
        .unwrap_err();
    assert!(err.to_string().contains("terrritory") && err.to_string().contains("territory"), "{err}");
    assert!(AnalysisFilter { coders: vec!["Zoé".into()], ..Default::default() }.resolve(f.project.conn(), Lang::En).is_err());
    assert!(AnalysisFilter { documents: vec!["D9".into()], ..Default::default() }.resolve(f.project.conn(), Lang::En).is_err());
}

// ---- matrix ----

// issue 4
#[test]
fn matrix_counts_and_presence_per_respondent() {
    let f = fixture();
    let sel = all(&f);
    let t = fouille::analysis::matrix::matrix(&sel, false, false);
    // Respondents with an excerpt, by name; then "(none)" for D5; then the total.
    assert_eq!(t.columns, ["Code", "Anne", "Bruno", "Chloé", "(none)", "Total"]);
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
    CrosstabSpec { attribute: attribute.into(), rollup, unit, percent }
}

// issue 4
#[test]
fn crosstab_counts_by_attribute_value() {
    let f = fixture();
    let sel = all(&f);
    let t = fouille::analysis::crosstab::crosstab(&sel, &spec("territory", CountUnit::Excerpts, PercentMode::Counts, false)).unwrap();
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
    let r = fouille::analysis::crosstab::crosstab(&sel, &spec("territory", CountUnit::Excerpts, PercentMode::Counts, true)).unwrap();
    assert_eq!(ints(&row(&r, "Controverses/C1")[1..]), [3, 3, 1, 7]);
    assert_eq!(ints(&row(&r, "Total")[1..]), [5, 7, 2, 14]);
    // By a document attribute: wave 1 = D1 + D3, wave 2 = D2 + D5.
    let w = fouille::analysis::crosstab::crosstab(&sel, &spec("wave", CountUnit::Excerpts, PercentMode::Counts, false)).unwrap();
    assert_eq!(w.columns, ["Code", "1", "2", "Total"]);
    assert_eq!(ints(&row(&w, "Controverses/C1/B")[1..]), [1, 3, 4]);
    // Unknown attribute.
    assert!(fouille::analysis::crosstab::crosstab(&sel, &spec("age", CountUnit::Excerpts, PercentMode::Counts, false)).is_err());
}

// issue 4
#[test]
fn crosstab_percentages_and_respondent_unit() {
    let f = fixture();
    let sel = all(&f);
    let t = fouille::analysis::crosstab::crosstab(&sel, &spec("territory", CountUnit::Excerpts, PercentMode::Row, false)).unwrap();
    let a = row(&t, "Controverses/C1/A");
    assert!(close(pct(&a[1]), 200.0 / 3.0) && close(pct(&a[2]), 100.0 / 3.0));
    assert!(close(pct(&a[3]), 0.0) && close(pct(&a[4]), 100.0));
    // The C1 row has no excerpt: no percentage at all.
    assert!(row(&t, "Controverses/C1")[1..].iter().all(|c| *c == Cell::Empty));
    // Total row as a share of all 14 excerpts.
    assert!(close(pct(&row(&t, "Total")[1]), 500.0 / 14.0));
    let t = fouille::analysis::crosstab::crosstab(&sel, &spec("territory", CountUnit::Excerpts, PercentMode::Column, false)).unwrap();
    let a = row(&t, "Controverses/C1/A");
    // 2 of Rural's 5, 1 of Urbain's 7, 0 of 2; 3 of all 14.
    assert!(close(pct(&a[1]), 40.0) && close(pct(&a[2]), 100.0 / 7.0) && close(pct(&a[3]), 0.0));
    assert!(close(pct(&a[4]), 300.0 / 14.0));
    assert!(row(&t, "Total")[1..].iter().all(|c| close(pct(c), 100.0)));
    // Respondents: A = Anne (Rural), Chloé (Urbain); B = Anne, Bruno (c15 has no respondent).
    let t = fouille::analysis::crosstab::crosstab(&sel, &spec("territory", CountUnit::Respondents, PercentMode::Counts, false)).unwrap();
    assert_eq!(ints(&row(&t, "Controverses/C1/A")[1..]), [1, 1, 0, 2]);
    assert_eq!(ints(&row(&t, "Controverses/C1/B")[1..]), [1, 1, 0, 2]);
    assert_eq!(ints(&row(&t, "Total")[1..]), [1, 2, 0, 3]);
    let t = fouille::analysis::crosstab::crosstab(&sel, &spec("territory", CountUnit::Respondents, PercentMode::Column, false)).unwrap();
    // Half of the Urbain respondents mention A.
    assert!(close(pct(&row(&t, "Controverses/C1/A")[2]), 50.0));
}

// ---- co-occurrence ----

fn cell(t: &Table, r: &str, c: &str) -> i64 {
    let col = t.columns.iter().position(|h| h == c).unwrap_or_else(|| panic!("no column {c}"));
    ints(&row(t, r)[col..=col])[0]
}

// issue 4
#[test]
fn cooccurrence_of_overlapping_excerpts() {
    let f = fixture();
    let sel = all(&f);
    let t = fouille::analysis::cooccurrence::cooccurrence(&sel, CooccurrenceMode::Overlap, false);
    // C1 has no excerpt of its own: left out.
    assert_eq!(t.rows.len(), 6);
    assert!(t.notes.iter().any(|n| n.contains("1 code(s)")));
    let (a, b, t_, o1, p1, p2) =
        ("Controverses/C1/A", "Controverses/C1/B", "T", "Orientations/O1", "Orientations/O1/P1", "Orientations/O1/P2");
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

// issue 4
#[test]
fn cooccurrence_within_the_same_paragraph() {
    let f = fixture();
    let sel = all(&f);
    let t = fouille::analysis::cooccurrence::cooccurrence(&sel, CooccurrenceMode::Paragraph, false);
    let (a, b, t_, o1, p1) = ("Controverses/C1/A", "Controverses/C1/B", "T", "Orientations/O1", "Orientations/O1/P1");
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

// issue 4
#[test]
fn controversy_balance_overall_and_by_attribute() {
    let f = fixture();
    let sel = all(&f);
    let b = balances(&sel);
    assert_eq!(b.len(), 1);
    assert_eq!((b[0].excerpts.clone(), b[0].respondents.clone(), b[0].no_side), (vec![3, 4], vec![2, 2], 0));
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
    assert_eq!(lines, [("Rural".into(), 2, 1), ("Urbain".into(), 1, 2), ("(none)".into(), 0, 1)]);
    assert!(close(pct(&by.rows[0][6]), 200.0 / 3.0));
    assert!(close(pct(&by.rows[2][7]), 100.0));
}

// issue 4
#[test]
fn representative_passages_prefer_agreement_then_length_then_new_voices() {
    let f = fixture();
    let sel = all(&f);
    let t = fouille::analysis::balance::representative_table(&sel);
    let side = |pole: &str| -> Vec<(String, String, i64, String)> {
        t.rows
            .iter()
            .filter(|r| r[1] == Cell::Text(pole.into()))
            .map(|r| (r[3].display(), r[4].display(), ints(&r[8..9])[0], r[9].display()))
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

// issue 4
#[test]
fn orientation_evidence_counts_respondents_and_roles() {
    let f = fixture();
    let sel = all(&f);
    let tables = fouille::analysis::orientations::orientation_tables(&sel, None).unwrap();
    let s = &tables[0];
    let lines: Vec<(String, i64, i64, String)> =
        s.rows.iter().map(|r| (r[1].display(), ints(&r[2..3])[0], ints(&r[3..4])[0], r[4].display())).collect();
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
    let texts: Vec<(String, String, String)> =
        e.rows.iter().map(|r| (r[1].display(), r[3].display(), r[8].display())).collect();
    assert_eq!(
        texts,
        [
            ("(on the orientation itself)".into(), "DGS".into(), "ffff gggggggg".into()),
            ("P1".into(), "Agent".into(), "cccc".into()),
            ("P2".into(), "Agent".into(), "jjjj".into()),
        ]
    );
    // An explicit role attribute that does not exist is an error.
    assert!(fouille::analysis::orientations::orientation_tables(&sel, Some("fonction")).is_err());
}

// ---- entry point and charts ----

// issue 4
#[test]
fn compute_dispatches_every_kind_in_french_and_charts_match_the_tables() {
    let f = fixture();
    let conn = f.project.conn();
    let filter = AnalysisFilter::default();
    for kind in TableKind::ALL {
        let options = TableOptions { by: (kind == TableKind::Crosstab).then(|| "territory".into()), ..Default::default() };
        let tables = compute(conn, kind, &filter, &options, Lang::Fr).unwrap();
        assert!(!tables.is_empty() && tables.iter().all(|t| !t.rows.is_empty()), "{kind:?}");
        assert!(tables.iter().all(|t| t.rows.iter().all(|r| r.len() == t.columns.len())), "{kind:?}");
    }
    let t = compute(conn, TableKind::Frequencies, &filter, &TableOptions::default(), Lang::Fr).unwrap();
    assert_eq!(t[0].columns[2], "Extraits");
    // The cross-tab needs --by.
    assert!(compute(conn, TableKind::Crosstab, &filter, &TableOptions::default(), Lang::Fr).is_err());

    let sel = all(&f);
    let bars = charts::frequency_series(&sel, false);
    let a = bars.iter().find(|b| b.path == "Controverses/C1/A").unwrap();
    assert_eq!((a.label.as_str(), a.value, a.depth), ("A", 3.0, 2));
    let balance = charts::balance_series(&sel);
    assert_eq!((balance[0].count_a, balance[0].count_b), (3, 4));
    assert!(close(balance[0].share_a().unwrap(), 300.0 / 7.0));
    let heat = charts::heatmap(&sel, &HeatmapSource::Matrix { presence: false }, false).unwrap();
    let i = heat.row_labels.iter().position(|l| l == "Controverses/C1/B").unwrap();
    assert_eq!(heat.values[i], [1.0, 2.0, 0.0, 1.0]);
    assert_eq!(heat.max_value(), 2.0);
    let co = charts::heatmap(&sel, &HeatmapSource::Cooccurrence(CooccurrenceMode::Overlap), false).unwrap();
    assert_eq!(co.row_labels.len(), co.column_labels.len());
    let cross = charts::heatmap(&sel, &HeatmapSource::Crosstab(spec("territory", CountUnit::Excerpts, PercentMode::Counts, false)), false).unwrap();
    assert_eq!(cross.column_labels, ["Rural", "Urbain", "(none)"]);
}
