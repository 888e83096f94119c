//! The word table on the Analysis screen: its options (broken down by an attribute, or only
//! the passages coded with a code; shortest word; how many words), its bar chart, and the
//! editor of the French and English stop-word lists the project keeps.

use egui::{RichText, Ui};

use super::analysis::AnalysisView;
use crate::analysis::charts::Bar;
use crate::analysis::words::DEFAULT_TOP;
use crate::lexical::stopwords::{StopList, StopWordEdits};
use crate::ui::command::{Command, Work};
use crate::ui::env::Env;
use crate::ui::theme;
use crate::ui::widgets::code_picker::{Codes, code_picker};

/// Most bars drawn.
const MAX_BARS: usize = 30;

/// What the word table's view keeps besides the table options.
#[derive(Debug, Clone, Default)]
pub struct WordChoices {
    /// Count only the passages coded with this code or a sub-code (GUID).
    pub code: Option<String>,
    code_filter: String,
    /// The word being typed to add to the French list, then the English one.
    pub new_word: [String; 2],
}

/// The word table's options.
pub(super) fn options_ui(view: &mut AnalysisView, ui: &mut Ui, env: &Env) {
    let tr = env.tr;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(tr.t("words.by"));
        let shown = if view.by.is_empty() {
            tr.t("analysis.none").to_string()
        } else {
            view.by.clone()
        };
        egui::ComboBox::from_id_salt("words_by")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut view.by, String::new(), tr.t("analysis.none"));
                for a in &env.cache.attributes {
                    ui.selectable_value(&mut view.by, a.name.clone(), &a.name);
                }
            })
            .response
            .labelled_by(label.id);
        ui.separator();
        let choices = &mut view.words;
        if code_picker(
            ui,
            env,
            "words_code",
            tr.t("words.code"),
            Codes::All,
            &mut choices.code,
            &mut choices.code_filter,
        ) {
            view.dirty = true;
        }
        if view.words.code.is_some() && ui.small_button(tr.t("words.all_text")).clicked() {
            view.words.code = None;
            view.dirty = true;
        }
        ui.separator();
        let words = &mut view.options.words;
        let mut min = words.min_length.unwrap_or(2);
        let label = ui.label(tr.t("words.min_length"));
        ui.add(egui::DragValue::new(&mut min).range(1..=30))
            .labelled_by(label.id);
        words.min_length = Some(min);
        let mut top = words.top.unwrap_or(DEFAULT_TOP);
        let label = ui.label(tr.t("words.top"));
        ui.add(egui::DragValue::new(&mut top).range(5..=1000))
            .labelled_by(label.id);
        words.top = Some(top);
    });
}

/// The stop-word lists, French and English side by side: a word's button takes it out,
/// a field adds one (Enter), a button puts the list back as built in. Each change is kept
/// in the project at once.
pub(super) fn stop_words_ui(
    view: &mut AnalysisView,
    ui: &mut Ui,
    env: &Env,
    commands: &mut Vec<Command>,
) {
    let tr = env.tr;
    egui::CollapsingHeader::new(tr.t("words.stop_words"))
        .id_salt("stop_words_editor")
        .show(ui, |ui| {
            ui.label(
                RichText::new(tr.t("words.stop_words_help"))
                    .small()
                    .color(theme::INK_SOFT),
            );
            ui.columns(2, |columns| {
                for (i, (list, ui)) in [StopList::French, StopList::English]
                    .into_iter()
                    .zip(columns.iter_mut())
                    .enumerate()
                {
                    ui.push_id(("stop_list", i), |ui| {
                        list_ui(ui, env, list, &mut view.words.new_word[i], commands)
                    });
                }
            });
        });
}

/// One list of the editor.
fn list_ui(
    ui: &mut Ui,
    env: &Env,
    list: StopList,
    new_word: &mut String,
    commands: &mut Vec<Command>,
) {
    let tr = env.tr;
    let edits = &env.cache.stop_words;
    let words = edits.words(list);
    let (title, add, reset) = match list {
        StopList::French => ("words.french", "words.add_french", "words.reset_french"),
        StopList::English => ("words.english", "words.add_english", "words.reset_english"),
    };
    let mut changed: Option<StopWordEdits> = None;
    ui.strong(tr.f(title, &[("n", &tr.number(words.len()))]));
    ui.horizontal(|ui| {
        let label = ui.label(tr.t(add));
        let edit = ui
            .add(egui::TextEdit::singleline(new_word).desired_width(140.0))
            .labelled_by(label.id);
        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if enter || ui.button(tr.t("words.add")).clicked() {
            let mut next = edits.clone();
            if next.add(list, new_word) {
                changed = Some(next);
            }
            new_word.clear();
        }
        let default = *edits.changes(list) == Default::default();
        if ui
            .add_enabled(!default, egui::Button::new(tr.t(reset)))
            .clicked()
        {
            let mut next = edits.clone();
            next.reset(list);
            changed = Some(next);
        }
    });
    egui::ScrollArea::vertical()
        .max_height(150.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                for word in &words {
                    let button = ui
                        .small_button(format!("{word} ×"))
                        .on_hover_text(tr.t("words.remove"));
                    if button.clicked() {
                        let mut next = edits.clone();
                        next.remove(list, word);
                        changed = Some(next);
                    }
                }
            });
        });
    if let Some(next) = changed {
        commands.push(Command::Work(Work::SetStopWords(next)));
    }
}

/// The most frequent words as horizontal bars, longest first, each labelled with its word
/// and count.
pub(super) fn chart_ui(ui: &mut Ui, env: &Env, bars: &[Bar]) {
    if bars.is_empty() {
        return;
    }
    ui.label(RichText::new(env.tr.t("words.chart")).strong());
    let max = bars.iter().map(|b| b.value).fold(1.0_f64, f64::max);
    let width = (ui.available_width() - 200.0).clamp(120.0, 600.0);
    egui::Grid::new("word_bars")
        .num_columns(2)
        .spacing([8.0, 2.0])
        .show(ui, |ui| {
            for bar in bars.iter().take(MAX_BARS) {
                ui.label(&bar.label);
                let w = (width * (bar.value / max) as f32).max(2.0);
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(width + 60.0, 16.0), egui::Sense::hover());
                let filled = egui::Rect::from_min_size(rect.min, egui::vec2(w, rect.height()));
                ui.painter()
                    .rect_filled(filled, 2.0, theme::code_color(&bar.color));
                ui.painter().text(
                    egui::pos2(filled.right() + 4.0, rect.center().y),
                    egui::Align2::LEFT_CENTER,
                    env.tr.number(bar.value as usize),
                    egui::FontId::proportional(12.0),
                    theme::INK,
                );
                ui.end_row();
            }
        });
    ui.add_space(8.0);
}
