//! The eframe app: the saved [`State`] kept apart from runtime handles (the open project,
//! the cache, the views, the worker). Each frame draws the panels, which push commands;
//! the commands are applied after the frame (see `apply.rs`).

use crate::ui::command::Session;
use std::path::{Path, PathBuf};

use egui::{Panel, Ui};

use super::cache::{DocumentContent, ProjectCache};
use super::command::Command;
use super::env::{Env, Nav};
use super::panels::Panels;
use super::panels::status::{Level, Message};
use super::state::{Screen, State};
use super::theme;
use super::views::document_view::DocumentView;
use super::views::respondents_table::RespondentsTable;
use super::views::survey_grid::SurveyGrid;
use super::widgets::modals::Dialog;
use super::widgets::quick_code::QuickCode;
use super::worker::Worker;
use crate::i18n::I18n;
use crate::model::DocumentId;
use crate::store::Project;

/// File name of the sample project in the user's data folder.
pub const SAMPLE_FILE: &str = "exemple.fouille";

/// The user's data folder for Fouille (see [`crate::user_dirs::data_dir`]).
pub fn data_dir() -> PathBuf {
    crate::user_dirs::data_dir()
}

/// The desktop app: what is saved between sessions, the open project, what the screens
/// show, and the queue of commands applied after each frame.
pub struct FouilleApp {
    /// Saved between sessions (screen, panels, recent projects).
    pub(crate) state: State,
    pub(crate) tr: I18n,
    pub(crate) project: Option<Project>,
    /// The project is lent to a background job (import…): edits wait.
    pub(crate) project_lent: bool,
    pub(crate) cache: ProjectCache,
    pub(crate) content: Option<DocumentContent>,
    pub(crate) nav: Nav,
    pub(crate) commands: Vec<Command>,
    pub(crate) message: Option<Message>,
    pub(crate) doc_view: DocumentView,
    pub(crate) panels: Panels,
    pub(crate) survey: SurveyGrid,
    pub(crate) analysis: super::views::analysis::AnalysisView,
    pub(crate) transcript: Option<super::views::transcript::TranscriptEditor>,
    pub(crate) audio: Option<super::transcript_audio::TranscriptAudio>,
    pub(crate) team: super::views::team::TeamView,
    /// Blinded coding is on in the open project (read after each change).
    pub(crate) blind: bool,
    /// The last merge's report (Markdown), handed over by the worker.
    pub(crate) merge_report: std::sync::Arc<std::sync::Mutex<Option<String>>>,
    pub(crate) respondents_table: RespondentsTable,
    pub(crate) quick: QuickCode,
    pub(crate) dialog: Option<Dialog>,
    pub(crate) worker: Worker,
    /// Where the sample project goes.
    pub(crate) sample_path: PathBuf,
    /// What opens written files (tests record instead of starting programs).
    pub(crate) launcher: super::files::Launcher,
    /// The time (ms); fixed in tests.
    pub(crate) clock: fn() -> i64,
    /// When the project was last settled because a reader had held changes back (ms).
    pub(crate) last_settle_ms: i64,
    /// Computations the frame does not wait for.
    pub(crate) background: BackgroundWork,
    /// Recordings being transcribed automatically, on threads of their own.
    pub(crate) transcriber: super::transcription::Transcriber,
    pub(crate) version: u64,
    /// The project to open again if opening another fails.
    pub(crate) reopen_on_failure: Option<PathBuf>,
    styled: bool,
    title: String,
}

impl FouilleApp {
    fn with_state(state: State, synchronous: bool) -> FouilleApp {
        let mut worker = Worker::default();
        worker.synchronous = synchronous;
        FouilleApp {
            tr: I18n::new(state.language),
            state,
            project: None,
            project_lent: false,
            cache: ProjectCache::default(),
            content: None,
            nav: Nav::default(),
            commands: Vec::new(),
            message: None,
            doc_view: DocumentView::default(),
            panels: Panels::default(),
            survey: SurveyGrid::default(),
            analysis: Default::default(),
            transcript: None,
            audio: None,
            team: Default::default(),
            blind: false,
            merge_report: Default::default(),
            respondents_table: RespondentsTable::default(),
            quick: QuickCode::default(),
            dialog: None,
            worker,
            sample_path: data_dir().join(SAMPLE_FILE),
            launcher: if synchronous {
                // Tests never start the user's programs.
                super::files::Launcher::Record(Default::default())
            } else {
                super::files::Launcher::System
            },
            clock: crate::model::now_ms,
            last_settle_ms: 0,
            transcriber: Default::default(),
            background: BackgroundWork {
                enabled: !synchronous,
                ..BackgroundWork::default()
            },
            version: 0,
            reopen_on_failure: None,
            styled: false,
            title: String::new(),
        }
    }

    /// The app as eframe starts it: the saved state, then `project`, or the last project,
    /// or (first start) the sample project built into the user's data folder.
    pub fn new(cc: &eframe::CreationContext<'_>, project: Option<PathBuf>) -> FouilleApp {
        let state: State = cc
            .storage
            .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
            .unwrap_or_default();
        let mut app = FouilleApp::with_state(state, false);
        let ctx = cc.egui_ctx.clone();
        app.worker.set_notify(move || ctx.request_repaint());
        theme::apply(&cc.egui_ctx);
        app.styled = true;
        // Hidden: the coder's name without asking (screenshots): FOUILLE_CODER=name.
        if let Ok(name) = std::env::var("FOUILLE_CODER")
            && !name.trim().is_empty()
        {
            app.state.coder_name = Some(name.trim().to_string());
        }
        if app.state.coder_name.is_none() {
            let name = std::env::var("USER")
                .or_else(|_| std::env::var("USERNAME"))
                .unwrap_or_default();
            app.dialog = Some(Dialog::CoderName {
                name,
                first_start: true,
            });
        }
        // Hidden: start on a screen (screenshots): FOUILLE_START_SCREEN=analysis|team|….
        if let Ok(name) = std::env::var("FOUILLE_START_SCREEN") {
            let wanted = Screen::ALL
                .into_iter()
                .find(|s| format!("{s:?}").eq_ignore_ascii_case(name.trim()));
            if let Some(screen) = wanted {
                app.state.screen = screen;
            }
        }
        let start = match project {
            Some(p) => Command::Session(Session::Open(p)),
            None => match app.state.last_project.clone() {
                Some(p) if p.exists() => Command::Session(Session::Open(p)),
                _ => Command::Session(Session::Sample),
            },
        };
        app.commands.push(start);
        app
    }

    /// The app for tests: no window, jobs and computations run at once (in the frame),
    /// French, coder « Testeur », and `project` open.
    pub fn new_for_test(project: &Path) -> FouilleApp {
        let state = State {
            coder_name: Some("Testeur".into()),
            ..State::default()
        };
        let mut app = FouilleApp::with_state(state, true);
        app.clock = || 1_750_000_000_000;
        app.run_command(Command::Session(Session::Open(project.to_path_buf())));
        app
    }

    /// The app for tests as on a first start: no project yet, the sample to be built at
    /// `sample_path` (instead of the user's data folder) and opened.
    pub fn new_for_test_first_start(sample_path: &Path) -> FouilleApp {
        let state = State {
            coder_name: Some("Testeur".into()),
            ..State::default()
        };
        let mut app = FouilleApp::with_state(state, true);
        app.clock = || 1_750_000_000_000;
        app.sample_path = sample_path.to_path_buf();
        app.run_command(Command::Session(Session::Sample));
        app
    }

    /// Queues a command and applies it at once (what a panel's click does, after the frame).
    pub fn run_command(&mut self, command: Command) {
        self.commands.push(command);
        self.apply_commands();
        self.poll_worker();
        self.show_merge_report();
    }

    /// Uses `dir` as the transcription model folder for this session, without remembering
    /// it (tests give theirs; the settings remember the user's choice).
    pub fn set_speech_model(&mut self, dir: &Path) {
        self.transcriber.model_dir = Some(dir.to_path_buf());
    }

    /// Whether a recording is queued or being transcribed.
    pub fn transcriptions_busy(&self) -> bool {
        self.transcriber.busy()
    }

    /// The state saved between sessions.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The saved state, to change.
    pub fn state_mut(&mut self) -> &mut State {
        &mut self.state
    }

    /// The open project; `None` while none is open or while it is lent to the worker.
    pub fn project(&self) -> Option<&Project> {
        self.project.as_ref()
    }

    /// The lists shown, read from the project at its last refresh.
    pub fn cache(&self) -> &ProjectCache {
        &self.cache
    }

    /// Where the user is: open document, selected codes and respondent.
    pub fn nav(&self) -> &Nav {
        &self.nav
    }

    /// The document view, with its selection and highlights.
    pub fn document_view(&self) -> &DocumentView {
        &self.doc_view
    }

    /// The document view, to change (tests select text with it).
    pub fn document_view_mut(&mut self) -> &mut DocumentView {
        &mut self.doc_view
    }

    /// The retrieval results shown.
    pub fn retrieval_results(&self) -> &[crate::store::excerpts::Excerpt] {
        &self.panels.retrieval.results
    }

    /// The concordance lines of the last search, in the order shown.
    pub fn search_hits(&self) -> &[crate::app::lexical::Concordance] {
        self.panels
            .search
            .overview
            .as_ref()
            .map_or(&[], |o| o.lines.as_slice())
    }

    /// The search panel: its choices and results.
    pub fn search(&self) -> &super::panels::search::SearchPanel {
        &self.panels.search
    }

    /// The search panel, to change (tests type export paths with it).
    pub fn search_mut(&mut self) -> &mut super::panels::search::SearchPanel {
        &mut self.panels.search
    }

    /// The Analysis screen's choices and results.
    pub fn analysis(&self) -> &super::views::analysis::AnalysisView {
        &self.analysis
    }

    /// The Analysis screen, to change (tests type export paths with it).
    pub fn analysis_mut(&mut self) -> &mut super::views::analysis::AnalysisView {
        &mut self.analysis
    }

    /// The Team screen.
    pub fn team(&self) -> &super::views::team::TeamView {
        &self.team
    }

    /// Whether blinded coding is on.
    pub fn blind(&self) -> bool {
        self.blind
    }

    /// The last message of the status line.
    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }

    /// Whether a dialog is open.
    pub fn dialog_open(&self) -> bool {
        self.dialog.is_some()
    }

    /// Whether the quick-code popup is open.
    pub fn quick_code_open(&self) -> bool {
        self.quick.is_open()
    }

    pub(crate) fn say(&mut self, level: Level, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            level,
            at_ms: (self.clock)(),
        });
    }

    /// The range a code click or a number key codes: the selection, or in the survey
    /// grid the whole open answer when nothing is selected.
    pub fn coding_target(&self) -> Option<(DocumentId, usize, usize)> {
        let doc = self.doc_view.document()?.clone();
        if let Some((start, end)) = self.doc_view.selected_range() {
            return Some((doc, start, end));
        }
        (self.state.screen == Screen::Survey && self.doc_view.char_count() > 0)
            .then(|| (doc, 0, self.doc_view.char_count()))
    }

    /// Brings the document view in step with the open document's content.
    pub(crate) fn sync_view(&mut self) {
        match &self.content {
            Some(content) => {
                let only = if self.state.only_my_codings || self.blind {
                    self.cache.coder.as_ref().map(|c| c.guid.clone())
                } else {
                    None
                };
                self.doc_view.sync(content, &self.cache, only.as_ref());
            }
            None => self.doc_view.clear(),
        }
    }

    /// Draws one frame into `ui` and applies what it asked for.
    pub fn ui_root(&mut self, ui: &mut Ui) {
        if !self.styled {
            theme::apply(ui.ctx());
            self.styled = true;
            self.transcriber.wake = Some(ui.ctx().clone());
        }
        self.poll_worker();
        // Blinded coding: only the acting coder's codings everywhere (view, lists, excerpts).
        if self.blind {
            self.state.only_my_codings = true;
            // The analysis tables too count only the acting coder's codings.
            let me = self.cache.coder.as_ref().map(|c| c.guid.clone());
            if me.is_some() && self.analysis.coder != me {
                self.analysis.coder = me;
                self.analysis.dirty = true;
            }
        }
        self.dropped_files(ui.ctx());
        if self.dialog.is_none() && !self.quick.is_open() {
            self.transcript_keys(ui.ctx());
            self.keys(ui.ctx());
        }
        self.transcript_frame(ui.ctx());
        self.sync_view();
        Panel::top("menu_bar")
            .frame(
                egui::Frame::new()
                    .fill(theme::BAR)
                    .inner_margin(egui::Margin::symmetric(8, 4)),
            )
            .show(ui, |ui| {
                super::panels::menu::menu_ui(self, ui);
            });
        Panel::bottom("status_bar")
            .frame(
                egui::Frame::new()
                    .fill(theme::BAR)
                    .inner_margin(egui::Margin::symmetric(8, 3)),
            )
            .show(ui, |ui| {
                self.status_ui(ui);
            });
        let has_project = self.project.is_some() || self.project_lent;
        if has_project {
            super::layout::screen_ui(self, ui);
        } else {
            let Self {
                tr,
                state,
                commands,
                worker,
                ..
            } = self;
            egui::CentralPanel::default().show(ui, |ui| {
                super::views::start::start_ui(ui, tr, state, worker.busy(), commands)
            });
        }
        {
            let env = Env {
                tr: &self.tr,
                cache: &self.cache,
                state: &self.state,
                nav: &self.nav,
            };
            self.quick.ui(ui, &env, &mut self.commands);
            super::widgets::modals::dialog_ui(&mut self.dialog, ui, &env, &mut self.commands);
        }
        let jobs = self.transcriber.jobs();
        super::transcription_jobs::transcriptions_ui(ui, &self.tr, &jobs, &mut self.commands);
        self.apply_commands();
        self.poll_transcriptions(ui.ctx());
        self.poll_worker();
        self.show_merge_report();
        self.refresh_results();
        self.settle_project();
        if self.background.analysis.is_running()
            || self.background.agreement.is_running()
            || self.background.search.is_running()
            || self.background.plan.is_running()
        {
            // Nothing else may wake the frame up to show the result when it comes.
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(30));
        }
        let title = if self.cache.project_name.is_empty() {
            "Fouille".to_string()
        } else {
            format!("Fouille — {}", self.cache.project_name)
        };
        if title != self.title {
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    /// Writes into the project file the changes a reader (an analysis on the worker) held in
    /// the log at the last action, once it is done, so that the file alone is complete
    /// again. Checked each frame, tried at most once a second.
    fn settle_project(&mut self) {
        let now = (self.clock)();
        let Some(project) = self.project.as_mut().filter(|p| p.is_unsettled()) else {
            return;
        };
        if now - self.last_settle_ms < 1_000 {
            return;
        }
        self.last_settle_ms = now;
        if let Err(e) = project.settle() {
            let text = crate::i18n::errors::store(&self.tr, &e);
            self.say(Level::Error, text);
        }
    }

    fn status_ui(&mut self, ui: &mut Ui) {
        let Self {
            tr,
            cache,
            state,
            nav,
            message,
            worker,
            commands,
            project,
            project_lent,
            clock,
            ..
        } = self;
        let mut only_mine = state.only_my_codings;
        let recent = message
            .as_ref()
            .filter(|m| m.level == Level::Error || clock() - m.at_ms < 15_000);
        let info = super::panels::status::StatusInfo {
            message: recent,
            progress: worker.progress(),
            has_project: project.is_some() || *project_lent,
        };
        let env = Env {
            tr,
            cache,
            state,
            nav,
        };
        super::panels::status::status_ui(ui, &env, info, &mut only_mine, commands);
        if only_mine != state.only_my_codings {
            state.only_my_codings = only_mine;
        }
    }

    /// Recomputes retrieval and search results when what they depend on changed.
    fn refresh_results(&mut self) {
        let Some(project) = &self.project else { return };
        let env = Env {
            tr: &self.tr,
            cache: &self.cache,
            state: &self.state,
            nav: &self.nav,
        };
        if let Some(key) = self.panels.retrieval.wanted(&env) {
            let mut filter = key.filter();
            // Blinded coding: only the acting coder's excerpts.
            if self.blind
                && let Some(me) = &self.cache.coder
            {
                filter.coders = vec![me.guid.clone()];
            }
            match crate::store::excerpts::excerpts(project.conn(), &filter) {
                Ok(results) => self.panels.retrieval.set_results(key, results),
                Err(e) => {
                    self.panels.retrieval.set_results(key, Vec::new());
                    {
                        let text = crate::i18n::errors::store(&self.tr, &e);
                        self.say(Level::Error, text);
                    }
                }
            }
        }
        self.compute_analysis();
        self.compute_agreement();
        self.team_folder_tick();
        self.search_work();
    }

    /// Starts the Analysis screen's table when its choices or the project changed (on a
    /// thread of its own when background work is on: a table at 100,000 codings takes
    /// longer than a frame), and shows it when it is there.
    fn compute_analysis(&mut self) {
        if let Some((version, result)) = self.background.analysis.poll()
            && version == self.cache.version
        {
            self.analysis.take_result(result);
        }
        self.analysis.computing = self.background.analysis.is_running();
        let Some(project) = &self.project else { return };
        if self.state.screen != Screen::Analysis || !self.analysis.needs_compute(self.cache.version)
        {
            return;
        }
        let folder = self.export_folder(project.path());
        self.analysis.default_paths(project.path(), &folder);
        if let Some(key) = self.analysis.missing_choice() {
            // A table still computing for the earlier choices is not wanted any more.
            self.background.analysis = Default::default();
            self.analysis.computing = false;
            self.analysis.mark_computing(self.cache.version);
            self.analysis.take_result(Err(self.tr.t(key).to_string()));
            return;
        }
        let lang = self.tr.language();
        let version = self.cache.version;
        if !self.background.enabled {
            self.analysis.compute(project, &self.tr, version);
            return;
        }
        self.analysis.mark_computing(version);
        self.analysis.computing = true;
        let (path, request, tr) = (
            project.path().to_path_buf(),
            self.analysis.request(lang),
            self.tr.clone(),
        );
        self.background.analysis.start(version, move || {
            crate::app::report::compute_table_in(&path, &request)
                .map_err(|e| crate::i18n::errors::app(&tr, &e))
        });
    }

    /// The Team screen's agreement, like [`FouilleApp::compute_analysis`].
    fn compute_agreement(&mut self) {
        if let Some((version, result)) = self.background.agreement.poll()
            && version == self.version
        {
            self.team.take_result(result);
        }
        let Some(project) = &self.project else { return };
        if self.state.screen != Screen::Team || !self.team.needs_compute(self.version) {
            return;
        }
        self.team.wanted = false;
        self.team.computed_version = Some(self.version);
        let request = crate::team::coverage::AgreementRequest {
            coders: self.team.coders.iter().cloned().collect(),
            unit: self.team.unit,
            ..Default::default()
        };
        let tr = self.tr.clone();
        if !self.background.enabled {
            let result = crate::team::coverage::agreement(project.conn(), &request);
            self.team
                .take_result(result.map_err(|e| crate::i18n::errors::store(&tr, &e)));
            return;
        }
        let path = project.path().to_path_buf();
        self.background.agreement.start(self.version, move || {
            let conn = crate::store::reader::open_read_only(&path)
                .map_err(|e| crate::i18n::errors::store(&tr, &e))?;
            crate::team::coverage::agreement(&conn, &request)
                .map_err(|e| crate::i18n::errors::store(&tr, &e))
        });
    }

    /// The current screen's central area is drawn by `layout.rs`; this is its `Env`.
    pub(crate) fn env(&self) -> Env<'_> {
        Env {
            tr: &self.tr,
            cache: &self.cache,
            state: &self.state,
            nav: &self.nav,
        }
    }
}

/// The computations the app runs beside the frame (see [`super::background`]).
pub(crate) struct BackgroundWork {
    /// Run them on threads of their own (the app; tests that measure frames); off, they run
    /// in the frame, which tests that step frames one by one rely on.
    pub(crate) enabled: bool,
    /// The Analysis screen's table.
    pub(crate) analysis:
        super::background::Background<Result<crate::app::report::TableOutcome, String>>,
    /// The Team screen's agreement.
    pub(crate) agreement:
        super::background::Background<Result<crate::team::coverage::AgreementReport, String>>,
    /// The search panel's search, tagged with its number.
    pub(crate) search:
        super::background::Background<Result<crate::app::lexical::SearchOverview, String>>,
    /// The preview of coding a search's hits.
    pub(crate) plan:
        super::background::Background<Result<crate::app::lexical::AutocodePlan, String>>,
}

impl Default for BackgroundWork {
    fn default() -> Self {
        BackgroundWork {
            enabled: true,
            analysis: Default::default(),
            agreement: Default::default(),
            search: Default::default(),
            plan: Default::default(),
        }
    }
}

impl eframe::App for FouilleApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.ui_root(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.state);
    }
}
