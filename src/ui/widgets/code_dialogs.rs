//! Dialogs of the codebook: add (a controversy with its poles), edit, delete, merge.

use crate::app::edit::Edit;
use egui::{RichText, Ui};

use super::modals::{Dialog, Enter, autofocus, buttons, kind_combo, labeled_text};
use crate::model::CodeKind;
use crate::ui::command::Command;
use crate::ui::env::Env;
use crate::ui::theme;

/// Draws one of these dialogs; returns whether it is done.
pub(super) fn code_dialog_ui(
    current: &mut Dialog,
    ui: &mut Ui,
    env: &Env,
    commands: &mut Vec<Command>,
) -> bool {
    let tr = env.tr;
    let mut close = false;
    match current {
        Dialog::AddCode {
            parent,
            name,
            kind,
            pole_a,
            pole_b,
        } => {
            ui.heading(tr.t("code.add_title"));
            if let Some(p) = parent {
                ui.label(
                    RichText::new(tr.f("code.under", &[("parent", &env.code_path(p))]))
                        .color(theme::INK_SOFT),
                );
            }
            let edit = labeled_text(ui, tr.t("code.name"), name, false);
            autofocus(ui, &edit);
            kind_combo(ui, env, "add_code_kind", kind);
            if *kind == CodeKind::Controversy {
                labeled_text(ui, tr.t("code.pole_a"), pole_a, false);
                labeled_text(ui, tr.t("code.pole_b"), pole_b, false);
            }
            let ready = !name.trim().is_empty()
                && (*kind != CodeKind::Controversy
                    || (!pole_a.trim().is_empty() && !pole_b.trim().is_empty()));
            let (ok, cancel) = buttons(ui, env, "common.add", ready, Enter::Plain);
            if ok && ready {
                commands.push(if *kind == CodeKind::Controversy {
                    Command::Edit(Edit::AddControversy {
                        parent: parent.clone(),
                        name: name.clone(),
                        pole_a: pole_a.clone(),
                        pole_b: pole_b.clone(),
                    })
                } else {
                    Command::Edit(Edit::AddCode {
                        parent: parent.clone(),
                        name: name.clone(),
                        kind: *kind,
                        color: None,
                        description: String::new(),
                    })
                });
                close = true;
            }
            close |= cancel;
        }
        Dialog::EditCode {
            guid,
            name,
            color,
            description,
            kind,
        } => {
            ui.heading(tr.t("code.edit_title"));
            labeled_text(ui, tr.t("code.name"), name, false);
            ui.horizontal(|ui| {
                ui.label(tr.t("code.color"));
                ui.color_edit_button_srgba(color);
            });
            kind_combo(ui, env, "edit_code_kind", kind);
            labeled_text(ui, tr.t("code.description"), description, true);
            let (ok, cancel) = buttons(
                ui,
                env,
                "common.save",
                !name.trim().is_empty(),
                Enter::Plain,
            );
            if ok && let Some(entry) = env.cache.code(guid) {
                if entry.code.name != name.trim() {
                    commands.push(Command::Edit(Edit::RenameCode {
                        guid: guid.clone(),
                        name: name.trim().to_string(),
                    }));
                }
                let hex = theme::color_hex(*color);
                if entry.code.color != hex || entry.code.description != *description {
                    commands.push(Command::Edit(Edit::SetCodeDetails {
                        guid: guid.clone(),
                        color: hex,
                        description: description.clone(),
                    }));
                }
                if entry.code.kind != *kind {
                    commands.push(Command::Edit(Edit::SetCodeKind {
                        guid: guid.clone(),
                        kind: *kind,
                    }));
                }
            }
            close = ok || cancel;
        }
        Dialog::DeleteCode {
            guid,
            total,
            samples,
        } => {
            ui.heading(tr.f("code.delete_title", &[("code", &env.code_name(guid))]));
            ui.label(tr.f("code.delete_count", &[("n", &total.to_string())]));
            for (doc, text) in samples.iter() {
                ui.label(
                    RichText::new(format!("{doc} — « {} »", super::shorten(text, 110))).small(),
                );
            }
            if *total > samples.len() {
                ui.label(
                    RichText::new(tr.f(
                        "common.and_more",
                        &[("n", &(*total - samples.len()).to_string())],
                    ))
                    .small(),
                );
            }
            ui.label(RichText::new(tr.t("code.delete_undo")).color(theme::INK_SOFT));
            let (ok, cancel) = buttons(ui, env, "common.delete", true, Enter::Never);
            if ok {
                commands.push(Command::Edit(Edit::DeleteCode(guid.clone())));
            }
            close = ok || cancel;
        }
        Dialog::MergeCode { from, query } => {
            ui.heading(tr.f("code.merge_title", &[("code", &env.code_name(from))]));
            ui.label(RichText::new(tr.t("code.merge_help")).color(theme::INK_SOFT));
            {
                let edit = labeled_text(ui, tr.t("quick.hint"), query, false);
                autofocus(ui, &edit);
            }
            let matches = super::quick_code::QuickCode::matches(env, query);
            egui::ScrollArea::vertical()
                .max_height(260.0)
                .show(ui, |ui| {
                    for guid in matches.iter().filter(|g| *g != from).take(30) {
                        if ui.button(env.code_path(guid)).clicked() {
                            commands.push(Command::Edit(Edit::MergeCode {
                                from: from.clone(),
                                into: guid.clone(),
                            }));
                            close = true;
                        }
                    }
                });
            close |= ui.button(tr.t("common.cancel")).clicked();
        }
        _ => {}
    }
    close
}
