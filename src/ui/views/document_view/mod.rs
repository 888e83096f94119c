//! The document view: the text with a coloured tint, stacked underlines and margin bars for
//! every coding; selection with the mouse or the keyboard; hover and context menus.
//!
//! Only the visible paragraphs are laid out and painted. A galley per paragraph is kept
//! while the width and text size stay the same, and the rectangles of the highlights are
//! computed once per galley; the rest of the text is laid out a little each frame so the
//! scroll bar settles, keeping what is on screen still.

pub mod highlights;
mod input;
pub mod layout;
mod menus;
mod paint;
pub mod selection;

use egui::{Pos2, Rect, ScrollArea, Ui, pos2, vec2};

use self::highlights::{Highlights, ViewCoding};
use self::layout::{LayoutKey, TextLayout};
use self::selection::Selection;
use super::super::cache::{DocumentContent, ProjectCache};
use super::super::command::Command;
use super::super::env::Env;
use super::super::theme;
use crate::model::{CoderId, DocumentId};

/// Milliseconds per frame spent laying out paragraphs that are not visible.
const BACKGROUND_LAYOUT_BUDGET_MS: f64 = 3.0;

/// The document view's state.
#[derive(Default)]
pub struct DocumentView {
    doc_guid: Option<DocumentId>,
    content_hash: String,
    layout: TextLayout,
    highlights: Highlights,
    highlight_key: Option<(u64, bool)>,
    /// The selection (document char offsets).
    pub selection: Selection,
    /// The selection was made with the mouse without Alt: its ends snap out to whole words.
    word_snap: bool,
    /// Bring this range into view on the next frame.
    scroll_to: Option<(usize, usize)>,
    /// Scroll offset to set on the next frame (keeps the text still while paragraphs
    /// above get their real height).
    pending_offset: Option<f32>,
    /// Char under the last right click.
    context_char: Option<usize>,
    /// Where the content was drawn last frame (screen): origin and text left edge.
    geometry: Option<ViewGeometry>,
    /// Margin bars drawn last frame, for hovering: screen rectangle and coding index.
    bar_hits: Vec<(Rect, usize)>,
}

/// Where the view's content sat on screen in the last frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ViewGeometry {
    /// Top-left of the content (scrolled) on screen.
    pub origin: Pos2,
    /// Left edge of the text, on screen.
    pub text_left: f32,
    /// The visible part, on screen.
    pub visible: Rect,
}

impl DocumentView {
    /// The open document's GUID.
    pub fn document(&self) -> Option<&DocumentId> {
        self.doc_guid.as_ref()
    }

    /// Shows a document's content (keeps the layout when the text did not change) and its
    /// codings, filtered to `only_coder` when given.
    pub fn sync(
        &mut self,
        content: &DocumentContent,
        cache: &ProjectCache,
        only_coder: Option<&CoderId>,
    ) {
        if self.doc_guid.as_ref() != Some(&content.guid)
            || self.content_hash != content.content_hash
        {
            let same_doc = self.doc_guid.as_ref() == Some(&content.guid);
            self.doc_guid = Some(content.guid.clone());
            self.content_hash = content.content_hash.clone();
            self.layout = TextLayout::new(content.text.clone());
            self.highlight_key = None;
            if !same_doc {
                self.selection = Selection::default();
                self.pending_offset = Some(0.0);
            } else {
                let max = self.layout.char_count();
                self.selection = Selection {
                    anchor: self.selection.anchor.min(max),
                    cursor: self.selection.cursor.min(max),
                };
            }
        }
        let key = (content.version, only_coder.is_some());
        if self.highlight_key != Some(key) {
            let view_coding = |c: &crate::model::Coding| ViewCoding {
                guid: c.guid.clone(),
                code_guid: c.code_guid.clone(),
                start: c.start_char,
                end: c.end_char,
                color: cache
                    .code(&c.code_guid)
                    .map(|e| theme::code_color(&e.code.color))
                    .unwrap_or(theme::FALLBACK_CODE),
                coder_guid: c.created_by.clone(),
                lane: 0,
            };
            let keep = |c: &&crate::model::Coding| only_coder.is_none_or(|k| &c.created_by == k);
            match &content.patch {
                Some((base, changed))
                    if self.highlight_key == Some((*base, only_coder.is_some()))
                        && changed.len() <= 64 =>
                {
                    let added = content
                        .codings
                        .iter()
                        .filter(|c| changed.contains(&c.guid))
                        .filter(keep)
                        .map(view_coding)
                        .collect();
                    self.highlights.patch(&self.layout, changed, added);
                }
                _ => {
                    let codings = content
                        .codings
                        .iter()
                        .filter(keep)
                        .map(view_coding)
                        .collect();
                    self.highlights = Highlights::new(codings, &self.layout);
                }
            }
            self.highlight_key = Some(key);
        }
    }

    /// Closes the document: no text, no selection, no highlights.
    pub fn clear(&mut self) {
        *self = DocumentView::default();
    }

    /// The selected range, snapped to grapheme boundaries (and, made with the mouse
    /// without Alt, out to whole words); `None` when empty.
    pub fn selected_range(&self) -> Option<(usize, usize)> {
        let range = selection::snapped_range(&self.layout, self.selection);
        let (start, end) = if self.word_snap {
            selection::word_range(&self.layout, range)
        } else {
            range
        };
        (start < end).then_some((start, end))
    }

    /// Whether the selection's ends snap out to whole words (a mouse selection without
    /// Alt).
    pub fn snaps_to_words(&self) -> bool {
        self.word_snap
    }

    /// The selected text, snapped as [`DocumentView::selected_range`] is; `None` when empty.
    pub fn selected_text(&self) -> Option<String> {
        let (start, end) = self.selected_range()?;
        crate::model::text::slice_chars(&self.layout.text, start, end).map(str::to_string)
    }

    /// Selects a range and scrolls to it.
    pub fn select_and_reveal(&mut self, start: usize, end: usize) {
        let max = self.layout.char_count();
        self.selection = Selection {
            anchor: start.min(max),
            cursor: end.min(max),
        };
        self.word_snap = false;
        self.scroll_to = Some((start.min(max), end.min(max)));
    }

    /// Sets the selection (no scrolling).
    pub fn set_selection(&mut self, selection: Selection) {
        self.word_snap = false;
        let max = self.layout.char_count();
        self.selection = Selection {
            anchor: selection.anchor.min(max),
            cursor: selection.cursor.min(max),
        };
    }

    /// Number of chars of the open text.
    pub fn char_count(&self) -> usize {
        self.layout.char_count()
    }

    /// Number of paragraphs of the open text.
    pub fn paragraph_count(&self) -> usize {
        self.layout.paragraphs.len()
    }

    /// Number of codings drawn.
    pub fn coding_count(&self) -> usize {
        self.highlights.live_count()
    }

    /// Where a char sat on screen in the last frame (top-left of its glyph), if visible.
    pub fn char_screen_pos(&self, offset: usize) -> Option<Pos2> {
        let g = self.geometry?;
        let p = self.layout.paragraph_of_char(offset);
        let para = self.layout.paragraphs.get(p)?;
        let galley = para.galley.as_ref()?;
        let local = offset.checked_sub(para.char_start)?.min(para.char_len);
        let rect = galley.pos_from_cursor(egui::text::CCursor::new(local));
        let top = g.origin.y + self.layout.tops.get(p)?;
        let pos = pos2(g.text_left + rect.min.x, top + rect.center().y);
        g.visible.contains(pos).then_some(pos)
    }

    /// Draws the view and handles its input.
    pub fn ui(&mut self, ui: &mut Ui, env: &Env, commands: &mut Vec<Command>) {
        let text_size = env.state.layout.text_size;
        let mut scroll = ScrollArea::vertical()
            .id_salt("document_view")
            .auto_shrink(false);
        if let Some(offset) = self.pending_offset.take() {
            scroll = scroll.vertical_scroll_offset(offset);
        }
        let frame = egui::Frame::new()
            .fill(theme::PAPER)
            .inner_margin(egui::Margin::symmetric(0, 4));
        frame.show(ui, |ui| {
            let output = scroll.show_viewport(ui, |ui, viewport| {
                self.content_ui(ui, viewport, text_size, env, commands)
            });
            if let Some(target) = output.inner {
                self.pending_offset = Some(target);
                ui.ctx().request_repaint();
            }
        });
    }

    /// Lays out what is needed, paints the visible paragraphs, handles input. Returns a
    /// scroll offset to apply next frame, if any.
    fn content_ui(
        &mut self,
        ui: &mut Ui,
        viewport: Rect,
        text_size: f32,
        env: &Env,
        commands: &mut Vec<Command>,
    ) -> Option<f32> {
        let gutter = paint::gutter_width(self.highlights.lanes);
        let right_pad = 24.0;
        let full_width = ui.available_width();
        let width = (full_width - gutter - right_pad)
            .clamp(120.0, 900.0)
            .round();
        let key = LayoutKey { width, text_size };
        let mut next_offset = None;
        let pixels_per_point = ui.pixels_per_point();
        let shift = ui.fonts_mut(|fonts| self.lay_out(fonts, viewport, key, pixels_per_point));
        if self.layout.next_unlaid(0).is_some() {
            ui.ctx().request_repaint();
        }
        let total = self.layout.total_height();
        ui.set_min_height(total);
        ui.set_min_width(full_width);
        let visible =
            Rect::from_min_size(ui.max_rect().min + viewport.min.to_vec2(), viewport.size());
        let mut origin = ui.max_rect().min;
        if shift.abs() > 0.01 {
            origin.y -= shift;
            next_offset = Some(viewport.min.y + shift);
        }
        if let Some((start, end)) = self.scroll_to.take() {
            let target = self.reveal_offset(start, end, viewport, total);
            next_offset = Some(target);
            origin.y = visible.min.y - target;
        }
        let text_left = origin.x
            + ((full_width - width - gutter - right_pad) / 2.0)
                .max(0.0)
                .round()
            + gutter;
        let geometry = ViewGeometry {
            origin,
            text_left,
            visible,
        };
        self.geometry = Some(geometry);
        let response = ui.interact(
            visible,
            ui.scope_id().with("document_text"),
            egui::Sense::click_and_drag(),
        );
        if let Some(offset) = input::pointer(self, ui, &response, &geometry) {
            next_offset = Some(offset);
        }
        input::keyboard(self, ui, &response, &geometry);
        paint::paint(self, ui, &geometry, env, response.has_focus());
        menus::hover_and_context(self, ui, response, &geometry, env, commands);
        next_offset
    }

    /// Lays out the visible paragraphs (and, to reveal a target, all above it), then more
    /// within the frame's budget. Returns how far (points) the first visible paragraph moved
    /// down, for the view to keep still (0 when a target is to be revealed).
    fn lay_out(
        &mut self,
        fonts: &mut egui::epaint::text::FontsView<'_>,
        viewport: Rect,
        key: LayoutKey,
        pixels_per_point: f32,
    ) -> f32 {
        let options = *fonts.options();
        if self
            .layout
            .atlas_changed(pixels_per_point, fonts.font_atlas_fill_ratio(), options)
        {
            self.layout.drop_galleys();
            self.highlights.clear_rects();
        }
        if self.layout.set_key(key, fonts) {
            self.highlights.clear_rects();
        }
        self.layout.update_tops();
        let first = self.layout.paragraph_at_y(viewport.min.y);
        // Lay out what is visible (heights of visible paragraphs move only what is below).
        let mut last = self.layout.paragraph_at_y(viewport.max.y);
        for _ in 0..4 {
            let mut changed = false;
            for i in first..=last {
                if self.layout.ensure_laid_out(i, fonts) {
                    self.highlights.rects[i] = None;
                    changed = true;
                }
            }
            self.layout.update_tops();
            let new_last = self.layout.paragraph_at_y(viewport.max.y);
            if !changed && new_last == last {
                break;
            }
            last = new_last;
        }
        // A target to reveal: lay out everything above it so its position is exact.
        if let Some((start, _)) = self.scroll_to {
            let target = self.layout.paragraph_of_char(start);
            for i in 0..=target {
                self.layout.ensure_laid_out(i, fonts);
            }
            self.layout.update_tops();
        }
        // Then a little more each frame, below first, then above (keeping the view still).
        let started = std::time::Instant::now();
        let top_before = self.layout.tops.get(first).copied().unwrap_or(0.0);
        while started.elapsed().as_secs_f64() * 1000.0 < BACKGROUND_LAYOUT_BUDGET_MS {
            let Some(i) = self
                .layout
                .next_unlaid(last + 1)
                .or_else(|| self.layout.next_unlaid(0))
            else {
                break;
            };
            self.layout.ensure_laid_out(i, fonts);
        }
        self.layout.update_tops();
        if self.scroll_to.is_none() {
            self.layout.tops.get(first).copied().unwrap_or(0.0) - top_before
        } else {
            0.0
        }
    }

    /// The scroll offset (points) that shows chars `start..end` three tenths down the
    /// viewport, clamped to the document's `total` height.
    fn reveal_offset(&self, start: usize, end: usize, viewport: Rect, total: f32) -> f32 {
        let p = self.layout.paragraph_of_char(start);
        let top = self.layout.tops.get(p).copied().unwrap_or(0.0);
        let rows = self.layout.paragraphs.get(p).and_then(|para| {
            let galley = para.galley.as_ref()?;
            highlights::range_rects(
                galley,
                start - para.char_start,
                end.min(para.char_end()) - para.char_start,
            )
            .first()
            .copied()
        });
        let y = top + rows.map(|r| r.min.y).unwrap_or(0.0);
        (y - viewport.height() * 0.3).clamp(0.0, (total - viewport.height()).max(0.0))
    }

    /// The document char at a screen position (clamped into the text).
    fn char_at(&self, pos: Pos2, g: &ViewGeometry) -> usize {
        let y = pos.y - g.origin.y;
        if y < 0.0 {
            return 0;
        }
        if y >= self.layout.total_height() {
            return self.layout.char_count();
        }
        let p = self.layout.paragraph_at_y(y);
        let Some(para) = self.layout.paragraphs.get(p) else {
            return 0;
        };
        let Some(galley) = para.galley.as_ref() else {
            return para.char_start;
        };
        let top = self.layout.tops.get(p).copied().unwrap_or(0.0);
        let local = galley
            .cursor_from_pos(vec2(pos.x - g.text_left, y - top))
            .index
            .0;
        para.char_start + local.min(para.char_len)
    }

    /// Codings whose highlight is under a screen position (outermost first).
    fn codings_under(&self, pos: Pos2, g: &ViewGeometry) -> Vec<usize> {
        let y = pos.y - g.origin.y;
        let p = self.layout.paragraph_at_y(y);
        let top = g.origin.y + self.layout.tops.get(p).copied().unwrap_or(0.0);
        let Some(Some(rects)) = self.highlights.rects.get(p) else {
            return Vec::new();
        };
        let mut out: Vec<usize> = rects
            .iter()
            .filter(|r| r.rect.translate(vec2(g.text_left, top)).contains(pos))
            .map(|r| r.coding)
            .collect();
        out.sort_by_key(|&i| {
            (
                self.highlights.codings[i].start,
                std::cmp::Reverse(self.highlights.codings[i].end),
            )
        });
        out.dedup();
        out
    }

    /// Screen rectangle of the caret at `offset` (zero width), if laid out.
    fn caret_rect(&self, offset: usize, g: &ViewGeometry) -> Option<Rect> {
        let p = self.layout.paragraph_of_char(offset);
        let para = self.layout.paragraphs.get(p)?;
        let galley = para.galley.as_ref()?;
        let local = offset.saturating_sub(para.char_start).min(para.char_len);
        let rect = galley.pos_from_cursor(egui::text::CCursor::new(local));
        let top = g.origin.y + self.layout.tops.get(p)?;
        Some(rect.translate(vec2(g.text_left, top)))
    }
}
