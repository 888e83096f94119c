//! REFI-QDA interchange from the File menu: export the project as
//! `.qdpx` or its codebook as `.qdc`, import a `.qdpx` / `.qdc` into the open project. Both
//! run on the worker: the export reads through its own read-only connection, the import
//! borrows the project and gives it back.

use std::path::PathBuf;

use super::app::FouilleApp;
use super::worker::JobOutput;
use crate::export::qdpx::{ExportOptions, export_qdc, export_qdpx};
use crate::model::{CodeId, CoderId, DocumentId};

fn is_qdc(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("qdc"))
}

impl FouilleApp {
    /// Default interchange path next to the project (`<stem>.qdpx`).
    pub(crate) fn default_refi_path(&self) -> String {
        self.project
            .as_ref()
            .map(|p| p.path().with_extension("qdpx").display().to_string())
            .unwrap_or_default()
    }

    /// Writes the project (`.qdpx`) or its codebook (`.qdc`, by extension) on the worker.
    pub(crate) fn export_refi(&mut self, dest: PathBuf) -> Result<Option<String>, String> {
        if self.worker.busy() {
            return Err(self.tr.t("error.busy").to_string());
        }
        let Some(project) = &self.project else {
            return Err(self.tr.t("error.no_project").to_string());
        };
        let source = project.path().to_path_buf();
        let tr = self.tr.clone();
        let label = self.tr.f(
            "job.exporting",
            &[(
                "name",
                &dest.file_name().unwrap_or_default().to_string_lossy(),
            )],
        );
        self.worker.start(
            label,
            Box::new(move |_| {
                let conn = match crate::store::reader::open_read_only(&source) {
                    Ok(c) => c,
                    Err(e) => return JobOutput::Done(Err(crate::i18n::errors::store(&tr, &e))),
                };
                let shown = dest.display().to_string();
                JobOutput::Done(if is_qdc(&dest) {
                    match export_qdc(&conn, &dest) {
                        Ok(n) => Ok(tr.f(
                            "msg.exported_qdc",
                            &[("n", &n.to_string()), ("path", &shown)],
                        )),
                        Err(e) => Err(crate::i18n::errors::refi_export(&tr, &e)),
                    }
                } else {
                    match export_qdpx(&conn, &dest, &ExportOptions::default()) {
                        Ok(summary) => Ok(tr.f(
                            "msg.exported_qdpx",
                            &[
                                ("path", &shown),
                                ("documents", &summary.sources.to_string()),
                                ("codes", &summary.codes.to_string()),
                            ],
                        )),
                        Err(e) => Err(crate::i18n::errors::refi_export(&tr, &e)),
                    }
                })
            }),
        );
        Ok(None)
    }
}

impl FouilleApp {
    /// Opens the backups dialog.
    pub(crate) fn show_backups(&mut self) -> Result<Option<String>, String> {
        let Some(project) = &self.project else {
            return Err(self.tr.t("error.no_project").to_string());
        };
        let list = crate::store::backup::list(project.path())
            .map_err(|e| crate::i18n::errors::store(&self.tr, &e))?;
        self.dialog = Some(super::widgets::modals::Dialog::Backups {
            list,
            confirm: None,
        });
        Ok(None)
    }

    /// Makes a backup of the open project now.
    pub(crate) fn make_backup(&mut self) -> Result<Option<String>, String> {
        let tr = self.tr.clone();
        let project = super::edits::project_mut(&mut self.project, self.project_lent, &tr)?;
        let path = project
            .backup("manual")
            .map_err(|e| crate::i18n::errors::store(&tr, &e))?;
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        Ok(Some(tr.f("backup.made", &[("name", &name)])))
    }

    /// Closes the project, restores `backup` into it (the current state is kept as a
    /// `before-restore` backup) and opens it again.
    pub(crate) fn restore_backup(&mut self, backup: PathBuf) -> Result<Option<String>, String> {
        if self.worker.busy() {
            return Err(self.tr.t("error.busy").to_string());
        }
        let Some(path) = self.project.as_ref().map(|p| p.path().to_path_buf()) else {
            return Err(self.tr.t("error.no_project").to_string());
        };
        self.close_project();
        let restored = crate::store::backup::restore(&path, &backup);
        // Reopen in any case: on failure the project is as it was.
        self.open_project(path)?;
        match restored {
            Ok(_) => Ok(Some(self.tr.t("backup.restored").to_string())),
            Err(e) => Err(crate::i18n::errors::store(&self.tr, &e)),
        }
    }
}

impl FouilleApp {
    /// Merges other copies of the project into the open one on the worker; the report
    /// opens in a window when the project comes back.
    pub(crate) fn run_merge(
        &mut self,
        paths: Vec<PathBuf>,
        unify_codes: bool,
    ) -> Result<Option<String>, String> {
        if self.worker.busy() {
            return Err(self.tr.t("error.busy").to_string());
        }
        self.save_transcript()?;
        let Some(mut project) = self.project.take() else {
            return Err(self.tr.t("error.no_project").to_string());
        };
        self.project_lent = true;
        let tr = self.tr.clone();
        let slot = self.merge_report.clone();
        self.worker.start(
            self.tr.t("job.merging"),
            Box::new(move |_| {
                let options = crate::team::merge::MergeOptions {
                    unify_codes,
                    ..Default::default()
                };
                // A backup first, so the merge can be taken back (File ▸ Backups…).
                let merged = match project.backup("merge") {
                    Ok(_) => crate::team::merge::merge_into(&mut project, &paths, &options)
                        .map_err(|e| crate::i18n::errors::team(&tr, &e)),
                    Err(e) => Err(crate::i18n::errors::store(&tr, &e)),
                };
                let message = match merged {
                    Ok(report) => {
                        if let Ok(mut s) = slot.lock() {
                            *s = Some(report.to_markdown());
                        }
                        Ok(report.summary_line())
                    }
                    Err(e) => Err(tr.f("error.merge", &[("error", &e)])),
                };
                JobOutput::Project {
                    project: Box::new(project),
                    message,
                    open_document: None,
                }
            }),
        );
        Ok(None)
    }

    /// Opens the merge report once the worker handed it over.
    pub(crate) fn show_merge_report(&mut self) {
        if self.project_lent {
            return;
        }
        let text = self.merge_report.lock().ok().and_then(|mut s| s.take());
        if let Some(text) = text {
            self.dialog = Some(super::widgets::modals::Dialog::Report {
                title: self.tr.t("merge.report").to_string(),
                text,
            });
        }
    }
}

impl FouilleApp {
    /// Turns blinded coding on or off.
    pub(crate) fn set_blind(&mut self, on: bool) -> Result<Option<String>, String> {
        let tr = self.tr.clone();
        let project = super::edits::project_mut(&mut self.project, self.project_lent, &tr)?;
        crate::team::blind::set_blind(project, on)
            .map_err(|e| crate::i18n::errors::store(&tr, &e))?;
        Ok(Some(
            tr.t(if on {
                "team.blind_on"
            } else {
                "team.blind_off"
            })
            .to_string(),
        ))
    }

    /// Keeps one coder's version of a disagreement for another coder.
    pub(crate) fn accept_version(
        &mut self,
        document: &DocumentId,
        code: &CodeId,
        start: usize,
        end: usize,
        from: &CoderId,
        to: &CoderId,
    ) -> Result<Option<String>, String> {
        let tr = self.tr.clone();
        let project = super::edits::project_mut(&mut self.project, self.project_lent, &tr)?;
        let out =
            crate::team::accept::accept_version(project, document, code, start, end, from, to)
                .map_err(|e| crate::i18n::errors::store(&tr, &e))?;
        Ok(Some(tr.f(
            "team.accepted",
            &[
                ("added", &out.added.to_string()),
                ("resized", &out.resized.to_string()),
                ("removed", &out.removed.to_string()),
            ],
        )))
    }
}
