//! The respondents list of the left panel: click one to see their documents.

use crate::ui::command::{Navigation, Prompt};
use egui::{RichText, ScrollArea, Ui};

use crate::model::{Consent, MemoTarget};
use crate::ui::command::Command;
use crate::ui::env::Env;
use crate::ui::{theme, widgets};

/// The respondents list's state.
#[derive(Debug, Default)]
pub struct RespondentsPanel {
    /// Name filter.
    pub search: String,
}

/// Translation key of a consent status.
pub fn consent_key(consent: Consent) -> &'static str {
    match consent {
        Consent::Given => "consent.given",
        Consent::Pending => "consent.pending",
        Consent::Withdrawn => "consent.withdrawn",
    }
}

/// Colour of a consent status.
pub fn consent_color(consent: Consent) -> egui::Color32 {
    match consent {
        Consent::Given => theme::OK,
        Consent::Pending => theme::WARN,
        Consent::Withdrawn => theme::ERROR,
    }
}

impl RespondentsPanel {
    /// Draws the list.
    pub fn ui(&mut self, ui: &mut Ui, env: &Env, commands: &mut Vec<Command>) {
        let tr = env.tr;
        ui.add(
            egui::TextEdit::singleline(&mut self.search)
                .hint_text(tr.t("resp.search"))
                .desired_width(f32::INFINITY),
        );
        ui.separator();
        let query = widgets::fold(self.search.trim());
        let respondents: Vec<_> = env
            .cache
            .respondents
            .iter()
            .filter(|r| {
                query.is_empty()
                    || widgets::fold(&r.name).contains(&query)
                    || widgets::fold(&r.pseudonym).contains(&query)
            })
            .collect();
        ScrollArea::vertical()
            .id_salt("respondents_list")
            .auto_shrink(false)
            .show_rows(ui, 22.0, respondents.len(), |ui, range| {
                for r in &respondents[range] {
                    let docs = env
                        .cache
                        .documents
                        .iter()
                        .filter(|d| d.respondent_guid.as_ref() == Some(&r.guid))
                        .count();
                    let selected = env.nav.respondent.as_ref() == Some(&r.guid);
                    ui.horizontal(|ui| {
                        widgets::dot(ui, consent_color(r.consent))
                            .on_hover_text(tr.t(consent_key(r.consent)));
                        let label = if r.pseudonym.is_empty() {
                            r.name.clone()
                        } else {
                            format!("{} ({})", r.name, r.pseudonym)
                        };
                        let row = ui.selectable_label(selected, label);
                        if row.clicked() {
                            commands.push(Command::Go(Navigation::SelectRespondent(Some(
                                r.guid.clone(),
                            ))));
                        }
                        row.context_menu(|ui| {
                            if ui.button(tr.t("resp.memo")).clicked() {
                                commands.push(Command::Ask(Prompt::Memo(MemoTarget::Respondent(
                                    r.guid.clone(),
                                ))));
                                ui.close();
                            }
                        });
                        ui.label(
                            RichText::new(tr.f("resp.docs", &[("n", &docs.to_string())]))
                                .small()
                                .color(theme::INK_SOFT),
                        );
                    });
                }
            });
    }
}
