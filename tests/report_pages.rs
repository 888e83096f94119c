//! The sample project's DOCX and ODT reports, as the command line writes them, printed to
//! PDF by LibreOffice and read back with poppler as a reader sees the pages: no table cell
//! broken inside a word, every number and short name of a row on one line, headers whole,
//! wide tables on landscape pages, numbered captions, page numbers at the foot of every
//! page, a table of contents, and the charts as images with a description. Needs
//! LibreOffice and poppler-utils (`.ci/run` installs them); without them it fails.

use std::path::Path;

use fouille::analysis::{Cell, Table};
use fouille::export::report::svg::Chart;
use fouille::export::report::{self, GroupBy, Report, ReportOptions, layout};
use fouille::store::Project;

use crate::support::archive::unzip;
use crate::support::office::{convert_to_pdf, landscape_pages, pdf_images, pdf_pages};
use crate::support::project::fouille_ok_in;

/// The report the command line wrote, built again through the library with the same
/// options, to know what its tables hold.
fn expected(project: &Path, group_by: GroupBy) -> Report {
    let project = Project::open(project).unwrap();
    let options = ReportOptions {
        group_by,
        appendix_offsets: true,
        ..ReportOptions::default()
    };
    let (tables, charts) =
        report::synthesis::synthesis(project.conn(), &options, Some("territory")).unwrap();
    report::build_report(&project, &options, &tables, &charts).unwrap()
}

/// The report's tables in the order their captions number them.
fn numbered_tables(report: &Report) -> Vec<&Table> {
    std::iter::once(&report.overview)
        .chain(&report.tables)
        .chain(&report.appendix)
        .collect()
}

/// The cells a word processor must not break: numbers, and text short enough to be kept
/// whole (names of people, documents, codes).
fn whole_cells(row: &[Cell]) -> Vec<String> {
    row.iter()
        .filter_map(|c| match c {
            Cell::Empty => None,
            Cell::Text(t) => {
                let units = layout::units(t);
                (units.len() == 1 && units[0] == t.trim()).then(|| t.trim().to_string())
            }
            number => Some(number.display()),
        })
        .collect()
}

/// Whether `line` holds each of `cells` whole, left to right.
fn in_order(line: &str, cells: &[String]) -> bool {
    let mut from = 0;
    for cell in cells {
        match line[from..].find(cell.as_str()) {
            Some(at) => from += at + cell.len(),
            None => return false,
        }
    }
    true
}

/// Checks one table against the pages: its caption, its header words whole in the lines
/// under the caption, and each row's whole cells together on one line.
fn check_table(name: &str, pages: &[String], n: usize, table: &Table, caption_word: &str) {
    let caption = format!("{caption_word} {n} — {}", table.title);
    let lines: Vec<&str> = pages.iter().flat_map(|p| p.lines()).collect();
    let at = lines
        .iter()
        .position(|l| l.trim_start().starts_with(&caption))
        .unwrap_or_else(|| panic!("{name}: no caption « {caption} »"));
    let header: Vec<&str> = lines[at + 1..(at + 5).min(lines.len())]
        .iter()
        .flat_map(|l| l.split_whitespace())
        .collect();
    for word in table.columns.iter().flat_map(|c| c.split_whitespace()) {
        assert!(
            header.contains(&word),
            "{name}, table {n}: the header word « {word} » is broken: {header:?}"
        );
    }
    for row in &table.rows {
        let cells = whole_cells(row);
        assert!(
            lines.iter().any(|l| in_order(l, &cells)),
            "{name}, table {n}: no line holds {cells:?} whole"
        );
    }
}

/// Every page ends with its number (the footer).
fn check_page_numbers(name: &str, pages: &[String]) {
    let printed: Vec<&String> = pages.iter().filter(|p| !p.trim().is_empty()).collect();
    assert!(printed.len() > 10, "{name}: {} pages", printed.len());
    for (i, page) in printed.iter().enumerate() {
        let last = page.lines().rev().find(|l| !l.trim().is_empty()).unwrap();
        assert_eq!(last.trim(), (i + 1).to_string(), "{name}: page {}", i + 1);
    }
}

/// The label of a chart's first bar or row.
fn first_label(chart: &Chart) -> String {
    match chart {
        Chart::Bars(c) => c.bars[0].label.clone(),
        Chart::Diverging(c) => c.rows[0].label.clone(),
        Chart::Heat(c) => c.row_labels[0].clone(),
    }
}

/// The DOCX holds one PNG per chart, each with its description as alt text; the ODT one
/// SVG and one PNG per chart, each frame with a title and a description.
fn check_packages(dir: &Path, stem: &str, report: &Report) {
    let docx = unzip(&std::fs::read(dir.join(format!("{stem}-docx.docx"))).unwrap());
    let document = String::from_utf8(docx["word/document.xml"].clone()).unwrap();
    let odt = unzip(&std::fs::read(dir.join(format!("{stem}-odt.odt"))).unwrap());
    let content = String::from_utf8(odt["content.xml"].clone()).unwrap();
    assert!(!report.charts.is_empty());
    for (i, chart) in report.charts.iter().enumerate() {
        let png = &docx[&format!("word/media/chart{}.png", i + 1)];
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{stem}: chart {i}");
        let first_label = first_label(chart);
        let descr = format!("descr=\"{}", chart.title());
        assert!(
            document.contains(&descr),
            "{stem}.docx: no alt text {descr}"
        );
        assert!(
            document.contains(&first_label),
            "{stem}.docx: the alt text lacks « {first_label} »"
        );
        assert!(odt[&format!("Pictures/chart{}.png", i + 1)].starts_with(b"\x89PNG"));
        assert!(odt.contains_key(&format!("Pictures/chart{}.svg", i + 1)));
        assert!(content.contains(&format!("<svg:title>{}</svg:title>", chart.title())));
    }
    assert_eq!(
        content.matches("<svg:desc>").count(),
        report.charts.len(),
        "{stem}.odt"
    );
    // Readers see codes by their names: no path in the charts.
    for chart in &report.charts {
        assert!(!chart.alt_text(": ").contains('/'), "{}", chart.title());
    }
}

#[test]
fn report_pages_keep_words_whole_and_show_their_charts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fouille_ok_in(d, &["sample", "s.fouille"]);
    let mut files = Vec::new();
    for grouping in ["controversy", "orientation"] {
        for ext in ["docx", "odt"] {
            // One name per file: each gives its own PDF.
            let file = format!("{grouping}-{ext}.{ext}");
            fouille_ok_in(
                d,
                &[
                    "report",
                    "s.fouille",
                    "--group-by",
                    grouping,
                    "--by",
                    "territory",
                    "--appendix",
                    "offsets",
                    "-o",
                    &file,
                ],
            );
            files.push(file);
        }
    }
    convert_to_pdf(d, &files.iter().map(String::as_str).collect::<Vec<_>>());
    for (grouping, group_by) in [
        ("controversy", GroupBy::Controversy),
        ("orientation", GroupBy::Orientation),
    ] {
        let report = expected(&d.join("s.fouille"), group_by);
        check_packages(d, grouping, &report);
        for ext in ["docx", "odt"] {
            let pdf = d.join("pdf").join(format!("{grouping}-{ext}.pdf"));
            check_pdf(&pdf, &format!("{grouping}-{ext}.pdf"), &report);
        }
    }
}

/// What the pages of one PDF must show.
fn check_pdf(path: &Path, name: &str, report: &Report) {
    let pages = pdf_pages(path);
    for (i, table) in numbered_tables(report).into_iter().enumerate() {
        check_table(name, &pages, i + 1, table, "Tableau");
    }
    check_page_numbers(name, &pages);
    let text = pages.join("\n");
    assert!(text.contains("Sommaire"), "{name}: no table of contents");
    for (i, chart) in report.charts.iter().enumerate() {
        let caption = format!("Figure {} — {}", i + 1, chart.title());
        assert!(text.contains(&caption), "{name}: no caption « {caption} »");
    }
    // No char offsets in the report's own tables: only the appendix has them.
    let appendix = pages
        .iter()
        .position(|p| p.contains("Annexe — positions des passages cités"))
        .unwrap_or_else(|| panic!("{name}: no appendix"));
    assert!(!pages[..appendix].concat().contains("Début"), "{name}");
    assert!(pages[appendix..].concat().contains("Début"), "{name}");
    // Wide tables are set on landscape pages, the rest of the report in portrait.
    let landscape = landscape_pages(path);
    let wide = pages
        .iter()
        .position(|p| p.contains("Tableau 3 — "))
        .unwrap();
    assert!(
        landscape[wide],
        "{name}: table 3 is not on a landscape page"
    );
    assert!(!landscape[0] && !landscape[2], "{name}");
    // The charts are drawn: the DOCX's PNGs are images of the PDF, the ODT's SVG vectors
    // with their labels as text.
    if name.ends_with("-odt.pdf") {
        let first = first_label(&report.charts[0]);
        assert!(text.contains(&first), "{name}: no chart label « {first} »");
    } else {
        assert!(
            pdf_images(path) >= report.charts.len(),
            "{name}: {} images for {} charts",
            pdf_images(path),
            report.charts.len()
        );
    }
}
