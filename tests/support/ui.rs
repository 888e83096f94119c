//! Helpers of the GUI tests: the real sample project in a temporary folder, the real app
//! in an egui_kittest harness, and pointer gestures.

use std::path::{Path, PathBuf};

use egui::{Event, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use fouille::ui::FouilleApp;

/// The coded sample project, built in a temporary folder.
pub struct Sample {
    /// Keeps the folder alive.
    pub _dir: tempfile::TempDir,
    /// The project file.
    pub path: PathBuf,
}

/// Builds the sample project.
pub fn sample() -> Sample {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("exemple.fouille");
    fouille::sample::build_sample(&path, &fouille::sample::embedded_files()).unwrap();
    Sample { _dir: dir, path }
}

/// The app on `path` in a 1400×900 harness, settled.
pub fn harness(path: &Path) -> Harness<'static, FouilleApp> {
    let app = FouilleApp::new_for_test(path);
    // A few more steps than kittest's default before `run` gives up: under load a frame can
    // cross a timed repaint (the transcript's autosave, the player's clock) once more. A UI
    // that never settles still fails.
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut FouilleApp| app.ui_root(ui), app);
    harness.run();
    harness
}

/// Presses the primary button at `from`, moves to `to` in a few steps, releases.
pub fn drag(harness: &mut Harness<'_, FouilleApp>, from: Pos2, to: Pos2) {
    harness.hover_at(from);
    harness.step();
    harness.event(Event::PointerButton {
        pos: from,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    harness.step();
    for i in 1..=4 {
        let t = i as f32 / 4.0;
        harness.hover_at(from + (to - from) * t);
        harness.step();
    }
    harness.event(Event::PointerButton {
        pos: to,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    harness.run();
}

/// The char range of `needle` in the open document's text.
pub fn find_in_open_document(app: &FouilleApp, needle: &str) -> (usize, usize) {
    let guid = app.nav().document.clone().expect("a document is open");
    let text = fouille::store::documents::text(app.project().unwrap().conn(), &guid).unwrap();
    let byte = text.find(needle).expect("the phrase is in the document");
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// The GUID of a code by its stored name.
pub fn code_guid(app: &FouilleApp, name: &str) -> fouille::model::CodeId {
    app.cache()
        .codes
        .iter()
        .find(|e| e.code.name == name)
        .map(|e| e.code.guid.clone())
        .expect("the code exists")
}
