//! The app's side of automatic transcription: starting a job (after asking whether to
//! replace a document's text), writing a finished one as one undoable action, the window
//! listing the jobs with their progress and « Annuler », and the choice of model.

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use crate::app::transcribe::{self, Target};
use crate::i18n::I18n;
use crate::speech::Layout;

use super::app::FouilleApp;
use super::command::{Command, Transcribe};
use super::edits::project_mut;
use super::panels::status::Level;
use super::theme;
use super::transcription::{Finished, JobView, Outcome};
use super::widgets::modals::Dialog;
use crate::model::DocumentId;

impl FouilleApp {
    /// Starts, cancels a job, or chooses the model.
    pub(crate) fn apply_transcribe(&mut self, t: Transcribe) -> Result<Option<String>, String> {
        match t {
            Transcribe::Start {
                audio,
                document,
                replace,
            } => self.start_transcription(audio, document, replace),
            Transcribe::Cancel(id) => Ok(self
                .transcriber
                .cancel(id)
                .then(|| self.tr.t("error.speech_cancelled").to_string())),
            Transcribe::SetModel(dir) => self.choose_speech_model(&dir),
        }
    }

    /// « Transcrire automatiquement » on a document: its recording (`audio`, else the one
    /// attached) is queued at once when the document has no text; else the user is asked
    /// whether to replace it.
    pub(crate) fn ask_transcribe(
        &mut self,
        document: DocumentId,
        audio: Option<PathBuf>,
    ) -> Result<Option<String>, String> {
        let Some(doc) = self.cache.document(&document) else {
            return Ok(None);
        };
        let audio = audio
            .or_else(|| doc.media_path.as_ref().map(PathBuf::from))
            .ok_or_else(|| self.tr.t("transcribe.no_recording").to_string())?;
        if doc.char_len == 0 {
            return self.start_transcription(audio, Some(document), false);
        }
        self.dialog = Some(Dialog::ReplaceText {
            name: doc.name.clone(),
            document,
            audio,
        });
        Ok(None)
    }

    /// Queues `audio` for a document (by GUID; `None`: a new document named after the
    /// file), after checking the document can take it (a refused target should not cost
    /// the recognition).
    fn start_transcription(
        &mut self,
        audio: PathBuf,
        document: Option<DocumentId>,
        replace: bool,
    ) -> Result<Option<String>, String> {
        let tr = self.tr.clone();
        let project = project_mut(&mut self.project, self.project_lent, &tr)?;
        let (target, name) = match document {
            Some(guid) => {
                let name = self
                    .cache
                    .document(&guid)
                    .map(|d| d.name.clone())
                    .unwrap_or_default();
                (Target::Document { guid, replace }, name)
            }
            None => (Target::New { name: None }, file_name(&audio)),
        };
        transcribe::check_target(project, &target)
            .map_err(|e| crate::i18n::errors::app(&tr, &e))?;
        let path = project.path().to_path_buf();
        self.transcriber.push(audio, target, name.clone(), path);
        Ok(Some(tr.f("transcribe.queued", &[("name", &name)])))
    }

    /// Uses and remembers a model folder (it must exist; whether it loads is seen at the
    /// next job).
    fn choose_speech_model(&mut self, dir: &Path) -> Result<Option<String>, String> {
        let tr = &self.tr;
        if !dir.is_dir() {
            return Err(tr.f(
                "transcribe.not_a_folder",
                &[("path", &dir.display().to_string())],
            ));
        }
        crate::speech::model_dir::remember(dir).map_err(|e| crate::i18n::errors::speech(tr, &e))?;
        if let Some(Dialog::Settings { in_use, .. }) = &mut self.dialog {
            *in_use = model_in_use(tr);
        }
        Ok(Some(tr.f(
            "transcribe.model_set",
            &[("path", &dir.display().to_string())],
        )))
    }

    /// Each frame: writes the jobs that ended (when the project is here: while it is lent
    /// to the worker they wait), and keeps the frames coming while a job runs, for its
    /// progress bar.
    pub(crate) fn poll_transcriptions(&mut self, ctx: &egui::Context) {
        if self.project.is_some() {
            while let Some(finished) = self.transcriber.poll() {
                self.write_finished(finished);
            }
        }
        if self.transcriber.busy() {
            ctx.request_repaint_after(std::time::Duration::from_millis(250));
        }
    }

    /// Writes a job that ended (one action, one undo step) and reads the project again;
    /// says why when it failed.
    fn write_finished(&mut self, finished: Finished) {
        let tr = self.tr.clone();
        let transcription = match finished.outcome {
            Outcome::Done(t) => t,
            // A cancelled job's thread may still end with its error: already said.
            Outcome::Failed(crate::app::AppError::Speech(
                crate::speech::SpeechError::Cancelled,
            )) => return,
            Outcome::Failed(e) => {
                let text = crate::i18n::errors::app(&tr, &e);
                return self.say(Level::Error, name_it(&tr, &finished.job.name, &text));
            }
            Outcome::Died => return self.say(Level::Error, tr.t("transcribe.died").to_string()),
        };
        let Some(project) = self.project.as_mut() else {
            return;
        };
        if project.path() != finished.job.project {
            let text = tr.f("transcribe.other_project", &[("name", &finished.job.name)]);
            return self.say(Level::Error, text);
        }
        let written = transcribe::write_transcription(
            project,
            &finished.job.target,
            &transcription,
            &Layout::default(),
        );
        match written {
            Ok(outcome) => {
                let text = outcome.message().words(&tr, &|arg| self.code_words(arg));
                self.say(Level::Ok, text);
            }
            Err(e) => {
                let text = crate::i18n::errors::app(&tr, &e);
                self.say(Level::Error, name_it(&tr, &finished.job.name, &text));
            }
        }
        self.refresh();
    }
}

/// An error about a job, after the job's name.
fn name_it(tr: &I18n, name: &str, error: &str) -> String {
    tr.f("transcribe.failed", &[("name", name), ("error", error)])
}

/// A recording's file name, to name its job and the document made of it.
fn file_name(audio: &Path) -> String {
    audio
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| audio.display().to_string())
}

/// The model folder a job would use now, or why there is none, in the user's language.
pub(crate) fn model_in_use(tr: &I18n) -> String {
    match crate::speech::model_dir::resolve(None) {
        Ok(dir) => dir.display().to_string(),
        Err(_) => tr.t("transcribe.no_model").to_string(),
    }
}

/// The window of the transcriptions under way (shown while there are some): for each, its
/// name, a progress bar (share of the recording done, time left) and « Annuler ».
pub(crate) fn transcriptions_ui(ui: &Ui, tr: &I18n, jobs: &[JobView], commands: &mut Vec<Command>) {
    if jobs.is_empty() {
        return;
    }
    egui::Window::new(tr.t("transcribe.title"))
        .id(egui::Id::unique("transcriptions"))
        .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-12.0, -36.0))
        .collapsible(false)
        .resizable(false)
        .default_width(360.0)
        .show(ui.ctx(), |ui| {
            for job in jobs {
                ui.push_id(job.id, |ui| job_ui(ui, tr, job, commands));
            }
        });
}

/// One job: its name and « Annuler »; below, its progress (or that it waits its turn).
fn job_ui(ui: &mut Ui, tr: &I18n, job: &JobView, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(&job.name).strong());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button(tr.t("transcribe.cancel")).clicked() {
                commands.push(Command::Transcribe(Transcribe::Cancel(job.id)));
            }
        });
    });
    if !job.running {
        ui.label(RichText::new(tr.t("transcribe.waiting")).color(theme::INK_SOFT));
        return;
    }
    let Some(p) = job.progress else {
        // Not animated: the frames come every 250 ms while a job runs (see
        // `poll_transcriptions`), which is enough for a bar.
        ui.add(
            egui::ProgressBar::new(0.0)
                .desired_width(340.0)
                .text(tr.t("transcribe.preparing")),
        );
        return;
    };
    let percent = format!("{:.0} %", p.done * 100.0);
    let text = match p.remaining_s() {
        Some(s) => tr.f(
            "transcribe.progress_left",
            &[
                ("percent", &percent),
                (
                    "left",
                    &crate::model::timestamps::format_clock((s * 1000.0) as u64),
                ),
            ],
        ),
        None => percent,
    };
    ui.add(
        egui::ProgressBar::new(p.done.clamp(0.0, 1.0))
            .desired_width(340.0)
            .text(text),
    );
}
