//! The desktop app (egui), the only module that uses egui/eframe: it draws, and sends what
//! the user asks for to the core.
//!
//! - `app.rs`: the eframe app, persisted [`state::State`] apart from runtime handles;
//! - `command.rs`: what panels ask for; `apply.rs` and `projects.rs` do it through the core;
//! - `cache.rs`: what is shown, read from the store after each change;
//! - `panels/`, `views/`, `widgets/`: drawing; `theme.rs`: colours; `worker.rs`: long work
//!   off the UI thread; `bench.rs`: frame times. The words come from [`crate::i18n`].

pub mod app;
mod apply;
mod background;
pub mod bench;
pub mod cache;
pub mod command;
mod edits;
pub mod env;
mod exports;
pub mod files;
mod frame_input;
mod interchange;
mod layout;
pub mod panels;
mod projects;
mod prompts;
mod refresh;
mod search_work;
pub mod shortcuts;
pub mod state;
mod team_folder;
pub mod theme;
mod transcript_audio;
mod transcript_edits;
mod transcription;
mod transcription_jobs;
pub mod views;
pub mod widgets;
pub mod worker;

use std::path::PathBuf;

pub use app::FouilleApp;

/// Opens the desktop app on `project` (or the last project, or the sample project).
pub fn run(project: Option<PathBuf>) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Fouille")
            .with_app_id("fouille")
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([760.0, 480.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "Fouille",
        options,
        Box::new(move |cc| Ok(Box::new(FouilleApp::new(cc, project)))),
    )
    .map_err(|e| anyhow::anyhow!("cannot open a window: {e}"))
}
