//! The search panel's work, through the application layer ([`crate::app::lexical`]) as
//! `fouille search` and `fouille code apply-search` do: searches and the preview of coding
//! their hits on threads beside the frame (a search over a large corpus takes longer than
//! a frame), coding the hits on the worker with the project lent to it, the concordance
//! written on the worker, and the stop-word lists kept in the project.

use std::path::PathBuf;

use super::app::FouilleApp;
use super::worker::JobOutput;
use crate::app::lexical::{self, AutocodeRequest, SearchRequest};
use crate::app::message::Arg;
use crate::export::tables::{CsvOptions, TableFormat};
use crate::lexical::kwic::KwicSort;
use crate::lexical::stopwords::StopWordEdits;

impl FouilleApp {
    /// Shows what searches and previews beside the frame found, and starts those wanted: a
    /// search asked for, the last one again when the project changed, the preview of
    /// coding the ticked hits when the choices or the project changed.
    pub(crate) fn search_work(&mut self) {
        let panel = &mut self.panels.search;
        if let Some((serial, result)) = self.background.search.poll()
            && panel.running == Some(serial)
        {
            panel.running = None;
            panel.take_result(result);
        }
        if let Some((version, result)) = self.background.plan.poll()
            && let Some((asked, request)) = panel.plan_asked.take()
            && asked == version
        {
            panel.plan = Some((version, request, result));
        }
        if self.project.is_none() {
            return;
        }
        let version = self.cache.version;
        let changed = panel.searched.is_some() && panel.searched_version != Some(version);
        if panel.pending.is_none() && panel.running.is_none() && changed {
            panel.pending = panel.searched.clone();
        }
        if let Some(request) = panel.pending.take() {
            self.start_search(request);
        }
        self.start_plan();
    }

    /// Runs a search: beside the frame, or at once when background work is off (tests).
    fn start_search(&mut self, request: SearchRequest) {
        let Some(project) = &self.project else { return };
        let panel = &mut self.panels.search;
        if panel.export_path.trim().is_empty() {
            panel.export_path = default_export_path(project.path(), panel.export_format);
        }
        panel.serial += 1;
        panel.searched = Some(request.clone());
        panel.searched_version = Some(self.cache.version);
        let (sort, tr) = (panel.sort, self.tr.clone());
        if !self.background.enabled {
            let result = lexical::search_overview(project.conn(), &request, sort);
            panel.take_result(result.map_err(|e| crate::i18n::errors::app(&tr, &e)));
            return;
        }
        panel.running = Some(panel.serial);
        let path = project.path().to_path_buf();
        self.background.search.start(panel.serial, move || {
            lexical::search_overview_in(&path, &request, sort)
                .map_err(|e| crate::i18n::errors::app(&tr, &e))
        });
    }

    /// Starts the preview of coding the ticked hits when it is out of date.
    fn start_plan(&mut self) {
        let Some(project) = &self.project else { return };
        let panel = &mut self.panels.search;
        let version = self.cache.version;
        let Some(wanted) = panel.autocode_request() else {
            return;
        };
        let done = panel
            .plan
            .as_ref()
            .is_some_and(|(v, r, _)| *v == version && *r == wanted);
        let asked = panel
            .plan_asked
            .as_ref()
            .is_some_and(|(v, r)| *v == version && *r == wanted);
        if done || asked {
            return;
        }
        let tr = self.tr.clone();
        let words = move |e: crate::app::AppError| crate::i18n::errors::app(&tr, &e);
        if !self.background.enabled {
            let plan = lexical::plan_autocode(project, &wanted).map_err(words);
            panel.plan = Some((version, wanted, plan));
            return;
        }
        let coder = match project.coder() {
            Ok(coder) => coder.guid,
            Err(e) => {
                let text = crate::i18n::errors::store(&self.tr, &e);
                panel.plan = Some((version, wanted, Err(text)));
                return;
            }
        };
        panel.plan_asked = Some((version, wanted.clone()));
        let path = project.path().to_path_buf();
        self.background.plan.start(version, move || {
            lexical::plan_autocode_in(&path, coder.as_str(), &wanted).map_err(words)
        });
    }

    /// Codes the hits of a search on the worker, the project lent to it: one undoable
    /// action, signed by the acting coder.
    pub(crate) fn autocode(&mut self, request: AutocodeRequest) -> Result<(), String> {
        if self.worker.busy() {
            return Err(self.tr.t("error.busy").to_string());
        }
        self.save_transcript()?;
        // The code's name as the app shows it, for the message written on the worker.
        let code = self
            .env()
            .code_path(&crate::model::CodeId::new(request.code.clone()));
        let Some(mut project) = self.project.take() else {
            return Err(self.tr.t("error.no_project").to_string());
        };
        self.project_lent = true;
        let tr = self.tr.clone();
        self.worker.start(
            self.tr.t("job.autocoding"),
            Box::new(move |_| {
                let message = match lexical::autocode(&mut project, &request) {
                    Ok((_, done)) => Ok(done
                        .message
                        .map(|m| {
                            m.words(&tr, &|arg| match arg {
                                Arg::Count(n) => n.to_string(),
                                Arg::Text(text) => text.clone(),
                                Arg::CodePath(_) | Arg::PoleNote(_) => code.clone(),
                            })
                        })
                        .unwrap_or_default()),
                    Err(e) => Err(crate::i18n::errors::app(&tr, &e)),
                };
                JobOutput::Project {
                    project: Box::new(project),
                    message,
                    open_document: None,
                }
            }),
        );
        Ok(())
    }

    /// Writes the concordance of a search (every hit) on the worker, from a read-only
    /// connection of its own, through the same functions as `fouille search --export`.
    pub(crate) fn export_concordance(
        &mut self,
        request: SearchRequest,
        sort: KwicSort,
        path: PathBuf,
        format: TableFormat,
    ) -> Result<Option<String>, String> {
        if self.worker.busy() {
            return Err(self.tr.t("error.busy").to_string());
        }
        let Some(project) = &self.project else {
            return Err(self.tr.t("error.no_project").to_string());
        };
        let project_path = project.path().to_path_buf();
        let tr = self.tr.clone();
        let name = file_name(&path);
        let label = self.tr.f("job.exporting", &[("name", &name)]);
        self.worker.start(
            label,
            Box::new(move |_| {
                let written =
                    lexical::concordance_in(&project_path, &request, sort).and_then(|lines| {
                        let table =
                            lexical::concordance_table(&request.query, &lines, tr.language());
                        crate::app::report::write_tables(
                            &[table],
                            format,
                            &path,
                            &CsvOptions::default(),
                        )
                    });
                JobOutput::Done(match written {
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

    /// Keeps the stop-word lists in the project; the word table is computed again.
    pub(crate) fn set_stop_words(
        &mut self,
        edits: StopWordEdits,
    ) -> Result<Option<String>, String> {
        let tr = self.tr.clone();
        let project = super::edits::project_mut(&mut self.project, self.project_lent, &tr)?;
        lexical::set_stop_word_edits(project, &edits)
            .map_err(|e| crate::i18n::errors::app(&tr, &e))?;
        Ok(None)
    }
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// `<project>-concordance.<ext>` in the project's own folder.
fn default_export_path(project: &std::path::Path, format: TableFormat) -> String {
    let dir = project.parent().unwrap_or(std::path::Path::new("."));
    let stem = project
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "fouille".into());
    dir.join(format!("{stem}-concordance.{}", format.extension()))
        .display()
        .to_string()
}
