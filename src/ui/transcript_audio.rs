//! The recording of the document being transcribed: attached by path, decoded on
//! the worker thread, played by a [`Player`] drawn above the editor.

use std::sync::Arc;

use super::app::FouilleApp;
use super::edits::project_mut;
use super::panels::status::Level;
use super::worker::JobOutput;
use crate::media::decode::{DecodeOptions, DecodedAudio, decode_file};
use crate::media::player::{Player, PlayerSettings};
use crate::model::DocumentId;

/// The player of the document being transcribed.
pub struct TranscriptAudio {
    /// The document GUID.
    pub document: DocumentId,
    /// The player of the document's recording.
    pub player: Player,
    /// Level overview for the waveform.
    pub overview: Vec<f32>,
    /// The text's passages (from one `[hh:mm:ss]` mark to the next) and the hash of the
    /// text they were found in.
    pub passages: (String, Vec<crate::model::timestamps::Passage>),
}

impl TranscriptAudio {
    /// The passages of `text` (hash `hash`), found again when the text changed.
    pub fn passages_of(&mut self, hash: &str, text: &str) -> &[crate::model::timestamps::Passage] {
        if self.passages.0 != hash {
            self.passages = (hash.to_string(), crate::model::timestamps::passages(text));
        }
        &self.passages.1
    }
}

/// Under the document view: the player of the document's recording, seeking when a
/// `[hh:mm:ss]` mark is clicked, and a bar in the margin beside the passage being heard.
pub(crate) fn document_audio_ui(
    ui: &mut egui::Ui,
    env: &super::env::Env,
    audio: &mut TranscriptAudio,
    content: Option<&super::cache::DocumentContent>,
    view: &mut super::views::document_view::DocumentView,
    commands: &mut Vec<super::command::Command>,
) {
    let labels = match env.tr.language() {
        crate::i18n::Language::Fr => super::widgets::audio_player::PlayerLabels::french(),
        crate::i18n::Language::En => super::widgets::audio_player::PlayerLabels::english(),
    };
    egui::Frame::new()
        .inner_margin(egui::Margin::symmetric(14, 4))
        .show(ui, |ui| {
            super::widgets::audio_player::audio_player_ui(
                ui,
                &mut audio.player,
                &audio.overview,
                &labels,
            );
        });
    if audio.player.is_playing() {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(100));
    }
    let released = ui.input(|i| i.pointer.primary_released());
    view.ui(ui, env, commands);
    let Some(content) = content.filter(|c| c.guid == audio.document) else {
        return;
    };
    // A click (no selection) on a time mark seeks there.
    if released && view.selection.is_empty() {
        let caret = view.selection.cursor;
        let marks = crate::model::timestamps::find_marks(&content.text);
        if let Some(mark) = marks
            .iter()
            .find(|m| m.start_char <= caret && caret <= m.end_char)
        {
            audio.player.seek_ms(mark.time_ms);
        }
    }
    let position = audio.player.position_ms();
    let passages = audio.passages_of(&content.content_hash, &content.text);
    let Some(passage) = crate::model::timestamps::passage_at(passages, position) else {
        return;
    };
    let clip = ui.clip_rect();
    let start = view.char_screen_pos(passage.start_char);
    let end = view.char_screen_pos(passage.end_char.saturating_sub(1));
    let (top, bottom, x) = match (start, end) {
        (Some(s), Some(e)) => (s.y - 10.0, e.y + 10.0, s.x),
        (Some(s), None) => (s.y - 10.0, clip.bottom(), s.x),
        (None, Some(e)) => (clip.top(), e.y + 10.0, e.x.min(clip.left() + 60.0)),
        (None, None) => return,
    };
    let bar = egui::Rect::from_min_max(egui::pos2(x - 10.0, top), egui::pos2(x - 6.0, bottom));
    ui.painter().rect_filled(bar, 2.0, super::theme::ACCENT);
}

impl FouilleApp {
    /// The player of the transcript editor, when its document has a decoded recording.
    pub fn transcript_audio(&self) -> Option<&TranscriptAudio> {
        self.audio.as_ref()
    }

    /// Decodes a document's recording on the worker.
    pub(crate) fn start_decode(&mut self, document: DocumentId, path: String) {
        let label = self.tr.t("job.decoding").to_string();
        let tr = self.tr.clone();
        self.worker.start(
            label,
            Box::new(move |_| {
                let audio = decode_file(
                    std::path::Path::new(&path),
                    DecodeOptions {
                        max_sample_rate: Some(48_000),
                    },
                )
                .map_err(|e| tr.f("error.audio", &[("error", &e.to_string())]));
                JobOutput::Audio {
                    document,
                    audio: audio.map(Box::new),
                }
            }),
        );
    }

    /// A decoded recording arrived from the worker.
    pub(crate) fn audio_decoded(
        &mut self,
        document: DocumentId,
        audio: Result<Box<DecodedAudio>, String>,
    ) {
        match audio {
            Ok(audio) => {
                let bucket = (audio.duration_ms() / 600).clamp(5, 2_000) as u32;
                let overview = audio.overview(bucket);
                let player = Player::open_default(Arc::new(*audio), PlayerSettings::default());
                if let Some(reason) = player.no_sound_reason() {
                    let text = self.tr.f("transcript.no_sound", &[("reason", &reason)]);
                    self.say(Level::Info, text);
                }
                self.audio = Some(TranscriptAudio {
                    document,
                    player,
                    overview,
                    passages: Default::default(),
                });
            }
            Err(text) => self.say(Level::Error, text),
        }
    }

    /// Attaches a recording to a document (one undoable action) and decodes it.
    pub(crate) fn attach_media(
        &mut self,
        document: DocumentId,
        path: String,
    ) -> Result<Option<String>, String> {
        let tr = self.tr.clone();
        let path = path.trim().to_string();
        if !std::path::Path::new(&path).is_file() {
            return Err(tr.f("error.no_file", &[("path", &path)]));
        }
        let project = project_mut(&mut self.project, self.project_lent, &tr)?;
        project
            .action("action.attach_media", |tx| {
                crate::store::documents::set_media(tx, &document, Some(&path))
            })
            .map_err(|e| crate::i18n::errors::store(&tr, &e))?;
        self.audio = None;
        self.start_decode(document, path);
        Ok(None)
    }
}
