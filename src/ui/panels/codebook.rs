//! The codebook tree: colours, counts, descriptions; click to code the selection (or to
//! see a code's excerpts), drag to move, right-click to add, edit, merge or delete.

use crate::app::edit::Edit;
use crate::ui::command::{Navigation, Prompt};
use std::collections::BTreeSet;

use egui::{Align2, FontId, Rect, RichText, ScrollArea, Sense, Stroke, Ui, pos2, vec2};

use crate::model::{CodeId, CodeKind, DocumentId, MemoTarget};
use crate::ui::cache::CodeEntry;
use crate::ui::command::Command;
use crate::ui::env::Env;
use crate::ui::widgets::modals::kind_key;
use crate::ui::{theme, widgets};

/// What is dragged when a code is moved.
#[derive(Debug, Clone)]
struct CodeDrag(CodeId);

/// Height of a tree row.
const ROW_HEIGHT: f32 = 24.0;

/// The codebook panel's state.
#[derive(Debug, Default)]
pub struct CodebookPanel {
    /// Name filter.
    pub filter: String,
    /// Collapsed codes.
    pub collapsed: BTreeSet<CodeId>,
}

/// A short glyph for a code kind.
pub fn kind_glyph(kind: CodeKind) -> &'static str {
    match kind {
        CodeKind::Theme => "",
        CodeKind::Folder => "📁",
        CodeKind::Controversy => "⚖",
        CodeKind::Pole => "▶",
        CodeKind::Orientation => "↪",
        CodeKind::Piste => "•",
    }
}

impl CodebookPanel {
    /// The codes shown: with a filter, the matching codes and their ancestors; without,
    /// every code whose ancestors are expanded. A controversy always shows its poles.
    fn shown<'a>(&self, env: &Env<'a>) -> Vec<&'a CodeEntry> {
        let query = widgets::fold(self.filter.trim());
        let codes = &env.cache.codes;
        if !query.is_empty() {
            let mut keep: BTreeSet<&CodeId> = BTreeSet::new();
            for e in codes {
                let name = widgets::fold(&env.tr.code_name(&e.code.name));
                if name.contains(&query) || widgets::fold(&e.code.name).contains(&query) {
                    let mut current = Some(e);
                    while let Some(c) = current {
                        keep.insert(&c.code.guid);
                        current = c.code.parent_guid.as_ref().and_then(|p| env.cache.code(p));
                    }
                    if e.code.kind == CodeKind::Controversy {
                        keep.extend(e.children.iter());
                    }
                }
            }
            return codes
                .iter()
                .filter(|e| keep.contains(&e.code.guid))
                .collect();
        }
        let mut out = Vec::new();
        let mut hidden_below: Option<usize> = None;
        for e in codes {
            if let Some(depth) = hidden_below {
                if e.depth > depth {
                    continue;
                }
                hidden_below = None;
            }
            out.push(e);
            if self.collapsed.contains(&e.code.guid) && e.code.kind != CodeKind::Controversy {
                hidden_below = Some(e.depth);
            }
        }
        out
    }

    /// Draws the panel. `selection` is the document range selected, if any: clicking a
    /// code codes it.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        env: &Env,
        selection: Option<(DocumentId, usize, usize)>,
        commands: &mut Vec<Command>,
    ) {
        let tr = env.tr;
        self.title_ui(ui, env, commands);
        ui.add(
            egui::TextEdit::singleline(&mut self.filter)
                .hint_text(tr.t("codebook.filter"))
                .desired_width(f32::INFINITY),
        );
        let hint = if selection.is_some() {
            tr.t("codebook.hint_code")
        } else {
            tr.t("codebook.hint_retrieve")
        };
        ui.label(RichText::new(hint).small().color(if selection.is_some() {
            theme::ACCENT
        } else {
            theme::INK_SOFT
        }));
        ui.separator();
        let shown = self.shown(env);
        if env.cache.codes.is_empty() {
            ui.label(RichText::new(tr.t("codebook.empty")).color(theme::INK_SOFT));
            if ui.button(tr.t("codebook.load_template")).clicked() {
                commands.push(Command::Edit(Edit::LoadTemplate(
                    crate::templates::REFLEXES_PUBLICS.to_string(),
                )));
            }
        }
        ScrollArea::vertical()
            .id_salt("codebook_tree")
            .auto_shrink(false)
            .show(ui, |ui| {
                for entry in shown {
                    self.row(ui, env, entry, selection.as_ref(), commands);
                }
                // Dropping below the tree puts a code at the top level.
                let rest = ui.available_rect_before_wrap();
                let area =
                    Rect::from_min_size(rest.min, vec2(rest.width(), rest.height().max(40.0)));
                let response = ui.allocate_rect(area, Sense::hover());
                if response.dnd_hover_payload::<CodeDrag>().is_some() {
                    ui.painter()
                        .rect_filled(area.shrink(2.0), 4.0, theme::DROP_TARGET);
                    ui.painter().text(
                        area.center(),
                        Align2::CENTER_CENTER,
                        tr.t("codebook.drop_top"),
                        FontId::proportional(12.0),
                        theme::INK_SOFT,
                    );
                }
                if let Some(drag) = response.dnd_release_payload::<CodeDrag>() {
                    commands.push(Command::Edit(Edit::MoveCode {
                        guid: drag.0.clone(),
                        parent: None,
                        position: None,
                    }));
                }
            });
    }

    /// The title with the add button and the menu (load the template, expand or collapse
    /// every code).
    fn title_ui(&mut self, ui: &mut Ui, env: &Env, commands: &mut Vec<Command>) {
        let tr = env.tr;
        ui.horizontal(|ui| {
            ui.heading(tr.t("codebook.title"));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.menu_button("☰", |ui| {
                    if ui.button(tr.t("codebook.load_template")).clicked() {
                        commands.push(Command::Edit(Edit::LoadTemplate(
                            crate::templates::REFLEXES_PUBLICS.to_string(),
                        )));
                        ui.close();
                    }
                    if ui.button(tr.t("codebook.expand_all")).clicked() {
                        self.collapsed.clear();
                        ui.close();
                    }
                    if ui.button(tr.t("codebook.collapse_all")).clicked() {
                        self.collapsed = env
                            .cache
                            .codes
                            .iter()
                            .filter(|e| !e.children.is_empty())
                            .map(|e| e.code.guid.clone())
                            .collect();
                        ui.close();
                    }
                })
                .response
                .on_hover_text(tr.t("codebook.more"));
                if ui
                    .button("➕")
                    .on_hover_text(tr.t("codebook.add"))
                    .clicked()
                {
                    commands.push(Command::Ask(Prompt::AddCode(None)));
                }
            });
        });
    }

    /// One row of the tree: painted, then its click, drag and drop, tooltip and menu.
    fn row(
        &mut self,
        ui: &mut Ui,
        env: &Env,
        entry: &CodeEntry,
        selection: Option<&(DocumentId, usize, usize)>,
        commands: &mut Vec<Command>,
    ) {
        let code = &entry.code;
        let name = env.tr.code_name(&code.name).into_owned();
        let (rect, response) = ui.allocate_exact_size(
            vec2(ui.available_width(), ROW_HEIGHT),
            Sense::click_and_drag(),
        );
        let selected = env.nav.selected_codes.contains(&code.guid);
        response
            .widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, &name));
        // A drop in the top 30 % of a row puts the code before it; lower, inside it.
        let before = response
            .hover_pos()
            .is_some_and(|p| p.y < rect.top() + rect.height() * 0.3);
        let arrow = self.paint_row(ui, env, entry, &name, rect, &response, selected, before);
        let pointer_on_arrow = response
            .interact_pointer_pos()
            .is_some_and(|p| arrow.contains(p));
        if response.clicked() {
            let additive = ui.input(|i| i.modifiers.command);
            self.row_clicked(entry, selection, pointer_on_arrow, additive, commands);
        }
        if response.double_clicked() && !pointer_on_arrow {
            commands.push(Command::Ask(Prompt::EditCode(code.guid.clone())));
        }
        drag_and_drop(ui, env, entry, &name, &response, before, commands);
        let response = response.on_hover_ui(|ui| row_tooltip(ui, env, entry));
        response.context_menu(|ui| row_menu(ui, env, code, commands));
    }

    /// Paints a row (background, drop mark, arrow, swatch, glyph, name, counts); returns
    /// the arrow's rectangle, where a click folds or unfolds the code.
    #[allow(clippy::too_many_arguments)]
    fn paint_row(
        &self,
        ui: &Ui,
        env: &Env,
        entry: &CodeEntry,
        name: &str,
        rect: Rect,
        response: &egui::Response,
        selected: bool,
        before: bool,
    ) -> Rect {
        let code = &entry.code;
        let painter = ui.painter_at(rect);
        let dragging_here = response
            .dnd_hover_payload::<CodeDrag>()
            .filter(|d| d.0 != code.guid);
        if selected {
            painter.rect_filled(rect, 4.0, theme::SELECTED_ROW);
        } else if response.hovered() {
            painter.rect_filled(rect, 4.0, theme::BAR);
        }
        if dragging_here.is_some() {
            if before {
                painter.line_segment(
                    [rect.left_top(), rect.right_top()],
                    Stroke::new(2.0, theme::ACCENT),
                );
            } else {
                painter.rect_filled(rect, 4.0, theme::DROP_TARGET);
            }
        }
        // 16 px of indent per level of depth.
        let x = rect.left() + 4.0 + entry.depth as f32 * 16.0;
        let arrow = Rect::from_min_size(pos2(x, rect.top()), vec2(14.0, ROW_HEIGHT));
        let collapsed = self.collapsed.contains(&code.guid);
        if !entry.children.is_empty() && code.kind != CodeKind::Controversy {
            painter.text(
                arrow.center(),
                Align2::CENTER_CENTER,
                if collapsed { "⏵" } else { "⏷" },
                FontId::proportional(12.0),
                theme::INK_SOFT,
            );
        }
        let color = theme::code_color(&code.color);
        let swatch = Rect::from_center_size(pos2(x + 22.0, rect.center().y), vec2(11.0, 11.0));
        painter.rect_filled(swatch, 3.0, color);
        let mut text_x = x + 33.0;
        let glyph = match env.cache.pole_side(&code.guid) {
            Some((_, 0)) => "◀",
            Some(_) => "▶",
            None => kind_glyph(code.kind),
        };
        if !glyph.is_empty() {
            painter.text(
                pos2(text_x, rect.center().y),
                Align2::LEFT_CENTER,
                glyph,
                FontId::proportional(12.0),
                theme::INK_SOFT,
            );
            text_x += 16.0;
        }
        paint_name_and_counts(ui, &painter, entry, name, rect, text_x);
        arrow
    }

    /// A click on a row: on the arrow, folds or unfolds; with a selection in the document
    /// (and no Ctrl), codes it; else selects the code for retrieval (Ctrl: among others).
    fn row_clicked(
        &mut self,
        entry: &CodeEntry,
        selection: Option<&(DocumentId, usize, usize)>,
        pointer_on_arrow: bool,
        additive: bool,
        commands: &mut Vec<Command>,
    ) {
        let code = &entry.code;
        if pointer_on_arrow && !entry.children.is_empty() {
            if !self.collapsed.remove(&code.guid) {
                self.collapsed.insert(code.guid.clone());
            }
        } else if let (Some((doc, start, end)), false, true) =
            (selection, additive, code.kind.is_codable())
        {
            commands.push(Command::Edit(Edit::ApplyCode {
                document: doc.clone(),
                code: code.guid.clone(),
                start: *start,
                end: *end,
                memo: None,
            }));
            commands.push(Command::Go(Navigation::SelectCode {
                guid: code.guid.clone(),
                additive: false,
            }));
        } else {
            commands.push(Command::Go(Navigation::SelectCode {
                guid: code.guid.clone(),
                additive,
            }));
        }
    }
}

/// The code's name (truncated to the row, 44 px kept for the counts) and its counts: the
/// acting coder's codings · everyone's, one number when they agree.
fn paint_name_and_counts(
    ui: &Ui,
    painter: &egui::Painter,
    entry: &CodeEntry,
    name: &str,
    rect: Rect,
    text_x: f32,
) {
    let code = &entry.code;
    let count_text = if !code.kind.is_codable() || entry.count == 0 {
        entry.total.to_string()
    } else if entry.total != entry.count {
        format!("{} · {}", entry.count, entry.total)
    } else {
        entry.count.to_string()
    };
    let font = if code.kind == CodeKind::Folder || code.kind == CodeKind::Controversy {
        FontId::new(14.0, egui::FontFamily::Proportional)
    } else {
        FontId::proportional(13.5)
    };
    let name_color = if code.kind.is_codable() {
        theme::INK
    } else {
        theme::INK_SOFT
    };
    let galley = ui.fonts_mut(|f| {
        f.layout_job(egui::text::LayoutJob {
            wrap: egui::text::TextWrapping::truncate_at_width(
                (rect.right() - 44.0 - text_x).max(20.0),
            ),
            ..egui::text::LayoutJob::simple_singleline(name.to_string(), font, name_color)
        })
    });
    painter.galley(
        pos2(text_x, rect.center().y - galley.size().y / 2.0),
        galley,
        name_color,
    );
    painter.text(
        pos2(rect.right() - 6.0, rect.center().y),
        Align2::RIGHT_CENTER,
        count_text,
        FontId::proportional(11.5),
        theme::INK_SOFT,
    );
}

/// Dragging a row: the payload, a ghost under the pointer; a code dropped on this row
/// moves before it (`before`) or inside it.
fn drag_and_drop(
    ui: &Ui,
    env: &Env,
    entry: &CodeEntry,
    name: &str,
    response: &egui::Response,
    before: bool,
    commands: &mut Vec<Command>,
) {
    let code = &entry.code;
    if response.drag_started() {
        egui::DragAndDrop::set_payload(ui.ctx(), CodeDrag(code.guid.clone()));
    }
    if response.dragged()
        && let Some(pos) = ui.ctx().pointer_interact_pos()
    {
        let color = theme::code_color(&code.color);
        egui::Area::new(egui::Id::unique("code_drag_ghost"))
            .order(egui::Order::Tooltip)
            .fixed_pos(pos + vec2(12.0, 4.0))
            .show(ui.ctx(), |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.horizontal(|ui| {
                        widgets::color_swatch(ui, color);
                        ui.label(name);
                    });
                });
            });
    }
    if let Some(drag) = response.dnd_release_payload::<CodeDrag>()
        && drag.0 != code.guid
    {
        commands.push(if before {
            let siblings: Vec<&CodeEntry> = env
                .cache
                .codes
                .iter()
                .filter(|e| e.code.parent_guid == code.parent_guid && e.code.guid != drag.0)
                .collect();
            let position = siblings.iter().position(|e| e.code.guid == code.guid);
            Command::Edit(Edit::MoveCode {
                guid: drag.0.clone(),
                parent: code.parent_guid.clone(),
                position,
            })
        } else {
            Command::Edit(Edit::MoveCode {
                guid: drag.0.clone(),
                parent: Some(code.guid.clone()),
                position: None,
            })
        });
    }
}

/// A row's tooltip: path, kind, pole note, description, counts.
fn row_tooltip(ui: &mut Ui, env: &Env, entry: &CodeEntry) {
    let tr = env.tr;
    let code = &entry.code;
    ui.set_max_width(320.0);
    ui.label(RichText::new(env.code_path(&code.guid)).strong());
    ui.label(
        RichText::new(tr.t(kind_key(code.kind)))
            .small()
            .color(theme::INK_SOFT),
    );
    if let Some(note) = env.pole_note(&code.guid) {
        ui.label(RichText::new(note).italics());
    }
    if !code.description.is_empty() {
        ui.label(&code.description);
    }
    ui.label(
        RichText::new(tr.f(
            "codebook.counts",
            &[
                ("own", &entry.count.to_string()),
                ("total", &entry.total.to_string()),
            ],
        ))
        .small(),
    );
}

/// A row's context menu: add a child (not under a pole or a controversy), edit, merge,
/// memo, show excerpts, delete.
fn row_menu(ui: &mut Ui, env: &Env, code: &crate::model::Code, commands: &mut Vec<Command>) {
    let tr = env.tr;
    if code.kind != CodeKind::Pole
        && code.kind != CodeKind::Controversy
        && ui.button(tr.t("codebook.add_child")).clicked()
    {
        commands.push(Command::Ask(Prompt::AddCode(Some(code.guid.clone()))));
        ui.close();
    }
    if ui.button(tr.t("codebook.edit")).clicked() {
        commands.push(Command::Ask(Prompt::EditCode(code.guid.clone())));
        ui.close();
    }
    if ui.button(tr.t("codebook.merge")).clicked() {
        commands.push(Command::Ask(Prompt::MergeCode(code.guid.clone())));
        ui.close();
    }
    if ui.button(tr.t("codebook.memo")).clicked() {
        commands.push(Command::Ask(Prompt::Memo(MemoTarget::Code(
            code.guid.clone(),
        ))));
        ui.close();
    }
    if ui.button(tr.t("codebook.show_excerpts")).clicked() {
        commands.push(Command::Go(Navigation::SelectCode {
            guid: code.guid.clone(),
            additive: false,
        }));
        ui.close();
    }
    ui.separator();
    if ui
        .button(RichText::new(tr.t("codebook.delete")).color(theme::ERROR))
        .clicked()
    {
        commands.push(Command::Ask(Prompt::DeleteCode(code.guid.clone())));
        ui.close();
    }
}
