//! The menu bar (File, Edit, View, Help) and the screen tabs.

use crate::app::edit::Edit;
use egui::{Button, RichText, Ui};

use crate::i18n::Language;
use crate::model::MemoTarget;
use crate::ui::app::FouilleApp;
use crate::ui::command::{Command, QuickCodeMode};
use crate::ui::state::Screen;
use crate::ui::theme;

/// A menu entry with its shortcut shown.
fn entry(ui: &mut Ui, enabled: bool, text: &str, shortcut: &str) -> egui::Response {
    ui.add_enabled(enabled, Button::new(text).shortcut_text(shortcut))
}

/// Draws the menu bar and the screen tabs.
pub fn menu_ui(app: &mut FouilleApp, ui: &mut Ui) {
    let has_project = app.project.is_some();
    let FouilleApp {
        tr,
        state,
        commands,
        cache,
        doc_view,
        ..
    } = app;
    let mut cmd = |c: Command| commands.push(c);
    egui::MenuBar::new().ui(ui, |ui| {
        ui.label(RichText::new("Fouille").strong().color(theme::ACCENT));
        ui.add_space(6.0);
        ui.menu_button(tr.t("menu.file"), |ui| {
            if entry(ui, true, tr.t("menu.open"), "Ctrl+O").clicked() {
                cmd(Command::AskOpenProject);
            }
            if entry(ui, true, tr.t("menu.new"), "Ctrl+N").clicked() {
                cmd(Command::AskNewProject);
            }
            if ui.button(tr.t("menu.sample")).clicked() {
                cmd(Command::OpenSample);
            }
            ui.menu_button(tr.t("menu.recent"), |ui| {
                if state.recent_projects.is_empty() {
                    ui.label(RichText::new(tr.t("menu.no_recent")).color(theme::INK_SOFT));
                }
                for path in &state.recent_projects {
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().to_string())
                        .unwrap_or_default();
                    if ui
                        .button(name)
                        .on_hover_text(path.display().to_string())
                        .clicked()
                    {
                        cmd(Command::OpenProject(path.clone()));
                    }
                }
            });
            ui.separator();
            if entry(ui, has_project, tr.t("menu.import_documents"), "").clicked() {
                cmd(Command::AskImport);
            }
            if entry(ui, has_project, tr.t("menu.import_qdpx"), "").clicked() {
                cmd(Command::ImportQdpx);
            }
            if entry(ui, has_project, tr.t("menu.export_qdpx"), "").clicked() {
                cmd(Command::Export);
            }
            if entry(ui, has_project, tr.t("menu.backups"), "").clicked() {
                cmd(Command::ShowBackups);
            }
            if entry(ui, has_project, tr.t("menu.merge"), "").clicked() {
                cmd(Command::MergeProject);
            }
            ui.separator();
            if entry(ui, true, tr.t("menu.settings"), "Ctrl+,").clicked() {
                cmd(Command::ShowSettings);
            }
            if ui.button(tr.t("menu.quit")).clicked() {
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
        });
        ui.menu_button(tr.t("menu.edit"), |ui| {
            let undo = match &cache.undo_label {
                Some(l) => tr.f("menu.undo_named", &[("action", &tr.action_label(l))]),
                None => tr.t("menu.undo").to_string(),
            };
            if entry(
                ui,
                has_project && cache.undo_label.is_some(),
                &undo,
                "Ctrl+Z",
            )
            .clicked()
            {
                cmd(Command::Undo);
            }
            let redo = match &cache.redo_label {
                Some(l) => tr.f("menu.redo_named", &[("action", &tr.action_label(l))]),
                None => tr.t("menu.redo").to_string(),
            };
            if entry(
                ui,
                has_project && cache.redo_label.is_some(),
                &redo,
                "Ctrl+Shift+Z",
            )
            .clicked()
            {
                cmd(Command::Redo);
            }
            ui.separator();
            let selection = doc_view.selected_range();
            if entry(
                ui,
                selection.is_some(),
                tr.t("doc.code_selection"),
                "Ctrl+K",
            )
            .clicked()
            {
                cmd(Command::QuickCode(QuickCodeMode::Apply));
            }
            if entry(ui, selection.is_some(), tr.t("doc.in_vivo"), "Ctrl+I").clicked()
                && let (Some(document), Some((start, end))) = (doc_view.document(), selection)
            {
                cmd(Command::Edit(Edit::InVivo {
                    document: document.to_string(),
                    start,
                    end,
                }));
            }
            if entry(ui, has_project, tr.t("codebook.add"), "Ctrl+Shift+N").clicked() {
                cmd(Command::AskAddCode(None));
            }
            ui.separator();
            if entry(ui, has_project, tr.t("memos.project"), "").clicked() {
                cmd(Command::EditMemo(MemoTarget::Project));
            }
            if entry(ui, has_project, tr.t("status.change_coder"), "").clicked() {
                cmd(Command::AskCoderName);
            }
        });
        ui.menu_button(tr.t("menu.view"), |ui| {
            ui.checkbox(&mut state.layout.show_left, tr.t("menu.show_left"));
            ui.checkbox(&mut state.layout.show_codebook, tr.t("menu.show_codebook"));
            ui.checkbox(&mut state.layout.show_bottom, tr.t("menu.show_bottom"));
            ui.checkbox(&mut state.only_my_codings, tr.t("status.only_mine"));
            ui.separator();
            ui.horizontal(|ui| {
                ui.label(tr.t("menu.text_size"));
                if ui
                    .button("A−")
                    .on_hover_text(tr.t("menu.smaller"))
                    .clicked()
                {
                    state.layout.text_size = (state.layout.text_size - 1.0).max(11.0);
                }
                if ui.button("A+").on_hover_text(tr.t("menu.larger")).clicked() {
                    state.layout.text_size = (state.layout.text_size + 1.0).min(28.0);
                }
            });
            ui.menu_button(tr.t("settings.language"), |ui| {
                for lang in Language::ALL {
                    if ui
                        .selectable_label(tr.language() == lang, lang.native_name())
                        .clicked()
                    {
                        cmd(Command::SetLanguage(lang));
                    }
                }
            });
        });
        ui.menu_button(tr.t("menu.help"), |ui| {
            if entry(ui, true, tr.t("help.title"), "F1").clicked() {
                cmd(Command::ShowHelp);
            }
        });
        ui.separator();
        for screen in Screen::ALL {
            let enabled = has_project && (screen != Screen::Survey || cache.has_survey());
            let response = ui.add_enabled(
                enabled,
                Button::selectable(
                    state.screen == screen,
                    RichText::new(tr.t(screen.label_key())).strong(),
                ),
            );
            if response.clicked() {
                cmd(Command::SetScreen(screen));
            }
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            for lang in Language::ALL.iter().rev() {
                let code = match lang {
                    Language::Fr => "FR",
                    Language::En => "EN",
                };
                if ui
                    .selectable_label(tr.language() == *lang, code)
                    .on_hover_text(lang.native_name())
                    .clicked()
                {
                    cmd(Command::SetLanguage(*lang));
                }
            }
        });
    });
}
