//! The respondents table: name, pseudonym, consent and typed attributes, edited in place
//! (a value is written when the field loses focus; a wrong value is refused in plain
//! words and the cell goes back to the stored value).

use crate::app::edit::Edit;
use crate::ui::command::{Navigation, Prompt};
use std::collections::HashMap;

use egui::{Id, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::model::{AttributeScope, AttributeType, Consent, MemoTarget, Respondent};
use crate::ui::command::Command;
use crate::ui::env::Env;
use crate::ui::panels::respondents::{consent_color, consent_key};
use crate::ui::theme;
use crate::ui::widgets::modals::type_key;

/// The table's state: what is being typed in each cell.
#[derive(Debug, Default)]
pub struct RespondentsTable {
    edits: HashMap<(String, String), String>,
    /// Name filter.
    pub filter: String,
}

impl RespondentsTable {
    /// A text cell; returns the new value when the user is done with it and it changed.
    fn edit_cell(
        &mut self,
        ui: &mut Ui,
        owner: &str,
        column: &str,
        current: &str,
        hint: &str,
        owner_name: &str,
    ) -> Option<String> {
        let key = (owner.to_string(), column.to_string());
        let id = Id::unique(("respondent_cell", owner, column));
        let focused = ui.memory(|m| m.has_focus(id));
        let buffer = self.edits.entry(key).or_insert_with(|| current.to_string());
        if !focused && buffer != current {
            *buffer = current.to_string();
        }
        // The column's name names the field (hover text) without cluttering empty cells.
        let response = ui
            .add(
                egui::TextEdit::singleline(buffer)
                    .id(id)
                    .desired_width(f32::INFINITY),
            )
            .on_hover_text(format!("{hint} — {owner_name}"));
        (response.lost_focus() && buffer.trim() != current.trim()).then(|| buffer.clone())
    }

    /// Draws the table and pushes the edits typed in its cells.
    pub fn ui(&mut self, ui: &mut Ui, env: &Env, commands: &mut Vec<Command>) {
        let tr = env.tr;
        let attributes: Vec<_> = env
            .cache
            .attributes
            .iter()
            .filter(|a| a.scope == AttributeScope::Respondent)
            .cloned()
            .collect();
        self.toolbar(ui, env, commands);
        let query = crate::ui::widgets::fold(self.filter.trim());
        let respondents: Vec<Respondent> = env
            .cache
            .respondents
            .iter()
            .filter(|r| query.is_empty() || crate::ui::widgets::fold(&r.name).contains(&query))
            .cloned()
            .collect();
        TableBuilder::new(ui)
            .id_salt("respondents_table")
            .striped(true)
            .resizable(true)
            .auto_shrink(false)
            .column(Column::exact(120.0))
            .column(Column::initial(170.0).at_least(90.0).clip(true))
            .column(Column::initial(120.0).at_least(70.0).clip(true))
            .columns(
                Column::initial(130.0).at_least(70.0).clip(true),
                attributes.len(),
            )
            .column(Column::exact(80.0))
            .column(Column::remainder().at_least(60.0))
            .header(26.0, |mut header| {
                for key in ["resp.consent", "resp.name", "resp.pseudonym"] {
                    header.col(|ui| {
                        ui.strong(tr.t(key));
                    });
                }
                for a in &attributes {
                    header.col(|ui| {
                        ui.strong(&a.name)
                            .on_hover_text(tr.t(type_key(a.value_type)));
                    });
                }
                header.col(|ui| {
                    ui.strong(tr.t("resp.documents"));
                });
                header.col(|_| {});
            })
            .body(|body| {
                body.rows(28.0, respondents.len(), |mut row| {
                    let r = &respondents[row.index()];
                    self.row_ui(&mut row, env, r, &attributes, commands);
                });
            });
    }

    /// Above the table: the title, add buttons, the name filter, the help line.
    fn toolbar(&mut self, ui: &mut Ui, env: &Env, commands: &mut Vec<Command>) {
        let tr = env.tr;
        ui.horizontal(|ui| {
            ui.heading(tr.t("screen.respondents"));
            if ui.button(format!("➕ {}", tr.t("resp.add"))).clicked() {
                commands.push(Command::Ask(Prompt::AddRespondent));
            }
            if ui.button(format!("➕ {}", tr.t("attr.add"))).clicked() {
                commands.push(Command::Ask(Prompt::DefineAttribute));
            }
            ui.add(
                egui::TextEdit::singleline(&mut self.filter)
                    .hint_text(tr.t("resp.search"))
                    .desired_width(200.0),
            );
        });
        ui.label(
            RichText::new(tr.t("resp.table_help"))
                .small()
                .color(theme::INK_SOFT),
        );
        ui.separator();
    }

    /// One respondent's row: consent, name, pseudonym, attributes, documents, actions.
    fn row_ui(
        &mut self,
        row: &mut egui_extras::TableRow<'_, '_>,
        env: &Env,
        r: &Respondent,
        attributes: &[crate::model::Attribute],
        commands: &mut Vec<Command>,
    ) {
        let tr = env.tr;
        row.col(|ui| consent_cell(ui, env, r, commands));
        row.col(|ui| {
            if let Some(name) = self.edit_cell(
                ui,
                r.guid.as_str(),
                "name",
                &r.name,
                tr.t("resp.name"),
                &r.name,
            ) {
                commands.push(Command::Edit(Edit::UpdateRespondent {
                    guid: r.guid.clone(),
                    name,
                    pseudonym: r.pseudonym.clone(),
                    consent: r.consent,
                }));
            }
        });
        row.col(|ui| {
            if let Some(pseudonym) = self.edit_cell(
                ui,
                r.guid.as_str(),
                "pseudonym",
                &r.pseudonym,
                tr.t("resp.pseudonym"),
                &r.name,
            ) {
                commands.push(Command::Edit(Edit::UpdateRespondent {
                    guid: r.guid.clone(),
                    name: r.name.clone(),
                    pseudonym,
                    consent: r.consent,
                }));
            }
        });
        let values = env.cache.respondent_values.get(r.guid.as_str());
        for a in attributes {
            row.col(|ui| {
                let current = values
                    .and_then(|v| v.get(&a.name))
                    .cloned()
                    .unwrap_or_default();
                self.attribute_cell(ui, r, a, &current, commands);
            });
        }
        row.col(|ui| documents_cell(ui, env, r, commands));
        row.col(|ui| actions_cell(ui, env, r, commands));
    }

    /// An attribute's value: a checkbox for a yes/no attribute, else a text cell (emptied:
    /// the value is removed).
    fn attribute_cell(
        &mut self,
        ui: &mut Ui,
        r: &Respondent,
        a: &crate::model::Attribute,
        current: &str,
        commands: &mut Vec<Command>,
    ) {
        if a.value_type == AttributeType::Boolean {
            let mut checked = current == "true";
            if ui
                .checkbox(&mut checked, "")
                .on_hover_text(&a.name)
                .changed()
            {
                commands.push(Command::Edit(Edit::SetAttributeValue {
                    attribute: a.guid.clone(),
                    owner: r.guid.to_string(),
                    value: Some(checked.to_string()),
                }));
            }
        } else if let Some(value) =
            self.edit_cell(ui, r.guid.as_str(), &a.guid, current, &a.name, &r.name)
        {
            commands.push(Command::Edit(Edit::SetAttributeValue {
                attribute: a.guid.clone(),
                owner: r.guid.to_string(),
                value: Some(value).filter(|v| !v.trim().is_empty()),
            }));
        }
    }
}

/// The consent menu of a respondent.
fn consent_cell(ui: &mut Ui, env: &Env, r: &Respondent, commands: &mut Vec<Command>) {
    let tr = env.tr;
    let mut consent = r.consent;
    let label = RichText::new(tr.t(consent_key(consent))).color(consent_color(consent));
    egui::ComboBox::from_id_salt(("consent", &r.guid))
        .selected_text(label)
        .width(110.0)
        .show_ui(ui, |ui| {
            for c in [Consent::Given, Consent::Pending, Consent::Withdrawn] {
                ui.selectable_value(&mut consent, c, tr.t(consent_key(c)));
            }
        })
        .response
        .on_hover_text(tr.f("resp.consent_of", &[("name", &r.name)]));
    if consent != r.consent {
        commands.push(Command::Edit(Edit::UpdateRespondent {
            guid: r.guid.clone(),
            name: r.name.clone(),
            pseudonym: r.pseudonym.clone(),
            consent,
        }));
    }
}

/// How many documents a respondent has; a click shows them on the Coding screen.
fn documents_cell(ui: &mut Ui, env: &Env, r: &Respondent, commands: &mut Vec<Command>) {
    let n = env
        .cache
        .documents
        .iter()
        .filter(|d| d.respondent_guid.as_ref() == Some(&r.guid))
        .count();
    if ui
        .link(n.to_string())
        .on_hover_text(env.tr.t("resp.show_documents"))
        .clicked()
    {
        commands.push(Command::Go(Navigation::SelectRespondent(Some(
            r.guid.clone(),
        ))));
        commands.push(Command::Go(Navigation::Screen(
            crate::ui::state::Screen::Coding,
        )));
    }
}

/// A respondent's memo and delete buttons.
fn actions_cell(ui: &mut Ui, env: &Env, r: &Respondent, commands: &mut Vec<Command>) {
    let tr = env.tr;
    if ui
        .small_button("📝")
        .on_hover_text(tr.t("resp.memo"))
        .clicked()
    {
        commands.push(Command::Ask(Prompt::Memo(MemoTarget::Respondent(
            r.guid.clone(),
        ))));
    }
    if ui
        .small_button("🗑")
        .on_hover_text(tr.t("resp.delete"))
        .clicked()
    {
        commands.push(Command::Edit(Edit::DeleteRespondent(r.guid.clone())));
    }
}
