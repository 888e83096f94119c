//! Selecting with the mouse (press, drag, shift-click, double and triple click) and with
//! the keyboard (shift + arrows, words with Ctrl, Home/End, Ctrl+A, copy).

use egui::{Event, EventFilter, Key, PointerButton, Response, Ui, pos2, vec2};

use super::selection::{self, Selection};
use super::{DocumentView, ViewGeometry};

/// Mouse selection. Returns a scroll offset to set, if any.
pub fn pointer(
    view: &mut DocumentView,
    ui: &Ui,
    response: &Response,
    g: &ViewGeometry,
) -> Option<f32> {
    let (shift, alt, pressed, pos) = ui.input(|i| {
        (
            i.modifiers.shift,
            i.modifiers.alt,
            i.pointer.primary_pressed(),
            i.pointer.interact_pos(),
        )
    });
    let pos = pos?;
    if response.is_pointer_button_down_on() && pressed && g.visible.contains(pos) {
        // A coder selects words: the ends snap out to whole words unless Alt is held.
        view.word_snap = !alt;
        let c = view.char_at(pos, g);
        if shift {
            view.selection.cursor = c;
        } else {
            view.selection = Selection::caret(c);
        }
        response.request_focus();
    } else if response.dragged_by(PointerButton::Primary) {
        view.word_snap = !alt;
        view.selection.cursor = view.char_at(pos, g);
        let margin = 24.0;
        if pos.y < g.visible.min.y + margin {
            ui.scroll_with_delta(vec2(0.0, (g.visible.min.y + margin - pos.y).min(40.0)));
            ui.ctx().request_repaint();
        } else if pos.y > g.visible.max.y - margin {
            ui.scroll_with_delta(vec2(0.0, -(pos.y - g.visible.max.y + margin).min(40.0)));
            ui.ctx().request_repaint();
        }
    }
    if response.triple_clicked() {
        let (start, end) = selection::paragraph_at(&view.layout, view.char_at(pos, g));
        view.selection = Selection {
            anchor: start,
            cursor: end,
        };
    } else if response.double_clicked() {
        let (start, end) = selection::word_at(&view.layout, view.char_at(pos, g));
        view.selection = Selection {
            anchor: start,
            cursor: end,
        };
    }
    None
}

/// Keyboard selection while the view has focus.
pub fn keyboard(view: &mut DocumentView, ui: &Ui, response: &Response, g: &ViewGeometry) {
    if !response.has_focus() {
        return;
    }
    ui.memory_mut(|m| {
        m.set_focus_lock_filter(
            response.id,
            EventFilter {
                horizontal_arrows: true,
                vertical_arrows: true,
                tab: false,
                escape: false,
            },
        )
    });
    let events = ui.input(|i| i.events.clone());
    let mut moved = false;
    for event in events {
        match event {
            Event::Key {
                key,
                pressed: true,
                modifiers,
                ..
            } => {
                let word = modifiers.command || modifiers.alt;
                let target = match key {
                    Key::ArrowLeft | Key::ArrowRight => {
                        let forward = key == Key::ArrowRight;
                        if !modifiers.shift && !view.selection.is_empty() && !word {
                            let (start, end) = view.selection.range();
                            Some(if forward { end } else { start })
                        } else {
                            Some(selection::step(
                                &view.layout,
                                view.selection.cursor,
                                forward,
                                word,
                            ))
                        }
                    }
                    Key::ArrowUp | Key::ArrowDown => {
                        view.caret_rect(view.selection.cursor, g).map(|r| {
                            let dy = view.layout.row_height()
                                * if key == Key::ArrowUp { -1.0 } else { 1.0 };
                            view.char_at(pos2(r.center().x, r.center().y + dy), g)
                        })
                    }
                    Key::Home | Key::End => view.caret_rect(view.selection.cursor, g).map(|r| {
                        let x = if key == Key::Home {
                            g.text_left - 10.0
                        } else {
                            g.visible.max.x + 10_000.0
                        };
                        view.char_at(pos2(x, r.center().y), g)
                    }),
                    Key::A if modifiers.command => {
                        view.word_snap = false;
                        view.selection = Selection {
                            anchor: 0,
                            cursor: view.layout.char_count(),
                        };
                        None
                    }
                    Key::Escape => {
                        view.selection = Selection::caret(view.selection.cursor);
                        None
                    }
                    _ => None,
                };
                if let Some(target) = target {
                    // The keyboard moves by chars (or words with Ctrl): no snapping.
                    view.word_snap = false;
                    if modifiers.shift {
                        view.selection.cursor = target;
                    } else {
                        view.selection = Selection::caret(target);
                    }
                    moved = true;
                }
            }
            Event::Copy => {
                if let Some(text) = view.selected_text() {
                    ui.ctx().copy_text(text);
                }
            }
            _ => {}
        }
    }
    if moved && let Some(rect) = view.caret_rect(view.selection.cursor, g) {
        if !g.visible.contains_rect(rect) {
            ui.scroll_to_rect(rect.expand(view.layout.row_height()), None);
        }
    }
}
