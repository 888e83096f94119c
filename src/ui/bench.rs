//! Frame times of the coding screen on a large generated document (a
//! 300,000-char transcript with 5,000 codings must scroll, select and code at 60 frames
//! per second). Runs the real app in a headless egui context: each frame is the egui pass
//! (`run_ui`) plus tessellation, i.e. all the CPU work of a frame but the GPU upload.

use crate::ui::command::Navigation;
use std::path::Path;
use std::time::{Duration, Instant};

use egui::{
    Event, Modifiers, MouseWheelUnit, PointerButton, Pos2, RawInput, Rect, TouchPhase, pos2, vec2,
};

use super::FouilleApp;
use super::command::Command;
use super::state::Screen;
use crate::analysis::TableKind;
use crate::app::edit::Edit;
use crate::bench::frames::{FrameOptions, FrameReport, PhaseTimes, build_project, stats};
use crate::model::{CodeId, DocumentId};

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
pub fn frame_times(options: FrameOptions) -> Result<FrameReport, String> {
    let mut report = document_frames(options.clone())?;
    if let Some(project) = &options.analysis_project {
        report
            .phases
            .extend(analysis_frames(project, options.size)?);
        report.phases.extend(search_frames(project, options.size)?);
    }
    Ok(report)
}

/// The coding screen's phases on a generated document.
fn document_frames(options: FrameOptions) -> Result<FrameReport, String> {
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

/// Runs the document phases on the project at `path`, whose big document is `doc`.
fn run_phases(
    path: &Path,
    doc: &DocumentId,
    options: FrameOptions,
    setup_ms: f64,
) -> Result<FrameReport, String> {
    let mut app = FouilleApp::new_for_test(path);
    app.state.layout.show_bottom = true;
    app.run_command(Command::Go(Navigation::Document(doc.clone())));
    let ctx = egui::Context::default();
    let size = options.size;
    let mut time = 0.0;
    let mut phases = Vec::new();
    let n = options.frames.max(1);
    let mut run =
        |app: &mut FouilleApp, events: Vec<Event>| frame(&ctx, app, size, &mut time, events);

    let open: Vec<f64> = (0..5).map(|_| run(&mut app, Vec::new())).collect();
    phases.push(stats("open (first 5 frames)", &open));
    let idle: Vec<f64> = (0..n).map(|_| run(&mut app, Vec::new())).collect();
    phases.push(stats("idle", &idle));

    let centre = pos2(size.0 * 0.45, size.1 * 0.4);
    run(&mut app, vec![Event::PointerMoved(centre)]);
    let scroll: Vec<f64> = (0..n).map(|_| run(&mut app, vec![wheel(-90.0)])).collect();
    phases.push(stats("scroll down (90 pt per frame)", &scroll));

    let select = select_phase(&mut app, &mut run, size, n);
    phases.push(stats("select with the mouse", &select));

    let code_guid = app
        .cache
        .codes
        .first()
        .map(|e| e.code.guid.clone())
        .ok_or("no code")?;
    let code = code_phase(&mut app, &mut run, doc, &code_guid, n, 0);
    phases.push(stats("code the selection (store write + refresh)", &code));
    // The same with the code's excerpts shown in retrieval (what a click in the codebook
    // does: it codes and selects the code).
    app.nav.selected_codes = vec![code_guid.clone()];
    let code_retrieval = code_phase(&mut app, &mut run, doc, &code_guid, n, 100);
    phases.push(stats("code with retrieval open", &code_retrieval));

    let len = app.doc_view.char_count();
    app.commands.push(Command::Go(Navigation::JumpTo {
        document: doc.clone(),
        start: len.saturating_sub(500),
        end: len.saturating_sub(400),
    }));
    let jump = vec![run(&mut app, Vec::new())];
    phases.push(stats("jump to the end", &jump));
    let back: Vec<f64> = (0..n).map(|_| run(&mut app, vec![wheel(120.0)])).collect();
    phases.push(stats("scroll up (120 pt per frame)", &back));

    Ok(FrameReport {
        chars: len,
        codings: app.doc_view.coding_count(),
        paragraphs: app.doc_view.paragraph_count(),
        setup_ms,
        phases,
        debug_build: cfg!(debug_assertions),
    })
}

/// Selecting with the mouse: press, `n` frames of dragging over a fifth of the width and
/// three tenths of the height, release.
fn select_phase(
    app: &mut FouilleApp,
    run: &mut impl FnMut(&mut FouilleApp, Vec<Event>) -> f64,
    size: (f32, f32),
    n: usize,
) -> Vec<f64> {
    let mut select = Vec::new();
    let from = pos2(size.0 * 0.35, size.1 * 0.25);
    select.push(run(
        app,
        vec![Event::PointerMoved(from), button(from, true)],
    ));
    for i in 1..n {
        let t = i as f32 / n as f32;
        let pos = from + vec2(size.0 * 0.2 * t, size.1 * 0.3 * t);
        select.push(run(app, vec![Event::PointerMoved(pos)]));
    }
    let to = from + vec2(size.0 * 0.2, size.1 * 0.3);
    select.push(run(app, vec![button(to, false)]));
    select
}

/// Coding the selection (moved `offset` + i chars on at frame i, so each coding is new)
/// with `code`, one coding a frame, at most 30 frames.
fn code_phase(
    app: &mut FouilleApp,
    run: &mut impl FnMut(&mut FouilleApp, Vec<Event>) -> f64,
    doc: &DocumentId,
    code: &CodeId,
    n: usize,
    offset: usize,
) -> Vec<f64> {
    let mut times = Vec::new();
    for i in 0..n.min(30) {
        if let Some((start, end)) = app.doc_view.selected_range() {
            let start = start + offset + i;
            app.commands.push(Command::Edit(Edit::ApplyCode {
                document: doc.clone(),
                code: code.clone(),
                start,
                end: end.max(start + 1),
                memo: None,
            }));
        }
        times.push(run(app, Vec::new()));
    }
    times
}

/// The longest a table may take before the benchmark gives up on it.
const TABLE_TIMEOUT: Duration = Duration::from_secs(300);

/// Frame times of the Analysis screen on `project` while each of the heavier synthesis
/// tables computes on the app's worker thread. Frames are paced at 60 per second, as the
/// window would ask for them, so the worker has the rest of the machine; each phase runs
/// until the table is shown.
fn analysis_frames(project: &Path, size: (f32, f32)) -> Result<Vec<PhaseTimes>, String> {
    let mut app = FouilleApp::new_for_test(project);
    app.background.enabled = true;
    app.state.screen = Screen::Analysis;
    let ctx = egui::Context::default();
    let mut time = 0.0;
    let mut phases = Vec::new();
    for (kind, by) in [
        (TableKind::Matrix, ""),
        (TableKind::Cooccurrence, ""),
        (TableKind::Controversies, "territory"),
        (TableKind::Orientations, "role"),
        (TableKind::Words, ""),
    ] {
        app.analysis.kind = kind;
        app.analysis.by = by.to_string();
        app.analysis.invalidate();
        app.analysis.tables.clear();
        let started = Instant::now();
        let mut times = Vec::new();
        loop {
            let ms = frame(&ctx, &mut app, size, &mut time, Vec::new());
            times.push(ms);
            let shown = !app.analysis.tables.is_empty() || app.analysis.error.is_some();
            if shown && !app.analysis.computing {
                break;
            }
            if started.elapsed() > TABLE_TIMEOUT {
                return Err(format!(
                    "the {} table took over {TABLE_TIMEOUT:?}",
                    kind.as_str()
                ));
            }
            std::thread::sleep(Duration::from_secs_f64((16.7 - ms).max(0.0) / 1000.0));
        }
        if let Some(error) = &app.analysis.error {
            return Err(format!("the {} table failed: {error}", kind.as_str()));
        }
        let phase = format!(
            "analysis: {} computing ({:.0} ms)",
            kind.as_str(),
            started.elapsed().as_secs_f64() * 1000.0
        );
        phases.push(stats(&phase, &times));
    }
    Ok(phases)
}

/// The Coding screen's frames while the search panel searches the whole corpus beside them
/// (a phrase, a boolean query, a query with thousands of hits), then previews coding every
/// hit of the last one, paced at 60 per second like [`analysis_frames`]; each phase runs
/// until its result is shown.
fn search_frames(project: &Path, size: (f32, f32)) -> Result<Vec<PhaseTimes>, String> {
    let mut app = FouilleApp::new_for_test(project);
    app.background.enabled = true;
    app.state.screen = Screen::Coding;
    app.state.layout.bottom_tab = super::state::BottomTab::Search;
    let ctx = egui::Context::default();
    let mut time = 0.0;
    let mut phases = Vec::new();
    let code = app.cache.codes.iter().find(|e| e.code.kind.is_codable());
    let code = code
        .map(|e| e.code.guid.clone())
        .ok_or("the project has no code")?;
    for query in [
        "\"coopération partenaires\"",
        "(mairie OR guichet) AND confiance NOT budget",
        "mairie OR guichet*",
    ] {
        app.panels.search.query = query.to_string();
        let request = app.panels.search.request().map_err(str::to_string)?;
        app.panels.search.pending = Some(request);
        app.panels.search.overview = None;
        let (times, ms) = paced(&ctx, &mut app, size, &mut time, |app| {
            app.panels.search.overview.is_some() || app.panels.search.error.is_some()
        })?;
        if let Some(error) = &app.panels.search.error {
            return Err(format!("the search « {query} » failed: {error}"));
        }
        let found = app
            .panels
            .search
            .overview
            .as_ref()
            .map_or(0, |o| o.results.total);
        let phase = format!("search: {query} ({found} passages, {ms:.0} ms)");
        phases.push(stats(&phase, &times));
    }
    app.panels.search.ticks.all = true;
    app.panels.search.code = Some(code.to_string());
    let (times, ms) = paced(&ctx, &mut app, size, &mut time, |app| {
        app.panels.search.plan.is_some()
    })?;
    let phase = format!("search: preview of coding every hit ({ms:.0} ms)");
    phases.push(stats(&phase, &times));
    Ok(phases)
}

/// Frames paced at 60 per second until `done`: their times, and how long it took (ms).
fn paced(
    ctx: &egui::Context,
    app: &mut FouilleApp,
    size: (f32, f32),
    time: &mut f64,
    done: impl Fn(&FouilleApp) -> bool,
) -> Result<(Vec<f64>, f64), String> {
    let started = Instant::now();
    let mut times = Vec::new();
    loop {
        let ms = frame(ctx, app, size, time, Vec::new());
        times.push(ms);
        if done(app) {
            return Ok((times, started.elapsed().as_secs_f64() * 1000.0));
        }
        if started.elapsed() > TABLE_TIMEOUT {
            return Err(format!("the search took over {TABLE_TIMEOUT:?}"));
        }
        std::thread::sleep(Duration::from_secs_f64((16.7 - ms).max(0.0) / 1000.0));
    }
}
