//! Painting the visible paragraphs: tints behind coded text, the selection, the text,
//! stacked underlines (one lane per overlapping coding) and margin bars.

use egui::{Rect, Stroke, Ui, pos2};

use super::highlights::{Highlights, SegmentRect, range_rects};
use super::{DocumentView, ViewGeometry};
use crate::ui::env::Env;
use crate::ui::theme;

/// Width of the margin where coding bars stand, for a number of lanes.
pub fn gutter_width(lanes: usize) -> f32 {
    let shown = lanes.clamp(3, theme::MAX_BARS) as f32;
    16.0 + shown * (theme::BAR_WIDTH + theme::BAR_GAP) + 10.0
}

/// Paints the paragraphs visible in `g`; remembers the margin bars for hovering.
pub fn paint(view: &mut DocumentView, ui: &Ui, g: &ViewGeometry, env: &Env, focused: bool) {
    let painter = ui.painter_at(g.visible);
    let selection = view.selected_range();
    let DocumentView {
        layout,
        highlights,
        bar_hits,
        ..
    } = view;
    bar_hits.clear();
    if layout.paragraphs.is_empty() || layout.tops.len() != layout.paragraphs.len() + 1 {
        return;
    }
    let text_size = env.state.layout.text_size;
    let underline_base = text_size * 1.28;
    let first = layout.paragraph_at_y(g.visible.min.y - g.origin.y);
    let last = layout.paragraph_at_y(g.visible.max.y - g.origin.y);
    let bar_left = g.text_left - gutter_width(highlights.lanes) + 12.0;
    for i in first..=last {
        let Some(para) = layout.paragraphs.get(i) else {
            break;
        };
        let Some(galley) = para.galley.clone() else {
            continue;
        };
        let top = g.origin.y + layout.tops[i];
        let offset = pos2(g.text_left, top).to_vec2();
        let rects = highlights.rects_of(i, &galley).to_vec();
        for r in &rects {
            let color = highlights.codings[r.coding].color;
            painter.rect_filled(r.rect.translate(offset), 2.0, theme::tint(color));
        }
        if let Some((start, end)) = selection
            && start < para.char_end().max(para.char_start + 1)
            && end > para.char_start
        {
            let local_start = start.saturating_sub(para.char_start);
            let local_end = end.min(para.char_end()) - para.char_start;
            for rect in range_rects(&galley, local_start, local_end.max(local_start)) {
                painter.rect_filled(rect.translate(offset), 1.0, theme::TEXT_SELECTION);
            }
        }
        painter.galley(pos2(g.text_left, top), galley.clone(), theme::INK);
        for r in &rects {
            let coding = &highlights.codings[r.coding];
            if coding.lane >= theme::MAX_UNDERLINES {
                continue;
            }
            let rect = r.rect.translate(offset);
            let y = rect.min.y + underline_base + coding.lane as f32 * theme::UNDERLINE_STEP;
            painter.line_segment(
                [pos2(rect.min.x, y), pos2(rect.max.x, y)],
                Stroke::new(theme::UNDERLINE_WIDTH, coding.color),
            );
        }
        let bottom = top + para.height;
        paint_bars(
            &painter,
            highlights,
            i,
            &rects,
            (top, bottom),
            bar_left,
            bar_hits,
        );
    }
    if focused && selection.is_none() {
        let caret = view.selection.cursor;
        if let Some(rect) = view.caret_rect(caret, g) {
            painter.line_segment(
                [rect.center_top(), rect.center_bottom()],
                Stroke::new(1.5, theme::ACCENT),
            );
        }
    }
}

/// Paints the margin bars of paragraph `i` (spanning `top..bottom` on screen), one lane per
/// overlapping coding; codings past the last lane are counted in a `+n`. Each bar is kept
/// in `bar_hits` (1 point wider each side) for hovering.
fn paint_bars(
    painter: &egui::Painter,
    highlights: &Highlights,
    i: usize,
    rects: &[SegmentRect],
    (top, bottom): (f32, f32),
    bar_left: f32,
    bar_hits: &mut Vec<(Rect, usize)>,
) {
    let lane_step = theme::BAR_WIDTH + theme::BAR_GAP;
    let mut hidden = 0;
    for seg in &highlights.segments[i] {
        let coding = &highlights.codings[seg.coding];
        if coding.lane >= theme::MAX_BARS {
            hidden += 1;
            continue;
        }
        let mine: Vec<&Rect> = rects
            .iter()
            .filter(|r| r.coding == seg.coding)
            .map(|r| &r.rect)
            .collect();
        let (Some(first_rect), Some(last_rect)) = (mine.first(), mine.last()) else {
            continue;
        };
        let y0 = if seg.continues_before {
            top
        } else {
            top + first_rect.min.y + 2.0
        };
        let y1 = if seg.continues_after {
            bottom
        } else {
            top + last_rect.max.y - 2.0
        };
        let x = bar_left + coding.lane as f32 * lane_step;
        let bar = Rect::from_min_max(pos2(x, y0), pos2(x + theme::BAR_WIDTH, y1.max(y0 + 2.0)));
        painter.rect_filled(bar, 1.0, coding.color);
        bar_hits.push((bar.expand2(egui::vec2(1.0, 0.0)), seg.coding));
    }
    if hidden > 0 {
        let x = bar_left + theme::MAX_BARS as f32 * lane_step;
        painter.text(
            pos2(x, top),
            egui::Align2::LEFT_TOP,
            format!("+{hidden}"),
            egui::FontId::proportional(10.0),
            theme::INK_SOFT,
        );
    }
}
