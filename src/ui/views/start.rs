//! The start screen, shown when no project is open: the sample, open, new, recent.

use crate::ui::command::{Prompt, Session};
use egui::{RichText, Ui};

use crate::i18n::I18n;
use crate::ui::command::Command;
use crate::ui::state::State;
use crate::ui::theme;

/// Draws the start screen.
pub fn start_ui(ui: &mut Ui, tr: &I18n, state: &State, busy: bool, commands: &mut Vec<Command>) {
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.12);
        ui.label(
            RichText::new("Fouille")
                .size(40.0)
                .strong()
                .color(theme::ACCENT),
        );
        ui.label(
            RichText::new(tr.t("start.tagline"))
                .size(16.0)
                .color(theme::INK_SOFT),
        );
        ui.add_space(24.0);
        ui.add_enabled_ui(!busy, |ui| {
            ui.set_max_width(420.0);
            let big = |text: &str| {
                egui::Button::new(RichText::new(text).size(16.0)).min_size(egui::vec2(360.0, 36.0))
            };
            if ui
                .add(big(&format!("✨  {}", tr.t("start.sample"))))
                .on_hover_text(tr.t("start.sample_help"))
                .clicked()
            {
                commands.push(Command::Session(Session::Sample));
            }
            if ui.add(big(&format!("📂  {}", tr.t("menu.open")))).clicked() {
                commands.push(Command::Ask(Prompt::OpenProject));
            }
            if ui.add(big(&format!("➕  {}", tr.t("menu.new")))).clicked() {
                commands.push(Command::Ask(Prompt::NewProject));
            }
            if !state.recent_projects.is_empty() {
                ui.add_space(18.0);
                ui.label(RichText::new(tr.t("start.recent")).strong());
                for path in &state.recent_projects {
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().to_string())
                        .unwrap_or_default();
                    if ui
                        .link(name)
                        .on_hover_text(path.display().to_string())
                        .clicked()
                    {
                        commands.push(Command::Session(Session::Open(path.clone())));
                    }
                }
            }
            ui.add_space(18.0);
            ui.label(
                RichText::new(tr.t("start.drop"))
                    .small()
                    .color(theme::INK_SOFT),
            );
        });
    });
}
