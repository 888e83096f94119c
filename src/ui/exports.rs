//! Exports of the Analysis screen: the tables shown, a coded report and an IRaMuTeQ
//! corpus, through the application layer ([`crate::app::report`], [`crate::app::iramuteq`])
//! as `fouille table`, `fouille report` and `fouille export iramuteq` do, on the worker
//! thread with its progress display. Each remembers its folder for the project, and hands
//! the file written to the screen, which offers to open it.

use std::path::{Path, PathBuf};

use super::app::FouilleApp;
use super::worker::JobOutput;
use crate::app::iramuteq::{IramuteqRequest, export_iramuteq_in};
use crate::app::report::{ReportRequest, export_report, export_tables_in};
use crate::export::iramuteq::IramuteqOptions;
use crate::export::report::{GroupBy, ReportFormat, ReportOptions};
use crate::export::tables::{CsvOptions, TableFormat};

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

impl FouilleApp {
    /// The open project's file, and the folder of `written` remembered as where its
    /// exports go.
    fn export_from(&mut self, written: &Path) -> Result<PathBuf, String> {
        if self.worker.busy() {
            return Err(self.tr.t("error.busy").to_string());
        }
        let Some(project) = self.project.as_ref() else {
            return Err(self.tr.t("error.no_project").to_string());
        };
        let project = project.path().to_path_buf();
        self.state.remember_export_folder(&project, written);
        Ok(project)
    }

    /// Computes the Analysis screen's tables again (pseudonymised when asked) and writes
    /// them to `path`, on the worker.
    pub(crate) fn export_tables(
        &mut self,
        path: PathBuf,
        format: TableFormat,
        pseudonymise: bool,
    ) -> Result<Option<String>, String> {
        if self.analysis.tables.is_empty() {
            return Err(self.tr.t("analysis.nothing").to_string());
        }
        let project = self.export_from(&path)?;
        let mut request = self.analysis.request(self.tr.language());
        request.pseudonymise = pseudonymise;
        request.options.pseudonyms |= pseudonymise;
        let (tr, written) = (self.tr.clone(), self.analysis.written.clone());
        let label = self.tr.f("job.exporting", &[("name", &file_name(&path))]);
        self.worker.start(
            label,
            Box::new(move |_| {
                let csv = CsvOptions::default();
                let result = export_tables_in(&project, &request, format, &path, &csv);
                JobOutput::Done(match result {
                    Ok(files) => Ok({
                        written.set(files.first().cloned().unwrap_or(path));
                        tr.f(
                            "msg.exported",
                            &[(
                                "files",
                                &files
                                    .iter()
                                    .map(|f| file_name(f))
                                    .collect::<Vec<_>>()
                                    .join(", "),
                            )],
                        )
                    }),
                    Err(e) => Err(crate::i18n::errors::app(&tr, &e)),
                })
            }),
        );
        Ok(None)
    }

    /// Builds and writes a coded report on the worker (the project is lent to it meanwhile,
    /// as for an import).
    pub(crate) fn export_report(
        &mut self,
        path: PathBuf,
        format: ReportFormat,
        group_by: GroupBy,
        pseudonymise: bool,
    ) -> Result<Option<String>, String> {
        self.export_from(&path)?;
        let Some(project) = self.project.take() else {
            return Err(self.tr.t("error.no_project").to_string());
        };
        let request = ReportRequest {
            options: ReportOptions {
                group_by,
                pseudonymise,
                lang: self.tr.language(),
                ..ReportOptions::default()
            },
            by: self.analysis.table_options().by,
            synthesis: true,
            format,
            path,
        };
        self.project_lent = true;
        let (tr, written) = (self.tr.clone(), self.analysis.written.clone());
        let label = self
            .tr
            .f("job.exporting", &[("name", &file_name(&request.path))]);
        self.worker.start(
            label,
            Box::new(move |_| {
                let message = match export_report(&project, &request) {
                    Ok(outcome) => {
                        written.set(outcome.path);
                        Ok(tr.f("msg.exported", &[("files", &file_name(&request.path))]))
                    }
                    Err(e) => Err(crate::i18n::errors::app(&tr, &e)),
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
}

impl FouilleApp {
    /// Writes an IRaMuTeQ corpus of the Analysis screen's filter to `path`, on the worker
    /// (reading the project file on a connection of its own).
    pub(crate) fn export_iramuteq(
        &mut self,
        path: PathBuf,
        options: IramuteqOptions,
        pseudonymise: bool,
    ) -> Result<Option<String>, String> {
        let project = self.export_from(&path)?;
        let request = IramuteqRequest {
            filter: self.analysis.filter(),
            options,
            pseudonymise,
            lang: self.tr.language(),
            path,
        };
        let (tr, written) = (self.tr.clone(), self.analysis.written.clone());
        let label = self
            .tr
            .f("job.exporting", &[("name", &file_name(&request.path))]);
        self.worker.start(
            label,
            Box::new(move |_| {
                JobOutput::Done(match export_iramuteq_in(&project, &request) {
                    Ok(outcome) => {
                        let message = tr.f(
                            "msg.corpus_written",
                            &[
                                ("texts", &outcome.texts.to_string()),
                                ("respondents", &outcome.respondents.to_string()),
                                ("file", &file_name(&outcome.path)),
                            ],
                        );
                        written.set(outcome.path);
                        Ok(message)
                    }
                    Err(e) => Err(crate::i18n::errors::app(&tr, &e)),
                })
            }),
        );
        Ok(None)
    }

    /// Opens a written file with the system's application for it, or shows its folder.
    pub(crate) fn open_file(
        &mut self,
        path: &Path,
        reveal: bool,
    ) -> Result<Option<String>, String> {
        self.launcher.open(path, reveal).map(|_| None).map_err(|e| {
            self.tr.f(
                "error.launch",
                &[
                    ("path", &path.display().to_string()),
                    ("error", &e.to_string()),
                ],
            )
        })
    }

    /// The folder the open project's exports go to: the one last used for it, else the
    /// project's own folder (see [`super::files::default_export_folder`]).
    pub(crate) fn export_folder(&self, project: &Path) -> PathBuf {
        match self.state.export_folders.get(project) {
            Some(folder) => folder.clone(),
            None => super::files::default_export_folder(
                project,
                &self
                    .sample_path
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default(),
                crate::user_dirs::documents_dir().as_deref(),
            ),
        }
    }

    /// What the launcher started (tests: nothing is started, only recorded).
    pub fn launched(&self) -> Vec<super::files::Launch> {
        self.launcher.launched()
    }
}
