//! Dialogs of the codebook: add (a controversy with its poles), edit, delete, merge.

use crate::app::edit::Edit;
use egui::{RichText, Ui};

use super::modals::{Dialog, Enter, autofocus, buttons, kind_combo, labeled_text};
use crate::model::{CodeId, CodeKind};
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
    match current {
        Dialog::AddCode {
            parent,
            name,
            kind,
            pole_a,
            pole_b,
        } => add_code_ui(
            ui,
            env,
            parent.as_ref(),
            name,
            kind,
            pole_a,
            pole_b,
            commands,
        ),
        Dialog::EditCode {
            guid,
            name,
            color,
            description,
            kind,
        } => edit_code_ui(ui, env, guid, name, color, description, kind, commands),
        Dialog::DeleteCode {
            guid,
            total,
            samples,
        } => delete_code_ui(ui, env, guid, *total, samples, commands),
        Dialog::MergeCode { from, query } => merge_code_ui(ui, env, from, query, commands),
        _ => false,
    }
}

/// A new code under `parent` (GUID; `None`: at the top); a controversy needs its two
/// poles' names.
#[allow(clippy::too_many_arguments)]
fn add_code_ui(
    ui: &mut Ui,
    env: &Env,
    parent: Option<&CodeId>,
    name: &mut String,
    kind: &mut CodeKind,
    pole_a: &mut String,
    pole_b: &mut String,
    commands: &mut Vec<Command>,
) -> bool {
    let tr = env.tr;
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
                parent: parent.cloned(),
                name: name.clone(),
                pole_a: pole_a.clone(),
                pole_b: pole_b.clone(),
            })
        } else {
            Command::Edit(Edit::AddCode {
                parent: parent.cloned(),
                name: name.clone(),
                kind: *kind,
                color: None,
                description: String::new(),
            })
        });
        return true;
    }
    cancel
}

/// A code's name, colour, kind and description; only what changed is written (one
/// action each).
#[allow(clippy::too_many_arguments)]
fn edit_code_ui(
    ui: &mut Ui,
    env: &Env,
    guid: &CodeId,
    name: &mut String,
    color: &mut egui::Color32,
    description: &mut String,
    kind: &mut CodeKind,
    commands: &mut Vec<Command>,
) -> bool {
    let tr = env.tr;
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
    ok || cancel
}

/// Before deleting a code: how many codings go with it (`total`), a few of them.
fn delete_code_ui(
    ui: &mut Ui,
    env: &Env,
    guid: &CodeId,
    total: usize,
    samples: &[(String, String)],
    commands: &mut Vec<Command>,
) -> bool {
    let tr = env.tr;
    ui.heading(tr.f("code.delete_title", &[("code", &env.code_name(guid))]));
    ui.label(tr.f("code.delete_count", &[("n", &total.to_string())]));
    for (doc, text) in samples.iter() {
        ui.label(RichText::new(format!("{doc} — « {} »", super::shorten(text, 110))).small());
    }
    if total > samples.len() {
        ui.label(
            RichText::new(tr.f(
                "common.and_more",
                &[("n", &(total - samples.len()).to_string())],
            ))
            .small(),
        );
    }
    ui.label(RichText::new(tr.t("code.delete_undo")).color(theme::INK_SOFT));
    let (ok, cancel) = buttons(ui, env, "common.delete", true, Enter::Never);
    if ok {
        commands.push(Command::Edit(Edit::DeleteCode(guid.clone())));
    }
    ok || cancel
}

/// Which code to merge `from` (GUID) into, found by typing part of its name.
fn merge_code_ui(
    ui: &mut Ui,
    env: &Env,
    from: &CodeId,
    query: &mut String,
    commands: &mut Vec<Command>,
) -> bool {
    let tr = env.tr;
    let mut close = false;
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
    close | ui.button(tr.t("common.cancel")).clicked()
}
