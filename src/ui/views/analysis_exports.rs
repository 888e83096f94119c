//! The Analysis screen's export for other tools, the IRaMuTeQ corpus, and what follows any
//! export of the screen: the file written, with buttons to open it or show it in its folder.

use std::path::PathBuf;

use egui::Ui;

use super::analysis::AnalysisView;
use crate::export::iramuteq::TextUnit;
use crate::ui::command::{Command, Export, Navigation};
use crate::ui::env::Env;

impl AnalysisView {
    /// The IRaMuTeQ corpus: one text per excerpt or per document, accents kept or folded,
    /// the file, the button (pseudonymised with the screen's other exports).
    pub(super) fn corpus_ui(
        &mut self,
        ui: &mut Ui,
        env: &Env,
        busy: bool,
        commands: &mut Vec<Command>,
    ) {
        let tr = env.tr;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(tr.t("analysis.corpus"));
            for (per, key) in [
                (TextUnit::Excerpt, "analysis.corpus_per_excerpt"),
                (TextUnit::Document, "analysis.corpus_per_document"),
            ] {
                ui.radio_value(&mut self.corpus.per, per, tr.t(key));
            }
            ui.checkbox(&mut self.corpus.fold_accents, tr.t("analysis.corpus_fold"));
            ui.add(egui::TextEdit::singleline(&mut self.corpus_path).desired_width(300.0))
                .labelled_by(label.id);
            let can = !busy && !self.corpus_path.trim().is_empty();
            if ui
                .add_enabled(can, egui::Button::new(tr.t("analysis.corpus_button")))
                .clicked()
            {
                commands.push(Command::Export(Export::Iramuteq {
                    path: PathBuf::from(self.corpus_path.trim()),
                    options: self.corpus,
                    pseudonymise: self.pseudonymise,
                }));
            }
        });
    }

    /// The last file written, and « Open » / « Show in folder ».
    pub(super) fn written_ui(&self, ui: &mut Ui, env: &Env, commands: &mut Vec<Command>) {
        let Some(path) = self.written.get() else {
            return;
        };
        let tr = env.tr;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        ui.horizontal_wrapped(|ui| {
            ui.label(tr.f("analysis.written", &[("file", &name)]))
                .on_hover_text(path.display().to_string());
            for (key, reveal) in [("analysis.open", false), ("analysis.show_in_folder", true)] {
                if ui.button(tr.t(key)).clicked() {
                    commands.push(Command::Go(Navigation::OpenFile {
                        path: path.clone(),
                        reveal,
                    }));
                }
            }
        });
    }
}
