//! The frame benchmark's terms, shared by the command line and the app: what to measure,
//! the generated document it is measured on, and the report. The frames themselves are
//! run by the app (`ui::bench::frame_times`), which the binary hands to the command line
//! as a [`MeasureFrames`], so the command line never depends on the interface.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::model::{CodeKind, DocumentKind};
use crate::store::codes::NewCode;
use crate::store::documents::NewDocument;
use crate::store::{Project, codes, codings, documents};

/// Runs the frame benchmark (the app's `ui::bench::frame_times`).
pub type MeasureFrames = fn(FrameOptions) -> Result<FrameReport, String>;

/// What to measure.
#[derive(Debug, Clone)]
pub struct FrameOptions {
    /// Length of the generated document, chars.
    pub chars: usize,
    /// Number of codings on it.
    pub codings: usize,
    /// Frames timed per phase (the opening phase always times its first 5).
    pub frames: usize,
    /// Window size as (width, height), in points.
    pub size: (f32, f32),
    /// A project on which to also time the Analysis screen while its tables compute
    /// (the bench's large corpus); none: the coding screen only.
    pub analysis_project: Option<PathBuf>,
}

impl Default for FrameOptions {
    fn default() -> Self {
        FrameOptions {
            chars: 300_000,
            codings: 5_000,
            frames: 120,
            size: (1600.0, 1000.0),
            analysis_project: None,
        }
    }
}

/// Times of one phase.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseTimes {
    /// What the frames did, in words (e.g. `scroll down (90 pt per frame)`).
    pub phase: String,
    /// Number of frames timed in this phase.
    pub frames: usize,
    /// Mean frame time, ms.
    pub mean_ms: f64,
    /// 95th-percentile frame time in ms (nearest rank among the sorted times).
    pub p95_ms: f64,
    /// Worst frame, ms.
    pub worst_ms: f64,
}

/// The benchmark's result.
#[derive(Debug, Clone, Serialize)]
pub struct FrameReport {
    /// Chars of the document.
    pub chars: usize,
    /// Codings on it.
    pub codings: usize,
    /// Paragraphs of the document as the coding view lays them out.
    pub paragraphs: usize,
    /// Time to build the project, ms (not a frame).
    pub setup_ms: f64,
    /// One entry per phase, in the order run; the Analysis screen's phases come last when asked.
    pub phases: Vec<PhaseTimes>,
    /// Whether this build has debug assertions (a debug build is much slower).
    pub debug_build: bool,
}

/// A deterministic pseudo-random generator (xorshift), so every run measures the same.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "le",
    "la",
    "les",
    "des",
    "une",
    "on",
    "nous",
    "service",
    "accueil",
    "élus",
    "mairie",
    "public",
    "agents",
    "démarches",
    "numérique",
    "territoire",
    "crise",
    "équipe",
    "réunion",
    "habitants",
    "parce",
    "que",
    "c’est",
    "très",
    "souvent",
    "quand",
    "même",
    "à",
    "été",
    "œuvre",
    "coopération",
    "donc",
    "voilà",
    "euh",
    "vraiment",
    "procédure",
    "guichet",
    "téléphone",
    "rendez-vous",
    "confiance",
    "pilotage",
    "budget",
    "après",
    "avant",
    "ça",
    "fait",
    "dix",
    "ans",
];

/// A French-looking text of about `chars` chars: speaker turns of varied length, with
/// accents, ligatures and the odd emoji.
pub fn generate_text(chars: usize, seed: u64) -> String {
    let mut rng = Rng(seed.max(1));
    let mut out = String::with_capacity(chars * 2);
    let mut count = 0;
    let mut turn = 0;
    while count < chars {
        let speaker = if turn % 2 == 0 {
            "Enquêtrice : "
        } else {
            "Répondant : "
        };
        out.push_str(speaker);
        count += speaker.chars().count();
        let words = 10 + rng.below(if turn % 2 == 0 { 30 } else { 220 });
        for w in 0..words {
            let word = WORDS[rng.below(WORDS.len())];
            if w > 0 {
                out.push(' ');
                count += 1;
            }
            out.push_str(word);
            count += word.chars().count();
            if rng.below(40) == 0 {
                out.push_str(" 😅");
                count += 2;
            }
        }
        out.push_str(".\n\n");
        count += 3;
        turn += 1;
    }
    out
}

/// Builds a project at `path` with one generated document and `codings` codings over 24
/// codes (overlapping, by two coders). Returns the document's GUID.
pub fn build_project(
    path: &Path,
    chars: usize,
    codings: usize,
) -> Result<crate::model::DocumentId, String> {
    let text = generate_text(chars, 42);
    let len = text.chars().count();
    let mut project =
        Project::create(path, "Banc d'essai", Some("Banc")).map_err(|e| e.to_string())?;
    let mut rng = Rng(7);
    project
        .bulk_action(|tx| {
            let doc = documents::insert(
                tx,
                NewDocument {
                    guid: None,
                    name: "transcription-longue".into(),
                    kind: DocumentKind::Transcript,
                    text: text.clone(),
                    origin: "generated".into(),
                    media_path: None,
                    respondent_guid: None,
                },
            )?;
            let mut code_guids = Vec::new();
            for i in 0..24 {
                code_guids.push(codes::insert(
                    tx,
                    NewCode::new(&format!("Code {i:02}"), CodeKind::Theme, None),
                )?);
            }
            let other = crate::store::coders::ensure(tx.conn, "Autre")?.0;
            for i in 0..codings {
                let start = rng.below(len.saturating_sub(700).max(1));
                let end = (start + 20 + rng.below(600)).min(len);
                let coder = if i % 3 == 0 { other } else { tx.coder_id };
                let as_coder = crate::store::Tx {
                    conn: tx.conn,
                    coder_id: coder,
                    now_ms: tx.now_ms,
                };
                codings::apply(
                    &as_coder,
                    &doc,
                    &code_guids[rng.below(code_guids.len())],
                    start,
                    end,
                )?;
            }
            Ok(doc)
        })
        .map_err(|e| e.to_string())
}

/// Mean, 95th percentile and worst of one phase's frame times (ms).
pub fn stats(phase: &str, times: &[f64]) -> PhaseTimes {
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len().max(1);
    PhaseTimes {
        phase: phase.to_string(),
        frames: times.len(),
        mean_ms: times.iter().sum::<f64>() / n as f64,
        p95_ms: sorted
            .get((n * 95 / 100).min(n - 1))
            .copied()
            .unwrap_or(0.0),
        worst_ms: sorted.last().copied().unwrap_or(0.0),
    }
}

impl std::fmt::Display for FrameReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "document: {} chars, {} paragraphs, {} codings (project built in {:.0} ms){}",
            self.chars,
            self.paragraphs,
            self.codings,
            self.setup_ms,
            if self.debug_build {
                " — debug build"
            } else {
                ""
            }
        )?;
        writeln!(
            f,
            "{:<46} {:>7} {:>9} {:>9} {:>9}",
            "phase", "frames", "mean ms", "p95 ms", "worst ms"
        )?;
        for p in &self.phases {
            writeln!(
                f,
                "{:<46} {:>7} {:>9.2} {:>9.2} {:>9.2}",
                p.phase, p.frames, p.mean_ms, p.p95_ms, p.worst_ms
            )?;
        }
        Ok(())
    }
}
