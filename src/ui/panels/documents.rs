//! The documents list: search by name, filter by respondent attribute and by coded or not,
//! open on click, rename / link / memo / delete from the context menu.

use crate::app::edit::Edit;
use crate::ui::command::{Navigation, Prompt};
use egui::{Align2, FontId, Rect, RichText, ScrollArea, Sense, Ui, pos2, vec2};

use crate::model::{DocumentInfo, DocumentKind, MemoTarget};
use crate::ui::command::Command;
use crate::ui::env::Env;
use crate::ui::{theme, widgets};

/// Which documents show, by their codings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CodedFilter {
    /// Every document.
    #[default]
    All,
    /// Documents with at least one coding.
    Coded,
    /// Documents without codings.
    Uncoded,
}

/// The documents panel's state.
#[derive(Debug, Default)]
pub struct DocumentsPanel {
    /// Name filter.
    pub search: String,
    /// Coded or not.
    pub coded: CodedFilter,
    /// Attribute filter `name = value`.
    pub attribute: Option<(String, String)>,
    /// Show survey answers too (they also have their own grid).
    pub show_answers: bool,
}

/// A document kind's icon.
pub fn kind_icon(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Interview => "📄",
        DocumentKind::Transcript => "🎧",
        DocumentKind::SurveyAnswer => "📋",
        DocumentKind::Note => "📃",
    }
}

impl DocumentsPanel {
    /// The documents that pass the filters, in corpus order.
    pub fn visible<'a>(&self, env: &Env<'a>) -> Vec<&'a DocumentInfo> {
        let query = widgets::fold(self.search.trim());
        let counts = if env.state.only_my_codings {
            &env.cache.document_my_codings
        } else {
            &env.cache.document_codings
        };
        env.cache
            .documents
            .iter()
            .filter(|d| {
                self.show_answers
                    || d.kind != DocumentKind::SurveyAnswer
                    || env.nav.respondent.is_some()
            })
            .filter(|d| env.nav.respondent.is_none() || d.respondent_guid == env.nav.respondent)
            .filter(|d| query.is_empty() || widgets::fold(&d.name).contains(&query))
            .filter(|d| {
                let n = counts.get(&d.guid).copied().unwrap_or(0);
                match self.coded {
                    CodedFilter::All => true,
                    CodedFilter::Coded => n > 0,
                    CodedFilter::Uncoded => n == 0,
                }
            })
            .filter(|d| {
                self.attribute.as_ref().is_none_or(|(k, v)| {
                    env.cache
                        .values_of_document(d)
                        .get(k)
                        .is_some_and(|x| x == v)
                })
            })
            .collect()
    }

    /// Draws the panel.
    pub fn ui(&mut self, ui: &mut Ui, env: &Env, commands: &mut Vec<Command>) {
        let tr = env.tr;
        ui.add(
            egui::TextEdit::singleline(&mut self.search)
                .hint_text(tr.t("docs.search"))
                .desired_width(f32::INFINITY),
        );
        ui.horizontal_wrapped(|ui| {
            for (filter, key) in [
                (CodedFilter::All, "docs.all"),
                (CodedFilter::Coded, "docs.coded"),
                (CodedFilter::Uncoded, "docs.uncoded"),
            ] {
                ui.selectable_value(&mut self.coded, filter, tr.t(key));
            }
        });
        ui.horizontal(|ui| {
            let current = match &self.attribute {
                Some((k, v)) => format!("{k} = {v}"),
                None => tr.t("docs.any_attribute").to_string(),
            };
            let label = ui.label(tr.t("docs.attribute"));
            egui::ComboBox::from_id_salt("doc_attribute_filter")
                .selected_text(widgets::shorten(&current, 28))
                .width(ui.available_width() - 8.0)
                .show_ui(ui, |ui| {
                    if ui
                        .selectable_label(self.attribute.is_none(), tr.t("docs.any_attribute"))
                        .clicked()
                    {
                        self.attribute = None;
                    }
                    for (name, values) in env.cache.attribute_choices() {
                        ui.label(RichText::new(&name).strong());
                        for v in values {
                            let pair = (name.clone(), v.clone());
                            let selected = self.attribute.as_ref() == Some(&pair);
                            if ui.selectable_label(selected, format!("   {v}")).clicked() {
                                self.attribute = Some(pair);
                            }
                        }
                    }
                })
                .response
                .labelled_by(label.id);
        });
        if env.cache.has_survey() {
            ui.checkbox(&mut self.show_answers, tr.t("docs.show_answers"));
        }
        if let Some(r) = env
            .nav
            .respondent
            .as_ref()
            .and_then(|g| env.cache.respondent(g))
        {
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(tr.f("docs.of_respondent", &[("name", &r.name)]))
                        .color(theme::ACCENT),
                );
                if ui
                    .small_button("✖")
                    .on_hover_text(tr.t("docs.clear_respondent"))
                    .clicked()
                {
                    commands.push(Command::Go(Navigation::SelectRespondent(None)));
                }
            });
        }
        ui.separator();
        let docs = self.visible(env);
        if docs.is_empty() {
            ui.label(RichText::new(tr.t("docs.none")).color(theme::INK_SOFT));
        }
        let counts = if env.state.only_my_codings {
            &env.cache.document_my_codings
        } else {
            &env.cache.document_codings
        };
        let row_height = 38.0;
        ScrollArea::vertical()
            .id_salt("documents_list")
            .auto_shrink(false)
            .show_rows(ui, row_height, docs.len(), |ui, range| {
                for doc in &docs[range] {
                    let count = counts.get(&doc.guid).copied().unwrap_or(0);
                    document_row(ui, env, doc, count, row_height, commands);
                }
            });
    }
}

/// One document of the list; a click opens it, a right-click shows its menu.
fn document_row(
    ui: &mut Ui,
    env: &Env,
    doc: &DocumentInfo,
    count: usize,
    height: f32,
    commands: &mut Vec<Command>,
) {
    let (rect, response) =
        ui.allocate_exact_size(vec2(ui.available_width(), height), Sense::click());
    let selected = env.nav.document.as_ref() == Some(&doc.guid);
    response
        .widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, &doc.name));
    paint_document_row(ui, env, doc, count, rect, selected, response.hovered());
    if response.clicked() {
        commands.push(Command::Go(Navigation::Document(doc.guid.clone())));
    }
    response.context_menu(|ui| document_menu(ui, env, doc, commands));
}

/// Paints a document's row: kind, name, respondent and length, the badge of codings.
fn paint_document_row(
    ui: &Ui,
    env: &Env,
    doc: &DocumentInfo,
    count: usize,
    rect: Rect,
    selected: bool,
    hovered: bool,
) {
    let tr = env.tr;
    let painter = ui.painter_at(rect);
    if selected {
        painter.rect_filled(rect, 4.0, theme::SELECTED_ROW);
    } else if hovered {
        painter.rect_filled(rect, 4.0, theme::BAR);
    }
    let left = rect.left() + 6.0;
    painter.text(
        pos2(left, rect.top() + 4.0),
        Align2::LEFT_TOP,
        kind_icon(doc.kind),
        FontId::proportional(14.0),
        theme::INK,
    );
    let name_width = rect.width() - 70.0;
    let name = ui.fonts_mut(|f| {
        f.layout_job(egui::text::LayoutJob {
            wrap: egui::text::TextWrapping::truncate_at_width(name_width),
            ..egui::text::LayoutJob::simple_singleline(
                doc.name.clone(),
                FontId::proportional(14.0),
                theme::INK,
            )
        })
    });
    painter.galley(pos2(left + 22.0, rect.top() + 3.0), name, theme::INK);
    let respondent = doc
        .respondent_guid
        .as_ref()
        .and_then(|g| env.cache.respondent(g))
        .map(|r| r.name.clone())
        .unwrap_or_default();
    let detail = format!(
        "{} · {}",
        respondent,
        tr.f("docs.chars", &[("n", &tr.number(doc.char_len))])
    );
    painter.text(
        pos2(left + 22.0, rect.top() + 21.0),
        Align2::LEFT_TOP,
        widgets::shorten(detail.trim_start_matches(" · "), 40),
        FontId::proportional(11.5),
        theme::INK_SOFT,
    );
    if count > 0 {
        let badge =
            Rect::from_center_size(pos2(rect.right() - 22.0, rect.center().y), vec2(30.0, 18.0));
        painter.rect_filled(badge, 9.0, theme::ACCENT);
        painter.text(
            badge.center(),
            Align2::CENTER_CENTER,
            count.to_string(),
            FontId::proportional(11.5),
            theme::ON_ACCENT,
        );
    }
}

/// A document's context menu: rename, link to a respondent, memo, delete.
fn document_menu(ui: &mut Ui, env: &Env, doc: &DocumentInfo, commands: &mut Vec<Command>) {
    let tr = env.tr;
    if ui.button(tr.t("doc.rename")).clicked() {
        commands.push(Command::Go(Navigation::Document(doc.guid.clone())));
        commands.push(Command::Ask(Prompt::RenameDocument(doc.guid.clone())));
        ui.close();
    }
    ui.menu_button(tr.t("doc.link"), |ui| {
        ScrollArea::vertical().max_height(300.0).show(ui, |ui| {
            if ui
                .selectable_label(doc.respondent_guid.is_none(), tr.t("doc.no_respondent"))
                .clicked()
            {
                commands.push(Command::Edit(Edit::LinkDocument {
                    document: doc.guid.clone(),
                    respondent: None,
                }));
                ui.close();
            }
            for r in &env.cache.respondents {
                let linked = doc.respondent_guid.as_ref() == Some(&r.guid);
                if ui.selectable_label(linked, &r.name).clicked() {
                    commands.push(Command::Edit(Edit::LinkDocument {
                        document: doc.guid.clone(),
                        respondent: Some(r.guid.clone()),
                    }));
                    ui.close();
                }
            }
        });
    });
    if ui
        .add_enabled(
            doc.media_path.is_some(),
            egui::Button::new(tr.t("transcribe.button")),
        )
        .on_disabled_hover_text(tr.t("transcribe.no_recording"))
        .clicked()
    {
        commands.push(Command::Ask(Prompt::Transcribe {
            document: doc.guid.clone(),
            audio: None,
        }));
        ui.close();
    }
    if ui.button(tr.t("doc.memo")).clicked() {
        commands.push(Command::Ask(Prompt::Memo(MemoTarget::Document(
            doc.guid.clone(),
        ))));
        ui.close();
    }
    ui.separator();
    if ui
        .button(RichText::new(tr.t("doc.delete")).color(theme::ERROR))
        .clicked()
    {
        commands.push(Command::Edit(Edit::DeleteDocument(doc.guid.clone())));
        ui.close();
    }
}
