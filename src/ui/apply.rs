//! Applying commands through the core, after the frame. Every edit is one
//! `Project::action` (one transaction, one undo step); each error is handled once, here,
//! into the status line.

use crate::model::CodeKind;
use crate::store::{StoreError, codings};

use super::app::FouilleApp;
use super::command::{Command, QuickCodeMode};
use super::edits::project_mut;
use super::panels::status::Level;
use super::state::{BottomTab, Screen};
use super::widgets::modals::Dialog;
use super::widgets::quick_code::QuickTarget;
use crate::i18n::I18n;

/// What must be read again after an edit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum Reload {
    /// The cache and the open document.
    #[default]
    All,
    /// The cache, and these codings of the open document (added, changed or removed):
    /// the document's other codings stay as they are.
    Codings(Vec<String>),
    /// The cache only (memos, attributes…: the open document's text and codings are
    /// unchanged).
    CacheOnly,
}

impl FouilleApp {
    /// Applies every queued command.
    pub fn apply_commands(&mut self) {
        let queued = std::mem::take(&mut self.commands);
        for command in queued {
            let edits = command.edits_project();
            self.reload = Reload::All;
            match self.try_apply(command) {
                Ok(Some(text)) => self.say(Level::Ok, text),
                Ok(None) => {}
                Err(text) => self.say(Level::Error, text),
            }
            if edits {
                match std::mem::take(&mut self.reload) {
                    Reload::All => self.refresh(),
                    Reload::Codings(changed) => self.refresh_codings(&changed),
                    Reload::CacheOnly => {
                        self.load_cache();
                        self.sync_view();
                    }
                }
            }
        }
    }

    fn open_document(&mut self, guid: String) {
        self.nav.document = Some(guid);
        self.load_content();
        if !matches!(self.state.screen, Screen::Coding | Screen::Survey) {
            self.state.screen = Screen::Coding;
        }
    }

    /// Applies one command; `Ok(Some(text))` is a message for the status line.
    fn try_apply(&mut self, command: Command) -> Result<Option<String>, String> {
        let tr = self.tr.clone();
        let store = |e: StoreError| crate::i18n::errors::store(&tr, &e);
        if command.edits_project() {
            project_mut(&mut self.project, self.project_lent, &tr)?;
        }
        let project = self.project.as_mut();
        match command {
            Command::OpenProject(path) => self.open_project(path).map(|_| None),
            Command::NewProject {
                path,
                with_template,
            } => self.new_project(path, with_template).map(|_| None),
            Command::TakeOverProject(path) => self.take_over_project(path).map(|_| None),
            Command::OpenSample => self.open_sample().map(|_| None),
            Command::ImportFiles(paths) => self.import_files(paths).map(|_| None),
            Command::SetLanguage(lang) => {
                self.state.language = lang;
                self.tr = I18n::new(lang);
                Ok(None)
            }
            Command::SetCoder(name) => {
                self.state.coder_name = Some(name.clone());
                if let Some(project) = project {
                    project.set_coder(&name).map_err(store)?;
                }
                Ok(Some(tr.f("msg.coder", &[("name", &name)])))
            }
            Command::Undo => {
                let Some(project) = project else {
                    return Ok(None);
                };
                Ok(Some(match project.undo().map_err(store)? {
                    Some(label) => tr.f("msg.undone", &[("action", &tr.action_label(&label))]),
                    None => tr.t("msg.nothing_to_undo").to_string(),
                }))
            }
            Command::Redo => {
                let Some(project) = project else {
                    return Ok(None);
                };
                Ok(Some(match project.redo().map_err(store)? {
                    Some(label) => tr.f("msg.redone", &[("action", &tr.action_label(&label))]),
                    None => tr.t("msg.nothing_to_redo").to_string(),
                }))
            }
            Command::SetScreen(screen) => {
                self.state.screen = screen;
                let open_is_answer = self
                    .nav
                    .document
                    .as_deref()
                    .and_then(|d| self.cache.document(d))
                    .is_some_and(|d| d.kind == crate::model::DocumentKind::SurveyAnswer);
                if screen == Screen::Survey && !open_is_answer {
                    let first = self
                        .cache
                        .survey
                        .rows
                        .iter()
                        .flat_map(|(_, cells)| cells.iter().flatten())
                        .next()
                        .cloned();
                    if let Some(first) = first {
                        self.open_document(first);
                    }
                }
                Ok(None)
            }
            Command::SetLeftTab(tab) => {
                self.state.layout.left_tab = tab;
                Ok(None)
            }
            Command::SetBottomTab(tab) => {
                self.state.layout.bottom_tab = tab;
                Ok(None)
            }
            Command::OpenDocument(guid) => {
                self.open_document(guid);
                Ok(None)
            }
            Command::JumpTo {
                document,
                start,
                end,
            } => {
                self.open_document(document);
                self.doc_view.select_and_reveal(start, end);
                Ok(None)
            }
            Command::SelectCode { guid, additive } => {
                if additive {
                    if let Some(i) = self.nav.selected_codes.iter().position(|g| *g == guid) {
                        self.nav.selected_codes.remove(i);
                    } else {
                        self.nav.selected_codes.push(guid);
                    }
                } else {
                    self.nav.selected_codes = vec![guid];
                }
                self.state.layout.bottom_tab = BottomTab::Retrieval;
                Ok(None)
            }
            Command::SelectRespondent(r) => {
                self.nav.respondent = r;
                self.state.layout.left_tab = super::state::LeftTab::Documents;
                self.state.layout.show_left = true;
                Ok(None)
            }
            Command::QuickCode(mode) => {
                match mode {
                    QuickCodeMode::Apply => match self.coding_target() {
                        Some((document, start, end)) => self.quick.open(QuickTarget::Range {
                            document,
                            start,
                            end,
                        }),
                        None => return Err(tr.t("error.select_first").to_string()),
                    },
                    QuickCodeMode::Change(coding) => self.quick.open(QuickTarget::Coding(coding)),
                }
                Ok(None)
            }
            Command::EditMemo(target) => {
                let mine = self
                    .cache
                    .coder
                    .as_ref()
                    .map(|c| c.guid.clone())
                    .unwrap_or_default();
                let text = self
                    .cache
                    .memos
                    .iter()
                    .find(|m| m.target == target && m.created_by == mine)
                    .map(|m| m.text.clone())
                    .unwrap_or_default();
                self.dialog = Some(Dialog::Memo { target, text });
                Ok(None)
            }
            Command::AskDeleteCode(guid) => {
                let Some(project) = project else {
                    return Ok(None);
                };
                let filter = codings::ExcerptFilter {
                    codes: vec![guid.clone()],
                    ..Default::default()
                };
                let excerpts = codings::excerpts(project.conn(), &filter).map_err(store)?;
                let samples = excerpts
                    .iter()
                    .take(5)
                    .map(|e| (e.document_name.clone(), e.text.clone()))
                    .collect();
                self.dialog = Some(Dialog::DeleteCode {
                    guid,
                    total: excerpts.len(),
                    samples,
                });
                Ok(None)
            }
            Command::AskMergeCode(from) => {
                self.dialog = Some(Dialog::MergeCode {
                    from,
                    query: String::new(),
                });
                Ok(None)
            }
            Command::AskAddCode(parent) => {
                let kind = match parent
                    .as_deref()
                    .and_then(|p| self.cache.code(p))
                    .map(|e| e.code.kind)
                {
                    Some(CodeKind::Orientation) => CodeKind::Piste,
                    _ => CodeKind::Theme,
                };
                self.dialog = Some(Dialog::AddCode {
                    parent,
                    name: String::new(),
                    kind,
                    pole_a: String::new(),
                    pole_b: String::new(),
                });
                Ok(None)
            }
            Command::AskEditCode(guid) => {
                if let Some(e) = self.cache.code(&guid) {
                    self.dialog = Some(Dialog::EditCode {
                        guid,
                        name: e.code.name.clone(),
                        color: super::theme::code_color(&e.code.color),
                        description: e.code.description.clone(),
                        kind: e.code.kind,
                    });
                }
                Ok(None)
            }
            Command::AskRenameDocument(guid) => {
                let name = self
                    .cache
                    .document(&guid)
                    .map(|d| d.name.clone())
                    .unwrap_or_default();
                self.dialog = Some(Dialog::RenameDocument { guid, name });
                Ok(None)
            }
            Command::AskAddRespondent => {
                self.dialog = Some(Dialog::AddRespondent {
                    name: String::new(),
                });
                Ok(None)
            }
            Command::AskDefineAttribute => {
                self.dialog = Some(Dialog::DefineAttribute {
                    name: String::new(),
                    value_type: crate::model::AttributeType::Text,
                    scope: crate::model::AttributeScope::Respondent,
                });
                Ok(None)
            }
            Command::AskCoderName => {
                let name = self
                    .cache
                    .coder
                    .as_ref()
                    .map(|c| c.name.clone())
                    .or_else(|| self.state.coder_name.clone())
                    .unwrap_or_default();
                self.dialog = Some(Dialog::CoderName {
                    name,
                    first_start: false,
                });
                Ok(None)
            }
            Command::AskOpenProject => {
                self.dialog = Some(Dialog::OpenPath {
                    path: String::new(),
                    browsing: None,
                });
                Ok(None)
            }
            Command::AskNewProject => {
                let path = super::app::data_dir()
                    .join("nouveau.fouille")
                    .display()
                    .to_string();
                self.dialog = Some(Dialog::NewProject {
                    path,
                    with_template: true,
                });
                Ok(None)
            }
            Command::AskImport => {
                self.dialog = Some(Dialog::ImportPaths {
                    paths: String::new(),
                });
                Ok(None)
            }
            Command::ShowSettings => {
                self.dialog = Some(Dialog::Settings);
                Ok(None)
            }
            Command::ShowHelp => {
                self.dialog = Some(Dialog::Help);
                Ok(None)
            }
            Command::ImportQdpx | Command::Export => {
                let path = self.default_refi_path();
                self.dialog = Some(Dialog::Interchange {
                    import_path: String::new(),
                    export_path: path,
                });
                Ok(None)
            }
            Command::ShowBackups => self.show_backups(),
            Command::SetBlind(on) => self.set_blind(on),
            Command::AcceptVersion {
                document,
                code,
                start,
                end,
                from,
                to,
            } => self.accept_version(&document, &code, start, end, &from, &to),
            Command::MakeBackup => self.make_backup(),
            Command::RestoreBackup(path) => self.restore_backup(path),
            Command::ExportRefi(path) => self.export_refi(path),
            Command::MergeProject => {
                self.dialog = Some(Dialog::Merge {
                    paths: String::new(),
                    unify_codes: false,
                });
                Ok(None)
            }
            Command::RunMerge { paths, unify_codes } => self.run_merge(paths, unify_codes),
            Command::ExportTables { path, format } => self.export_tables(path, format),
            Command::OpenTranscriptEditor(document) => self.open_transcript(document),
            Command::CloseTranscriptEditor => self.close_transcript(),
            Command::SaveTranscript => self.save_transcript(),
            Command::AttachMedia { document, path } => self.attach_media(document, path),
            Command::SetSpeakers { document, speakers } => self.set_speakers(document, speakers),
            Command::ExportReport {
                path,
                format,
                group_by,
                pseudonymise,
            } => self.export_report(path, format, group_by, pseudonymise),
            Command::Edit(edit) => self.apply_edit(edit),
        }
    }
}
