//! The survey grid: one row per respondent, one column per question; click an answer to
//! read and code it below. Rows are virtual, so hundreds stay fluid.

use crate::ui::command::Navigation;
use egui::{RichText, Sense, Ui};
use egui_extras::{Column, TableBuilder};

use crate::model::DocumentId;
use crate::ui::command::Command;
use crate::ui::env::Env;
use crate::ui::{theme, widgets};

/// Height of a grid row.
pub const ROW_HEIGHT: f32 = 52.0;

/// The grid's state.
#[derive(Debug, Default)]
pub struct SurveyGrid {
    /// Respondent / answer filter.
    pub filter: String,
    /// Only rows with an uncoded answer.
    pub only_uncoded: bool,
    /// Scroll to this row next frame.
    pub scroll_to_row: Option<usize>,
}

impl SurveyGrid {
    /// The rows shown (indexes into the survey index).
    pub fn visible_rows(&self, env: &Env) -> Vec<usize> {
        let query = widgets::fold(self.filter.trim());
        let counts = &env.cache.document_codings;
        env.cache
            .survey
            .rows
            .iter()
            .enumerate()
            .filter(|(_, (respondent, cells))| {
                let name_ok = query.is_empty()
                    || env
                        .cache
                        .respondent(respondent)
                        .is_some_and(|r| widgets::fold(&r.name).contains(&query));
                let uncoded_ok = !self.only_uncoded
                    || cells
                        .iter()
                        .flatten()
                        .any(|d| counts.get(d).copied().unwrap_or(0) == 0);
                name_ok && uncoded_ok
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// The answer below (or above) the open one, in the same column: for Alt+↓ / Alt+↑.
    pub fn neighbour(&self, env: &Env, open: &DocumentId, step: i32) -> Option<DocumentId> {
        let rows = self.visible_rows(env);
        let survey = &env.cache.survey;
        let (pos, col) = rows.iter().enumerate().find_map(|(pos, &r)| {
            survey.rows[r]
                .1
                .iter()
                .position(|c| c.as_ref() == Some(open))
                .map(|col| (pos, col))
        })?;
        let mut p = pos as i64;
        loop {
            p += i64::from(step);
            let r = *rows.get(usize::try_from(p).ok()?)?;
            if let Some(doc) = &survey.rows[r].1[col] {
                return Some(doc.clone());
            }
        }
    }

    /// Draws the grid (one row per respondent, one column per question) and pushes what a
    /// click on an answer asks for.
    pub fn ui(&mut self, ui: &mut Ui, env: &Env, commands: &mut Vec<Command>) {
        let tr = env.tr;
        let survey = &env.cache.survey;
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut self.filter)
                    .hint_text(tr.t("survey.filter"))
                    .desired_width(220.0),
            );
            ui.checkbox(&mut self.only_uncoded, tr.t("survey.only_uncoded"));
            ui.label(
                RichText::new(tr.f(
                    "survey.size",
                    &[
                        ("rows", &survey.rows.len().to_string()),
                        ("questions", &survey.questions.len().to_string()),
                    ],
                ))
                .color(theme::INK_SOFT),
            );
        });
        let rows = self.visible_rows(env);
        let mut table = TableBuilder::new(ui)
            .id_salt("survey_grid")
            .striped(true)
            .resizable(true)
            .auto_shrink(false)
            .column(Column::initial(130.0).at_least(80.0).clip(true))
            .columns(
                Column::remainder().at_least(160.0).clip(true),
                survey.questions.len().max(1),
            );
        if let Some(row) = self.scroll_to_row.take()
            && let Some(pos) = rows.iter().position(|&r| r == row)
        {
            table = table.scroll_to_row(pos, Some(egui::Align::Center));
        }
        table
            .header(26.0, |mut header| {
                header.col(|ui| {
                    ui.strong(tr.t("survey.respondent"));
                });
                for q in &survey.questions {
                    header.col(|ui| {
                        ui.strong(q);
                    });
                }
            })
            .body(|body| {
                body.rows(ROW_HEIGHT, rows.len(), |mut row| {
                    let (respondent, cells) = &survey.rows[rows[row.index()]];
                    row.col(|ui| {
                        let name = env
                            .cache
                            .respondent(respondent)
                            .map(|r| r.name.as_str())
                            .unwrap_or("?");
                        ui.label(RichText::new(name).strong());
                    });
                    for cell in cells {
                        row.col(|ui| answer_cell(ui, env, cell.as_ref(), commands));
                    }
                });
            });
    }
}

fn answer_cell(ui: &mut Ui, env: &Env, doc: Option<&DocumentId>, commands: &mut Vec<Command>) {
    let Some(doc) = doc else {
        ui.label(RichText::new("—").color(theme::INK_SOFT));
        return;
    };
    let open = env.nav.document.as_ref() == Some(doc);
    let text = env
        .cache
        .answer_texts
        .get(doc)
        .map(String::as_str)
        .unwrap_or("");
    let rect = ui.available_rect_before_wrap();
    if open {
        ui.painter().rect_filled(rect, 3.0, theme::SELECTED_ROW);
    }
    let response = ui
        .vertical(|ui| {
            ui.add(
                egui::Label::new(RichText::new(widgets::shorten(text, 140)).size(12.5))
                    .wrap()
                    .selectable(false),
            );
            if let Some(codes) = env.cache.document_codes.get(doc) {
                ui.horizontal(|ui| {
                    for code in codes.iter().take(8) {
                        if let Some(e) = env.cache.code(code) {
                            widgets::color_swatch(ui, theme::code_color(&e.code.color))
                                .on_hover_text(env.code_path(code));
                        }
                    }
                });
            }
        })
        .response;
    let response = ui.interact(
        response.rect.union(rect),
        ui.scope_id().with(("answer", doc)),
        Sense::click(),
    );
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Button, true, widgets::shorten(text, 60))
    });
    if response.clicked() {
        commands.push(Command::Go(Navigation::Document(doc.clone())));
    }
    response.on_hover_text(text);
}
