//! Retrieval: the coded excerpts of the selected codes, filtered by coder and by a
//! respondent or document attribute; click one to jump to it in its document.

use crate::ui::command::Navigation;
use egui::{Align2, FontId, Rect, RichText, ScrollArea, Sense, Ui, pos2, vec2};

use crate::model::{CodeId, CoderId};
use crate::store::excerpts::{Excerpt, ExcerptFilter};
use crate::ui::command::Command;
use crate::ui::env::Env;
use crate::ui::{theme, widgets};

/// What the results were computed for.
#[derive(Debug, Clone, PartialEq)]
pub struct RetrievalKey {
    /// The cache version they were read at.
    pub version: u64,
    /// The codes selected, each with its sub-codes.
    pub codes: Vec<CodeId>,
    /// Coder GUID filter.
    pub coder: Option<CoderId>,
    /// Attribute condition (name, value), if any.
    pub attribute: Option<(String, String)>,
}

impl RetrievalKey {
    /// The store filter of this key.
    pub fn filter(&self) -> ExcerptFilter {
        ExcerptFilter {
            codes: self.codes.clone(),
            coders: self.coder.iter().cloned().collect(),
            attributes: self.attribute.iter().cloned().collect(),
            ..ExcerptFilter::default()
        }
    }
}

/// The retrieval panel's state.
#[derive(Debug, Default)]
pub struct RetrievalPanel {
    /// Coder chosen in the filter (`None`: every coder, unless "only mine" is on).
    pub coder: Option<CoderId>,
    /// Attribute condition (name, value) chosen in the filter, if any.
    pub attribute: Option<(String, String)>,
    key: Option<RetrievalKey>,
    /// The excerpts found for the current key, in corpus order.
    pub results: Vec<Excerpt>,
}

impl RetrievalPanel {
    /// The key the results should have now; `Some` when they must be computed again.
    pub fn wanted(&self, env: &Env) -> Option<RetrievalKey> {
        if env.nav.selected_codes.is_empty() {
            return None;
        }
        let coder = if env.state.only_my_codings {
            env.cache.coder.as_ref().map(|c| c.guid.clone())
        } else {
            self.coder.clone()
        };
        let key = RetrievalKey {
            version: env.cache.version,
            codes: env.nav.selected_codes.clone(),
            coder,
            attribute: self.attribute.clone(),
        };
        (self.key.as_ref() != Some(&key)).then_some(key)
    }

    /// Stores results computed for `key`.
    pub fn set_results(&mut self, key: RetrievalKey, results: Vec<Excerpt>) {
        self.key = Some(key);
        self.results = results;
    }

    /// Draws the panel.
    pub fn ui(&mut self, ui: &mut Ui, env: &Env, commands: &mut Vec<Command>) {
        let tr = env.tr;
        if env.nav.selected_codes.is_empty() {
            ui.add_space(8.0);
            ui.label(RichText::new(tr.t("retrieval.pick_code")).color(theme::INK_SOFT));
            return;
        }
        ui.horizontal_wrapped(|ui| {
            for guid in &env.nav.selected_codes {
                let color = env
                    .cache
                    .code(guid)
                    .map(|e| theme::code_color(&e.code.color))
                    .unwrap_or(theme::FALLBACK_CODE);
                widgets::color_swatch(ui, color);
                ui.label(RichText::new(env.code_name(guid)).strong());
                if ui
                    .small_button("✖")
                    .on_hover_text(tr.t("retrieval.unselect"))
                    .clicked()
                {
                    commands.push(Command::Go(Navigation::SelectCode {
                        guid: guid.clone(),
                        additive: true,
                    }));
                }
            }
            ui.separator();
            let label = ui.label(tr.t("retrieval.coder"));
            let shown = if env.state.only_my_codings {
                tr.t("retrieval.only_me").to_string()
            } else {
                self.coder
                    .as_ref()
                    .map(|g| env.cache.coder_name(g).to_string())
                    .unwrap_or_else(|| tr.t("retrieval.all_coders").to_string())
            };
            ui.add_enabled_ui(!env.state.only_my_codings, |ui| {
                egui::ComboBox::from_id_salt("retrieval_coder")
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.coder, None, tr.t("retrieval.all_coders"));
                        for c in &env.cache.coders {
                            ui.selectable_value(&mut self.coder, Some(c.guid.clone()), &c.name);
                        }
                    })
                    .response
                    .labelled_by(label.id);
            });
            let label = ui.label(tr.t("docs.attribute"));
            let current = self
                .attribute
                .as_ref()
                .map(|(k, v)| format!("{k} = {v}"))
                .unwrap_or_else(|| tr.t("docs.any_attribute").to_string());
            egui::ComboBox::from_id_salt("retrieval_attribute")
                .selected_text(widgets::shorten(&current, 30))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.attribute, None, tr.t("docs.any_attribute"));
                    for (name, values) in env.cache.attribute_choices() {
                        ui.label(RichText::new(&name).strong());
                        for v in values {
                            let pair = Some((name.clone(), v.clone()));
                            let text = format!("   {v}");
                            ui.selectable_value(&mut self.attribute, pair, text);
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            ui.label(
                RichText::new(tr.f("retrieval.count", &[("n", &tr.number(self.results.len()))]))
                    .color(theme::INK_SOFT),
            );
        });
        ui.separator();
        if self.results.is_empty() {
            ui.label(RichText::new(tr.t("retrieval.none")).color(theme::INK_SOFT));
            return;
        }
        let row_height = 46.0;
        ScrollArea::vertical()
            .id_salt("retrieval_list")
            .auto_shrink(false)
            .show_rows(ui, row_height, self.results.len(), |ui, range| {
                for excerpt in &self.results[range] {
                    excerpt_row(ui, env, excerpt, row_height, commands);
                }
            });
    }
}

fn excerpt_row(
    ui: &mut Ui,
    env: &Env,
    excerpt: &Excerpt,
    height: f32,
    commands: &mut Vec<Command>,
) {
    let tr = env.tr;
    let (rect, response) =
        ui.allocate_exact_size(vec2(ui.available_width(), height), Sense::click());
    let text = widgets::shorten(&excerpt.text, 400);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &text));
    let painter = ui.painter_at(rect);
    if response.hovered() {
        painter.rect_filled(rect, 4.0, theme::BAR);
    }
    let color = env
        .cache
        .code(&excerpt.coding.code_guid)
        .map(|e| theme::code_color(&e.code.color))
        .unwrap_or(theme::FALLBACK_CODE);
    painter.rect_filled(
        Rect::from_min_size(rect.min + vec2(2.0, 4.0), vec2(4.0, height - 8.0)),
        2.0,
        color,
    );
    let respondent = excerpt.respondent_name.clone().unwrap_or_default();
    let meta = [
        env.code_path(&excerpt.coding.code_guid),
        excerpt.document_name.clone(),
        respondent,
        excerpt.coder_name.clone(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join("  ·  ");
    let left = rect.left() + 14.0;
    painter.text(
        pos2(left, rect.top() + 4.0),
        Align2::LEFT_TOP,
        widgets::shorten(&meta, 160),
        FontId::proportional(11.5),
        theme::INK_SOFT,
    );
    let galley = ui.fonts_mut(|f| {
        f.layout_job(egui::text::LayoutJob {
            wrap: egui::text::TextWrapping::truncate_at_width(rect.width() - 24.0),
            ..egui::text::LayoutJob::simple_singleline(
                format!("« {text} »"),
                FontId::proportional(14.0),
                theme::INK,
            )
        })
    });
    painter.galley(pos2(left, rect.top() + 22.0), galley, theme::INK);
    if !excerpt.memo.is_empty() {
        painter.text(
            pos2(rect.right() - 6.0, rect.top() + 4.0),
            Align2::RIGHT_TOP,
            "📝",
            FontId::proportional(12.0),
            theme::INK_SOFT,
        );
    }
    if response.clicked() {
        commands.push(Command::Go(Navigation::JumpTo {
            document: excerpt.coding.document_guid.clone(),
            start: excerpt.coding.start_char,
            end: excerpt.coding.end_char,
        }));
    }
    response.on_hover_ui(|ui| {
        ui.set_max_width(480.0);
        ui.label(&excerpt.text);
        if !excerpt.memo.is_empty() {
            ui.separator();
            ui.label(RichText::new(format!("📝 {}", excerpt.memo)).italics());
        }
        ui.label(
            RichText::new(tr.t("retrieval.click_to_jump"))
                .small()
                .color(theme::INK_SOFT),
        );
    });
}
