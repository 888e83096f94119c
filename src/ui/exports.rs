//! Exports of the Analysis screen: the tables shown, and a coded report, through the
//! application layer ([`crate::app::report`]) as `fouille table` and `fouille report` do,
//! on the worker thread with its progress display.

use std::path::PathBuf;

use super::app::FouilleApp;
use super::worker::JobOutput;
use crate::app::report::{ReportRequest, export_report, write_tables};
use crate::export::report::{GroupBy, ReportFormat, ReportOptions};
use crate::export::tables::{CsvOptions, TableFormat};

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

impl FouilleApp {
    /// Writes the Analysis screen's tables to `path` on the worker.
    pub(crate) fn export_tables(
        &mut self,
        path: PathBuf,
        format: TableFormat,
    ) -> Result<Option<String>, String> {
        if self.worker.busy() {
            return Err(self.tr.t("error.busy").to_string());
        }
        let tables = self.analysis.tables.clone();
        if tables.is_empty() {
            return Err(self.tr.t("analysis.nothing").to_string());
        }
        let tr = self.tr.clone();
        let label = self.tr.f("job.exporting", &[("name", &file_name(&path))]);
        self.worker.start(
            label,
            Box::new(move |_| {
                let csv = CsvOptions::default();
                JobOutput::Done(match write_tables(&tables, format, &path, &csv) {
                    Ok(files) => Ok(tr.f(
                        "msg.exported",
                        &[(
                            "files",
                            &files
                                .iter()
                                .map(|f| file_name(f))
                                .collect::<Vec<_>>()
                                .join(", "),
                        )],
                    )),
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
        if self.worker.busy() {
            return Err(self.tr.t("error.busy").to_string());
        }
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
        let tr = self.tr.clone();
        let label = self
            .tr
            .f("job.exporting", &[("name", &file_name(&request.path))]);
        self.worker.start(
            label,
            Box::new(move |_| {
                let message = match export_report(&project, &request) {
                    Ok(_) => Ok(tr.f("msg.exported", &[("files", &file_name(&request.path))])),
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
