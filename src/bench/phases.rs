//! The phases of a bench run that time work on an imported project: the synthesis tables,
//! the reports, the merge, agreement and the QDPX exchange.

use std::path::Path;

use super::Figure;
use super::run::{BenchError, remove_project, rss_note};
use super::time_ms;
use crate::store::{Project, codes};

/// Times every synthesis table.
pub(super) fn tables(
    project: &Project,
    runs: usize,
    push: &mut dyn FnMut(Figure),
) -> Result<(), BenchError> {
    use crate::analysis::{AnalysisFilter, CooccurrenceMode, TableKind, TableOptions, compute};
    let conn = project.conn();
    let filter = AnalysisFilter::default();
    let kinds: [(&str, TableKind, TableOptions); 7] = [
        (
            "table: frequencies",
            TableKind::Frequencies,
            TableOptions::default(),
        ),
        (
            "table: code × respondent",
            TableKind::Matrix,
            TableOptions::default(),
        ),
        (
            "table: cross-tab by territory",
            TableKind::Crosstab,
            TableOptions {
                by: Some("territory".into()),
                ..Default::default()
            },
        ),
        (
            "table: co-occurrence (overlap)",
            TableKind::Cooccurrence,
            TableOptions::default(),
        ),
        (
            "table: co-occurrence (paragraph)",
            TableKind::Cooccurrence,
            TableOptions {
                cooccurrence: CooccurrenceMode::Paragraph,
                ..Default::default()
            },
        ),
        (
            "table: controversy balance",
            TableKind::Controversies,
            TableOptions {
                by: Some("territory".into()),
                ..Default::default()
            },
        ),
        (
            "table: orientation evidence",
            TableKind::Orientations,
            TableOptions {
                by: Some("role".into()),
                ..Default::default()
            },
        ),
    ];
    for (name, kind, options) in kinds {
        let (times, tables) = time_ms(runs.max(3), || {
            compute(conn, kind, &filter, &options, crate::model::Lang::Fr)
        })?;
        let rows: usize = tables.iter().map(|t| t.rows.len()).sum();
        push(Figure::ms(name, times, Some(100.0), format!("{rows} rows")));
    }
    Ok(())
}

/// Times the HTML and DOCX report of one controversy.
pub(super) fn reports(
    project: &Project,
    out: &Path,
    runs: usize,
    push: &mut dyn FnMut(Figure),
) -> Result<(), BenchError> {
    use crate::export::report::{self, GroupBy, ReportOptions};
    let conn = project.conn();
    let controversy = codes::resolve(conn, "Controverses/La participation citoyenne")?;
    let options = ReportOptions {
        group_by: GroupBy::Controversy,
        codes: vec![controversy.guid],
        ..Default::default()
    };
    std::fs::create_dir_all(out)?;
    for format in [report::ReportFormat::Html, report::ReportFormat::Docx] {
        let path = out.join(format!("report.{}", format.extension()));
        let (times, excerpts) = time_ms(runs.max(3), || -> Result<usize, BenchError> {
            let (tables, charts) = report::synthesis::synthesis(conn, &options, Some("territory"))?;
            let built = report::build_report(project, &options, &tables, &charts)?;
            report::write(&built, format, &path).map_err(|e| BenchError::Report(e.to_string()))?;
            Ok(built.stats.excerpts)
        })?;
        push(Figure::ms(
            &format!("report: one controversy ({})", format.extension()),
            times,
            None,
            format!("{excerpts} excerpts"),
        ));
    }
    Ok(())
}

fn err(e: &dyn std::fmt::Display) -> BenchError {
    BenchError::Report(e.to_string())
}

/// Times the merge of two large projects into a new one.
pub(super) fn merge(
    project: &Project,
    dir: &Path,
    runs: usize,
    push: &mut dyn FnMut(Figure),
) -> Result<(), BenchError> {
    // A second copy of the project in which another coder removed every 20th coding and
    // renamed ten codes: two 100,000-coding projects with concurrent edits.
    let a = project.path().to_path_buf();
    let b = dir.join("copy.fouille");
    remove_project(&b);
    project.backup_to(&b)?;
    {
        let mut copy = Project::open_with(
            &b,
            &crate::store::OpenOptions {
                coder: Some("Codeur 2".into()),
                ..Default::default()
            },
        )?;
        copy.bulk_action(crate::store::floor::second_coders_edits)?;
    }
    let out = dir.join("merged.fouille");
    let inputs = [a, b.clone()];
    super::reset_peak_rss();
    let (times, report) = time_ms(runs, || {
        remove_project(&out);
        crate::team::merge::merge_files(&out, &inputs, &crate::team::merge::MergeOptions::default())
            .map_err(|e| err(&e))
    })?;
    let rss = super::peak_rss_mb();
    let merged = crate::store::stats::counts(Project::open(&out)?.conn())?.codings;
    push(Figure::ms(
        "merge of two projects",
        times,
        Some(2000.0),
        format!(
            "{merged} codings written, {} conflicts",
            report.conflicts().count()
        ),
    ));
    if let Some(mb) = rss {
        push(Figure::mb("peak RSS: merge", mb, Some(300.0), rss_note()));
    }
    remove_project(&out);
    remove_project(&b);
    Ok(())
}

/// Times agreement of two coders over the corpus, by characters.
pub(super) fn agreement(
    project: &Project,
    runs: usize,
    push: &mut dyn FnMut(Figure),
) -> Result<(), BenchError> {
    use crate::team::coverage::{AgreementRequest, UnitKind, agreement};
    let coders: Vec<crate::model::CoderId> = crate::store::coders::list(project.conn())?
        .into_iter()
        .filter(|c| c.name == "Codeur 1" || c.name == "Codeur 2")
        .map(|c| c.guid)
        .collect();
    let request = AgreementRequest {
        coders,
        unit: UnitKind::Char,
        ..Default::default()
    };
    let (times, result) = time_ms(runs, || agreement(project.conn(), &request))?;
    push(Figure::ms(
        "agreement (2 coders, chars)",
        times,
        None,
        format!("{} codes", result.per_code.len()),
    ));
    Ok(())
}

/// Times a QDPX export, and its import into a new project.
pub(super) fn qdpx(
    project: &Project,
    dir: &Path,
    runs: usize,
    push: &mut dyn FnMut(Figure),
) -> Result<(), BenchError> {
    let qdpx = dir.join("export.qdpx");
    let imported = dir.join("imported.fouille");
    super::reset_peak_rss();
    let (export_times, summary) = time_ms(runs, || {
        crate::export::qdpx::export_qdpx(project.conn(), &qdpx, &Default::default())
            .map_err(|e| err(&e))
    })?;
    let export_rss = super::peak_rss_mb();
    let export_note = rss_note();
    super::reset_peak_rss();
    let (import_times, _) = time_ms(runs, || {
        remove_project(&imported);
        crate::import::qdpx::new_project_from(&imported, &qdpx, None, None, &Default::default())
            .map_err(|e| err(&e))
    })?;
    let import_rss = super::peak_rss_mb();
    let total: Vec<f64> = export_times
        .iter()
        .zip(&import_times)
        .map(|(e, i)| e + i)
        .collect();
    push(Figure::ms(
        "QDPX export",
        export_times,
        None,
        format!("{} sources, {} codings", summary.sources, summary.codings),
    ));
    push(Figure::ms(
        "QDPX import (new project)",
        import_times,
        None,
        "",
    ));
    push(Figure::ms(
        "QDPX export + import",
        total,
        Some(5000.0),
        "QualCoder: 369 s + 124 s on a similar corpus",
    ));
    for (name, rss, note) in [
        ("peak RSS: QDPX export", export_rss, export_note),
        ("peak RSS: QDPX import", import_rss, rss_note()),
    ] {
        if let Some(mb) = rss {
            push(Figure::mb(name, mb, Some(300.0), note));
        }
    }
    remove_project(&imported);
    let _ = std::fs::remove_file(&qdpx);
    Ok(())
}
