//! The menu bar (File, Edit, View, Help) and the screen tabs.

use crate::app::edit::Edit;
use crate::ui::command::{Navigation, Prompt, Session, Work};
use egui::{Button, RichText, Ui};

use crate::i18n::{I18n, Language};
use crate::model::MemoTarget;
use crate::ui::app::FouilleApp;
use crate::ui::cache::ProjectCache as Cache;
use crate::ui::command::{Command, QuickCodeMode};
use crate::ui::state::Screen;
use crate::ui::state::State;
use crate::ui::theme;
use crate::ui::views::document_view::DocumentView;

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
    egui::MenuBar::new().ui(ui, |ui| {
        ui.label(RichText::new("Fouille").strong().color(theme::ACCENT));
        ui.add_space(6.0);
        ui.menu_button(tr.t("menu.file"), |ui| {
            file_menu(ui, tr, state, has_project, commands);
        });
        ui.menu_button(tr.t("menu.edit"), |ui| {
            edit_menu(ui, tr, cache, doc_view, has_project, commands);
        });
        ui.menu_button(tr.t("menu.view"), |ui| view_menu(ui, tr, state, commands));
        ui.menu_button(tr.t("menu.help"), |ui| {
            if entry(ui, true, tr.t("help.title"), "F1").clicked() {
                commands.push(Command::Ask(Prompt::Help));
            }
        });
        ui.separator();
        screen_tabs(ui, tr, state, cache, has_project, commands);
    });
}

/// The File menu: projects, imports and exports, backups, merge, settings, quit.
fn file_menu(
    ui: &mut Ui,
    tr: &I18n,
    state: &State,
    has_project: bool,
    commands: &mut Vec<Command>,
) {
    let mut cmd = |c: Command| commands.push(c);
    if entry(ui, true, tr.t("menu.open"), "Ctrl+O").clicked() {
        cmd(Command::Ask(Prompt::OpenProject));
    }
    if entry(ui, true, tr.t("menu.new"), "Ctrl+N").clicked() {
        cmd(Command::Ask(Prompt::NewProject));
    }
    if ui.button(tr.t("menu.sample")).clicked() {
        cmd(Command::Session(Session::Sample));
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
                cmd(Command::Session(Session::Open(path.clone())));
            }
        }
    });
    ui.separator();
    if entry(ui, has_project, tr.t("menu.import_documents"), "").clicked() {
        cmd(Command::Ask(Prompt::Import));
    }
    if entry(ui, has_project, tr.t("transcribe.menu"), "").clicked() {
        cmd(Command::Ask(Prompt::TranscribeFiles));
    }
    if entry(ui, has_project, tr.t("menu.import_qdpx"), "").clicked() {
        cmd(Command::Ask(Prompt::Interchange));
    }
    if entry(ui, has_project, tr.t("menu.export_qdpx"), "").clicked() {
        cmd(Command::Ask(Prompt::Interchange));
    }
    if entry(ui, has_project, tr.t("menu.backups"), "").clicked() {
        cmd(Command::Ask(Prompt::Backups));
    }
    if entry(ui, has_project, tr.t("menu.merge"), "").clicked() {
        cmd(Command::Ask(Prompt::Merge));
    }
    ui.separator();
    if entry(ui, true, tr.t("menu.settings"), "Ctrl+,").clicked() {
        cmd(Command::Ask(Prompt::Settings));
    }
    if ui.button(tr.t("menu.quit")).clicked() {
        ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
    }
}

/// The Edit menu: undo and redo (naming the action), coding the selection, codes, memos,
/// the acting coder.
fn edit_menu(
    ui: &mut Ui,
    tr: &I18n,
    cache: &Cache,
    doc_view: &DocumentView,
    has_project: bool,
    commands: &mut Vec<Command>,
) {
    let mut cmd = |c: Command| commands.push(c);
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
        cmd(Command::Work(Work::Undo));
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
        cmd(Command::Work(Work::Redo));
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
        cmd(Command::Ask(Prompt::QuickCode(QuickCodeMode::Apply)));
    }
    if entry(ui, selection.is_some(), tr.t("doc.in_vivo"), "Ctrl+I").clicked()
        && let (Some(document), Some((start, end))) = (doc_view.document(), selection)
    {
        cmd(Command::Edit(Edit::InVivo {
            document: document.clone(),
            start,
            end,
        }));
    }
    if entry(ui, has_project, tr.t("codebook.add"), "Ctrl+Shift+N").clicked() {
        cmd(Command::Ask(Prompt::AddCode(None)));
    }
    ui.separator();
    if entry(ui, has_project, tr.t("memos.project"), "").clicked() {
        cmd(Command::Ask(Prompt::Memo(MemoTarget::Project)));
    }
    if entry(ui, has_project, tr.t("status.change_coder"), "").clicked() {
        cmd(Command::Ask(Prompt::CoderName));
    }
}

/// The View menu: panels shown, whose codings, text size (11 to 28 points), language.
fn view_menu(ui: &mut Ui, tr: &I18n, state: &mut State, commands: &mut Vec<Command>) {
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
                commands.push(Command::Session(Session::Language(lang)));
            }
        }
    });
}

/// The screen tabs (the Survey screen only when the project has survey answers), and the
/// language switch at the right.
fn screen_tabs(
    ui: &mut Ui,
    tr: &I18n,
    state: &State,
    cache: &Cache,
    has_project: bool,
    commands: &mut Vec<Command>,
) {
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
            commands.push(Command::Go(Navigation::Screen(screen)));
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
                commands.push(Command::Session(Session::Language(*lang)));
            }
        }
    });
}
