//! Applying commands through the core, after the frame. Every edit is one
//! `Project::action` (one transaction, one undo step); each error is handled once, here,
//! into the status line.

use crate::model::{CodeKind, MemoTarget};
use crate::store::codes::{self, NewCode};
use crate::store::respondents::NewRespondent;
use crate::store::{Project, StoreError, attributes, codings, documents, memos, respondents};

use super::app::FouilleApp;
use super::cache::{DocumentContent, ProjectCache};
use super::command::{Command, QuickCodeMode};
use super::i18n::I18n;
use super::panels::status::Level;
use super::state::{BottomTab, Screen};
use super::widgets::modals::Dialog;
use super::widgets::quick_code::QuickTarget;

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

/// Longest name an in-vivo code gets, in chars.
const IN_VIVO_MAX_CHARS: usize = 60;

/// The name of an in-vivo code made from selected text: one line, no `/`, bounded.
pub fn in_vivo_name(text: &str) -> String {
    let clean = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('/', "-");
    let clean = clean
        .trim_matches(|c: char| c.is_ascii_punctuation() && c != '-' || c == '«' || c == '»')
        .trim();
    if clean.chars().count() <= IN_VIVO_MAX_CHARS {
        return clean.to_string();
    }
    let cut: String = clean.chars().take(IN_VIVO_MAX_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

fn project_mut<'a>(
    project: &'a mut Option<Project>,
    lent: bool,
    tr: &I18n,
) -> Result<&'a mut Project, String> {
    match project {
        Some(p) => Ok(p),
        None if lent => Err(tr.t("error.busy").to_string()),
        None => Err(tr.t("error.no_project").to_string()),
    }
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

    /// Reads the cache and the open document again.
    pub(crate) fn refresh(&mut self) {
        if self.load_cache() {
            self.load_content();
        }
    }

    /// Reads again what codings change, and only the given codings of the open document.
    fn refresh_codings(&mut self, changed: &[String]) {
        let Some(project) = &self.project else { return };
        let base_version = self.version;
        self.version += 1;
        if let Err(e) = self.cache.reload_codings(project, self.version) {
            let text = self.tr.f("error.read", &[("error", &e.to_string())]);
            self.say(Level::Error, text);
            self.refresh();
            return;
        }
        let cache = &self.cache;
        self.nav.selected_codes.retain(|g| cache.code(g).is_some());
        self.nav.recent_codes.retain(|g| cache.code(g).is_some());
        let (Some(project), Some(content)) = (&self.project, self.content.as_mut()) else {
            self.load_content();
            return;
        };
        for guid in changed {
            content.codings.retain(|c| &c.guid != guid);
            match codings::get(project.conn(), guid) {
                Ok(c)
                    if c.document_guid == content.guid
                        && self.cache.code(&c.code_guid).is_some() =>
                {
                    let at = content.codings.partition_point(|x| {
                        (x.start_char, x.end_char) <= (c.start_char, c.end_char)
                    });
                    content.codings.insert(at, c);
                }
                Ok(_) => {}
                Err(StoreError::NotFound(_)) => {}
                Err(e) => {
                    let text = self.tr.f("error.read", &[("error", &e.to_string())]);
                    self.say(Level::Error, text);
                    self.load_content();
                    return;
                }
            }
        }
        content.version = self.version;
        content.patch = Some((base_version, changed.to_vec()));
        self.sync_view();
        if let Some(content) = self.content.as_mut() {
            content.patch = None;
        }
    }

    /// Reads the cache again; false if the project cannot be read.
    fn load_cache(&mut self) -> bool {
        let Some(project) = &self.project else {
            return false;
        };
        self.version += 1;
        match ProjectCache::load(project, self.version) {
            Ok(cache) => self.cache = cache,
            Err(e) => {
                let text = self.tr.f("error.read", &[("error", &e.to_string())]);
                self.say(Level::Error, text);
                return false;
            }
        }
        let cache = &self.cache;
        self.nav.selected_codes.retain(|g| cache.code(g).is_some());
        self.nav.recent_codes.retain(|g| cache.code(g).is_some());
        if self
            .nav
            .respondent
            .as_ref()
            .is_some_and(|r| cache.respondent(r).is_none())
        {
            self.nav.respondent = None;
        }
        if self
            .nav
            .document
            .as_ref()
            .is_some_and(|d| cache.document(d).is_none())
        {
            self.nav.document = None;
            self.load_content();
        }
        true
    }

    /// Reads the open document's text (if it changed) and codings.
    pub(crate) fn load_content(&mut self) {
        let (Some(project), Some(doc)) = (&self.project, self.nav.document.clone()) else {
            self.content = None;
            self.sync_view();
            return;
        };
        if self.cache.document(&doc).is_none() {
            self.nav.document = None;
            self.content = None;
            self.sync_view();
            return;
        }
        match DocumentContent::load(project, &doc, self.content.take(), self.version) {
            Ok(content) => self.content = Some(content),
            Err(e) => {
                let text = self.tr.f("error.read", &[("error", &e.to_string())]);
                self.say(Level::Error, text);
            }
        }
        self.sync_view();
    }

    fn open_document(&mut self, guid: String) {
        self.nav.document = Some(guid);
        self.load_content();
        if !matches!(self.state.screen, Screen::Coding | Screen::Survey) {
            self.state.screen = Screen::Coding;
        }
    }

    fn code_message(&self, code: &str) -> String {
        let env = self.env();
        match env.pole_note(code) {
            Some(note) => self.tr.f("msg.coded_pole", &[("note", &note)]),
            None => self.tr.f("msg.coded", &[("code", &env.code_path(code))]),
        }
    }

    /// Applies one command; `Ok(Some(text))` is a message for the status line.
    fn try_apply(&mut self, command: Command) -> Result<Option<String>, String> {
        let tr = self.tr.clone();
        let store = |e: StoreError| e.to_string();
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
            Command::OpenSample => self.open_sample().map(|_| None),
            Command::ImportDocuments(paths) => self.import_documents(paths).map(|_| None),
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
                    Some(label) => tr.f("msg.undone", &[("action", &label)]),
                    None => tr.t("msg.nothing_to_undo").to_string(),
                }))
            }
            Command::Redo => {
                let Some(project) = project else {
                    return Ok(None);
                };
                Ok(Some(match project.redo().map_err(store)? {
                    Some(label) => tr.f("msg.redone", &[("action", &label)]),
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
            Command::ImportQdpx | Command::Export | Command::MergeProject => {
                Err(tr.t("menu.not_yet").to_string())
            }
            edit => self.apply_edit(edit),
        }
    }

    /// Applies a command that changes the project.
    fn apply_edit(&mut self, command: Command) -> Result<Option<String>, String> {
        let tr = self.tr.clone();
        let store = |e: StoreError| e.to_string();
        let project = project_mut(&mut self.project, self.project_lent, &tr)?;
        let label = |key: &str| tr.t(key).to_string();
        match command {
            Command::ApplyCode {
                document,
                code,
                start,
                end,
            } => {
                let guid = project
                    .action(&label("action.code"), |tx| {
                        codings::apply(tx, &document, &code, start, end)
                    })
                    .map_err(store)?;
                self.reload = Reload::Codings(vec![guid]);
                self.nav.use_code(&code);
                Ok(Some(self.code_message(&code)))
            }
            Command::InVivo {
                document,
                start,
                end,
            } => {
                let text = documents::text(project.conn(), &document).map_err(store)?;
                let name =
                    in_vivo_name(crate::model::text::slice_chars(&text, start, end).unwrap_or(""));
                if name.is_empty() {
                    return Err(tr.t("error.in_vivo_empty").to_string());
                }
                let (code, coding) = project
                    .action(&label("action.in_vivo"), |tx| {
                        let existing = codes::list(tx.conn)?
                            .into_iter()
                            .find(|c| c.parent_guid.is_none() && c.name == name);
                        let code = match existing {
                            Some(c) => c.guid,
                            None => codes::insert(tx, NewCode::new(&name, CodeKind::Theme, None))?,
                        };
                        let coding = codings::apply(tx, &document, &code, start, end)?;
                        Ok((code, coding))
                    })
                    .map_err(store)?;
                self.reload = Reload::Codings(vec![coding]);
                self.nav.use_code(&code);
                Ok(Some(tr.f("msg.in_vivo", &[("code", &name)])))
            }
            Command::RemoveCoding(guid) => {
                project
                    .action(&label("action.remove_coding"), |tx| {
                        codings::remove(tx, &guid)
                    })
                    .map_err(store)?;
                self.reload = Reload::Codings(vec![guid]);
                Ok(Some(tr.t("msg.coding_removed").to_string()))
            }
            Command::ChangeCodingCode { coding, code } => {
                project
                    .action(&label("action.change_code"), |tx| {
                        codings::change_code(tx, &coding, &code)
                    })
                    .map_err(store)?;
                self.reload = Reload::Codings(vec![coding]);
                self.nav.use_code(&code);
                Ok(Some(self.code_message(&code)))
            }
            Command::SetMemo { target, text } => {
                let kept = project
                    .action(&label("action.memo"), |tx| memos::set(tx, &target, &text))
                    .map_err(store)?;
                self.reload = Reload::CacheOnly;
                Ok(Some(
                    tr.t(if kept.is_some() {
                        "msg.memo_saved"
                    } else {
                        "msg.memo_deleted"
                    })
                    .to_string(),
                ))
            }
            Command::DeleteMemo(guid) => {
                project
                    .action(&label("action.memo_delete"), |tx| memos::delete(tx, &guid))
                    .map_err(store)?;
                self.reload = Reload::CacheOnly;
                Ok(Some(tr.t("msg.memo_deleted").to_string()))
            }
            Command::AddCode { parent, name, kind } => {
                let guid = project
                    .action(&label("action.add_code"), |tx| {
                        codes::insert(tx, NewCode::new(&name, kind, parent.as_deref()))
                    })
                    .map_err(store)?;
                self.nav.selected_codes = vec![guid];
                Ok(Some(tr.f("msg.code_added", &[("code", &name)])))
            }
            Command::AddControversy {
                parent,
                name,
                pole_a,
                pole_b,
            } => {
                project
                    .action(&label("action.add_code"), |tx| {
                        let c = codes::insert(
                            tx,
                            NewCode::new(&name, CodeKind::Controversy, parent.as_deref()),
                        )?;
                        codes::insert(tx, NewCode::new(&pole_a, CodeKind::Pole, Some(&c)))?;
                        codes::insert(tx, NewCode::new(&pole_b, CodeKind::Pole, Some(&c)))?;
                        Ok(c)
                    })
                    .map_err(store)?;
                Ok(Some(tr.f("msg.code_added", &[("code", &name)])))
            }
            Command::RenameCode { guid, name } => {
                project
                    .action(&label("action.rename_code"), |tx| {
                        codes::rename(tx, &guid, &name)
                    })
                    .map_err(store)?;
                Ok(Some(tr.f("msg.code_renamed", &[("code", &name)])))
            }
            Command::SetCodeDetails {
                guid,
                color,
                description,
            } => {
                project
                    .action(&label("action.edit_code"), |tx| {
                        codes::set_details(tx, &guid, &color, &description)
                    })
                    .map_err(store)?;
                Ok(None)
            }
            Command::SetCodeKind { guid, kind } => {
                project
                    .action(&label("action.edit_code"), |tx| {
                        codes::set_kind(tx, &guid, kind)
                    })
                    .map_err(store)?;
                Ok(None)
            }
            Command::MoveCode {
                guid,
                parent,
                position,
            } => {
                project
                    .action(&label("action.move_code"), |tx| {
                        codes::move_to(tx, &guid, parent.as_deref(), position)
                    })
                    .map_err(store)?;
                Ok(Some(tr.t("msg.code_moved").to_string()))
            }
            Command::MergeCode { from, into } => {
                let from_name = self.env().code_name(&from);
                let into_name = self.env().code_name(&into);
                let project = project_mut(&mut self.project, self.project_lent, &tr)?;
                let moved = project
                    .action(&label("action.merge_code"), |tx| {
                        codes::merge(tx, &from, &into)
                    })
                    .map_err(store)?;
                self.nav.selected_codes = vec![into];
                Ok(Some(tr.f(
                    "msg.merged",
                    &[
                        ("from", &from_name),
                        ("into", &into_name),
                        ("n", &moved.to_string()),
                    ],
                )))
            }
            Command::DeleteCode(guid) => {
                let name = self.env().code_name(&guid);
                let project = project_mut(&mut self.project, self.project_lent, &tr)?;
                let removed = project
                    .action(&label("action.delete_code"), |tx| codes::delete(tx, &guid))
                    .map_err(store)?;
                Ok(Some(tr.f(
                    "msg.code_deleted",
                    &[("code", &name), ("n", &removed.to_string())],
                )))
            }
            Command::LoadTemplate => {
                let added = project
                    .action(&label("action.template"), |tx| {
                        crate::templates::load(tx, &crate::templates::reflexes_publics())
                    })
                    .map_err(store)?;
                Ok(Some(tr.f("msg.template", &[("n", &added.to_string())])))
            }
            Command::RenameDocument { guid, name } => {
                project
                    .action(&label("action.rename_document"), |tx| {
                        documents::rename(tx, &guid, &name)
                    })
                    .map_err(store)?;
                Ok(None)
            }
            Command::DeleteDocument(guid) => {
                project
                    .action(&label("action.delete_document"), |tx| {
                        documents::delete(tx, &guid)
                    })
                    .map_err(store)?;
                Ok(Some(tr.t("msg.document_deleted").to_string()))
            }
            Command::LinkDocument {
                document,
                respondent,
            } => {
                project
                    .action(&label("action.link_document"), |tx| {
                        documents::set_respondent(tx, &document, respondent.as_deref())
                    })
                    .map_err(store)?;
                Ok(None)
            }
            Command::AddRespondent(name) => {
                project
                    .action(&label("action.add_respondent"), |tx| {
                        respondents::insert(
                            tx,
                            NewRespondent {
                                guid: None,
                                name: name.clone(),
                                pseudonym: String::new(),
                                consent: crate::model::Consent::Pending,
                            },
                        )
                    })
                    .map_err(store)?;
                Ok(None)
            }
            Command::UpdateRespondent {
                guid,
                name,
                pseudonym,
                consent,
            } => {
                project
                    .action(&label("action.edit_respondent"), |tx| {
                        respondents::update(tx, &guid, &name, &pseudonym, consent)
                    })
                    .map_err(store)?;
                Ok(None)
            }
            Command::DeleteRespondent(guid) => {
                project
                    .action(&label("action.delete_respondent"), |tx| {
                        respondents::delete(tx, &guid)
                    })
                    .map_err(store)?;
                Ok(None)
            }
            Command::DefineAttribute {
                name,
                value_type,
                scope,
            } => {
                project
                    .action(&label("action.define_attribute"), |tx| {
                        attributes::define(tx, &name, value_type, scope, None)
                    })
                    .map_err(store)?;
                Ok(None)
            }
            Command::SetAttributeValue {
                attribute,
                owner,
                value,
            } => {
                project
                    .action(&label("action.set_attribute"), |tx| {
                        attributes::set_value(tx, &attribute, &owner, value.as_deref())
                    })
                    .map_err(store)?;
                Ok(None)
            }
            other => {
                let _ = MemoTarget::Project;
                Err(format!("{other:?}"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_vivo_names_are_one_clean_line() {
        assert_eq!(in_vivo_name("  « on nous a lâchés »\n"), "on nous a lâchés");
        assert_eq!(in_vivo_name("entrée/sortie"), "entrée-sortie");
        let long = "mot ".repeat(40);
        assert!(in_vivo_name(&long).chars().count() <= IN_VIVO_MAX_CHARS);
        assert!(in_vivo_name(&long).ends_with('…'));
    }
}
