//! Small reusable pieces: colour swatches, shortened text, the quick-code popup and the
//! modal dialogs.

pub mod audio_player;
mod backups_dialog;
pub mod browse;
mod code_dialogs;
pub mod code_picker;
pub mod modals;
mod project_dialogs;
pub mod quick_code;
mod transcribe_dialogs;

use egui::{Color32, Response, Sense, Ui, vec2};

/// A small rounded square of a code's colour.
pub fn color_swatch(ui: &mut Ui, color: Color32) -> Response {
    let (rect, response) = ui.allocate_exact_size(vec2(12.0, 12.0), Sense::hover());
    ui.painter().rect_filled(rect, 3.0, color);
    response
}

/// A small filled circle (a status light).
pub fn dot(ui: &mut Ui, color: Color32) -> Response {
    let (rect, response) = ui.allocate_exact_size(vec2(10.0, 10.0), Sense::hover());
    ui.painter().circle_filled(rect.center(), 4.0, color);
    response
}

/// `text` cut to at most `max_chars` chars (on a char boundary), with an ellipsis, and on
/// one line.
pub fn shorten(text: &str, max_chars: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max_chars {
        return one_line;
    }
    let mut out: String = one_line.chars().take(max_chars.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Folds a name for matching typed filters: lower case, accents removed.
pub fn fold(text: &str) -> String {
    let (chars, _) = crate::store::search::fold_for_match(text);
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_on_char_boundaries() {
        assert_eq!(shorten("Élan   vital\n", 20), "Élan vital");
        assert_eq!(shorten("😅😅😅😅", 3), "😅😅…");
        assert_eq!(fold("Élan Œuvre"), "elan oeuvre");
    }
}
