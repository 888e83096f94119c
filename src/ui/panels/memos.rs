//! Every memo of the project (on the project, documents, respondents, codes, codings):
//! filter, open, edit.

use crate::app::edit::Edit;
use crate::ui::command::{Navigation, Prompt};
use egui::{RichText, ScrollArea, Ui};

use crate::model::{Memo, MemoTarget};
use crate::ui::command::Command;
use crate::ui::env::Env;
use crate::ui::widgets::modals::memo_target_label;
use crate::ui::{theme, widgets};

/// The memos panel's state.
#[derive(Debug, Default)]
pub struct MemosPanel {
    /// Text filter.
    pub filter: String,
}

impl MemosPanel {
    /// Draws the panel.
    pub fn ui(&mut self, ui: &mut Ui, env: &Env, commands: &mut Vec<Command>) {
        let tr = env.tr;
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut self.filter)
                    .hint_text(tr.t("memos.filter"))
                    .desired_width(260.0),
            );
            if ui.button(tr.t("memos.project")).clicked() {
                commands.push(Command::Ask(Prompt::Memo(MemoTarget::Project)));
            }
            ui.label(
                RichText::new(tr.f("memos.count", &[("n", &env.cache.memos.len().to_string())]))
                    .color(theme::INK_SOFT),
            );
        });
        ui.separator();
        let query = widgets::fold(self.filter.trim());
        let mut memos: Vec<&Memo> = env
            .cache
            .memos
            .iter()
            .filter(|m| query.is_empty() || widgets::fold(&m.text).contains(&query))
            .collect();
        memos.sort_by(|a, b| b.modified_at.cmp(&a.modified_at).then(a.guid.cmp(&b.guid)));
        if memos.is_empty() {
            ui.label(RichText::new(tr.t("memos.none")).color(theme::INK_SOFT));
            return;
        }
        let mine = env
            .cache
            .coder
            .as_ref()
            .map(|c| c.guid.as_str())
            .unwrap_or("");
        ScrollArea::vertical()
            .id_salt("memos_list")
            .auto_shrink(false)
            .show_rows(ui, 40.0, memos.len(), |ui, range| {
                for memo in &memos[range] {
                    ui.horizontal(|ui| {
                        ui.vertical(|ui| {
                            let about = memo_target_label(env, &memo.target);
                            let who = env.cache.coder_name(&memo.created_by);
                            ui.label(
                                RichText::new(format!(
                                    "{about}  ·  {who}  ·  {}",
                                    tr.date_time(memo.modified_at)
                                ))
                                .small()
                                .color(theme::INK_SOFT),
                            );
                            let text = ui.add(
                                egui::Label::new(widgets::shorten(&memo.text, 160))
                                    .sense(egui::Sense::click())
                                    .selectable(false),
                            );
                            if text.clicked() {
                                commands.extend(open_memo(env, memo));
                            }
                            text.on_hover_text(&memo.text);
                        });
                        if memo.created_by == mine {
                            ui.with_layout(
                                egui::Layout::right_to_left(egui::Align::Center),
                                |ui| {
                                    if ui
                                        .small_button("🗑")
                                        .on_hover_text(tr.t("memos.delete"))
                                        .clicked()
                                    {
                                        commands.push(Command::Edit(Edit::DeleteMemo(
                                            memo.guid.clone(),
                                        )));
                                    }
                                    if ui
                                        .small_button("✏")
                                        .on_hover_text(tr.t("memos.edit"))
                                        .clicked()
                                    {
                                        commands
                                            .push(Command::Ask(Prompt::Memo(memo.target.clone())));
                                    }
                                },
                            );
                        }
                    });
                }
            });
    }
}

/// What clicking a memo does: go to what it is about.
fn open_memo(env: &Env, memo: &Memo) -> Vec<Command> {
    match &memo.target {
        MemoTarget::Document(g) => vec![Command::Go(Navigation::Document(g.clone()))],
        MemoTarget::Respondent(g) => {
            vec![Command::Go(Navigation::SelectRespondent(Some(g.clone())))]
        }
        MemoTarget::Code(g) => vec![Command::Go(Navigation::SelectCode {
            guid: g.clone(),
            additive: false,
        })],
        MemoTarget::Coding(g) => env
            .cache
            .coding_locations
            .get(g)
            .map(|(doc, start, end)| {
                vec![Command::Go(Navigation::JumpTo {
                    document: doc.clone(),
                    start: *start,
                    end: *end,
                })]
            })
            .unwrap_or_default(),
        MemoTarget::Project => vec![Command::Ask(Prompt::Memo(MemoTarget::Project))],
    }
}
