//! Frame times of the coding screen on a large generated document (a
//! 300,000-char transcript with 5,000 codings must scroll, select and code at 60 frames
//! per second). Runs the real app in a headless egui context: each frame is the egui pass
//! (`run_ui`) plus tessellation, i.e. all the CPU work of a frame but the GPU upload.

use crate::app::edit::Edit;
use std::path::Path;
use std::time::Instant;

use egui::{
    Event, Modifiers, MouseWheelUnit, PointerButton, Pos2, RawInput, Rect, TouchPhase, pos2, vec2,
};
use serde::Serialize;

use super::FouilleApp;
use super::command::Command;
use crate::model::{CodeKind, DocumentKind};
use crate::store::codes::NewCode;
use crate::store::documents::NewDocument;
use crate::store::{Project, codes, codings, documents};

/// What to measure.
#[derive(Debug, Clone, Copy)]
pub struct BenchOptions {
    /// Length of the generated document, chars.
    pub chars: usize,
    /// Number of codings on it.
    pub codings: usize,
    /// Frames per phase.
    pub frames: usize,
    /// Window size, points.
    pub size: (f32, f32),
}

impl Default for BenchOptions {
    fn default() -> Self {
        BenchOptions {
            chars: 300_000,
            codings: 5_000,
            frames: 120,
            size: (1600.0, 1000.0),
        }
    }
}

/// Times of one phase.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseTimes {
    /// What the frames did.
    pub phase: String,
    /// Frames measured.
    pub frames: usize,
    /// Mean frame time, ms.
    pub mean_ms: f64,
    /// 95th percentile, ms.
    pub p95_ms: f64,
    /// Worst frame, ms.
    pub worst_ms: f64,
}

/// The benchmark's result.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    /// Chars of the document.
    pub chars: usize,
    /// Codings on it.
    pub codings: usize,
    /// Paragraphs of the document.
    pub paragraphs: usize,
    /// Time to build the project, ms (not a frame).
    pub setup_ms: f64,
    /// Per phase.
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
pub fn build_project(path: &Path, chars: usize, codings: usize) -> Result<String, String> {
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

fn stats(phase: &str, times: &[f64]) -> PhaseTimes {
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

/// Runs the app headless for one frame with `events`; returns the frame's time in ms.
fn frame(
    ctx: &egui::Context,
    app: &mut FouilleApp,
    size: (f32, f32),
    time: &mut f64,
    events: Vec<Event>,
) -> f64 {
    *time += 1.0 / 60.0;
    let input = RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(size.0, size.1))),
        time: Some(*time),
        predicted_dt: 1.0 / 60.0,
        events,
        ..RawInput::default()
    };
    let started = Instant::now();
    let mut output = ctx.run_ui(input, |ui| app.ui_root(ui));
    let _primitives = ctx.tessellate(std::mem::take(&mut output.shapes), output.pixels_per_point);
    // No GPU here: the font atlas updates are not uploaded anywhere.
    output.textures_delta.clear();
    started.elapsed().as_secs_f64() * 1000.0
}

fn wheel(dy: f32) -> Event {
    Event::MouseWheel {
        unit: MouseWheelUnit::Point,
        delta: vec2(0.0, dy),
        phase: TouchPhase::Move,
        source: egui::MouseWheelSource::Unknown,
        modifiers: Modifiers::NONE,
    }
}

fn button(pos: Pos2, pressed: bool) -> Event {
    Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    }
}

/// Measures frame times: opening the document, idle, scrolling, selecting with the mouse,
/// coding the selection (through the store), jumping far and scrolling back.
pub fn frame_times(options: BenchOptions) -> Result<BenchReport, String> {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!(
        "fouille-bench-{}-{run}-{}",
        std::process::id(),
        crate::model::now_ms()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let path = dir.join("banc.fouille");
    let started = Instant::now();
    let doc = build_project(&path, options.chars, options.codings)?;
    let setup_ms = started.elapsed().as_secs_f64() * 1000.0;
    let result = run_phases(&path, &doc, options, setup_ms);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn run_phases(
    path: &Path,
    doc: &str,
    options: BenchOptions,
    setup_ms: f64,
) -> Result<BenchReport, String> {
    let mut app = FouilleApp::new_for_test(path);
    app.state.layout.show_bottom = true;
    app.run_command(Command::OpenDocument(doc.to_string()));
    let ctx = egui::Context::default();
    let size = options.size;
    let mut time = 0.0;
    let mut phases = Vec::new();
    let n = options.frames.max(1);

    let open: Vec<f64> = (0..5)
        .map(|_| frame(&ctx, &mut app, size, &mut time, Vec::new()))
        .collect();
    phases.push(stats("open (first 5 frames)", &open));
    let idle: Vec<f64> = (0..n)
        .map(|_| frame(&ctx, &mut app, size, &mut time, Vec::new()))
        .collect();
    phases.push(stats("idle", &idle));

    let centre = pos2(size.0 * 0.45, size.1 * 0.4);
    let mut scroll = Vec::new();
    frame(
        &ctx,
        &mut app,
        size,
        &mut time,
        vec![Event::PointerMoved(centre)],
    );
    for _ in 0..n {
        scroll.push(frame(&ctx, &mut app, size, &mut time, vec![wheel(-90.0)]));
    }
    phases.push(stats("scroll down (90 pt per frame)", &scroll));

    let mut select = Vec::new();
    let from = pos2(size.0 * 0.35, size.1 * 0.25);
    select.push(frame(
        &ctx,
        &mut app,
        size,
        &mut time,
        vec![Event::PointerMoved(from), button(from, true)],
    ));
    for i in 1..n {
        let t = i as f32 / n as f32;
        let pos = from + vec2(size.0 * 0.2 * t, size.1 * 0.3 * t);
        select.push(frame(
            &ctx,
            &mut app,
            size,
            &mut time,
            vec![Event::PointerMoved(pos)],
        ));
    }
    let to = from + vec2(size.0 * 0.2, size.1 * 0.3);
    select.push(frame(
        &ctx,
        &mut app,
        size,
        &mut time,
        vec![button(to, false)],
    ));
    phases.push(stats("select with the mouse", &select));

    let mut code = Vec::new();
    let code_guid = app
        .cache
        .codes
        .first()
        .map(|e| e.code.guid.clone())
        .ok_or("no code")?;
    for i in 0..n.min(30) {
        if let Some((start, end)) = app.doc_view.selected_range() {
            let start = start + i;
            app.commands.push(Command::Edit(Edit::ApplyCode {
                document: doc.to_string(),
                code: code_guid.clone(),
                start,
                end: end.max(start + 1),
                memo: None,
            }));
        }
        code.push(frame(&ctx, &mut app, size, &mut time, Vec::new()));
    }
    phases.push(stats("code the selection (store write + refresh)", &code));

    // The same with the code's excerpts shown in retrieval (what a click in the codebook
    // does: it codes and selects the code).
    app.nav.selected_codes = vec![code_guid.clone()];
    let mut code_retrieval = Vec::new();
    for i in 0..n.min(30) {
        if let Some((start, end)) = app.doc_view.selected_range() {
            let start = start + 100 + i;
            app.commands.push(Command::Edit(Edit::ApplyCode {
                document: doc.to_string(),
                code: code_guid.clone(),
                start,
                end: end.max(start + 1),
                memo: None,
            }));
        }
        code_retrieval.push(frame(&ctx, &mut app, size, &mut time, Vec::new()));
    }
    phases.push(stats("code with retrieval open", &code_retrieval));

    let len = app.doc_view.char_count();
    app.commands.push(Command::JumpTo {
        document: doc.to_string(),
        start: len.saturating_sub(500),
        end: len.saturating_sub(400),
    });
    let jump = vec![frame(&ctx, &mut app, size, &mut time, Vec::new())];
    phases.push(stats("jump to the end", &jump));
    let mut back = Vec::new();
    for _ in 0..n {
        back.push(frame(&ctx, &mut app, size, &mut time, vec![wheel(120.0)]));
    }
    phases.push(stats("scroll up (120 pt per frame)", &back));

    Ok(BenchReport {
        chars: len,
        codings: app.doc_view.coding_count(),
        paragraphs: app.doc_view.paragraph_count(),
        setup_ms,
        phases,
        debug_build: cfg!(debug_assertions),
    })
}

impl std::fmt::Display for BenchReport {
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
