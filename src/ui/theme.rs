//! Every colour and size of the app lives here, so that a colour is changed in one place
//! and the panels stay consistent with each other and with the exports' code colours.

use egui::{Color32, CornerRadius, FontId, Margin, Stroke, Style, Theme, Visuals};

/// Warm paper background of the document view.
pub const PAPER: Color32 = Color32::from_rgb(0xfd, 0xfc, 0xf8);
/// Background of the side panels.
pub const PANEL: Color32 = Color32::from_rgb(0xf3, 0xf2, 0xee);
/// Background of the top and status bars.
pub const BAR: Color32 = Color32::from_rgb(0xe9, 0xe7, 0xe1);
/// Main text colour, a near black.
pub const INK: Color32 = Color32::from_rgb(0x22, 0x25, 0x2b);
/// Speaker names opening a turn of an interview.
pub const SPEAKER: Color32 = Color32::from_rgb(0x2a, 0x5d, 0x78);
/// Secondary text (hints, counts), a grey.
pub const INK_SOFT: Color32 = Color32::from_rgb(0x6a, 0x6f, 0x78);
/// Accent colour (buttons, selection outline, links).
pub const ACCENT: Color32 = Color32::from_rgb(0x2f, 0x6f, 0x8f);
/// Fill of selected list rows.
pub const SELECTED_ROW: Color32 = Color32::from_rgb(0xd6, 0xe6, 0xee);
/// The text selection in the document view.
pub const TEXT_SELECTION: Color32 = Color32::from_rgba_unmultiplied_const(0x2f, 0x6f, 0x8f, 0x48);
/// Inside of check boxes and radio buttons.
pub const CHECK_FILL: Color32 = Color32::WHITE;
/// Thin separators between rows and panels.
pub const RULE: Color32 = Color32::from_rgb(0xd8, 0xd5, 0xcd);
/// Success messages, a green.
pub const OK: Color32 = Color32::from_rgb(0x2e, 0x7d, 0x32);
/// Warnings, an amber.
pub const WARN: Color32 = Color32::from_rgb(0xb2, 0x6a, 0x00);
/// Text on an accent-coloured badge.
pub const ON_ACCENT: Color32 = Color32::WHITE;
/// Errors, a red.
pub const ERROR: Color32 = Color32::from_rgb(0xb0, 0x24, 0x1c);
/// Search hits in context.
pub const SEARCH_HIT: Color32 = Color32::from_rgb(0xff, 0xe0, 0x82);
/// Drop target highlight while dragging a code.
pub const DROP_TARGET: Color32 = Color32::from_rgb(0xb7, 0xd7, 0xe6);
/// Neutral grey for codes whose colour cannot be read.
pub const FALLBACK_CODE: Color32 = Color32::from_rgb(0x90, 0x90, 0x90);

/// Alpha of a coding's tint behind the text (overlaps stack visibly).
pub const TINT_ALPHA: u8 = 46;
/// Thickness of a coding underline, points.
pub const UNDERLINE_WIDTH: f32 = 2.0;
/// Vertical step between stacked underlines, points.
pub const UNDERLINE_STEP: f32 = 3.0;
/// Underlines drawn per row at most (the margin bars show every coding).
pub const MAX_UNDERLINES: usize = 3;
/// Width of one margin bar, points.
pub const BAR_WIDTH: f32 = 4.0;
/// Gap between margin bars, points.
pub const BAR_GAP: f32 = 2.0;
/// Margin bars drawn at most (more overlapping codings show as a "+n" mark).
pub const MAX_BARS: usize = 8;

/// Default size of the document text, points.
pub const DEFAULT_TEXT_SIZE: f32 = 16.0;
/// Line height as a multiple of the text size (room for stacked underlines).
pub const LINE_HEIGHT_FACTOR: f32 = 1.65;

/// A code's colour from its `#rrggbb` string.
pub fn code_color(hex: &str) -> Color32 {
    let h = hex.trim().trim_start_matches('#');
    if h.len() != 6 || !h.is_ascii() {
        return FALLBACK_CODE;
    }
    let byte = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    match (byte(0), byte(2), byte(4)) {
        (Some(r), Some(g), Some(b)) => Color32::from_rgb(r, g, b),
        _ => FALLBACK_CODE,
    }
}

/// A code colour as `#rrggbb`.
pub fn color_hex(color: Color32) -> String {
    format!("#{:02x}{:02x}{:02x}", color.r(), color.g(), color.b())
}

/// The translucent tint of a code colour behind coded text.
pub fn tint(color: Color32) -> Color32 {
    Color32::from_rgba_unmultiplied(color.r(), color.g(), color.b(), TINT_ALPHA)
}

/// Font of the document text.
pub fn text_font(size: f32) -> FontId {
    FontId::proportional(size)
}

/// Applies the app's look to a context: a light, paper-like theme.
pub fn apply(ctx: &egui::Context) {
    ctx.set_theme(Theme::Light);
    ctx.style_mut_of(Theme::Light, style);
}

fn style(style: &mut Style) {
    let mut visuals = Visuals::light();
    visuals.panel_fill = PANEL;
    visuals.window_fill = PAPER;
    visuals.extreme_bg_color = Color32::WHITE;
    visuals.faint_bg_color = Color32::from_rgb(0xf7, 0xf6, 0xf2);
    visuals.override_text_color = Some(INK);
    visuals.hyperlink_color = ACCENT;
    visuals.selection.bg_fill = SELECTED_ROW;
    visuals.selection.stroke = Stroke::new(1.0, ACCENT);
    visuals.window_corner_radius = CornerRadius::same(8);
    visuals.menu_corner_radius = CornerRadius::same(6);
    visuals.widgets.noninteractive.bg_stroke = Stroke::new(1.0, RULE);
    visuals.widgets.inactive.corner_radius = CornerRadius::same(4);
    // Check boxes and radio buttons stand out from the bars they sit on.
    visuals.widgets.inactive.bg_fill = CHECK_FILL;
    visuals.widgets.inactive.bg_stroke = Stroke::new(1.0, RULE);
    visuals.widgets.hovered.corner_radius = CornerRadius::same(4);
    visuals.widgets.active.corner_radius = CornerRadius::same(4);
    style.visuals = visuals;
    style.spacing.item_spacing = egui::vec2(8.0, 5.0);
    style.spacing.button_padding = egui::vec2(8.0, 3.0);
    style.spacing.window_margin = Margin::same(12);
    style.interaction.tooltip_delay = 0.25;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_code_colours() {
        assert_eq!(code_color("#c0392b"), Color32::from_rgb(0xc0, 0x39, 0x2b));
        assert_eq!(code_color("nonsense"), FALLBACK_CODE);
        assert_eq!(code_color("#é12345"), FALLBACK_CODE);
        assert_eq!(color_hex(Color32::from_rgb(1, 2, 255)), "#0102ff");
    }
}
