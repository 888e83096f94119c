//! The app's side of the team folder: joining and leaving, synchronising on the worker (on
//! demand, after joining, at open and every few minutes while a joined project is open),
//! and publishing when the project closes.

use std::path::Path;
use std::time::{Duration, Instant};

use super::FouilleApp;
use super::panels::status::Level;
use super::state::Screen;
use super::worker::JobOutput;
use crate::team::folder::{self, SyncOutcome};

/// How often a joined project gathers and publishes while it is open.
const SYNC_EVERY: Duration = Duration::from_secs(5 * 60);

impl FouilleApp {
    /// Joins `folder`, then synchronises at once.
    pub(crate) fn team_join(&mut self, folder: &Path) -> Result<Option<String>, String> {
        let tr = self.tr.clone();
        let project = super::edits::project_mut(&mut self.project, self.project_lent, &tr)?;
        folder::join(project, folder).map_err(|e| crate::i18n::errors::folder(&tr, &e))?;
        self.team.folder.forget_status();
        self.team_sync()
    }

    /// Stops publishing and gathering; this copy's file stays in the folder.
    pub(crate) fn team_leave(&mut self) -> Result<Option<String>, String> {
        let tr = self.tr.clone();
        let project = super::edits::project_mut(&mut self.project, self.project_lent, &tr)?;
        let membership =
            folder::leave(project, false).map_err(|e| crate::i18n::errors::folder(&tr, &e))?;
        self.team.folder.forget_status();
        Ok(Some(
            tr.f("team_folder.left", &[("folder", &membership.folder)]),
        ))
    }

    /// Gathers the other members' files and publishes this copy, on the worker (the project
    /// is lent to it meanwhile).
    pub(crate) fn team_sync(&mut self) -> Result<Option<String>, String> {
        if self.worker.busy() {
            return Err(self.tr.t("error.busy").to_string());
        }
        self.save_transcript()?;
        let Some(mut project) = self.project.take() else {
            return Err(self.tr.t("error.no_project").to_string());
        };
        self.project_lent = true;
        self.team.folder.last_sync = Some(Instant::now());
        let tr = self.tr.clone();
        self.worker.start(
            self.tr.t("job.team_sync"),
            Box::new(move |_| {
                let options = crate::team::merge::MergeOptions::default();
                let message = folder::sync(&mut project, &options)
                    .map(|outcome| synced_message(&tr, &outcome))
                    .map_err(|e| crate::i18n::errors::folder(&tr, &e));
                JobOutput::Project {
                    project: Box::new(project),
                    message,
                    open_document: None,
                }
            }),
        );
        Ok(None)
    }

    /// Once a frame: reads the membership again after a change, the folder's state while
    /// the Team screen shows it, and starts the periodic synchronisation when it is due.
    pub(crate) fn team_folder_tick(&mut self) {
        if self.project_lent {
            return;
        }
        let Some(project) = &self.project else { return };
        let on_screen = self.state.screen == Screen::Team;
        self.team
            .folder
            .refresh(&self.tr, project, self.version, on_screen);
        if self.team.folder.membership.is_none() || self.worker.busy() {
            return;
        }
        let due = self
            .team
            .folder
            .last_sync
            .is_none_or(|at| at.elapsed() >= SYNC_EVERY);
        if due && let Err(text) = self.team_sync() {
            self.say(Level::Error, text);
        }
    }

    /// Publishes a joined project as it closes, so the others get its last changes.
    pub(crate) fn publish_on_close(&mut self, project: &crate::store::Project) {
        let Ok(membership) = folder::membership(project) else {
            return;
        };
        if let Err(e) = folder::publish::publish(project, &membership) {
            let text = crate::i18n::errors::folder(&self.tr, &e);
            self.say(Level::Error, text);
        }
    }
}

/// The status line after a synchronisation: what came in, what waits, what to look at.
fn synced_message(tr: &crate::i18n::I18n, outcome: &SyncOutcome) -> String {
    let gather = &outcome.gather;
    let codings: usize = gather
        .merged
        .iter()
        .map(|m| folder::gather::brought(&m.report, &m.file_name).codings)
        .sum();
    tr.f(
        "team_folder.synced",
        &[
            ("files", &gather.merged.len().to_string()),
            ("codings", &codings.to_string()),
            ("waiting", &gather.skipped.len().to_string()),
            ("debris", &gather.debris.len().to_string()),
        ],
    )
}
