//! Inter-coder agreement: the formulas on worked textbook examples, on real projects at
//! character and segment level, disagreements and accepting one coder's version, blinded
//! coding, and the CLI.

use fouille::analysis::Cell;
use fouille::model::{CodeId, CodeKind, CoderId, DocumentId, DocumentKind};
use fouille::store::codes::NewCode;
use fouille::store::documents::NewDocument;
use fouille::store::excerpts::ExcerptFilter;
use fouille::store::{Project, coders, codes, codings, documents};
use fouille::team::accept::accept_version;
use fouille::team::agreement::{Tally, cohen_kappa, krippendorff_alpha_nominal, percent_agreement};
use fouille::team::blind::{self, Visibility};
use fouille::team::coverage::{AgreementRequest, UnitKind, agreement, segments};
use std::path::Path;

use crate::support::project::fouille_in_process_ok;
use crate::support::team::{T0, at};

fn close(a: Option<f64>, b: f64) {
    let a = a.unwrap_or_else(|| panic!("expected {b}, got None"));
    assert!((a - b).abs() < 1e-9, "expected {b}, got {a}");
}

// Krippendorff's own nominal example, 4 coders × 12 units with missing values ("Computing
// Krippendorff's alpha-reliability", 2011; Content Analysis, ch. 12).
//
// Worked by hand with the coincidence matrix: unit 1 (1,1,1; m = 3) adds 6 × 1/2 = 3 to
// o_11; unit 12 (one value) is not pairable. Off the diagonal: unit 2 (2,2,3,2; m = 4)
// adds (2,3) and (3,2) three times each at 1/3 = 2; unit 6 (1,2,3,4) adds its 12 ordered
// pairs at 1/3 = 4; unit 8 (1,1,2,1) adds 2: Σ_{c≠k} o_ck = 8. The marginals are n_1 = 9,
// n_2 = 13, n_3 = 10, n_4 = 5, n_5 = 3, n = 40, so Σ_{c≠k} n_c n_k = 40² − (81 + 169 + 100
// + 25 + 9) = 1216 and α = 1 − 39 × 8 / 1216 = 113/152 = 0.743421…
#[test]
fn krippendorff_nominal_example_with_missing_values() {
    let n = None;
    let s = Some;
    let matrix = vec![
        vec![
            s(1),
            s(2),
            s(3),
            s(3),
            s(2),
            s(1),
            s(4),
            s(1),
            s(2),
            n,
            n,
            n,
        ],
        vec![
            s(1),
            s(2),
            s(3),
            s(3),
            s(2),
            s(2),
            s(4),
            s(1),
            s(2),
            s(5),
            n,
            s(3),
        ],
        vec![
            n,
            s(3),
            s(3),
            s(3),
            s(2),
            s(3),
            s(4),
            s(2),
            s(2),
            s(5),
            s(1),
            n,
        ],
        vec![
            s(1),
            s(2),
            s(3),
            s(3),
            s(2),
            s(4),
            s(4),
            s(1),
            s(2),
            s(5),
            s(1),
            n,
        ],
    ];
    close(krippendorff_alpha_nominal(&matrix), 113.0 / 152.0);
    assert!((krippendorff_alpha_nominal(&matrix).unwrap() - 0.743).abs() < 0.0005);
    // 11 pairable units (unit 12 has one value); all present values agree on units 1, 3,
    // 4, 5, 7, 9, 10, 11: 8 of 11.
    close(percent_agreement(&matrix), 800.0 / 11.0);
}

// Cohen's kappa worked by hand. 50 excerpts, coders A and B say yes/no:
//            B yes  B no
//   A yes      20     5     (A: 25 yes)
//   A no       10    15     (B: 30 yes)
// p_o = (20 + 15) / 50 = 0.7; p_e = 0.5 × 0.6 + 0.5 × 0.4 = 0.5; κ = (0.7 − 0.5) / 0.5 = 0.4.
// Alpha on the same data: o_11 = 40, o_00 = 30, o_10 = o_01 = 15; n_1 = 55, n_0 = 45,
// n = 100; α = 1 − 99 × 30 / (2 × 45 × 55) = 1 − 2970 / 4950 = 0.4.
#[test]
fn cohen_kappa_hand_example() {
    let mut a = Vec::new();
    let mut b = Vec::new();
    for (x, y, count) in [(1, 1, 20), (1, 0, 5), (0, 1, 10), (0, 0, 15)] {
        for _ in 0..count {
            a.push(x);
            b.push(y);
        }
    }
    close(cohen_kappa(&a, &b), 0.4);
    let matrix = vec![
        a.iter().map(|v| Some(*v)).collect(),
        b.iter().map(|v| Some(*v)).collect(),
    ];
    close(krippendorff_alpha_nominal(&matrix), 0.4);
    close(percent_agreement(&matrix), 70.0);
}

#[test]
fn perfect_agreement_no_variation_and_missing_values() {
    // Perfect agreement with variation: every coefficient is 1.
    let a = [1, 0, 1, 1, 0];
    close(cohen_kappa(&a, &a), 1.0);
    let m = vec![a.iter().map(|v| Some(*v)).collect::<Vec<_>>(); 3];
    close(krippendorff_alpha_nominal(&m), 1.0);
    close(percent_agreement(&m), 100.0);
    // No variation: both coders said "not coded" everywhere; agreement is total but kappa
    // and alpha are undefined (no chance of disagreement to correct for).
    let zeros = [0, 0, 0, 0];
    assert_eq!(cohen_kappa(&zeros, &zeros), None);
    assert_eq!(
        krippendorff_alpha_nominal(&[vec![Some(0); 4], vec![Some(0); 4]]),
        None
    );
    close(
        percent_agreement(&[vec![Some(0); 4], vec![Some(0); 4]]),
        100.0,
    );
    // Missing values: u1 (1,1,–), u2 (0,0,0), u3 (1,0,–), u4 (–,1,–) not pairable.
    // o_11 = 2, o_00 = 6 × 1/2 = 3, o_10 = o_01 = 1; n_1 = 3, n_0 = 4, n = 7;
    // α = 1 − 6 × 2 / (2 × 3 × 4) = 0.5; agreement on 2 of the 3 pairable units.
    let m = vec![
        vec![Some(1), Some(0), Some(1), None],
        vec![Some(1), Some(0), Some(0), Some(1)],
        vec![None, Some(0), None, None],
    ];
    close(krippendorff_alpha_nominal(&m), 0.5);
    close(percent_agreement(&m), 200.0 / 3.0);
    assert_eq!(Tally::default().krippendorff_alpha(), None);
    assert_eq!(Tally::default().percent_agreement(), None);
}

/// A project with one 100-char document, codes X and Y, and coders Claire and Yann:
/// Claire codes X on [10,30) and [50,60); Yann codes X on [20,40) and Y on [0,5).
fn two_coder_project(path: &Path) -> (Project, DocumentId, CodeId, CodeId) {
    let text: String = "Œuvre commune : l’accueil ferme à midi 🙂, et les usagers le vivent mal. "
        .repeat(3)
        .chars()
        .take(100)
        .collect();
    let mut p = Project::create(path, "Accord", Some("Claire")).unwrap();
    let (doc, x, y) = at(&mut p, T0, |tx| {
        let doc = documents::insert(
            tx,
            NewDocument {
                guid: None,
                name: "agnes".into(),
                kind: DocumentKind::Interview,
                text: text.clone(),
                origin: String::new(),
                media_path: None,
                respondent_guid: None,
            },
        )?;
        let x = codes::insert(tx, NewCode::new("X", CodeKind::Theme, None))?;
        let y = codes::insert(tx, NewCode::new("Y", CodeKind::Theme, None))?;
        codings::apply(tx, &doc, &x, 10, 30)?;
        codings::apply(tx, &doc, &x, 50, 60)?;
        Ok((doc, x, y))
    })
    .unwrap();
    p.set_coder("Yann").unwrap();
    at(&mut p, T0 + 1, |tx| {
        codings::apply(tx, &doc, &x, 20, 40)?;
        codings::apply(tx, &doc, &y, 0, 5)?;
        Ok(())
    })
    .unwrap();
    (p, doc, x, y)
}

fn coder_guids(p: &Project) -> Vec<CoderId> {
    ["Claire", "Yann"]
        .iter()
        .map(|n| coders::find(p.conn(), n).unwrap().guid)
        .collect()
}

// Character-level agreement on a real project, worked by hand.
// Code X, per char: [0,10) 0/0, [10,20) 1/0, [20,30) 1/1, [30,40) 0/1, [40,50) 0/0,
// [50,60) 1/0, [60,100) 0/0 → both 10, Claire only 20, Yann only 10, neither 60.
// p_o = 0.7, p_e = 0.3 × 0.2 + 0.7 × 0.8 = 0.62, κ = 0.08 / 0.38 = 4/19;
// o_11 = 20, o_00 = 120, o_10 = o_01 = 30, n_1 = 50, n_0 = 150: α = 1 − 199 × 60 / 15000 = 0.204.
// Code Y (Yann only, 5 chars): p_o = 0.95, p_e = 0.95, κ = 0; α = 1 − 199 × 10 / (2 × 195 × 5) = −4/195.
// Overall (200 units): both 10, Claire only 20, Yann only 15, neither 155: p_o = 0.825,
// p_e = 0.15 × 0.125 + 0.85 × 0.875 = 0.7625, κ = 0.0625 / 0.2375 = 5/19;
// o_11 = 20, o_00 = 310, o_10 = o_01 = 35: α = 1 − 399 × 70 / (2 × 55 × 345) = 334/1265.
#[test]
fn character_level_agreement_matches_hand_computation() {
    let dir = tempfile::tempdir().unwrap();
    let (mut p, doc, x, y) = two_coder_project(&dir.path().join("a.fouille"));
    // A second document only Claire coded: Yann is missing there, which changes nothing.
    let other = at(&mut p, T0 + 2, |tx| {
        documents::insert(
            tx,
            NewDocument {
                guid: None,
                name: "seconde".into(),
                kind: DocumentKind::Note,
                text: "Une note de terrain, codée par une seule personne.".into(),
                origin: String::new(),
                media_path: None,
                respondent_guid: None,
            },
        )
    })
    .unwrap();
    p.set_coder("Claire").unwrap();
    at(&mut p, T0 + 3, |tx| codings::apply(tx, &other, &x, 0, 10)).unwrap();
    let request = AgreementRequest {
        coders: coder_guids(&p),
        unit: UnitKind::Char,
        ..AgreementRequest::default()
    };
    let report = agreement(p.conn(), &request).unwrap();
    assert_eq!(report.documents.len(), 2);
    assert_eq!(
        report.missing,
        vec![("Yann".to_string(), "seconde".to_string())]
    );
    let row_x = report
        .per_code
        .iter()
        .find(|r| x == r.code_guid.as_str())
        .unwrap();
    assert_eq!(row_x.units, 100.0);
    assert_eq!(row_x.coded, vec![30.0, 20.0]);
    close(row_x.percent, 70.0);
    close(row_x.kappa, 4.0 / 19.0);
    close(row_x.alpha, 0.204);
    let row_y = report
        .per_code
        .iter()
        .find(|r| y == r.code_guid.as_str())
        .unwrap();
    close(row_y.kappa, 0.0);
    close(row_y.alpha, -4.0 / 195.0);
    close(report.overall.percent, 82.5);
    close(report.overall.kappa, 5.0 / 19.0);
    close(report.overall.alpha, 334.0 / 1265.0);

    // The disagreements, in document order, with their text.
    let spans: Vec<(usize, usize, &str)> = report
        .disagreements
        .iter()
        .map(|d| (d.start_char, d.end_char, d.code_path.as_str()))
        .collect();
    assert_eq!(
        spans,
        vec![(0, 5, "Y"), (10, 20, "X"), (30, 40, "X"), (50, 60, "X")]
    );
    let text = documents::text(p.conn(), &doc).unwrap();
    let d = &report.disagreements[1];
    assert_eq!(
        d.text,
        fouille::model::text::slice_chars(&text, 10, 20).unwrap()
    );
    assert_eq!(d.coded_by, vec![request.coders[0].clone()]);
    assert_eq!(d.not_coded_by, vec![request.coders[1].clone()]);
    let (before, inside, after) =
        fouille::team::coverage::context(p.conn(), &doc, 10, 20, 5).unwrap();
    assert_eq!(
        format!("{before}{inside}{after}"),
        fouille::model::text::slice_chars(&text, 5, 25).unwrap()
    );

    // As tables for the exporters.
    let table = report.table();
    assert_eq!(table.rows.len(), 3);
    assert_eq!(table.columns.len(), 7);
    let x_row = table
        .rows
        .iter()
        .find(|r| r[0] == Cell::Text("X".into()))
        .unwrap();
    assert_eq!(x_row[1], Cell::Int(100));
    assert_eq!(x_row[2], Cell::Percent(70.0));
    assert!(matches!(x_row[3], Cell::Float(k) if (k - 4.0 / 19.0).abs() < 1e-12));
    assert_eq!(table.rows[2][0], Cell::Text("Ensemble — overall".into()));
    assert!(
        table
            .notes
            .iter()
            .any(|n| n.contains("Yann") && n.contains("seconde"))
    );
    assert_eq!(report.disagreements_table().rows.len(), 4);

    // Restricting to code X and the first document.
    let only_x = AgreementRequest {
        codes: vec![x.clone()],
        documents: vec![doc.clone()],
        ..request.clone()
    };
    let r = agreement(p.conn(), &only_x).unwrap();
    assert_eq!(r.per_code.len(), 1);
    close(r.overall.kappa, 4.0 / 19.0);
}

// Segment level (paragraphs and speaker turns).
// Four turns; Claire codes turns 1 and 2, Yann turns 2 and 3: one unit each of both, Claire
// only, Yann only, neither. p_o = 0.5 = p_e, κ = 0; o_11 = o_00 = 2, o_10 = o_01 = 2,
// n_1 = n_0 = 4: α = 1 − 7 × 4 / (2 × 4 × 4) = 0.125.
#[test]
fn segment_level_agreement() {
    let text = "Enquêtrice : Comment ça s’est passé ?\nAgnès : On a réorganisé le service.\n\nAgnès : Les équipes ont été coupées en deux.\nEnquêtrice : Et l’accueil ?\n";
    let segs = segments(text);
    let pieces: Vec<&str> = segs
        .iter()
        .map(|(s, e)| fouille::model::text::slice_chars(text, *s, *e).unwrap())
        .collect();
    assert_eq!(
        pieces,
        vec![
            "Enquêtrice : Comment ça s’est passé ?",
            "Agnès : On a réorganisé le service.",
            "Agnès : Les équipes ont été coupées en deux.",
            "Enquêtrice : Et l’accueil ?"
        ]
    );
    assert_eq!(
        segments("Un paragraphe\nsur deux lignes.\n\n\nUn autre."),
        vec![(0, 30), (33, 42)]
    );

    let dir = tempfile::tempdir().unwrap();
    let mut p = Project::create(&dir.path().join("s.fouille"), "Segments", Some("Claire")).unwrap();
    let (doc, x) = at(&mut p, T0, |tx| {
        let doc = documents::insert(
            tx,
            NewDocument {
                guid: None,
                name: "agnes".into(),
                kind: DocumentKind::Transcript,
                text: text.into(),
                origin: String::new(),
                media_path: None,
                respondent_guid: None,
            },
        )?;
        let x = codes::insert(tx, NewCode::new("Réorganisation", CodeKind::Theme, None))?;
        codings::apply(tx, &doc, &x, segs[1].0 + 8, segs[1].0 + 12)?;
        codings::apply(tx, &doc, &x, segs[2].0, segs[2].1)?;
        Ok((doc, x))
    })
    .unwrap();
    p.set_coder("Yann").unwrap();
    at(&mut p, T0 + 1, |tx| {
        codings::apply(tx, &doc, &x, segs[2].0 + 3, segs[2].0 + 9)?;
        codings::apply(tx, &doc, &x, segs[3].0, segs[3].0 + 5)
    })
    .unwrap();
    let request = AgreementRequest {
        coders: coder_guids(&p),
        unit: UnitKind::Segment,
        ..AgreementRequest::default()
    };
    let report = agreement(p.conn(), &request).unwrap();
    let row = &report.per_code[0];
    assert_eq!(row.units, 4.0);
    close(row.percent, 50.0);
    close(row.kappa, 0.0);
    close(row.alpha, 0.125);
    let spans: Vec<(usize, usize)> = report
        .disagreements
        .iter()
        .map(|d| (d.start_char, d.end_char))
        .collect();
    assert_eq!(spans, vec![segs[1], segs[3]]);
    assert_eq!(UnitKind::parse("segment"), Some(UnitKind::Segment));
    assert_eq!(UnitKind::parse("caractère"), Some(UnitKind::Char));
}

// Accepting one coder's version of a disagreement, as one undoable action
#[test]
fn accepting_a_version_settles_the_disagreement_and_undoes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut p, doc, x, _) = two_coder_project(&dir.path().join("a.fouille"));
    let [claire, yann] = <[CoderId; 2]>::try_from(coder_guids(&p)).unwrap();
    let request = AgreementRequest {
        coders: vec![claire.clone(), yann.clone()],
        codes: vec![x.clone()],
        ..AgreementRequest::default()
    };
    let yann_ranges = |p: &Project| -> Vec<(usize, usize)> {
        let filter = ExcerptFilter {
            codes: vec![x.clone()],
            coders: vec![yann.clone()],
            ..ExcerptFilter::default()
        };
        fouille::store::excerpts::excerpts(p.conn(), &filter)
            .unwrap()
            .into_iter()
            .map(|e| (e.coding.start_char, e.coding.end_char))
            .collect()
    };
    // [10,20): Claire coded, Yann not → Yann's [20,40) grows to [10,40).
    let o = accept_version(&mut p, &doc, &x, 10, 20, &claire, &yann).unwrap();
    assert_eq!((o.added, o.resized, o.removed), (0, 1, 0));
    assert_eq!(yann_ranges(&p), vec![(10, 40)]);
    // [30,40): Yann coded, Claire not → trimmed to [10,30).
    accept_version(&mut p, &doc, &x, 30, 40, &claire, &yann).unwrap();
    assert_eq!(yann_ranges(&p), vec![(10, 30)]);
    // [50,60): a new coding for Yann.
    let o = accept_version(&mut p, &doc, &x, 50, 60, &claire, &yann).unwrap();
    assert_eq!((o.added, o.resized, o.removed), (1, 0, 0));
    assert_eq!(yann_ranges(&p), vec![(10, 30), (50, 60)]);
    let report = agreement(p.conn(), &request).unwrap();
    close(report.per_code[0].kappa, 1.0);
    assert!(report.disagreements.is_empty());
    // Refused: the same coder twice, an empty range.
    assert!(accept_version(&mut p, &doc, &x, 15, 25, &yann, &yann).is_err());
    assert!(accept_version(&mut p, &doc, &x, 25, 25, &claire, &yann).is_err());
    // One undo step each.
    assert_eq!(
        p.undo_label().unwrap().as_deref(),
        Some("action.accept_version")
    );
    assert!(p.undo().unwrap().is_some());
    assert_eq!(yann_ranges(&p), vec![(10, 30)]);
}

#[test]
fn blinded_coding_hides_other_coders_until_lifted() {
    let dir = tempfile::tempdir().unwrap();
    let (mut p, _, x, y) = two_coder_project(&dir.path().join("a.fouille"));
    let [claire, yann] = <[CoderId; 2]>::try_from(coder_guids(&p)).unwrap();
    assert!(!blind::is_blind(p.conn()).unwrap());
    assert_eq!(Visibility::for_project(&p).unwrap(), Visibility::all());
    blind::set_blind(&p, true).unwrap();
    assert!(blind::is_blind(p.conn()).unwrap());
    p.set_coder("Claire").unwrap();
    let v = Visibility::for_project(&p).unwrap();
    assert!(v.shows(&claire) && !v.shows(&yann));
    let all = codings::list(p.conn()).unwrap();
    assert_eq!(all.len(), 4);
    let shown = v.filter_codings(all);
    assert_eq!(shown.len(), 2, "Claire's own two codings");
    assert!(shown.iter().all(|c| c.created_by == claire));
    let mut filter = ExcerptFilter::default();
    assert!(v.restrict(&mut filter));
    let excerpts = fouille::store::excerpts::excerpts(p.conn(), &filter).unwrap();
    assert_eq!(excerpts.len(), 2);
    assert_eq!(
        v.filter_excerpts(
            fouille::store::excerpts::excerpts(p.conn(), &ExcerptFilter::default()).unwrap()
        )
        .len(),
        2
    );
    let mut only_yann = ExcerptFilter {
        coders: vec![yann.clone()],
        ..ExcerptFilter::default()
    };
    assert!(
        !v.restrict(&mut only_yann),
        "Yann's codings stay hidden from Claire"
    );
    let counts = v.coding_counts(p.conn()).unwrap();
    assert_eq!(counts.get(&x), Some(&2));
    assert_eq!(counts.get(&y), None);
    blind::set_blind(&p, false).unwrap();
    let v = Visibility::for_project(&p).unwrap();
    assert_eq!(v.coding_counts(p.conn()).unwrap().get(&x), Some(&3));
    assert_eq!(v.coding_counts(p.conn()).unwrap().get(&y), Some(&1));
}

// The CLI (merge, agreement, accept-version, blind) on the bundled sample, run in process
// (the shared build directory's `fouille` binary may come from another branch).
#[test]
fn cli_agreement_merge_and_blind() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).display().to_string();
    let (s, a, b, m) = (
        path("s.fouille"),
        path("a.fouille"),
        path("b.fouille"),
        path("m.fouille"),
    );
    fouille_in_process_ok(&["sample", &s]);
    fouille_in_process_ok(&[
        "agreement",
        &s,
        "--coders",
        "Claire Morel,Yann Le Gall",
        "--json",
    ]);
    fouille_in_process_ok(&[
        "agreement",
        &s,
        "--coders",
        "Claire Morel,Yann Le Gall",
        "--unit",
        "segment",
        "--disagreements",
    ]);
    std::fs::copy(&s, &a).unwrap();
    std::fs::copy(&s, &b).unwrap();
    fouille_in_process_ok(&[
        "code",
        "rename",
        &b,
        "Thèmes/Télétravail",
        "Travail à distance",
    ]);
    let report = path("m.md");
    fouille_in_process_ok(&["merge", &m, &a, &b, "--report", &report]);
    let md = std::fs::read_to_string(&report).unwrap();
    assert!(md.contains("Travail à distance"), "{md}");
    fouille_in_process_ok(&["check", &m]);
    let project = Project::open(Path::new(&m)).unwrap();
    assert!(codes::resolve(project.conn(), "Thèmes/Travail à distance").is_ok());
    drop(project);
    fouille_in_process_ok(&[
        "merge",
        "--into",
        &a,
        &b,
        "--unify-codes",
        "--report",
        &path("into.html"),
    ]);
    assert!(
        std::fs::read_to_string(path("into.html"))
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    fouille_in_process_ok(&["blind", "on", &m]);
    assert!(blind::is_blind(Project::open(Path::new(&m)).unwrap().conn()).unwrap());
    fouille_in_process_ok(&["blind", "off", &m]);
    assert!(!blind::is_blind(Project::open(Path::new(&m)).unwrap().conn()).unwrap());
    // Settle the first disagreement of the sample in Yann's favour for Claire.
    let project = Project::open(Path::new(&s)).unwrap();
    let request = AgreementRequest {
        coders: ["Claire Morel", "Yann Le Gall"]
            .iter()
            .map(|n| coders::find(project.conn(), n).unwrap().guid)
            .collect(),
        ..AgreementRequest::default()
    };
    let before = agreement(project.conn(), &request).unwrap();
    let d = before.disagreements[0].clone();
    drop(project);
    let (start, end) = (d.start_char.to_string(), d.end_char.to_string());
    fouille_in_process_ok(&[
        "accept-version",
        &s,
        "--document",
        d.document_guid.as_str(),
        "--code",
        d.code_guid.as_str(),
        "--start",
        &start,
        "--end",
        &end,
        "--from",
        "Yann Le Gall",
        "--to",
        "Claire Morel",
    ]);
    let project = Project::open(Path::new(&s)).unwrap();
    let after = agreement(project.conn(), &request).unwrap();
    assert!(
        after.disagreements.len() < before.disagreements.len(),
        "{} → {}",
        before.disagreements.len(),
        after.disagreements.len()
    );
    assert!(
        !after
            .disagreements
            .iter()
            .any(|x| x.document_guid == d.document_guid
                && x.code_guid == d.code_guid
                && x.start_char == d.start_char)
    );
}
