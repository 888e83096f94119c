//! The recording of the document being transcribed (issue 7): attached by path, decoded on
//! the worker thread, played by a [`Player`] drawn above the editor.

use std::sync::Arc;

use super::app::FouilleApp;
use super::edits::project_mut;
use super::panels::status::Level;
use super::worker::JobOutput;
use crate::media::decode::{DecodeOptions, DecodedAudio, decode_file};
use crate::media::player::{Player, PlayerSettings};

/// The player of the document being transcribed.
pub struct TranscriptAudio {
    /// The document GUID.
    pub document: String,
    /// The player.
    pub player: Player,
    /// Level overview for the waveform.
    pub overview: Vec<f32>,
}

impl FouilleApp {
    /// The player of the transcript editor, when its document has a decoded recording.
    pub fn transcript_audio(&self) -> Option<&TranscriptAudio> {
        self.audio.as_ref()
    }

    /// Decodes a document's recording on the worker.
    pub(crate) fn start_decode(&mut self, document: String, path: String) {
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
        document: String,
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
                });
            }
            Err(text) => self.say(Level::Error, text),
        }
    }

    /// Attaches a recording to a document (one undoable action) and decodes it.
    pub(crate) fn attach_media(
        &mut self,
        document: String,
        path: String,
    ) -> Result<Option<String>, String> {
        let tr = self.tr.clone();
        let path = path.trim().to_string();
        if !std::path::Path::new(&path).is_file() {
            return Err(tr.f("error.no_file", &[("path", &path)]));
        }
        let project = project_mut(&mut self.project, self.project_lent, &tr)?;
        project
            .action(tr.t("action.attach_media"), |tx| {
                crate::store::documents::set_media(tx, &document, Some(&path))
            })
            .map_err(|e| super::errors::store(&tr, &e))?;
        self.audio = None;
        self.start_decode(document, path);
        Ok(None)
    }
}
