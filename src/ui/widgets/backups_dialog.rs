//! The backups dialog: the project's backups, newest first, a backup made now, and a
//! restore that asks first (the project is closed, restored, reopened).

use crate::ui::command::{Session, Work};
use egui::{RichText, Ui};

use crate::store::backup::BackupInfo;
use crate::ui::command::Command;
use crate::ui::env::Env;
use crate::ui::theme;

/// Draws the dialog; returns whether it closes.
pub(super) fn backups_ui(
    ui: &mut Ui,
    env: &Env,
    list: &[BackupInfo],
    confirm: &mut Option<std::path::PathBuf>,
    commands: &mut Vec<Command>,
) -> bool {
    let tr = env.tr;
    ui.heading(tr.t("backup.title"));
    if let Some(path) = confirm.clone() {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        ui.label(tr.f("backup.confirm", &[("name", &name)]));
        let mut close = false;
        ui.horizontal(|ui| {
            if ui.button(tr.t("backup.restore_now")).clicked() {
                commands.push(Command::Session(Session::RestoreBackup(path.clone())));
                close = true;
            }
            if ui.button(tr.t("common.cancel")).clicked() {
                *confirm = None;
            }
        });
        return close;
    }
    if list.is_empty() {
        ui.label(RichText::new(tr.t("backup.none")).color(theme::INK_SOFT));
    }
    egui::ScrollArea::vertical()
        .max_height(360.0)
        .show(ui, |ui| {
            egui::Grid::new("backups_grid")
                .striped(true)
                .show(ui, |ui| {
                    for (i, b) in list.iter().enumerate() {
                        ui.label(&b.created);
                        ui.label(&b.reason);
                        ui.label(format!("{} ko", b.size_bytes / 1024));
                        if ui
                            .button(tr.f("backup.restore", &[("n", &(i + 1).to_string())]))
                            .clicked()
                        {
                            *confirm = Some(b.path.clone());
                        }
                        ui.end_row();
                    }
                });
        });
    ui.separator();
    let mut close = false;
    ui.horizontal(|ui| {
        if ui.button(tr.t("backup.make")).clicked() {
            commands.push(Command::Work(Work::MakeBackup));
            close = true;
        }
        if ui.button(tr.t("common.close")).clicked() {
            close = true;
        }
    });
    close
}
