//! LibreOffice and poppler, required by the tests that open Fouille's office files as a
//! reader would: conversion to PDF headless, the PDF's text, images and page sizes. Without
//! them a test fails, saying which Debian packages to install (`.ci/run` installs them).

use std::path::Path;
use std::process::Command;

/// LibreOffice's command, required.
pub fn soffice() -> &'static str {
    ["soffice", "libreoffice"]
        .into_iter()
        .find(|exe| {
            Command::new(exe)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .unwrap_or_else(|| {
            panic!(
                "LibreOffice (soffice) is needed to check that the exported files open: \
                 apt-get install libreoffice-writer-nogui libreoffice-calc-nogui"
            )
        })
}

/// Converts `files` (names in `dir`) to PDF into `dir/pdf`, with a private LibreOffice
/// profile so that a desktop session's LibreOffice does not interfere.
pub fn convert_to_pdf(dir: &Path, files: &[&str]) {
    let profile = format!("-env:UserInstallation=file://{}/lo-profile", dir.display());
    let out = Command::new(soffice())
        .args([
            profile.as_str(),
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            "pdf",
        ])
        .args(files)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for file in files {
        let stem = Path::new(file).file_stem().unwrap().to_string_lossy();
        let pdf = dir.join("pdf").join(format!("{stem}.pdf"));
        let bytes = std::fs::read(&pdf).unwrap_or_else(|e| {
            panic!(
                "{}: {e}\n{}\n{}",
                pdf.display(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        assert!(
            bytes.starts_with(b"%PDF") && bytes.len() > 1000,
            "{}",
            pdf.display()
        );
    }
}

/// Runs a poppler tool and returns what it printed.
fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| {
            panic!("{tool} is needed to read the PDFs: apt-get install poppler-utils ({e})")
        });
    assert!(
        out.status.success(),
        "{tool} {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text of each page of a PDF as laid out on it (`pdftotext -layout`: table columns
/// side by side, one text line per printed line), no-break spaces as spaces.
pub fn pdf_pages(pdf: &Path) -> Vec<String> {
    poppler("pdftotext", &["-layout"], pdf)
        .replace('\u{a0}', " ")
        .split('\u{c}')
        .map(str::to_string)
        .collect()
}

/// How many images the PDF holds (`pdfimages -list`).
pub fn pdf_images(pdf: &Path) -> usize {
    poppler("pdfimages", &["-list"], pdf)
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .count()
}

/// Whether each page is wider than tall (`pdfinfo`'s page sizes).
pub fn landscape_pages(pdf: &Path) -> Vec<bool> {
    poppler("pdfinfo", &["-f", "1", "-l", "9999"], pdf)
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains(" size: "))
        .map(|l| {
            let size = l.split(" size: ").nth(1).unwrap_or("");
            let mut numbers = size
                .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                .filter_map(|n| n.parse::<f64>().ok());
            let (w, h) = (numbers.next().unwrap_or(0.0), numbers.next().unwrap_or(0.0));
            w > h
        })
        .collect()
}
