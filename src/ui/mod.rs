//! The desktop app (egui). The only module that uses egui/eframe: it draws and sends
//! commands to the core.

use std::path::PathBuf;

/// Opens the desktop app on `project` (or the last project, or the sample project).
pub fn run(project: Option<PathBuf>) -> anyhow::Result<()> {
    let title = match &project {
        Some(path) => {
            let p = crate::store::Project::open(path)?;
            format!("Fouille — {}", p.name()?)
        }
        None => "Fouille".to_string(),
    };
    let options = eframe::NativeOptions::default();
    eframe::run_ui_native(&title.clone(), options, move |ui, _frame| {
        ui.heading(&title);
    })
    .map_err(|e| anyhow::anyhow!("cannot open a window: {e}"))
}
