//! Dialogs about projects: open by typed path (or a file dialog), create, import documents, the coder's name.

use crate::ui::command::{Session, Work};
use egui::{RichText, Ui};

use std::path::PathBuf;

use super::browse::{self, browse_ui};
use super::modals::{Dialog, Enter, autofocus, buttons, labeled_text};
use crate::ui::command::Command;
use crate::ui::env::Env;
use crate::ui::theme;

/// Draws one of these dialogs; returns whether it is done.
pub(super) fn project_dialog_ui(
    current: &mut Dialog,
    ui: &mut Ui,
    env: &Env,
    commands: &mut Vec<Command>,
) -> bool {
    match current {
        Dialog::OpenPath { path, browsing } => open_path_ui(ui, env, path, browsing, commands),
        Dialog::NewProject {
            path,
            with_template,
        } => new_project_ui(ui, env, path, with_template, commands),
        Dialog::ImportPaths { paths } => import_paths_ui(ui, env, paths, commands),
        Dialog::CoderName { name, first_start } => {
            coder_name_ui(ui, env, name, *first_start, commands)
        }
        _ => false,
    }
}

/// A project to open: typed, or picked in the system's file dialog (when there is one).
fn open_path_ui(
    ui: &mut Ui,
    env: &Env,
    path: &mut String,
    browsing: &mut Option<std::sync::mpsc::Receiver<Option<PathBuf>>>,
    commands: &mut Vec<Command>,
) -> bool {
    let tr = env.tr;
    ui.heading(tr.t("project.open_title"));
    let edit = labeled_text(ui, tr.t("project.path"), path, false);
    autofocus(ui, &edit);
    if let Some(Some(picked)) = browse_ui(ui, tr, browsing, browse::pick_project) {
        *path = picked.display().to_string();
    }
    let (ok, cancel) = buttons(
        ui,
        env,
        "project.open",
        !path.trim().is_empty(),
        Enter::Plain,
    );
    if ok {
        commands.push(Command::Session(Session::Open(PathBuf::from(path.trim()))));
    }
    ok || cancel
}

/// A project to create (`.fouille` added when the name has no extension), with the
/// codebook template or empty.
fn new_project_ui(
    ui: &mut Ui,
    env: &Env,
    path: &mut String,
    with_template: &mut bool,
    commands: &mut Vec<Command>,
) -> bool {
    let tr = env.tr;
    ui.heading(tr.t("project.new_title"));
    let edit = labeled_text(ui, tr.t("project.path"), path, false);
    autofocus(ui, &edit);
    ui.checkbox(with_template, tr.t("project.with_template"));
    let (ok, cancel) = buttons(
        ui,
        env,
        "project.create",
        !path.trim().is_empty(),
        Enter::Plain,
    );
    if ok {
        let mut p = PathBuf::from(path.trim());
        if p.extension().is_none() {
            p.set_extension("fouille");
        }
        commands.push(Command::Session(Session::New {
            path: p,
            with_template: *with_template,
        }));
    }
    ok || cancel
}

/// Documents to import, one path a line.
fn import_paths_ui(
    ui: &mut Ui,
    env: &Env,
    paths: &mut String,
    commands: &mut Vec<Command>,
) -> bool {
    let tr = env.tr;
    ui.heading(tr.t("import.title"));
    ui.label(RichText::new(tr.t("import.help")).color(theme::INK_SOFT));
    {
        let edit = labeled_text(ui, tr.t("import.paths"), paths, true);
        autofocus(ui, &edit);
    }
    let list: Vec<PathBuf> = paths
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(PathBuf::from)
        .collect();
    let (ok, cancel) = buttons(ui, env, "import.do", !list.is_empty(), Enter::WithCtrl);
    if ok {
        commands.push(Command::Work(Work::Import(list)));
    }
    ok || cancel
}

/// The coder's name; at the first start it cannot be cancelled.
fn coder_name_ui(
    ui: &mut Ui,
    env: &Env,
    name: &mut String,
    first_start: bool,
    commands: &mut Vec<Command>,
) -> bool {
    let tr = env.tr;
    ui.heading(tr.t("coder.title"));
    ui.label(tr.t("coder.help"));
    {
        let edit = labeled_text(ui, tr.t("coder.name"), name, false);
        autofocus(ui, &edit);
    }
    ui.add_space(6.0);
    let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
    let ok = ui
        .add_enabled(
            !name.trim().is_empty(),
            egui::Button::new(tr.t("common.ok")),
        )
        .clicked()
        || (enter && !name.trim().is_empty());
    if ok {
        commands.push(Command::Work(Work::SetCoder(name.trim().to_string())));
    }
    let cancel = !first_start && ui.button(tr.t("common.cancel")).clicked();
    ok || cancel
}
