//! Dialogs about projects: open by typed path (or a file dialog), create, import documents, the coder's name.

use egui::{RichText, Ui};

use std::path::PathBuf;

use super::modals::{Dialog, Enter, autofocus, buttons, labeled_text, pick_file_in_background};
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
    let tr = env.tr;
    let mut close = false;
    match current {
        Dialog::OpenPath { path, browsing } => {
            ui.heading(tr.t("project.open_title"));
            let edit = labeled_text(ui, tr.t("project.path"), path, false);
            autofocus(ui, &edit);
            if let Some(rx) = browsing {
                if let Ok(answer) = rx.try_recv() {
                    if let Some(p) = answer {
                        *path = p.display().to_string();
                    }
                    *browsing = None;
                } else {
                    ui.label(RichText::new(tr.t("project.browsing")).color(theme::INK_SOFT));
                    ui.ctx()
                        .request_repaint_after(std::time::Duration::from_millis(100));
                }
            } else if ui
                .button(tr.t("project.browse"))
                .on_hover_text(tr.t("project.browse_help"))
                .clicked()
            {
                *browsing = Some(pick_file_in_background(false));
            }
            let (ok, cancel) = buttons(
                ui,
                env,
                "project.open",
                !path.trim().is_empty(),
                Enter::Plain,
            );
            if ok {
                commands.push(Command::OpenProject(PathBuf::from(path.trim())));
            }
            close = ok || cancel;
        }
        Dialog::NewProject {
            path,
            with_template,
        } => {
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
                commands.push(Command::NewProject {
                    path: p,
                    with_template: *with_template,
                });
            }
            close = ok || cancel;
        }
        Dialog::ImportPaths { paths } => {
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
                commands.push(Command::ImportFiles(list));
            }
            close = ok || cancel;
        }
        Dialog::CoderName { name, first_start } => {
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
                commands.push(Command::SetCoder(name.trim().to_string()));
            }
            let cancel = !*first_start && ui.button(tr.t("common.cancel")).clicked();
            close = ok || cancel;
        }
        _ => {}
    }
    close
}
