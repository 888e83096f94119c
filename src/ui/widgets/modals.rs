//! Modal dialogs: memos, names, paths, confirmations, settings, help. One dialog at a time;
//! a dialog's buttons push [`Command`]s.

use crate::app::edit::Edit;
use crate::ui::command::{Export, Session, Work};
use std::path::PathBuf;
use std::sync::mpsc::Receiver;

use egui::{Id, Modal, Response, RichText, Ui};

use crate::i18n::Language;
use crate::model::{AttributeScope, AttributeType, CodeId, CodeKind, DocumentId, MemoTarget};
use crate::ui::command::Command;
use crate::ui::env::Env;
use crate::ui::theme;

/// An open dialog and what is typed in it.
#[derive(Debug)]
pub enum Dialog {
    /// Edit the current coder's memo on a target.
    Memo {
        /// What the memo is about.
        target: MemoTarget,
        /// Text being edited.
        text: String,
    },
    /// Add a code (a controversy comes with its two poles).
    AddCode {
        /// Parent GUID.
        parent: Option<CodeId>,
        /// Name as typed.
        name: String,
        /// Kind chosen (a controversy also asks for its two poles).
        kind: CodeKind,
        /// First pole (controversies).
        pole_a: String,
        /// Second pole (controversies).
        pole_b: String,
    },
    /// Edit a code: name, colour, description, kind.
    EditCode {
        /// Code GUID.
        guid: CodeId,
        /// Name as typed.
        name: String,
        /// Colour chosen.
        color: egui::Color32,
        /// Description as typed.
        description: String,
        /// Kind chosen.
        kind: CodeKind,
    },
    /// Confirm deleting a code, showing the codings that go with it.
    DeleteCode {
        /// Code GUID.
        guid: CodeId,
        /// Codings removed (count).
        total: usize,
        /// A few of them: document name and text.
        samples: Vec<(String, String)>,
    },
    /// Pick the code to merge a code into.
    MergeCode {
        /// Code merged away.
        from: CodeId,
        /// Filter typed.
        query: String,
    },
    /// Rename a document.
    RenameDocument {
        /// Document GUID.
        guid: DocumentId,
        /// Name as typed.
        name: String,
    },
    /// Before transcribing into a document that has text: replace it?
    ReplaceText {
        /// GUID of the document.
        document: DocumentId,
        /// Its name.
        name: String,
        /// The recording to transcribe.
        audio: PathBuf,
    },
    /// Recordings to transcribe into new documents.
    TranscribeFiles {
        /// Paths typed, one per line.
        paths: String,
        /// Answer of a file dialog running on another thread.
        browsing: Option<Receiver<Vec<PathBuf>>>,
    },
    /// Open a project by typing its path (or browsing, when a file dialog is available).
    OpenPath {
        /// Path typed.
        path: String,
        /// Answer of a file dialog running on another thread.
        browsing: Option<Receiver<Option<PathBuf>>>,
    },
    /// Create a project.
    NewProject {
        /// Path typed.
        path: String,
        /// Load the Réflexes publics codebook.
        with_template: bool,
    },
    /// Import documents by path.
    ImportPaths {
        /// Paths typed, one per line.
        paths: String,
    },
    /// The project's backups, newest first; `confirm`: the one about to be restored.
    Backups {
        /// The backups.
        list: Vec<crate::store::backup::BackupInfo>,
        /// Asked to restore this one (waiting for confirmation).
        confirm: Option<std::path::PathBuf>,
    },
    /// Merge other copies of the project (typed paths, one per line).
    Merge {
        /// Paths typed.
        paths: String,
        /// Unify codes with the same path.
        unify_codes: bool,
    },
    /// A report to read (merge report, Markdown).
    Report {
        /// Title of the dialog, in the user's language.
        title: String,
        /// The text shown, in the user's language.
        text: String,
    },
    /// REFI-QDA import and export (typed paths).
    Interchange {
        /// `.qdpx` / `.qdc` file to import.
        import_path: String,
        /// `.qdpx` / `.qdc` file to write.
        export_path: String,
    },
    /// The coder's name.
    CoderName {
        /// Name typed.
        name: String,
        /// Asked on first start (no cancel).
        first_start: bool,
    },
    /// Add a respondent.
    AddRespondent {
        /// Name as typed.
        name: String,
    },
    /// Define an attribute.
    DefineAttribute {
        /// Name as typed.
        name: String,
        /// Type its values are checked against.
        value_type: AttributeType,
        /// Whether it describes respondents or documents.
        scope: AttributeScope,
    },
    /// A project was left open by a session that ended elsewhere: take it over?
    TakeOver {
        /// The project file the message is about.
        path: PathBuf,
        /// What happened.
        message: String,
    },
    /// The settings: language, the transcription model.
    Settings {
        /// The model folder typed.
        model: String,
        /// The folder a transcription would use now (or why none), shown below.
        in_use: String,
        /// Answer of a folder dialog running on another thread.
        browsing: Option<Receiver<Option<PathBuf>>>,
    },
    /// Keyboard shortcuts (F1).
    Help,
}

/// A text field tied to its label (so screen readers and tests find it by the label).
pub fn labeled_text(ui: &mut Ui, label: &str, text: &mut String, multiline: bool) -> Response {
    let label = ui.label(label);
    let edit = if multiline {
        egui::TextEdit::multiline(text)
            .desired_rows(8)
            .desired_width(f32::INFINITY)
    } else {
        egui::TextEdit::singleline(text).desired_width(f32::INFINITY)
    };
    ui.add(edit).labelled_by(label.id)
}

/// Gives a dialog's first field the keyboard focus when nothing has it.
pub(super) fn autofocus(ui: &Ui, response: &Response) {
    if ui.memory(|m| m.focused().is_none()) {
        response.request_focus();
    }
}

/// Which Enter key confirms a dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Enter {
    /// Enter (one-line fields).
    Plain,
    /// Ctrl+Enter (multi-line fields, where Enter is a new line).
    WithCtrl,
    /// Only the button (destructive dialogs).
    Never,
}

/// Two buttons, OK and Cancel; returns (ok, cancel).
pub(super) fn buttons(
    ui: &mut Ui,
    env: &Env,
    ok_key: &str,
    ok_enabled: bool,
    enter: Enter,
) -> (bool, bool) {
    ui.add_space(6.0);
    let enter_pressed = ui.input(|i| {
        i.key_pressed(egui::Key::Enter)
            && match enter {
                Enter::Plain => !i.modifiers.shift,
                Enter::WithCtrl => i.modifiers.command,
                Enter::Never => false,
            }
    });
    ui.horizontal(|ui| {
        let ok = ui
            .add_enabled(
                ok_enabled,
                egui::Button::new(RichText::new(env.tr.t(ok_key)).strong()),
            )
            .clicked()
            || (ok_enabled && enter_pressed);
        let cancel = ui.button(env.tr.t("common.cancel")).clicked();
        (ok, cancel)
    })
    .inner
}

/// A combo box choosing a code kind.
pub fn kind_combo(ui: &mut Ui, env: &Env, id: &str, kind: &mut CodeKind) {
    let label = ui.label(env.tr.t("code.kind"));
    egui::ComboBox::from_id_salt(id)
        .selected_text(env.tr.t(kind_key(*kind)))
        .show_ui(ui, |ui| {
            for k in CodeKind::ALL {
                ui.selectable_value(kind, k, env.tr.t(kind_key(k)));
            }
        })
        .response
        .labelled_by(label.id);
}

pub use crate::i18n::kind_key;

/// Translation key of an attribute type.
pub fn type_key(t: AttributeType) -> &'static str {
    match t {
        AttributeType::Text => "attr.text",
        AttributeType::Integer => "attr.integer",
        AttributeType::Decimal => "attr.decimal",
        AttributeType::Boolean => "attr.boolean",
        AttributeType::Date => "attr.date",
    }
}

/// Draws the open dialog; closes it when done.
pub fn dialog_ui(dialog: &mut Option<Dialog>, ui: &Ui, env: &Env, commands: &mut Vec<Command>) {
    let Some(current) = dialog.as_mut() else {
        return;
    };
    let mut close = false;
    let response = Modal::new(Id::unique("dialog")).show(ui.ctx(), |ui| {
        ui.set_max_width(560.0);
        close = dialog_body(current, ui, env, commands);
    });
    // The first start's coder name cannot be dismissed: the app needs a name.
    let first_start = matches!(
        current,
        Dialog::CoderName {
            first_start: true,
            ..
        }
    );
    if close || (response.should_close() && !first_start) {
        *dialog = None;
    }
}

/// The dialog's content; true when it is done (confirmed or cancelled).
fn dialog_body(current: &mut Dialog, ui: &mut Ui, env: &Env, commands: &mut Vec<Command>) -> bool {
    let tr = env.tr;
    match current {
        Dialog::Memo { target, text } => memo_ui(ui, env, target, text, commands),
        Dialog::AddCode { .. }
        | Dialog::EditCode { .. }
        | Dialog::DeleteCode { .. }
        | Dialog::MergeCode { .. } => {
            super::code_dialogs::code_dialog_ui(current, ui, env, commands)
        }
        Dialog::RenameDocument { guid, name } => rename_document_ui(ui, env, guid, name, commands),
        Dialog::OpenPath { .. }
        | Dialog::NewProject { .. }
        | Dialog::ImportPaths { .. }
        | Dialog::CoderName { .. } => {
            super::project_dialogs::project_dialog_ui(current, ui, env, commands)
        }
        Dialog::Interchange {
            import_path,
            export_path,
        } => interchange_ui(ui, env, import_path, export_path, commands),
        Dialog::Merge { paths, unify_codes } => merge_ui(ui, env, paths, unify_codes, commands),
        Dialog::Report { title, text } => {
            ui.heading(title.as_str());
            egui::ScrollArea::vertical()
                .max_height(460.0)
                .show(ui, |ui| {
                    ui.add(egui::Label::new(RichText::new(text.as_str()).monospace()).wrap());
                });
            ui.button(tr.t("common.close")).clicked()
        }
        Dialog::Backups { list, confirm } => {
            super::backups_dialog::backups_ui(ui, env, list, confirm, commands)
        }
        Dialog::AddRespondent { name } => add_respondent_ui(ui, env, name, commands),
        Dialog::DefineAttribute {
            name,
            value_type,
            scope,
        } => define_attribute_ui(ui, env, name, value_type, scope, commands),
        Dialog::TakeOver { path, message } => {
            ui.heading(tr.t("project.take_over_title"));
            ui.label(message.as_str());
            ui.label(RichText::new(tr.t("project.take_over_help")).color(theme::INK_SOFT));
            let (ok, cancel) = buttons(ui, env, "project.take_over", true, Enter::Never);
            if ok {
                commands.push(Command::Session(Session::TakeOver(path.clone())));
            }
            ok || cancel
        }
        Dialog::Settings {
            model,
            in_use,
            browsing,
        } => settings_ui(ui, env, model, in_use, browsing, commands),
        Dialog::ReplaceText {
            document,
            name,
            audio,
        } => super::transcribe_dialogs::replace_text_ui(ui, env, document, name, audio, commands),
        Dialog::TranscribeFiles { paths, browsing } => {
            super::transcribe_dialogs::transcribe_files_ui(ui, env, paths, browsing, commands)
        }
        Dialog::Help => help_ui(ui, env),
    }
}

/// The memo editor (a blank memo is deleted when saved).
fn memo_ui(
    ui: &mut Ui,
    env: &Env,
    target: &MemoTarget,
    text: &mut String,
    commands: &mut Vec<Command>,
) -> bool {
    let tr = env.tr;
    ui.heading(tr.t("memo.title"));
    ui.label(RichText::new(memo_target_label(env, target)).color(theme::INK_SOFT));
    let edit = labeled_text(ui, tr.t("memo.text"), text, true);
    autofocus(ui, &edit);
    ui.label(
        RichText::new(tr.t("memo.blank_deletes"))
            .small()
            .color(theme::INK_SOFT),
    );
    let (ok, cancel) = buttons(ui, env, "common.save", true, Enter::WithCtrl);
    if ok {
        commands.push(Command::Edit(Edit::SetMemo {
            target: target.clone(),
            text: text.clone(),
        }));
    }
    ok || cancel
}

/// A document's new name.
fn rename_document_ui(
    ui: &mut Ui,
    env: &Env,
    guid: &DocumentId,
    name: &mut String,
    commands: &mut Vec<Command>,
) -> bool {
    let tr = env.tr;
    ui.heading(tr.t("doc.rename"));
    let edit = labeled_text(ui, tr.t("doc.name"), name, false);
    autofocus(ui, &edit);
    let (ok, cancel) = buttons(
        ui,
        env,
        "common.save",
        !name.trim().is_empty(),
        Enter::Plain,
    );
    if ok {
        commands.push(Command::Edit(Edit::RenameDocument {
            guid: guid.clone(),
            name: name.clone(),
        }));
    }
    ok || cancel
}

/// REFI-QDA: where to export the project or its codebook, and a file to import.
fn interchange_ui(
    ui: &mut Ui,
    env: &Env,
    import_path: &mut String,
    export_path: &mut String,
    commands: &mut Vec<Command>,
) -> bool {
    let tr = env.tr;
    ui.heading(tr.t("refi.title"));
    ui.label(RichText::new(tr.t("refi.hint")).color(theme::INK_SOFT));
    labeled_text(ui, tr.t("refi.export_path"), export_path, false);
    let mut done = false;
    if ui
        .add_enabled(
            !export_path.trim().is_empty(),
            egui::Button::new(tr.t("refi.export")),
        )
        .clicked()
    {
        commands.push(Command::Export(Export::Refi(export_path.trim().into())));
        done = true;
    }
    ui.separator();
    labeled_text(ui, tr.t("refi.import_path"), import_path, false);
    if ui
        .add_enabled(
            !import_path.trim().is_empty(),
            egui::Button::new(tr.t("refi.import")),
        )
        .clicked()
    {
        commands.push(Command::Work(Work::Import(vec![import_path.trim().into()])));
        done = true;
    }
    ui.separator();
    done || ui.button(tr.t("common.cancel")).clicked()
}

/// Other copies of the project to merge in (one path a line).
fn merge_ui(
    ui: &mut Ui,
    env: &Env,
    paths: &mut String,
    unify_codes: &mut bool,
    commands: &mut Vec<Command>,
) -> bool {
    let tr = env.tr;
    ui.heading(tr.t("merge.title"));
    ui.label(RichText::new(tr.t("merge.hint")).color(theme::INK_SOFT));
    labeled_text(ui, tr.t("merge.paths"), paths, true);
    ui.checkbox(unify_codes, tr.t("merge.unify"));
    let list: Vec<std::path::PathBuf> = paths
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(Into::into)
        .collect();
    let (ok, cancel) = buttons(ui, env, "merge.run", !list.is_empty(), Enter::WithCtrl);
    if ok {
        commands.push(Command::Work(Work::Merge {
            paths: list,
            unify_codes: *unify_codes,
        }));
    }
    ok || cancel
}

/// A new respondent's name.
fn add_respondent_ui(
    ui: &mut Ui,
    env: &Env,
    name: &mut String,
    commands: &mut Vec<Command>,
) -> bool {
    let tr = env.tr;
    ui.heading(tr.t("resp.add"));
    let edit = labeled_text(ui, tr.t("resp.name"), name, false);
    autofocus(ui, &edit);
    let (ok, cancel) = buttons(ui, env, "common.add", !name.trim().is_empty(), Enter::Plain);
    if ok {
        commands.push(Command::Edit(Edit::AddRespondent(name.trim().to_string())));
    }
    ok || cancel
}

/// A new attribute: name, type, of respondents or of documents.
fn define_attribute_ui(
    ui: &mut Ui,
    env: &Env,
    name: &mut String,
    value_type: &mut AttributeType,
    scope: &mut AttributeScope,
    commands: &mut Vec<Command>,
) -> bool {
    let tr = env.tr;
    ui.heading(tr.t("attr.add"));
    let edit = labeled_text(ui, tr.t("attr.name"), name, false);
    autofocus(ui, &edit);
    let label = ui.label(tr.t("attr.type"));
    egui::ComboBox::from_id_salt("attr_type")
        .selected_text(tr.t(type_key(*value_type)))
        .show_ui(ui, |ui| {
            for t in [
                AttributeType::Text,
                AttributeType::Integer,
                AttributeType::Decimal,
                AttributeType::Boolean,
                AttributeType::Date,
            ] {
                ui.selectable_value(value_type, t, tr.t(type_key(t)));
            }
        })
        .response
        .labelled_by(label.id);
    ui.horizontal(|ui| {
        ui.radio_value(
            scope,
            AttributeScope::Respondent,
            tr.t("attr.of_respondents"),
        );
        ui.radio_value(scope, AttributeScope::Document, tr.t("attr.of_documents"));
    });
    let (ok, cancel) = buttons(ui, env, "common.add", !name.trim().is_empty(), Enter::Plain);
    if ok {
        commands.push(Command::Edit(Edit::DefineAttribute {
            name: name.trim().to_string(),
            value_type: *value_type,
            scope: *scope,
        }));
    }
    ok || cancel
}

/// The settings: the interface's language, the transcription model.
fn settings_ui(
    ui: &mut Ui,
    env: &Env,
    model: &mut String,
    in_use: &str,
    browsing: &mut Option<Receiver<Option<PathBuf>>>,
    commands: &mut Vec<Command>,
) -> bool {
    let tr = env.tr;
    ui.heading(tr.t("settings.title"));
    ui.label(RichText::new(tr.t("settings.language")).strong());
    ui.horizontal(|ui| {
        for lang in Language::ALL {
            if ui
                .selectable_label(tr.language() == lang, lang.native_name())
                .clicked()
            {
                commands.push(Command::Session(Session::Language(lang)));
            }
        }
    });
    ui.separator();
    super::transcribe_dialogs::model_setting_ui(ui, env, model, in_use, browsing, commands);
    ui.add_space(6.0);
    ui.button(tr.t("common.close")).clicked()
}

/// The keyboard shortcuts (F1).
fn help_ui(ui: &mut Ui, env: &Env) -> bool {
    let tr = env.tr;
    // The search language's lines are long: wrapped at a reading width.
    ui.set_max_width(760.0);
    ui.heading(tr.t("help.title"));
    egui::ScrollArea::vertical()
        .max_height(ui.ctx().content_rect().height() * 0.45)
        .show(ui, |ui| {
            egui::Grid::new("shortcuts")
                .striped(true)
                .num_columns(2)
                .show(ui, |ui| {
                    for (keys, what) in super::super::shortcuts::LIST {
                        ui.label(RichText::new(*keys).monospace());
                        ui.label(tr.t(what));
                        ui.end_row();
                    }
                });
            ui.label(RichText::new(tr.t("help.select_exact")).color(theme::INK_SOFT));
            ui.add_space(10.0);
            query_help_ui(ui, env);
        });
    ui.add_space(6.0);
    ui.button(tr.t("common.close")).clicked()
}

/// The search language, briefly: an example of each form and what it finds.
fn query_help_ui(ui: &mut Ui, env: &Env) {
    let tr = env.tr;
    ui.strong(tr.t("help.query_title"));
    ui.label(RichText::new(tr.t("help.query_intro")).color(theme::INK_SOFT));
    egui::Grid::new("query_syntax")
        .striped(true)
        .num_columns(2)
        .show(ui, |ui| {
            for (example, finds) in super::super::shortcuts::QUERY_SYNTAX {
                ui.label(RichText::new(tr.t(example)).monospace());
                ui.label(tr.t(finds));
                ui.end_row();
            }
        });
    ui.label(RichText::new(tr.t("help.query_where")).color(theme::INK_SOFT));
}

/// A human description of what a memo is about.
pub fn memo_target_label(env: &Env, target: &MemoTarget) -> String {
    let tr = env.tr;
    match target {
        MemoTarget::Project => tr.f("memo.on_project", &[("name", &env.cache.project_name)]),
        MemoTarget::Document(g) => tr.f(
            "memo.on_document",
            &[(
                "name",
                env.cache
                    .document(g)
                    .map(|d| d.name.as_str())
                    .unwrap_or("?"),
            )],
        ),
        MemoTarget::Respondent(g) => tr.f(
            "memo.on_respondent",
            &[(
                "name",
                env.cache
                    .respondent(g)
                    .map(|r| r.name.as_str())
                    .unwrap_or("?"),
            )],
        ),
        MemoTarget::Code(g) => tr.f("memo.on_code", &[("name", &env.code_path(g))]),
        MemoTarget::Coding(_) => tr.t("memo.on_coding").to_string(),
    }
}
