//! Full-text search (accent-insensitive, through the store's FTS5 index) with the matching
//! passages in context; click one to jump to it.

use crate::ui::command::Navigation;
use egui::{RichText, ScrollArea, Sense, Ui, text::LayoutJob, text::TextFormat};

use crate::store::search::SearchHit;
use crate::ui::command::Command;
use crate::ui::env::Env;
use crate::ui::theme;

/// Most hits shown.
pub const MAX_HITS: usize = 500;

/// The search panel's state.
#[derive(Debug, Default)]
pub struct SearchPanel {
    /// The query typed.
    pub query: String,
    /// A query to run (set on Enter; the app runs it and fills `hits`).
    pub pending: Option<String>,
    /// The query the hits are for.
    pub searched: String,
    /// The hits.
    pub hits: Vec<SearchHit>,
    /// Focus the field on the next frame (Ctrl+F).
    pub focus: bool,
}

impl SearchPanel {
    /// Stores the hits of a query.
    pub fn set_hits(&mut self, query: String, hits: Vec<SearchHit>) {
        self.searched = query;
        self.hits = hits;
    }

    /// Draws the panel.
    pub fn ui(&mut self, ui: &mut Ui, env: &Env, commands: &mut Vec<Command>) {
        let tr = env.tr;
        ui.horizontal(|ui| {
            let edit = ui.add(
                egui::TextEdit::singleline(&mut self.query)
                    .hint_text(tr.t("search.hint"))
                    .desired_width(360.0),
            );
            if self.focus {
                edit.request_focus();
                self.focus = false;
            }
            let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button(tr.t("search.go")).clicked() || enter) && !self.query.trim().is_empty() {
                self.pending = Some(self.query.trim().to_string());
            }
            if !self.searched.is_empty() {
                let n = self.hits.len();
                let text = if n >= MAX_HITS {
                    tr.f("search.count_max", &[("n", &tr.number(n))])
                } else {
                    tr.f("search.count", &[("n", &tr.number(n))])
                };
                ui.label(RichText::new(text).color(theme::INK_SOFT));
            }
        });
        ui.separator();
        if self.searched.is_empty() {
            ui.label(RichText::new(tr.t("search.help")).color(theme::INK_SOFT));
            return;
        }
        ScrollArea::vertical()
            .id_salt("search_hits")
            .auto_shrink(false)
            .show_rows(ui, 22.0, self.hits.len(), |ui, range| {
                for hit in &self.hits[range] {
                    let mut job = LayoutJob::default();
                    let plain = TextFormat {
                        font_id: egui::FontId::proportional(13.0),
                        color: theme::INK_SOFT,
                        ..TextFormat::default()
                    };
                    job.append(
                        &format!("{}   ", hit.document_name),
                        0.0,
                        TextFormat {
                            color: theme::ACCENT,
                            ..plain.clone()
                        },
                    );
                    job.append(
                        &format!("…{}", hit.before.replace('\n', " ")),
                        0.0,
                        plain.clone(),
                    );
                    job.append(
                        &hit.matched,
                        0.0,
                        TextFormat {
                            color: theme::INK,
                            background: theme::SEARCH_HIT,
                            ..plain.clone()
                        },
                    );
                    job.append(&format!("{}…", hit.after.replace('\n', " ")), 0.0, plain);
                    job.wrap = egui::text::TextWrapping::truncate_at_width(ui.available_width());
                    let response = ui.add(
                        egui::Label::new(job)
                            .sense(Sense::click())
                            .selectable(false),
                    );
                    if response.clicked() {
                        commands.push(Command::Go(Navigation::JumpTo {
                            document: hit.document_guid.clone(),
                            start: hit.start_char,
                            end: hit.end_char,
                        }));
                    }
                }
            });
    }
}
