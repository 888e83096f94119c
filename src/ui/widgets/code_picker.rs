//! A code chosen in a drop-down list of the codebook's paths, narrowed by typing part of a
//! name (accents and case ignored, as in the quick-code popup).

use egui::{ComboBox, Ui};

use super::fold;
use crate::model::CodeId;
use crate::ui::env::Env;

/// At most this many codes are listed at once (typing narrows the list).
const MAX_LISTED: usize = 200;

/// What the picker offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codes {
    /// Codes that can receive codings (to code with).
    Codable,
    /// Every code, folders included (to look inside what is coded with it or below it).
    All,
}

/// The picker, labelled `label`: the code chosen (GUID) in `selected`, what is typed to
/// narrow the list in `filter`. Returns whether the choice changed.
pub fn code_picker(
    ui: &mut Ui,
    env: &Env,
    id_salt: &str,
    label: &str,
    codes: Codes,
    selected: &mut Option<String>,
    filter: &mut String,
) -> bool {
    let tr = env.tr;
    let before = selected.clone();
    let label = ui.label(label);
    let shown = match selected.as_deref() {
        Some(guid) if env.cache.code(&CodeId::new(guid)).is_some() => {
            env.code_path(&CodeId::new(guid))
        }
        _ => tr.t("lexical.pick_code").to_string(),
    };
    ComboBox::from_id_salt(id_salt)
        .selected_text(shown)
        .width(240.0)
        .height(320.0)
        .show_ui(ui, |ui| {
            ui.add(
                egui::TextEdit::singleline(filter)
                    .hint_text(tr.t("quick.hint"))
                    .desired_width(f32::INFINITY),
            );
            let wanted = fold(filter.trim());
            let listed = env
                .cache
                .codes
                .iter()
                .filter(|e| codes == Codes::All || e.code.kind.is_codable())
                .map(|e| (e.code.guid.as_str(), env.code_path(&e.code.guid)))
                .filter(|(_, path)| wanted.is_empty() || fold(path).contains(&wanted))
                .take(MAX_LISTED);
            for (guid, path) in listed {
                ui.selectable_value(selected, Some(guid.to_string()), path);
            }
        })
        .response
        .labelled_by(label.id);
    *selected != before
}
