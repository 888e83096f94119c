//! The « Dossier d'équipe » part of the Team screen: join a shared folder, synchronise,
//! see the members, when each last published and what their file last brought, and the
//! sync tools' leftovers with what to do about them.

use std::path::PathBuf;
use std::sync::mpsc::Receiver;
use std::time::Instant;

use egui::{RichText, Ui};

use crate::store::Project;
use crate::store::team_folder::Membership;
use crate::team::folder::{self, Debris, Status};
use crate::ui::command::{Command, Work};
use crate::ui::env::Env;
use crate::ui::theme;

/// What the folder part of the Team screen keeps between frames.
#[derive(Debug, Default)]
pub struct FolderPanel {
    /// The folder typed or picked, before joining.
    pub folder_input: String,
    /// The folder dialog, while open.
    browsing: Option<Receiver<Option<PathBuf>>>,
    /// This copy's membership, read again after each change of the project.
    pub membership: Option<Membership>,
    /// The folder's members and leftovers, read while the screen shows them.
    pub status: Option<Status>,
    /// Why the folder could not be read.
    pub error: Option<String>,
    /// The app version the membership and status were read at.
    checked_version: Option<u64>,
    /// When the last synchronisation started (none yet: one is due at once).
    pub last_sync: Option<Instant>,
}

impl FolderPanel {
    /// Reads the membership and the folder again at the next frame.
    pub fn forget_status(&mut self) {
        self.checked_version = None;
    }

    /// Reads the membership (and, when `on_screen`, the folder) when the project changed.
    pub fn refresh(
        &mut self,
        tr: &crate::i18n::I18n,
        project: &Project,
        version: u64,
        on_screen: bool,
    ) {
        if self.checked_version == Some(version) && (self.status.is_some() || !on_screen) {
            return;
        }
        self.checked_version = Some(version);
        self.membership = folder::membership(project).ok();
        self.status = None;
        self.error = None;
        if on_screen && self.membership.is_some() {
            match folder::status(project) {
                Ok(status) => self.status = Some(status),
                Err(e) => self.error = Some(crate::i18n::errors::folder(tr, &e)),
            }
        }
    }

    /// Draws the part.
    pub fn ui(&mut self, ui: &mut Ui, env: &Env, commands: &mut Vec<Command>) {
        let tr = env.tr;
        ui.heading(tr.t("team_folder.title"));
        match self.membership.clone() {
            None => self.join_ui(ui, env, commands),
            Some(membership) => {
                ui.label(tr.f(
                    "team_folder.joined_as",
                    &[
                        ("folder", &membership.folder),
                        ("file", &membership.file_name),
                    ],
                ));
                ui.horizontal(|ui| {
                    if ui.button(tr.t("team_folder.sync")).clicked() {
                        commands.push(Command::Work(Work::TeamSync));
                    }
                    if ui.button(tr.t("team_folder.leave")).clicked() {
                        commands.push(Command::Work(Work::TeamLeave));
                    }
                });
                if let Some(status) = &self.status {
                    members_ui(ui, env, status);
                }
            }
        }
        if let Some(e) = &self.error {
            ui.colored_label(theme::ERROR, e);
        }
    }

    fn join_ui(&mut self, ui: &mut Ui, env: &Env, commands: &mut Vec<Command>) {
        let tr = env.tr;
        ui.label(RichText::new(tr.t("team_folder.intro")).color(theme::INK_SOFT));
        ui.horizontal(|ui| {
            let label = ui.label(tr.t("team_folder.folder"));
            ui.add(egui::TextEdit::singleline(&mut self.folder_input).desired_width(360.0))
                .labelled_by(label.id);
            let picked = crate::ui::widgets::browse::browse_ui(
                ui,
                tr,
                &mut self.browsing,
                crate::ui::widgets::browse::pick_folder,
            );
            if let Some(Some(path)) = picked {
                self.folder_input = path.display().to_string();
            }
            let ready = !self.folder_input.trim().is_empty();
            if ui
                .add_enabled(ready, egui::Button::new(tr.t("team_folder.join")))
                .clicked()
            {
                let folder = PathBuf::from(self.folder_input.trim());
                commands.push(Command::Work(Work::TeamJoin(folder)));
            }
        });
    }
}

/// The members' table and the leftovers' advice.
fn members_ui(ui: &mut Ui, env: &Env, status: &Status) {
    let tr = env.tr;
    egui::Grid::new("team_folder_members")
        .striped(true)
        .show(ui, |ui| {
            ui.strong(tr.t("team_folder.member"));
            ui.strong(tr.t("team_folder.published"));
            ui.strong(tr.t("team_folder.brought"));
            ui.end_row();
            for member in &status.members {
                let you = if member.is_self {
                    format!(" {}", tr.t("cli.team.you"))
                } else {
                    String::new()
                };
                ui.label(format!("{}{you}", member.name));
                ui.label(
                    member
                        .published_at
                        .map(folder::local_minute)
                        .unwrap_or_default(),
                );
                let brought = member
                    .last_gather
                    .as_ref()
                    .map(|g| folder::brought_line(env.tr, &g.brought));
                ui.label(brought.unwrap_or_default());
                ui.end_row();
            }
        });
    for debris in &status.debris {
        let key = match debris.kind {
            Debris::ConflictCopy => "team_folder.debris_conflict",
            Debris::Transfer => "team_folder.debris_transfer",
            Debris::OfficeLock => "team_folder.debris_office",
            Debris::ProjectSidecar => "team_folder.debris_sidecar",
        };
        ui.colored_label(theme::WARN, tr.f(key, &[("file", &debris.file_name)]));
    }
}
