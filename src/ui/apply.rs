//! Applying commands through the core, after the frame. Every edit is one
//! `Project::action` (one transaction, one undo step); each error is handled once, here,
//! into the status line.

use super::app::FouilleApp;
use super::command::{Command, Export, Navigation, Session, Work};
use super::edits::project_mut;
use super::panels::status::Level;
use super::state::{BottomTab, LeftTab, Screen};
use crate::i18n::I18n;
use crate::model::{CodeId, CodingId, DocumentId};

/// What must be read again after an edit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum Reload {
    /// The cache and the open document.
    #[default]
    All,
    /// The cache, and these codings of the open document (added, changed or removed):
    /// the document's other codings stay as they are.
    Codings(Vec<CodingId>),
    /// The cache only (memos, attributes…: the open document's text and codings are
    /// unchanged).
    CacheOnly,
}

/// What applying a command gives: a message for the status line, and what to read again
/// if the command was an edit (ignored otherwise).
#[derive(Debug, Default)]
pub(crate) struct Applied {
    /// Shown in the status line.
    pub message: Option<String>,
    /// Read again after an edit.
    pub reload: Reload,
}

impl From<Option<String>> for Applied {
    fn from(message: Option<String>) -> Self {
        Applied {
            message,
            reload: Reload::All,
        }
    }
}

impl Work {
    /// What this work leaves stale. A backup or the speakers' labels change no text and
    /// no coding: the open document is kept as drawn.
    fn reload(&self) -> Reload {
        match self {
            Work::MakeBackup
            | Work::SetSpeakers { .. }
            | Work::SetStopWords(_)
            | Work::TeamLeave => Reload::CacheOnly,
            _ => Reload::All,
        }
    }
}

impl FouilleApp {
    /// Applies every queued command. After an edit (even a failed one, which may have
    /// half-read state) what it changed is read again.
    pub fn apply_commands(&mut self) {
        let queued = std::mem::take(&mut self.commands);
        for command in queued {
            let edits = command.edits_project();
            let reload = match self.try_apply(command) {
                Ok(Applied { message, reload }) => {
                    if let Some(text) = message {
                        self.say(Level::Ok, text);
                    }
                    reload
                }
                Err(text) => {
                    self.say(Level::Error, text);
                    Reload::All
                }
            };
            if edits {
                self.read_again(reload);
            }
        }
    }

    /// Reads again what an edit changed.
    fn read_again(&mut self, reload: Reload) {
        match reload {
            Reload::All => self.refresh(),
            Reload::Codings(changed) => self.refresh_codings(&changed),
            Reload::CacheOnly => {
                self.load_cache();
                self.sync_view();
            }
        }
    }

    /// Applies one command; the text is for the status line (an error in the user's language).
    fn try_apply(&mut self, command: Command) -> Result<Applied, String> {
        if command.edits_project() {
            project_mut(&mut self.project, self.project_lent, &self.tr)?;
        }
        match command {
            Command::Edit(edit) => self.apply_edit(edit),
            Command::Work(work) => self.apply_work(work),
            Command::Go(navigation) => self.apply_navigation(navigation).map(Applied::from),
            Command::Ask(prompt) => self.apply_prompt(prompt).map(Applied::from),
            Command::Session(session) => self.apply_session(session).map(Applied::from),
            Command::Export(export) => self.apply_export(export).map(Applied::from),
            Command::Transcribe(t) => self.apply_transcribe(t).map(Applied::from),
        }
    }

    /// Work that changes the project (the project is open: [`Self::try_apply`] checked).
    fn apply_work(&mut self, work: Work) -> Result<Applied, String> {
        let reload = work.reload();
        let message = match work {
            Work::SetCoder(name) => self.set_coder(name),
            Work::Undo => self.undo_or_redo(true),
            Work::Redo => self.undo_or_redo(false),
            Work::Import(paths) => self.import_files(paths).map(|_| None),
            Work::Merge { paths, unify_codes } => self.run_merge(paths, unify_codes),
            Work::SetBlind(on) => self.set_blind(on),
            Work::TeamJoin(folder) => self.team_join(&folder),
            Work::TeamSync => self.team_sync(),
            Work::TeamLeave => self.team_leave(),
            Work::AcceptVersion {
                document,
                code,
                start,
                end,
                from,
                to,
            } => self.accept_version(&document, &code, start, end, &from, &to),
            Work::MakeBackup => self.make_backup(),
            Work::SaveTranscript => self.save_transcript(),
            Work::AttachMedia { document, path } => self.attach_media(document, path),
            Work::SetSpeakers { document, speakers } => self.set_speakers(document, speakers),
            Work::Autocode(request) => self.autocode(request).map(|_| None),
            Work::SetStopWords(edits) => self.set_stop_words(edits),
        }?;
        Ok(Applied { message, reload })
    }

    /// Acts as coder `name` from now on (remembered, and created in the project if new).
    fn set_coder(&mut self, name: String) -> Result<Option<String>, String> {
        self.state.coder_name = Some(name.clone());
        if let Some(project) = self.project.as_mut() {
            project
                .set_coder(&name)
                .map_err(|e| crate::i18n::errors::store(&self.tr, &e))?;
        }
        Ok(Some(self.tr.f("msg.coder", &[("name", &name)])))
    }

    /// Undoes (`undo`) or redoes the last action; the message names it.
    fn undo_or_redo(&mut self, undo: bool) -> Result<Option<String>, String> {
        let tr = &self.tr;
        let Some(project) = self.project.as_mut() else {
            return Ok(None);
        };
        let (done, named, nothing) = if undo {
            (project.undo(), "msg.undone", "msg.nothing_to_undo")
        } else {
            (project.redo(), "msg.redone", "msg.nothing_to_redo")
        };
        Ok(Some(
            match done.map_err(|e| crate::i18n::errors::store(tr, &e))? {
                Some(label) => tr.f(named, &[("action", &tr.action_label(&label))]),
                None => tr.t(nothing).to_string(),
            },
        ))
    }

    /// Changes what is shown.
    fn apply_navigation(&mut self, navigation: Navigation) -> Result<Option<String>, String> {
        match navigation {
            Navigation::Screen(screen) => self.show_screen(screen),
            Navigation::LeftTab(tab) => self.state.layout.left_tab = tab,
            Navigation::BottomTab(tab) => self.state.layout.bottom_tab = tab,
            Navigation::Document(guid) => self.open_document(guid),
            Navigation::JumpTo {
                document,
                start,
                end,
            } => {
                self.open_document(document);
                self.doc_view.select_and_reveal(start, end);
            }
            Navigation::SelectCode { guid, additive } => self.select_code(guid, additive),
            Navigation::SelectRespondent(respondent) => {
                self.nav.respondent = respondent;
                self.state.layout.left_tab = LeftTab::Documents;
                self.state.layout.show_left = true;
            }
            Navigation::OpenTranscript(document) => return self.open_transcript(document),
            Navigation::CloseTranscript => return self.close_transcript(),
            Navigation::OpenFile { path, reveal } => return self.open_file(&path, reveal),
        }
        Ok(None)
    }

    /// Shows a screen; the Survey screen opens its first answer unless one is open.
    fn show_screen(&mut self, screen: Screen) {
        self.state.screen = screen;
        let open_is_answer = self
            .nav
            .document
            .as_ref()
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
    }

    /// Opens a document in the document view, on the Coding screen unless the Survey
    /// screen shows.
    fn open_document(&mut self, guid: DocumentId) {
        self.nav.document = Some(guid);
        self.load_content();
        if !matches!(self.state.screen, Screen::Coding | Screen::Survey) {
            self.state.screen = Screen::Coding;
        }
    }

    /// Selects a code for retrieval: only this one, or (`additive`) toggled among the
    /// others; the Retrieval tab shows.
    fn select_code(&mut self, guid: CodeId, additive: bool) {
        let selected = &mut self.nav.selected_codes;
        if !additive {
            *selected = vec![guid];
        } else if let Some(i) = selected.iter().position(|g| *g == guid) {
            selected.remove(i);
        } else {
            selected.push(guid);
        }
        self.state.layout.bottom_tab = BottomTab::Retrieval;
    }

    /// Which project is open, and the language.
    fn apply_session(&mut self, session: Session) -> Result<Option<String>, String> {
        match session {
            Session::Open(path) => self.open_project(path).map(|_| None),
            Session::New {
                path,
                with_template,
            } => self.new_project(path, with_template).map(|_| None),
            Session::TakeOver(path) => self.take_over_project(path).map(|_| None),
            Session::Sample => self.open_sample().map(|_| None),
            Session::Language(lang) => {
                self.state.language = lang;
                self.tr = I18n::new(lang);
                // The tables shown are worded in the language they were computed in.
                self.analysis.invalidate();
                Ok(None)
            }
            Session::RestoreBackup(path) => self.restore_backup(path),
        }
    }

    /// Writes a file from the project on the worker.
    fn apply_export(&mut self, export: Export) -> Result<Option<String>, String> {
        match export {
            Export::Refi(path) => self.export_refi(path),
            Export::Tables {
                path,
                format,
                pseudonymise,
            } => self.export_tables(path, format, pseudonymise),
            Export::Concordance {
                request,
                sort,
                path,
                format,
            } => self.export_concordance(request, sort, path, format),
            Export::Report {
                path,
                format,
                group_by,
                pseudonymise,
            } => self.export_report(path, format, group_by, pseudonymise),
            Export::Iramuteq {
                path,
                options,
                pseudonymise,
            } => self.export_iramuteq(path, options, pseudonymise),
        }
    }
}
