//! The benchmark run: every figure of issue 8 that the core can measure.

use std::path::{Path, PathBuf};

use super::corpus::{CorpusSpec, generate};
use super::{Figure, load, peak_rss_mb, time_ms};
use crate::store::codings::{ExcerptFilter, excerpts};
use crate::store::{Project, StoreError, codes, documents, respondents, search};

/// Errors of a bench run.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// Store failure.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// SQLite failure in the raw floor.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    /// Unknown scale.
    #[error("unknown scale « {0} » (small, medium, large)")]
    Scale(String),
    /// Files.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// Analysis failure.
    #[error(transparent)]
    Analysis(#[from] crate::analysis::AnalysisError),
    /// Report, merge, agreement or exchange failure.
    #[error("{0}")]
    Report(String),
}

/// The result of a run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BenchReport {
    /// Scale name.
    pub scale: String,
    /// Corpus sizes.
    pub spec: CorpusSpec,
    /// Words in the corpus.
    pub words: usize,
    /// Chars in the corpus.
    pub chars: usize,
    /// The figures.
    pub figures: Vec<Figure>,
    /// When (UTC).
    pub date: String,
}

fn remove_project(path: &Path) {
    for suffix in ["", "-wal", "-shm", ".lock"] {
        let mut p = path.as_os_str().to_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// Runs the benchmark at `scale` in `dir`, calling `progress` with each figure as it lands.
pub fn run(scale: &str, dir: &Path, runs: usize, mut progress: impl FnMut(&Figure)) -> Result<BenchReport, BenchError> {
    let spec = CorpusSpec::scale(scale).ok_or_else(|| BenchError::Scale(scale.into()))?;
    std::fs::create_dir_all(dir)?;
    let corpus = generate(spec, 42);
    let words: usize = corpus.documents.iter().map(|d| d.word_starts.len()).sum();
    let chars: usize = corpus.documents.iter().map(|d| d.char_len).sum();
    let mut figures = Vec::new();
    let mut push = |f: Figure, figures: &mut Vec<Figure>| {
        progress(&f);
        figures.push(f);
    };

    // Import vs the raw floor.
    let path = dir.join("bench.fouille");
    let raw_path = dir.join("raw.fouille");
    let (raw_runs, ()) = time_ms(runs, || {
        remove_project(&raw_path);
        load::raw_insert(&raw_path, &corpus)
    })?;
    let (import_runs, project) = time_ms(runs, || {
        remove_project(&path);
        load::import(&path, &corpus)
    })?;
    drop(project);
    let rows = corpus.documents.len() + corpus.codings.len();
    let busy_code_path = corpus.busy_code_path.clone();
    let corpus_sizes = (corpus.documents.len(), corpus.codings.len(), corpus.respondents.len());
    let note = format!("{} documents, {} codings, {} respondents × 8 attributes, FTS index", corpus_sizes.0, corpus_sizes.1, corpus_sizes.2);
    drop(corpus);
    let import = Figure::ms("import", import_runs, None, note.clone());
    let raw = Figure::ms("raw insert (floor)", raw_runs, None, note);
    let ratio = raw.value / import.value.max(1e-9);
    push(import, &mut figures);
    push(raw, &mut figures);
    push(
        Figure {
            name: "import rate vs raw insert".into(),
            value: ratio,
            unit: "ratio".into(),
            target: Some("≥ 0.5".into()),
            met: Some(ratio >= 0.5),
            runs: vec![ratio],
            note: format!("{rows} rows"),
        },
        &mut figures,
    );
    remove_project(&raw_path);

    // Cold open to a usable state: what the app reads before showing the first screen.
    let (open_runs, _) = time_ms(runs.max(5), || -> Result<(), StoreError> {
        let p = Project::open(&path)?;
        let _ = documents::list(p.conn())?;
        let list = codes::list(p.conn())?;
        let _ = codes::paths(&list);
        let _ = codes::coding_counts(p.conn())?;
        let _ = respondents::list(p.conn())?;
        Ok(())
    })?;
    push(Figure::ms("open", open_runs, Some(500.0), "open + documents, codebook with counts, respondents"), &mut figures);

    let project = Project::open(&path)?;
    let (search_runs, hits) = time_ms(runs.max(10), || search::search(project.conn(), "coopération partenaires", 100))?;
    push(Figure::ms("search", search_runs, Some(30.0), format!("« coopération partenaires », {} passages", hits.len())), &mut figures);

    let busy = codes::resolve(project.conn(), &busy_code_path)?;
    let filter = ExcerptFilter { codes: vec![busy.guid.clone()], attributes: vec![("territory".into(), "Rural".into())], ..Default::default() };
    let all_busy = excerpts(project.conn(), &ExcerptFilter { codes: vec![busy.guid.clone()], ..Default::default() })?.len();
    let (retrieval_runs, found) = time_ms(runs.max(10), || excerpts(project.conn(), &filter))?;
    push(
        Figure::ms("retrieval", retrieval_runs, Some(50.0), format!("code with {all_busy} excerpts, territory = Rural → {}", found.len())),
        &mut figures,
    );
    tables_and_reports(&project, &dir.join("report"), runs, &mut |f| push(f, &mut figures))?;
    team_and_exchange(&project, dir, runs, &mut |f| push(f, &mut figures))?;
    drop(project);

    let rss = peak_rss_mb().unwrap_or(0.0);
    push(
        Figure {
            name: "peak RSS".into(),
            value: rss,
            unit: "MB".into(),
            target: Some("≤ 300 MB".into()),
            met: Some(rss <= 300.0),
            runs: vec![rss],
            note: "whole bench process, corpus generation included".into(),
        },
        &mut figures,
    );
    Ok(BenchReport { scale: scale.into(), spec, words, chars, figures, date: crate::model::format_ms(crate::model::now_ms()) })
}

/// Times every synthesis table and the HTML/DOCX report of one controversy.
fn tables_and_reports(project: &Project, out: &Path, runs: usize, push: &mut dyn FnMut(Figure)) -> Result<(), BenchError> {
    use crate::analysis::{AnalysisFilter, CooccurrenceMode, TableKind, TableOptions, compute};
    use crate::export::report::{self, GroupBy, ReportOptions};
    let conn = project.conn();
    let filter = AnalysisFilter::default();
    let kinds: [(&str, TableKind, TableOptions); 6] = [
        ("table: frequencies", TableKind::Frequencies, TableOptions::default()),
        ("table: code × respondent", TableKind::Matrix, TableOptions::default()),
        ("table: cross-tab by territory", TableKind::Crosstab, TableOptions { by: Some("territory".into()), ..Default::default() }),
        ("table: co-occurrence (overlap)", TableKind::Cooccurrence, TableOptions::default()),
        ("table: co-occurrence (paragraph)", TableKind::Cooccurrence, TableOptions { cooccurrence: CooccurrenceMode::Paragraph, ..Default::default() }),
        ("table: controversy balance", TableKind::Controversies, TableOptions { by: Some("territory".into()), ..Default::default() }),
    ];
    for (name, kind, options) in kinds {
        let (times, tables) = time_ms(runs.max(3), || compute(conn, kind, &filter, &options, crate::model::Lang::Fr))?;
        let rows: usize = tables.iter().map(|t| t.rows.len()).sum();
        push(Figure::ms(name, times, Some(100.0), format!("{rows} rows")));
    }
    let controversy = codes::resolve(conn, "Controverses/La participation citoyenne")?;
    let options = ReportOptions { group_by: GroupBy::Controversy, codes: vec![controversy.guid], ..Default::default() };
    std::fs::create_dir_all(out)?;
    for format in [report::ReportFormat::Html, report::ReportFormat::Docx] {
        let path = out.join(format!("report.{}", format.extension()));
        let (times, excerpts) = time_ms(runs.max(3), || -> Result<usize, BenchError> {
            let (tables, charts) = report::synthesis::synthesis(conn, &options, Some("territory"))?;
            let built = report::build_report(project, &options, &tables, &charts)?;
            report::write(&built, format, &path).map_err(|e| BenchError::Report(e.to_string()))?;
            Ok(built.stats.excerpts)
        })?;
        push(Figure::ms(&format!("report: one controversy ({})", format.extension()), times, None, format!("{excerpts} excerpts")));
    }
    Ok(())
}

/// Times the merge of two large projects, agreement of two coders over the corpus, and a
/// QDPX export and import.
fn team_and_exchange(project: &Project, dir: &Path, runs: usize, push: &mut dyn FnMut(Figure)) -> Result<(), BenchError> {
    use crate::team::coverage::{AgreementRequest, UnitKind, agreement};
    let err = |e: &dyn std::fmt::Display| BenchError::Report(e.to_string());
    // A second copy of the project in which another coder removed every 20th coding and
    // renamed ten codes: two 100,000-coding projects with concurrent edits.
    let a = project.path().to_path_buf();
    let b = dir.join("copy.fouille");
    remove_project(&b);
    project.backup_to(&b)?;
    {
        let mut copy = Project::open_with(&b, &crate::store::OpenOptions { coder: Some("Codeur 2".into()), ..Default::default() })?;
        copy.bulk_action(|tx| {
            tx.conn.execute("UPDATE codings SET deleted = 1, modified_at = ?1 WHERE id % 20 = 0", [tx.now_ms + 1])?;
            tx.conn.execute("UPDATE codes SET name = name || ' (revu)', modified_at = ?1 WHERE kind = 'theme' AND id % 30 = 0", [tx.now_ms + 1])?;
            Ok(())
        })?;
    }
    let out = dir.join("merged.fouille");
    let inputs = [a.clone(), b.clone()];
    let (times, report) = time_ms(runs, || {
        remove_project(&out);
        crate::team::merge::merge_files(&out, &inputs, &crate::team::merge::MergeOptions::default()).map_err(|e| err(&e))
    })?;
    let merged: i64 = rusqlite::Connection::open(&out)?.query_row("SELECT count(*) FROM codings", [], |r| r.get(0))?;
    push(Figure::ms("merge of two projects", times, Some(2000.0), format!("{merged} codings written, {} conflicts", report.conflicts().count())));
    remove_project(&out);
    remove_project(&b);

    let coders: Vec<String> = crate::store::coders::list(project.conn())?
        .into_iter()
        .filter(|c| c.name == "Codeur 1" || c.name == "Codeur 2")
        .map(|c| c.guid)
        .collect();
    let request = AgreementRequest { coders, unit: UnitKind::Char, ..Default::default() };
    let (times, result) = time_ms(runs, || agreement(project.conn(), &request))?;
    push(Figure::ms("agreement (2 coders, chars)", times, None, format!("{} codes", result.per_code.len())));

    let qdpx = dir.join("export.qdpx");
    let imported = dir.join("imported.fouille");
    let (export_times, summary) = time_ms(runs, || {
        crate::export::qdpx::export_qdpx(project.conn(), &qdpx, &Default::default()).map_err(|e| err(&e))
    })?;
    let (import_times, _) = time_ms(runs, || {
        remove_project(&imported);
        crate::import::qdpx::new_project_from(&imported, &qdpx, None, None, &Default::default()).map_err(|e| err(&e))
    })?;
    let total: Vec<f64> = export_times.iter().zip(&import_times).map(|(e, i)| e + i).collect();
    push(Figure::ms("QDPX export", export_times, None, format!("{} sources, {} codings", summary.sources, summary.codings)));
    push(Figure::ms("QDPX import (new project)", import_times, None, ""));
    push(Figure::ms("QDPX export + import", total, Some(5000.0), "QualCoder: 369 s + 124 s on a similar corpus"));
    remove_project(&imported);
    let _ = std::fs::remove_file(&qdpx);
    Ok(())
}
