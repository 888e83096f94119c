//! The panel of a screen still to come (Analysis: issue 4; Team: issue 5). Those issues
//! replace this with their own view in `views/`.

use egui::{RichText, Ui};

use crate::ui::i18n::I18n;
use crate::ui::state::Screen;
use crate::ui::theme;

/// Draws the "coming" panel of a screen.
pub fn placeholder_ui(ui: &mut Ui, tr: &I18n, screen: Screen) {
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.25);
        ui.label(RichText::new(tr.t(screen.label_key())).size(26.0).strong());
        ui.add_space(8.0);
        ui.label(
            RichText::new(tr.t("placeholder.coming"))
                .size(16.0)
                .color(theme::INK_SOFT),
        );
        let detail = match screen {
            Screen::Analysis => tr.t("placeholder.analysis"),
            Screen::Team => tr.t("placeholder.team"),
            _ => "",
        };
        ui.label(RichText::new(detail).color(theme::INK_SOFT));
    });
}
