//! The DOCX, ODT, XLSX and ODS files Fouille writes open in LibreOffice: each is converted
//! to PDF headless, and the PDF's text (read with poppler's `pdftotext`) holds what Fouille
//! wrote. The test needs LibreOffice and poppler-utils (`.ci/run` installs them); without
//! them it fails, saying which Debian packages to install.

use std::path::Path;
use std::process::Command;

use crate::support::office::convert_to_pdf;
use crate::support::project::fouille_ok_in;

/// The text of a PDF, whitespace squeezed, read with poppler's pdftotext (required).
fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("pdftotext is needed to read the PDFs: apt-get install poppler-utils ({e})")
        });
    assert!(
        out.status.success(),
        "pdftotext {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn reports_and_tables_convert_to_pdf_in_libreoffice() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fouille_ok_in(d, &["sample", "s.fouille"]);
    fouille_ok_in(d, &["report", "s.fouille", "-o", "report.docx"]);
    fouille_ok_in(
        d,
        &[
            "report",
            "s.fouille",
            "--group-by",
            "controversy",
            "-o",
            "rapport.odt",
        ],
    );
    fouille_ok_in(
        d,
        &["table", "s.fouille", "controversies", "-o", "balance.xlsx"],
    );
    fouille_ok_in(
        d,
        &[
            "table",
            "s.fouille",
            "crosstab",
            "--by",
            "territory",
            "-o",
            "croise.ods",
        ],
    );
    convert_to_pdf(
        d,
        &["report.docx", "rapport.odt", "balance.xlsx", "croise.ods"],
    );
    // Each PDF holds the text of its file: LibreOffice read what Fouille wrote, not an
    // empty or half-read document.
    for (name, expected) in [
        ("report", ["Rapport de codage", "Vue d’ensemble"]),
        (
            "rapport",
            ["Rapport de codage", "La participation citoyenne"],
        ),
        ("balance", ["Équilibre des controverses", "Le pilotage"]),
        ("croise", ["Codes × territory", "Rural"]),
    ] {
        let path = d.join("pdf").join(format!("{name}.pdf"));
        let pdf = std::fs::read(&path).unwrap_or_else(|e| panic!("{name}.pdf: {e}"));
        assert!(pdf.starts_with(b"%PDF") && pdf.len() > 1000, "{name}.pdf");
        let text = pdf_text(&path);
        for phrase in expected {
            assert!(
                text.contains(phrase),
                "{name}.pdf lacks « {phrase} »: {text:.300}"
            );
        }
    }
}
