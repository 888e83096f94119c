//! The quick-code popup: type part of a code's name (accents and case ignored), move with
//! the arrows, Enter to code the selection (or to change a coding's code).

use crate::app::edit::Edit;
use egui::{Id, Key, Modal, RichText, Ui};

use super::{color_swatch, fold};
use crate::model::{CodeId, CodingId, DocumentId};
use crate::ui::command::{Command, QuickCodeMode};
use crate::ui::env::Env;
use crate::ui::theme;

/// At most this many matches are listed.
const MAX_MATCHES: usize = 12;

/// What the popup acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuickTarget {
    /// A range of a document.
    Range {
        /// Document GUID.
        document: DocumentId,
        /// First char of the range (chars into the stored text), inclusive.
        start: usize,
        /// Char after the range, exclusive.
        end: usize,
    },
    /// A coding whose code changes.
    Coding(CodingId),
}

/// The popup's state.
#[derive(Debug, Default)]
pub struct QuickCode {
    target: Option<QuickTarget>,
    /// What is typed.
    pub query: String,
    highlighted: usize,
    focus_pending: bool,
}

impl QuickCode {
    /// Opens the popup on a target.
    pub fn open(&mut self, target: QuickTarget) {
        self.target = Some(target);
        self.query.clear();
        self.highlighted = 0;
        self.focus_pending = true;
    }

    /// Whether it is open.
    pub fn is_open(&self) -> bool {
        self.target.is_some()
    }

    /// The mode it was opened in.
    pub fn mode(&self) -> Option<QuickCodeMode> {
        self.target.as_ref().map(|t| match t {
            QuickTarget::Range { .. } => QuickCodeMode::Apply,
            QuickTarget::Coding(g) => QuickCodeMode::Change(g.clone()),
        })
    }

    /// Closes the popup and forgets what was typed.
    pub fn close(&mut self) {
        self.target = None;
    }

    /// Codable codes matching `query`, best first: names starting with it, then names
    /// containing it, then paths containing it.
    pub fn matches(env: &Env, query: &str) -> Vec<CodeId> {
        let q = fold(query.trim());
        let mut scored: Vec<(u8, usize, CodeId)> = Vec::new();
        for (order, entry) in env.cache.codes.iter().enumerate() {
            if !entry.code.kind.is_codable() {
                continue;
            }
            let shown = fold(&env.tr.code_name(&entry.code.name));
            let stored = fold(&entry.code.name);
            let path = fold(&env.code_path(&entry.code.guid));
            let score = if q.is_empty() {
                3
            } else if shown.starts_with(&q) || stored.starts_with(&q) {
                0
            } else if shown.contains(&q) || stored.contains(&q) {
                1
            } else if path.contains(&q) {
                2
            } else {
                continue;
            };
            scored.push((score, order, entry.code.guid.clone()));
        }
        scored.sort();
        scored.into_iter().map(|(_, _, g)| g).collect()
    }

    /// Draws the popup while open.
    pub fn ui(&mut self, ui: &Ui, env: &Env, commands: &mut Vec<Command>) {
        let Some(target) = self.target.clone() else {
            return;
        };
        let tr = env.tr;
        let matches = QuickCode::matches(env, &self.query);
        if self.highlighted >= matches.len() {
            self.highlighted = matches.len().saturating_sub(1);
        }
        let (down, up, enter) = ui.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, Key::ArrowDown),
                i.consume_key(egui::Modifiers::NONE, Key::ArrowUp),
                i.consume_key(egui::Modifiers::NONE, Key::Enter),
            )
        });
        if down {
            self.highlighted = (self.highlighted + 1).min(matches.len().saturating_sub(1));
        }
        if up {
            self.highlighted = self.highlighted.saturating_sub(1);
        }
        let mut picked: Option<CodeId> = None;
        if enter {
            picked = matches.get(self.highlighted).cloned();
        }
        let modal = Modal::new(Id::unique("quick_code")).show(ui.ctx(), |ui| {
            ui.set_width(420.0);
            let title = match &target {
                QuickTarget::Range { .. } => tr.t("quick.title_apply"),
                QuickTarget::Coding(_) => tr.t("quick.title_change"),
            };
            ui.label(RichText::new(title).strong());
            let edit = ui.add(
                egui::TextEdit::singleline(&mut self.query)
                    .hint_text(tr.t("quick.hint"))
                    .desired_width(f32::INFINITY),
            );
            if self.focus_pending {
                edit.request_focus();
                self.focus_pending = false;
            }
            if edit.changed() {
                self.highlighted = 0;
            }
            ui.add_space(4.0);
            if matches.is_empty() {
                ui.label(RichText::new(tr.t("quick.none")).color(theme::INK_SOFT));
            }
            for (i, guid) in matches.iter().take(MAX_MATCHES).enumerate() {
                let Some(entry) = env.cache.code(guid) else {
                    continue;
                };
                ui.horizontal(|ui| {
                    color_swatch(ui, theme::code_color(&entry.code.color));
                    let label = env.code_path(guid);
                    let row = ui.selectable_label(i == self.highlighted, label);
                    if row.clicked() {
                        picked = Some(guid.clone());
                    }
                    if let Some(note) = env.pole_note(guid) {
                        row.on_hover_text(note);
                    }
                });
            }
            ui.add_space(4.0);
            ui.label(
                RichText::new(tr.t("quick.help"))
                    .small()
                    .color(theme::INK_SOFT),
            );
        });
        if let Some(code) = picked {
            commands.push(match target {
                QuickTarget::Range {
                    document,
                    start,
                    end,
                } => Command::Edit(Edit::ApplyCode {
                    document,
                    code,
                    start,
                    end,
                    memo: None,
                }),
                QuickTarget::Coding(coding) => {
                    Command::Edit(Edit::ChangeCodingCode { coding, code })
                }
            });
            self.close();
        } else if modal.should_close() {
            self.close();
        }
    }
}
