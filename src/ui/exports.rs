//! Exports of the Analysis screen (issue 4): the tables shown, and a coded report. The files
//! are written on the worker thread, with the worker's progress display.

use std::path::PathBuf;

use super::app::FouilleApp;
use super::worker::JobOutput;
use crate::export::report::{self, GroupBy, ReportFormat, ReportOptions};
use crate::export::tables::{self, CsvOptions, TableFormat};

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

impl FouilleApp {
    fn lang(&self) -> crate::model::Lang {
        match self.tr.language() {
            crate::i18n::Language::Fr => crate::model::Lang::Fr,
            crate::i18n::Language::En => crate::model::Lang::En,
        }
    }

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
                JobOutput::Done(match tables::write_files(&tables, format, &path, &csv) {
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
                    Err(e) => Err(tr.f("error.export", &[("error", &e.to_string())])),
                })
            }),
        );
        Ok(None)
    }

    /// Builds a coded report now (it reads the store) and writes it on the worker.
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
        let Some(project) = &self.project else {
            return Err(self.tr.t("error.no_project").to_string());
        };
        let options = ReportOptions {
            group_by,
            pseudonymise,
            lang: self.lang(),
            ..ReportOptions::default()
        };
        let by = self.analysis.table_options().by;
        let fail = |e: String| self.tr.f("error.export", &[("error", &e)]);
        let (tables, charts) =
            report::synthesis::synthesis(project.conn(), &options, by.as_deref())
                .map_err(|e| fail(e.to_string()))?;
        let built = report::build_report(project, &options, &tables, &charts)
            .map_err(|e| fail(e.to_string()))?;
        let tr = self.tr.clone();
        let label = self.tr.f("job.exporting", &[("name", &file_name(&path))]);
        self.worker.start(
            label,
            Box::new(move |_| {
                JobOutput::Done(match report::write(&built, format, &path) {
                    Ok(()) => Ok(tr.f("msg.exported", &[("files", &file_name(&path))])),
                    Err(e) => Err(tr.f("error.export", &[("error", &e.to_string())])),
                })
            }),
        );
        Ok(None)
    }
}
