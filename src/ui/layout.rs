//! Which panels each screen shows: left (documents, respondents), right (codebook), bottom
//! (retrieval, search, memos) and the centre. Panel sizes are kept by egui's memory, which
//! eframe saves with the app.

use crate::app::edit::Edit;
use crate::ui::command::{Navigation, Prompt};
use egui::{CentralPanel, Frame, Margin, Panel, RichText, Ui};

use super::app::FouilleApp;
use super::command::Command;
use super::env::Env;
use super::panels::Panels;
use super::state::{BottomTab, LeftTab, Screen};
use super::theme;
use super::views::document_view::DocumentView;
use super::views::survey_grid::SurveyGrid;
use crate::model::DocumentId;

fn panel_frame() -> Frame {
    Frame::new()
        .fill(theme::PANEL)
        .inner_margin(Margin::same(8))
}

/// Draws the current screen.
pub fn screen_ui(app: &mut FouilleApp, ui: &mut Ui) {
    let screen = app.state.screen;
    let coding_target = app.coding_target();
    let busy = app.worker.busy() || app.project_lent;
    let now_ms = (app.clock)();
    let FouilleApp {
        tr,
        cache,
        state,
        nav,
        commands,
        panels,
        doc_view,
        survey,
        respondents_table,
        analysis,
        transcript,
        audio,
        content,
        team,
        blind,
        ..
    } = app;
    let env = Env {
        tr,
        cache,
        state,
        nav,
    };
    let show_side = matches!(screen, Screen::Coding | Screen::Survey);
    if show_side && state.layout.show_left && screen == Screen::Coding {
        left_panel(ui, &env, panels, commands);
    }
    if show_side && state.layout.show_codebook {
        Panel::right("codebook_panel")
            .frame(panel_frame())
            .default_size(320.0)
            .min_size(200.0)
            .show(ui, |ui| {
                panels
                    .codebook
                    .ui(ui, &env, coding_target.clone(), commands);
            });
    }
    if screen == Screen::Coding && state.layout.show_bottom {
        bottom_panel(ui, &env, panels, commands);
    }
    CentralPanel::default()
        .frame(Frame::new().fill(theme::PAPER))
        .show(ui, |ui| match screen {
            Screen::Coding => document_area(
                ui,
                &env,
                doc_view,
                transcript,
                audio,
                content.as_ref(),
                now_ms,
                commands,
            ),
            Screen::Survey => survey_screen(ui, &env, doc_view, survey, commands),
            Screen::Respondents => {
                Frame::new()
                    .inner_margin(Margin::same(10))
                    .show(ui, |ui| respondents_table.ui(ui, &env, commands));
            }
            Screen::Analysis => {
                Frame::new()
                    .inner_margin(Margin::same(10))
                    .show(ui, |ui| analysis.ui(ui, &env, busy, commands));
            }
            Screen::Team => {
                Frame::new()
                    .inner_margin(Margin::same(10))
                    .show(ui, |ui| team.ui(ui, &env, *blind, commands));
            }
        });
}

/// The left panel: the documents or the respondents, by tab.
fn left_panel(ui: &mut Ui, env: &Env, panels: &mut Panels, commands: &mut Vec<Command>) {
    let tr = env.tr;
    let state = env.state;
    Panel::left("left_panel")
        .frame(panel_frame())
        .default_size(260.0)
        .min_size(180.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                for (tab, key) in [
                    (LeftTab::Documents, "left.documents"),
                    (LeftTab::Respondents, "left.respondents"),
                ] {
                    if ui
                        .selectable_label(
                            state.layout.left_tab == tab,
                            RichText::new(tr.t(key)).strong(),
                        )
                        .clicked()
                    {
                        commands.push(Command::Go(Navigation::LeftTab(tab)));
                    }
                }
            });
            ui.separator();
            match state.layout.left_tab {
                LeftTab::Documents => panels.documents.ui(ui, env, commands),
                LeftTab::Respondents => panels.respondents.ui(ui, env, commands),
            }
        });
}

/// The bottom panel of the Coding screen: retrieval, search or memos, by tab.
fn bottom_panel(ui: &mut Ui, env: &Env, panels: &mut Panels, commands: &mut Vec<Command>) {
    let tr = env.tr;
    let state = env.state;
    Panel::bottom("bottom_panel")
        .frame(panel_frame())
        .resizable(true)
        .default_size(230.0)
        .min_size(90.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                for (tab, key) in [
                    (BottomTab::Retrieval, "bottom.retrieval"),
                    (BottomTab::Search, "bottom.search"),
                    (BottomTab::Memos, "bottom.memos"),
                ] {
                    if ui
                        .selectable_label(
                            state.layout.bottom_tab == tab,
                            RichText::new(tr.t(key)).strong(),
                        )
                        .clicked()
                    {
                        commands.push(Command::Go(Navigation::BottomTab(tab)));
                    }
                }
            });
            ui.separator();
            match state.layout.bottom_tab {
                BottomTab::Retrieval => panels.retrieval.ui(ui, env, commands),
                BottomTab::Search => panels.search.ui(ui, env, commands),
                BottomTab::Memos => panels.memos.ui(ui, env, commands),
            }
            // Keep the panel's size when its content is short (it stays resizable).
            ui.take_available_space();
        });
}

/// The Survey screen: the grid of answers, the open answer below it.
fn survey_screen(
    ui: &mut Ui,
    env: &Env,
    doc_view: &mut DocumentView,
    survey: &mut SurveyGrid,
    commands: &mut Vec<Command>,
) {
    if !env.cache.has_survey() {
        ui.centered_and_justified(|ui| {
            ui.label(RichText::new(env.tr.t("survey.none")).color(theme::INK_SOFT))
        });
        return;
    }
    Panel::bottom("survey_answer")
        .frame(Frame::new().fill(theme::PAPER))
        .resizable(true)
        .default_size(240.0)
        .min_size(120.0)
        .show(ui, |ui| {
            document_area(ui, env, doc_view, &mut None, &mut None, None, 0, commands);
        });
    CentralPanel::default()
        .frame(
            Frame::new()
                .fill(theme::PAPER)
                .inner_margin(Margin::same(8)),
        )
        .show(ui, |ui| {
            survey.ui(ui, env, commands);
        });
}

/// The document view with its header (name, respondent, counts) and the recent codes.
fn document_area(
    ui: &mut Ui,
    env: &Env,
    view: &mut super::views::document_view::DocumentView,
    transcript: &mut Option<super::views::transcript::TranscriptEditor>,
    audio: &mut Option<super::transcript_audio::TranscriptAudio>,
    content: Option<&super::cache::DocumentContent>,
    now_ms: i64,
    commands: &mut Vec<Command>,
) {
    let tr = env.tr;
    let Some(doc) = env
        .nav
        .document
        .as_ref()
        .and_then(|g| env.cache.document(g))
    else {
        ui.centered_and_justified(|ui| {
            ui.label(
                RichText::new(tr.t("doc.pick"))
                    .size(15.0)
                    .color(theme::INK_SOFT),
            )
        });
        return;
    };
    Frame::new()
        .inner_margin(Margin {
            left: 14,
            right: 10,
            top: 8,
            bottom: 2,
        })
        .show(ui, |ui| {
            let editing = transcript.as_ref().is_some_and(|t| t.document == doc.guid);
            document_header(ui, env, doc, view, editing, commands);
            recent_codes_ui(
                ui,
                env,
                commands,
                view.selected_range().map(|(s, e)| (doc.guid.clone(), s, e)),
            );
        });
    match transcript {
        Some(editor) if editor.document == doc.guid => {
            Frame::new().inner_margin(Margin::same(10)).show(ui, |ui| {
                let audio = audio.as_mut().filter(|a| a.document == editor.document);
                editor.ui(ui, env, now_ms, audio, commands)
            });
        }
        _ => match audio.as_mut().filter(|a| a.document == doc.guid) {
            Some(audio) => {
                super::transcript_audio::document_audio_ui(ui, env, audio, content, view, commands)
            }
            None => view.ui(ui, env, commands),
        },
    }
}

/// The open document's header: kind and name, respondent, counts; the memo button and
/// the transcript editor's open or close button (`editing`: it is open on this document).
fn document_header(
    ui: &mut Ui,
    env: &Env,
    doc: &crate::model::DocumentInfo,
    view: &DocumentView,
    editing: bool,
    commands: &mut Vec<Command>,
) {
    let tr = env.tr;
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(format!(
                "{} {}",
                super::panels::documents::kind_icon(doc.kind),
                doc.name
            ))
            .size(18.0)
            .strong(),
        );
        if let Some(r) = doc
            .respondent_guid
            .as_ref()
            .and_then(|g| env.cache.respondent(g))
        {
            ui.label(RichText::new(format!("👤 {}", r.name)).color(theme::INK_SOFT));
        }
        ui.label(
            RichText::new(tr.f(
                "doc.header_counts",
                &[
                    ("chars", &tr.number(view.char_count())),
                    ("codings", &tr.number(view.coding_count())),
                ],
            ))
            .color(theme::INK_SOFT),
        );
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let memos = env
                .cache
                .memos
                .iter()
                .filter(|m| m.target == crate::model::MemoTarget::Document(doc.guid.clone()))
                .count();
            let label = if memos > 0 {
                format!("📝 {} ({memos})", tr.t("doc.memo"))
            } else {
                format!("📝 {}", tr.t("doc.memo"))
            };
            if ui.button(label).clicked() {
                commands.push(Command::Ask(Prompt::Memo(
                    crate::model::MemoTarget::Document(doc.guid.clone()),
                )));
            }
            if !editing && doc.media_path.is_some() {
                transcribe_button(ui, env, &doc.guid, None, commands);
            }
            if editing {
                if ui.button(tr.t("transcript.close")).clicked() {
                    commands.push(Command::Go(Navigation::CloseTranscript));
                }
            } else if ui.button(tr.t("transcript.open")).clicked() {
                commands.push(Command::Go(Navigation::OpenTranscript(doc.guid.clone())));
            }
        });
    });
}

/// « Transcrire automatiquement »: a document's recording (`audio`, else the one attached)
/// recognised into its text.
pub(crate) fn transcribe_button(
    ui: &mut Ui,
    env: &Env,
    document: &DocumentId,
    audio: Option<std::path::PathBuf>,
    commands: &mut Vec<Command>,
) {
    let tr = env.tr;
    if ui
        .button(tr.t("transcribe.button"))
        .on_hover_text(tr.t("transcribe.button_help"))
        .clicked()
    {
        commands.push(Command::Ask(Prompt::Transcribe {
            document: document.clone(),
            audio,
        }));
    }
}

/// The recent codes with their number keys; click applies to the selection.
fn recent_codes_ui(
    ui: &mut Ui,
    env: &Env,
    commands: &mut Vec<Command>,
    selection: Option<(DocumentId, usize, usize)>,
) {
    let tr = env.tr;
    ui.horizontal_wrapped(|ui| {
        if env.nav.recent_codes.is_empty() {
            ui.label(
                RichText::new(tr.t("doc.recent_help"))
                    .small()
                    .color(theme::INK_SOFT),
            );
            return;
        }
        ui.label(
            RichText::new(tr.t("doc.recent"))
                .small()
                .color(theme::INK_SOFT),
        );
        for (i, code) in env.nav.recent_codes.iter().enumerate() {
            let Some(entry) = env.cache.code(code) else {
                continue;
            };
            let color = theme::code_color(&entry.code.color);
            let text = RichText::new(format!("{}  {}", i + 1, env.code_name(code))).small();
            let button = egui::Button::new(text)
                .stroke(egui::Stroke::new(1.5, color))
                .corner_radius(10.0);
            let response = ui
                .add_enabled(selection.is_some(), button)
                .on_hover_text(env.code_path(code));
            if response.clicked()
                && let Some((document, start, end)) = selection.clone()
            {
                commands.push(Command::Edit(Edit::ApplyCode {
                    document,
                    code: code.clone(),
                    start,
                    end,
                    memo: None,
                }));
            }
        }
    });
}
