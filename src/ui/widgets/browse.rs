//! « Parcourir… »: a native file or folder dialog run on its own thread, so the window keeps
//! drawing while it is open. The dialog may be missing (no XDG portal): the typed path
//! beside the button always works.

use std::path::PathBuf;
use std::sync::mpsc::Receiver;

use egui::{RichText, Ui};

use crate::i18n::I18n;
use crate::ui::theme;

/// Runs `pick` (a blocking native dialog) on a thread of its own; its answer arrives on the
/// receiver.
fn in_background<T: Send + 'static>(pick: impl FnOnce() -> T + Send + 'static) -> Receiver<T> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(pick());
    });
    rx
}

/// The « Parcourir… » button, or, while its dialog is open, a note saying so. `start` opens
/// the dialog; returns the dialog's answer the frame it arrives.
pub fn browse_ui<T>(
    ui: &mut Ui,
    tr: &I18n,
    browsing: &mut Option<Receiver<T>>,
    start: impl FnOnce() -> Receiver<T>,
) -> Option<T> {
    if let Some(rx) = browsing {
        if let Ok(answer) = rx.try_recv() {
            *browsing = None;
            return Some(answer);
        }
        ui.label(RichText::new(tr.t("project.browsing")).color(theme::INK_SOFT));
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(100));
    } else if ui
        .button(tr.t("project.browse"))
        .on_hover_text(tr.t("project.browse_help"))
        .clicked()
    {
        *browsing = Some(start());
    }
    None
}

/// A project file to open.
pub fn pick_project() -> Receiver<Option<PathBuf>> {
    in_background(|| {
        rfd::FileDialog::new()
            .add_filter("Fouille", &["fouille"])
            .pick_file()
    })
}

/// A folder (a speech model's).
pub fn pick_folder() -> Receiver<Option<PathBuf>> {
    in_background(|| rfd::FileDialog::new().pick_folder())
}

/// Recordings, filtered by the audio extensions given; nothing picked gives an empty list.
pub fn pick_files(
    filter: &'static str,
    extensions: &'static [&'static str],
) -> Receiver<Vec<PathBuf>> {
    in_background(move || {
        rfd::FileDialog::new()
            .add_filter(filter, extensions)
            .pick_files()
            .unwrap_or_default()
    })
}
