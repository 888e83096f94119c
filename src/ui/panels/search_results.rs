//! What a search found, under the search box: the counts by document and respondent, the
//! concordance (each hit aligned on the matched words, in monospace) with a tick per hit,
//! coding the ticked hits, and exporting the concordance.

use egui::text::{LayoutJob, TextFormat};
use egui::{FontId, RichText, Sense, Ui};
use egui_extras::{Column, TableBuilder};

use super::search::{CONTEXT_CHARS, SearchPanel, Ticks, passage_ref, unit_key};
use crate::app::lexical::{Concordance, HitCount, SearchOverview};
use crate::export::tables::TableFormat;
use crate::lexical::kwic::KwicSort;
use crate::lexical::units::Unit;
use crate::ui::command::{Command, Export, Navigation, Work};
use crate::ui::env::Env;
use crate::ui::theme;
use crate::ui::widgets::code_picker::{Codes, code_picker};

/// Most documents or respondents named in the counts.
const MAX_COUNTS: usize = 40;

/// Draws the results of the last search (there is one).
pub(super) fn results_ui(
    panel: &mut SearchPanel,
    ui: &mut Ui,
    env: &Env,
    commands: &mut Vec<Command>,
) {
    let Some(overview) = panel.overview.as_ref() else {
        return;
    };
    counts_ui(ui, env, overview);
    sort_row(panel, ui, env);
    autocode_row(panel, ui, env, commands);
    export_row(panel, ui, env, commands);
    concordance_ui(panel, ui, env, commands);
}

/// How many passages in all, in how many documents and for how many respondents, and
/// (unfolded) how many in each.
fn counts_ui(ui: &mut Ui, env: &Env, overview: &SearchOverview) {
    let tr = env.tr;
    let r = &overview.results;
    let mut summary = tr.f(
        "search.summary",
        &[
            ("n", &tr.number(r.total)),
            ("documents", &tr.number(r.documents.len())),
            ("respondents", &tr.number(r.respondents.len())),
        ],
    );
    if overview.lines.len() < r.total {
        summary.push_str(&tr.f("search.shown", &[("n", &tr.number(overview.lines.len()))]));
    }
    egui::CollapsingHeader::new(RichText::new(summary).strong())
        .id_salt("search_counts")
        .show(ui, |ui| {
            count_line(ui, env, "search.by_document", &r.documents);
            count_line(ui, env, "search.by_respondent", &r.respondents);
        });
}

fn count_line(ui: &mut Ui, env: &Env, key: &str, counts: &[HitCount]) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(env.tr.t(key)).color(theme::INK_SOFT));
        for c in counts.iter().take(MAX_COUNTS) {
            ui.label(format!("{} ({})", c.name, env.tr.number(c.hits)));
        }
        if counts.len() > MAX_COUNTS {
            ui.label("…");
        }
    });
}

/// The order of the lines, and "all" ticked.
fn sort_row(panel: &mut SearchPanel, ui: &mut Ui, env: &Env) {
    let tr = env.tr;
    ui.horizontal_wrapped(|ui| {
        ui.label(tr.t("search.sort"));
        let before = panel.sort;
        for (sort, key) in [
            (KwicSort::Document, "search.sort_document"),
            (KwicSort::Left, "search.sort_left"),
            (KwicSort::Right, "search.sort_right"),
        ] {
            ui.radio_value(&mut panel.sort, sort, tr.t(key));
        }
        if panel.sort != before
            && let Some(overview) = panel.overview.as_mut()
        {
            crate::app::lexical::sort_concordance(&mut overview.lines, panel.sort);
        }
        ui.separator();
        let total = panel.overview.as_ref().map_or(0, |o| o.results.total);
        let mut all = panel.ticks.all;
        let label = tr.f("search.tick_all", &[("n", &tr.number(total))]);
        if ui.checkbox(&mut all, label).changed() {
            panel.ticks = Ticks {
                all,
                some: Default::default(),
            };
        }
    });
}

/// Coding the ticked hits: the code, the unit, the preview, the button.
fn autocode_row(panel: &mut SearchPanel, ui: &mut Ui, env: &Env, commands: &mut Vec<Command>) {
    let tr = env.tr;
    ui.horizontal_wrapped(|ui| {
        let ticked = if panel.ticks.all {
            panel.overview.as_ref().map_or(0, |o| o.results.total)
        } else {
            panel.ticks.some.len()
        };
        code_picker(
            ui,
            env,
            "search_autocode_code",
            &tr.f("search.autocode_with", &[("n", &tr.number(ticked))]),
            Codes::Codable,
            &mut panel.code,
            &mut panel.code_filter,
        );
        ui.label(tr.t("search.autocode_unit"));
        for unit in [Unit::Word, Unit::Sentence, Unit::Paragraph, Unit::Turn] {
            ui.radio_value(&mut panel.unit, unit, tr.t(unit_key(unit)));
        }
        let wanted = panel.autocode_request();
        let plan = panel
            .plan
            .as_ref()
            .filter(|(v, r, _)| *v == env.cache.version && Some(r) == wanted.as_ref());
        let ready = match plan.map(|(_, _, p)| p) {
            Some(Ok(plan)) => {
                let already = plan.codings.len() - plan.new;
                let text = tr.f(
                    "search.preview",
                    &[
                        ("new", &tr.number(plan.new)),
                        ("already", &tr.number(already)),
                    ],
                );
                ui.label(RichText::new(text).color(theme::INK_SOFT));
                plan.new > 0
            }
            Some(Err(e)) => {
                ui.colored_label(theme::ERROR, e);
                false
            }
            None if panel.plan_asked.is_some() => {
                ui.spinner();
                false
            }
            None => false,
        };
        let button = egui::Button::new(tr.t("search.autocode"));
        if ui.add_enabled(ready, button).clicked()
            && let Some(request) = wanted
        {
            commands.push(Command::Work(Work::Autocode(request)));
        }
    });
}

/// Exporting the concordance (every hit, in the order shown) to a table file.
fn export_row(panel: &mut SearchPanel, ui: &mut Ui, env: &Env, commands: &mut Vec<Command>) {
    let tr = env.tr;
    ui.horizontal_wrapped(|ui| {
        ui.label(tr.t("search.export"));
        for (format, name) in [
            (TableFormat::Csv, "CSV"),
            (TableFormat::Xlsx, "XLSX"),
            (TableFormat::Ods, "ODS"),
        ] {
            if ui
                .radio_value(&mut panel.export_format, format, name)
                .changed()
                && !panel.export_path.trim().is_empty()
            {
                panel.export_path = std::path::Path::new(panel.export_path.trim())
                    .with_extension(format.extension())
                    .display()
                    .to_string();
            }
        }
        let label = ui.label(tr.t("search.export_file"));
        ui.add(egui::TextEdit::singleline(&mut panel.export_path).desired_width(300.0))
            .labelled_by(label.id);
        let can = !panel.export_path.trim().is_empty() && panel.searched.is_some();
        if ui
            .add_enabled(can, egui::Button::new(tr.t("search.export_button")))
            .clicked()
            && let Some(request) = panel.searched.clone()
        {
            commands.push(Command::Export(Export::Concordance {
                request,
                sort: panel.sort,
                path: std::path::PathBuf::from(panel.export_path.trim()),
                format: panel.export_format,
            }));
        }
    });
}

/// The concordance: a tick, the document, the respondent, and the line aligned on the hit
/// (a click opens the document there).
fn concordance_ui(panel: &mut SearchPanel, ui: &mut Ui, env: &Env, commands: &mut Vec<Command>) {
    let tr = env.tr;
    let Some(overview) = panel.overview.as_ref() else {
        return;
    };
    let lines = &overview.lines;
    let ticks = &mut panel.ticks;
    let mut clicked = None;
    TableBuilder::new(ui)
        .id_salt("search_concordance")
        .striped(true)
        .auto_shrink([false, false])
        .column(Column::exact(54.0))
        .column(
            Column::initial(150.0)
                .at_least(60.0)
                .resizable(true)
                .clip(true),
        )
        .column(
            Column::initial(120.0)
                .at_least(60.0)
                .resizable(true)
                .clip(true),
        )
        .column(Column::remainder().clip(true))
        .header(20.0, |mut header| {
            header.col(|_| {});
            header.col(|ui| {
                ui.strong(tr.t("search.col_document"));
            });
            header.col(|ui| {
                ui.strong(tr.t("search.col_respondent"));
            });
            header.col(|ui| {
                ui.strong(tr.t("search.col_concordance"));
            });
        })
        .body(|body| {
            body.rows(20.0, lines.len(), |mut row| {
                let i = row.index();
                let line = &lines[i];
                row.col(|ui| tick_ui(ui, ticks, line, lines, i));
                row.col(|ui| {
                    ui.add(egui::Label::new(&line.document).truncate());
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(line.respondent.as_deref().unwrap_or("—")).truncate());
                });
                row.col(|ui| {
                    if line_ui(ui, line).clicked() {
                        clicked = Some(i);
                    }
                });
            });
        });
    if let Some(line) = clicked.map(|i| &lines[i]) {
        commands.push(Command::Go(Navigation::JumpTo {
            document: line.document_guid.clone(),
            start: line.line.span.start,
            end: line.line.span.end,
        }));
    }
}

/// The tick of line `i` (numbered from 1); unticking one while all are ticked keeps the
/// others shown ticked.
fn tick_ui(ui: &mut Ui, ticks: &mut Ticks, line: &Concordance, lines: &[Concordance], i: usize) {
    let key = passage_ref(line);
    let mut on = ticks.all || ticks.some.contains(&key);
    if ui.checkbox(&mut on, (i + 1).to_string()).changed() {
        if ticks.all {
            ticks.all = false;
            ticks.some = lines.iter().map(passage_ref).collect();
        }
        if on {
            ticks.some.insert(key);
        } else {
            ticks.some.remove(&key);
        }
    }
}

/// Size of the concordance's monospace font, points.
const LINE_FONT: f32 = 12.5;

/// One line in monospace: the left context cut and padded to two fifths of the column
/// (at most its full width), so that every hit starts at the same place; the hit marked;
/// the right context.
fn line_ui(ui: &mut Ui, line: &Concordance) -> egui::Response {
    let font = FontId::monospace(LINE_FONT);
    // A monospace glyph is about six tenths of the font size wide.
    let columns = (ui.available_width() / (LINE_FONT * 0.6)) as usize;
    let shown = (columns * 2 / 5).clamp(8, CONTEXT_CHARS);
    let plain = TextFormat {
        font_id: font.clone(),
        color: theme::INK_SOFT,
        ..TextFormat::default()
    };
    let left_chars = line.line.left.chars().count();
    let left: String = line
        .line
        .left
        .chars()
        .skip(left_chars.saturating_sub(shown))
        .collect();
    let pad = " ".repeat(shown.saturating_sub(left.chars().count()));
    let mut job = LayoutJob::default();
    job.append(&format!("{pad}{left}"), 0.0, plain.clone());
    job.append(
        &line.line.matched,
        0.0,
        TextFormat {
            color: theme::INK,
            background: theme::SEARCH_HIT,
            ..plain.clone()
        },
    );
    job.append(&line.line.right, 0.0, plain);
    job.wrap = egui::text::TextWrapping::truncate_at_width(ui.available_width());
    ui.add(
        egui::Label::new(job)
            .sense(Sense::click())
            .selectable(false),
    )
}
