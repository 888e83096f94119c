//! The status line: project, coder, saved state, the last message (errors in plain words),
//! and the progress of background work.

use crate::ui::command::Prompt;
use egui::{RichText, Ui};

use crate::ui::command::Command;
use crate::ui::env::Env;
use crate::ui::theme;

/// How a message reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Information.
    Info,
    /// Something done.
    Ok,
    /// Something failed.
    Error,
}

/// A message of the status line.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// Text, in the UI language.
    pub text: String,
    /// Information, success or failure: its colour.
    pub level: Level,
    /// When (ms).
    pub at_ms: i64,
}

/// What the status line shows besides the cache.
pub struct StatusInfo<'a> {
    /// The last message, shown until the next one.
    pub message: Option<&'a Message>,
    /// Background work: label, fraction, detail.
    pub progress: Option<(String, Option<f32>, String)>,
    /// Whether a project is open.
    pub has_project: bool,
}

/// Draws the status line.
pub fn status_ui(
    ui: &mut Ui,
    env: &Env,
    info: StatusInfo,
    only_mine: &mut bool,
    commands: &mut Vec<Command>,
) {
    let tr = env.tr;
    ui.horizontal(|ui| {
        if info.has_project {
            ui.label(RichText::new(format!("📁 {}", env.cache.project_name)).strong());
            ui.separator();
            let coder = env
                .cache
                .coder
                .as_ref()
                .map(|c| c.name.clone())
                .unwrap_or_default();
            if ui
                .button(format!("👤 {}", tr.f("status.coder", &[("name", &coder)])))
                .on_hover_text(tr.t("status.change_coder"))
                .clicked()
            {
                commands.push(Command::Ask(Prompt::CoderName));
            }
            ui.checkbox(only_mine, tr.t("status.only_mine"))
                .on_hover_text(tr.t("status.only_mine_help"));
            ui.separator();
            if info.progress.is_none() {
                ui.label(RichText::new(format!("✔ {}", tr.t("status.saved"))).color(theme::OK))
                    .on_hover_text(tr.t("status.saved_help"));
            }
        }
        if let Some((label, fraction, detail)) = &info.progress {
            ui.spinner();
            ui.label(label);
            if let Some(f) = fraction {
                ui.add(
                    egui::ProgressBar::new(*f)
                        .desired_width(160.0)
                        .show_percentage(),
                );
            }
            if !detail.is_empty() {
                ui.label(RichText::new(detail).color(theme::INK_SOFT));
            }
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if let Some(message) = info.message {
                let color = match message.level {
                    Level::Info => theme::INK_SOFT,
                    Level::Ok => theme::OK,
                    Level::Error => theme::ERROR,
                };
                let icon = match message.level {
                    Level::Info => "ℹ",
                    Level::Ok => "✔",
                    Level::Error => "⚠",
                };
                ui.add(
                    egui::Label::new(
                        RichText::new(format!("{icon} {}", message.text)).color(color),
                    )
                    .truncate(),
                );
            }
        });
    });
}
