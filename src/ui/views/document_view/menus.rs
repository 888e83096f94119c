//! What hovering shows (codes, coder, memo of the codings under the pointer) and the
//! right-click menu (code the selection, in vivo, remove or change a coding, memos).

use crate::app::edit::Edit;
use crate::ui::command::Prompt;
use egui::{Response, RichText, Ui};

use super::selection::Selection;
use super::{DocumentView, ViewGeometry};
use crate::model::MemoTarget;
use crate::ui::command::{Command, QuickCodeMode};
use crate::ui::env::Env;
use crate::ui::{theme, widgets};

/// Hover tooltip and context menu of the text.
pub fn hover_and_context(
    view: &mut DocumentView,
    _ui: &Ui,
    response: Response,
    g: &ViewGeometry,
    env: &Env,
    commands: &mut Vec<Command>,
) {
    let mut hovered = Vec::new();
    if let Some(pos) = response.hover_pos()
        && !response.dragged()
    {
        if let Some((_, coding)) = view.bar_hits.iter().find(|(r, _)| r.contains(pos)) {
            hovered.push(*coding);
        } else if pos.x >= g.text_left {
            hovered = view.codings_under(pos, g);
        }
    }
    if response.secondary_clicked() {
        view.context_char = response.interact_pointer_pos().map(|p| view.char_at(p, g));
    }
    let response = if hovered.is_empty() {
        response
    } else {
        response.on_hover_ui_at_pointer(|ui| coding_tooltip(ui, view, &hovered, env))
    };
    response.context_menu(|ui| context_menu(ui, view, env, commands));
}

fn coding_tooltip(ui: &mut Ui, view: &DocumentView, codings: &[usize], env: &Env) {
    ui.set_max_width(380.0);
    for (n, &i) in codings.iter().enumerate() {
        let Some(coding) = view.highlights.codings.get(i) else {
            continue;
        };
        if n > 0 {
            ui.separator();
        }
        ui.horizontal(|ui| {
            widgets::color_swatch(ui, coding.color);
            ui.label(RichText::new(env.code_path(&coding.code_guid)).strong());
        });
        if let Some(note) = env.pole_note(&coding.code_guid) {
            ui.label(RichText::new(note).italics().color(theme::INK_SOFT));
        }
        ui.label(
            RichText::new(env.tr.f(
                "coding.by",
                &[("coder", env.cache.coder_name(&coding.coder_guid))],
            ))
            .small()
            .color(theme::INK_SOFT),
        );
        if let Some(memos) = env.cache.coding_memos.get(&coding.guid) {
            for &m in memos {
                if let Some(memo) = env.cache.memos.get(m) {
                    ui.label(
                        RichText::new(format!("📝 {}", widgets::shorten(&memo.text, 280)))
                            .italics(),
                    );
                }
            }
        }
    }
}

fn context_menu(ui: &mut Ui, view: &mut DocumentView, env: &Env, commands: &mut Vec<Command>) {
    let tr = env.tr;
    let Some(doc) = view.doc_guid.clone() else {
        return;
    };
    if let Some((start, end)) = view.selected_range() {
        if ui
            .button(format!("🏷  {}", tr.t("doc.code_selection")))
            .clicked()
        {
            commands.push(Command::Ask(Prompt::QuickCode(QuickCodeMode::Apply)));
            ui.close();
        }
        if ui.button(format!("✨  {}", tr.t("doc.in_vivo"))).clicked() {
            commands.push(Command::Edit(Edit::InVivo {
                document: doc.clone(),
                start,
                end,
            }));
            ui.close();
        }
        if ui.button(format!("📋  {}", tr.t("doc.copy"))).clicked() {
            if let Some(text) = view.selected_text() {
                ui.ctx().copy_text(text);
            }
            ui.close();
        }
        ui.separator();
    }
    let under = view
        .context_char
        .map(|c| view.highlights.at_char(c))
        .unwrap_or_default();
    for i in under {
        let Some(coding) = view.highlights.codings.get(i).cloned() else {
            continue;
        };
        let title = format!(
            "{}  ·  {}",
            env.code_name(&coding.code_guid),
            env.cache.coder_name(&coding.coder_guid)
        );
        ui.menu_button(RichText::new(title).color(coding.color), |ui| {
            if ui.button(tr.t("coding.select_text")).clicked() {
                view.set_selection(Selection {
                    anchor: coding.start,
                    cursor: coding.end,
                });
                ui.close();
            }
            if ui.button(tr.t("coding.change_code")).clicked() {
                commands.push(Command::Ask(Prompt::QuickCode(QuickCodeMode::Change(
                    coding.guid.clone(),
                ))));
                ui.close();
            }
            if ui.button(tr.t("coding.memo")).clicked() {
                commands.push(Command::Ask(Prompt::Memo(MemoTarget::Coding(
                    coding.guid.clone(),
                ))));
                ui.close();
            }
            if ui
                .button(RichText::new(tr.t("coding.remove")).color(theme::ERROR))
                .clicked()
            {
                commands.push(Command::Edit(Edit::RemoveCoding(coding.guid.clone())));
                ui.close();
            }
        });
    }
    ui.separator();
    if ui.button(format!("📝  {}", tr.t("doc.memo"))).clicked() {
        commands.push(Command::Ask(Prompt::Memo(MemoTarget::Document(doc))));
        ui.close();
    }
}
