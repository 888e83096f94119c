//! The Analysis screen: a table kind, its options and filters, the table(s) in a
//! grid, a chart (frequencies as bars, controversy balance as diverging bars, cross-tabs,
//! matrices and co-occurrences as heat maps), and exports (tables, coded report, the
//! IRaMuTeQ corpus in `analysis_exports.rs`), pseudonymised on request, into the project's
//! folder or the one last used.
//!
//! The view only keeps its choices and the last results; the app recomputes them after the
//! frame when a choice or the project changed ([`AnalysisView::needs_compute`]).

use crate::ui::command::Export;
use std::path::{Path, PathBuf};

use crate::model::CoderId;
use egui::{RichText, Ui};
use egui_plot::{Bar, BarChart, Plot};

pub(crate) use super::analysis_charts::table_ui;
use super::analysis_charts::{balance_ui, heatmap_ui};
use crate::analysis::charts;
use crate::analysis::{
    AnalysisFilter, CooccurrenceMode, CountUnit, Lang, PercentMode, Table, TableKind, TableOptions,
};
use crate::app::report::{TableOutcome, TableRequest};
use crate::export::report::{GroupBy, ReportFormat};
use crate::export::tables::TableFormat;
use crate::store::Project;
use crate::ui::command::Command;
use crate::ui::env::Env;
use crate::ui::theme;

pub use crate::analysis::charts::AnalysisChart;

/// Choices and results of the Analysis screen.
#[derive(Debug, Clone)]
pub struct AnalysisView {
    /// The table kind shown.
    pub kind: TableKind,
    /// Options (the `by` attribute is kept in `by`).
    pub options: TableOptions,
    /// Attribute to break down by (empty: none).
    pub by: String,
    /// Only this coder's codings (GUID).
    pub coder: Option<CoderId>,
    /// Filter: attribute name (empty: no filter).
    pub filter_attribute: String,
    /// Filter: attribute value.
    pub filter_value: String,
    /// The tables computed.
    pub tables: Vec<Table>,
    /// The chart computed.
    pub chart: AnalysisChart,
    /// Why the last computation failed.
    pub error: Option<String>,
    /// File the tables are exported to.
    pub export_path: String,
    /// Format of the table export.
    pub export_format: TableFormat,
    /// File the report is written to.
    pub report_path: String,
    /// Format of the report.
    pub report_format: ReportFormat,
    /// Grouping of the report.
    pub group_by: GroupBy,
    /// Pseudonymise every export (tables, report, corpus).
    pub pseudonymise: bool,
    /// File the IRaMuTeQ corpus is written to.
    pub corpus_path: String,
    /// How the IRaMuTeQ corpus is written.
    pub corpus: crate::export::iramuteq::IramuteqOptions,
    /// The last file an export of this screen wrote (offered to open).
    pub written: crate::ui::files::Written,
    /// The word table's own choices.
    pub words: super::analysis_words::WordChoices,
    pub(crate) dirty: bool,
    computed_version: Option<u64>,
    /// A computation is under way on another thread (the last results stay shown).
    pub computing: bool,
}

impl Default for AnalysisView {
    fn default() -> Self {
        AnalysisView {
            kind: TableKind::Frequencies,
            options: TableOptions::default(),
            by: String::new(),
            coder: None,
            filter_attribute: String::new(),
            filter_value: String::new(),
            tables: Vec::new(),
            chart: AnalysisChart::None,
            error: None,
            export_path: String::new(),
            export_format: TableFormat::Xlsx,
            report_path: String::new(),
            report_format: ReportFormat::Html,
            group_by: GroupBy::Code,
            pseudonymise: false,
            corpus_path: String::new(),
            corpus: Default::default(),
            written: Default::default(),
            words: Default::default(),
            dirty: true,
            computed_version: None,
            computing: false,
        }
    }
}

fn kind_key(kind: TableKind) -> &'static str {
    match kind {
        TableKind::Frequencies => "analysis.kind.frequencies",
        TableKind::Matrix => "analysis.kind.matrix",
        TableKind::Crosstab => "analysis.kind.crosstab",
        TableKind::Cooccurrence => "analysis.kind.cooccurrence",
        TableKind::Controversies => "analysis.kind.controversies",
        TableKind::Orientations => "analysis.kind.orientations",
        TableKind::Quotes => "analysis.kind.quotes",
        TableKind::RespondentMatrix => "analysis.kind.respondent_matrix",
        TableKind::Words => "analysis.kind.words",
    }
}

fn format_label(format: TableFormat) -> &'static str {
    match format {
        TableFormat::Csv => "CSV",
        TableFormat::Xlsx => "XLSX",
        TableFormat::Ods => "ODS",
        TableFormat::Markdown => "Markdown",
    }
}

fn report_label(format: ReportFormat) -> &'static str {
    match format {
        ReportFormat::Html => "HTML",
        ReportFormat::Markdown => "Markdown",
        ReportFormat::Docx => "DOCX",
        ReportFormat::Odt => "ODT",
    }
}

/// `path` with another extension, as typed text.
fn with_extension(path: &str, ext: &str) -> String {
    if path.trim().is_empty() {
        return String::new();
    }
    PathBuf::from(path.trim())
        .with_extension(ext)
        .display()
        .to_string()
}

impl AnalysisView {
    /// Whether the results are out of date for the project at `version`.
    pub fn needs_compute(&self, version: u64) -> bool {
        self.dirty || self.computed_version != Some(version)
    }

    /// Notes that the results for the project at `version` are being computed elsewhere
    /// (they are shown by [`AnalysisView::take_result`] when they come).
    pub fn mark_computing(&mut self, version: u64) {
        self.dirty = false;
        self.computed_version = Some(version);
    }

    /// Asks for a new computation after the frame.
    pub fn invalidate(&mut self) {
        self.dirty = true;
    }

    /// The filter the choices describe.
    pub fn filter(&self) -> AnalysisFilter {
        let mut filter = AnalysisFilter {
            coders: self.coder.iter().map(CoderId::to_string).collect(),
            ..AnalysisFilter::default()
        };
        if !self.filter_attribute.trim().is_empty() {
            filter.attributes.push((
                self.filter_attribute.trim().to_string(),
                self.filter_value.trim().to_string(),
            ));
        }
        if self.kind == TableKind::Words
            && let Some(code) = &self.words.code
        {
            filter.codes.push(code.clone());
        }
        filter
    }

    /// The options the choices describe.
    pub fn table_options(&self) -> TableOptions {
        TableOptions {
            by: (!self.by.trim().is_empty()).then(|| self.by.trim().to_string()),
            ..self.options.clone()
        }
    }

    /// Fills the export paths that are empty with files in `dir` named after the project.
    pub fn default_paths(&mut self, project: &Path, dir: &Path) {
        let stem = project
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "fouille".into());
        if self.export_path.is_empty() {
            self.export_path = dir
                .join(format!(
                    "{stem}-tableaux.{}",
                    self.export_format.extension()
                ))
                .display()
                .to_string();
        }
        if self.report_path.is_empty() {
            self.report_path = dir
                .join(format!("{stem}-rapport.{}", self.report_format.extension()))
                .display()
                .to_string();
        }
        if self.corpus_path.is_empty() {
            self.corpus_path = dir
                .join(format!("{stem}-iramuteq.txt"))
                .display()
                .to_string();
        }
    }

    /// The catalogue key of what to choose before the table can be computed (the cross-tab
    /// needs an attribute), if anything.
    pub fn missing_choice(&self) -> Option<&'static str> {
        (self.kind == TableKind::Crosstab && self.by.trim().is_empty())
            .then_some("analysis.crosstab_needs_by")
    }

    /// What to compute for the current choices, in `lang`.
    pub fn request(&self, lang: Lang) -> TableRequest {
        TableRequest {
            kind: self.kind,
            filter: self.filter(),
            options: self.table_options(),
            lang,
            pseudonymise: false,
        }
    }

    /// Recomputes the tables and the chart from the store (the project at `version`), on
    /// this thread (see [`crate::app::report::compute_table`]).
    pub fn compute(&mut self, project: &Project, tr: &crate::i18n::I18n, version: u64) {
        self.mark_computing(version);
        let result = crate::app::report::compute_table(project, &self.request(tr.language()));
        self.take_result(result.map_err(|e| crate::i18n::errors::app(tr, &e)));
    }

    /// Shows the outcome of a computation.
    pub fn take_result(&mut self, result: Result<TableOutcome, String>) {
        match result {
            Ok(outcome) => {
                self.tables = outcome.tables;
                self.chart = outcome.chart;
                self.error = None;
            }
            Err(e) => {
                self.tables.clear();
                self.chart = AnalysisChart::None;
                self.error = Some(e);
            }
        }
    }

    /// Draws the screen: the choices, the table(s), the chart and the exports; `busy` greys
    /// the exports while the worker runs.
    pub fn ui(&mut self, ui: &mut Ui, env: &Env, busy: bool, commands: &mut Vec<Command>) {
        let tr = env.tr;
        let before = (
            self.kind,
            self.by.clone(),
            self.coder.clone(),
            self.filter_attribute.clone(),
            self.filter_value.clone(),
            format!("{:?}", self.options),
        );
        ui.horizontal_wrapped(|ui| {
            for kind in TableKind::ALL {
                if ui
                    .selectable_label(
                        self.kind == kind,
                        RichText::new(tr.t(kind_key(kind))).strong(),
                    )
                    .clicked()
                {
                    self.kind = kind;
                }
            }
        });
        ui.separator();
        self.options_ui(ui, env);
        if self.kind == TableKind::Words {
            super::analysis_words::stop_words_ui(self, ui, env, commands);
        }
        self.filters_ui(ui, env);
        let after = (
            self.kind,
            self.by.clone(),
            self.coder.clone(),
            self.filter_attribute.clone(),
            self.filter_value.clone(),
            format!("{:?}", self.options),
        );
        if before != after {
            self.dirty = true;
        }
        egui::CollapsingHeader::new(tr.t("analysis.exports"))
            .default_open(true)
            .show(ui, |ui| self.exports_ui(ui, env, busy, commands));
        ui.separator();
        if self.computing {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(tr.t("analysis.computing"));
            });
        }
        if let Some(error) = &self.error {
            ui.colored_label(theme::ERROR, error);
        }
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                self.chart_ui(ui, env);
                for (i, table) in self.tables.iter().enumerate() {
                    ui.push_id(("analysis_table", i), |ui| table_ui(ui, table));
                    ui.add_space(12.0);
                }
            });
    }

    fn options_ui(&mut self, ui: &mut Ui, env: &Env) {
        if self.kind == TableKind::Words {
            return super::analysis_words::options_ui(self, ui, env);
        }
        let tr = env.tr;
        ui.horizontal_wrapped(|ui| {
            let needs_by = matches!(
                self.kind,
                TableKind::Crosstab | TableKind::Controversies | TableKind::Orientations
            );
            if needs_by {
                let label = ui.label(tr.t("analysis.by"));
                let shown = if self.by.is_empty() {
                    tr.t("analysis.none").to_string()
                } else {
                    self.by.clone()
                };
                egui::ComboBox::from_id_salt("analysis_by")
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.by, String::new(), tr.t("analysis.none"));
                        for a in &env.cache.attributes {
                            ui.selectable_value(&mut self.by, a.name.clone(), &a.name);
                        }
                    })
                    .response
                    .labelled_by(label.id);
            }
            if !matches!(
                self.kind,
                TableKind::Controversies | TableKind::Orientations | TableKind::Quotes
            ) {
                ui.checkbox(&mut self.options.rollup, tr.t("analysis.rollup"));
            }
            if matches!(self.kind, TableKind::Matrix | TableKind::RespondentMatrix) {
                ui.checkbox(&mut self.options.presence, tr.t("analysis.presence"));
            }
            if self.kind == TableKind::Crosstab {
                for (mode, key) in [
                    (PercentMode::Counts, "analysis.counts"),
                    (PercentMode::Row, "analysis.percent_row"),
                    (PercentMode::Column, "analysis.percent_column"),
                ] {
                    ui.radio_value(&mut self.options.percent, mode, tr.t(key));
                }
                ui.separator();
                for (unit, key) in [
                    (CountUnit::Excerpts, "analysis.unit_excerpts"),
                    (CountUnit::Respondents, "analysis.unit_respondents"),
                ] {
                    ui.radio_value(&mut self.options.unit, unit, tr.t(key));
                }
            }
            if self.kind == TableKind::Cooccurrence {
                for (mode, key) in [
                    (CooccurrenceMode::Overlap, "analysis.overlap"),
                    (CooccurrenceMode::Paragraph, "analysis.paragraph"),
                ] {
                    ui.radio_value(&mut self.options.cooccurrence, mode, tr.t(key));
                }
            }
            ui.checkbox(&mut self.options.pseudonyms, tr.t("analysis.pseudonyms"));
        });
    }

    fn filters_ui(&mut self, ui: &mut Ui, env: &Env) {
        let tr = env.tr;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(tr.t("analysis.coder"));
            let shown = self
                .coder
                .as_ref()
                .and_then(|g| env.cache.coders.iter().find(|c| &c.guid == g))
                .map(|c| c.name.clone())
                .unwrap_or_else(|| tr.t("analysis.all_coders").to_string());
            egui::ComboBox::from_id_salt("analysis_coder")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.coder, None, tr.t("analysis.all_coders"));
                    for c in &env.cache.coders {
                        ui.selectable_value(&mut self.coder, Some(c.guid.clone()), &c.name);
                    }
                })
                .response
                .labelled_by(label.id);
            ui.separator();
            let label = ui.label(tr.t("analysis.filter"));
            let shown = if self.filter_attribute.is_empty() {
                tr.t("analysis.none").to_string()
            } else {
                self.filter_attribute.clone()
            };
            egui::ComboBox::from_id_salt("analysis_filter_attribute")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    ui.selectable_value(
                        &mut self.filter_attribute,
                        String::new(),
                        tr.t("analysis.none"),
                    );
                    for a in &env.cache.attributes {
                        ui.selectable_value(&mut self.filter_attribute, a.name.clone(), &a.name);
                    }
                })
                .response
                .labelled_by(label.id);
            ui.label("=");
            ui.add(
                egui::TextEdit::singleline(&mut self.filter_value)
                    .desired_width(140.0)
                    .hint_text(tr.t("analysis.value")),
            );
        });
    }

    fn exports_ui(&mut self, ui: &mut Ui, env: &Env, busy: bool, commands: &mut Vec<Command>) {
        let tr = env.tr;
        ui.checkbox(&mut self.pseudonymise, tr.t("analysis.pseudonymise"))
            .on_hover_text(tr.t("analysis.pseudonymise_help"));
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(tr.t("analysis.export_tables"));
            for format in [
                TableFormat::Xlsx,
                TableFormat::Ods,
                TableFormat::Csv,
                TableFormat::Markdown,
            ] {
                if ui
                    .radio(self.export_format == format, format_label(format))
                    .clicked()
                {
                    self.export_format = format;
                    self.export_path = with_extension(&self.export_path, format.extension());
                }
            }
            ui.add(egui::TextEdit::singleline(&mut self.export_path).desired_width(360.0))
                .labelled_by(label.id);
            let can = !busy && !self.tables.is_empty() && !self.export_path.trim().is_empty();
            if ui
                .add_enabled(can, egui::Button::new(tr.t("analysis.export_button")))
                .clicked()
            {
                commands.push(Command::Export(Export::Tables {
                    path: PathBuf::from(self.export_path.trim()),
                    format: self.export_format,
                    pseudonymise: self.pseudonymise,
                }));
            }
        });
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(tr.t("analysis.report"));
            for format in ReportFormat::ALL {
                if ui
                    .radio(self.report_format == format, report_label(format))
                    .clicked()
                {
                    self.report_format = format;
                    self.report_path = with_extension(&self.report_path, format.extension());
                }
            }
            egui::ComboBox::from_id_salt("report_group_by")
                .selected_text(tr.t(group_key(self.group_by)))
                .show_ui(ui, |ui| {
                    for g in [GroupBy::Code, GroupBy::Controversy, GroupBy::Orientation] {
                        ui.selectable_value(&mut self.group_by, g, tr.t(group_key(g)));
                    }
                })
                .response
                .labelled_by(label.id);
            ui.add(egui::TextEdit::singleline(&mut self.report_path).desired_width(300.0))
                .labelled_by(label.id);
            let can = !busy && !self.report_path.trim().is_empty();
            if ui
                .add_enabled(can, egui::Button::new(tr.t("analysis.report_button")))
                .clicked()
            {
                commands.push(Command::Export(Export::Report {
                    path: PathBuf::from(self.report_path.trim()),
                    format: self.report_format,
                    group_by: self.group_by,
                    pseudonymise: self.pseudonymise,
                }));
            }
        });
        self.corpus_ui(ui, env, busy, commands);
        self.written_ui(ui, env, commands);
    }

    fn chart_ui(&self, ui: &mut Ui, env: &Env) {
        let tr = env.tr;
        match &self.chart {
            AnalysisChart::Bars(bars) if self.kind == TableKind::Words => {
                super::analysis_words::chart_ui(ui, env, bars)
            }
            AnalysisChart::None => {}
            AnalysisChart::Bars(bars) if !bars.is_empty() => {
                ui.label(RichText::new(tr.t("analysis.chart_frequencies")).strong());
                let shown: Vec<&charts::Bar> = bars.iter().take(30).collect();
                let n = shown.len();
                let plot_bars: Vec<Bar> = shown
                    .iter()
                    .enumerate()
                    .map(|(i, b)| {
                        Bar::new((n - i) as f64, b.value)
                            .name(&b.path)
                            .fill(theme::code_color(&b.color))
                            .horizontal()
                            .width(0.7)
                    })
                    .collect();
                let max = shown.iter().map(|b| b.value).fold(1.0_f64, f64::max);
                let texts: Vec<(f64, f64, String)> = shown
                    .iter()
                    .enumerate()
                    .map(|(i, b)| {
                        let label: String = b.label.chars().take(40).collect();
                        ((n - i) as f64, b.value, format!("{label} ({})", b.value))
                    })
                    .collect();
                Plot::new("frequency_chart")
                    .height((n as f32 * 17.0 + 40.0).clamp(140.0, 480.0))
                    .allow_scroll(false)
                    .allow_drag(false)
                    .allow_zoom(false)
                    .show_axes([true, false])
                    .include_x(0.0)
                    .include_x(max * 1.6)
                    .show(ui, |plot| {
                        plot.bar_chart(BarChart::new(tr.t("analysis.excerpts"), plot_bars));
                        for (y, x, text) in texts {
                            plot.text(
                                egui_plot::Text::new(
                                    "label",
                                    egui_plot::PlotPoint::new(x + max * 0.01, y),
                                    RichText::new(text).size(12.0).color(theme::INK),
                                )
                                .anchor(egui::Align2::LEFT_CENTER),
                            );
                        }
                    });
            }
            AnalysisChart::Balance(bars) if !bars.is_empty() => {
                ui.label(RichText::new(tr.t("analysis.chart_balance")).strong());
                balance_ui(ui, bars);
            }
            AnalysisChart::Heat(heat) if !heat.row_labels.is_empty() => {
                ui.label(RichText::new(&heat.title).strong());
                heatmap_ui(ui, heat);
            }
            _ => {}
        }
        ui.add_space(8.0);
    }
}

fn group_key(g: GroupBy) -> &'static str {
    match g {
        GroupBy::Code => "analysis.group_code",
        GroupBy::Controversy => "analysis.group_controversy",
        GroupBy::Orientation => "analysis.group_orientation",
    }
}
