//! Dialogs of automatic transcription: « Remplacer le texte ? » before transcribing into a
//! document that has text, recordings to transcribe into new documents, and the model
//! folder in the settings.

use std::path::PathBuf;
use std::sync::mpsc::Receiver;

use egui::{RichText, Ui};

use super::browse::{self, browse_ui};
use super::modals::{Enter, autofocus, buttons, labeled_text};
use crate::model::DocumentId;
use crate::ui::command::{Command, Transcribe};
use crate::ui::env::Env;
use crate::ui::theme;

/// The recordings' extensions offered by the file dialog (the player's formats).
const AUDIO: [&str; 7] = ["wav", "mp3", "ogg", "flac", "m4a", "mp4", "aac"];

/// Before transcribing into a document that has text: replace it (its codings follow the
/// new text as in any edit) or not.
pub(super) fn replace_text_ui(
    ui: &mut Ui,
    env: &Env,
    document: &DocumentId,
    name: &str,
    audio: &std::path::Path,
    commands: &mut Vec<Command>,
) -> bool {
    let tr = env.tr;
    ui.heading(tr.t("transcribe.replace_title"));
    ui.label(tr.f("transcribe.replace_text", &[("name", name)]));
    ui.label(RichText::new(tr.t("transcribe.replace_help")).color(theme::INK_SOFT));
    let (ok, cancel) = buttons(ui, env, "transcribe.replace", true, Enter::Never);
    if ok {
        commands.push(Command::Transcribe(Transcribe::Start {
            audio: audio.to_path_buf(),
            document: Some(document.clone()),
            replace: true,
        }));
    }
    ok || cancel
}

/// Recordings to transcribe into new documents: typed, one path a line, or picked in the
/// system's file dialog when there is one.
pub(super) fn transcribe_files_ui(
    ui: &mut Ui,
    env: &Env,
    paths: &mut String,
    browsing: &mut Option<Receiver<Vec<PathBuf>>>,
    commands: &mut Vec<Command>,
) -> bool {
    let tr = env.tr;
    ui.heading(tr.t("transcribe.files_title"));
    ui.label(RichText::new(tr.t("transcribe.files_help")).color(theme::INK_SOFT));
    let edit = labeled_text(ui, tr.t("transcribe.files"), paths, true);
    autofocus(ui, &edit);
    let picked = browse_ui(ui, tr, browsing, || browse::pick_files("Audio", &AUDIO));
    for p in picked.unwrap_or_default() {
        if !paths.is_empty() && !paths.ends_with('\n') {
            paths.push('\n');
        }
        paths.push_str(&p.display().to_string());
    }
    let list: Vec<PathBuf> = paths
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(PathBuf::from)
        .collect();
    let (ok, cancel) = buttons(
        ui,
        env,
        "transcribe.start",
        !list.is_empty(),
        Enter::WithCtrl,
    );
    if ok {
        for audio in list {
            commands.push(Command::Transcribe(Transcribe::Start {
                audio,
                document: None,
                replace: false,
            }));
        }
    }
    ok || cancel
}

/// The settings' model folder: typed (or picked in a folder dialog), remembered for the
/// app and the command line; below, the folder in use now.
pub(super) fn model_setting_ui(
    ui: &mut Ui,
    env: &Env,
    model: &mut String,
    in_use: &str,
    browsing: &mut Option<Receiver<Option<PathBuf>>>,
    commands: &mut Vec<Command>,
) {
    let tr = env.tr;
    ui.label(RichText::new(tr.t("settings.model")).strong());
    ui.label(
        RichText::new(tr.t("settings.model_help"))
            .small()
            .color(theme::INK_SOFT),
    );
    labeled_text(ui, tr.t("settings.model_folder"), model, false);
    ui.horizontal(|ui| {
        if ui
            .add_enabled(
                !model.trim().is_empty(),
                egui::Button::new(tr.t("settings.model_use")),
            )
            .clicked()
        {
            commands.push(Command::Transcribe(Transcribe::SetModel(PathBuf::from(
                model.trim(),
            ))));
        }
        if let Some(Some(picked)) = browse_ui(ui, tr, browsing, browse::pick_folder) {
            *model = picked.display().to_string();
        }
    });
    ui.label(
        RichText::new(tr.f("settings.model_in_use", &[("path", in_use)])).color(theme::INK_SOFT),
    );
}
