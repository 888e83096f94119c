//! The transcript editor: the document's text in a multiline field, with
//! shortcuts to insert time marks (Ctrl+T) and speaker labels (Ctrl+1…Ctrl+8), saved
//! 1.5 s after the last keystroke as ONE undoable action that carries the codings along
//! (`store::text_edit::set_text_with_rebase`). The labels are kept per document in the
//! project settings under `speakers:<document GUID>`.

use crate::ui::command::Work;
use egui::text::{CCursor, CCursorRange};
use egui::{Id, RichText, Ui};

use crate::model::DocumentId;
use crate::store::text_edit::RebaseReport;
use crate::ui::command::Command;
use crate::ui::env::Env;
use crate::ui::theme;

/// How long after the last keystroke the text is saved (ms).
pub const AUTOSAVE_MS: i64 = 1500;

/// How many speaker labels a document has (Ctrl+1…Ctrl+8).
pub const SPEAKERS: usize = 8;

/// Something a shortcut inserts at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Insertion {
    /// A time mark at the audio position (ms).
    Mark(u64),
    /// A speaker label (0-based).
    Speaker(usize),
}

/// Speaker labels guessed from a text: the distinct `Name :` at the start of lines, the
/// most frequent first (ties in order of appearance), at most [`SPEAKERS`].
pub fn guess_speakers(text: &str) -> Vec<String> {
    let mut found: Vec<(String, usize)> = Vec::new();
    for line in text.lines() {
        let Some(pos) = line.find(" :").or_else(|| line.find(':')) else {
            continue;
        };
        let name = line[..pos].trim();
        let words = name.split_whitespace().count();
        if name.is_empty() || words > 3 || name.chars().count() > 30 || name.starts_with('[') {
            continue;
        }
        match found.iter_mut().find(|(n, _)| n == name) {
            Some((_, count)) => *count += 1,
            None => found.push((name.to_string(), 1)),
        }
    }
    // A stable sort keeps the order of appearance among equals.
    found.sort_by(|a, b| b.1.cmp(&a.1));
    found
        .into_iter()
        .take(SPEAKERS)
        .map(|(name, _)| name)
        .collect()
}

/// The editor of one document's transcript.
#[derive(Debug, Clone)]
pub struct TranscriptEditor {
    /// The document GUID.
    pub document: DocumentId,
    /// The text being edited.
    pub text: String,
    /// The text as last saved (or loaded).
    pub saved_text: String,
    /// Speaker labels (Ctrl+1…Ctrl+8).
    pub speakers: Vec<String>,
    /// When the text last changed (ms), while unsaved.
    pub last_edit_ms: Option<i64>,
    /// What the last save did to the codings.
    pub report: Option<RebaseReport>,
    /// Inserts asked by shortcuts this frame.
    pub pending: Vec<Insertion>,
    /// The recording's path as typed.
    pub media_input: String,
    /// The app version the text was loaded at.
    pub loaded_version: u64,
    focus_asked: bool,
}

impl TranscriptEditor {
    /// An editor on `text`, with `speakers` labels.
    pub fn new(document: DocumentId, text: String, speakers: Vec<String>, version: u64) -> Self {
        TranscriptEditor {
            document,
            saved_text: text.clone(),
            text,
            speakers,
            last_edit_ms: None,
            report: None,
            pending: Vec::new(),
            loaded_version: version,
            media_input: String::new(),
            focus_asked: false,
        }
    }

    /// Whether the text has unsaved changes.
    pub fn dirty(&self) -> bool {
        self.text != self.saved_text
    }

    /// Whether the autosave delay has passed at `now_ms`.
    pub fn autosave_due(&self, now_ms: i64) -> bool {
        self.dirty() && self.last_edit_ms.is_some_and(|t| now_ms - t >= AUTOSAVE_MS)
    }

    /// The id of the text field.
    pub fn field_id() -> Id {
        Id::unique("transcript_editor_text")
    }

    fn apply_pending(&mut self, ui: &Ui, now_ms: i64) {
        if self.pending.is_empty() {
            return;
        }
        let id = Self::field_id();
        let mut state = egui::text_edit::TextEditState::load(ui.ctx(), id).unwrap_or_default();
        let total = self.text.chars().count();
        let cursor = state
            .cursor
            .char_range()
            .map(|r| r.primary.index.0.min(total))
            .unwrap_or(total);
        let mut at = cursor;
        for insertion in std::mem::take(&mut self.pending) {
            let piece = match insertion {
                Insertion::Mark(ms) => {
                    crate::model::timestamps::mark_for_insertion(&self.text, at, ms)
                }
                Insertion::Speaker(n) => match self.speakers.get(n) {
                    Some(name) if !name.trim().is_empty() => format!("{} : ", name.trim()),
                    _ => continue,
                },
            };
            let byte = self
                .text
                .char_indices()
                .nth(at)
                .map(|(b, _)| b)
                .unwrap_or(self.text.len());
            self.text.insert_str(byte, &piece);
            at += piece.chars().count();
            self.last_edit_ms = Some(now_ms);
        }
        state
            .cursor
            .set_char_range(Some(CCursorRange::one(CCursor::new(at))));
        state.store(ui.ctx(), id);
    }

    /// Draws the editor; `now_ms` stamps keystrokes for the autosave.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        env: &Env,
        now_ms: i64,
        audio: Option<&mut crate::ui::transcript_audio::TranscriptAudio>,
        commands: &mut Vec<Command>,
    ) {
        self.media_ui(ui, env, audio, commands);
        self.speakers_ui(ui, env, commands);
        let field_label = self.status_ui(ui, env, commands);
        self.apply_pending(ui, now_ms);
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let response = ui
                    .add(
                        egui::TextEdit::multiline(&mut self.text)
                            .id(Self::field_id())
                            .font(theme::text_font(env.state.layout.text_size))
                            .desired_width(f32::INFINITY)
                            .desired_rows(30)
                            .lock_focus(true),
                    )
                    .labelled_by(field_label);
                if !self.focus_asked {
                    self.focus_asked = true;
                    response.request_focus();
                }
                if response.changed() {
                    self.last_edit_ms = Some(now_ms);
                }
            });
    }

    /// The recording: a typed path to attach, and the player once one is decoded.
    fn media_ui(
        &mut self,
        ui: &mut Ui,
        env: &Env,
        audio: Option<&mut crate::ui::transcript_audio::TranscriptAudio>,
        commands: &mut Vec<Command>,
    ) {
        let tr = env.tr;
        ui.horizontal(|ui| {
            let label = ui.label(tr.t("transcript.media"));
            ui.add(egui::TextEdit::singleline(&mut self.media_input).desired_width(360.0))
                .labelled_by(label.id);
            if ui.button(tr.t("transcript.attach")).clicked() {
                commands.push(Command::Work(Work::AttachMedia {
                    document: self.document.clone(),
                    path: self.media_input.clone(),
                }));
            }
            // The text typed so far is saved first: the transcription replaces what is
            // stored, after asking.
            let typed = Some(self.media_input.trim())
                .filter(|p| !p.is_empty())
                .map(std::path::PathBuf::from);
            let mut asked = Vec::new();
            crate::ui::layout::transcribe_button(ui, env, &self.document, typed, &mut asked);
            if !asked.is_empty() {
                commands.push(Command::Work(Work::SaveTranscript));
                commands.append(&mut asked);
            }
        });
        if let Some(audio) = audio {
            let labels = match tr.language() {
                crate::i18n::Language::Fr => {
                    crate::ui::widgets::audio_player::PlayerLabels::french()
                }
                crate::i18n::Language::En => {
                    crate::ui::widgets::audio_player::PlayerLabels::english()
                }
            };
            crate::ui::widgets::audio_player::audio_player_ui(
                ui,
                &mut audio.player,
                &audio.overview,
                &labels,
            );
            // The widget says itself when there is no sound.
            if audio.player.is_playing() {
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100));
            }
        }
    }

    /// The speakers' labels, two rows of four (Ctrl+1…Ctrl+8 insert them); stored when a
    /// field is left.
    fn speakers_ui(&mut self, ui: &mut Ui, env: &Env, commands: &mut Vec<Command>) {
        let tr = env.tr;
        let mut changed = false;
        while self.speakers.len() < SPEAKERS {
            self.speakers.push(String::new());
        }
        for row in 0..2 {
            ui.horizontal(|ui| {
                let title = if row == 0 {
                    tr.t("transcript.speakers")
                } else {
                    ""
                };
                ui.add_sized(
                    [80.0, 18.0],
                    egui::Label::new(RichText::new(title).strong()),
                );
                for i in row * 4..row * 4 + 4 {
                    let label = ui.label(format!("Ctrl+{}", i + 1));
                    let field = ui
                        .add(
                            egui::TextEdit::singleline(&mut self.speakers[i])
                                .desired_width(110.0)
                                .hint_text(
                                    tr.f("transcript.speaker_n", &[("n", &(i + 1).to_string())]),
                                ),
                        )
                        .labelled_by(label.id);
                    changed |= field.lost_focus();
                }
            });
        }
        if changed {
            commands.push(Command::Work(Work::SetSpeakers {
                document: self.document.clone(),
                speakers: self.speakers.clone(),
            }));
        }
    }

    /// The keys' help, the save button and whether the text is saved, and the codings the
    /// last save removed; returns the id of the text field's label.
    fn status_ui(&mut self, ui: &mut Ui, env: &Env, commands: &mut Vec<Command>) -> egui::Id {
        let tr = env.tr;
        ui.label(RichText::new(tr.t("transcript.keys")).color(theme::INK_SOFT));
        let field_label = ui
            .horizontal(|ui| {
                let field_label = ui.label(RichText::new(tr.t("transcript.text")).strong());
                if ui.button(tr.t("transcript.save")).clicked() {
                    commands.push(Command::Work(Work::SaveTranscript));
                }
                let status = if self.dirty() {
                    tr.t("transcript.unsaved")
                } else {
                    tr.t("transcript.saved")
                };
                ui.label(RichText::new(status).color(theme::INK_SOFT));
                field_label.id
            })
            .inner;
        if let Some(report) = &self.report
            && !report.removed.is_empty()
        {
            ui.colored_label(
                theme::WARN,
                tr.f(
                    "transcript.removed",
                    &[("n", &report.removed.len().to_string())],
                ),
            );
            for c in &report.removed {
                ui.label(
                    RichText::new(format!("• {} — « {} »", c.code_path, c.old_text))
                        .color(theme::INK_SOFT),
                );
            }
        }
        field_label
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // the most frequent speakers come first; marks and long lines are not names.
    #[test]
    fn speakers_are_guessed_by_frequency() {
        let text = "Répondante : agent\n[00:00:01] x\nEnquêtrice : a\nNadia : b\nNadia : c\n\
                    Enquêtrice : d\nNadia : e\nUne phrase bien trop longue pour un nom : non\n";
        assert_eq!(
            guess_speakers(text),
            vec!["Nadia", "Enquêtrice", "Répondante"]
        );
    }
}
