//! The transcript editor's commands: open, close, save (one undoable action that
//! carries the codings through the edit), speaker labels, and the autosave.

use super::app::FouilleApp;
use super::edits::project_mut;
use super::views::transcript::{Insertion, SPEAKERS, TranscriptEditor, guess_speakers};
use crate::model::DocumentId;
use crate::store::{StoreError, documents};
use crate::ui::command::Work;

fn shortcut(ctx: &egui::Context, modifiers: egui::Modifiers, key: egui::Key) -> bool {
    ctx.input_mut(|i| i.consume_shortcut(&egui::KeyboardShortcut::new(modifiers, key)))
}

impl FouilleApp {
    /// The transcript editor, when open.
    pub fn transcript(&self) -> Option<&TranscriptEditor> {
        self.transcript.as_ref()
    }

    /// Opens the editor on a document (saving the one open before).
    pub(crate) fn open_transcript(
        &mut self,
        document: DocumentId,
    ) -> Result<Option<String>, String> {
        if self.save_transcript()?.is_some() {
            self.refresh();
        }
        let tr = self.tr.clone();
        let store = |e: StoreError| crate::i18n::errors::store(&tr, &e);
        let Some(project) = &self.project else {
            return Err(tr.t("error.no_project").to_string());
        };
        let text = documents::text(project.conn(), &document).map_err(store)?;
        let saved: Vec<String> = project
            .settings()
            .map_err(store)?
            .get(&crate::store::documents::speakers_key(&document))
            .and_then(|v| v.as_array().cloned())
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .take(SPEAKERS)
                    .collect()
            })
            .unwrap_or_default();
        let speakers = if saved.iter().any(|s| !s.trim().is_empty()) {
            saved
        } else {
            guess_speakers(&text)
        };
        self.nav.document = Some(document.clone());
        self.load_content();
        self.state.screen = super::state::Screen::Coding;
        let media = self
            .cache
            .document(&document)
            .and_then(|d| d.media_path.clone());
        let mut editor = TranscriptEditor::new(document.clone(), text, speakers, self.version);
        editor.media_input = media.clone().unwrap_or_default();
        self.transcript = Some(editor);
        if self.audio.as_ref().is_none_or(|a| a.document != document) {
            self.audio = None;
            if let Some(path) = media {
                self.start_decode(document, path);
            }
        }
        Ok(None)
    }

    /// Saves and closes the editor.
    pub(crate) fn close_transcript(&mut self) -> Result<Option<String>, String> {
        let out = self.save_transcript()?;
        if out.is_some() {
            // Closing is not an edit command: read the saved text back here.
            self.refresh();
        }
        self.transcript = None;
        if let Some(audio) = &self.audio {
            audio.player.pause();
        }
        Ok(out)
    }

    /// Saves the editor's text if it changed: one undoable action.
    pub(crate) fn save_transcript(&mut self) -> Result<Option<String>, String> {
        let Some(editor) = self.transcript.as_mut() else {
            return Ok(None);
        };
        if !editor.dirty() {
            return Ok(None);
        }
        let tr = self.tr.clone();
        let store = |e: StoreError| crate::i18n::errors::store(&tr, &e);
        let project = project_mut(&mut self.project, self.project_lent, &tr)?;
        let (document, text) = (editor.document.clone(), editor.text.clone());
        let report = project
            .action("action.edit_transcript", |tx| {
                crate::store::text_edit::set_text_with_rebase(tx, &document, &text)
            })
            .map_err(store)?;
        let stored = documents::text(project.conn(), &document).map_err(store)?;
        editor.text = stored.clone();
        editor.saved_text = stored;
        editor.last_edit_ms = None;
        let message = tr.f(
            "transcript.saved_report",
            &[
                (
                    "moved",
                    &(report.shifted.len() + report.adjusted.len()).to_string(),
                ),
                ("removed", &report.removed.len().to_string()),
            ],
        );
        editor.report = Some(report);
        Ok(Some(message))
    }

    /// Stores a document's speaker labels in the project settings.
    pub(crate) fn set_speakers(
        &mut self,
        document: DocumentId,
        speakers: Vec<String>,
    ) -> Result<Option<String>, String> {
        let tr = self.tr.clone();
        let project = project_mut(&mut self.project, self.project_lent, &tr)?;
        let value = serde_json::Value::Array(
            speakers
                .into_iter()
                .take(SPEAKERS)
                .map(serde_json::Value::String)
                .collect(),
        );
        project
            .update_setting(&crate::store::documents::speakers_key(&document), value)
            .map_err(|e| crate::i18n::errors::store(&tr, &e))?;
        Ok(None)
    }

    /// The editor's shortcuts, read before the app's (Ctrl+1… insert speakers there).
    /// Returns whether the editor is open.
    pub(crate) fn transcript_keys(&mut self, ctx: &egui::Context) -> bool {
        use egui::{Key, Modifiers};
        let Some(editor) = self.transcript.as_mut() else {
            return false;
        };
        let player = self
            .audio
            .as_ref()
            .filter(|a| a.document == editor.document)
            .map(|a| &a.player);
        if shortcut(ctx, Modifiers::COMMAND, Key::T) {
            let at = player.map(|p| p.position_ms()).unwrap_or(0);
            editor.pending.push(Insertion::Mark(at));
        }
        if let Some(p) = player {
            if shortcut(ctx, Modifiers::NONE, Key::F4)
                || shortcut(ctx, Modifiers::NONE, Key::Escape)
            {
                p.toggle();
            }
            if shortcut(ctx, Modifiers::NONE, Key::F3) {
                p.skip_back();
            }
            if shortcut(ctx, Modifiers::NONE, Key::F5) {
                p.skip_forward();
            }
        }
        let digits = [
            Key::Num1,
            Key::Num2,
            Key::Num3,
            Key::Num4,
            Key::Num5,
            Key::Num6,
            Key::Num7,
            Key::Num8,
        ];
        for (i, key) in digits.into_iter().enumerate() {
            if shortcut(ctx, Modifiers::COMMAND, key) {
                editor.pending.push(Insertion::Speaker(i));
            }
        }
        // Once saved, Ctrl+Z undoes the save (the project's undo), not the field's edits.
        if !editor.dirty() && shortcut(ctx, Modifiers::COMMAND, Key::Z) {
            self.commands
                .push(super::command::Command::Work(Work::Undo));
        }
        true
    }

    /// Before drawing: reload the text after an undo or redo, queue the autosave.
    pub(crate) fn transcript_frame(&mut self, ctx: &egui::Context) {
        let now = (self.clock)();
        let version = self.version;
        let Some(editor) = self.transcript.as_mut() else {
            return;
        };
        if editor.loaded_version != version && !editor.dirty() {
            editor.loaded_version = version;
            if let Some(project) = &self.project {
                match documents::text(project.conn(), &editor.document) {
                    Ok(text) => {
                        editor.text = text.clone();
                        editor.saved_text = text;
                    }
                    // The document is gone (undo of an import…): close the editor.
                    Err(_) => self.transcript = None,
                }
            }
            return;
        }
        if editor.autosave_due(now) {
            self.commands
                .push(super::command::Command::Work(Work::SaveTranscript));
        } else if editor.dirty() && !self.worker.synchronous {
            // (Tests run jobs synchronously and drive the clock themselves: no timed wake-up.)
            ctx.request_repaint_after(std::time::Duration::from_millis(
                super::views::transcript::AUTOSAVE_MS as u64,
            ));
        }
    }
}
