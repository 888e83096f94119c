//! The Team screen: the team folder (see `team_folder`), agreement between chosen coders (per code, char or segment
//! units), the disagreements with a jump to the text and "keep X's version" buttons, and
//! the blinded-coding switch.

use crate::ui::command::{Navigation, Work};
use std::collections::BTreeSet;

use egui::{RichText, Ui};

use crate::model::CoderId;
use crate::team::coverage::{AgreementReport, Disagreement, UnitKind};
use crate::ui::command::Command;
use crate::ui::env::Env;
use crate::ui::theme;

/// Most disagreements listed on screen (the export has them all).
const MAX_SHOWN: usize = 200;

/// Choices and results of the Team screen.
#[derive(Debug, Default)]
pub struct TeamView {
    /// Coders compared (GUIDs).
    pub coders: BTreeSet<CoderId>,
    /// What a unit of agreement is: a character or a segment.
    pub unit: UnitKind,
    /// The last report computed, shown until the next one comes.
    pub report: Option<AgreementReport>,
    /// Why the last computation failed.
    pub error: Option<String>,
    /// Compute after the frame.
    pub wanted: bool,
    /// The app version the report was computed at.
    pub computed_version: Option<u64>,
    /// The team folder part of the screen.
    pub folder: super::team_folder::FolderPanel,
}

impl TeamView {
    /// Whether the report must be computed (asked, or stale after an edit).
    pub fn needs_compute(&self, version: u64) -> bool {
        self.coders.len() >= 2
            && (self.wanted || (self.report.is_some() && self.computed_version != Some(version)))
    }

    /// Shows the outcome of a computation.
    pub fn take_result(&mut self, result: Result<AgreementReport, String>) {
        match result {
            Ok(report) => {
                self.report = Some(report);
                self.error = None;
            }
            Err(e) => {
                self.report = None;
                self.error = Some(e);
            }
        }
    }

    /// Draws the screen; `blind`: whether blinded coding is on.
    pub fn ui(&mut self, ui: &mut Ui, env: &Env, blind: bool, commands: &mut Vec<Command>) {
        let tr = env.tr;
        self.folder.ui(ui, env, commands);
        ui.separator();
        let mut blind_now = blind;
        if ui
            .checkbox(&mut blind_now, tr.t("team.blind"))
            .on_hover_text(tr.t("team.blind_hint"))
            .changed()
        {
            commands.push(Command::Work(Work::SetBlind(blind_now)));
        }
        ui.separator();
        self.coders_ui(ui, env);
        if self.coders.len() < 2 {
            ui.label(RichText::new(tr.t("team.pick_two")).color(theme::INK_SOFT));
        }
        if let Some(e) = &self.error {
            ui.colored_label(theme::ERROR, e);
        }
        let Some(report) = &self.report else { return };
        ui.columns(2, |cols| {
            egui::ScrollArea::both()
                .id_salt("team_table")
                .auto_shrink([false, false])
                .show(&mut cols[0], |ui| {
                    super::analysis::table_ui(ui, &report.table());
                });
            let ui = &mut cols[1];
            egui::ScrollArea::vertical()
                .id_salt("team_disagreements")
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    ui.label(
                        RichText::new(tr.f(
                            "team.disagreements",
                            &[("n", &report.disagreements.len().to_string())],
                        ))
                        .strong()
                        .size(15.0),
                    );
                    for (i, d) in report.disagreements.iter().take(MAX_SHOWN).enumerate() {
                        ui.push_id(("disagreement", i), |ui| {
                            disagreement_ui(ui, env, d, commands);
                        });
                    }
                });
        });
    }

    /// The coders to compare (ticked) and the unit of agreement; the compute button asks
    /// for the report (two coders at least).
    fn coders_ui(&mut self, ui: &mut Ui, env: &Env) {
        let tr = env.tr;
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(tr.t("team.coders")).strong());
            for c in &env.cache.coders {
                let mut on = self.coders.contains(&c.guid);
                if ui.checkbox(&mut on, &c.name).changed() {
                    if on {
                        self.coders.insert(c.guid.clone());
                    } else {
                        self.coders.remove(&c.guid);
                    }
                }
            }
            ui.separator();
            ui.radio_value(&mut self.unit, UnitKind::Char, tr.t("team.unit_char"));
            ui.radio_value(&mut self.unit, UnitKind::Segment, tr.t("team.unit_segment"));
            if ui
                .add_enabled(
                    self.coders.len() >= 2,
                    egui::Button::new(tr.t("team.compute")),
                )
                .clicked()
            {
                self.wanted = true;
            }
        });
    }
}

/// One disagreement: document, code, text; a jump to it, and for each pair of coders on
/// either side a button keeping one's version for the other.
fn disagreement_ui(ui: &mut Ui, env: &Env, d: &Disagreement, commands: &mut Vec<Command>) {
    let tr = env.tr;
    let name = |guid: &CoderId| {
        env.cache
            .coders
            .iter()
            .find(|c| &c.guid == guid)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| guid.to_string())
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(&d.document_name).strong());
        ui.label(RichText::new(&d.code_path).color(theme::ACCENT));
        let text: String = d.text.chars().take(120).collect();
        ui.label(format!("« {text} »"));
    });
    ui.horizontal_wrapped(|ui| {
        if ui.button(tr.t("team.see")).clicked() {
            commands.push(Command::Go(Navigation::JumpTo {
                document: d.document_guid.clone(),
                start: d.start_char,
                end: d.end_char,
            }));
        }
        // Keep the version of one side for a coder of the other side.
        let sides = [
            (&d.coded_by, &d.not_coded_by),
            (&d.not_coded_by, &d.coded_by),
        ];
        for (from_side, to_side) in sides {
            for from in from_side.iter() {
                for to in to_side.iter() {
                    let label = tr.f("team.accept", &[("from", &name(from)), ("to", &name(to))]);
                    if ui.button(label).clicked() {
                        commands.push(Command::Work(Work::AcceptVersion {
                            document: d.document_guid.clone(),
                            code: d.code_guid.clone(),
                            start: d.start_char,
                            end: d.end_char,
                            from: from.clone(),
                            to: to.clone(),
                        }));
                    }
                }
            }
        }
    });
    ui.separator();
}
