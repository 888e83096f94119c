//! The Analysis screen: table kinds, options, charts and exports, clicked by label.

use egui_kittest::kittest::Queryable;
use fouille::analysis::{AnalysisFilter, Lang, TableKind, TableOptions};
use fouille::ui::state::Screen;
use fouille::ui::views::analysis::AnalysisChart;

use crate::support::ui::{harness, sample};

// The frequencies table shown is the one the core computes; switching kinds and options
// recomputes; controversies draw the balance chart.
#[test]
fn analysis_screen_shows_tables_and_recomputes() {
    let sample = sample();
    let mut h = harness(&sample.path);
    h.get_by_label("Analyse").click();
    h.run();
    assert_eq!(h.state().state().screen, Screen::Analysis);
    let expected = {
        let conn = h.state().project().unwrap().conn();
        fouille::analysis::compute(
            conn,
            TableKind::Frequencies,
            &AnalysisFilter::default(),
            &TableOptions::default(),
            Lang::Fr,
        )
        .unwrap()
    };
    assert_eq!(h.state().analysis().tables, expected);
    assert!(!expected[0].rows.is_empty());
    assert!(matches!(h.state().analysis().chart, AnalysisChart::Bars(ref b) if !b.is_empty()));
    // The first code's name is in the grid.
    let first = expected[0].rows[0][0].display();
    assert!(h.query_all_by_label_contains(&first).next().is_some());

    h.get_by_label("Controverses").click();
    h.run();
    assert_eq!(h.state().analysis().kind, TableKind::Controversies);
    assert!(matches!(h.state().analysis().chart, AnalysisChart::Balance(ref b) if !b.is_empty()));

    h.get_by_label("Matrice codes × enquêtés").click();
    h.run();
    h.get_by_label("Présence (0/1)").click();
    h.run();
    assert_eq!(h.state().analysis().kind, TableKind::Matrix);
    assert!(h.state().analysis().options.presence);
    let expected = fouille::analysis::compute(
        h.state().project().unwrap().conn(),
        TableKind::Matrix,
        &AnalysisFilter::default(),
        &TableOptions {
            presence: true,
            ..TableOptions::default()
        },
        Lang::Fr,
    )
    .unwrap();
    assert_eq!(h.state().analysis().tables, expected);
    assert!(matches!(h.state().analysis().chart, AnalysisChart::Heat(_)));
}

// Exports run through the worker and write real files read back here.
#[test]
fn analysis_exports_tables_and_report() {
    let sample = sample();
    let mut h = harness(&sample.path);
    h.get_by_label("Analyse").click();
    h.run();
    let dir = sample.path.parent().unwrap().to_path_buf();
    // The default path sits next to the project.
    assert!(
        h.state()
            .analysis()
            .export_path
            .starts_with(dir.to_str().unwrap())
    );
    h.get_by_label("CSV").click();
    h.run();
    let csv_path = dir.join("freq.csv");
    h.state_mut().analysis_mut().export_path = csv_path.display().to_string();
    h.get_by_label("Exporter les tableaux").click();
    h.run();
    let text = std::fs::read_to_string(&csv_path).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), h.state().analysis().tables[0].rows.len());
    assert_eq!(
        &rows[0][0],
        h.state().analysis().tables[0].rows[0][0].display()
    );

    let md_path = dir.join("rapport.md");
    // The report's Markdown radio is the second one (after the tables').
    h.get_all_by_label("Markdown").last().unwrap().click();
    h.run();
    h.state_mut().analysis_mut().report_path = md_path.display().to_string();
    h.get_by_label("Exporter le rapport").click();
    h.run();
    let report = std::fs::read_to_string(&md_path).unwrap();
    assert!(
        report.contains("Rapport de codage"),
        "{}",
        &report[..200.min(report.len())]
    );
    // The table gives the code's path, the report (written for readers) its name.
    let first_code = h.state().analysis().tables[0].rows[0][0].display();
    let name = first_code.rsplit('/').next().unwrap().trim();
    assert!(report.contains(name), "{name}");
}
