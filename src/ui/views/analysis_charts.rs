//! Drawing of the Analysis screen's results: a table in a grid, the controversy balance
//! as diverging bars, a heat map as painted cells.

use egui::{Color32, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::analysis::Table;
use crate::analysis::charts::{BalanceBar, Heatmap};
use crate::ui::theme;

/// One table in a grid (header row, then the rows), with its title and notes.
pub(crate) fn table_ui(ui: &mut Ui, table: &Table) {
    ui.label(RichText::new(&table.title).strong().size(15.0));
    if table.columns.is_empty() {
        return;
    }
    let first = Column::initial(360.0).at_least(160.0).resizable(true);
    let mut builder = TableBuilder::new(ui)
        .striped(true)
        .vscroll(false)
        .column(first);
    for _ in 1..table.columns.len() {
        builder = builder.column(Column::auto().at_least(60.0).resizable(true));
    }
    builder
        .header(22.0, |mut header| {
            for c in &table.columns {
                header.col(|ui| {
                    ui.strong(c);
                });
            }
        })
        .body(|body| {
            body.rows(20.0, table.rows.len(), |mut row| {
                let cells = &table.rows[row.index()];
                for i in 0..table.columns.len() {
                    row.col(|ui| {
                        let text = cells.get(i).map(|c| c.display()).unwrap_or_default();
                        ui.add(egui::Label::new(text).truncate());
                    });
                }
            });
        });
    for note in &table.notes {
        ui.label(RichText::new(note).italics().color(theme::INK_SOFT));
    }
}

/// Diverging bars: pole A to the left, pole B to the right of a centre line.
pub(crate) fn balance_ui(ui: &mut Ui, bars: &[BalanceBar]) {
    let max = bars
        .iter()
        .map(|b| b.count_a.max(b.count_b))
        .max()
        .unwrap_or(1)
        .max(1) as f32;
    let width = ui.available_width().min(900.0);
    let half = (width - 240.0).max(120.0) / 2.0;
    for b in bars {
        ui.horizontal(|ui| {
            ui.add_sized(
                [220.0, 20.0],
                egui::Label::new(RichText::new(&b.controversy).strong()).truncate(),
            );
            let (rect, _) =
                ui.allocate_exact_size(egui::vec2(half * 2.0, 20.0), egui::Sense::hover());
            let painter = ui.painter_at(rect);
            let mid = rect.center().x;
            let wa = half * b.count_a as f32 / max;
            let wb = half * b.count_b as f32 / max;
            painter.rect_filled(
                egui::Rect::from_min_max(
                    egui::pos2(mid - wa, rect.top() + 2.0),
                    egui::pos2(mid, rect.bottom() - 2.0),
                ),
                2.0,
                theme::code_color(&b.color_a),
            );
            painter.rect_filled(
                egui::Rect::from_min_max(
                    egui::pos2(mid, rect.top() + 2.0),
                    egui::pos2(mid + wb, rect.bottom() - 2.0),
                ),
                2.0,
                theme::code_color(&b.color_b),
            );
            painter.vline(mid, rect.y_range(), egui::Stroke::new(1.0, theme::INK_SOFT));
            let font = egui::FontId::proportional(12.0);
            painter.text(
                egui::pos2(rect.left() + 2.0, rect.center().y),
                egui::Align2::LEFT_CENTER,
                format!("{} ({})", b.pole_a, b.count_a),
                font.clone(),
                theme::INK,
            );
            painter.text(
                egui::pos2(rect.right() - 2.0, rect.center().y),
                egui::Align2::RIGHT_CENTER,
                format!("{} ({})", b.pole_b, b.count_b),
                font,
                theme::INK,
            );
        });
    }
}

/// A heat map as painted cells, darker for larger values.
pub(crate) fn heatmap_ui(ui: &mut Ui, heat: &Heatmap) {
    let max = heat.max_value().max(f64::MIN_POSITIVE);
    let label_w = 200.0;
    let cols = heat.column_labels.len().max(1);
    let cell_w = ((ui.available_width() - label_w) / cols as f32).clamp(24.0, 90.0);
    let cell_h = 18.0;
    let rows = heat.row_labels.len().min(40);
    let header_h = 40.0;
    let size = egui::vec2(
        label_w + cell_w * cols as f32,
        header_h + cell_h * rows as f32,
    );
    let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
    let painter = ui.painter_at(rect);
    let font = egui::FontId::proportional(11.0);
    for (j, col) in heat.column_labels.iter().enumerate() {
        let x = rect.left() + label_w + cell_w * (j as f32 + 0.5);
        let short: String = col.chars().take(12).collect();
        painter.text(
            egui::pos2(x, rect.top() + header_h - 4.0),
            egui::Align2::CENTER_BOTTOM,
            short,
            font.clone(),
            theme::INK,
        );
    }
    for i in 0..rows {
        let y = rect.top() + header_h + cell_h * i as f32;
        let label: String = heat.row_labels[i].chars().take(30).collect();
        painter.text(
            egui::pos2(rect.left(), y + cell_h / 2.0),
            egui::Align2::LEFT_CENTER,
            label,
            font.clone(),
            theme::INK,
        );
        for j in 0..heat.column_labels.len() {
            let v = heat
                .values
                .get(i)
                .and_then(|r| r.get(j))
                .copied()
                .unwrap_or(0.0);
            let t = (v / max).clamp(0.0, 1.0) as f32;
            let color = Color32::from_rgb(
                (250.0 - 200.0 * t) as u8,
                (250.0 - 140.0 * t) as u8,
                (250.0 - 60.0 * t) as u8,
            );
            let cell = egui::Rect::from_min_size(
                egui::pos2(rect.left() + label_w + cell_w * j as f32, y),
                egui::vec2(cell_w - 1.0, cell_h - 1.0),
            );
            painter.rect_filled(cell, 0.0, color);
            if v > 0.0 {
                let text = if v.fract() == 0.0 {
                    format!("{v:.0}")
                } else {
                    format!("{v:.1}")
                };
                painter.text(
                    cell.center(),
                    egui::Align2::CENTER_CENTER,
                    text,
                    font.clone(),
                    if t > 0.6 { Color32::WHITE } else { theme::INK },
                );
            }
        }
    }
}
