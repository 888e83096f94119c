//! Opening, creating and importing into projects: work that may take long, so it runs on
//! the worker thread; the project comes back through [`JobOutput`].

use std::path::PathBuf;

use crate::app::import::{ImportOutcome, ImportRequest, import_files};
use crate::model::DocumentKind;
use crate::store::{OpenOptions, Project, StalePolicy};

use super::app::FouilleApp;
use super::panels::status::Level;
use super::worker::JobOutput;

impl FouilleApp {
    /// Tells what opening the project found: a lock taken over, actions lost with a deleted
    /// journal, a journal set aside, a read-only file.
    fn report_opening(&mut self, path: &std::path::Path, opened: &crate::store::OpenReport) {
        let shown = path.display().to_string();
        if let Some(holder) = &opened.taken_over_lock {
            let text = self
                .tr
                .f("msg.lock_taken", &[("holder", &holder.to_string())]);
            self.say(Level::Info, text);
        }
        if opened.checksums_added {
            let text = self.tr.t("msg.checksums_added").to_string();
            self.say(Level::Info, text);
        }
        if let Some(backup) = &opened.journal_set_aside {
            let text = self.tr.f(
                "msg.journal_set_aside",
                &[("path", &shown), ("backup", &backup.display().to_string())],
            );
            self.say(Level::Error, text);
        }
        if let Some(count) = opened.lost_actions {
            let text = self.tr.f(
                "msg.lost_actions",
                &[("path", &shown), ("count", &count.to_string())],
            );
            self.say(Level::Error, text);
        }
        if let Some(reason) = &opened.read_only {
            let reason = crate::i18n::errors::read_only_reason(&self.tr, reason);
            let text = self.tr.f("msg.read_only_opened", &[("reason", &reason)]);
            self.say(Level::Error, text);
        }
    }

    /// Closes the open project (its lock is released).
    pub(crate) fn close_project(&mut self) {
        // Unsaved transcript text is written first (errors are reported, not fatal).
        if let Err(text) = self.save_transcript() {
            self.say(super::panels::status::Level::Error, text);
        }
        self.transcript = None;
        self.audio = None;
        self.analysis = Default::default();
        if let Some(project) = self.project.take() {
            crate::crash_report::set_current_project(None);
            self.publish_on_close(&project);
            let _ = project.checkpoint();
        }
        self.cache = Default::default();
        self.content = None;
        self.nav = Default::default();
        self.doc_view.clear();
        self.panels = Default::default();
        self.quick.close();
    }

    fn open_options(&self, stale: StalePolicy) -> OpenOptions {
        OpenOptions {
            stale,
            coder: self.state.coder_name.clone(),
        }
    }

    /// Opens a project file (on the worker).
    pub(crate) fn open_project(&mut self, path: PathBuf) -> Result<(), String> {
        self.start_open(path, true, StalePolicy::TakeOverLocal)
    }

    /// Opens a project left open by a session that is gone (the user confirmed).
    pub(crate) fn take_over_project(&mut self, path: PathBuf) -> Result<(), String> {
        self.start_open(path, true, StalePolicy::TakeOverAny)
    }

    /// Opens a project file; `announce` says so in the status line when done.
    fn start_open(
        &mut self,
        path: PathBuf,
        announce: bool,
        stale: StalePolicy,
    ) -> Result<(), String> {
        if self.worker.busy() {
            return Err(self.tr.t("error.busy").to_string());
        }
        if self.project.as_ref().is_some_and(|p| p.path() == path) {
            return Ok(());
        }
        self.reopen_on_failure = self.project.as_ref().map(|p| p.path().to_path_buf());
        self.close_project();
        let options = self.open_options(stale);
        let tr = self.tr.clone();
        let opened = if announce {
            self.tr.f("msg.opened", &[("name", &file_name(&path))])
        } else {
            String::new()
        };
        let label = self.tr.f("job.opening", &[("name", &file_name(&path))]);
        self.worker.start(
            label,
            Box::new(move |_| match Project::open_with(&path, &options) {
                Ok(project) => JobOutput::Project {
                    project: Box::new(project),
                    message: Ok(opened),
                    open_document: None,
                },
                Err(e @ crate::store::StoreError::StaleLock { .. }) => JobOutput::StaleLock {
                    path: path.clone(),
                    message: crate::i18n::errors::store(&tr, &e),
                },
                Err(e) => JobOutput::Failed(crate::i18n::errors::store(&tr, &e)),
            }),
        );
        Ok(())
    }

    /// Opens the sample project, building it first if it is not there yet.
    pub(crate) fn open_sample(&mut self) -> Result<(), String> {
        if self.worker.busy() {
            return Err(self.tr.t("error.busy").to_string());
        }
        let path = self.sample_path.clone();
        if self.project.as_ref().is_some_and(|p| p.path() == path) {
            return Ok(());
        }
        self.close_project();
        let options = self.open_options(StalePolicy::TakeOverLocal);
        let tr = self.tr.clone();
        let building = self.tr.t("job.building_sample").to_string();
        let opened = self.tr.t("msg.sample_opened").to_string();
        self.worker.start(
            self.tr.t("job.opening_sample"),
            Box::new(move |progress| {
                if !path.exists() {
                    progress.set(None, building);
                    if let Some(dir) = path.parent()
                        && let Err(e) = std::fs::create_dir_all(dir)
                    {
                        return JobOutput::Failed(format!("{}: {e}", dir.display()));
                    }
                    if let Err(e) =
                        crate::sample::build_sample(&path, &crate::sample::embedded_files())
                    {
                        return JobOutput::Failed(crate::i18n::errors::sample(&tr, &e));
                    }
                }
                match Project::open_with(&path, &options) {
                    Ok(project) => JobOutput::Project {
                        project: Box::new(project),
                        message: Ok(opened),
                        open_document: None,
                    },
                    Err(e) => JobOutput::Failed(crate::i18n::errors::store(&tr, &e)),
                }
            }),
        );
        Ok(())
    }

    /// Creates a project and opens it.
    pub(crate) fn new_project(&mut self, path: PathBuf, with_template: bool) -> Result<(), String> {
        if self.worker.busy() {
            return Err(self.tr.t("error.busy").to_string());
        }
        if path.exists() {
            return Err(self
                .tr
                .f("error.exists", &[("path", &path.display().to_string())]));
        }
        self.close_project();
        let coder = self.state.coder_name.clone();
        let tr = self.tr.clone();
        let created = self.tr.f("msg.created", &[("name", &file_name(&path))]);
        self.worker.start(
            self.tr.t("job.creating"),
            Box::new(move |_| {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
                    && let Err(e) = std::fs::create_dir_all(dir)
                {
                    return JobOutput::Failed(format!("{}: {e}", dir.display()));
                }
                let name = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().to_string())
                    .unwrap_or_else(|| "Projet".into());
                let mut project = match Project::create(&path, &name, coder.as_deref()) {
                    Ok(p) => p,
                    Err(e) => return JobOutput::Failed(crate::i18n::errors::store(&tr, &e)),
                };
                if with_template
                    && let Err(e) = project.bulk_action(|tx| {
                        crate::templates::load(tx, &crate::templates::reflexes_publics())
                    })
                {
                    return JobOutput::Project {
                        project: Box::new(project),
                        message: Err(crate::i18n::errors::store(&tr, &e)),
                        open_document: None,
                    };
                }
                JobOutput::Project {
                    project: Box::new(project),
                    message: Ok(created),
                    open_document: None,
                }
            }),
        );
        Ok(())
    }

    /// Imports files into the open project on the worker, through the application layer
    /// (the same dispatch as `fouille import`: a `.qdpx` or `.qdc` goes to the REFI-QDA
    /// importer, anything else is read as a document).
    pub(crate) fn import_files(&mut self, paths: Vec<PathBuf>) -> Result<(), String> {
        if self.worker.busy() {
            return Err(self.tr.t("error.busy").to_string());
        }
        self.save_transcript()?;
        let Some(mut project) = self.project.take() else {
            return Err(self.tr.t("error.no_project").to_string());
        };
        self.project_lent = true;
        let tr = self.tr.clone();
        self.worker.start(
            self.tr.t("job.importing"),
            Box::new(move |progress| {
                progress.set(None, tr.f("job.files", &[("n", &paths.len().to_string())]));
                let request = ImportRequest {
                    files: paths,
                    ..Default::default()
                };
                let (message, open_document) = match import_files(&mut project, &request) {
                    Ok(outcome) => (
                        Ok(import_message(&tr, &outcome)),
                        outcome.first_document().cloned(),
                    ),
                    Err(e) => (Err(crate::i18n::errors::app(&tr, &e)), None),
                };
                JobOutput::Project {
                    project: Box::new(project),
                    message,
                    open_document,
                }
            }),
        );
        Ok(())
    }

    /// Takes what finished jobs handed back.
    pub(crate) fn poll_worker(&mut self) {
        for output in self.worker.poll() {
            match output {
                JobOutput::Project {
                    project,
                    message,
                    open_document,
                } => {
                    self.reopen_on_failure = None;
                    let reopened = self.project_lent;
                    self.project_lent = false;
                    let path = project.path().to_path_buf();
                    let opened = project.opened.clone();
                    self.project = Some(*project);
                    crate::crash_report::set_current_project(Some(&path));
                    self.state.remember_project(path.clone());
                    if let Some(name) = &self.state.coder_name
                        && let Some(p) = self.project.as_mut()
                        && let Err(e) = p.set_coder(name)
                    {
                        self.say(Level::Error, crate::i18n::errors::store(&self.tr, &e));
                    }
                    self.refresh();
                    match message {
                        Ok(text) if text.is_empty() => {}
                        Ok(text) => self.say(Level::Ok, text),
                        Err(text) => self.say(Level::Error, text),
                    }
                    if !reopened {
                        self.report_opening(&path, &opened);
                    }
                    if let Some(warning) = crate::store::lock::shared_folder_warning(&path) {
                        self.say(Level::Info, warning);
                    }
                    if let Some(report) = crate::crash_report::reports_for(&path).pop() {
                        let text = self.tr.f(
                            "msg.crash_report",
                            &[("path", &report.display().to_string())],
                        );
                        self.say(Level::Info, text);
                    }
                    let first = open_document.or_else(|| {
                        if reopened {
                            return None;
                        }
                        self.cache
                            .documents
                            .iter()
                            .find(|d| d.kind != DocumentKind::SurveyAnswer)
                            .map(|d| d.guid.clone())
                    });
                    if let Some(doc) = first {
                        self.nav.document = Some(doc);
                        self.load_content();
                    }
                    if !self.cache.has_survey() && self.state.screen == super::state::Screen::Survey
                    {
                        self.state.screen = super::state::Screen::Coding;
                    }
                }
                JobOutput::StaleLock { path, message } => {
                    self.project_lent = false;
                    if let Some(previous) = self.reopen_on_failure.take() {
                        let _ = self.start_open(previous, false, StalePolicy::TakeOverLocal);
                    }
                    self.dialog = Some(super::widgets::modals::Dialog::TakeOver { path, message });
                }
                JobOutput::Audio { document, audio } => self.audio_decoded(document, audio),
                JobOutput::Done(Ok(text)) => self.say(Level::Ok, text),
                JobOutput::Done(Err(text)) => self.say(Level::Error, text),
                JobOutput::Failed(text) => {
                    self.project_lent = false;
                    // Go back to the project that was open, if any, and say what failed.
                    if let Some(previous) = self.reopen_on_failure.take() {
                        let _ = self.start_open(previous, false, StalePolicy::TakeOverLocal);
                    }
                    let text = if text.is_empty() {
                        self.tr.t("error.worker").to_string()
                    } else {
                        text
                    };
                    let text = self.tr.f("error.open", &[("error", &text)]);
                    self.say(Level::Error, text);
                }
            }
        }
    }
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| path.display().to_string())
}

/// What an import brought in, for the status line: the documents' count and each REFI-QDA
/// file's report.
fn import_message(tr: &crate::i18n::I18n, outcome: &ImportOutcome) -> String {
    let mut parts = Vec::new();
    if !outcome.documents.is_empty() || outcome.refi.is_empty() {
        parts.push(outcome.documents_message().words(tr, &|_| String::new()));
    }
    for report in &outcome.refi {
        parts.push(tr.f("msg.imported_refi", &[("report", &report.to_string())]));
    }
    parts.join("\n")
}
