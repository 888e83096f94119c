//! Keyboard shortcuts: the list shown in the help window (F1), and reading them each frame
//! into commands.

use crate::ui::command::{Navigation, Prompt, Work};
use egui::{Key, KeyboardShortcut, Modifiers};

use super::command::{Command, QuickCodeMode};
use super::state::Screen;

/// Shortcuts and the translation key of what they do, for the help window.
pub const LIST: &[(&str, &str)] = &[
    ("Ctrl+Z", "help.undo"),
    ("Ctrl+Shift+Z, Ctrl+Y", "help.redo"),
    ("Ctrl+K", "help.quick_code"),
    ("1 … 9", "help.recent_code"),
    ("Ctrl+I", "help.in_vivo"),
    ("Ctrl+M", "help.memo"),
    ("Ctrl+F", "help.search"),
    ("Shift+⬅ ➡ ⬆ ⬇", "help.select_keys"),
    ("Ctrl+Shift+⬅ ➡", "help.select_words"),
    ("Ctrl+A", "help.select_all"),
    ("Ctrl+C", "help.copy"),
    ("Esc", "help.escape"),
    ("Alt+⬆ / Alt+⬇", "help.next_document"),
    ("Ctrl+1 … Ctrl+5", "help.screens"),
    ("Ctrl+Shift+N", "help.new_code"),
    ("Ctrl+O", "help.open"),
    ("Ctrl+N", "help.new_project"),
    ("Ctrl+, ", "help.settings"),
    ("Ctrl+Plus / Ctrl+Minus", "help.zoom"),
    ("F1", "help.help"),
];

/// The search language for the help window: translation keys of an example and of what it
/// finds (the examples too are worded per language: `ET` first in French, `AND` in English).
pub const QUERY_SYNTAX: &[(&str, &str)] = &[
    ("help.query_word", "help.query_word_finds"),
    ("help.query_prefix", "help.query_prefix_finds"),
    ("help.query_phrase", "help.query_phrase_finds"),
    ("help.query_and", "help.query_and_finds"),
    ("help.query_or", "help.query_or_finds"),
    ("help.query_not", "help.query_not_finds"),
    ("help.query_near", "help.query_near_finds"),
    ("help.query_group", "help.query_group_finds"),
];

/// What the frame's keys ask for, besides commands: actions that need the app's state.
#[derive(Debug, Default, PartialEq)]
pub struct KeyActions {
    /// Commands to run.
    pub commands: Vec<Command>,
    /// A recent code number pressed (0-based).
    pub recent_code: Option<usize>,
    /// Ctrl+I.
    pub in_vivo: bool,
    /// Ctrl+M.
    pub memo: bool,
    /// Ctrl+F.
    pub search: bool,
    /// Alt+⬆ (-1) or Alt+⬇ (+1).
    pub next_document: Option<i32>,
}

fn shortcut(ctx: &egui::Context, modifiers: Modifiers, key: Key) -> bool {
    ctx.input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(modifiers, key)))
}

/// Reads the shortcuts of this frame. Digits count only when no text field has focus.
pub fn read(ctx: &egui::Context) -> KeyActions {
    let mut out = KeyActions::default();
    let cmd_shift = Modifiers::COMMAND | Modifiers::SHIFT;
    let text_focused = ctx.text_edit_focused();
    // Ctrl+Z also matches Ctrl+Shift+Z: read the longer one first. In a text field they
    // are the field's own undo and redo.
    if !text_focused {
        if shortcut(ctx, cmd_shift, Key::Z) || shortcut(ctx, Modifiers::COMMAND, Key::Y) {
            out.commands.push(Command::Work(Work::Redo));
        }
        if shortcut(ctx, Modifiers::COMMAND, Key::Z) {
            out.commands.push(Command::Work(Work::Undo));
        }
    }
    if shortcut(ctx, cmd_shift, Key::N) {
        out.commands.push(Command::Ask(Prompt::AddCode(None)));
    }
    if shortcut(ctx, Modifiers::COMMAND, Key::K) {
        out.commands
            .push(Command::Ask(Prompt::QuickCode(QuickCodeMode::Apply)));
    }
    if shortcut(ctx, Modifiers::COMMAND, Key::O) {
        out.commands.push(Command::Ask(Prompt::OpenProject));
    }
    if shortcut(ctx, Modifiers::COMMAND, Key::N) {
        out.commands.push(Command::Ask(Prompt::NewProject));
    }
    if shortcut(ctx, Modifiers::COMMAND, Key::Comma) {
        out.commands.push(Command::Ask(Prompt::Settings));
    }
    if shortcut(ctx, Modifiers::NONE, Key::F1) {
        out.commands.push(Command::Ask(Prompt::Help));
    }
    out.in_vivo = shortcut(ctx, Modifiers::COMMAND, Key::I);
    out.memo = shortcut(ctx, Modifiers::COMMAND, Key::M);
    out.search = shortcut(ctx, Modifiers::COMMAND, Key::F);
    if shortcut(ctx, Modifiers::ALT, Key::ArrowUp) {
        out.next_document = Some(-1);
    }
    if shortcut(ctx, Modifiers::ALT, Key::ArrowDown) {
        out.next_document = Some(1);
    }
    let screens = [Key::Num1, Key::Num2, Key::Num3, Key::Num4, Key::Num5];
    for (key, screen) in screens.into_iter().zip(Screen::ALL) {
        if shortcut(ctx, Modifiers::COMMAND, key) {
            out.commands.push(Command::Go(Navigation::Screen(screen)));
        }
    }
    if !text_focused {
        let digits = [
            Key::Num1,
            Key::Num2,
            Key::Num3,
            Key::Num4,
            Key::Num5,
            Key::Num6,
            Key::Num7,
            Key::Num8,
            Key::Num9,
        ];
        for (i, key) in digits.into_iter().enumerate() {
            if shortcut(ctx, Modifiers::NONE, key) {
                out.recent_code = Some(i);
            }
        }
    }
    out
}
