//! The benchmark run: every figure the core can measure (import, export, open, tables, search, agreement), each beside its raw floor.

use std::path::{Path, PathBuf};

use super::corpus::{CorpusSpec, generate};
use super::phases::{agreement, merge, qdpx, reports, tables};
use super::{Figure, load, time_ms};
use crate::store::excerpts::{ExcerptFilter, excerpts};
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
    /// Reading or writing the benchmark's files failed.
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
    /// Scale the corpus was sized by (`small`, `medium` or `large`).
    pub scale: String,
    /// Corpus sizes.
    pub spec: CorpusSpec,
    /// Words of the corpus measured (generated, or counted in `--project`); 0 for a
    /// survey-only run.
    pub words: usize,
    /// Chars of the corpus measured, counted the same way; 0 for a survey-only run.
    pub chars: usize,
    /// Measured figures, in the order the phases ran.
    pub figures: Vec<Figure>,
    /// When the run finished, ISO 8601 UTC (`2025-03-04T10:20:30Z`).
    pub date: String,
}

pub(super) fn remove_project(path: &Path) {
    for suffix in ["", "-wal", "-shm", ".lock"] {
        let mut p = path.as_os_str().to_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
    let _ = std::fs::remove_dir_all(crate::store::backup::backup_dir(path));
}

/// The groups of figures a run can be limited to (`fouille bench --only …`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Import vs the raw insert floor (needs a generated corpus, not `--project`).
    Import,
    /// Cold open, full-text search, retrieval.
    Queries,
    /// The synthesis tables.
    Tables,
    /// The HTML and DOCX report of one controversy.
    Reports,
    /// Merge of two large projects.
    Merge,
    /// A team folder: one member's publish, a gather of ten members' files.
    Folder,
    /// Agreement of two coders.
    Agreement,
    /// QDPX export and import.
    Qdpx,
    /// Lexical search, word frequencies and autocode.
    Lexical,
    /// Import of generated survey tables (no interview corpus needed).
    Survey,
}

impl Phase {
    /// Every phase, in run order.
    pub const ALL: [Phase; 10] = [
        Phase::Import,
        Phase::Queries,
        Phase::Tables,
        Phase::Reports,
        Phase::Merge,
        Phase::Folder,
        Phase::Agreement,
        Phase::Qdpx,
        Phase::Lexical,
        Phase::Survey,
    ];

    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Import => "import",
            Phase::Queries => "queries",
            Phase::Tables => "tables",
            Phase::Reports => "reports",
            Phase::Merge => "merge",
            Phase::Folder => "folder",
            Phase::Agreement => "agreement",
            Phase::Qdpx => "qdpx",
            Phase::Lexical => "lexical",
            Phase::Survey => "survey",
        }
    }

    /// Parses a stable name.
    pub fn parse(s: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.as_str() == s.trim())
    }
}

/// What a run does.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Corpus scale: `small`, `medium` or `large` (see [`CorpusSpec::scale`]).
    pub scale: String,
    /// Runs per figure (the median is reported).
    pub runs: usize,
    /// Only these phases (all when empty).
    pub only: Vec<Phase>,
    /// Measure this project (left by an earlier run with `--dir`) instead of generating and
    /// importing a corpus: the import phase is skipped, the project is never modified.
    pub project: Option<PathBuf>,
    /// Sizes of the survey tables to import (default: one, by scale).
    pub survey_rows: Vec<usize>,
}

impl RunOptions {
    /// Every phase at `scale`, `runs` runs each.
    pub fn new(scale: &str, runs: usize) -> RunOptions {
        RunOptions {
            scale: scale.into(),
            runs,
            only: Vec::new(),
            project: None,
            survey_rows: Vec::new(),
        }
    }

    /// The survey sizes to import: those asked for, else one by scale.
    fn survey_rows(&self) -> Vec<usize> {
        if !self.survey_rows.is_empty() {
            return self.survey_rows.clone();
        }
        vec![match self.scale.as_str() {
            "large" => 200_000,
            "medium" => 20_000,
            _ => 2_000,
        }]
    }

    fn wants(&self, phase: Phase) -> bool {
        self.only.is_empty() || self.only.contains(&phase)
    }
}

/// Runs the benchmark at `scale` in `dir`, calling `progress` with each figure as it lands.
pub fn run(
    scale: &str,
    dir: &Path,
    runs: usize,
    progress: impl FnMut(&Figure),
) -> Result<BenchReport, BenchError> {
    run_with(&RunOptions::new(scale, runs), dir, progress)
}

/// Runs the benchmark as `options` say, in `dir`, calling `progress` with each figure as it
/// lands. Each phase also reports its own peak memory (RSS) where the system allows
/// resetting the peak (Linux), so the figure shows what the operation needs, not what the
/// corpus generator held.
pub fn run_with(
    options: &RunOptions,
    dir: &Path,
    mut progress: impl FnMut(&Figure),
) -> Result<BenchReport, BenchError> {
    let spec = CorpusSpec::scale(&options.scale)
        .ok_or_else(|| BenchError::Scale(options.scale.clone()))?;
    let runs = options.runs;
    let started = (std::time::Instant::now(), super::stolen_ticks());
    let mut fixed_work: Vec<f64> = (0..5).map(|_| super::fixed_work_ms()).collect();
    std::fs::create_dir_all(dir)?;
    let mut figures = Vec::new();
    let mut push = |f: Figure| {
        progress(&f);
        figures.push(f);
    };

    if options.only == [Phase::Survey] {
        super::survey::survey_import(dir, &options.survey_rows(), &mut push)?;
        drop(push);
        return Ok(BenchReport {
            scale: options.scale.clone(),
            spec,
            words: 0,
            chars: 0,
            figures,
            date: crate::model::format_ms(crate::model::now_ms()),
        });
    }
    let (path, busy_code_path, words, chars) = match &options.project {
        Some(project) => {
            let (words, chars) = corpus_size(project)?;
            (project.clone(), None, words, chars)
        }
        None => {
            let corpus = generate(spec, 42);
            let words: usize = corpus.documents.iter().map(|d| d.word_starts.len()).sum();
            let chars: usize = corpus.documents.iter().map(|d| d.char_len).sum();
            let path = dir.join("bench.fouille");
            if options.wants(Phase::Import) {
                import(&corpus, dir, &path, runs, &mut push)?;
            } else {
                remove_project(&path);
                drop(load::import(&path, &corpus)?);
            }
            (path, Some(corpus.busy_code_path.clone()), words, chars)
        }
    };

    if options.wants(Phase::Queries) {
        super::reset_peak_rss();
        queries(&path, busy_code_path.as_deref(), runs, &mut push)?;
        push_phase_rss("open, search, retrieval", &mut push);
    }
    let project = Project::open(&path)?;
    if options.wants(Phase::Tables) {
        super::reset_peak_rss();
        tables(&project, runs, &mut push)?;
        push_phase_rss("tables", &mut push);
    }
    if options.wants(Phase::Reports) {
        super::reset_peak_rss();
        reports(&project, &dir.join("report"), runs, &mut push)?;
        push_phase_rss("reports", &mut push);
    }
    if options.wants(Phase::Merge) {
        merge(&project, dir, runs, &mut push)?;
    }
    if options.wants(Phase::Folder) {
        super::folder::folder_phase(&project, dir, runs, &mut push)?;
    }
    if options.wants(Phase::Agreement) {
        super::reset_peak_rss();
        agreement(&project, runs, &mut push)?;
        push_phase_rss("agreement", &mut push);
    }
    if options.wants(Phase::Qdpx) {
        qdpx(&project, dir, runs, &mut push)?;
    }
    drop(project);
    if options.wants(Phase::Lexical) {
        super::reset_peak_rss();
        super::lexical::lexical_phase(&path, busy_code_path.as_deref(), dir, runs, &mut push)?;
        push_phase_rss("lexical", &mut push);
    }
    if options.wants(Phase::Survey) {
        super::survey::survey_import(dir, &options.survey_rows(), &mut push)?;
    }
    push_stolen(started, &mut push);
    fixed_work.extend((0..5).map(|_| super::fixed_work_ms()));
    push(Figure::ms(
        "fixed work (machine speed)",
        fixed_work,
        None,
        "the same work on every run and scale, 5 times at the start and 5 at the end: a run whose figure is higher ran on a slower machine",
    ));
    drop(push);
    Ok(BenchReport {
        scale: options.scale.clone(),
        spec,
        words,
        chars,
        figures,
        date: crate::model::format_ms(crate::model::now_ms()),
    })
}

/// Pushes the share of the machine's CPU time stolen by the host since `started`, where the
/// system tells it (Linux, clock ticks of 1/100 s).
fn push_stolen(started: (std::time::Instant, Option<u64>), push: &mut dyn FnMut(Figure)) {
    let (Some(before), Some(after)) = (started.1, super::stolen_ticks()) else {
        return;
    };
    let cores = std::thread::available_parallelism().map_or(1, usize::from) as f64;
    let available = started.0.elapsed().as_secs_f64() * 100.0 * cores;
    let share = 100.0 * after.saturating_sub(before) as f64 / available.max(1.0);
    push(Figure {
        name: "CPU stolen by the host".into(),
        value: share,
        unit: "%".into(),
        target: None,
        met: None,
        runs: vec![share],
        note: "share of the machine's CPU time given to other virtual machines during the run (the frames excepted): every figure is slowed by about as much".into(),
    });
}

/// Pushes the peak memory of the phase that just ended, where the system can tell it.
fn push_phase_rss(name: &str, push: &mut dyn FnMut(Figure)) {
    if let Some(mb) = super::peak_rss_mb() {
        push(Figure::mb(
            &format!("peak RSS: {name}"),
            mb,
            Some(300.0),
            rss_note(),
        ));
    }
}

/// What a phase's peak includes.
pub(super) fn rss_note() -> String {
    match super::phase_start_rss_mb() {
        Some(start) => format!(
            "peak resident memory of the process during this phase; it held {start:.0} MB when the phase began"
        ),
        None => "peak resident memory of the whole process".into(),
    }
}

/// Import of the corpus vs the raw insert floor, in the same process.
fn import(
    corpus: &super::corpus::Corpus,
    dir: &Path,
    path: &Path,
    runs: usize,
    push: &mut dyn FnMut(Figure),
) -> Result<(), BenchError> {
    let raw_path = dir.join("raw.fouille");
    let (raw_runs, ()) = time_ms(runs, || {
        remove_project(&raw_path);
        load::raw_insert(&raw_path, corpus)
    })?;
    remove_project(&raw_path);
    super::reset_peak_rss();
    let (import_runs, project) = time_ms(runs, || {
        remove_project(path);
        load::import(path, corpus)
    })?;
    drop(project);
    let rows = corpus.documents.len() + corpus.codings.len();
    let note = format!(
        "{} documents, {} codings, {} respondents × 8 attributes, FTS index",
        corpus.documents.len(),
        corpus.codings.len(),
        corpus.respondents.len()
    );
    let import = Figure::ms("import", import_runs, None, note.clone());
    let raw = Figure::ms("raw insert (floor)", raw_runs, None, note);
    let ratio = raw.value / import.value.max(1e-9);
    push(import);
    push(raw);
    push(Figure {
        name: "import rate vs raw insert".into(),
        value: ratio,
        unit: "ratio".into(),
        target: Some("≥ 0.5".into()),
        met: Some(ratio >= 0.5),
        runs: vec![ratio],
        note: format!("{rows} rows"),
    });
    push_phase_rss("import (corpus in memory included)", push);
    Ok(())
}

/// Words and chars of a project's live documents.
fn corpus_size(path: &Path) -> Result<(usize, usize), BenchError> {
    Ok(crate::store::stats::corpus_size(
        &crate::store::reader::open_read_only(path)?,
    )?)
}

/// Cold open to a usable state, full-text search, and retrieval of the busiest code.
fn queries(
    path: &Path,
    busy_code_path: Option<&str>,
    runs: usize,
    push: &mut dyn FnMut(Figure),
) -> Result<(), BenchError> {
    // What the app reads before showing the first screen.
    let (open_runs, _) = time_ms(runs.max(5), || -> Result<(), StoreError> {
        let p = Project::open(path)?;
        let _ = documents::list(p.conn())?;
        let list = codes::list(p.conn())?;
        let _ = codes::paths(&list);
        let _ = codes::coding_counts(p.conn())?;
        let _ = respondents::list(p.conn())?;
        Ok(())
    })?;
    push(Figure::ms(
        "open",
        open_runs,
        Some(500.0),
        "open + documents, codebook with counts, respondents",
    ));

    let project = Project::open(path)?;
    let (search_runs, hits) = time_ms(runs.max(10), || {
        search::search(project.conn(), "coopération partenaires", 100)
    })?;
    push(Figure::ms(
        "search",
        search_runs,
        Some(30.0),
        format!("« coopération partenaires », {} passages", hits.len()),
    ));

    let busy = match busy_code_path {
        Some(p) => codes::resolve(project.conn(), p)?,
        None => {
            let guid = crate::store::stats::busiest_code(project.conn())?
                .ok_or_else(|| BenchError::Report("the project has no coding".into()))?;
            codes::resolve(project.conn(), &guid)?
        }
    };
    let filter = ExcerptFilter {
        codes: vec![busy.guid.clone()],
        attributes: vec![("territory".into(), "Rural".into())],
        ..Default::default()
    };
    let all_busy = excerpts(
        project.conn(),
        &ExcerptFilter {
            codes: vec![busy.guid.clone()],
            ..Default::default()
        },
    )?
    .len();
    let (retrieval_runs, found) = time_ms(runs.max(10), || excerpts(project.conn(), &filter))?;
    push(Figure::ms(
        "retrieval",
        retrieval_runs,
        Some(50.0),
        format!(
            "code with {all_busy} excerpts, territory = Rural → {}",
            found.len()
        ),
    ));
    Ok(())
}
